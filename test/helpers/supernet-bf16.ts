// The supernet in bf16 (precision 'bf16': activations stored in bf16,
// products accumulated in float32, parameters and optimizer state in
// float32) against the same supernet in float32 on the CPU. bf16 keeps 8
// bits of mantissa, so one op is good to about 4e-3 relative and errors grow
// with depth: the loss and the logits must agree within 2e-2, whole-network
// gradients within 5e-2 (8e-2 on CUDA, see GRAD_TOL; norm-wise, per
// tensor), gates within the same of the
// step's largest gate, and a short training run must learn as the float32
// one does. Its activation memory must be about half of a float32 device
// step's (the BN statistics stay float32). Two bf16 runs are bit-identical.
//
// The nets use hswish: a kink at 0 (relu6, relu), where half the
// pre-activations lie, flips the derivative of every value that rounding
// moves across it, and a conv weight's gradient moves by about the square
// root of the flipped fraction: measured on this plan with relu6, the
// float32 engine alone, given the input rounded to bf16, moves a conv
// gradient by 14%. hswish's kinks at ±3 see few values.
//
// The suite lives here so that it runs on a CUDA device
// (test/gpu/supernet-bf16.test.ts) and on "cpu-mirrored", whose bf16 stores
// activations as 16-bit bf16 and computes in float32
// (test/supernet-mirrored-bf16.test.ts): there a buffer of the wrong storage
// kind reads as garbage, so the storage kinds are checked without a GPU.
import { describe, expect, it } from 'vitest';
import type { PlanMBConv, SupernetPlan } from '../../src/engine/plan.js';
import { Supernet } from '../../src/engine/supernet.js';
import { relativeError } from '../gpu/gpu-skip.js';
import { TestRandom } from './random.js';
import { bitEqual } from './reference.js';

export function supernetBf16Suite(DEVICE: string, skip: boolean): void {
  // cuDNN and cuBLAS also round the weights to bf16 inside their products
  // (the emulation keeps them float32): about as much error again on the
  // gradients, whose worst case on the emulation is 4.1%.
  const GRAD_TOL = DEVICE.startsWith('cuda:') ? 8e-2 : 5e-2;
const mb = (kernel: number, expand: number, stride: 1 | 2, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act: 'hswish' });
const PLAN: SupernetPlan = {
  input: { height: 16, width: 16, channels: 3 },
  classes: 5,
  stem: { kernel: 3, stride: 1, out: 8, act: 'hswish' },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), { kind: 'zero' }] },
    { name: 'l1', candidates: [mb(3, 3, 2, 16), mb(5, 6, 2, 16)] },
    { name: 'l2', candidates: [mb(7, 3, 1, 16), mb(3, 6, 1, 16), { kind: 'zero' }] },
  ],
  head: { out: 32, act: 'hswish' },
};

function batch(n: number, seed: number) {
  const rng = new TestRandom(seed);
  return { x: rng.floats(n * 16 * 16 * 3), y: Int32Array.from({ length: n }, () => rng.int(0, PLAN.classes - 1)) };
}

/** The CPU net and a bf16 device net holding the same state. */
function twins(): { cpu: Supernet; gpu: Supernet } {
  const cpu = new Supernet(PLAN, 5);
  const gpu = new Supernet(PLAN, 6, { device: DEVICE, precision: 'bf16' });
  gpu.loadState(cpu.saveState());
  return { cpu, gpu };
}

function gradients(net: Supernet): Float32Array[] {
  return net.parameters().map((_, i) => net.readParameter(i, 'grad'));
}

