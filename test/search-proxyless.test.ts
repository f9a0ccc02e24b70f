// ProxylessNAS strategy: a toy task it must solve end to end on the engine,
// the pair rescale, the constraint loss and the gate-value gradients against
// finite differences, the strategy's α update against those formulas applied
// to the engine's gates, exact resume through JSON, removals, bad config.
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { adamStep, gateGradient, probabilitiesOf, rescalePair } from '../src/search/alpha.js';
import { architectureCostOf, costRange, expectedCostOf, flopsCostModel, type CostModel } from '../src/search/cost-model.js';
import { constraintLoss, type Constraint } from '../src/search/latency-loss.js';
import { ARCH_BATCH_STREAM, createProxyless, ProxylessStrategy, type ProxylessConfigInput, type ProxylessState } from '../src/search/proxyless.js';
import { BatchStream, type SearchContext, type SearchEvent } from '../src/search/strategy.js';
import { proxylessSmall } from '../src/space/builtin.js';
import { TestRandom } from './helpers/random.js';
import { advanceUntilDone as run, searchContext, syntheticSearchData } from './helpers/search-context.js';
import { STRIPES_GOOD, STRIPES_SPACE, stripesData } from './helpers/stripes.js';
import { alphaDifferences } from './helpers/alpha-differences.js';

// one thread: tiny layers, and the machine may be busy (a pool waits for its slowest thread)
native.setThreads(1);
const COST = flopsCostModel(STRIPES_SPACE);

const DATA = stripesData();
afterAll(() => DATA.train.dispose());

function context(net: Supernet, seed: number, events: SearchEvent[] = []): SearchContext {
  return searchContext(STRIPES_SPACE, net, DATA, seed, events, COST);
}

const SMALL: ProxylessConfigInput = { batchSize: 32, archBatchSize: 32, warmupSteps: 4, searchSteps: 12, archEvery: 2, archLr: 0.05 };

/** Advances until the next unit is an architecture step. */
async function untilArchStep(strategy: ProxylessStrategy, ctx: SearchContext): Promise<ProxylessState> {
  const { warmupSteps, archEvery } = strategy.config;
  for (;;) {
    const s = strategy.saveState();
    if (s.weightSteps - warmupSteps >= (s.archSteps + 1) * archEvery) return s;
    await strategy.advance(ctx);
  }
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const e = values.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('ProxylessNAS end to end', () => {
  it('learns to prefer the only candidate that can solve the task', async () => {
    const net = new Supernet(STRIPES_SPACE, 7);
    const events: SearchEvent[] = [];
    const strategy = createProxyless({ ...SMALL, warmupSteps: 60, searchSteps: 300 }, STRIPES_SPACE, COST);
    await run(strategy, context(net, 7, events));
    const p = strategy.probabilities();
    expect(p[0]).toEqual([1]); // the fixed layer
    expect(p[1][STRIPES_GOOD]).toBeGreaterThan(0.6); // uniform: 0.25
    expect(strategy.derive()).toEqual([0, STRIPES_GOOD]);
    expect(strategy.progress()).toEqual({ done: 510, total: 510 });

    // the premise: on held-out samples the k5 path is far better than chance, the others are not
    const samples = { dataset: DATA.train, indices: DATA.valIndices };
    const accuracy = [0, 1, 2, 3].map((k) => {
      const r = net.evaluateSync({ samples, choices: [0, k] });
      return r.correct / r.count;
    });
    expect(accuracy[STRIPES_GOOD]).toBeGreaterThan(0.9);
    for (const k of [0, 2, 3]) expect(accuracy[k]).toBeLessThan(0.7);

    // events: one per unit, a distribution after every architecture step
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => (e.type === 'step' ? e.phase : ''))).toEqual([
      ...new Array(60).fill('warmup'),
      ...Array.from({ length: 450 }, (_, i) => (i % 3 === 2 ? 'arch' : 'weights')),
    ]);
    const distributions = events.filter((e) => e.type === 'distribution');
    expect(distributions).toHaveLength(150);
    expect(distributions[149]).toEqual({ type: 'distribution', step: 510, probabilities: p });
    net.dispose();
  });

  it('keeps α frozen during warmup and samples paths uniformly', async () => {
    const net = new Supernet(STRIPES_SPACE, 1);
    const strategy = createProxyless({ ...SMALL, warmupSteps: 40 }, STRIPES_SPACE, COST);
    const ctx = context(net, 1);
    await strategy.advance(ctx);
    const initial = strategy.saveState().alphas!;
    expect(initial[1].every((a) => a !== 0 && Math.abs(a) < 5e-3)).toBe(true); // N(0, 1e-3²)
    await run(strategy, ctx, 39);
    expect(strategy.saveState().alphas).toEqual(initial);
    // the paths the warmup drew: draws 0..39 from the uniform distribution at counter draw·L
    const uniform = [[1], [0.25, 0.25, 0.25, 0.25]];
    const seen = new Array(4).fill(0);
    for (let d = 0; d < 40; d++) seen[net.samplePaths('single', { probabilities: uniform, seed: 1, counter: d * 2 }).choices[1]]++;
    expect(Math.min(...seen)).toBeGreaterThan(3);
    expect(strategy.saveState().draws).toBe(40);
    net.dispose();
  });
});

