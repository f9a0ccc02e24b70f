// The Supernet handle over a plan: a path equals its stand-alone network bit
// for bit, untouched paths stay untouched, activation memory per mode vs the
// number of candidates, removal, native sampling, dataset-backed steps,
// async jobs, BN recalibration, determinism and bad input.
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { Supernet, type SupernetState } from '../src/engine/supernet.js';
import { validatePlan, type PlanCandidate, type PlanMBConv, type SupernetPlan } from '../src/engine/plan.js';
import { native } from '../src/native.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual } from './helpers/reference.js';

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act: 'relu6' });
const ZERO: PlanCandidate = { kind: 'zero' };

const PLAN: SupernetPlan = {
  input: { height: 8, width: 8, channels: 2 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), ZERO] },
    { name: 'l1', candidates: [mb(3, 3, 2, 12), mb(5, 6, 2, 12)] },
    { name: 'l2', candidates: [mb(7, 3, 1, 12), { ...mb(3, 6, 1, 12), act: 'hswish' }, mb(5, 3, 1, 12), ZERO] },
  ],
  head: { out: 16 },
};

function batch(n: number, seed: number, plan: SupernetPlan = PLAN) {
  const rng = new TestRandom(seed);
  const { height, width, channels } = plan.input;
  return { x: rng.floats(n * height * width * channels), y: Int32Array.from({ length: n }, () => rng.int(0, plan.classes - 1)) };
}

/** A supernet moved away from its initialisation by steps in every mode and both optimizers. */
function trainedNet(seed: number): Supernet {
  const net = new Supernet(PLAN, seed);
  net.weightStepSync({ samples: batch(8, 1), mode: 'single', choices: [0, 1, 2], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 2), mode: 'pair', choices: [1, 0, 1], others: [0, 1, 3], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 3), mode: 'echo', choices: [2, 1, 0], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 4), mode: 'sum', weights: [[0.5, 0.3, 0.2], [0.4, 0.6], [0.1, 0.2, 0.3, 0.4]], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 5), mode: 'single', choices: [1, 1, 1], lr: 0.01, optimizer: 'adam' });
  return net;
}

function sameState(a: SupernetState, b: SupernetState): void {
  expect(a.parameters.map((p) => p.name)).toEqual(b.parameters.map((p) => p.name));
  a.parameters.forEach((p, i) => {
    const q = b.parameters[i];
    expect(bitEqual(p.value, q.value), `${p.name} value`).toBe(true);
    expect(bitEqual(p.momentum, q.momentum), `${p.name} momentum`).toBe(true);
    expect(p.momentumStarted, `${p.name} momentumStarted`).toBe(q.momentumStarted);
    expect(p.adamSteps ?? 0, `${p.name} adamSteps`).toBe(q.adamSteps ?? 0);
    if (p.adamM) expect(bitEqual(p.adamM, q.adamM!) && bitEqual(p.adamV!, q.adamV!), `${p.name} adam`).toBe(true);
  });
  a.batchnorm.forEach((bn, i) => expect(bitEqual(bn.mean, b.batchnorm[i].mean) && bitEqual(bn.var, b.batchnorm[i].var), `${bn.name} running stats`).toBe(true));
}

describe('Supernet paths and their stand-alone networks', () => {
  for (const mode of ['fixed', 'single'] as const)
    it(`a ${mode} path equals the stand-alone network with the same weights, bit for bit`, () => {
      const net = trainedNet(5);
      const choices = [2, 1, 0]; // l0 takes `zero`
      const { plan, state } = net.extractPath(choices);
      expect(plan.layers.map((l) => l.candidates.length)).toEqual([1, 1, 1]);
      const alone = new Supernet(plan, 99);
      alone.loadState(state);
      const { x, y } = batch(16, 9);
      const logits = new Float32Array(16 * 4);
      const aloneLogits = new Float32Array(16 * 4);
      const e = net.evaluateSync({ samples: { x, y }, mode, choices, logits });
      const a = alone.evaluateSync({ samples: { x, y }, mode, choices: [0, 0, 0], logits: aloneLogits });
      expect(bitEqual(logits, aloneLogits)).toBe(true);
      expect(e.loss).toBe(a.loss);
      // train-mode steps too: same losses, then the same weights and optimizer state
      for (let s = 0; s < 3; s++) {
        const samples = batch(8, 20 + s);
        const r1 = net.weightStepSync({ samples, mode, choices, lr: 0.05, weightDecay: 1e-3 });
        const r2 = alone.weightStepSync({ samples, mode, choices: [0, 0, 0], lr: 0.05, weightDecay: 1e-3 });
        expect(r1.loss).toBe(r2.loss);
      }
      sameState(net.extractPath(choices).state, alone.saveState());
      net.dispose();
      alone.dispose();
    });
});

