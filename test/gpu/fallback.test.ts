// Our own dense/grouped convolution and linear kernels (native/cuda/
// fallback_conv.cu, the layers of builds without cuDNN/cuBLAS) against the
// CPU kernels on random inputs, forward and backward (fp32: relative error
// ≤ 1e-5), with absent gradients, and bit-identical from run to run.
// Skipped with a visible reason without a GPU.
import { describe, expect, it } from 'vitest';
import * as gpu from '../../src/gpu/kernels.js';
import { kernels } from '../../src/index.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noGpu, relativeError } from './gpu-skip.js';

announceSkip('test/gpu/fallback.test.ts');
const FP32 = 1e-5;
const rng = new TestRandom(4242);

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

describe.skipIf(noGpu)('built-in GPU convolution and linear kernels equal the CPU kernels (fp32)', () => {
  const convCases = [
    { name: 'stem 3×3 stride 2, 3→16', n: 2, h: 16, w: 16, cin: 3, cout: 16, kernel: 3, stride: 2 },
    { name: 'odd sizes 5×5', n: 2, h: 9, w: 11, cin: 8, cout: 12, kernel: 5, stride: 1 },
    { name: 'grouped 3×3, 4 groups', n: 3, h: 8, w: 8, cin: 16, cout: 24, kernel: 3, stride: 1, groups: 4 },
    { name: 'grouped stride 2 unpadded', n: 2, h: 7, w: 8, cin: 8, cout: 6, kernel: 3, stride: 2, pad: 0, groups: 2 },
    { name: 'rectangular kernel and stride', n: 2, h: 8, w: 9, cin: 6, cout: 10, kernel: [3, 5] as [number, number], stride: [2, 1] as [number, number], pad: [1, 0] as [number, number] },
    { name: '7×7 stride 2', n: 1, h: 13, w: 13, cin: 5, cout: 7, kernel: 7, stride: 2 },
    { name: 'pointwise 1×1', n: 2, h: 7, w: 7, cin: 16, cout: 32, kernel: 1, stride: 1 },
    { name: 'several tiles along every dimension', n: 2, h: 20, w: 20, cin: 96, cout: 80, kernel: 3, stride: 1 },
    { name: 'long weight-gradient sum (K slices)', n: 3, h: 32, w: 32, cin: 4, cout: 8, kernel: 3, stride: 1 },
  ];
  for (const { name, ...s } of convCases) {
    it(`conv2d ${name}`, () => {
      const [kh, kw] = Array.isArray(s.kernel) ? s.kernel : [s.kernel, s.kernel];
      const { ho, wo } = kernels.conv2dOutputSize(s);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats(s.cout * kh * kw * (s.cin / (s.groups ?? 1)), 0.2);
      const bias = rng.floats(s.cout);
      const dy = rng.floats(s.n * ho * wo * s.cout);
      const y = gpu.fallbackConv2dForward(s, x, w, bias);
      expect(relativeError(y, kernels.conv2dForward(s, x, w, bias))).toBeLessThanOrEqual(FP32);
      const g = gpu.fallbackConv2dBackward(s, x, w, dy, { bias: true });
      const c = kernels.conv2dBackward(s, x, w, dy, { bias: true });
      expect(relativeError(g.dx!, c.dx)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.dw!, c.dw)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(FP32);
      expect(bitsEqual(gpu.fallbackConv2dForward(s, x, w, bias), y)).toBe(true);
      const again = gpu.fallbackConv2dBackward(s, x, w, dy, { bias: true });
      expect(bitsEqual(again.dx!, g.dx!) && bitsEqual(again.dw!, g.dw!) && bitsEqual(again.db!, g.db!)).toBe(true);
    });
  }

  it('conv2d backward with only dx, only dw, only db', () => {
    const s = { n: 2, h: 9, w: 9, cin: 6, cout: 8, kernel: 3, stride: 2, groups: 2 };
    const { ho, wo } = kernels.conv2dOutputSize(s);
    const x = rng.floats(s.n * s.h * s.w * s.cin);
    const w = rng.floats(s.cout * 9 * (s.cin / s.groups), 0.2);
    const dy = rng.floats(s.n * ho * wo * s.cout);
    const c = kernels.conv2dBackward(s, x, w, dy, { bias: true });
    const onlyDx = gpu.fallbackConv2dBackward(s, x, w, dy, { dw: false });
    expect(onlyDx.dw).toBeUndefined();
    expect(relativeError(onlyDx.dx!, c.dx)).toBeLessThanOrEqual(FP32);
    const onlyDw = gpu.fallbackConv2dBackward(s, x, w, dy, { dx: false });
    expect(onlyDw.dx).toBeUndefined();
    expect(relativeError(onlyDw.dw!, c.dw)).toBeLessThanOrEqual(FP32);
    const onlyDb = gpu.fallbackConv2dBackward(s, x, w, dy, { dx: false, dw: false, bias: true });
    expect(relativeError(onlyDb.db!, c.db!)).toBeLessThanOrEqual(FP32);
  });

  const linearCases = [
    { name: 'classifier head', rows: 37, in: 50, out: 10 },
    { name: 'pointwise as linear, rows 2·7·7 (not a tile multiple)', rows: 2 * 7 * 7, in: 24, out: 144 },
    { name: 'pointwise as linear, rows 2·14·14', rows: 2 * 14 * 14, in: 40, out: 67 },
    { name: 'long weight-gradient sum (K slices)', rows: 1500, in: 70, out: 33 },
    { name: 'one row, one input', rows: 1, in: 1, out: 3 },
  ];
  for (const { name, ...s } of linearCases) {
    it(`linear ${name}`, () => {
      const x = rng.floats(s.rows * s.in);
      const w = rng.floats(s.out * s.in, 0.2);
      const bias = rng.floats(s.out);
      const dy = rng.floats(s.rows * s.out);
      const y = gpu.fallbackLinearForward(s, x, w, bias);
      expect(relativeError(y, kernels.linearForward(s, x, w, bias))).toBeLessThanOrEqual(FP32);
      expect(relativeError(gpu.fallbackLinearForward(s, x, w), kernels.linearForward(s, x, w))).toBeLessThanOrEqual(FP32);
      const g = gpu.fallbackLinearBackward(s, x, w, dy, { bias: true });
      const c = kernels.linearBackward(s, x, w, dy, { bias: true });
      expect(relativeError(g.dx!, c.dx)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.dw!, c.dw)).toBeLessThanOrEqual(FP32);
      expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(FP32);
      const again = gpu.fallbackLinearBackward(s, x, w, dy, { bias: true });
      expect(bitsEqual(again.dx!, g.dx!) && bitsEqual(again.dw!, g.dw!) && bitsEqual(again.db!, g.db!)).toBe(true);
    });
  }

  it('linear backward with only dx, only dw', () => {
    const s = { rows: 70, in: 65, out: 9 };
    const x = rng.floats(s.rows * s.in);
    const w = rng.floats(s.out * s.in, 0.2);
    const dy = rng.floats(s.rows * s.out);
    const c = kernels.linearBackward(s, x, w, dy);
    const onlyDx = gpu.fallbackLinearBackward(s, x, w, dy, { dw: false });
    expect(onlyDx.dw).toBeUndefined();
    expect(relativeError(onlyDx.dx!, c.dx)).toBeLessThanOrEqual(FP32);
    const onlyDw = gpu.fallbackLinearBackward(s, x, w, dy, { dx: false });
    expect(onlyDw.dx).toBeUndefined();
    expect(relativeError(onlyDw.dw!, c.dw)).toBeLessThanOrEqual(FP32);
  });

  it('names a bad shape in the error', () => {
    const s = { n: 1, h: 4, w: 4, cin: 6, cout: 4, kernel: 3, groups: 4 };
    expect(() => gpu.fallbackConv2dForward(s, new Float32Array(96), new Float32Array(36))).toThrow(/groups/);
    expect(() => gpu.fallbackLinearForward({ rows: 2, in: 3, out: 4 }, new Float32Array(5), new Float32Array(12))).toThrow(/x/);
  });
});