describe('ProxylessNAS on proxyless-small', () => {
  it('a strong cost term drives the expected cost down and derive picks cheap candidates, `zero` where it exists', async () => {
    const space = proxylessSmall({ widthMult: 0.25 });
    const cost = flopsCostModel(space);
    const { min, max } = costRange(cost);
    const data = syntheticSearchData(space, { count: 160, trainCount: 128, seed: 1, pad: 2 });
    const net = new Supernet(space, 1);
    const strategy = createProxyless(
      { batchSize: 16, archBatchSize: 16, warmupSteps: 2, searchSteps: 40, archEvery: 2, archLr: 0.15, constraint: { target: min, lossForm: 'additive', lambda: 2 } },
      space,
      cost,
    );
    const events: SearchEvent[] = [];
    const start = expectedCostOf(cost, strategy.probabilities());
    await run(strategy, searchContext(space, net, data, 1, events, cost));
    const end = expectedCostOf(cost, strategy.probabilities());
    expect(end).toBeLessThan(start - 0.2 * (max - min));
    const choices = strategy.derive();
    expect(choices[0]).toBe(0); // the fixed first layer
    net.layers.forEach((l, i) => {
      if (l.candidates.length > 1) expect(cost.candidates[i][choices[i]], l.name).toBe(Math.min(...cost.candidates[i]));
    });
    expect(architectureCostOf(cost, choices)).toBeCloseTo(min, 9);
    for (const e of events) if (e.type === 'distribution') e.probabilities.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12));
    net.dispose();
    data.train.dispose();
  });
});

describe('pair rescale', () => {
  it('leaves the unsampled probabilities unchanged', () => {
    const rng = new TestRandom(4);
    for (let trial = 0; trial < 20; trial++) {
      const old = Array.from({ length: 7 }, () => rng.normal());
      const pair = [rng.int(0, 2), rng.int(3, 6)];
      const updated = [...old];
      for (const k of pair) updated[k] += 0.5 * rng.normal();
      const rescaled = rescalePair(old, updated, pair);
      const before = softmax(old);
      const after = softmax(rescaled);
      for (let k = 0; k < 7; k++) if (!pair.includes(k)) expect(Math.abs(after[k] - before[k])).toBeLessThan(1e-12);
      // within the pair the update's ratio survives
      expect(rescaled[pair[0]] - rescaled[pair[1]]).toBeCloseTo(updated[pair[0]] - updated[pair[1]], 12);
    }
  });

  it('an unconstrained pair step of the strategy moves only the pair', async () => {
    const net = new Supernet(STRIPES_SPACE, 2);
    const strategy = createProxyless(SMALL, STRIPES_SPACE, COST);
    const ctx = context(net, 2);
    for (let step = 0; step < 4; step++) {
      const before = await untilArchStep(strategy, ctx);
      const pBefore = probabilitiesOf(before.alphas!, before.live)[1];
      await strategy.advance(ctx);
      const pAfter = strategy.probabilities()[1];
      const moved = pAfter.map((p, k) => Math.abs(p - pBefore[k]));
      const changed = moved.flatMap((m, k) => (m > 1e-9 ? [k] : []));
      expect(changed.length).toBe(2);
      for (let k = 0; k < 4; k++) if (!changed.includes(k)) expect(moved[k]).toBeLessThan(1e-12);
    }
    net.dispose();
  });
});

// A hand-made cost model: a fixed layer, a searchable one with `zero` (cost 0),
// one with a removed candidate and a removed layer.
const HAND: CostModel = { unit: 'ms', fixed: 1.5, candidates: [[2], [1, 2.5, 0.7, 0], [1.5, 3, 0.4], [1.2, 0.3]], source: 'test' };
const HAND_LIVE = [[true], [true, true, true, true], [true, false, true], [false, false]];

