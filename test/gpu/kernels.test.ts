// Every GPU kernel of native/cuda against its CPU kernel on random inputs,
// forward and backward (fp32: relative error ≤ 1e-5), the gate gradients
// against central finite differences, the device Philox and path sampling
// against the CPU engine's draws. Skipped with a visible reason without a GPU.
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet } from '../../src/engine/supernet.js';
import * as gpu from '../../src/gpu/kernels.js';
import { kernels, native, spaces } from '../../src/index.js';
import type { KernelArgs } from '../../src/native.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noGpu, relativeError } from './gpu-skip.js';

announceSkip('test/gpu/kernels.test.ts');
const FP32 = 1e-5;
const rng = new TestRandom(20251);

describe.skipIf(noGpu)('GPU kernels equal the CPU kernels (fp32)', () => {
  afterAll(() => {
    const stats = gpu.gpuMemoryStats();
    console.log(`[gpu tests] allocator: ${JSON.stringify(stats)}`);
  });

  const depthwiseCases = [
    { n: 2, h: 9, w: 7, c: 5, kernel: 1, stride: 1 },
    { n: 2, h: 9, w: 7, c: 24, kernel: 3, stride: 1 },
    { n: 3, h: 12, w: 11, c: 16, kernel: 5, stride: 2 },
    { n: 1, h: 14, w: 14, c: 33, kernel: 7, stride: 2 },
    { n: 2, h: 6, w: 8, c: 8, kernel: 3, stride: 2, pad: 0 },
    { n: 2, h: 8, w: 8, c: 8, kernel: [3, 5] as [number, number], stride: [1, 2] as [number, number], pad: [1, 0] as [number, number] },
  ];
  for (const s of depthwiseCases) {
    it(`depthwise forward and backward ${JSON.stringify(s)}`, () => {
      const kh = Array.isArray(s.kernel) ? s.kernel[0] : s.kernel;
      const kw = Array.isArray(s.kernel) ? s.kernel[1] : s.kernel;
      const { ho, wo } = kernels.conv2dOutputSize(s);
      const x = rng.floats(s.n * s.h * s.w * s.c);
      const w = rng.floats(kh * kw * s.c, 0.3);
      const bias = rng.floats(s.c);
      const dy = rng.floats(s.n * ho * wo * s.c);
      expect(relativeError(gpu.depthwiseForward(s, x, w, bias), kernels.depthwiseForward(s, x, w, bias))).toBeLessThanOrEqual(FP32);
      const g = gpu.depthwiseBackward(s, x, w, dy, { bias: true });
      const c = kernels.depthwiseBackward(s, x, w, dy, { bias: true });
      expect(relativeError(g.dx, c.dx)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.dw, c.dw)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(FP32);
    });
  }

  const activations: gpu.GpuActivation[] = ['none', 'relu', 'relu6', 'hswish'];
  const cpuForward = (a: gpu.GpuActivation, z: Float32Array) => (a === 'none' ? z : kernels.activationForward(a, z));
  const cpuBackward = (a: gpu.GpuActivation, z: Float32Array, dy: Float32Array) => (a === 'none' ? dy : kernels.activationBackward(a, z, dy));

  for (const activation of activations) {
    for (const training of [true, false]) {
      it(`batchnorm + ${activation} (${training ? 'train' : 'eval'}) forward and backward`, () => {
        const rows = 300;
        const c = 19;
        const x = rng.floats(rows * c, 2);
        const p = { gamma: rng.uniform(c, 0.5, 1.5), beta: rng.floats(c, 0.5), runningMean: rng.floats(c, 0.2), runningVar: rng.uniform(c, 0.5, 2) };
        const pg = { ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() };
        const pc = { ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() };
        const out = gpu.batchnormForward(rows, c, x, pg, { training, activation });
        const ref = kernels.batchnormForward({ rows, channels: c }, x, pc, { training });
        const z = ref.y;
        const yRef = cpuForward(activation, z);
        expect(relativeError(out.y, yRef)).toBeLessThanOrEqual(FP32);
        if (training) {
          expect(relativeError(out.saveMean!, ref.saveMean!)).toBeLessThanOrEqual(FP32);
          expect(relativeError(out.saveInvStd!, ref.saveInvStd!)).toBeLessThanOrEqual(FP32);
          expect(relativeError(pg.runningMean, pc.runningMean)).toBeLessThanOrEqual(FP32);
          expect(relativeError(pg.runningVar, pc.runningVar)).toBeLessThanOrEqual(FP32);
        }
        const dy = rng.floats(rows * c);
        const dz = cpuBackward(activation, z, dy);
        const g = gpu.batchnormBackward(rows, c, x, dy, p, { training, activation, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd });
        const r = kernels.batchnormBackward({ rows, channels: c }, x, dz, p, { training, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd });
        expect(relativeError(g.dx, r.dx)).toBeLessThanOrEqual(FP32);
        expect(relativeError(g.dgamma, r.dgamma)).toBeLessThanOrEqual(FP32);
        expect(relativeError(g.dbeta, r.dbeta)).toBeLessThanOrEqual(FP32);
      });
    }
  }

  it('activations and the residual add', () => {
    const x = rng.floats(10_001, 4);
    const dy = rng.floats(x.length);
    for (const a of ['relu', 'relu6', 'hswish'] as const) {
      expect(relativeError(gpu.activationForward(x, a), cpuForward(a, x))).toBeLessThanOrEqual(FP32);
      expect(relativeError(gpu.activationBackward(x, dy, a), cpuBackward(a, x, dy))).toBeLessThanOrEqual(FP32);
    }
    expect(relativeError(gpu.addForward(x, dy), kernels.add(x, dy))).toBe(0);
  });

  it('global average pool forward and backward', () => {
    const s = { n: 3, h: 7, w: 5, c: 21 };
    const x = rng.floats(s.n * s.h * s.w * s.c);
    const dy = rng.floats(s.n * s.c);
    expect(relativeError(gpu.globalAvgPoolForward(s, x), kernels.globalAvgPoolForward(s, x))).toBeLessThanOrEqual(FP32);
    expect(relativeError(gpu.globalAvgPoolBackward(s, dy), kernels.globalAvgPoolBackward(s, dy))).toBeLessThanOrEqual(FP32);
  });

  it('softmax cross-entropy with label smoothing and MSE', () => {
    const n = 67;
    const k = 13;
    const logits = rng.floats(n * k, 3);
    const labels = Int32Array.from({ length: n }, () => rng.int(0, k - 1));
    for (const smoothing of [0, 0.1]) {
      const g = gpu.softmaxCrossEntropy(logits, labels, k, smoothing);
      const c = kernels.softmaxCrossEntropy(logits, labels, k, smoothing);
      expect(Math.abs(g.loss - c.loss) / c.loss).toBeLessThanOrEqual(FP32);
      expect(g.correct).toBe(c.correct);
      expect(relativeError(g.dlogits, c.dlogits)).toBeLessThanOrEqual(FP32);
    }
    const a = rng.floats(50_000);
    const b = rng.floats(50_000);
    const g = gpu.mseLoss(a, b);
    const c = kernels.mseLoss(a, b);
    expect(Math.abs(g.loss - c.loss) / c.loss).toBeLessThanOrEqual(FP32);
    expect(relativeError(g.da, c.da)).toBeLessThanOrEqual(FP32);
  });

  it('fused SGD (momentum, Nesterov, weight decay) over several tensors equals per-tensor CPU steps', () => {
    const sizes = [1, 300, 7, 4096];
    for (const o of [{ lr: 0.1 }, { lr: 0.05, momentum: 0.9, weightDecay: 4e-5 }, { lr: 0.05, momentum: 0.9, nesterov: true }]) {
      const params = sizes.map((n) => rng.floats(n));
      const grads = sizes.map((n) => rng.floats(n));
      const buffers = sizes.map((n) => rng.floats(n));
      const cpuParams = params.map((p) => p.slice());
      const cpuBuffers = buffers.map((b) => b.slice());
      for (const first of [true, false]) {
        gpu.sgdStepMulti(params, grads, o, { buffers: o.momentum ? buffers : undefined, first });
        cpuParams.forEach((p, t) => kernels.sgdStep(p, grads[t], o, { buffer: o.momentum ? cpuBuffers[t] : undefined, first }));
      }
      params.forEach((p, t) => expect(relativeError(p, cpuParams[t])).toBeLessThanOrEqual(FP32));
      if (o.momentum) buffers.forEach((b, t) => expect(relativeError(b, cpuBuffers[t])).toBeLessThanOrEqual(FP32));
    }
  });

  it('fused Adam and AdamW over several tensors equal per-tensor CPU steps', () => {
    const sizes = [5, 1000, 33];
    for (const o of [{ lr: 1e-3 }, { lr: 1e-3, weightDecay: 0.01, decoupled: true }, { lr: 2e-3, weightDecay: 1e-4 }]) {
      const params = sizes.map((n) => rng.floats(n));
      const grads = sizes.map((n) => rng.floats(n));
      const m = sizes.map((n) => rng.floats(n, 0.1));
      const v = sizes.map((n) => rng.uniform(n, 0, 0.1));
      const steps = [1, 5, 12];
      const cpu = { p: params.map((x) => x.slice()), m: m.map((x) => x.slice()), v: v.map((x) => x.slice()) };
      gpu.adamStepMulti(params, grads, { m, v, steps }, o);
      cpu.p.forEach((p, t) => kernels.adamStep(p, grads[t], { m: cpu.m[t], v: cpu.v[t], step: steps[t] }, o));
      params.forEach((p, t) => expect(relativeError(p, cpu.p[t])).toBeLessThanOrEqual(FP32));
      m.forEach((x, t) => expect(relativeError(x, cpu.m[t])).toBeLessThanOrEqual(FP32));
      v.forEach((x, t) => expect(relativeError(x, cpu.v[t])).toBeLessThanOrEqual(FP32));
    }
  });

  it('mixed-layer combination and gate inner products; gates equal finite differences of the loss', () => {
    const n = 20_000;
    const K = 4;
    const outputs = Array.from({ length: K }, () => rng.floats(n));
    const residual = rng.floats(n);
    const target = rng.floats(n);
    const z = [0.3, -0.2, 0.9, 0.05];
    const y = gpu.mixedCombine(outputs, z, residual);
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ref[i] = residual[i];
      for (let k = 0; k < K; k++) ref[i] += z[k] * outputs[k][i];
    }
    expect(relativeError(y, ref)).toBeLessThanOrEqual(FP32);
    // L(z) = mse(y(z), target); ∂L/∂z_k = ⟨o_k, ∂L/∂y⟩
    const { da } = gpu.mseLoss(y, target);
    const gates = gpu.gateInnerProducts(outputs, da);
    const loss = (zz: number[]) => gpu.mseLoss(gpu.mixedCombine(outputs, zz, residual), target).loss;
    const h = 0.05;
    for (let k = 0; k < K; k++) {
      const up = z.slice();
      const down = z.slice();
      up[k] += h;
      down[k] -= h;
      const fd = (loss(up) - loss(down)) / (2 * h);
      expect(Math.abs(gates[k] - fd)).toBeLessThanOrEqual(1e-3 * Math.max(1e-3, Math.abs(fd)) + 1e-6);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += outputs[k][i] * da[i];
      expect(Math.abs(gates[k] - dot)).toBeLessThanOrEqual(1e-5 * Math.abs(dot) + 1e-9);
    }
  });

  // Sizes whose reductions span many chunks or blocks: column totals over
  // more than 32 lanes' worth of chunks and a partial last column block,
  // flat block sums whose threads loop; run twice, the bits must repeat.
  it('reductions over many chunks equal the CPU and repeat bit for bit', () => {
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
    const rows = 50_000;
    const c = 37;
    const x = rng.floats(rows * c, 2);
    const p = { gamma: rng.uniform(c, 0.5, 1.5), beta: rng.floats(c, 0.5), runningMean: rng.floats(c, 0.2), runningVar: rng.uniform(c, 0.5, 2) };
    const out = gpu.batchnormForward(rows, c, x, { ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() }, { training: true, activation: 'relu' });
    const ref = kernels.batchnormForward({ rows, channels: c }, x, { ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() }, { training: true });
    expect(relativeError(out.y, cpuForward('relu', ref.y))).toBeLessThanOrEqual(FP32);
    expect(relativeError(out.saveInvStd!, ref.saveInvStd!)).toBeLessThanOrEqual(FP32);
    const dy = rng.floats(rows * c);
    const opts = { training: true, activation: 'relu' as const, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd };
    const g = gpu.batchnormBackward(rows, c, x, dy, p, opts);
    const r = kernels.batchnormBackward({ rows, channels: c }, x, cpuBackward('relu', ref.y, dy), p, { training: true, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd });
    expect(relativeError(g.dgamma, r.dgamma)).toBeLessThanOrEqual(FP32);
    expect(relativeError(g.dbeta, r.dbeta)).toBeLessThanOrEqual(FP32);
    expect(relativeError(g.dx, r.dx)).toBeLessThanOrEqual(FP32);
    expect(same(gpu.batchnormBackward(rows, c, x, dy, p, opts).dgamma, g.dgamma)).toBe(true);

    const s = { n: 8, h: 56, w: 56, c: 40, kernel: 3, stride: 1 };
    const xd = rng.floats(s.n * s.h * s.w * s.c);
    const w = rng.floats(9 * s.c, 0.3);
    const dyd = rng.floats(s.n * s.h * s.w * s.c);
    const dg = gpu.depthwiseBackward(s, xd, w, dyd, { bias: true });
    const dc = kernels.depthwiseBackward(s, xd, w, dyd, { bias: true });
    expect(relativeError(dg.dw, dc.dw)).toBeLessThanOrEqual(FP32);
    expect(relativeError(dg.db!, dc.db!)).toBeLessThanOrEqual(FP32);
    expect(same(gpu.depthwiseBackward(s, xd, w, dyd, { bias: true }).dw, dg.dw)).toBe(true);

    const n = 1_000_003;
    const outputs = [rng.floats(n), rng.floats(n), rng.floats(n)];
    const grad = rng.floats(n);
    const gates = gpu.gateInnerProducts(outputs, grad);
    outputs.forEach((o, k) => {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += o[i] * grad[i];
      expect(Math.abs(gates[k] - dot)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(dot))); // gates come back as float32
    });
    expect(same(gpu.gateInnerProducts(outputs, grad), gates)).toBe(true);
    const mg = gpu.mseLoss(outputs[0], grad);
    const mc = kernels.mseLoss(outputs[0], grad);
    expect(Math.abs(mg.loss - mc.loss) / mc.loss).toBeLessThanOrEqual(1e-12);
    expect(relativeError(mg.da, mc.da)).toBeLessThanOrEqual(FP32);
    expect(gpu.mseLoss(outputs[0], grad).loss).toBe(mg.loss);
  });

  it('the device Philox draws the CPU stream bit for bit', () => {
    const out = new Float32Array(1001);
    (native.philoxFill as (a: KernelArgs) => void)({ out, seed: 123456789, stream: 2, offset: 77, kind: 0 });
    expect(Array.from(gpu.philoxUniform(out.length, 123456789, 2, 77))).toEqual(Array.from(out));
  });

  it('path sampling on the device chooses what Supernet.samplePaths chooses (single and pair)', () => {
    const net = new Supernet(spaces.proxylessSmall(), 3);
    try {
      const probabilities = net.layers.map((l) => {
        const p = Array.from({ length: l.candidates.length }, () => rng.next() + 0.01);
        const s = p.reduce((a, b) => a + b, 0);
        return p.map((v) => v / s);
      });
      for (const counter of [0, 1, 5, 1000]) {
        for (const mode of ['single', 'pair'] as const) {
          const cpu = net.samplePaths(mode, { probabilities, seed: 42, counter });
          const dev = gpu.samplePaths(mode, probabilities, 42, counter);
          expect(Array.from(dev.choices)).toEqual(Array.from(cpu.choices));
          expect(Array.from(dev.others)).toEqual(Array.from(cpu.others));
        }
      }
    } finally {
      net.dispose();
    }
  });

  it('repeated calls of one shape are served from the allocator cache', () => {
    const x = rng.floats(1 << 16);
    gpu.addForward(x, x);
    const before = gpu.gpuMemoryStats();
    for (let i = 0; i < 5; i++) gpu.addForward(x, x);
    const after = gpu.gpuMemoryStats();
    expect(after.driverAllocations).toBe(before.driverAllocations);
    expect(after.cacheHits).toBeGreaterThan(before.cacheHits);
    expect(after.inUse).toBe(before.inUse);
  });

  it('a bad device index is a RangeError naming it', () => {
    expect(() => gpu.addForward(new Float32Array(2), new Float32Array(2), { device: 999 })).toThrow(/cuda:999 is not present/);
  });
});
