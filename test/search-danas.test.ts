// DA-NAS: the stage schedule (classes and steps per stage, and which samples
// each stage's batches hold), the class order from the warmup's per-class
// accuracy (recomputed outside the strategy) or from the config, the pruning
// counts per stage and that the survivors are the top of p, the target kept
// reachable, the cost accounting, resume through the runner, the stripes
// task end to end, bad config.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet, type DatasetSamples } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { architectureCostOf, costRange, flopsCostModel, type CostModel } from '../src/search/cost-model.js';
import { createDanas, easyFirst, keepCount, proportionalSteps, stageClassCounts, survivorsOf, type DanasConfigInput, type DanasStrategy } from '../src/search/danas.js';
import { evaluationSamples } from '../src/search/evaluation.js';
import { runSearch } from '../src/search/runner.js';
import type { SearchContext, SearchData, SearchEvent } from '../src/search/strategy.js';
import { proxylessSmall } from '../src/space/index.js';
import { layersOf } from '../src/space/shapes.js';
import { STRIPES_GOOD, STRIPES_SPACE, stripesData } from './helpers/stripes.js';
import { TestRandom } from './helpers/random.js';
import { searchContext, stopAndResume, syntheticSearchData } from './helpers/search-context.js';

// one thread: tiny layers, and the machine may be busy
native.setThreads(1);

const SPACE = proxylessSmall({ widthMult: 0.25, resolution: 8 });
const COST = flopsCostModel(SPACE);
const DATA = syntheticSearchData(SPACE, { count: 400, trainCount: 320, seed: 5 });
const SET = DATA.train;
/** 4 warmup steps, 3 evaluations, stages of 3, 5, 8, 10 weight steps (+1, 2, 4, 5 architecture steps) and 3 prunings: 48 units */
const TINY: DanasConfigInput = { batchSize: 16, archBatchSize: 16, warmupSteps: 4, searchSteps: 26, archEvery: 2, evalPaths: 3, valSamples: 80, archLr: 0.05 };
const CANDIDATES = layersOf(SPACE).map((l) => l.candidates.length);