describe('constraint loss', () => {
  const forms: Constraint[] = [
    { target: 4, lossForm: 'additive', lambda: 0.1 },
    { target: 4, lossForm: 'multiplicative', a: 0.2, beta: 0.3 },
    { target: 4, lossForm: 'paper', beta: 0.3 },
  ];
  for (const constraint of forms)
    it(`${constraint.lossForm}: value from the definition, gradient in α and in CE by central differences`, () => {
      const rng = new TestRandom(11);
      const alphas = HAND.candidates.map((row) => row.map(() => rng.normal()));
      const ce = 1.7;
      const r = constraintLoss(HAND, alphas, HAND_LIVE, constraint, ce);
      const E = expectedCostOf(HAND, probabilitiesOf(alphas, HAND_LIVE));
      expect(r.expectedCost).toBeCloseTo(E, 12);
      const T = constraint.target;
      const expected =
        constraint.lossForm === 'additive'
          ? ce + (0.1 * (E - T)) / T
          : constraint.lossForm === 'multiplicative'
            ? 0.2 * ce * (Math.log(E) / Math.log(T)) ** 0.3
            : ce * (E / T) ** 0.3;
      expect(r.loss).toBeCloseTo(expected, 12);
      const h = 1e-6;
      const fd = alphaDifferences((a) => constraintLoss(HAND, a, HAND_LIVE, constraint, ce).loss, alphas);
      alphas.forEach((row, l) =>
        row.forEach((_, k) => {
          expect(Math.abs(r.gradAlpha[l][k] - fd[l][k]), `α[${l}][${k}]`).toBeLessThan(1e-8);
          if (!HAND_LIVE[l][k] || l === 0) expect(r.gradAlpha[l][k]).toBe(0);
        }),
      );
      // the zero candidate (cost 0) gets a gradient like any other
      expect(Math.abs(r.gradAlpha[1][3])).toBeGreaterThan(1e-3);
      const fdCe = (constraintLoss(HAND, alphas, HAND_LIVE, constraint, ce + h).loss - constraintLoss(HAND, alphas, HAND_LIVE, constraint, ce - h).loss) / (2 * h);
      expect(r.dLossDCe).toBeCloseTo(fdCe, 8);
    });

  it('no constraint: L = CE, no α gradient', () => {
    const alphas = HAND.candidates.map((row) => row.map(() => 0.3));
    const r = constraintLoss(HAND, alphas, HAND_LIVE, null, 0.9);
    expect(r.loss).toBe(0.9);
    expect(r.dLossDCe).toBe(1);
    expect(r.gradAlpha.flat().every((g) => g === 0)).toBe(true);
  });

  it('multiplicative with E[C] and T on opposite sides of 1 is refused', () => {
    const alphas = HAND.candidates.map((row) => row.map(() => 0));
    expect(() => constraintLoss(HAND, alphas, HAND_LIVE, { target: 0.5, lossForm: 'multiplicative', a: 0.2, beta: 0.3 }, 1)).toThrow(PrunasRangeError);
  });
});

