// The supernet on a CUDA device against the same supernet on the CPU: one
// plan, one seed, the same batches; every step kind, the gate gradients,
// evaluation, BN recalibration, removal, checkpoints and Prunodes. Each
// comparison starts both nets from one state (the GPU net loads the CPU
// net's), so it measures one step, not an accumulated drift.
//
// Tolerance: both devices compute in strict fp32 (no TF32) with reductions
// in double, but in a different order (tiled GEMMs, chunked reductions
// instead of the CPU's panels), so results differ by rounding. One step's
// losses, gates, gradients, parameters, optimizer state and BN statistics
// must agree to a relative error of TOL = 1e-4: rounding alone gives about
// 1e-6, and BN's division by a batch variance and the cancellation inside
// the gradients amplify it by a few orders of magnitude at most. Two GPU
// runs with the same seed must agree bit for bit.
//
// The gate gradients are also checked against central differences of the
// GPU's own loss (float32). Those are tight only where the loss is smooth in
// the gate: the last layer of a plan without a head, followed only by the
// average pool and the classifier (affine), then cross-entropy. Before that,
// ReLU6 kinks and train-mode BN make a float32 difference quotient good to a
// few percent at best (measured on the CPU), so earlier layers get a coarse
// check; their exactness comes from the comparison with the CPU engine,
// whose gates test/supernet-gates.test.ts checks against a float64 reference.
//
// The suite lives here so that it runs twice: on a CUDA device
// (test/gpu/supernet.test.ts) and on "cpu-mirrored", the CPU behind a
// device's synchronisation protocol (test/supernet-mirrored.test.ts), which
// needs no GPU.
import { afterAll, describe, expect, it } from 'vitest';
import { blockPlan, type PlanCandidate, type PlanMBConv, type PlanPrunode, type SupernetPlan } from '../../src/engine/plan.js';
import { Supernet, type StepOutcome, type SupernetState } from '../../src/engine/supernet.js';
import { gpuMemoryStats } from '../../src/gpu/kernels.js';
import { TestRandom } from './random.js';
import { bitEqual } from './reference.js';

export function deviceEquivalenceSuite(DEVICE: string, skip: boolean): void {
const TOL = 1e-4;
const SEED = 17;

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number, act: PlanMBConv['act'] = 'relu6'): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act });
const ZERO: PlanCandidate = { kind: 'zero' };

// 16×16×3 → stem 8 → [residual: 3 candidates, one without expand, zero] → [stride 2, 8 → 16] → [residual 16, zero] → head 32 → 5 classes
const PLAN: SupernetPlan = {
  input: { height: 16, width: 16, channels: 3 },
  classes: 5,
  stem: { kernel: 3, stride: 1, out: 8 },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), ZERO] },
    { name: 'l1', candidates: [mb(3, 3, 2, 16), mb(5, 6, 2, 16, 'hswish')] },
    { name: 'l2', candidates: [mb(7, 3, 1, 16), mb(3, 6, 1, 16, 'relu'), ZERO] },
  ],
  head: { out: 32 },
};
// Without a head the last layer's output reaches the loss through affine maps only.
const NO_HEAD: SupernetPlan = { input: PLAN.input, classes: PLAN.classes, stem: PLAN.stem, layers: PLAN.layers };

// A Prunode (hidden width 16, steps of 4 down to 4) in the last layer, as in test/prunode.test.ts.
const PRUNODE: PlanPrunode = { kind: 'prunode', kernel: 3, expand: 4, stride: 1, out: 4, act: 'relu6', step: 4, minWidth: 4 };
const PRUNODE_PLAN: SupernetPlan = {
  input: { height: 6, width: 6, channels: 2 },
  classes: 3,
  stem: { kernel: 3, stride: 1, out: 4 },
  layers: [
    { name: 'l0', candidates: [mb(3, 2, 1, 4), ZERO] },
    { name: 'l1', candidates: [PRUNODE, mb(3, 2, 1, 4), ZERO] },
  ],
};

function batch(n: number, seed: number, plan: SupernetPlan = PLAN) {
  const rng = new TestRandom(seed);
  const { height, width, channels } = plan.input;
  return { x: rng.floats(n * height * width * channels), y: Int32Array.from({ length: n }, () => rng.int(0, plan.classes - 1)) };
}

/** A CPU net moved off its initialisation by steps in several modes and both optimizers (momentum and Adam moments exist). */
function trainedCpu(plan: SupernetPlan = PLAN): Supernet {
  const net = new Supernet(plan, SEED);
  if (plan === PRUNODE_PLAN) {
    for (let s = 0; s < 3; s++) net.weightStepSync({ samples: batch(6, 50 + s, plan), mode: 'single', choices: [0, 0], lr: 0.05, prunodeGates: [{ layer: 1, candidate: 0, big: 0.7, small: 0.3 }] });
    net.weightStepSync({ samples: batch(6, 60, plan), mode: 'single', choices: [0, 1], lr: 0.01, optimizer: 'adam' });
    return net;
  }
  net.weightStepSync({ samples: batch(8, 1, plan), mode: 'single', choices: [0, 1, 1], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 2, plan), mode: 'pair', choices: [1, 0, 0], others: [0, 1, 2], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 3, plan), mode: 'sum', weights: [[0.5, 0.3, 0.2], [0.4, 0.6], [0.3, 0.3, 0.4]], lr: 0.05 });
  net.weightStepSync({ samples: batch(8, 4, plan), mode: 'single', choices: [1, 1, 0], lr: 0.01, optimizer: 'adam' });
  return net;
}