const root = mkdtempSync(join(tmpdir(), 'prunas-danas-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function context(net: Supernet, seed: number, events: SearchEvent[], data: SearchData = DATA, space = SPACE, cost = COST): SearchContext {
  return searchContext(space, net, data, seed, events, cost);
}

async function run(strategy: DanasStrategy, ctx: SearchContext, until: () => boolean = () => false): Promise<number> {
  let units = 0;
  for (;;) {
    units++;
    if ((await strategy.advance(ctx)) || until()) return units;
  }
}

const liveCounts = (net: Supernet) => net.structure().live.map((row) => row.filter(Boolean).length);

describe('DA-NAS stage schedule', () => {
  it('classes per stage: ⌈f·C⌉, at least minClasses; steps split by class count', () => {
    expect(stageClassCounts([0.25, 0.5, 0.75, 1], 10, 2)).toEqual([3, 5, 8, 10]);
    expect(stageClassCounts([0.3, 0.6, 1], 10, 2)).toEqual([3, 6, 10]); // 0.3·10 is 3.0000000000000004 in floating point
    expect(stageClassCounts([0.25, 0.5, 0.75, 1], 2, 2)).toEqual([2, 2, 2, 2]);
    expect(stageClassCounts([0.25, 0.5, 0.75, 1], 2, 1)).toEqual([1, 1, 2, 2]);
    expect(proportionalSteps(26, [3, 5, 8, 10])).toEqual([3, 5, 8, 10]);
    const split = proportionalSteps(5000, [3, 5, 8, 10]);
    expect(split.reduce((a, b) => a + b, 0)).toBe(5000);
    split.forEach((n, k) => expect(Math.abs(n - (5000 * [3, 5, 8, 10][k]) / 26)).toBeLessThanOrEqual(1));
    expect(createDanas({}, SPACE, COST).schedule()).toEqual(split.map((weightSteps, k) => ({ classes: [3, 5, 8, 10][k], weightSteps })));
    expect(createDanas({ stageSteps: [7, 1, 2, 9] }, SPACE, COST).schedule().map((s) => s.weightSteps)).toEqual([7, 1, 2, 9]);
  });

  it('easy classes first: increasing difficulty, ties by index, a class without samples last', () => {
    expect(easyFirst([0.3, 0.1, 0.5, 0.1, NaN, 0])).toEqual([5, 1, 3, 0, 2, 4]);
    const rng = new TestRandom(3);
    const difficulty = Array.from({ length: 10 }, () => rng.next());
    const order = easyFirst(difficulty);
    expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 1; i < 10; i++) expect(difficulty[order[i]]).toBeGreaterThanOrEqual(difficulty[order[i - 1]]);
  });

  it('a user classOrder: every stage trains and steps α on exactly its first classes, with the planned steps', async () => {
    const order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
    const net = new Supernet(SPACE, 2);
    // the batches every step sees, per stage ('epoch' events close a stage)
    const seen: { weights: Set<number>[]; arch: Set<number>[] }[] = [];
    let current = { weights: [] as Set<number>[], arch: [] as Set<number>[] };
    const labelsOf = (samples: unknown) => new Set(Array.from((samples as DatasetSamples).indices, (i) => SET.labels[i]));
    const weightStep = net.weightStep.bind(net);
    const archStep = net.archStep.bind(net);
    net.weightStep = (o) => (current.weights.push(labelsOf(o.samples)), weightStep(o));
    net.archStep = (o) => (current.arch.push(labelsOf(o.samples)), archStep(o));
    const events: SearchEvent[] = [];
    const ctx = context(net, 2, []);
    ctx.emit = (e) => {
      events.push(e);
      if (e.type === 'epoch') {
        seen.push(current);
        current = { weights: [], arch: [] };
      }
    };
    const strategy = createDanas({ ...TINY, classOrder: order }, SPACE, COST);
    const units = await run(strategy, ctx);
    expect(units).toBe(45); // no evaluations with a given order
    expect(strategy.progress()).toEqual({ done: 45, total: 45 });
    expect(strategy.classOrder()).toEqual(order);
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e] : []));
    expect(epochs.map((e) => [e.epoch, e.classes])).toEqual([[0, 10], [1, 3], [2, 5], [3, 8], [4, 10]]);
    expect(seen).toHaveLength(5);
    expect(seen[0].weights).toHaveLength(4); // the warmup, on all classes
    expect(new Set(seen[0].weights.flatMap((s) => [...s])).size).toBeGreaterThan(3);
    [3, 5, 8, 10].forEach((classes, k) => {
      const stage = seen[k + 1];
      expect(stage.weights, `stage ${k + 1}`).toHaveLength([3, 5, 8, 10][k]);
      expect(stage.arch, `stage ${k + 1}`).toHaveLength([1, 2, 4, 5][k]);
      const allowed = new Set(order.slice(0, classes));
      for (const labels of [...stage.weights, ...stage.arch]) for (const c of labels) expect(allowed.has(c), `stage ${k + 1} class ${c}`).toBe(true);
      // the stage's samples cover its classes
      expect(new Set(stage.weights.flatMap((s) => [...s])).size).toBe(classes);
    });
    net.dispose();
  });

  it('the warmup order: 1 − per-class accuracy of the evaluated paths, recomputed outside the strategy, easy first', async () => {
    const net = new Supernet(SPACE, 4);
    const events: SearchEvent[] = [];
    const strategy = createDanas({ ...TINY, warmupSteps: 12, evalPaths: 4 }, SPACE, COST);
    const units = await run(strategy, context(net, 4, events), () => strategy.classOrder() !== null);
    expect(units).toBe(16);
    const evaluated = events.flatMap((e) => (e.type === 'evaluate' ? [e] : []));
    expect(evaluated).toHaveLength(4);
    const indices = evaluationSamples(DATA, 80, 0, 4).validation;
    const correct = new Array<number>(10).fill(0);
    const count = new Array<number>(10).fill(0);
    for (const i of indices) count[SET.labels[i]]++;
    for (const e of evaluated) {
      const r = net.evaluateSync({ samples: { dataset: SET, indices }, choices: e.choices, batchSize: 500 });
      expect(r.correct / r.count).toBeCloseTo(e.accuracy, 12);
      r.perClassCorrect.forEach((n, c) => (correct[c] += n));
    }
    const accuracy = correct.map((n, c) => n / (count[c] * 4));
    const expected = [...Array(10).keys()].sort((a, b) => accuracy[b] - accuracy[a] || a - b);
    expect(strategy.classOrder()).toEqual(expected);
    expect(new Set(accuracy).size).toBeGreaterThan(2); // the order is not just the index order
    const message = events.find((e) => e.type === 'message' && e.text.includes('class order'));
    expect(message && message.type === 'message' ? message.text : '').toContain(`easy first: ${expected.join(', ')}`);
    net.dispose();
  });
});