describe('untouched paths', () => {
  const pathOf = (choices: number[]) => (name: string) => {
    const m = /^layers\.(\d+)\.op(\d+)\./.exec(name);
    return !m || Number(m[2]) === choices[Number(m[1])];
  };

  for (const optimizer of ['sgd', 'adam'] as const)
    it(`single, pair and echo steps (${optimizer}) move only the active path: the others keep weights and optimizer state`, () => {
      const net = new Supernet(PLAN, 3);
      const choices = [0, 1, 2];
      const onPath = pathOf(choices);
      const before = net.saveState();
      const steps = [
        { mode: 'single', choices },
        { mode: 'pair', choices, others: [1, 0, 0] },
        { mode: 'echo', choices },
        { mode: 'fixed', choices },
        { mode: 'pair', choices, others: [2, 0, 3] },
      ] as const;
      for (const [s, paths] of steps.entries()) net.weightStepSync({ samples: batch(8, s), ...paths, lr: 0.05, weightDecay: 1e-2, optimizer } as never);
      const after = net.saveState();
      after.parameters.forEach((p, i) => {
        const q = before.parameters[i];
        if (onPath(p.name)) {
          expect(bitEqual(p.value, q.value), `${p.name} should have moved`).toBe(false);
          if (optimizer === 'sgd') expect(p.momentumStarted, p.name).toBe(true);
          else expect(p.adamSteps, p.name).toBe(steps.length);
        } else {
          expect(bitEqual(p.value, q.value), `${p.name} value`).toBe(true);
          expect(p.momentum.every((v) => v === 0) && !p.momentumStarted, `${p.name} momentum`).toBe(true);
          expect(p.adamSteps ?? 0, `${p.name} Adam steps`).toBe(0);
        }
      });
      // BN running statistics move only on the active path too (echo/pair re-runs do not update them)
      after.batchnorm.forEach((bn, i) => {
        const changed = !bitEqual(bn.mean, before.batchnorm[i].mean);
        expect(changed, `${bn.name} running mean`).toBe(onPath(`${bn.name}.x`));
      });
      net.dispose();
    });

  it('sum mode with a zero weight leaves that candidate untouched', () => {
    const net = new Supernet(PLAN, 4);
    const before = net.saveState();
    net.weightStepSync({ samples: batch(8, 1), mode: 'sum', weights: [[0.5, 0.5, 0], [0, 1], [0.25, 0.25, 0.5, 0]], lr: 0.05 });
    const after = net.saveState();
    const untouched = ['layers.1.op0.', 'layers.0.op2.', 'layers.2.op3.'];
    after.parameters.forEach((p, i) => {
      const still = untouched.some((u) => p.name.startsWith(u));
      expect(bitEqual(p.value, before.parameters[i].value), p.name).toBe(still);
    });
    net.dispose();
  });
});

