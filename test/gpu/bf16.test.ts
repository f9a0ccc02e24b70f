// The bf16 kernels of the CUDA backend (activations stored as bf16, math in
// float32, sums in double) against the CPU float32 kernels on random inputs
// of several shapes, tails included. Every tolerance is a norm-wise relative
// error ‖got − want‖ / ‖want‖ (relativeError):
// - BF16 = 1e-2 against the CPU on the original float32 inputs: what bf16
//   training is held to;
// - ROUNDED = 4e-3 against the CPU on the same inputs rounded to bf16: then
//   only the rounding of the bf16 outputs remains (at most 2⁻⁸ of each value);
// - FP32 = 1e-5 for float32 results (statistics, weight and bias gradients,
//   losses, dots) against the CPU on the rounded inputs: those are computed
//   from the bf16 values in float32/double and never rounded to bf16.
// Sums that may cancel (dots, column sums) are held against the original
// inputs to the worst case of the input rounding instead, |got − want| ≤
// 2⁻⁷·Σ|terms| (each factor off by at most 2⁻⁸): the relative error of a
// sum near zero says nothing about bf16. Reductions are repeated and must
// give the same bits. Skipped with a visible reason without a GPU.
import { describe, expect, it } from 'vitest';
import * as bf16 from '../../src/gpu/bf16.js';
import type { GpuActivation } from '../../src/gpu/kernels.js';
import { kernels } from '../../src/index.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noGpu, relativeError } from './gpu-skip.js';

announceSkip('test/gpu/bf16.test.ts');
const BF16 = 1e-2;
const ROUNDED = 4e-3;
const FP32 = 1e-5;
const rng = new TestRandom(7741);