describe('DA-NAS pruning', () => {
  it('halves every layer after each stage but the last: 7 → 4 → 2 → 1 and 6 → 3 → 2 → 1, keeping the top of p', async () => {
    expect([7, 4, 2, 1].map(keepCount)).toEqual([4, 2, 1, 1]);
    expect([6, 3, 2, 1].map(keepCount)).toEqual([3, 2, 1, 1]);
    const net = new Supernet(SPACE, 6);
    const events: SearchEvent[] = [];
    const counts: number[][] = [];
    const ctx = context(net, 6, events);
    const emit = ctx.emit;
    ctx.emit = (e) => {
      emit(e);
      if (e.type === 'epoch') counts.push(liveCounts(net));
    };
    const strategy = createDanas(TINY, SPACE, COST);
    const units = await run(strategy, ctx);
    expect(units).toBe(48);
    expect(strategy.progress()).toEqual({ done: 48, total: 48 });
    // after the warmup and after each stage (the prunings included)
    CANDIDATES.forEach((n, l) => {
      const perStage = counts.map((c) => c[l]);
      if (n === 7) expect(perStage, `layer ${l}`).toEqual([7, 4, 2, 1, 1]);
      else if (n === 6) expect(perStage, `layer ${l}`).toEqual([6, 3, 2, 1, 1]);
      else expect(perStage).toEqual([1, 1, 1, 1, 1]);
    });
    expect(CANDIDATES.filter((n) => n === 7).length).toBeGreaterThan(0);
    expect(CANDIDATES.filter((n) => n === 6).length).toBeGreaterThan(0);

    // each pruning removes exactly the candidates outside the top ⌈n/2⌉ of the p the stage ended with
    let lastP: number[][] | null = null;
    let pending: { layer: number; candidate: number }[] = [];
    const prunings: { p: number[][]; removed: { layer: number; candidate: number }[] }[] = [];
    for (const e of events) {
      if (e.type === 'prune') pending.push({ layer: e.layer, candidate: e.candidate as number });
      else if (pending.length > 0) {
        prunings.push({ p: lastP!, removed: pending });
        pending = [];
      }
      if (e.type === 'distribution' && pending.length === 0) lastP = e.probabilities;
    }
    expect(prunings).toHaveLength(3);
    const live = CANDIDATES.map((n) => new Array<boolean>(n).fill(true));
    for (const { p, removed } of prunings) {
      const expected = live.flatMap((row, l) => {
        const ops = row.flatMap((on, j) => (on ? [j] : []));
        const top = [...ops].sort((a, b) => p[l][b] - p[l][a] || a - b).slice(0, Math.ceil(ops.length / 2));
        return ops.filter((j) => !top.includes(j)).map((candidate) => ({ layer: l, candidate }));
      });
      expect(removed).toEqual(expected);
      for (const { layer, candidate } of removed) live[layer][candidate] = false;
    }
    expect(net.structure().live).toEqual(live);
    // derive: the one survivor of every layer
    expect(strategy.derive()).toEqual(live.map((row) => row.indexOf(true)));
    net.dispose();
  });

  // fixed 1; layer 1 costs 1, 5, 6, 7; layer 2 costs 3, 3.5, 0.5
  const HAND: CostModel = { unit: 'MMACs', fixed: 1, candidates: [[2], [1, 5, 6, 7], [3, 3.5, 0.5]], source: 'test' };
  const ALL = HAND.candidates.map((row) => row.map(() => true));
  const P = [[1], [0.1, 0.4, 0.3, 0.2], [0.2, 0.5, 0.3]];

  it('the target filter swaps in the strongest dropped candidate that keeps the target reachable', () => {
    const free = survivorsOf(P, ALL, HAND);
    expect(free.live).toEqual([[true], [false, true, true, false], [false, true, true]]);
    expect(costRange(HAND, free.live).min).toBe(8.5); // the top half by p alone: out of reach of a target of 5
    const within = survivorsOf(P, ALL, HAND, 5);
    // layer 1: the weakest of the top two (candidate 2) goes; 3 (p 0.2, cost 7) does not help, 0 (cost 1) does
    expect(within.live).toEqual([[true], [true, true, false, false], [false, true, true]]);
    expect(costRange(HAND, within.live).min).toBeLessThanOrEqual(5);
    expect(within.removed.map((r) => [r.layer, r.candidate])).toEqual([[1, 2], [1, 3], [2, 0]]);
    expect(within.removed[0].reason).toMatch(/keep the target 5 MMACs reachable/);
    expect(within.removed[1].reason).toMatch(/outside the top 2 of 4/);
  });

  it('random cases: counts ⌈n/2⌉, the target stays reachable, and the top of p is kept whenever it can be', () => {
    const rng = new TestRandom(12);
    for (let trial = 0; trial < 200; trial++) {
      const layers = rng.int(1, 5);
      const cost: CostModel = { unit: 'ms', fixed: rng.next(), candidates: Array.from({ length: layers }, () => Array.from({ length: rng.int(1, 7) }, () => 3 * rng.next())), source: 'test' };
      const live = cost.candidates.map((row) => row.map(() => rng.next() < 0.8));
      live.forEach((row) => (row.some(Boolean) ? null : (row[0] = true)));
      const p = live.map((row) => row.map((on) => (on ? rng.next() : 0)));
      const { min, max } = costRange(cost, live);
      const target = min + rng.next() * (max - min);
      const r = survivorsOf(p, live, cost, target);
      expect(costRange(cost, r.live).min).toBeLessThanOrEqual(target + 1e-12);
      r.live.forEach((row, l) => {
        const before = live[l].filter(Boolean).length;
        expect(row.filter(Boolean).length).toBe(Math.ceil(before / 2));
        row.forEach((on, j) => on && expect(live[l][j]).toBe(true));
      });
      const free = survivorsOf(p, live, cost);
      if (costRange(cost, free.live).min <= target) {
        // layer by layer the free choice stays reachable only if every layer's is; then nothing is swapped
        const swapped = r.removed.some((x) => x.reason.includes('keep the target'));
        if (!swapped) expect(r.live).toEqual(free.live);
      }
    }
  });

  it('a search under a tight target never prunes it out of reach, and its result meets it', async () => {
    const { min } = costRange(COST);
    const target = min * 1.05;
    const net = new Supernet(SPACE, 8);
    const events: SearchEvent[] = [];
    const ctx = context(net, 8, events);
    const emit = ctx.emit;
    const reachable: number[] = [];
    ctx.emit = (e) => {
      emit(e);
      if (e.type === 'epoch') reachable.push(costRange(COST, net.structure().live).min);
    };
    const strategy = createDanas(TINY, SPACE, COST, target);
    expect(strategy.target).toBe(target);
    await run(strategy, ctx);
    for (const m of reachable) expect(m).toBeLessThanOrEqual(target);
    expect(architectureCostOf(COST, strategy.derive())).toBeLessThanOrEqual(target);
    // the filter did act: the top half by p alone would have left the target behind
    expect(events.some((e) => e.type === 'prune' && e.reason.includes('keep the target'))).toBe(true);
    net.dispose();
  });
});