describe('activation memory', () => {
  // the smallest op is the active one, so pair's second path and echo's
  // re-runs are larger than what the step keeps
  const ops = (stride: 1 | 2, out: number) => [mb(3, 3, stride, out), mb(5, 3, stride, out), mb(7, 3, stride, out), mb(3, 6, stride, out), mb(5, 6, stride, out), mb(7, 6, stride, out)];
  const plan = (count: number): SupernetPlan => ({
    input: { height: 16, width: 16, channels: 3 },
    classes: 10,
    stem: { kernel: 3, stride: 1, out: 16 },
    layers: [
      { name: 'l0', candidates: [...ops(1, 16), ZERO].slice(0, count) },
      { name: 'l1', candidates: ops(2, 24).slice(0, Math.min(count, 6)) },
      { name: 'l2', candidates: [...ops(1, 24), ZERO].slice(0, count) },
      { name: 'l3', candidates: [...ops(1, 24), ZERO].slice(0, count) },
    ],
    head: { out: 64 },
  });
  const samples = batch(16, 1, plan(1));
  const peaks = (count: number) => {
    const net = new Supernet(plan(count), 1);
    const counts = net.candidateCounts;
    const choices = counts.map(() => 0);
    const others = counts.map((c) => (c > 1 ? c - 1 : -1));
    const uniform = counts.map((c) => new Array(c).fill(1 / c));
    const out: Record<string, number> = {};
    const steps = { single: { mode: 'single', choices }, pair: { mode: 'pair', choices, others }, echo: { mode: 'echo', choices }, sum: { mode: 'sum', weights: uniform } } as const;
    for (const [name, paths] of Object.entries(steps)) {
      net.weightStepSync({ samples, ...paths, lr: 0.01 } as never);
      const w = net.memoryStats();
      expect(w.currentBytes, `${name}: activations freed after the step`).toBe(0);
      net.archStepSync({ samples, ...paths } as never);
      const a = net.memoryStats();
      expect(a.currentBytes).toBe(0);
      out[name] = Math.max(w.peakBytes, a.peakBytes);
    }
    net.dispose();
    return out;
  };
  const byCount = [1, 2, 3, 4, 5, 6, 7].map(peaks);

  it('single, pair and echo stay within 10% as candidates go from 1 to 7', () => {
    for (const mode of ['single', 'pair', 'echo'])
      for (const p of byCount) expect(Math.abs(p[mode] / byCount[0][mode] - 1), `${mode}: ${byCount.map((q) => q[mode]).join(', ')}`).toBeLessThan(0.1);
  });

  it('sum grows about linearly with the candidates that hold activations', () => {
    const sum = byCount.map((p) => p.sum);
    // candidates 1..6 add a real op in every layer (e = 3, then e = 6: each adds 1× to 2× of the first);
    // the 7th is `zero` in three layers and nothing in l1: no activations
    for (let n = 2; n <= 6; n++) {
      const ratio = sum[n - 1] / sum[0];
      expect(ratio, `sum peaks ${sum.join(', ')}`).toBeGreaterThan(0.8 * n);
      expect(ratio, `sum peaks ${sum.join(', ')}`).toBeLessThan(2.5 * n);
      expect(sum[n - 1]).toBeGreaterThan(sum[n - 2]);
    }
    expect(sum[6]).toBe(sum[5]);
    expect(sum[5] / byCount[5].single).toBeGreaterThan(5);
  });
});