/** The bf16 nearest each value, ties to even (NaN left alone), as float32. */
function roundBf16(x: Float32Array): Float32Array {
  const out = Float32Array.from(x);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) {
    if (Number.isNaN(out[i])) continue;
    const b = bits[i];
    bits[i] = ((b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000) >>> 0;
  }
  return out;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

// onOriginal undefined: no check against the original inputs (see the batchnorm backward)
function expectBf16(got: Float32Array, onRounded: ArrayLike<number>, onOriginal?: ArrayLike<number>): void {
  expect(relativeError(got, onRounded)).toBeLessThanOrEqual(ROUNDED);
  if (onOriginal) expect(relativeError(got, onOriginal)).toBeLessThanOrEqual(BF16);
}

function expectFloat(got: Float32Array, onRounded: ArrayLike<number>, onOriginal?: ArrayLike<number>): void {
  expect(relativeError(got, onRounded)).toBeLessThanOrEqual(FP32);
  if (onOriginal) expect(relativeError(got, onOriginal)).toBeLessThanOrEqual(BF16);
}

/** Sums (float32 results) of terms with `factors` bf16-rounded factors each; magnitude[i] = Σ|terms of i|. */
function expectSum(got: Float32Array, onRounded: ArrayLike<number>, onOriginal: ArrayLike<number>, magnitude: ArrayLike<number>, factors: 1 | 2): void {
  expect(relativeError(got, onRounded)).toBeLessThanOrEqual(FP32);
  const bound = factors === 1 ? 2 ** -8 : 2 ** -7 + 2 ** -16;
  got.forEach((v, i) => expect(Math.abs(v - onOriginal[i])).toBeLessThanOrEqual(bound * magnitude[i] + 2 ** -23 * Math.abs(v)));
}

describe('bf16 argument checks (no device needed)', () => {
  it('name the bad argument before anything reaches the device', () => {
    expect(() => bf16.columnSums(2, 3, new Float32Array(5))).toThrow(/gpu\.bf16\.columnSums: x must have 6 elements, got 5/);
    expect(() => bf16.channelGate({ rows: 2, width: 3, small: 4 }, new Float32Array(6), 1, 0)).toThrow(/small must be an integer in \[0, 3\], got 4/);
    expect(() => bf16.mixedCombine([new Float32Array(3)], [1, 2])).toThrow(/need one weight per output, got 1 outputs and 2 weights/);
  });
});

describe.skipIf(noGpu)('bf16 kernels equal the CPU float32 kernels within bf16 rounding', () => {
  it('rounds to the nearest bf16 with ties to even, bit for bit', () => {
    const x = rng.floats(10_007, 100);
    const special = [0, -0, 1, -1, Infinity, -Infinity, 3.4028234663852886e38, 1e-40, -1e-42, 1.17549435e-38];
    x.set(special);
    const bits = new Uint32Array(x.buffer);
    for (let i = special.length; i < 600; i++) bits[i] = (bits[i] & 0xffff0000) | 0x8000; // exact ties
    const got = bf16.round(x);
    expect(same(got, roundBf16(x))).toBe(true);
    expect(got[6]).toBe(Infinity); // the largest float rounds up past the largest bf16
  });

  const depthwiseCases = [
    { n: 2, h: 9, w: 7, c: 12, kernel: 1, stride: 1 },
    { n: 2, h: 9, w: 7, c: 24, kernel: 3, stride: 1 },
    { n: 3, h: 12, w: 11, c: 16, kernel: 5, stride: 2 },
    { n: 1, h: 14, w: 14, c: 33, kernel: 7, stride: 2 },
    { n: 2, h: 8, w: 8, c: 8, kernel: [3, 5] as [number, number], stride: [1, 2] as [number, number], pad: [1, 0] as [number, number] },
  ];
  for (const s of depthwiseCases) {
    it(`depthwise forward and backward ${JSON.stringify(s)}`, () => {
      const [kh, kw] = Array.isArray(s.kernel) ? s.kernel : [s.kernel, s.kernel];
      const { ho, wo } = kernels.conv2dOutputSize(s);
      const x = rng.floats(s.n * s.h * s.w * s.c);
      const w = rng.floats(kh * kw * s.c, 0.3);
      const bias = rng.floats(s.c);
      const dy = rng.floats(s.n * ho * wo * s.c);
      const [xr, dyr] = [roundBf16(x), roundBf16(dy)];
      expectBf16(bf16.depthwiseForward(s, x, w, bias), kernels.depthwiseForward(s, xr, w, bias), kernels.depthwiseForward(s, x, w, bias));
      const g = bf16.depthwiseBackward(s, x, w, dy, { bias: true });
      const r = kernels.depthwiseBackward(s, xr, w, dyr, { bias: true });
      const o = kernels.depthwiseBackward(s, x, w, dy, { bias: true });
      expectBf16(g.dx, r.dx, o.dx);
      expectFloat(g.dw, r.dw, o.dw);
      expectFloat(g.db!, r.db!, o.db!);
    });
  }

  const cpuForward = (a: GpuActivation, z: Float32Array) => (a === 'none' ? z : kernels.activationForward(a, z));
  const cpuBackward = (a: GpuActivation, z: Float32Array, dy: Float32Array) => (a === 'none' ? dy : kernels.activationBackward(a, z, dy));
  const bnParams = (c: number) => ({ gamma: rng.uniform(c, 0.5, 1.5), beta: rng.floats(c, 0.5), runningMean: rng.floats(c, 0.2), runningVar: rng.uniform(c, 0.5, 2) });
  const copy = (p: ReturnType<typeof bnParams>) => ({ ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() });

  for (const activation of ['none', 'relu', 'relu6', 'hswish'] as const) {
    for (const training of [true, false]) {
      it(`batchnorm + ${activation} (${training ? 'train' : 'eval'}) forward and backward`, () => {
        const rows = 300;
        const c = 19;
        const x = rng.floats(rows * c, 2);
        const dy = rng.floats(rows * c);
        const [xr, dyr] = [roundBf16(x), roundBf16(dy)];
        const p = bnParams(c);
        const [pg, pr, po] = [copy(p), copy(p), copy(p)];
        const out = bf16.batchnormForward(rows, c, x, pg, { training, activation });
        const ref = kernels.batchnormForward({ rows, channels: c }, xr, pr, { training });
        const orig = kernels.batchnormForward({ rows, channels: c }, x, po, { training });
        expectBf16(out.y, cpuForward(activation, ref.y), cpuForward(activation, orig.y));
        if (training) {
          expectFloat(out.saveMean!, ref.saveMean!, orig.saveMean!);
          expectFloat(out.saveInvStd!, ref.saveInvStd!, orig.saveInvStd!);
          expectFloat(pg.runningMean, pr.runningMean, po.runningMean);
          expectFloat(pg.runningVar, pr.runningVar, po.runningVar);
        }
        const stats = { saveMean: ref.saveMean, saveInvStd: ref.saveInvStd };
        const g = bf16.batchnormBackward(rows, c, x, dy, p, { training, activation, ...stats });
        const r = kernels.batchnormBackward({ rows, channels: c }, xr, cpuBackward(activation, ref.y, dyr), p, { training, ...stats });
        // Rounding x moves some activation inputs across a kink (where the
        // slope jumps), which changes those gradients by whole dy values: a
        // property of bf16 storage, not of the kernel. Against the original
        // inputs only without an activation.
        const o =
          activation === 'none' ? kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training, saveMean: orig.saveMean, saveInvStd: orig.saveInvStd }) : undefined;
        expectBf16(g.dx, r.dx, o?.dx);
        expectFloat(g.dgamma, r.dgamma, o?.dgamma);
        expectFloat(g.dbeta, r.dbeta, o?.dbeta);
        expect(same(bf16.batchnormForward(rows, c, x, copy(p), { training, activation, inPlace: true }).y, out.y)).toBe(true);
      });
    }
  }

  it('residual add, bias add and column sums', () => {
    for (const [rows, c] of [[3, 5], [301, 37], [50_000, 37]]) {
      const a = rng.floats(rows * c, 3);
      const b = rng.floats(rows * c);
      const bias = rng.floats(c);
      const [ar, br] = [roundBf16(a), roundBf16(b)];
      expectBf16(bf16.addForward(a, b), kernels.add(ar, br), kernels.add(a, b));
      const withBias = (v: Float32Array) => Float64Array.from(v, (e, i) => e + bias[i % c]);
      expectBf16(bf16.addBias(rows, c, a, bias), withBias(ar), withBias(a));
      const sums = (v: ArrayLike<number>) => {
        const s = new Float64Array(c);
        for (let i = 0; i < v.length; i++) s[i % c] += v[i];
        return s;
      };
      const got = bf16.columnSums(rows, c, a);
      expectSum(got, sums(ar), sums(a), sums(a.map(Math.abs)), 1);
      expect(same(bf16.columnSums(rows, c, a), got)).toBe(true);
    }
  });

  it('global average pool forward and backward', () => {
    for (const s of [{ n: 3, h: 7, w: 5, c: 21 }, { n: 2, h: 14, w: 14, c: 40 }]) {
      const x = rng.floats(s.n * s.h * s.w * s.c);
      const dy = rng.floats(s.n * s.c);
      expectBf16(bf16.globalAvgPoolForward(s, x), kernels.globalAvgPoolForward(s, roundBf16(x)), kernels.globalAvgPoolForward(s, x));
      expectBf16(bf16.globalAvgPoolBackward(s, dy), kernels.globalAvgPoolBackward(s, roundBf16(dy)), kernels.globalAvgPoolBackward(s, dy));
    }
  });

  it('softmax cross-entropy with label smoothing and MSE', () => {
    for (const [n, k] of [[67, 13], [1000, 10]]) {
      const logits = rng.floats(n * k, 3);
      const labels = Int32Array.from({ length: n }, () => rng.int(0, k - 1));
      for (const smoothing of [0, 0.1]) {
        const g = bf16.softmaxCrossEntropy(logits, labels, k, smoothing);
        const r = kernels.softmaxCrossEntropy(roundBf16(logits), labels, k, smoothing);
        const o = kernels.softmaxCrossEntropy(logits, labels, k, smoothing);
        expect(relative(g.loss, r.loss)).toBeLessThanOrEqual(FP32);
        expect(relative(g.loss, o.loss)).toBeLessThanOrEqual(BF16);
        expect(g.correct).toBe(r.correct);
        expectBf16(g.dlogits, r.dlogits, o.dlogits);
        expect(bf16.softmaxCrossEntropy(logits, labels, k, smoothing).loss).toBe(g.loss);
      }
    }
    for (const n of [257, 4097, 50_000]) {
      const a = rng.floats(n);
      const b = rng.floats(n);
      const g = bf16.mseLoss(a, b);
      const r = kernels.mseLoss(roundBf16(a), roundBf16(b));
      const o = kernels.mseLoss(a, b);
      expect(relative(g.loss, r.loss)).toBeLessThanOrEqual(FP32);
      expect(relative(g.loss, o.loss)).toBeLessThanOrEqual(BF16);
      expectBf16(g.da, r.da, o.da);
      expect(bf16.mseLoss(a, b).loss).toBe(g.loss);
    }
  });

  it('mixed-layer combination and gate inner products', () => {
    for (const n of [7, 4099, 1_000_003]) {
      const K = 3;
      const outputs = Array.from({ length: K }, () => rng.floats(n));
      const residual = rng.floats(n);
      const dy = rng.floats(n);
      const z = [0.3, -0.2, 0.9];
      const combine = (os: Float32Array[], res: Float32Array) => Float64Array.from(res, (v, i) => os.reduce((s, o, k) => s + z[k] * o[i], v));
      const rounded = outputs.map(roundBf16);
      expectBf16(bf16.mixedCombine(outputs, z, residual), combine(rounded, roundBf16(residual)), combine(outputs, residual));
      expectBf16(bf16.mixedCombine(outputs, z), combine(rounded, new Float32Array(n)), combine(outputs, new Float32Array(n)));
      const dot = (o: Float32Array, d: Float32Array, f = (v: number) => v) => o.reduce((s, v, i) => s + f(v * d[i]), 0);
      const gates = bf16.gateInnerProducts(outputs, dy);
      const dyr = roundBf16(dy);
      expectSum(gates, rounded.map((o) => dot(o, dyr)), outputs.map((o) => dot(o, dy)), outputs.map((o) => dot(o, dy, Math.abs)), 2);
      expect(same(bf16.gateInnerProducts(outputs, dy), gates)).toBe(true);
    }
  });

  it('Prunode channel gates and their dots', () => {
    for (const s of [{ rows: 1, width: 7, small: 3 }, { rows: 3001, width: 96, small: 40 }, { rows: 500, width: 33, small: 0 }, { rows: 20, width: 5, small: 5 }]) {
      const x = rng.floats(s.rows * s.width);
      const d = rng.floats(x.length);
      const [big, smallGate] = [0.7, 0.45];
      const gate = (v: Float32Array) => Float64Array.from(v, (e, i) => (i % s.width < s.small ? big + smallGate : big) * e);
      const y = bf16.channelGate(s, x, big, smallGate);
      expectBf16(y, gate(roundBf16(x)), gate(x));
      expect(same(bf16.channelGate(s, x, big, smallGate, { inPlace: true }), y)).toBe(true);
      const dots = (h: Float32Array, e: Float32Array, f = (v: number) => v) => {
        let all = 0;
        let first = 0;
        h.forEach((v, i) => {
          all += f(v * e[i]);
          if (i % s.width < s.small) first += f(v * e[i]);
        });
        return [all, first];
      };
      const got = bf16.channelGateDots(s, x, d);
      const [xr, dr] = [roundBf16(x), roundBf16(d)];
      expectSum(Float32Array.of(got.all, got.small), dots(xr, dr), dots(x, d), dots(x, d, Math.abs), 2);
      expect(same(Object.values(bf16.channelGateDots(s, x, d)), Object.values(got))).toBe(true);
    }
  });

  // Sizes whose reductions span many chunks: column totals over more than 32
  // lanes' worth of chunks with a partial last column block; run twice, the
  // bits must repeat.
  it('batchnorm and depthwise reductions over many chunks equal the CPU and repeat bit for bit', () => {
    const rows = 50_000;
    const c = 37;
    const x = rng.floats(rows * c, 2);
    const dy = rng.floats(rows * c);
    const [xr, dyr] = [roundBf16(x), roundBf16(dy)];
    const p = bnParams(c);
    const ref = kernels.batchnormForward({ rows, channels: c }, xr, copy(p), { training: true });
    const out = bf16.batchnormForward(rows, c, x, copy(p), { training: true, activation: 'relu' });
    expect(relativeError(out.saveInvStd!, ref.saveInvStd!)).toBeLessThanOrEqual(FP32);
    expect(same(bf16.batchnormForward(rows, c, x, copy(p), { training: true, activation: 'relu' }).saveInvStd!, out.saveInvStd!)).toBe(true);
    const opts = { training: true, activation: 'relu' as const, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd };
    const g = bf16.batchnormBackward(rows, c, x, dy, p, opts);
    const r = kernels.batchnormBackward({ rows, channels: c }, xr, cpuBackward('relu', ref.y, dyr), p, { training: true, saveMean: ref.saveMean, saveInvStd: ref.saveInvStd });
    expect(relativeError(g.dgamma, r.dgamma)).toBeLessThanOrEqual(FP32);
    expect(relativeError(g.dbeta, r.dbeta)).toBeLessThanOrEqual(FP32);
    expect(relativeError(g.dx, r.dx)).toBeLessThanOrEqual(ROUNDED);
    const again = bf16.batchnormBackward(rows, c, x, dy, p, opts);
    expect(same(again.dgamma, g.dgamma) && same(again.dbeta, g.dbeta) && same(again.dx, g.dx)).toBe(true);

    const s = { n: 8, h: 56, w: 56, c: 40, kernel: 3, stride: 1 };
    const xd = rng.floats(s.n * s.h * s.w * s.c);
    const w = rng.floats(9 * s.c, 0.3);
    const dyd = rng.floats(s.n * s.h * s.w * s.c);
    const dg = bf16.depthwiseBackward(s, xd, w, dyd, { bias: true });
    const dc = kernels.depthwiseBackward(s, roundBf16(xd), w, roundBf16(dyd), { bias: true });
    expect(relativeError(dg.dw, dc.dw)).toBeLessThanOrEqual(FP32);
    expect(relativeError(dg.db!, dc.db!)).toBeLessThanOrEqual(FP32);
    const dagain = bf16.depthwiseBackward(s, xd, w, dyd, { bias: true });
    expect(same(dagain.dw, dg.dw) && same(dagain.db!, dg.db!)).toBe(true);
  });

  it('a bad device index is a RangeError naming it', () => {
    expect(() => bf16.addForward(new Float32Array(2), new Float32Array(2), { device: 999 })).toThrow(/cuda:999 is not present/);
  });
});
