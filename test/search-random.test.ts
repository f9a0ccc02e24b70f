// Random search: uniform seeded draws under the cost target, each candidate
// trained from scratch as its own network (the same as training it alone),
// the best by validation accuracy, a resume in the middle of a candidate,
// and errors that name the bad value.
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { architectureCostOf, costRange, flopsCostModel } from '../src/search/cost-model.js';
import { createRandom, sampleArchitectures } from '../src/search/random.js';
import { architectureOf, BatchStream, type SearchContext, type SearchEvent } from '../src/search/strategy.js';
import { defineSpace, layersOf, proxylessSmall } from '../src/space/index.js';
import { fixedSpace } from '../src/train/fixed.js';
import { cosineWithWarmup } from '../src/train/schedule.js';
import { advanceUntilDone as run, searchContext, syntheticSearchData } from './helpers/search-context.js';
import { STRIPES_GOOD, STRIPES_SPACE, stripesData } from './helpers/stripes.js';

// one thread: tiny layers, and the machine may be busy (a pool waits for its slowest thread)
native.setThreads(1);

const space = proxylessSmall({ widthMult: 0.25, resolution: 8 });
const cost = flopsCostModel(space);
const data = syntheticSearchData(space, { seed: 9 });
const train = data.train;
const supernet = new Supernet(space, 1);
afterAll(() => {
  supernet.dispose();
  train.dispose();
});

function context(events: SearchEvent[]): SearchContext {
  return searchContext(space, supernet, data, 4, events, cost);
}

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
/** 4 · 3 · 3 = 36 architectures */
const few = defineSpace({
  name: 'few',
  input: { height: 8, width: 8, channels: 1 },
  classes: 10,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [
    {
      name: 's',
      layers: [
        { name: 'a', candidates: [mb(3, 3, 1, 8), mb(5, 3, 1, 8), mb(3, 1, 1, 8), { kind: 'zero' }] },
        { name: 'b', candidates: [mb(3, 3, 2, 12), mb(5, 3, 2, 12), mb(3, 6, 2, 12)] },
        { name: 'c', candidates: [mb(3, 3, 1, 12), mb(5, 1, 1, 12), { kind: 'zero' }] },
      ],
    },
  ],
});

const CONFIG = { count: 3, budgetSteps: 4, batchSize: 8, lr: 0.05, valSamples: 32, warmupFraction: 0.25 };
const { min, max } = costRange(cost);
const TARGET = min + 0.3 * (max - min);