describe('removal', () => {
  it('frees a candidate’s parameters and optimizer state; the index stays and cannot be chosen', () => {
    const net = new Supernet(PLAN, 6);
    const size = (prefix: string) => net.parameters().filter((p) => p.name.startsWith(prefix)).reduce((s, p) => s + p.size, 0);
    // never trained: value + gradient (4 bytes each)
    let count = net.parameterCount();
    let bytes = net.memoryStats().parameterBytes;
    const op1 = size('layers.1.op1.');
    expect(op1).toBeGreaterThan(0);
    net.removeCandidate('l1', 1);
    expect(net.parameterCount()).toBe(count - op1);
    expect(net.memoryStats().parameterBytes).toBe(bytes - 8 * op1);
    // trained with momentum: value + gradient + momentum buffer
    net.weightStepSync({ samples: batch(8, 1), mode: 'single', choices: [0, 0, 0], lr: 0.05 });
    count = net.parameterCount();
    bytes = net.memoryStats().parameterBytes;
    const op0 = size('layers.2.op0.');
    net.removeCandidate('l2', 0);
    expect(net.parameterCount()).toBe(count - op0);
    expect(net.memoryStats().parameterBytes).toBe(bytes - 12 * op0);
    expect(net.structure().live).toEqual([[true, true, true], [true, false], [false, true, true, true]]);
    const samples = batch(4, 2);
    expect(() => net.weightStepSync({ samples, mode: 'single', choices: [0, 1, 1], lr: 0.1 })).toThrow(/choices\[1\] = 1 names a removed candidate of layer l1/);
    expect(() => net.evaluateSync({ samples, choices: [0, 0, 0] })).toThrow(/choices\[2\] = 0 names a removed candidate/);
    expect(() => net.archStepSync({ samples, mode: 'sum', weights: [[1, 0, 0], [1, 0], [1, 0, 0, 0]] })).toThrow(/weights\[2\]\[0\] must be 0: that candidate was removed/);
    expect(() => net.samplePaths('single', { probabilities: [[1, 0, 0], [0.5, 0.5], [0, 1, 0, 0]], seed: 1, counter: 0 })).toThrow(/sample.probabilities\[1\]\[1\] must be 0: that candidate was removed/);
    expect(() => net.removeCandidate('l1', 0)).toThrow(/is the last one of layer l1; remove the layer instead/);
    expect(() => net.removeCandidate('l1', 1)).toThrow(/was already removed/);
    // the native side checks too
    const raw = (net as unknown as { handle: { weightStep(a: unknown): unknown } }).handle;
    expect(() => raw.weightStep({ ...samples, mode: 'single', choices: Int32Array.from([0, 1, 1]), lr: 0.1 })).toThrow(/Supernet.weightStep: choices\[1\] = 1 names a removed candidate/);
    net.dispose();
  });

  it('a removed layer is the identity: it equals choosing `zero` there, and frees every candidate', () => {
    const a = trainedNet(7);
    const b = trainedNet(7);
    const { x, y } = batch(8, 3);
    const before = a.parameterCount();
    const l2 = a.parameters().filter((p) => p.name.startsWith('layers.2.')).reduce((s, p) => s + p.size, 0);
    a.removeLayer('l2');
    expect(a.parameterCount()).toBe(before - l2);
    const la = new Float32Array(32);
    const lb = new Float32Array(32);
    a.evaluateSync({ samples: { x, y }, choices: [1, 0, -1], logits: la });
    b.evaluateSync({ samples: { x, y }, choices: [1, 0, 3], logits: lb });
    expect(bitEqual(la, lb)).toBe(true);
    const step = a.weightStepSync({ samples: { x, y }, mode: 'echo', choices: [0, 1, 0], lr: 0.01 });
    expect(Array.from(step.choices!)).toEqual([0, 1, 0]);
    expect(step.gates[2].every(Number.isNaN)).toBe(true);
    expect(() => a.removeLayer('l1')).toThrow(/Supernet.removeLayer: layer l1 has no residual \(stride 2, in 8, out 12\)/);
    expect(() => a.removeLayer('l2')).toThrow(/was already removed/);
    a.dispose();
    b.dispose();
  });

  it('a saved state carries its removals: loading it into a fresh supernet restores the same network', () => {
    const net = trainedNet(8);
    net.removeCandidate(0, 1);
    net.removeLayer(2);
    const state = net.saveState();
    const fresh = new Supernet(PLAN, 1);
    fresh.loadState(state);
    expect(fresh.structure()).toEqual(net.structure());
    sameState(fresh.saveState(), state);
    const { x, y } = batch(8, 4);
    const l1 = new Float32Array(32);
    const l2 = new Float32Array(32);
    net.evaluateSync({ samples: { x, y }, choices: [0, 1, 0], logits: l1 });
    fresh.evaluateSync({ samples: { x, y }, choices: [0, 1, 0], logits: l2 });
    expect(bitEqual(l1, l2)).toBe(true);
    net.dispose();
    fresh.dispose();
  });
});

