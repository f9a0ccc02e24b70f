// The absolute (target-seeking) cost loss, L = CE + β·|E[C]/T − 1|: its value
// and α-gradient against central differences on a random cost model, the
// sign of ∂L/∂E[C] on either side of the target and 0 at it; on a fixed-gate
// problem where a cost pull outweighs CE, the absolute form ends at the
// target while the additive form of the same strength runs far below it;
// the config of every strategy that takes a constraint accepts it and
// refuses a bad β with one line naming the value.
import { describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { adamInit, adamStep, gateGradient, probabilitiesOf } from '../src/search/alpha.js';
import { costRange, expectedCostOf, flopsCostModel, type CostModel } from '../src/search/cost-model.js';
import { createDanas } from '../src/search/danas.js';
import { constraintLoss, lossTerms, type Constraint } from '../src/search/latency-loss.js';
import { createPrunet } from '../src/search/prunet.js';
import { createProxyless } from '../src/search/proxyless.js';
import { proxylessSmall } from '../src/space/builtin.js';
import { defineSpace } from '../src/space/index.js';
import { alphaDifferences } from './helpers/alpha-differences.js';
import { mb, pn, ZERO } from './helpers/prunet-fixture.js';
import { TestRandom } from './helpers/random.js';
import { advanceUntilDone as run, searchContext, syntheticSearchData } from './helpers/search-context.js';
import { STRIPES_SPACE } from './helpers/stripes.js';

// one thread: tiny layers, and the machine may be busy
native.setThreads(1);

/** A fixed layer and five of 2–6 candidates (one dead candidate, one removed layer), costs 0.05–1 ms. */
function randomCostModel(seed: number): { model: CostModel; live: boolean[][] } {
  const rng = new TestRandom(seed);
  const candidates = [[0.4], ...Array.from({ length: 5 }, () => Array.from({ length: rng.int(2, 6) }, () => 0.05 + 0.95 * rng.next()))];
  const live = candidates.map((row) => row.map(() => true));
  live[2][0] = false;
  live[4] = live[4].map(() => false);
  return { model: { unit: 'ms', fixed: 0.3, candidates, source: 'test' }, live };
}

const absolute = (target: number, beta = 0.3): Constraint => ({ target, lossForm: 'absolute', beta });

describe('absolute loss: value and gradients', () => {
  const { model, live } = randomCostModel(21);
  const rng = new TestRandom(8);
  const alphas = model.candidates.map((row) => row.map(() => rng.normal()));
  const E = expectedCostOf(model, probabilitiesOf(alphas, live));
  const ce = 1.3;

  // targets 25% either side of E[C]: a step of 1e-6 in α never crosses the kink
  for (const [side, T] of [
    ['E[C] above the target', E / 1.25],
    ['E[C] below the target', E * 1.25],
  ] as const)
    it(`${side}: value from the definition, gradient in α and in CE by central differences`, () => {
      const constraint = absolute(T);
      const r = constraintLoss(model, alphas, live, constraint, ce);
      expect(r.expectedCost).toBeCloseTo(E, 12);
      expect(r.loss).toBeCloseTo(ce + 0.3 * Math.abs(E / T - 1), 12);
      expect(r.dLossDCe).toBe(1);
      const h = 1e-6;
      const fd = alphaDifferences((a) => constraintLoss(model, a, live, constraint, ce).loss, alphas);
      alphas.forEach((row, l) =>
        row.forEach((_, k) => {
          expect(Math.abs(r.gradAlpha[l][k] - fd[l][k]), `α[${l}][${k}]`).toBeLessThan(1e-8);
          if (!live[l][k] || l === 0) expect(Math.abs(r.gradAlpha[l][k])).toBe(0); // −0 below the target
        }),
      );
      expect(Math.max(...r.gradAlpha.flat().map(Math.abs))).toBeGreaterThan(1e-3);
      const fdCe = (constraintLoss(model, alphas, live, constraint, ce + h).loss - constraintLoss(model, alphas, live, constraint, ce - h).loss) / (2 * h);
      expect(fdCe).toBeCloseTo(1, 8);
    });

  it('∂L/∂E[C] is β/T above the target, −β/T below, 0 at it; the α-gradient flips with it', () => {
    const T = 2;
    expect(lossTerms(absolute(T), ce, 2.5).dLossDCost).toBe(0.3 / 2);
    expect(lossTerms(absolute(T), ce, 1.5).dLossDCost).toBe(-0.3 / 2);
    expect(lossTerms(absolute(T), ce, 2 + 1e-12).dLossDCost).toBe(0.3 / 2);
    expect(lossTerms(absolute(T), ce, 2 - 1e-12).dLossDCost).toBe(-0.3 / 2);
    expect(lossTerms(absolute(T), ce, 2)).toEqual({ loss: ce, dLossDCe: 1, dLossDCost: 0 });
    // the losses 20% above and below the target are equal: the form does not prefer either side
    expect(lossTerms(absolute(T), ce, 2.4).loss).toBeCloseTo(lossTerms(absolute(T), ce, 1.6).loss, 14);

    // the α-gradient is ±(β/T)·∂E/∂α, the sign following the side
    const above = constraintLoss(model, alphas, live, absolute(E / 1.25), ce).gradAlpha;
    const below = constraintLoss(model, alphas, live, absolute(E * 1.25), ce).gradAlpha;
    above.forEach((row, l) =>
      row.forEach((g, k) => {
        expect(g * (E / 1.25)).toBeCloseTo(-below[l][k] * (E * 1.25), 12);
        if (Math.abs(g) > 1e-9) expect(Math.sign(g)).toBe(-Math.sign(below[l][k]));
      }),
    );
    // exactly at the target nothing moves α through the cost (T: E[C] as constraintLoss sums it)
    const at = constraintLoss(model, alphas, live, absolute(constraintLoss(model, alphas, live, null, ce).expectedCost), ce);
    expect(at.loss).toBe(ce);
    expect(at.gradAlpha.flat().every((g) => g === 0)).toBe(true);
  });

  it('lossTerms refuses a β that is not a finite positive number, naming it', () => {
    expect(() => lossTerms(absolute(2, 0), ce, 1)).toThrow(PrunasRangeError);
    expect(() => lossTerms(absolute(2, 0), ce, 1)).toThrow(/absolute loss needs a finite beta > 0, got 0$/);
    expect(() => lossTerms(absolute(2, -0.5), ce, 1)).toThrow(/got -0\.5$/);
    expect(() => lossTerms(absolute(2, Infinity), ce, 1)).toThrow(/got Infinity$/);
    expect(() => lossTerms(absolute(2, NaN), ce, 1)).toThrow(/got NaN$/);
  });
});

// What the form is for. Gates held fixed: each candidate's gate value (its
// ∂CE/∂z) falls with its cost, so CE alone would buy the dearest candidates;
// the cost term is strong enough to outweigh that pull. α follows Adam
// (β1 = 0, as the searches run it) on the full softmax gradient of the gates
// plus the cost term's gradient from constraintLoss.
function searchExpectedCost(model: CostModel, live: boolean[][], constraint: Constraint, steps: number): number[] {
  const alphas = model.candidates.map((row) => row.map(() => 0));
  const gates = model.candidates.map((row) => row.map((c) => -0.05 * c));
  const involved = live.map((row) => row.flatMap((on, k) => (on ? [k] : [])));
  const update = live.map((row) => (row.filter(Boolean).length >= 2 ? [...row] : row.map(() => false)));
  const adam = adamInit(alphas);
  const trace: number[] = [];
  for (let step = 0; step < steps; step++) {
    const r = constraintLoss(model, alphas, live, constraint, 1);
    const grad = r.gradAlpha.map((row, l) => {
      const ce = involved[l].length >= 2 ? gateGradient(alphas[l], involved[l], gates[l]) : row.map(() => 0);
      return row.map((g, k) => g + r.dLossDCe * ce[k]);
    });
    adamStep(alphas, grad, adam, { lr: 0.02, beta1: 0, beta2: 0.999, eps: 1e-8 }, update);
    trace.push(expectedCostOf(model, probabilitiesOf(alphas, live)));
  }
  return trace;
}

describe('absolute loss: the search ends at the target', () => {
  const { model, live } = randomCostModel(21);
  // the removed layer costs nothing (costRange wants a live candidate in every row)
  const { min, max } = costRange({ ...model, candidates: model.candidates.map((row, l) => (live[l].some(Boolean) ? row.filter((_, k) => live[l][k]) : [0])) });
  const start = expectedCostOf(model, probabilitiesOf(model.candidates.map((row) => row.map(() => 0)), live));
  const STEPS = 600;

  // one target below the uniform start, one above it
  for (const share of [0.25, 0.7]) {
    const T = min + share * (max - min);
    it(`target ${T.toFixed(3)} ms (start ${start.toFixed(3)}, range ${min.toFixed(3)}..${max.toFixed(3)}): absolute within 2% of it, additive far below`, () => {
      const abs = searchExpectedCost(model, live, { target: T, lossForm: 'absolute', beta: 0.3 }, STEPS);
      const add = searchExpectedCost(model, live, { target: T, lossForm: 'additive', lambda: 0.3 }, STEPS);
      const end = abs[STEPS - 1];
      const mean = abs.slice(-100).reduce((a, b) => a + b, 0) / 100;
      expect(Math.abs(end / T - 1)).toBeLessThan(0.02);
      expect(Math.abs(mean / T - 1)).toBeLessThan(0.02);
      // it stays there: over the last 100 steps within 3%
      for (const e of abs.slice(-100)) expect(Math.abs(e / T - 1)).toBeLessThan(0.03);
      // the additive form keeps pulling: it ends near the cheapest architecture
      expect(add[STEPS - 1]).toBeLessThan(0.8 * T);
      expect(add[STEPS - 1]).toBeLessThan(min + 0.1 * (max - min));
    });
  }
});

describe('absolute loss: a ProxylessNAS search on proxyless-small', () => {
  it('the default β ends within 3% of a target above the start; additive at λ = β ends below 0.6·T', async () => {
    const space = proxylessSmall({ widthMult: 0.25 });
    const cost = flopsCostModel(space);
    const { min, max } = costRange(cost);
    const T = min + 0.6 * (max - min);
    const data = syntheticSearchData(space, { count: 160, trainCount: 128, seed: 1, pad: 2 });
    const search = async (constraint: unknown) => {
      const net = new Supernet(space, 1);
      const strategy = createProxyless({ batchSize: 16, archBatchSize: 16, warmupSteps: 2, searchSteps: 80, archEvery: 2, archLr: 0.1, constraint }, space, cost);
      const start = expectedCostOf(cost, strategy.probabilities());
      await run(strategy, searchContext(space, net, data, 1, [], cost));
      net.dispose();
      return { start, end: expectedCostOf(cost, strategy.probabilities()) };
    };
    const abs = await search({ target: T, lossForm: 'absolute' });
    const add = await search({ target: T, lossForm: 'additive', lambda: 0.3 });
    data.train.dispose();
    expect(abs.start).toBeLessThan(0.85 * T); // it has to climb
    expect(Math.abs(abs.end / T - 1)).toBeLessThan(0.03);
    expect(add.end).toBeLessThan(0.6 * T);
  });
});

// prunet-fixture-style tiny space with a Prunode, for PruNet's schema
const tiny = defineSpace({
  name: 'tiny-absolute',
  input: { height: 8, width: 8, channels: 1 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [{ name: 's', layers: [{ name: 'a', candidates: [pn(3, 1, 8, 8), mb(5, 3, 1, 8), ZERO] }] }],
  head: { out: 16 },
});

describe('absolute loss: configs', () => {
  const COST = flopsCostModel(STRIPES_SPACE);
  const TINY_COST = flopsCostModel(tiny);
  const strategies: [string, (config: unknown) => { config: { constraint: unknown } }][] = [
    ['proxyless', (config) => createProxyless(config, STRIPES_SPACE, COST)],
    ['danas', (config) => createDanas(config, STRIPES_SPACE, COST)],
    ['prunet', (config) => createPrunet(config, tiny, TINY_COST)],
  ];
  for (const [name, create] of strategies) {
    it(`${name}: lossForm 'absolute' parses, β 0.3 by default`, () => {
      expect(create({ constraint: { target: 0.02, lossForm: 'absolute' } }).config.constraint).toEqual({ target: 0.02, lossForm: 'absolute', beta: 0.3 });
      expect(create({ constraint: { target: 0.02, lossForm: 'absolute', beta: 2 } }).config.constraint).toEqual({ target: 0.02, lossForm: 'absolute', beta: 2 });
    });

    const bad: [unknown, string][] = [
      [0, '0'],
      [-0.1, '-0.1'],
      [Infinity, 'Infinity'],
      [NaN, 'NaN'],
      ['0.3', '"0.3"'],
    ];
    for (const [beta, shown] of bad)
      it(`${name}: β ${shown} → one line naming the value`, () => {
        const config = { constraint: { target: 0.02, lossForm: 'absolute', beta } };
        expect(() => create(config)).toThrow(PrunasRangeError);
        let message = '';
        try {
          create(config);
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message).not.toContain('\n');
        expect(message).toMatch(new RegExp(`^${name} config: constraint\\.beta: must be .*> 0, got ${shown.replace(/[.*"]/g, '\\$&')}$`));
      });

    it(`${name}: an absolute constraint with the additive form's λ is refused`, () => {
      expect(() => create({ constraint: { target: 0.02, lossForm: 'absolute', lambda: 0.3 } })).toThrow(new RegExp(`^${name} config: constraint.*lambda`));
    });
  }

  it('the lossForm error lists the absolute form', () => {
    expect(() => createProxyless({ constraint: { target: 0.02, lossForm: 'cubic' } }, STRIPES_SPACE, COST)).toThrow(/additive, multiplicative, paper, absolute/);
  });
});
