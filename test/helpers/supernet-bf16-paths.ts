// The bf16 engine's paths that test/helpers/supernet-bf16.ts does not
// take, against the float32 CPU engine within the same bf16 accuracy (loss,
// losses' sums and features within 2e-2, gradients and gate gradients within
// 5e-2, norm-wise): Prunode channel gates and their gradients (on a
// one-channel input, as Fashion-MNIST's), then an Adam step; a DNA block
// plan (target maps uploaded as bf16, the MSE loss, features and the
// evaluation sums downloaded); BN recalibration; and a batch assembled on the
// device from a native dataset (float32, then rounded to bf16), which must
// give the step of the same batch assembled on the host and uploaded. The
// nets use hswish, for the reason test/helpers/supernet-bf16.ts gives.
//
// Runs on a CUDA device (test/gpu/supernet-bf16-paths.test.ts) and on
// "cpu-mirrored" in its bf16 emulation (test/supernet-mirrored-bf16.test.ts).
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../src/data/dataset.js';
import { blockPlan, type PlanMBConv, type PlanPrunode, type SupernetPlan } from '../../src/engine/plan.js';
import { Supernet } from '../../src/engine/supernet.js';
import { relativeError } from '../gpu/gpu-skip.js';
import { TestRandom } from './random.js';

export function supernetBf16PathsSuite(DEVICE: string, skip: boolean): void {
  // cuDNN and cuBLAS also round the weights to bf16 inside their products
  // (the emulation keeps them float32): about as much error again.
  const GRAD_TOL = DEVICE.startsWith('cuda:') ? 8e-2 : 5e-2;
const LOSS_TOL = 2e-2;


const mb = (kernel: number, expand: number, stride: 1 | 2, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act: 'hswish' });
const PRUNODE: PlanPrunode = { kind: 'prunode', kernel: 3, expand: 4, stride: 1, out: 8, act: 'hswish', step: 8, minWidth: 8 };
const PRUNODE_PLAN: SupernetPlan = {
  input: { height: 12, width: 12, channels: 1 },
  classes: 4,
  stem: { kernel: 3, stride: 2, out: 8, act: 'hswish' },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), { kind: 'zero' }] },
    { name: 'l1', candidates: [PRUNODE, mb(3, 2, 1, 8), { kind: 'zero' }] },
  ],
};

function batch(plan: SupernetPlan, n: number, seed: number) {
  const rng = new TestRandom(seed);
  const { height, width, channels } = plan.input;
  return { x: rng.floats(n * height * width * channels), y: Int32Array.from({ length: n }, () => rng.int(0, plan.classes - 1)) };
}

function device(plan: SupernetPlan, from: Supernet): Supernet {
  const net = new Supernet(plan, 2, { device: DEVICE, precision: 'bf16' });
  net.loadState(from.saveState());
  return net;
}

const relative = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);

/** Per tensor ‖got − want‖ ≤ GRAD_TOL·max(‖want‖, 1e-2·‖all of want‖) (the floor: tensors ~0 in exact arithmetic). */
function expectGradients(label: string, got: Supernet, want: Supernet, keep: (name: string) => boolean): void {
  const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((t, x) => t + x * x, 0));
  const names = want.parameters().map((p) => p.name);
  const g = names.map((_, i) => got.readParameter(i, 'grad'));
  const w = names.map((_, i) => want.readParameter(i, 'grad'));
  const floor = 1e-2 * Math.sqrt(w.reduce((t, v) => t + norm(v) ** 2, 0));
  names.forEach((name, i) => {
    if (!keep(name)) return;
    const diff = norm(Array.from(w[i], (v, j) => g[i][j] - v));
    expect(diff / Math.max(norm(w[i]), floor), `${label}: ${name} gradient`).toBeLessThan(GRAD_TOL);
  });
}