describe('native path sampling', () => {
  const net = new Supernet(PLAN, 1);
  const probabilities = [[0.5, 0.3, 0.2], [0.25, 0.75], [0.1, 0.2, 0.3, 0.4]];

  it('is a function of (seed, counter), and a step draws what samplePaths draws', () => {
    const a = net.samplePaths('single', { probabilities, seed: 3, counter: 17 });
    expect(net.samplePaths('single', { probabilities, seed: 3, counter: 17 })).toEqual(a);
    const draws = new Set(Array.from({ length: 20 }, (_, c) => net.samplePaths('single', { probabilities, seed: 3, counter: c }).choices.join()));
    expect(draws.size).toBeGreaterThan(5);
    for (const mode of ['single', 'pair'] as const) {
      const expected = net.samplePaths(mode, { probabilities, seed: 4, counter: 2 });
      const step = net.archStepSync({ samples: batch(4, 1), mode, sample: { probabilities, seed: 4, counter: 2 } });
      expect(step.choices).toEqual(expected.choices);
      expect(step.others).toEqual(expected.others);
      if (mode === 'pair') step.gates.forEach((g, l) => g.forEach((v, k) => expect(Number.isNaN(v), `layer ${l} candidate ${k}`).toBe(k !== expected.choices[l] && k !== expected.others[l])));
    }
  });

  it('single draws follow p; pair draws two distinct paths and picks the active one from the pair’s renormalised p', () => {
    const draws = 4000;
    const single = probabilities.map((p) => new Array(p.length).fill(0));
    const pairActive = probabilities.map((p) => new Array(p.length).fill(0));
    for (let c = 0; c < draws; c++) {
      const s = net.samplePaths('single', { probabilities, seed: 9, counter: c });
      s.choices.forEach((k, l) => single[l][k]++);
      const p = net.samplePaths('pair', { probabilities, seed: 9, counter: c });
      p.choices.forEach((k, l) => {
        expect(p.others[l]).not.toBe(k);
        expect(p.others[l]).toBeGreaterThanOrEqual(0);
        pairActive[l][k]++;
      });
    }
    // P(active = i) = Σ_j≠i P(first i, second j or first j, second i) · p_i / (p_i + p_j)
    const pairProbability = (p: number[], i: number) => {
      let total = 0;
      for (let j = 0; j < p.length; j++) if (j !== i) total += (p[i] * (p[j] / (1 - p[i])) + p[j] * (p[i] / (1 - p[j]))) * (p[i] / (p[i] + p[j]));
      return total;
    };
    probabilities.forEach((p, l) =>
      p.forEach((pi, k) => {
        const sigma = Math.sqrt(draws * pi * (1 - pi));
        expect(Math.abs(single[l][k] - draws * pi), `single layer ${l} candidate ${k}`).toBeLessThan(4 * sigma);
        const q = pairProbability(p, k);
        expect(Math.abs(pairActive[l][k] - draws * q), `pair layer ${l} candidate ${k}`).toBeLessThan(4 * Math.sqrt(draws * q * (1 - q)));
      }),
    );
  });
});

describe('samples from a native dataset', () => {
  const set = syntheticImageSet({ count: 64, height: 8, width: 8, channels: 2, classes: 4, seed: 2, noise: 0.3 });
  const data = new Dataset(set, { mean: [0.5, 0.4], std: [0.25, 0.3] });

  it('a step on dataset indices (augmented natively) equals the step on the same batch as arrays', async () => {
    const a = new Supernet(PLAN, 2);
    const b = new Supernet(PLAN, 2);
    const indices = Int32Array.from([5, 9, 1, 33, 60, 2, 17, 40]);
    for (let s = 0; s < 2; s++) {
      const augment = { pad: 2, hflip: true, seed: 11, counter: 8 * s };
      const ra = await a.weightStep({ samples: { dataset: data, indices, augment }, mode: 'echo', choices: [0, 1, 1], lr: 0.05 });
      const rb = await b.weightStep({ samples: data.batch(indices, augment), mode: 'echo', choices: [0, 1, 1], lr: 0.05 });
      expect(ra.loss).toBe(rb.loss);
      ra.gates.forEach((g, l) => expect(Array.from(g)).toEqual(Array.from(rb.gates[l])));
    }
    sameState(a.saveState(), b.saveState());
    a.dispose();
    b.dispose();
  });

  it('evaluate runs a whole index set in batches, with per-class counts', async () => {
    const net = trainedNet(3);
    const indices = Int32Array.from({ length: 64 }, (_, i) => i);
    const logits = new Float32Array(64 * 4);
    const r = await net.evaluate({ samples: { dataset: data, indices }, choices: [0, 1, 2], batchSize: 10, logits });
    expect(r.count).toBe(64);
    // batches of 10 in eval mode (running statistics) = one batch of 64
    const whole = net.evaluateSync({ samples: data.batch(indices, { seed: 0 }), choices: [0, 1, 2] });
    expect(Math.abs(r.loss - whole.loss)).toBeLessThan(1e-6 * whole.loss);
    expect(r.correct).toBe(whole.correct);
    const perClass = new Int32Array(4);
    for (let i = 0; i < 64; i++) {
      const row = Array.from(logits.subarray(4 * i, 4 * i + 4));
      if (row.indexOf(Math.max(...row)) === set.labels[i]) perClass[set.labels[i]]++;
    }
    expect(Array.from(r.perClassCorrect)).toEqual(Array.from(perClass));
    expect(perClass.reduce((s, v) => s + v, 0)).toBe(r.correct);
    net.dispose();
  });

  it('rejects a dataset of another shape and indices outside it', () => {
    const net = new Supernet(PLAN, 1);
    const other = new Dataset(syntheticImageSet({ count: 4, height: 8, width: 8, channels: 1, classes: 4, seed: 1, noise: 0 }));
    expect(() => net.evaluateSync({ samples: { dataset: other, indices: Int32Array.from([0]) }, choices: [0, 0, 0] })).toThrow(/the dataset holds 8×8×1 images, the supernet takes 8×8×2/);
    expect(() => net.evaluateSync({ samples: { dataset: data, indices: Int32Array.from([0, 64]) }, choices: [0, 0, 0] })).toThrow(/indices\[1\] = 64 is outside \[0, 64\)/);
    other.dispose();
    net.dispose();
  });
});