/** The trained CPU net and a device net holding the same state. */
function twins(plan: SupernetPlan = PLAN): { cpu: Supernet; gpu: Supernet } {
  const cpu = trainedCpu(plan);
  const gpu = new Supernet(plan, SEED + 1, { device: DEVICE });
  gpu.loadState(cpu.saveState());
  return { cpu, gpu };
}

function withTwins(run: (cpu: Supernet, gpu: Supernet) => void, plan: SupernetPlan = PLAN): void {
  const { cpu, gpu } = twins(plan);
  try {
    run(cpu, gpu);
  } finally {
    cpu.dispose();
    gpu.dispose();
  }
}

// ---- comparisons ----

const norm = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
};

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

function expectScalar(label: string, got: number, want: number, tol = TOL): void {
  expect(Number.isFinite(got), `${label}: ${got}`).toBe(true);
  expect(Math.abs(got - want), `${label}: device ${got}, cpu ${want}`).toBeLessThanOrEqual(tol * Math.abs(want) + 1e-12);
}

interface Named {
  name: string;
  data: ArrayLike<number>;
}

/**
 * Per tensor ‖got − want‖ ≤ tol·max(‖want‖, 1e-3·‖all of want‖). The floor
 * keeps tensors that are zero in exact arithmetic (a BN β whose output
 * meets another BN through linear maps only: ~1e-10 of rounding) from
 * turning rounding into a large relative error.
 */
function expectTensors(label: string, got: readonly Named[], want: readonly Named[], tol = TOL): void {
  expect(got.map((t) => t.name), `${label}: names`).toEqual(want.map((t) => t.name));
  const floor = 1e-3 * Math.sqrt(want.reduce((s, t) => s + norm(t.data) ** 2, 0));
  got.forEach((t, i) => {
    const w = want[i].data;
    expect(t.data.length, `${label}: ${t.name} size`).toBe(w.length);
    const err = distance(t.data, w) / Math.max(norm(w), floor, 1e-30);
    expect(err, `${label}: ${t.name} relative error`).toBeLessThanOrEqual(tol);
  });
}

/** Weights, momentum, Adam moments (where either has them) and BN running statistics. */
function expectStates(label: string, got: SupernetState, want: SupernetState, tol = TOL): void {
  const field = (s: SupernetState, f: 'value' | 'momentum' | 'adamM' | 'adamV') => s.parameters.flatMap((p) => (p[f] ? [{ name: p.name, data: p[f]! }] : []));
  expectTensors(`${label} values`, field(got, 'value'), field(want, 'value'), tol);
  expectTensors(`${label} momentum`, field(got, 'momentum'), field(want, 'momentum'), tol);
  expectTensors(`${label} adam m`, field(got, 'adamM'), field(want, 'adamM'), tol);
  expectTensors(`${label} adam v`, field(got, 'adamV'), field(want, 'adamV'), tol);
  got.parameters.forEach((p, i) => {
    expect(p.momentumStarted, `${label}: ${p.name} momentumStarted`).toBe(want.parameters[i].momentumStarted);
    expect(p.adamSteps ?? 0, `${label}: ${p.name} adamSteps`).toBe(want.parameters[i].adamSteps ?? 0);
  });
  const bn = (s: SupernetState, f: 'mean' | 'var') => s.batchnorm.map((b) => ({ name: b.name ?? '', data: b[f] }));
  expectTensors(`${label} running mean`, bn(got, 'mean'), bn(want, 'mean'), tol);
  expectTensors(`${label} running var`, bn(got, 'var'), bn(want, 'var'), tol);
  expect(got.removed, `${label}: removals`).toEqual(want.removed);
}

function expectSameStateBits(label: string, got: SupernetState, want: SupernetState): void {
  expect(got.parameters.map((p) => p.name)).toEqual(want.parameters.map((p) => p.name));
  got.parameters.forEach((p, i) => {
    const q = want.parameters[i];
    expect(bitEqual(p.value, q.value), `${label}: ${p.name} value`).toBe(true);
    expect(bitEqual(p.momentum, q.momentum), `${label}: ${p.name} momentum`).toBe(true);
    expect(p.momentumStarted, `${label}: ${p.name} momentumStarted`).toBe(q.momentumStarted);
    expect(p.adamSteps ?? 0, `${label}: ${p.name} adamSteps`).toBe(q.adamSteps ?? 0);
    if (p.adamM || q.adamM) expect(bitEqual(p.adamM!, q.adamM!) && bitEqual(p.adamV!, q.adamV!), `${label}: ${p.name} adam`).toBe(true);
  });
  got.batchnorm.forEach((b, i) => expect(bitEqual(b.mean, want.batchnorm[i].mean) && bitEqual(b.var, want.batchnorm[i].var), `${label}: ${b.name} running stats`).toBe(true));
}