describe('DA-NAS cost accounting', () => {
  it('images and steps per stage, the plain ProxylessNAS estimate, and the log', async () => {
    const net = new Supernet(SPACE, 9);
    const events: SearchEvent[] = [];
    const strategy = createDanas(TINY, SPACE, COST);
    await run(strategy, context(net, 9, events));
    const r = strategy.costReport();
    // every batch here is full: 16 images (the 3-class stage still has ≥ 16 validation samples)
    expect(r.stages.map((s) => [s.stage, s.classes, s.weightSteps, s.archSteps, s.evaluations])).toEqual([
      [0, 10, 4, 0, 3],
      [1, 3, 3, 1, 0],
      [2, 5, 5, 2, 0],
      [3, 8, 8, 4, 0],
      [4, 10, 10, 5, 0],
    ]);
    for (const s of r.stages) {
      expect(s.images).toBe(16 * (s.weightSteps + s.archSteps) + 80 * s.evaluations);
      expect(s.seconds).toBeGreaterThan(0);
      expect(s.cpuSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(r.total.images).toBe(r.stages.reduce((a, s) => a + s.images, 0));
    expect(r.total.seconds).toBeCloseTo(r.stages.reduce((a, s) => a + s.seconds, 0), 12);
    expect(r.plain).toMatchObject({ weightSteps: 30, archSteps: 12, images: 16 * 42 });
    expect(r.plain.estimatedSeconds).toBeGreaterThan(0);
    expect(r.plain.estimatedCpuSeconds).toBeGreaterThan(0);
    // the log carries the same figures
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e] : []));
    expect(epochs.map((e) => [e.epoch, e.images, e.weightSteps, e.archSteps])).toEqual(r.stages.map((s) => [s.stage, s.images, s.weightSteps, s.archSteps]));
    epochs.forEach((e, k) => {
      expect(e.seconds).toBeCloseTo(r.stages[k].seconds, 12);
      expect(e.cpuSeconds).toBeCloseTo(r.stages[k].cpuSeconds, 12);
    });
    const summary = events.at(-1);
    expect(summary?.type).toBe('message');
    expect(summary?.type === 'message' ? summary.text : '').toMatch(/plain ProxylessNAS run of the same 30 weight and 12 architecture steps .* 672 images, estimated [\d.]+ s \(CPU [\d.]+ s\).*DA-NAS \/ plain: [\d.]+× wall, [\d.]+× CPU/);
    net.dispose();
  });
});

