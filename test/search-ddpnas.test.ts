// DDPNAS: one pruning per layer per stage down to one candidate, θ equal to a
// hand computation from the logged accuracies, sampling without replacement
// within a round, the cost target, and a resume from the middle of a round
// that ends identical to an uninterrupted search.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { architectureCostOf, costRange, flopsCostModel } from '../src/search/cost-model.js';
import { createDdpnas, type DdpnasStrategy } from '../src/search/ddpnas.js';
import { runSearch } from '../src/search/runner.js';
import type { SearchContext, SearchEvent } from '../src/search/strategy.js';
import { defineSpace, layersOf, proxylessSmall, type SearchSpace } from '../src/space/index.js';
import { advanceUntilDone as run, searchContext, syntheticSearchData } from './helpers/search-context.js';
import { STRIPES_GOOD, STRIPES_SPACE, stripesData } from './helpers/stripes.js';

// one thread: tiny layers, and the machine may be busy (a pool waits for its slowest thread)
native.setThreads(1);

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
const ZERO = { kind: 'zero' as const };

// candidate counts per supernet layer: 1 (fixed), 4, 3, 3
const tiny = defineSpace({
  name: 'tiny',
  input: { height: 8, width: 8, channels: 1 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [
    {
      name: 's',
      layers: [
        { name: 'first', op: mb(3, 1, 1, 8) },
        { name: 'a', candidates: [mb(3, 3, 1, 8), mb(5, 3, 1, 8), mb(3, 1, 1, 8), ZERO] },
        { name: 'b', candidates: [mb(3, 3, 2, 12), mb(5, 3, 2, 12), mb(3, 6, 2, 12)] },
        { name: 'c', candidates: [mb(3, 3, 1, 12), mb(5, 1, 1, 12), ZERO] },
      ],
    },
  ],
  head: { out: 16 },
});

const datasets: Dataset[] = [];
afterAll(() => datasets.forEach((d) => d.dispose()));

function searchData(space: SearchSpace) {
  const data = syntheticSearchData(space, { seed: 7 });
  datasets.push(data.train);
  return data;
}

const tinyData = searchData(tiny);

function context(space: SearchSpace, net: Supernet, events: SearchEvent[], data = tinyData): SearchContext {
  return searchContext(space, net, data, 5, events);
}

const CONFIG = { rounds: 2, iteration: 2, batchSize: 8, lr: 0.1, valSamples: 32, recalibrationSamples: 32, gamma: 0.8, accuracyScale: 50 };
const NET_SEED = 6;

/** One uninterrupted search of the tiny space, shared by the tests that read it. */
let wholeSearch: Promise<{ strategy: DdpnasStrategy; net: Supernet; events: SearchEvent[]; units: number; total: number }> | undefined;
function uninterrupted() {
  wholeSearch ??= (async () => {
    const net = new Supernet(tiny, NET_SEED);
    const events: SearchEvent[] = [];
    const strategy = createDdpnas(CONFIG, tiny, flopsCostModel(tiny));
    const { total } = strategy.progress();
    const units = await run(strategy, context(tiny, net, events));
    return { strategy, net, events, units, total };
  })();
  return wholeSearch;
}
afterAll(async () => (await wholeSearch)?.net.dispose());

describe('DDPNAS', () => {
  it('keeps the only candidate that solves the stripes task', async () => {
    const stripes = stripesData();
    datasets.push(stripes.train);
    const cost = flopsCostModel(STRIPES_SPACE);
    for (const seed of [1, 2, 3]) {
      const net = new Supernet(STRIPES_SPACE, seed);
      const events: SearchEvent[] = [];
      const strategy = createDdpnas({ rounds: 2, iteration: 8, batchSize: 32, lr: 0.1, valSamples: 128 }, STRIPES_SPACE, cost);
      await run(strategy, searchContext(STRIPES_SPACE, net, stripes, seed, events, cost));
      expect(strategy.derive()).toEqual([0, STRIPES_GOOD]);
      // the premise: in the last round the k5 path is far better than chance on held-out samples, the other survivor is not
      const lastRound = events.filter((e): e is Evaluation => e.type === 'evaluate').slice(-2);
      for (const e of lastRound) expect(e.accuracy).toSatisfy((a: number) => (e.choices[1] === STRIPES_GOOD ? a > 0.9 : a < 0.7));
      net.dispose();
    }
  });

  it('prunes exactly one candidate per layer per stage and ends with one per layer', async () => {
    const { strategy, net, events, units, total } = await uninterrupted();
    // 2 rounds of 4, 3, 2 iterations; each iteration 2 steps + 1 evaluation; 3 prunings
    expect(units).toBe(2 * (4 + 3 + 2) * 3 + 3);
    expect(total).toBe(units);
    expect(strategy.progress()).toEqual({ done: units, total });
    expect(await strategy.advance(context(tiny, net, events))).toBe(true);

    const stages = splitStages(events);
    expect(stages).toHaveLength(3);
    const live = [1, 4, 3, 3];
    for (const stage of stages) {
      const pruned = stage.prunes.map((p) => p.layer);
      expect(pruned).toEqual(live.flatMap((n, l) => (n > 1 ? [l] : [])));
      pruned.forEach((l) => live[l]--);
    }
    expect(live).toEqual([1, 1, 1, 1]);
    const structure = net.structure().live;
    expect(structure.map((row) => row.filter(Boolean).length)).toEqual([1, 1, 1, 1]);
    expect(strategy.derive()).toEqual(structure.map((row) => row.indexOf(true)));
  });

  it('updates θ as a hand computation from the logged accuracies says, and prunes its minimum', async () => {
    const { events } = await uninterrupted();
    const accuracies = events.flatMap((e) => (e.type === 'evaluate' ? [e.accuracy] : []));
    expect(new Set(accuracies).size).toBeGreaterThan(3); // the computation is not fed ties only
    const counts = [1, 4, 3, 3];
    const live = counts.map((n) => new Array<boolean>(n).fill(true));
    let theta = counts.map((n) => new Array<number>(n).fill(1 / n));
    let velocity = counts.map((n) => new Array<number>(n).fill(0));
    for (const stage of splitStages(events)) {
      const roundLength = Math.max(...live.map((row) => row.filter(Boolean).length));
      expect(stage.evaluations).toHaveLength(2 * roundLength);
      const rounds = [stage.evaluations.slice(0, roundLength), stage.evaluations.slice(roundLength)];
      theta = theta.map((row, l) => {
        // E: mean over rounds of the softmax over live candidates of 50 · (mean accuracy of the candidate in the round)
        const E = row.map(() => 0);
        for (const round of rounds) {
          const scores = row.map((_, j) => {
            const hits = round.filter((e) => e.choices[l] === j).map((e) => e.accuracy);
            return hits.length ? hits.reduce((a, b) => a + b) / hits.length : 0;
          });
          const exps = scores.map((s, j) => (live[l][j] ? Math.exp(50 * s) : 0));
          const sum = exps.reduce((a, b) => a + b);
          exps.forEach((x, j) => (E[j] += x / sum / 2));
        }
        velocity[l] = velocity[l].map((v, j) => 0.8 * v + 0.2 * E[j]);
        const raw = row.map((t, j) => (live[l][j] ? t + velocity[l][j] : 0));
        const total = raw.reduce((a, b) => a + b);
        return raw.map((t) => t / total);
      });
      for (const p of stage.prunes) {
        const candidate = p.candidate as number;
        const liveTheta = theta[p.layer].filter((_, j) => live[p.layer][j]);
        expect(theta[p.layer][candidate]).toBeCloseTo(Math.min(...liveTheta), 12);
        live[p.layer][candidate] = false;
        velocity[p.layer][candidate] = 0;
        theta[p.layer][candidate] = 0;
        const total = theta[p.layer].reduce((a, b) => a + b);
        theta[p.layer] = theta[p.layer].map((t) => t / total);
      }
      stage.distribution.forEach((row, l) => row.forEach((p, j) => expect(p).toBeCloseTo(theta[l][j], 12)));
    }
  });

  it('samples every live candidate once before any twice within a round', async () => {
    const { net, events } = await uninterrupted();
    const live = net.candidateCounts.map((n) => new Set([...Array(n).keys()]));
    let roundsSeen = 0;
    for (const stage of splitStages(events)) {
      const roundLength = Math.max(...live.map((s) => s.size));
      for (let r = 0; r < 2; r++) {
        const round = stage.evaluations.slice(r * roundLength, (r + 1) * roundLength);
        live.forEach((ops, l) => {
          const picks = round.map((e) => e.choices[l]);
          // each block of |ops| iterations is a permutation of the live candidates
          for (let start = 0; start < picks.length; start += ops.size) {
            const block = picks.slice(start, start + ops.size);
            expect(new Set(block).size).toBe(block.length);
            block.forEach((j) => expect(ops.has(j)).toBe(true));
          }
          expect(new Set(picks)).toEqual(ops);
        });
        roundsSeen++;
      }
      for (const p of stage.prunes) live[p.layer].delete(p.candidate as number);
    }
    expect(roundsSeen).toBe(6);
  });

  it('resumed from a saved state in the middle of a round ends identical to an uninterrupted search', async () => {
    const whole = await uninterrupted();

    // stage 0 takes 2·4·3 + 1 = 25 units; 35 stops in stage 1's second round, inside an iteration
    const first = new Supernet(tiny, NET_SEED);
    const firstEvents: SearchEvent[] = [];
    const interrupted = createDdpnas(CONFIG, tiny, flopsCostModel(tiny));
    expect(await run(interrupted, context(tiny, first, firstEvents), 35)).toBe(35);
    const saved = JSON.parse(JSON.stringify(interrupted.saveState())) as { round: number; stage: number; stepInIteration: number };
    expect([saved.stage, saved.round, saved.stepInIteration]).toEqual([1, 1, 1]);
    const netState = first.saveState();
    first.dispose();

    const second = new Supernet(tiny, 99);
    second.loadState(netState);
    const resumed = createDdpnas(CONFIG, tiny, flopsCostModel(tiny));
    resumed.loadState(saved);
    expect(resumed.progress().done).toBe(35);
    const secondEvents: SearchEvent[] = [];
    await run(resumed, context(tiny, second, secondEvents));

    expect([...firstEvents, ...secondEvents]).toEqual(whole.events);
    expect(resumed.derive()).toEqual(whole.strategy.derive());
    expect(resumed.distribution()).toEqual(whole.strategy.distribution());
    expect(resumed.saveState()).toEqual(whole.strategy.saveState());
    const [a, b] = [whole.net.saveState(), second.saveState()];
    a.parameters.forEach((p, i) => expect(b.parameters[i].value).toEqual(p.value));
    second.dispose();
  });

  it('stopped by the runner at any unit (a pruning included) and resumed from its checkpoint, writes the same log', async () => {
    const root = mkdtempSync(join(tmpdir(), 'prunas-ddpnas-'));
    const runIn = async (dir: string, o: { resume?: boolean; stopAt?: number } = {}) => {
      const net = new Supernet(tiny, NET_SEED);
      const stop = new AbortController();
      let done = 0;
      const options = {
        strategy: createDdpnas(CONFIG, tiny, flopsCostModel(tiny)),
        space: tiny,
        net,
        data: tinyData,
        cost: flopsCostModel(tiny),
        seed: 5,
        config: { strategy: 'ddpnas', options: CONFIG },
        dir,
        resume: o.resume,
        checkpointSeconds: 0,
        signal: stop.signal,
        onProgress: () => (++done === o.stopAt ? stop.abort() : undefined),
      };
      try {
        return await runSearch(options);
      } finally {
        net.dispose();
      }
    };
    const log = (dir: string) =>
      readFileSync(join(dir, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.type !== 'start' && e.type !== 'checkpoint')
        .map(({ time: _time, seconds: _seconds, ...rest }) => rest);
    const whole = await runIn(join(root, 'whole'));
    // unit 25 is stage 0's pruning; 35 is inside an iteration of stage 1
    for (const stopAt of [25, 26, 35]) {
      const dir = join(root, `stopped-${stopAt}`);
      await expect(runIn(dir, { stopAt })).rejects.toThrow();
      const resumed = await runIn(dir, { resume: true });
      expect(resumed.choices).toEqual(whole.choices);
      expect(log(dir)).toEqual(log(join(root, 'whole')));
    }
    expect(whole.choices).toEqual((await uninterrupted()).strategy.derive());
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a supernet whose candidates differ from its state', async () => {
    const net = new Supernet(tiny, 7);
    net.removeCandidate(1, 0);
    await expect(createDdpnas(CONFIG, tiny, flopsCostModel(tiny)).advance(context(tiny, net, []))).rejects.toThrow(/live candidates differ/);
    net.dispose();
  });

  it('never prunes the cost target out of reach: at the cheapest architecture\'s cost it ends there', async () => {
    const cost = flopsCostModel(tiny);
    const target = costRange(cost).min;
    const net = new Supernet(tiny, 8);
    const events: SearchEvent[] = [];
    const strategy = createDdpnas({ ...CONFIG, rounds: 1, target }, tiny, cost);
    await run(strategy, context(tiny, net, events));
    expect(architectureCostOf(cost, strategy.derive())).toBeCloseTo(target, 9);
    const cheapest = cost.candidates.map((row) => row.indexOf(Math.min(...row)));
    expect(strategy.derive()).toEqual(cheapest);
    net.dispose();
  });

  it('with iteration "epoch" trains one pass over the training indices per architecture', async () => {
    const net = new Supernet(tiny, 9);
    const events: SearchEvent[] = [];
    const strategy = createDdpnas({ ...CONFIG, iteration: 'epoch' }, tiny, flopsCostModel(tiny));
    await run(strategy, context(tiny, net, events), 10);
    const steps = events.filter((e) => e.type === 'step' || e.type === 'evaluate').map((e) => e.type);
    expect(steps).toEqual([...new Array(8).fill('step'), 'evaluate', 'step']); // 64 indices / batch 8
    expect(strategy.progress().total).toBe(2 * (4 + 3 + 2) * 9 + 3);
    net.dispose();
  });

  it('runs proxyless-small (6 and 7 candidates, zero among them) down to one candidate per layer', async () => {
    const space = proxylessSmall({ widthMult: 0.25, resolution: 8 });
    const net = new Supernet(space, 10);
    const events: SearchEvent[] = [];
    const strategy = createDdpnas({ rounds: 1, iteration: 1, batchSize: 4, valSamples: 16 }, space, flopsCostModel(space));
    const units = await run(strategy, context(space, net, events, searchData(space)));
    expect(units).toBe((2 + 3 + 4 + 5 + 6 + 7) * 2 + 6);
    expect(net.structure().live.every((row) => row.filter(Boolean).length === 1)).toBe(true);
    const sixes = layersOf(space).flatMap((l, i) => (l.candidates.length === 6 ? [i] : []));
    expect(sixes.length).toBeGreaterThan(0);
    // six-candidate layers are done one stage before the seven-candidate ones
    expect(splitStages(events).at(-1)!.prunes.some((p) => sixes.includes(p.layer))).toBe(false);
    net.dispose();
  });

  it('names the bad field of a config and an unreachable target', () => {
    const cost = flopsCostModel(tiny);
    expect(() => createDdpnas({ rounds: 0 }, tiny, cost)).toThrow(PrunasRangeError);
    expect(() => createDdpnas({ rounds: 0 }, tiny, cost)).toThrow(/ddpnas config: rounds/);
    expect(() => createDdpnas({ iteration: 'pass' }, tiny, cost)).toThrow(/ddpnas config: iteration/);
    expect(() => createDdpnas({ roundz: 3 }, tiny, cost)).toThrow(/"roundz"/);
    const min = costRange(cost).min;
    expect(() => createDdpnas({ target: min / 2 }, tiny, cost)).toThrow(new RegExp(`target ${min / 2} MMACs is below the cheapest architecture`));
    const strategy = createDdpnas({}, tiny, cost);
    expect(() => strategy.loadState({ ...(strategy.saveState() as object), theta: [[1]] })).toThrow(/not those of tiny/);
    expect(() => strategy.loadState({ ...(strategy.saveState() as object), phase: 'sleep' })).toThrow(/ddpnas state: phase/);
  });
});

type Evaluation = Extract<SearchEvent, { type: 'evaluate' }>;
type Prune = Extract<SearchEvent, { type: 'prune' }>;

/** Events cut at each 'distribution': the evaluations of the stage, its prunings and θ after them. */
function splitStages(events: SearchEvent[]): { evaluations: Evaluation[]; prunes: Prune[]; distribution: number[][] }[] {
  const stages: { evaluations: Evaluation[]; prunes: Prune[]; distribution: number[][] }[] = [];
  let current = { evaluations: [] as Evaluation[], prunes: [] as Prune[] };
  for (const e of events) {
    if (e.type === 'evaluate') current.evaluations.push(e);
    if (e.type === 'prune') current.prunes.push(e);
    if (e.type === 'distribution') {
      stages.push({ ...current, distribution: e.probabilities });
      current = { evaluations: [], prunes: [] };
    }
  }
  return stages;
}
