// DNA: assembly against brute force, Kendall's τ against hand counts, a
// block ranking where the teacher's own op (with its weights) must win,
// a whole search through the runner stopped and resumed, bad configs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { native } from '../src/native.js';
import { costRange, flopsCostModel } from '../src/search/cost-model.js';
import { assemble, createDna, decodeEncoding, dnaBlocks, encodeChoices, kendallTau, type AssemblyItem } from '../src/search/dna.js';
import { runSearch, type RunEvent } from '../src/search/runner.js';
import { architectureOf, type SearchContext, type SearchEvent } from '../src/search/strategy.js';
import { defineSpace, layersOf, proxylessSmall } from '../src/space/index.js';
import { architectureCost } from '../src/space/cost.js';
import { writeCheckpoint } from '../src/train/checkpoint.js';
import { trainArchitecture } from '../src/train/trainer.js';
import { TestRandom } from './helpers/random.js';
import { searchContext, syntheticSearchData } from './helpers/search-context.js';

native.setThreads(1);

const root = mkdtempSync(join(tmpdir(), 'prunas-dna-'));
const space = proxylessSmall({ widthMult: 0.25, resolution: 8 });
const layers = layersOf(space);
const cost = flopsCostModel(space);
const data = syntheticSearchData(space, { seed: 9 });
const train = data.train;
/** the teacher: supernet-layer choices (the first stage's fixed layer, then three stages) */
const TEACHER = layers.map((l) => (l.searchable ? (l.index * 3) % (l.candidates.length - 1) : 0));
const teacherFile = join(root, 'teacher', 'checkpoint.pb');
let teacherNet: Supernet;

/** Two blocks of 6 and 2 encodings, for a search short enough to stop at every phase. */
const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
const mini = defineSpace({
  name: 'mini',
  input: { height: 8, width: 8, channels: 1 },
  classes: 10,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [
    { name: 's1', layers: [{ name: 'a', candidates: [mb(3, 3, 2, 8), mb(5, 3, 2, 8)] }, { name: 'b', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), { kind: 'zero' }] }] },
    { name: 's2', layers: [{ name: 'c', candidates: [mb(3, 3, 2, 12), mb(3, 6, 2, 12)] }] },
  ],
});
const miniTeacherFile = join(root, 'mini-teacher', 'checkpoint.pb');

beforeAll(async () => {
  const config = { epochs: 1, batchSize: 16, lr: 0.05, evalBatchSize: 48 };
  const r = await trainArchitecture({ space, architecture: architectureOf(space, TEACHER), train, test: train, config, dir: join(root, 'teacher') });
  teacherNet = r.net;
  const m = await trainArchitecture({ space: mini, architecture: architectureOf(mini, [1, 0, 1]), train, test: train, config, dir: join(root, 'mini-teacher') });
  m.net.dispose();
});
afterAll(() => {
  teacherNet.dispose();
  train.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('DNA assembly', () => {
  it('finds the brute-force optimum of small problems under a budget', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = new TestRandom(seed);
      const blocks: AssemblyItem[][] = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => ({ score: rnd.next(), cost: rnd.int(1, 20) })));
      const budget = rnd.int(3, 60);
      let best: { picks: number[]; score: number } | null = null;
      for (let a = 0; a < 5; a++)
        for (let b = 0; b < 5; b++)
          for (let c = 0; c < 5; c++) {
            const picks = [a, b, c];
            const total = picks.reduce((s, p, i) => s + blocks[i][p].cost, 0);
            const score = picks.reduce((s, p, i) => s + blocks[i][p].score, 0);
            if (total <= budget && (!best || score < best.score)) best = { picks, score };
          }
      const found = assemble(blocks, budget);
      if (!best) {
        expect(found, `seed ${seed}`).toBeNull();
        continue;
      }
      expect(found!.picks, `seed ${seed}`).toEqual(best.picks);
      expect(found!.score).toBeCloseTo(best.score, 12);
      expect(found!.cost).toBeLessThanOrEqual(budget);
      expect(found!.visited).toBeLessThanOrEqual(5 + 25 + 125);
    }
  });

  it('without a budget takes each block best', () => {
    const blocks = [
      [{ score: 3, cost: 1 }, { score: 1, cost: 9 }],
      [{ score: 0.5, cost: 9 }, { score: 2, cost: 1 }],
    ];
    expect(assemble(blocks)!.picks).toEqual([1, 0]);
    expect(assemble(blocks, 10)!.picks).toEqual([1, 1]); // 1 + 2 beats 3 + 0.5
    expect(assemble(blocks, 1)).toBeNull();
  });
});

describe('Kendall τ', () => {
  it('matches hand counts, with and without ties (τ-b)', () => {
    // pairs of [3,1,2,5,4] against ascending ranks: 7 concordant, 3 discordant
    expect(kendallTau([1, 2, 3, 4, 5], [3, 1, 2, 5, 4])).toBeCloseTo(0.4, 12);
    // 3 concordant, 1 discordant, one pair tied only in a, one only in b: 2 / √(5·5)
    expect(kendallTau([1, 2, 2, 3], [1, 3, 2, 2])).toBeCloseTo(0.4, 12);
    expect(kendallTau([1, 2, 3], [30, 20, 10])).toBe(-1);
    expect(() => kendallTau([1], [1, 2])).toThrow(/lists of 1 and 2/);
  });
});