describe('DA-NAS resume through the runner', () => {
  const config = { strategy: 'danas', options: TINY };
  const options = (dir: string, extra = {}) => {
    const net = new Supernet(SPACE, 11);
    return { strategy: createDanas(TINY, SPACE, COST), space: SPACE, net, data: DATA, cost: COST, seed: 3, config, dir, checkpointSeconds: 0, ...extra };
  };
  // measured times (the seconds and cpuSeconds fields, the cost messages) differ between any two runs
  const events = (dir: string) =>
    readFileSync(join(dir, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.type !== 'start' && e.type !== 'checkpoint')
      .map(({ time: _t, seconds: _s, cpuSeconds: _c, ...rest }) => (rest.type === 'message' && / in [\d.]+ s/.test(String(rest.text)) ? { type: 'message' } : rest));
  const timeless = (state: Record<string, unknown>) => {
    const { costs: _c, whole: _w, ...rest } = state;
    return rest;
  };

  it('stopped in the warmup, the evaluation, a stage, at a pruning and in the last stage, it ends as an uninterrupted run', async () => {
    const whole = join(root, 'whole');
    const a = options(whole);
    const resultA = await runSearch(a);
    const stateA = a.strategy.saveState();
    const liveA = a.net.structure();
    a.net.dispose();
    expect(resultA.units).toBe(48);
    for (const stopAt of [2, 6, 10, 12, 20, 40]) {
      const dir = join(root, `stopped-${stopAt}`);
      const { resumed: second, result: resultB } = await stopAndResume(options, dir, stopAt);
      expect(resultB.choices, `stopped at ${stopAt}`).toEqual(resultA.choices);
      expect(timeless(second.strategy.saveState())).toEqual(timeless(stateA));
      expect(second.net.structure()).toEqual(liveA);
      expect(events(dir)).toEqual(events(whole));
      expect(readFileSync(join(dir, 'architecture.json'), 'utf8')).toBe(readFileSync(join(whole, 'architecture.json'), 'utf8'));
      second.net.dispose();
    }
  });
});

describe('DA-NAS on the stripes task', () => {
  it('keeps the k5 candidate, the only one that solves it', async () => {
    const data = stripesData(3);
    const cost = flopsCostModel(STRIPES_SPACE);
    for (const seed of [1, 2, 3]) {
      const net = new Supernet(STRIPES_SPACE, seed);
      const events: SearchEvent[] = [];
      const strategy = createDanas({ batchSize: 32, archBatchSize: 32, warmupSteps: 60, searchSteps: 240, archEvery: 2, archLr: 0.05, evalPaths: 4, valSamples: 128 }, STRIPES_SPACE, cost);
      await run(strategy, context(net, seed, events, data, STRIPES_SPACE, cost));
      expect(strategy.schedule().map((s) => s.classes)).toEqual([2, 2, 2, 2]);
      expect(net.structure().live[1].filter(Boolean)).toHaveLength(1); // 4 → 2 → 1
      expect(strategy.derive(), `seed ${seed}`).toEqual([0, STRIPES_GOOD]);
      net.dispose();
    }
    data.train.dispose();
  });
});

describe('DA-NAS bad config and state', () => {
  const bad: [unknown, RegExp][] = [
    [{ bogus: 1 }, /danas config: .*"bogus"/],
    [{ fractions: [0.5, 0.25, 1] }, /danas config: fractions: must not decrease/],
    [{ fractions: [0.25, 0.5] }, /danas config: fractions: the last stage trains on all classes/],
    [{ fractions: [0, 1] }, /danas config: fractions\.0/],
    [{ fractions: [] }, /danas config: fractions/],
    [{ stageSteps: [5, 5] }, /danas config: stageSteps: 2 entries for the 4 stages/],
    [{ stageSteps: [5, 0, 5, 5] }, /danas config: stageSteps\.1/],
    [{ searchSteps: 3 }, /danas config: searchSteps: 3 weight steps leave stage 1/],
    [{ classOrder: [0, 1, 2] }, /danas config: classOrder: must be a permutation of the 10 classes/],
    [{ classOrder: [0, 0, 1, 2, 3, 4, 5, 6, 7, 8] }, /danas config: classOrder/],
    [{ classOrder: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, /danas config: classOrder/],
    [{ classOrder: [0.5] }, /danas config: classOrder\.0/],
    [{ minClasses: 0 }, /danas config: minClasses/],
    [{ evalPaths: 0 }, /danas config: evalPaths/],
    [{ archEvery: 0 }, /danas config: archEvery/],
    [{ archMode: 'all' }, /danas config: archMode/],
    [{ constraint: { target: 0.0001, lossForm: 'additive' } }, /danas config: target 0.0001 MMACs is below the cheapest architecture/],
  ];
  for (const [config, message] of bad)
    it(`${JSON.stringify(config)} → PrunasRangeError`, () => {
      expect(() => createDanas(config, SPACE, COST)).toThrow(PrunasRangeError);
      expect(() => createDanas(config, SPACE, COST)).toThrow(message);
    });

  it('a target below the cheapest architecture, the multiplicative loss on the wrong side of 1, a foreign cost model, a bad state', () => {
    expect(() => createDanas({}, SPACE, COST, costRange(COST).min / 2)).toThrow(/danas config: target .* below the cheapest architecture/);
    const stripesCost = flopsCostModel(STRIPES_SPACE);
    expect(costRange(stripesCost).max).toBeLessThan(1);
    expect(() => createDanas({ constraint: { target: 2 } }, STRIPES_SPACE, stripesCost)).toThrow(/^danas config: constraint\.target: the multiplicative loss/);
    expect(() => createDanas({}, SPACE, stripesCost)).toThrow(/danas: the cost model/);
    const strategy = createDanas(TINY, SPACE, COST);
    const state = strategy.saveState();
    expect(() => strategy.loadState({ ...state, phase: 'later' })).toThrow(/danas state: phase/);
    expect(() => strategy.loadState({ ...state, stage: 4 })).toThrow(/danas state: its stages/);
    expect(() => strategy.loadState({ ...state, extra: 1 })).toThrow(PrunasRangeError);
    expect(() => strategy.loadState({ ...state, proxyless: { ...(state.proxyless as object), live: [[true]] } })).toThrow(/proxyless state: live/);
  });

  it('defaults: four stages at 0.25, 0.5, 0.75, 1; ProxylessNAS defaults inside', () => {
    const c = createDanas({}, SPACE, COST).config;
    expect(c).toMatchObject({ fractions: [0.25, 0.5, 0.75, 1], minClasses: 2, classOrder: null, stageSteps: null, warmupSteps: 1000, searchSteps: 5000, archEvery: 5, archMode: 'pair', archLr: 1e-3, constraint: null });
  });
});