describe.skipIf(skip)(`the supernet in bf16 on ${DEVICE}`, () => {
  it('gives the float32 loss, logits and gradients of the path within bf16 accuracy', () => {
    const { cpu, gpu } = twins();
    try {
      const samples = batch(8, 1);
      const choices = [0, 1, 1];
      const a = gpu.gradients(samples, choices);
      const b = cpu.gradients(samples, choices);
      expect(Math.abs(a.loss - b.loss) / b.loss, `loss ${a.loss} vs ${b.loss}`).toBeLessThan(2e-2);
      const names = cpu.parameters().map((p) => p.name);
      const ga = gradients(gpu);
      const gc = gradients(cpu);
      const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((t, x) => t + x * x, 0));
      // tensors that are ~0 in exact arithmetic (a BN β met only by another BN) are held to a floor
      const floor = 1e-2 * Math.sqrt(gc.reduce((t, g) => t + norm(g) ** 2, 0));
      gc.forEach((want, i) => {
        const m = /^layers\.(\d+)\.op(\d+)\./.exec(names[i]);
        if (m && choices[Number(m[1])] !== Number(m[2])) return;  // off the path: no gradient
        const diff = norm(Array.from(want, (w, j) => ga[i][j] - w));
        expect(diff / Math.max(norm(want), floor), `${names[i]} gradient`).toBeLessThan(GRAD_TOL);
      });
      const logits = (net: Supernet) => {
        const out = new Float32Array(8 * PLAN.classes);
        net.evaluateSync({ samples, choices, logits: out });
        return out;
      };
      expect(relativeError(logits(gpu), logits(cpu)), 'eval logits').toBeLessThan(2e-2);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('gives the float32 gates of pair, echo and sum architecture steps within bf16 accuracy', () => {
    const { cpu, gpu } = twins();
    try {
      const samples = batch(8, 2);
      const specs = [
        { mode: 'pair' as const, choices: [0, 1, 0], others: [1, 0, 2] },
        { mode: 'echo' as const, choices: [1, 0, 1] },
        { mode: 'sum' as const, weights: [[0.5, 0.3, 0.2], [0.4, 0.6], [0.3, 0.3, 0.4]] },
      ];
      for (const spec of specs) {
        const a = gpu.archStepSync({ samples, ...spec });
        const b = cpu.archStepSync({ samples, ...spec });
        expect(Math.abs(a.loss - b.loss) / b.loss, `${spec.mode} loss`).toBeLessThan(2e-2);
        // relative to the step's largest gate: gate errors are alike in size across layers, and a
        // layer whose gates all are small (a near-cancelling inner product) is held to that scale
        const scale = Math.max(...b.gates.flatMap((row) => Array.from(row, Math.abs).filter((g) => !Number.isNaN(g))), 1e-12);
        b.gates.forEach((row, l) => {
          const live = Array.from(row).map((g, k) => [g, a.gates[l][k]]).filter(([g]) => !Number.isNaN(g));
          for (const [want, got] of live) expect(Math.abs(got - want) / scale, `${spec.mode} gate layer ${l}: ${got} vs ${want}`).toBeLessThan(GRAD_TOL);
        });
      }
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it('learns as the float32 engine does, holds about half the activation bytes, and repeats bit for bit', () => {
    const run = (precision: 'bf16' | 'fp32') => {
      const net = new Supernet(PLAN, 9, { device: DEVICE, precision });
      try {
        const losses: number[] = [];
        for (let s = 0; s < 40; s++) losses.push(net.weightStepSync({ samples: batch(16, 100 + (s % 2)), mode: 'single', choices: [0, 0, 0], lr: 0.2 }).loss);
        return { losses, peak: net.memoryStats().peakBytes, state: net.saveState() };
      } finally {
        net.dispose();
      }
    };
    const bf16 = run('bf16');
    const again = run('bf16');
    const fp32 = run('fp32');
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    // two batches seen over and over: the loss falls, and as far in bf16 as in float32
    expect(mean(bf16.losses.slice(-4))).toBeLessThan(0.8 * mean(bf16.losses.slice(0, 4)));
    expect(Math.abs(mean(bf16.losses.slice(-4)) - mean(fp32.losses.slice(-4))) / mean(fp32.losses.slice(-4))).toBeLessThan(0.1);
    const ratio = bf16.peak / fp32.peak;
    console.log(`[${DEVICE}] bf16 activation peak ${bf16.peak} B = ${ratio.toFixed(3)} × float32's ${fp32.peak} B`);
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.6);
    expect(again.losses).toEqual(bf16.losses);
    bf16.state.parameters.forEach((p, i) => expect(bitEqual(p.value, again.state.parameters[i].value), p.name).toBe(true));
  });
});
}