describe('DNA blocks and encodings', () => {
  it('cuts proxyless-small at its searchable stages and numbers every encoding once', () => {
    const blocks = dnaBlocks(space);
    expect(blocks.map((b) => [b.stage, b.encodings])).toEqual([
      ['stage1', 6 * 7 * 7],
      ['stage2', 6 * 7 * 7],
      ['stage3', 6 * 7],
    ]);
    const seen = new Set<string>();
    for (let e = 0; e < blocks[0].encodings; e++) {
      const c = decodeEncoding(blocks[0].counts, e);
      expect(encodeChoices(blocks[0].counts, c)).toBe(e);
      seen.add(c.join(','));
    }
    expect(seen.size).toBe(294);
  });
});

function context(net: Supernet, events: SearchEvent[] = []): SearchContext {
  return searchContext(space, net, data, 4, events, cost);
}

describe('DNA search', () => {
  it('ranks first the encoding that is the teacher op with the teacher weights', async () => {
    const net = new Supernet(space, 1);
    // the teacher's stage2 path, weights and all, inside the student supernet
    const block = dnaBlocks(space)[1];
    const teacherLayer = new Map<number, number>();
    let kept = 0;
    layers.forEach((l) => {
      if (l.candidates[TEACHER[l.index]].kind !== 'zero') teacherLayer.set(l.index, kept++);
    });
    const own = teacherNet.saveParameters((name) => {
      const m = /^layers\.(\d+)\./.exec(name);
      return m !== null && [...teacherLayer].some(([l, t]) => t === Number(m[1]) && l >= block.first && l <= block.last);
    });
    const student = (name: string) => {
      const t = Number(/^layers\.(\d+)\./.exec(name)![1]);
      const l = [...teacherLayer].find(([, tl]) => tl === t)![0];
      return name.replace(/^layers\.\d+\.op0\./, `layers.${l}.op${TEACHER[l]}.`);
    };
    net.loadParameters(own.map((p) => ({ ...p, name: student(p.name) })));
    const events: SearchEvent[] = [];
    const dna = createDna({ teacher: teacherFile, epochs: 1, stepsPerEpoch: 1, lr: 1e-12, batchSize: 16, rankBatches: 2 }, space, cost);
    const ctx = context(net, events);
    while (!(await dna.advance(ctx)));
    const ranking = dna.rankings()[1];
    const mine = encodeChoices(block.counts, TEACHER.slice(block.first, block.last + 1));
    for (const metric of ['mse', 'mse_var', 'l1_std'] as const) {
      const sorted = ranking.map((r, e) => [r[metric], e]).sort((a, b) => a[0] - b[0]);
      expect(sorted[0][1], metric).toBe(mine);
      // not 0: the teacher normalises with each ranking batch's statistics, the student with the recalibration batch's
      expect(sorted[0][0]).toBeLessThan(0.5 * sorted[Math.floor(sorted.length / 2)][0]);
    }
    // the derived architecture is the assembly's, and its score the sum of its block metrics
    const choices = dna.derive();
    expect(choices.slice(block.first, block.last + 1)).toEqual(TEACHER.slice(block.first, block.last + 1));
    const scores = dna.blocks.map((b, i) => Math.min(...dna.rankings()[i].map((r) => r.mse_var)));
    expect(dna.scoreOf(choices)).toBeCloseTo(scores.reduce((a, b) => a + b, 0), 10);
    const rank = events.filter((e) => e.type === 'epoch' && e.phase === 'rank');
    expect(rank).toHaveLength(3);
    for (const e of rank) expect(e.encodingsPerSecond as number).toBeGreaterThan(0);
    dna.release();
    net.dispose();
  });

  it('keeps within a MACs target and scores no worse than any architecture under it', async () => {
    const net = new Supernet(space, 2);
    const { min, max } = costRange(cost);
    const target = min + 0.3 * (max - min);
    const dna = createDna({ teacher: teacherFile, stepsPerEpoch: 2, batchSize: 16, rankBatches: 1, metric: 'l1_std' }, space, cost, target);
    const ctx = context(net);
    while (!(await dna.advance(ctx)));
    const choices = dna.derive();
    const costOf = (c: number[]) => c.reduce((s, j, l) => s + cost.candidates[l][j], cost.fixed);
    expect(costOf(choices)).toBeLessThanOrEqual(target);
    const rnd = new TestRandom(3);
    let tried = 0;
    for (let i = 0; i < 2000; i++) {
      const other = layers.map((l) => rnd.int(0, l.candidates.length - 1));
      if (costOf(other) > target) continue;
      tried++;
      expect(dna.scoreOf(other, 'l1_std')).toBeGreaterThanOrEqual(dna.scoreOf(choices, 'l1_std') - 1e-12);
    }
    expect(tried).toBeGreaterThan(50);
    dna.release();
    net.dispose();
  });

  it('keeps within a parameter budget, counted by the space cost functions', async () => {
    const net = new Supernet(space, 5);
    const params = (c: number[]) => architectureCost(space, architectureOf(space, c)).params / 1e6;
    const all = layers.map((l) => (l.searchable ? 5 : 0)); // MBConv k7 e6 everywhere
    const least = layers.map((l) => (l.candidates.length === 7 ? 6 : 0));
    const target = (params(least) + params(all)) / 3;
    const dna = createDna({ teacher: teacherFile, stepsPerEpoch: 1, batchSize: 16, rankBatches: 1, budget: 'params', target }, space, cost);
    const ctx = context(net);
    while (!(await dna.advance(ctx)));
    const choices = dna.derive();
    expect(params(choices)).toBeLessThanOrEqual(target);
    const rnd = new TestRandom(8);
    let tried = 0;
    for (let i = 0; i < 2000; i++) {
      const other = layers.map((l) => rnd.int(0, l.candidates.length - 1));
      if (params(other) > target) continue;
      tried++;
      expect(dna.scoreOf(other)).toBeGreaterThanOrEqual(dna.scoreOf(choices) - 1e-12);
    }
    expect(tried).toBeGreaterThan(20);
    dna.release();
    net.dispose();
  });

  it('stopped anywhere and resumed through the runner, ends as an uninterrupted search', async () => {
    const config = { strategy: 'dna', options: { teacher: miniTeacherFile, epochs: 2, stepsPerEpoch: 3, batchSize: 16, rankBatches: 2 } };
    const miniCost = flopsCostModel(mini);
    const run = (dir: string, extra: { signal?: AbortSignal; onProgress?: () => void; resume?: boolean } = {}) => {
      const net = new Supernet(mini, 11);
      const strategy = createDna(config.options, mini, miniCost);
      return { net, strategy, go: () => runSearch({ strategy, space: mini, net, data, cost: miniCost, seed: 3, config, dir, checkpointSeconds: 0, ...extra }) };
    };
    const events = (dir: string) =>
      readFileSync(join(dir, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.type !== 'start' && e.type !== 'message')
        .map(({ time: _t, seconds: _s, encodingsPerSecond: _e, ...rest }) => rest);
    const whole = run(join(root, 'whole'));
    const a = await whole.go();
    const stateA = whole.strategy.saveState();
    whole.strategy.release();
    whole.net.dispose();
    expect(a.units).toBe(2 * 3 + 6 + 2 + 1);
    // in training (1, 4), in the first block's ranking (8), in the last one's (13), before the assembly (14)
    for (const stopAt of [1, 4, 8, 13, 14]) {
      const dir = join(root, `stopped-${stopAt}`);
      const stop = new AbortController();
      let done = 0;
      const first = run(dir, { signal: stop.signal, onProgress: () => (++done === stopAt ? stop.abort() : undefined) });
      await expect(first.go()).rejects.toThrow();
      first.strategy.release();
      first.net.dispose();
      const second = run(dir, { resume: true });
      const b = await second.go();
      expect(b.choices).toEqual(a.choices);
      expect(second.strategy.saveState()).toEqual(stateA);
      expect(events(dir)).toEqual(events(join(root, 'whole')));
      second.strategy.release();
      second.net.dispose();
    }
    const done = events(join(root, 'whole')).find((e) => e.type === 'done') as Extract<RunEvent, { type: 'done' }> | undefined;
    expect(done?.choices).toEqual(a.choices);
  }, 120_000);

  it('rejects a missing teacher file, a teacher of another space and a target below the cheapest architecture', async () => {
    expect(() => createDna({ teacher: join(root, 'nothing.pb') }, space, cost)).toThrow(/teacher: no file .*nothing\.pb/);
    expect(() => createDna({ teacher: teacherFile, metric: 'mae' }, space, cost)).toThrow(/dna config: metric/);
    expect(() => createDna({ teacher: teacherFile, target: 0.001 }, space, cost)).toThrow(/target 0.001 MMACs is below the cheapest/);
    expect(() => createDna({ teacher: teacherFile, budget: 'latency' }, space, cost)).toThrow(/budget latency needs a latency cost model/);
    const other = proxylessSmall({ widthMult: 0.5, resolution: 8 });
    const wrong = join(root, 'wrong.pb');
    await writeCheckpoint(wrong, { spaceJson: JSON.stringify(other), architectureJson: '{}', configJson: '{}', epochsDone: 0, stepsDone: 0, state: { parameters: [], batchnorm: [] }, history: [] });
    const net = new Supernet(space, 1);
    const dna = createDna({ teacher: wrong }, space, cost);
    await expect(dna.advance(context(net))).rejects.toThrow(/teacher .*wrong\.pb was trained in space proxyless-small, which is not the search space proxyless-small \(same name, other layers or widths\)/);
    net.dispose();
  });
});