describe('architecture gradient from the gate values', () => {
  it('gateGradient is the gradient of Σ_S g_j softmax_S(α)_j (central differences)', () => {
    const rng = new TestRandom(5);
    const alpha = Array.from({ length: 6 }, () => rng.normal());
    const gates = Array.from({ length: 6 }, () => rng.normal());
    for (const involved of [[4, 1], [0, 1, 2, 3, 4, 5], [0, 2, 5]]) {
      const surrogate = (a: number[]) => {
        const q = softmax(involved.map((k) => a[k]));
        return involved.reduce((s, k, i) => s + gates[k] * q[i], 0);
      };
      const grad = gateGradient(alpha, involved, gates);
      const h = 1e-6;
      for (let k = 0; k < 6; k++) {
        const plus = [...alpha];
        const minus = [...alpha];
        plus[k] += h;
        minus[k] -= h;
        const fd = (surrogate(plus) - surrogate(minus)) / (2 * h);
        expect(Math.abs(grad[k] - fd), `${involved} k=${k}`).toBeLessThan(1e-9);
        if (!involved.includes(k)) expect(grad[k]).toBe(0);
      }
    }
  });

  it('adamStep is Adam (bias-corrected moments) over several steps', () => {
    const rng = new TestRandom(8);
    const s = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8 };
    const alphas = [[rng.normal(), rng.normal(), rng.normal()]];
    const state = { m: [[0, 0, 0]], v: [[0, 0, 0]], steps: 0 };
    const ref = { x: [...alphas[0]], m: [0, 0, 0], v: [0, 0, 0] };
    for (let t = 1; t <= 5; t++) {
      const g = [rng.normal(), rng.normal(), 0];
      adamStep(alphas, [g], state, s, [[true, true, false]]);
      for (let k = 0; k < 2; k++) {
        ref.m[k] = s.beta1 * ref.m[k] + (1 - s.beta1) * g[k];
        ref.v[k] = s.beta2 * ref.v[k] + (1 - s.beta2) * g[k] ** 2;
        const mHat = ref.m[k] / (1 - s.beta1 ** t);
        const vHat = ref.v[k] / (1 - s.beta2 ** t);
        ref.x[k] -= (s.lr * mHat) / (Math.sqrt(vHat) + s.eps);
      }
    }
    alphas[0].forEach((a, k) => expect(a).toBeCloseTo(ref.x[k], 12));
    expect(state.steps).toBe(5);
  });

  for (const archMode of ['pair', 'echo'] as const) {
    const { min, max } = costRange(COST);
    const constraint = archMode === 'pair' ? { target: (min + max) / 2, lossForm: 'multiplicative' as const } : { target: (min + max) / 2, lossForm: 'paper' as const, beta: 0.5 };
    it(`${archMode}: the strategy's first α update is Adam on the formula applied to the engine's gates, plus the ${constraint.lossForm} cost term`, async () => {
      const seed = 3;
      const net = new Supernet(STRIPES_SPACE, seed);
      const strategy = createProxyless({ ...SMALL, archMode, constraint }, STRIPES_SPACE, COST);
      const ctx = context(net, seed);
      const before = await untilArchStep(strategy, ctx);
      expect(before.archSteps).toBe(0);
      const alphas = before.alphas!;
      const p = probabilitiesOf(alphas, before.live);
      // the same step outside the strategy: it leaves the supernet as it is
      const batch = new BatchStream(DATA.train, DATA.valIndices, 32, seed, ARCH_BATCH_STREAM, null).batch(0);
      const r = net.archStepSync({ samples: batch, mode: archMode, sample: { probabilities: p, seed, counter: before.draws * 2 } });
      await strategy.advance(ctx);
      const after = strategy.saveState();

      const involved = archMode === 'pair' ? [r.choices![1], r.others![1]] : [0, 1, 2, 3];
      expect(new Set(involved).size).toBe(involved.length);
      expect(involved.every((k) => Number.isFinite(r.gates[1][k]))).toBe(true);
      const q = softmax(involved.map((k) => alphas[1][k]));
      const c = constraintLoss(COST, alphas, before.live, { ...constraint, a: 0.2, beta: 'beta' in constraint ? constraint.beta : 0.3 } as Constraint, r.loss);
      const expected = [...alphas[1]];
      for (let k = 0; k < 4; k++) {
        let g = c.gradAlpha[1][k];
        const i = involved.indexOf(k);
        if (i >= 0) for (let j = 0; j < involved.length; j++) g += c.dLossDCe * r.gates[1][involved[j]] * q[j] * ((i === j ? 1 : 0) - q[i]);
        // Adam's first step with β1 = 0: lr·g / (|g| + eps)
        expected[k] -= (0.05 * g) / (Math.abs(g) + 1e-8);
      }
      if (archMode === 'pair') {
        const lse = (a: number[]) => Math.log(involved.reduce((s, k) => s + Math.exp(a[k]), 0));
        const shift = lse(expected) - lse(alphas[1]);
        for (const k of involved) expected[k] -= shift;
      }
      after.alphas![1].forEach((a, k) => expect(a, `α[1][${k}]`).toBeCloseTo(expected[k], 12));
      expect(after.alphas![0]).toEqual(alphas[0]); // the fixed layer
      net.dispose();
    });
  }
});