/**
 * Same NaN pattern (gates a step did not evaluate); the others within TOL of
 * the layer's largest gate, plus GATE_NOISE of the step's gate scale: the
 * largest gate, and at least a thousandth of the loss. A gate ⟨∂L/∂y, o⟩ can
 * cancel far below the size of its terms (a layer whose output meets a
 * train-mode BN through linear maps only: the loss ignores its scale up to
 * BN's ε), and then carries their rounding, which two summation orders, or
 * FMA contraction on one side, change: measured on the emulated CUDA
 * backend with contraction, up to 1.5e-9 on a loss of 1.39 whose largest
 * gate was 1.1e-6.
 */
const GATE_NOISE = 1e-5;
function expectGates(label: string, got: Float64Array[], want: Float64Array[], loss: number, tol = TOL): void {
  const global = Math.max(...want.flatMap((row) => Array.from(row).filter((g) => !Number.isNaN(g)).map(Math.abs)), 0);
  const noise = GATE_NOISE * Math.max(global, 1e-3 * Math.abs(loss));
  want.forEach((row, l) => {
    const scale = Math.max(...Array.from(row).filter((g) => !Number.isNaN(g)).map(Math.abs), 1e-3 * global, 1e-30);
    row.forEach((w, k) => {
      const g = got[l][k];
      if (Number.isNaN(w)) {
        expect(Number.isNaN(g), `${label}: gate [${l}][${k}] is not evaluated on the CPU and must be NaN, got ${g}`).toBe(true);
        return;
      }
      expect(Math.abs(g - w), `${label}: gate [${l}][${k}] device ${g}, cpu ${w}`).toBeLessThanOrEqual(tol * scale + noise);
    });
  });
}

function expectOutcomes(label: string, got: StepOutcome, want: StepOutcome): void {
  expectScalar(`${label} loss`, got.loss, want.loss);
  expect(got.correct, `${label} correct`).toBe(want.correct);
  expect(got.count, `${label} count`).toBe(want.count);
  if (want.choices) expect(Array.from(got.choices ?? []), `${label} choices`).toEqual(Array.from(want.choices));
  if (want.others) expect(Array.from(got.others ?? []), `${label} others`).toEqual(Array.from(want.others));
  expectGates(`${label} gates`, got.gates, want.gates, want.loss);
}

/** Whether a parameter is on the paths: the stem, head and classifier always; a candidate's when chosen. */
function onPath(name: string, chosen: (layer: number, k: number) => boolean): boolean {
  const m = /^layers\.(\d+)\.op(\d+)\./.exec(name);
  return !m || chosen(Number(m[1]), Number(m[2]));
}

function gradients(net: Supernet, keep: (name: string) => boolean): Named[] {
  return net.parameters().flatMap((p, i) => (keep(p.name) ? [{ name: p.name, data: net.readParameter(i, 'grad') }] : []));
}

function logitsOf(net: Supernet, samples: { x: Float32Array; y: Int32Array }, choices: number[], batchSize?: number) {
  const logits = new Float32Array(samples.y.length * net.plan.classes);
  const r = net.evaluateSync({ samples, choices, logits, ...(batchSize ? { batchSize } : {}) });
  return { ...r, logits };
}

// ---- tests ----