describe('async jobs, recalibration, determinism', () => {
  it('async steps equal sync steps; dispose() during a job frees the supernet after it', async () => {
    const a = new Supernet(PLAN, 12);
    const b = new Supernet(PLAN, 12);
    for (let s = 0; s < 3; s++) {
      const samples = batch(8, s);
      const paths = { mode: 'pair', choices: [0, 1, 2], others: [2, 0, 0] } as const;
      const ra = await a.weightStep({ samples, ...paths, lr: 0.05 });
      const rb = b.weightStepSync({ samples, ...paths, lr: 0.05 });
      expect(ra.loss).toBe(rb.loss);
    }
    sameState(a.saveState(), b.saveState());
    const job = a.archStep({ samples: batch(8, 9), mode: 'echo', choices: [0, 0, 0] });
    a.dispose();
    const r = await job;
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(() => a.parameterCount()).toThrow(/used after dispose/);
    b.dispose();
  });

  it('recalibration over several batches averages their statistics', () => {
    const net = trainedNet(4);
    const choices = [0, 1, 2];
    const { x, y } = batch(16, 5);
    const half = (h: number) => ({ x: x.subarray(h * 8 * 128, (h + 1) * 8 * 128), y: y.subarray(h * 8, (h + 1) * 8) });
    const stats = () => net.saveState().batchnorm;
    net.recalibrateBnSync({ samples: half(0), choices });
    const first = stats();
    net.recalibrateBnSync({ samples: half(1), choices });
    const second = stats();
    net.recalibrateBnSync({ samples: { x, y }, choices, batchSize: 8 });
    const both = stats();
    both.forEach((bn, i) => {
      for (let c = 0; c < bn.mean.length; c++) {
        expect(Math.abs(bn.mean[c] - (first[i].mean[c] + second[i].mean[c]) / 2)).toBeLessThan(1e-5 * (Math.abs(bn.mean[c]) + 1e-3));
        expect(Math.abs(bn.var[c] - (first[i].var[c] + second[i].var[c]) / 2)).toBeLessThan(1e-5 * bn.var[c] + 1e-9);
      }
    });
    // units off the path keep their statistics
    const off = both.findIndex((b) => b.name === 'layers.0.op1.depthwise');
    expect(bitEqual(both[off].mean, first[off].mean)).toBe(true);
    net.dispose();
  });

  it('the same seed gives the same weights whatever the thread count', () => {
    const build = (threads: number) => {
      native.setThreads(threads);
      const net = new Supernet(PLAN, 77);
      const state = net.saveState();
      net.dispose();
      return state;
    };
    try {
      sameState(build(1), build(2));
    } finally {
      native.setThreads(0);
    }
  });
});