describe('REINFORCE (ProxylessNAS-R)', () => {
  it('learns to prefer the only candidate that can solve the task', async () => {
    const net = new Supernet(STRIPES_SPACE, 7);
    const strategy = createProxyless({ ...SMALL, warmupSteps: 60, searchSteps: 200, variant: 'reinforce', reinforce: { samples: 4 } }, STRIPES_SPACE, COST);
    await run(strategy, context(net, 7));
    expect(strategy.probabilities()[1][STRIPES_GOOD]).toBeGreaterThan(0.6);
    expect(strategy.derive()).toEqual([0, STRIPES_GOOD]);
    net.dispose();
  });

  it('two steps equal the REINFORCE gradient with the moving-average baseline, from paths scored outside the strategy', async () => {
    const seed = 5;
    const M = 3;
    const { min, max } = costRange(COST);
    const T = (min + max) / 2;
    const net = new Supernet(STRIPES_SPACE, seed);
    const config = { ...SMALL, variant: 'reinforce' as const, reinforce: { samples: M, baselineDecay: 0.4, tradeoff: 0.5 }, constraint: { target: T, lossForm: 'additive' as const } };
    const strategy = createProxyless(config, STRIPES_SPACE, COST);
    const ctx = context(net, seed);
    const stream = new BatchStream(DATA.train, DATA.valIndices, 32, seed, ARCH_BATCH_STREAM, null);
    let baseline: number | null = null;
    for (let step = 0; step < 2; step++) {
      const before = await untilArchStep(strategy, ctx);
      const alphas = before.alphas!.map((r) => [...r]);
      const p = probabilitiesOf(alphas, before.live);
      const drawn = Array.from({ length: M }, (_, m) => {
        const choices = Array.from(net.samplePaths('single', { probabilities: p, seed, counter: (before.draws + m) * 2 }).choices);
        const r = net.archStepSync({ samples: stream.batch(before.archSteps), mode: 'single', choices });
        const cost = COST.fixed + COST.candidates[0][0] + COST.candidates[1][choices[1]];
        return { choice: choices[1], reward: (r.correct / r.count) * (T / cost) ** 0.5 };
      });
      const mean = drawn.reduce((s, d) => s + d.reward, 0) / M;
      baseline = baseline === null ? mean : baseline + 0.4 * (mean - baseline);
      // ∇ of −(R − b)·log π(choice), averaged
      const grad = p[1].map((pk, k) => drawn.reduce((s, d) => s + (d.reward - baseline!) * (pk - (d.choice === k ? 1 : 0)), 0) / M);
      const adam = before.adam;
      adamStep(alphas, [[0], grad], adam, { lr: 0.05, beta1: 0, beta2: 0.999, eps: 1e-8 }, [[false], [true, true, true, true]]);
      await strategy.advance(ctx);
      const after = strategy.saveState();
      expect(after.baseline).toBeCloseTo(baseline, 14);
      after.alphas![1].forEach((a, k) => expect(a, `step ${step} α[1][${k}]`).toBeCloseTo(alphas[1][k], 12));
      expect(after.draws).toBe(before.draws + M);
    }
    net.dispose();
  });
});

describe('resume', () => {
  const { min, max } = costRange(COST);
  const configs: [string, ProxylessConfigInput][] = [
    ['pair', { ...SMALL, constraint: { target: (min + max) / 2, lossForm: 'additive', lambda: 0.5 } }],
    ['echo', { ...SMALL, archMode: 'echo', archBeta1: 0.5, constraint: { target: (min + max) / 2, lossForm: 'paper' } }],
    ['reinforce', { ...SMALL, variant: 'reinforce', reinforce: { samples: 3 }, constraint: { target: (min + max) / 2, lossForm: 'additive' } }],
  ];
  for (const [name, config] of configs)
    it(`${name}: saveState → JSON → loadState into a fresh strategy and supernet continues exactly`, async () => {
      const seed = 9;
      const straight = { net: new Supernet(STRIPES_SPACE, seed), strategy: createProxyless(config, STRIPES_SPACE, COST), events: [] as SearchEvent[] };
      const ctx = context(straight.net, seed, straight.events);
      await run(straight.strategy, ctx, 9);
      const saved = JSON.stringify(straight.strategy.saveState());
      const netState = straight.net.saveState();
      const eventsBefore = straight.events.length;
      await run(straight.strategy, ctx);

      const resumed = { net: new Supernet(STRIPES_SPACE, 123), strategy: createProxyless(config, STRIPES_SPACE, COST), events: [] as SearchEvent[] };
      resumed.net.loadState(netState);
      resumed.strategy.loadState(JSON.parse(saved));
      await run(resumed.strategy, context(resumed.net, seed, resumed.events));

      expect(resumed.strategy.saveState()).toEqual(straight.strategy.saveState());
      expect(resumed.events).toEqual(straight.events.slice(eventsBefore));
      expect(resumed.strategy.progress()).toEqual({ done: 22, total: 22 });
      const s = straight.strategy.saveState();
      expect(s.archSteps).toBe(6);
      if (name === 'reinforce') expect(s.baseline).not.toBeNull();
      expect(s.alphas![1].some((a, k) => Math.abs(a - (JSON.parse(saved) as ProxylessState).alphas![1][k]) > 1e-3)).toBe(true);
      straight.net.dispose();
      resumed.net.dispose();
    });
});