describe.skipIf(skip)(`the supernet's other paths in bf16 on ${DEVICE}`, () => {
  it('Prunode channel gates: loss, weight gradients and Prunode gate gradients; then an Adam step', () => {
    const cpu = new Supernet(PRUNODE_PLAN, 1);
    const gpu = device(PRUNODE_PLAN, cpu);
    try {
      const samples = batch(PRUNODE_PLAN, 8, 3);
      const choices = [0, 0];
      const onPath = (name: string) => !/^layers\.\d+\.op[1-9]\./.test(name);
      for (const [big, small] of [
        [0.6, 0.4],
        [1.2, -0.3],
      ]) {
        const gates = [{ layer: 1, candidate: 0, big, small }];
        const a = gpu.gradients(samples, choices, 0, gates);
        const b = cpu.gradients(samples, choices, 0, gates);
        expect(relative(a.loss, b.loss), `loss at (${big}, ${small}): ${a.loss} vs ${b.loss}`).toBeLessThan(LOSS_TOL);
        expectGradients(`gates (${big}, ${small})`, gpu, cpu, onPath);
        const [g] = a.prunodeGrads;
        const [want] = b.prunodeGrads;
        const scale = Math.max(Math.abs(want.big), Math.abs(want.small));
        expect(scale).toBeGreaterThan(0);
        expect(Math.abs(g.big - want.big) / scale, `∂L/∂z_big ${g.big} vs ${want.big}`).toBeLessThan(GRAD_TOL);
        expect(Math.abs(g.small - want.small) / scale, `∂L/∂z_small ${g.small} vs ${want.small}`).toBeLessThan(GRAD_TOL);
      }
      const step = { samples, mode: 'single' as const, choices, lr: 0.01, optimizer: 'adam' as const, prunodeGates: [{ layer: 1, candidate: 0, big: 0.7, small: 0.3 }] };
      expect(relative(gpu.weightStepSync(step).loss, cpu.weightStepSync(step).loss), 'Adam step loss').toBeLessThan(LOSS_TOL);
      const after = (net: Supernet) => net.saveState().parameters;
      after(gpu).forEach((p, i) => expect(p.adamSteps ?? 0, p.name).toBe(after(cpu)[i].adamSteps ?? 0));
      // Adam moves a weight by about lr whatever its gradient's size, so compare what the updated nets compute
      const next = batch(PRUNODE_PLAN, 8, 4);
      expect(relative(gpu.archStepSync({ samples: next, mode: 'single', choices }).loss, cpu.archStepSync({ samples: next, mode: 'single', choices }).loss), 'loss after the Adam step').toBeLessThan(LOSS_TOL);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('a DNA block plan: regression loss and sums, features at two layers', () => {
    const block = blockPlan({ height: 8, width: 8, channels: 6 }, [
      { name: 'a', candidates: [mb(3, 3, 2, 8), mb(5, 1, 2, 8)] },
      { name: 'b', candidates: [mb(3, 3, 1, 8), { kind: 'zero' }] },
    ]);
    const cpu = new Supernet(block, 4);
    const gpu = device(block, cpu);
    try {
      const rng = new TestRandom(5);
      const samples = { x: rng.floats(4 * 8 * 8 * 6), target: rng.floats(4 * 4 * 4 * 8) };
      const o = { samples, mode: 'single' as const, choices: [0, 0], lr: 0.05 };
      expect(relative(gpu.weightStepSync(o).loss, cpu.weightStepSync(o).loss), 'block weight step loss').toBeLessThan(LOSS_TOL);
      const features = (net: Supernet) => net.featuresSync({ samples: { x: samples.x }, choices: [0, 0], layers: [0, 1] });
      const [fg, fc] = [features(gpu), features(cpu)];
      fc.forEach((f, i) => expect(relativeError(fg[i], f), `features at layer ${i}`).toBeLessThan(LOSS_TOL));
      const eg = gpu.evaluateSync({ samples, choices: [1, 0] });
      const ec = cpu.evaluateSync({ samples, choices: [1, 0] });
      expect(relative(eg.loss, ec.loss), 'block evaluation loss').toBeLessThan(LOSS_TOL);
      for (const key of ['squared', 'absolute', 'target', 'targetSquared'] as const) expect(relative(eg.regression![key], ec.regression![key]), `regression ${key}`).toBeLessThan(LOSS_TOL);
      expect(eg.regression!.values).toBe(ec.regression!.values);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('a batch assembled from a native dataset gives the step of the uploaded one; BN recalibration agrees with float32', () => {
    const { height, width, channels } = PRUNODE_PLAN.input;
    const rng = new TestRandom(6);
    const images = new Uint8Array(20 * height * width * channels).map(() => rng.int(0, 255));
    const labels = Int32Array.from({ length: 20 }, () => rng.int(0, PRUNODE_PLAN.classes - 1));
    const ds = new Dataset({ images, labels, height, width, channels, classes: PRUNODE_PLAN.classes }, { mean: [0.4], std: [0.25] });
    const cpu = new Supernet(PRUNODE_PLAN, 7);
    const native = device(PRUNODE_PLAN, cpu);
    const uploaded = device(PRUNODE_PLAN, cpu);
    try {
      const indices = Int32Array.from({ length: 12 }, (_, i) => (i * 7) % 20);
      const augment = { pad: 2, hflip: true, seed: 11, counter: 40 };
      const step = { mode: 'single' as const, choices: [0, 1], lr: 0.05 };
      const a = native.weightStepSync({ ...step, samples: { dataset: ds, indices, augment } });
      const b = uploaded.weightStepSync({ ...step, samples: ds.batch(indices, augment) });
      const c = cpu.weightStepSync({ ...step, samples: { dataset: ds, indices, augment } });
      // the same float32 batch rounded once to bf16 (bit-exact where the host does not fuse the normalisation, x86-64)
      if (process.arch === 'x64') expect(a.loss, 'native vs uploaded batch').toBe(b.loss);
      else expect(relative(a.loss, b.loss)).toBeLessThan(1e-3);
      expect(relative(a.loss, c.loss), 'native batch vs the CPU').toBeLessThan(LOSS_TOL);
      const calibration = { samples: { dataset: ds, indices: Int32Array.from({ length: 20 }, (_, i) => i) }, choices: [0, 0], batchSize: 8 };
      native.recalibrateBnSync(calibration);
      cpu.recalibrateBnSync(calibration);
      const stats = (net: Supernet) => net.saveState().batchnorm;
      stats(native).forEach((s, i) => {
        const want = stats(cpu)[i];
        expect(relativeError(s.mean, want.mean), `${s.name} running mean`).toBeLessThan(GRAD_TOL);
        expect(relativeError(s.var, want.var), `${s.name} running var`).toBeLessThan(GRAD_TOL);
      });
      const test = batch(PRUNODE_PLAN, 8, 8);
      expect(relative(native.evaluateSync(test, [0, 0]).loss, cpu.evaluateSync(test, [0, 0]).loss), 'eval loss after recalibration').toBeLessThan(LOSS_TOL);
    } finally {
      ds.dispose();
      cpu.dispose();
      native.dispose();
      uploaded.dispose();
    }
  });
});
}