describe('random search', () => {
  it('samples only architectures within the target, where unconstrained draws often exceed it', () => {
    const constrained = sampleArchitectures(space, cost, { count: 40, target: TARGET, distinct: true, maxDraws: 10000 }, 4);
    expect(constrained).toHaveLength(40);
    for (const choices of constrained) expect(architectureCostOf(cost, choices)).toBeLessThanOrEqual(TARGET);
    expect(new Set(constrained.map((c) => c.join(','))).size).toBe(40);
    const free = sampleArchitectures(space, cost, { count: 40, distinct: true, maxDraws: 10000 }, 4);
    expect(free.filter((choices) => architectureCostOf(cost, choices) > TARGET).length).toBeGreaterThan(10);
  });

  it('draws the same architectures from the same seed and others from another', () => {
    const draw = (seed: number) => sampleArchitectures(space, cost, { count: 10, target: TARGET, distinct: true, maxDraws: 10000 }, seed);
    expect(draw(4)).toEqual(draw(4));
    expect(draw(5)).not.toEqual(draw(4));
  });

  it('draws each layer\'s candidates uniformly', () => {
    const n = 2000;
    const draws = sampleArchitectures(space, cost, { count: n, distinct: false, maxDraws: 1 }, 11);
    layersOf(space).forEach((layer, l) => {
      const k = layer.candidates.length;
      const counts = new Array<number>(k).fill(0);
      for (const d of draws) counts[d[l]]++;
      // chi-square with k − 1 ≤ 6 degrees of freedom: 22.5 is its 0.999 quantile at 6
      const chi2 = counts.reduce((s, c) => s + (c - n / k) ** 2 / (n / k), 0);
      expect(chi2).toBeLessThan(22.5);
    });
  });

  it('trains each candidate from scratch with the same budget and picks the best (ties: cheaper)', async () => {
    const before = supernet.saveState().parameters.map((p) => p.value);
    const events: SearchEvent[] = [];
    const strategy = createRandom({ ...CONFIG, target: TARGET }, space, cost);
    expect(strategy.progress()).toEqual({ done: 0, total: 15 });
    expect(await run(strategy, context(events))).toBe(15);
    expect(strategy.progress()).toEqual({ done: 15, total: 15 });
    const results = strategy.results();
    expect(results.map((r) => r.choices)).toEqual(strategy.architectures());
    expect(events.filter((e) => e.type === 'evaluate')).toEqual(results.map((r, i) => ({ type: 'evaluate', step: (i + 1) * 4, ...r })));
    for (const r of results) expect(r.cost).toBeLessThanOrEqual(TARGET);
    const best = [...results].sort((a, b) => b.accuracy - a.accuracy || a.cost - b.cost)[0];
    expect(strategy.derive()).toEqual(best.choices);

    // the last candidate, trained alone by hand, reaches exactly the same validation accuracy
    const alone = new Supernet(fixedSpace(space, architectureOf(space, results[2].choices)), 4);
    const choices = alone.layers.map(() => 0);
    const stream = new BatchStream(train, data.trainIndices, 8, 4, 1, { pad: 1, hflip: true });
    for (let step = 0; step < 4; step++)
      await alone.weightStep({ mode: 'single', choices, samples: stream.batch(step), lr: cosineWithWarmup(step, 4, 1, 0.05), weightDecay: 4e-5, labelSmoothing: 0.1 });
    // valSamples covers all of valIndices (in a seeded order, which eval mode does not see)
    const evaluation = await alone.evaluate({ samples: { dataset: train, indices: data.valIndices }, choices });
    expect(evaluation.correct / evaluation.count).toBe(results[2].accuracy);
    alone.dispose();

    // the search's supernet is not touched
    supernet.saveState().parameters.forEach((p, i) => expect(p.value).toEqual(before[i]));
  });

  it('resumed in the middle of a candidate retrains it and ends identical', async () => {
    const whole = createRandom(CONFIG, space, cost);
    const wholeEvents: SearchEvent[] = [];
    await run(whole, context(wholeEvents));

    const first = createRandom(CONFIG, space, cost);
    await run(first, context([]), 7); // candidate 0 done (5 units), candidate 1 at step 2
    const saved = JSON.parse(JSON.stringify(first.saveState()));
    const resumed = createRandom(CONFIG, space, cost);
    resumed.loadState(saved);
    expect(resumed.progress().done).toBe(5);
    const events: SearchEvent[] = [];
    expect(await run(resumed, context(events))).toBe(10);
    expect(events).toEqual(wholeEvents.slice(5));
    expect(resumed.results()).toEqual(whole.results());
    expect(resumed.derive()).toEqual(whole.derive());
  });

  it('finds the only architecture that solves the stripes task', async () => {
    const stripes = stripesData();
    const stripesCost = flopsCostModel(STRIPES_SPACE);
    for (const seed of [1, 2, 3]) {
      // all four architectures of the space, 60 steps each
      const strategy = createRandom({ count: 4, budgetSteps: 60, batchSize: 32, valSamples: 128 }, STRIPES_SPACE, stripesCost);
      await run(strategy, searchContext(STRIPES_SPACE, supernet, stripes, seed, [], stripesCost));
      expect(strategy.architectures().map((a) => a[1]).sort()).toEqual([0, 1, 2, 3]);
      expect(strategy.derive()).toEqual([0, STRIPES_GOOD]);
      const accuracy = Object.fromEntries(strategy.results().map((r) => [r.choices[1], r.accuracy]));
      expect(accuracy[STRIPES_GOOD]).toBeGreaterThan(0.9);
      for (const k of [0, 2, 3]) expect(accuracy[k]).toBeLessThan(0.7);
    }
    stripes.train.dispose();
  });

  it('refuses an impossible target, a bad config and a foreign state, naming the value', () => {
    expect(() => createRandom({ target: min / 2 }, space, cost)).toThrow(PrunasRangeError);
    expect(() => createRandom({ target: min / 2 }, space, cost)).toThrow(new RegExp(`random config: target ${min / 2} MMACs is below the cheapest architecture of proxyless-small \\(${min.toFixed(3)}`));
    expect(() => createRandom({}, space, cost, min / 3)).toThrow(new RegExp(`target ${min / 3} MMACs`));
    // exactly one of the 36 architectures of `few` costs the minimum: a second distinct one cannot be found
    const fewCost = flopsCostModel(few);
    const fewMin = costRange(fewCost).min;
    expect(sampleArchitectures(few, fewCost, { count: 1, target: fewMin, distinct: true, maxDraws: 2000 }, 1)).toHaveLength(1);
    expect(() => sampleArchitectures(few, fewCost, { count: 2, target: fewMin, distinct: true, maxDraws: 2000 }, 1)).toThrow(
      new RegExp(`found only 1 of 2 distinct architectures within the target ${fewMin} MMACs after 2000 draws`),
    );
    expect(() => createRandom({ count: 0 }, space, cost)).toThrow(/random config: count/);
    expect(() => createRandom({ budgetSteps: 'many' }, space, cost)).toThrow(/random config: budgetSteps/);
    expect(() => createRandom({ budget: 10 }, space, cost)).toThrow(/"budget"/);
    const strategy = createRandom({}, space, cost);
    expect(() => strategy.loadState({ architectures: [[0, 1]], results: [] })).toThrow(/not of proxyless-small/);
    expect(() => strategy.loadState({ architectures: null })).toThrow(/random state: results/);
    expect(() => strategy.derive()).toThrow(/no architecture has been evaluated yet/);
  });
});