describe('bad input', () => {
  const net = new Supernet(PLAN, 1);
  const samples = batch(2, 1);
  const choices = [0, 0, 0];

  it('names the argument and the value, TypeError for a wrong kind, RangeError for a bad value', async () => {
    const w = 'Supernet.weightStepSync';
    const step = (o: Record<string, unknown>) => () => net.weightStepSync({ samples, mode: 'single', choices, lr: 0.1, ...o } as never);
    expect(step({ mode: 'sideways' })).toThrow(new RegExp(`${w}: mode must be one of single, pair, echo, sum, fixed, got "sideways"`));
    expect(step({ mode: 'sideways' })).toThrow(RangeError);
    expect(step({ choices: [0, 2, 0] })).toThrow(new RegExp(`${w}: choices\\[1\\] must be an integer in \\[0, 1\\], got 2`));
    expect(step({ choices: [0, 0] })).toThrow(new RegExp(`${w}: choices must have 3 entries, got 2`));
    expect(step({ choices: 'abc' })).toThrow(TypeError);
    expect(step({ lr: Number.NaN })).toThrow(new RegExp(`${w}: lr must be a finite number in \\[0, 1000\\], got NaN`));
    expect(step({ lr: '0.1' })).toThrow(TypeError);
    expect(step({ optimizer: 'lbfgs' })).toThrow(/optimizer must be one of sgd, adam, got "lbfgs"/);
    expect(step({ mode: 'pair', others: [0, 1, 1] })).toThrow(/others\[0\] = 0 equals choices\[0\]: a pair needs two different paths/);
    expect(step({ mode: 'pair', others: undefined })).toThrow(/others must be an array of integers, got undefined/);
    expect(step({ mode: 'sum', weights: [[1, 0, 0], [1, 0]] })).toThrow(/weights must have 3 entries \(one per layer\), got 2/);
    expect(step({ mode: 'sum', weights: [[1, 0], [1, 0], [1, 0, 0, 0]] })).toThrow(/weights\[0\] must have 3 entries \(one per candidate\), got 2/);
    expect(step({ mode: 'sum', weights: [[1, 0, Number.POSITIVE_INFINITY], [1, 0], [1, 0, 0, 0]] })).toThrow(/weights\[0\]\[2\] must be a finite number/);
    expect(step({ choices: undefined, sample: { probabilities: [[0.5, 0.5, 0.5], [1, 0], [1, 0, 0, 0]], seed: 1, counter: 0 } })).toThrow(/sample.probabilities\[0\] must sum to 1, got 1.5/);
    expect(step({ sample: { probabilities: [[1, 0, 0], [1, 0], [1, 0, 0, 0]], seed: 1, counter: 0 } })).toThrow(/pass either choices or sample, not both/);
    expect(step({ samples: { x: samples.x.subarray(1), y: samples.y } })).toThrow(/x must have 256 elements, got 255/);
    expect(step({ samples: { x: samples.x, y: Int32Array.from([0, 4]) } })).toThrow(/y\[1\] = 4 is outside \[0, 4\)/);
    expect(() => net.evaluateSync({ samples, mode: 'echo', choices } as never)).toThrow(/Supernet.evaluateSync: mode must be one of single, fixed, sum, got "echo"/);
    expect(() => net.evaluateSync({ samples, choices, batchSize: 0 })).toThrow(/batchSize must be an integer in \[1, /);
    expect(() => net.removeCandidate('nope', 0)).toThrow(/no layer named "nope"/);
    // async forms reject instead of throwing
    await expect(net.weightStep({ samples, mode: 'single', choices: [0, 0, 9], lr: 0.1 })).rejects.toThrow(/choices\[2\] must be an integer in \[0, 3\], got 9/);
    await expect(net.archStep({ samples, mode: 'nope' } as never)).rejects.toThrow(RangeError);
  });

  it('plans are checked field by field', () => {
    const layers = (candidates: unknown[]) => ({ ...PLAN, layers: [{ name: 'x', candidates }] });
    expect(() => validatePlan(null)).toThrow(TypeError);
    expect(() => new Supernet(layers([{ kind: 'mbconv', kernel: 4, expand: 3, stride: 1, out: 8 }]) as never, 1)).toThrow(/plan.layers\[0\].candidates\[0\].kernel must be an odd integer in \[1, 7\], got 4/);
    expect(() => new Supernet(layers([mb(3, 3, 2, 8), ZERO]) as never, 1)).toThrow(/plan.layers\[0\]: zero needs a residual \(stride 1 and in = out\), this layer has stride 2, in 8, out 8/);
    expect(() => new Supernet(layers([mb(3, 3, 1, 8), mb(3, 3, 1, 16)]) as never, 1)).toThrow(/plan.layers\[0\].candidates\[1\]: candidates of a layer must agree on stride and out/);
    expect(() => new Supernet(layers([{ kind: 'conv' }]) as never, 1)).toThrow(/plan.layers\[0\].candidates\[0\].kind must be one of mbconv, prunode, zero, got "conv"/);
    expect(() => new Supernet(layers([{ ...mb(3, 3, 1, 8), act: 'gelu' }]) as never, 1)).toThrow(/act must be one of relu6, hswish, relu, got "gelu"/);
    expect(() => new Supernet({ ...PLAN, input: { ...PLAN.input, channels: 1.5 } }, 1)).toThrow(/plan.input.channels must be an integer in \[1, 4\], got 1.5/);
    expect(() => new Supernet(PLAN, -1)).toThrow(/Supernet: seed must be an integer/);
  });
});