describe.skipIf(skip)(`the supernet on ${DEVICE} equals the CPU supernet (fp32)`, () => {
  afterAll(() => {
    if (DEVICE.startsWith('cuda:')) console.log(`[gpu tests] allocator after the supernet tests: ${JSON.stringify(gpuMemoryStats(Number(DEVICE.slice(5))))}`);
  });

  const allocations = () => {
    if (!DEVICE.startsWith('cuda:')) return 0;
    const s = gpuMemoryStats(Number(DEVICE.slice(5)));
    return s.driverAllocations + s.cacheHits;
  };

  it('the same seed builds the same state, bit for bit, with the same parameter list and bytes; steps use the device', () => {
    const cpu = new Supernet(PLAN, SEED);
    const gpu = new Supernet(PLAN, SEED, { device: DEVICE });
    try {
      expect(gpu.device).toBe(DEVICE);
      expect(gpu.parameters()).toEqual(cpu.parameters());
      expect(gpu.memoryStats().parameterBytes).toBe(cpu.memoryStats().parameterBytes);
      expectSameStateBits('initial state', gpu.saveState(), cpu.saveState());
      // the step really runs there: the device allocator serves its activations
      const before = allocations();
      gpu.weightStepSync({ samples: batch(8, 9), mode: 'single', choices: [0, 0, 0], lr: 0.05 });
      if (DEVICE.startsWith('cuda:')) expect(allocations()).toBeGreaterThan(before);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('a loaded state reads back bit for bit', () => {
    withTwins((cpu, gpu) => expectSameStateBits('loaded state', gpu.saveState(), cpu.saveState()));
  });

  for (const choices of [
    [0, 1, 1],
    [1, 0, 2], // l2's active path is `zero`
  ]) {
    it(`single weight step (SGD, Nesterov, weight decay) on ${choices}: loss, gradients, parameters, momentum, BN statistics, activation bytes`, () => {
      withTwins((cpu, gpu) => {
        const before = gpu.saveState();
        const samples = batch(8, 10);
        const o = { samples, mode: 'single' as const, choices, lr: 0.05, weightDecay: 4e-5 };
        expectOutcomes('single', gpu.weightStepSync(o), cpu.weightStepSync(o));
        const path = (name: string) => onPath(name, (l, k) => k === choices[l]);
        expectTensors('gradients', gradients(gpu, path), gradients(cpu, path));
        const after = gpu.saveState();
        expectStates('after the step', after, cpu.saveState());
        // parameters off the path keep their value and optimizer state exactly
        after.parameters.forEach((p, i) => {
          if (path(p.name)) return;
          expect(bitEqual(p.value, before.parameters[i].value) && bitEqual(p.momentum, before.parameters[i].momentum), `${p.name} is off the path and must not move`).toBe(true);
        });
        // the same layer code counts the activations on both devices
        expect(gpu.memoryStats().peakBytes).toBe(cpu.memoryStats().peakBytes);
        expect(gpu.memoryStats().currentBytes).toBe(0);
      });
    });
  }

  for (const decoupled of [false, true]) {
    it(`single weight step with Adam${decoupled ? 'W' : ''}: moments and parameters`, () => {
      withTwins((cpu, gpu) => {
        const samples = batch(8, 11);
        const choices = [1, 1, 0]; // Adam moments exist for this path (trainedCpu), so this is their second step
        for (const net of [cpu, gpu]) expect(net.saveState().parameters.some((p) => (p.adamSteps ?? 0) > 0)).toBe(true);
        // eps 1e-4, not 1e-8: a gradient that vanishes in exact arithmetic (a
        // BN β meeting a train-mode BN through linear maps) is rounding noise
        // of ~1e-10 that differs between devices, and Adam moves a weight by
        // about lr·gradient/eps there: 1e-4 with eps 1e-8, 1e-8 with 1e-4.
        const o = { samples, mode: 'single' as const, choices, lr: 0.01, optimizer: 'adam' as const, eps: 1e-4, weightDecay: 1e-3, decoupled };
        expectOutcomes('adam', gpu.weightStepSync(o), cpu.weightStepSync(o));
        const o2 = { ...o, samples: batch(8, 12), choices: [0, 0, 1] }; // a first Adam step for other candidates
        expectOutcomes('adam, new path', gpu.weightStepSync(o2), cpu.weightStepSync(o2));
        expectStates('after Adam', gpu.saveState(), cpu.saveState(), 2 * TOL); // two steps
      });
    });
  }

  it('weight steps in pair, echo and sum mode', () => {
    const steps = [
      { mode: 'pair' as const, choices: [0, 1, 1], others: [2, 0, 0] },
      { mode: 'echo' as const, choices: [2, 0, 1] },
      { mode: 'sum' as const, weights: [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0, 0.75]] }, // a zero weight: gradient back, no weight update
    ];
    for (const paths of steps) {
      withTwins((cpu, gpu) => {
        const o = { samples: batch(8, 13), lr: 0.05, ...paths };
        expectOutcomes(`${paths.mode} weight step`, gpu.weightStepSync(o), cpu.weightStepSync(o));
        expectStates(`after a ${paths.mode} weight step`, gpu.saveState(), cpu.saveState());
        if (paths.mode === 'sum') {
          const live = (name: string) => onPath(name, (l, k) => paths.weights[l][k] !== 0);
          expectTensors('sum gradients', gradients(gpu, live), gradients(cpu, live));
        }
      });
    }
  });

  it('architecture steps: pair, echo and sum give the loss and gates of the CPU; weights stay, running statistics move only when asked', () => {
    withTwins((cpu, gpu) => {
      const samples = batch(8, 14);
      const specs = [
        { mode: 'pair' as const, choices: [0, 1, 1], others: [2, 0, 0] }, // l0's second path is `zero`: g_b = 0
        { mode: 'pair' as const, choices: [2, 0, 2], others: [1, 1, 0] }, // `zero` active
        { mode: 'echo' as const, choices: [1, 1, 0] },
        { mode: 'echo' as const, choices: [2, 0, 2] },
        { mode: 'sum' as const, weights: [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0, 0.75]] },
        { mode: 'single' as const, choices: [0, 0, 0] },
      ];
      const before = gpu.saveState();
      for (const spec of specs)
        for (const labelSmoothing of [0, 0.1]) expectOutcomes(`arch ${spec.mode} ${JSON.stringify(spec)}`, gpu.archStepSync({ samples, labelSmoothing, ...spec }), cpu.archStepSync({ samples, labelSmoothing, ...spec }));
      expectSameStateBits('after architecture steps', gpu.saveState(), before);
      const o = { samples, mode: 'echo' as const, choices: [0, 1, 1], updateRunningStats: true };
      expectOutcomes('arch with running statistics', gpu.archStepSync(o), cpu.archStepSync(o));
      expectStates('running statistics', gpu.saveState(), cpu.saveState());
    });
  });

  it('a step waits for the device once, at its end: weight and architecture steps in every mode, async ones, a Prunode step', async () => {
    const specs = [
      { mode: 'single' as const, choices: [0, 1, 1] },
      { mode: 'pair' as const, choices: [0, 1, 1], others: [2, 0, 0] },
      { mode: 'echo' as const, choices: [2, 0, 1] },
      { mode: 'sum' as const, weights: [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0, 0.75]] },
    ];
    const { cpu, gpu } = twins();
    try {
      const samples = batch(8, 15);
      const waitsOf = async (net: Supernet, step: () => unknown): Promise<number> => {
        const before = net.memoryStats().hostWaits;
        await step();
        return net.memoryStats().hostWaits - before;
      };
      for (const spec of specs) {
        const o = { samples, lr: 0.05, ...spec };
        expect(await waitsOf(gpu, () => gpu.weightStepSync(o)), `weight step ${spec.mode}`).toBe(1);
        expect(await waitsOf(gpu, () => gpu.archStepSync({ samples, ...spec })), `arch step ${spec.mode}`).toBe(1);
        expect(await waitsOf(gpu, () => gpu.weightStep(o)), `async weight step ${spec.mode}`).toBe(1);
        expect(await waitsOf(cpu, () => cpu.weightStepSync(o)), 'the CPU never waits').toBe(0);
      }
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
    withTwins((_cpu, gpu) => {
      const before = gpu.memoryStats().hostWaits;
      const outcome = gpu.weightStepSync({ samples: batch(6, 16, PRUNODE_PLAN), mode: 'single', choices: [0, 0], lr: 0.05, prunodeGates: [{ layer: 1, candidate: 0, big: 0.7, small: 0.3 }] });
      expect(gpu.memoryStats().hostWaits - before, 'Prunode step').toBe(1);
      expect(Number.isFinite(outcome.loss)).toBe(true);
    }, PRUNODE_PLAN);
  });

  it('natively sampled paths: the same choices and the same steps', () => {
    withTwins((cpu, gpu) => {
      const probabilities = cpu.candidateCounts.map((c, l) => Array.from({ length: c }, (_, k) => (k + 1 + l) / ((c * (c + 1)) / 2 + c * l)));
      for (const counter of [0, 3, 1000]) {
        const sample = { probabilities, seed: 5, counter };
        for (const mode of ['single', 'pair'] as const) {
          const a = gpu.samplePaths(mode, sample);
          const b = cpu.samplePaths(mode, sample);
          expect(Array.from(a.choices)).toEqual(Array.from(b.choices));
          expect(Array.from(a.others)).toEqual(Array.from(b.others));
        }
        const samples = batch(8, 20 + counter);
        expectOutcomes(`sampled pair arch step ${counter}`, gpu.archStepSync({ samples, mode: 'pair', sample }), cpu.archStepSync({ samples, mode: 'pair', sample }));
        const w = { samples, mode: 'single' as const, sample, lr: 0.05 };
        expectOutcomes(`sampled weight step ${counter}`, gpu.weightStepSync(w), cpu.weightStepSync(w));
        gpu.loadState(cpu.saveState()); // the next comparison starts from one state again
      }
    });
  });

  it('evaluate: logits, loss and per-class counts, whole and in batches, one path and sum mode', () => {
    withTwins((cpu, gpu) => {
      const samples = batch(13, 15);
      for (const choices of [
        [0, 1, 1],
        [2, 0, 2],
      ]) {
        for (const batchSize of [undefined, 4]) {
          const a = logitsOf(gpu, samples, choices, batchSize);
          const b = logitsOf(cpu, samples, choices, batchSize);
          expectTensors(`logits ${choices} ${batchSize}`, [{ name: 'logits', data: a.logits }], [{ name: 'logits', data: b.logits }]);
          expectScalar('eval loss', a.loss, b.loss);
          expect(a.correct).toBe(b.correct);
          expect(Array.from(a.perClassCorrect)).toEqual(Array.from(b.perClassCorrect));
        }
      }
      const weights = [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0.5, 0.25]];
      const a = new Float32Array(13 * 5);
      const b = new Float32Array(13 * 5);
      expectScalar('sum eval loss', gpu.evaluateSync({ samples, mode: 'sum', weights, logits: a }).loss, cpu.evaluateSync({ samples, mode: 'sum', weights, logits: b }).loss);
      expectTensors('sum logits', [{ name: 'logits', data: a }], [{ name: 'logits', data: b }]);
    });
  });

  it('BN recalibration, then evaluate', async () => {
    const { cpu, gpu } = twins();
    try {
      const choices = [1, 1, 1];
      const calibration = batch(24, 16);
      const ra = await gpu.recalibrateBn({ samples: calibration, choices, batchSize: 8 });
      const rb = await cpu.recalibrateBn({ samples: calibration, choices, batchSize: 8 });
      expectScalar('recalibration loss', ra.loss, rb.loss);
      expectStates('recalibrated statistics', gpu.saveState(), cpu.saveState());
      const samples = batch(8, 17);
      const a = await gpu.evaluate(samples, choices);
      const b = await cpu.evaluate(samples, choices);
      expectScalar('loss after recalibration', a.loss, b.loss);
      expect(a.correct).toBe(b.correct);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('async steps equal the sync ones', async () => {
    const { cpu, gpu } = twins();
    try {
      const o = { samples: batch(8, 18), mode: 'single' as const, choices: [0, 1, 1], lr: 0.05 };
      const [a, b] = await Promise.all([gpu.weightStep(o), cpu.weightStep(o)]);
      expectOutcomes('async weight step', a, b);
      const e = { samples: batch(8, 19), mode: 'echo' as const, choices: [1, 0, 0] };
      expectOutcomes('async echo', await gpu.archStep(e), await cpu.archStep(e));
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('removing a candidate and a layer frees the same bytes, then a step agrees', () => {
    withTwins((cpu, gpu) => {
      for (const net of [cpu, gpu]) {
        net.removeCandidate('l0', 1);
        net.removeCandidate(1, 1);
        net.removeLayer('l2');
      }
      expect(gpu.structure()).toEqual(cpu.structure());
      expect(gpu.parameters()).toEqual(cpu.parameters());
      expect(gpu.memoryStats().parameterBytes).toBe(cpu.memoryStats().parameterBytes);
      const o = { samples: batch(8, 21), mode: 'single' as const, choices: [0, 0, -1], lr: 0.05 };
      expectOutcomes('after removal', gpu.weightStepSync(o), cpu.weightStepSync(o));
      expectStates('after removal', gpu.saveState(), cpu.saveState());
      const e = { samples: batch(8, 22), mode: 'echo' as const, choices: [2, 0, -1] };
      expectOutcomes('echo after removal', gpu.archStepSync(e), cpu.archStepSync(e));
      expect(gpu.memoryStats().peakBytes).toBe(cpu.memoryStats().peakBytes);
    });
  });

  it('checkpoint round trip on the device: state and parameters read from one net and written into fresh ones', () => {
    const a = new Supernet(PLAN, SEED, { device: DEVICE });
    const b = new Supernet(PLAN, SEED + 100, { device: DEVICE });
    const c = new Supernet(PLAN, SEED + 200, { device: DEVICE });
    try {
      a.weightStepSync({ samples: batch(8, 30), mode: 'single', choices: [0, 1, 1], lr: 0.05 });
      a.weightStepSync({ samples: batch(8, 31), mode: 'sum', weights: [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0.5, 0.25]], lr: 0.05 });
      a.weightStepSync({ samples: batch(8, 32), mode: 'single', choices: [1, 0, 0], lr: 0.01, optimizer: 'adam' });
      a.removeCandidate('l0', 1);
      // saveState / loadState: everything, removals included
      const state = a.saveState();
      b.loadState(state);
      expectSameStateBits('loaded into a fresh device net', b.saveState(), state);
      const samples = batch(8, 33);
      for (const choices of [
        [0, 1, 1],
        [2, 0, 2],
      ])
        expect(bitEqual(logitsOf(b, samples, choices).logits, logitsOf(a, samples, choices).logits), `logits on ${choices}`).toBe(true);
      const o = { samples: batch(8, 34), mode: 'single' as const, choices: [0, 1, 1], lr: 0.05 };
      expect(b.weightStepSync(o).loss).toBe(a.weightStepSync(o).loss);
      expectSameStateBits('one step after loading', b.saveState(), a.saveState());
      // readParameter / writeParameter: the weights alone give the same train-mode loss (BN on batch statistics)
      c.removeCandidate('l0', 1);
      a.parameters().forEach((_, i) => c.writeParameter(i, a.readParameter(i)));
      a.parameters().forEach((p, i) => expect(bitEqual(c.readParameter(i), a.readParameter(i)), p.name).toBe(true));
      const t = { samples, mode: 'single' as const, choices: [2, 1, 0] };
      expect(c.archStepSync(t).loss).toBe(a.archStepSync(t).loss);
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('two device runs with the same seed are bit-identical', () => {
    const run = () => {
      const net = new Supernet(PLAN, SEED, { device: DEVICE });
      const uniform = net.candidateCounts.map((c) => new Array<number>(c).fill(1 / c));
      const outcomes: StepOutcome[] = [
        net.weightStepSync({ samples: batch(8, 40), mode: 'single', choices: [0, 1, 1], lr: 0.05 }),
        net.weightStepSync({ samples: batch(8, 41), mode: 'pair', choices: [1, 0, 2], others: [0, 1, 0], lr: 0.05 }),
        net.weightStepSync({ samples: batch(8, 42), mode: 'sum', weights: uniform, lr: 0.05 }),
        net.weightStepSync({ samples: batch(8, 43), mode: 'single', sample: { probabilities: uniform, seed: 3, counter: 7 }, lr: 0.02, optimizer: 'adam' }),
        net.archStepSync({ samples: batch(8, 44), mode: 'echo', choices: [2, 1, 0] }),
        net.archStepSync({ samples: batch(8, 45), mode: 'pair', sample: { probabilities: uniform, seed: 3, counter: 8 } }),
        net.archStepSync({ samples: batch(8, 46), mode: 'sum', weights: uniform, updateRunningStats: true }),
      ];
      net.recalibrateBnSync({ samples: batch(16, 47), choices: [1, 1, 1], batchSize: 8 });
      const logits = logitsOf(net, batch(8, 48), [1, 1, 1]).logits;
      const state = net.saveState();
      net.dispose();
      return { outcomes, logits, state };
    };
    const a = run();
    const b = run();
    a.outcomes.forEach((o, i) => {
      expect(o.loss, `step ${i} loss`).toBe(b.outcomes[i].loss);
      expect(o.correct, `step ${i} correct`).toBe(b.outcomes[i].correct);
      o.gates.forEach((row, l) => expect(Array.from(row), `step ${i} gates of layer ${l}`).toEqual(Array.from(b.outcomes[i].gates[l])));
    });
    expect(bitEqual(a.logits, b.logits), 'logits').toBe(true);
    expectSameStateBits('two runs', a.state, b.state);
  });

  it('gate gradients of the last layer equal central differences of the device loss (sum, echo, pair); earlier layers roughly', () => {
    withTwins((cpu, gpu) => {
      const samples = batch(8, 50, NO_HEAD);
      const smoothing = 0.1;
      const loss = (weights: number[][]) => gpu.archStepSync({ samples, mode: 'sum', weights, labelSmoothing: smoothing }).loss;
      const finiteDifference = (z: number[][], l: number, k: number, h: number) => {
        const at = (d: number) => z.map((row, ll) => row.map((v, kk) => (ll === l && kk === k ? v + d : v)));
        return (loss(at(h)) - loss(at(-h))) / (2 * h);
      };
      const last = NO_HEAD.layers.length - 1;
      const oneHot = (choices: number[]) => NO_HEAD.layers.map((layer, l) => layer.candidates.map((_, k) => (k === choices[l] ? 1 : 0)));
      const checks: { label: string; z: number[][]; gates: Float64Array[] }[] = [];
      const weights = [[0.2, 0.5, 0.3], [0.7, 0.3], [0.25, 0.35, 0.4]];
      checks.push({ label: 'sum', z: weights, gates: gpu.archStepSync({ samples, mode: 'sum', weights, labelSmoothing: smoothing }).gates });
      for (const choices of [
        [0, 1, 1],
        [2, 0, 2],
      ])
        checks.push({ label: `echo ${choices}`, z: oneHot(choices), gates: gpu.archStepSync({ samples, mode: 'echo', choices, labelSmoothing: smoothing }).gates });
      checks.push({ label: 'pair', z: oneHot([1, 1, 0]), gates: gpu.archStepSync({ samples, mode: 'pair', choices: [1, 1, 0], others: [0, 0, 1], labelSmoothing: smoothing }).gates });
      let worstLast = 0;
      let worstEarlier = 0;
      for (const { label, z, gates } of checks) {
        // the last layer: L is smooth in its gates (affine maps, then cross-entropy)
        const scale = Math.max(...Array.from(gates[last]).filter((g) => !Number.isNaN(g)).map(Math.abs));
        expect(scale, `${label}: the last layer's gates must not vanish`).toBeGreaterThan(1e-5);
        gates[last].forEach((g, k) => {
          if (Number.isNaN(g)) return;
          const fd = finiteDifference(z, last, k, 0.05);
          worstLast = Math.max(worstLast, Math.abs(g - fd) / scale);
          expect(Math.abs(g - fd), `${label}: last layer gate ${k}: device ${g}, finite difference ${fd}`).toBeLessThanOrEqual(1e-3 * scale + 1e-8); // measured 2e-6 on the CPU
        });
        // earlier layers: ReLU6 kinks and train-mode BN leave a float32 difference quotient a few percent off (h = 1e-3, measured ≤ 4% on the CPU)
        for (let l = 0; l < last; l++) {
          const row = Array.from(gates[l]).filter((g) => !Number.isNaN(g));
          const layerScale = Math.max(...row.map(Math.abs));
          gates[l].forEach((g, k) => {
            if (Number.isNaN(g)) return;
            const fd = finiteDifference(z, l, k, 1e-3);
            worstEarlier = Math.max(worstEarlier, Math.abs(g - fd) / layerScale);
            expect(Math.abs(g - fd), `${label}: layer ${l} gate ${k}: device ${g}, finite difference ${fd}`).toBeLessThanOrEqual(0.25 * layerScale + 1e-7);
          });
        }
      }
      console.log(`[gpu tests] gates vs central differences on ${DEVICE}: worst error / layer scale ${worstLast.toExponential(1)} (last layer), ${worstEarlier.toExponential(1)} (earlier layers)`);
      // and the same gates as the CPU engine
      const c = cpu.archStepSync({ samples, mode: 'sum', weights, labelSmoothing: smoothing });
      expectGates('sum gates vs cpu', checks[0].gates, c.gates, c.loss);
    }, NO_HEAD);
  });

  it('a DNA block plan: weight steps to a target map, the features at two layers, the evaluation sums', async () => {
    const block = blockPlan({ height: 6, width: 6, channels: 5 }, [
      { name: 'a', candidates: [mb(3, 3, 2, 8), mb(5, 1, 2, 8)] },
      { name: 'b', candidates: [mb(3, 3, 1, 8), mb(3, 6, 1, 8), ZERO] },
    ]);
    const cpu = new Supernet(block, SEED);
    const gpu = new Supernet(block, SEED, { device: DEVICE });
    try {
      const rng = new TestRandom(81);
      const samples = { x: rng.floats(3 * 6 * 6 * 5), target: rng.floats(3 * 3 * 3 * 8) };
      for (const choices of [[0, 1], [1, 2], [0, 0]]) {
        const o = { samples, mode: 'single' as const, choices, lr: 0.05 };
        const waits = gpu.memoryStats().hostWaits;
        expectOutcomes(`block weight step on ${choices}`, gpu.weightStepSync(o), cpu.weightStepSync(o));
        expect(gpu.memoryStats().hostWaits - waits, 'a block step waits once too').toBe(1);
      }
      expectStates('block after its steps', gpu.saveState(), cpu.saveState());
      const [fg, fc] = await Promise.all([gpu, cpu].map((net) => net.features({ samples: { x: samples.x }, choices: [0, 1], layers: [0, 1] })));
      fc.forEach((f, i) => expectTensors(`features at layer ${i}`, [{ name: `layer ${i}`, data: fg[i] }], [{ name: `layer ${i}`, data: f }]));
      const [eg, ec] = await Promise.all([gpu, cpu].map((net) => net.evaluate({ samples, choices: [1, 1] })));
      expectScalar('block evaluation loss', eg.loss, ec.loss);
      for (const key of ['squared', 'absolute', 'target', 'targetSquared'] as const) expectScalar(`regression ${key}`, eg.regression![key], ec.regression![key]);
      expect(eg.regression!.values).toBe(ec.regression!.values);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('a Prunode supernet: soft-gated steps, Prunode gate gradients (vs the CPU and central differences), a shrink, then a step', () => {
    withTwins((cpu, gpu) => {
      const samples = batch(6, 70, PRUNODE_PLAN);
      const choices = [0, 0];
      const prunodeGates = (big: number, small: number) => [{ layer: 1, candidate: 0, big, small }];
      for (const [big, small] of [
        [1, 0],
        [0.6, 0.4],
        [1.2, -0.3],
      ]) {
        const a = gpu.gradients(samples, choices, 0, prunodeGates(big, small));
        const b = cpu.gradients(samples, choices, 0, prunodeGates(big, small));
        const path = (name: string) => onPath(name, (l, k) => k === choices[l]);
        expectTensors(`weight gradients at (${big}, ${small})`, gradients(gpu, path), gradients(cpu, path)); // before the differences below overwrite them
        expectScalar(`prunode loss at (${big}, ${small})`, a.loss, b.loss);
        expect(a.prunodeGrads).toHaveLength(1);
        const g = a.prunodeGrads[0];
        const want = b.prunodeGrads[0];
        const scale = Math.max(Math.abs(want.big), Math.abs(want.small));
        expect(Math.abs(g.big - want.big), `∂L/∂z_big device ${g.big}, cpu ${want.big}`).toBeLessThanOrEqual(TOL * scale);
        expect(Math.abs(g.small - want.small), `∂L/∂z_small device ${g.small}, cpu ${want.small}`).toBeLessThanOrEqual(TOL * scale);
        // the Prunode sits in the last layer (no head): the loss is smooth in its gates
        const lossAt = (zb: number, zs: number) => gpu.gradients(samples, choices, 0, prunodeGates(zb, zs)).loss;
        const eps = 1e-2;
        const fdBig = (lossAt(big + eps, small) - lossAt(big - eps, small)) / (2 * eps);
        const fdSmall = (lossAt(big, small + eps) - lossAt(big, small - eps)) / (2 * eps);
        expect(Math.abs(g.big - fdBig), `∂L/∂z_big ${g.big} vs finite difference ${fdBig}`).toBeLessThan(2e-7 + 2e-3 * Math.abs(fdBig));
        expect(Math.abs(g.small - fdSmall), `∂L/∂z_small ${g.small} vs finite difference ${fdSmall}`).toBeLessThan(2e-7 + 2e-3 * Math.abs(fdSmall));
      }
      const o = { samples, mode: 'single' as const, choices, lr: 0.05, prunodeGates: prunodeGates(0.7, 0.3) };
      expectOutcomes('soft-gated weight step', gpu.weightStepSync(o), cpu.weightStepSync(o));
      expectStates('after a soft-gated step', gpu.saveState(), cpu.saveState());
      gpu.loadState(cpu.saveState());
      // a trained net and a loaded one may hold optimizer buffers for different tensors: compare what the shrink frees
      const freed = [cpu, gpu].map((net) => {
        const before = net.memoryStats().parameterBytes;
        net.shrinkPrunode(1, 0);
        return before - net.memoryStats().parameterBytes;
      });
      expect(freed[1]).toBe(freed[0]);
      expect(freed[0]).toBeGreaterThan(0);
      expect(gpu.prunodes()).toEqual(cpu.prunodes());
      expectSameStateBits('after a shrink', gpu.saveState(), cpu.saveState());
      const s = { ...o, samples: batch(6, 71, PRUNODE_PLAN), optimizer: 'adam' as const, lr: 0.01 };
      expectOutcomes('weight step after a shrink', gpu.weightStepSync(s), cpu.weightStepSync(s));
      expectStates('after a shrink and a step', gpu.saveState(), cpu.saveState());
    }, PRUNODE_PLAN);
  });
});
}