describe('removed candidates and layers', () => {
  it('are skipped: their α stay, their probability is 0, derive never picks them', async () => {
    const net = new Supernet(STRIPES_SPACE, 4);
    const strategy = createProxyless({ ...SMALL, archMode: 'echo' }, STRIPES_SPACE, COST);
    const ctx = context(net, 4);
    await strategy.advance(ctx);
    const initial = strategy.saveState().alphas!;
    net.removeCandidate(1, STRIPES_GOOD);
    await run(strategy, ctx, 12);
    const s = strategy.saveState();
    expect(s.archSteps).toBeGreaterThan(2);
    expect(s.alphas![1][STRIPES_GOOD]).toBe(initial[1][STRIPES_GOOD]);
    expect(strategy.probabilities()[1][STRIPES_GOOD]).toBe(0);
    expect(strategy.derive()[1]).not.toBe(STRIPES_GOOD);
    net.removeLayer(1);
    const frozen = strategy.saveState().alphas!;
    await run(strategy, ctx);
    expect(strategy.saveState().alphas).toEqual(frozen);
    expect(strategy.derive()).toEqual([0, -1]);
    expect(strategy.probabilities()[1]).toEqual([0, 0, 0, 0]);
    net.dispose();
  });
});

describe('bad config and state', () => {
  const bad: [unknown, RegExp][] = [
    [{ bogus: 1 }, /proxyless config: .*bogus/],
    [{ archEvery: 0 }, /proxyless config: archEvery/],
    [{ constraint: { target: 0 } }, /proxyless config: constraint\.target/],
    [{ constraint: { target: -2, lossForm: 'additive' } }, /proxyless config: constraint\.target/],
    [{ constraint: { target: 2, lossForm: 'cubic' } }, /proxyless config: constraint.*lossForm/],
    [{ constraint: { target: 2, lossForm: 'additive', beta: 1 } }, /proxyless config: constraint.*beta/],
    [{ archMode: 'all' }, /proxyless config: archMode/],
    [{ reinforce: { samples: 0 } }, /proxyless config: reinforce\.samples/],
    [{ batchSize: 2.5 }, /proxyless config: batchSize/],
    // the toy space costs well under 1 MMAC: the multiplicative loss needs a target on the same side of 1
    [{ constraint: { target: 2 } }, /proxyless config: constraint\.target/],
  ];
  for (const [config, message] of bad)
    it(`${JSON.stringify(config)} → PrunasRangeError`, () => {
      expect(() => createProxyless(config, STRIPES_SPACE, COST)).toThrow(PrunasRangeError);
      expect(() => createProxyless(config, STRIPES_SPACE, COST)).toThrow(message);
    });

  it('a cost model of another space, and a state of the wrong shape', () => {
    expect(() => createProxyless({}, STRIPES_SPACE, HAND)).toThrow(/cost model's rows/);
    const strategy = createProxyless({}, STRIPES_SPACE, COST);
    const state = strategy.saveState();
    expect(() => strategy.loadState({ ...state, live: [[true]] })).toThrow(/proxyless state: live/);
    expect(() => strategy.loadState({ ...state, draws: -1 })).toThrow(/proxyless state: draws/);
    expect(() => strategy.loadState({ ...state, extra: 1 })).toThrow(PrunasRangeError);
  });

  it('defaults follow the reference code', () => {
    const c = createProxyless({}, STRIPES_SPACE, COST).config;
    expect(c).toMatchObject({ archEvery: 5, lr: 0.025, weightDecay: 4e-5, labelSmoothing: 0.1, alphaInitStd: 1e-3, archLr: 1e-3, archBeta1: 0, archBeta2: 0.999, archMode: 'pair', variant: 'gradient', constraint: null });
    expect(c.reinforce).toEqual({ samples: 10, baselineDecay: 0.99, tradeoff: 0.1 });
    const m = createProxyless({ constraint: { target: 0.005 } }, STRIPES_SPACE, COST).config.constraint;
    expect(m).toEqual({ target: 0.005, lossForm: 'multiplicative', a: 0.2, beta: 0.3 });
  });
});
