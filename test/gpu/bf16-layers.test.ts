// The bf16 convolution and linear layers (cuDNN/cuBLAS and our own kernels)
// against the CPU float32 kernels: forward and backward within a norm-wise
// relative error of 1e-2 on the float32 inputs; against the CPU kernels fed
// the same bf16-rounded values, only the output rounding remains (y, dx
// within 2^-8), and weight gradients accumulated and written in float32
// (built-in kernels and cuBLAS) carry no bf16 rounding at all. Repeated calls
// give the same bits. Skipped with a visible reason without a GPU (the
// library layers also without cuDNN/cuBLAS).
import { describe, expect, it } from 'vitest';
import { bf16Conv2dBackward, bf16Conv2dForward, bf16LinearBackward, bf16LinearForward, roundToBf16, type Bf16Layers } from '../../src/gpu/bf16-layers.js';
import { kernels } from '../../src/index.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noGpu, noLibraries, relativeError } from './gpu-skip.js';

const FILE = 'test/gpu/bf16-layers.test.ts';
announceSkip(FILE);
if (!noGpu && noLibraries) console.warn(`[gpu tests] ${FILE}: the cuDNN/cuBLAS bf16 layers skipped: the addon was built without cuDNN/cuBLAS`);

const BF16 = 1e-2;
const OUTPUT_ROUNDING = 2 ** -8 + 1e-5; // one rounding to bf16 (relative ≤ 2^-8 per element), float32 sums
const FLOAT32 = 1e-5;
const rng = new TestRandom(9090);

function bitsEqual(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  if (!a || !b) return a === b;
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

const convCases = [
  { name: 'stem 3×3 stride 2, 3→32', n: 2, h: 16, w: 16, cin: 3, cout: 32, kernel: 3, stride: 2 },
  { name: 'grouped 3×3, 4 groups', n: 3, h: 8, w: 8, cin: 16, cout: 24, kernel: 3, stride: 1, groups: 4 },
  { name: 'pointwise 1×1, 2·7·7 rows (not a tile multiple)', n: 2, h: 7, w: 7, cin: 24, cout: 40, kernel: 1, stride: 1 },
  { name: 'odd sizes 5×5', n: 2, h: 9, w: 11, cin: 8, cout: 12, kernel: 5, stride: 1 },
  { name: 'long weight-gradient sum (K slices)', n: 3, h: 32, w: 32, cin: 4, cout: 8, kernel: 3, stride: 1 },
];

const linearCases = [
  { name: 'pointwise as linear, rows 2·7·7 (not a tile multiple)', rows: 2 * 7 * 7, in: 24, out: 144 },
  { name: 'classifier head', rows: 37, in: 50, out: 10 },
  { name: 'long weight-gradient sum (K slices)', rows: 1500, in: 70, out: 33 },
];

function layerSuite(layers: Bf16Layers) {
  // the libraries multiply a bf16 copy of the weights; our kernels the float32 weights
  const productWeights = (w: Float32Array) => (layers === 'library' ? roundToBf16(w) : w);
  // cuDNN writes dW through a bf16 copy (no float32 dW with bf16 data); cuBLAS and our kernels in float32
  const convDwBound = layers === 'library' ? OUTPUT_ROUNDING : FLOAT32;
  const linearDwBound = layers === 'library' ? 1e-4 : FLOAT32;

  for (const { name, ...s } of convCases) {
    it(`conv2d ${name}`, () => {
      const [kh, kw] = [s.kernel, s.kernel];
      const { ho, wo } = kernels.conv2dOutputSize(s);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats(s.cout * kh * kw * (s.cin / (s.groups ?? 1)), 0.2);
      const bias = rng.floats(s.cout);
      const dy = rng.floats(s.n * ho * wo * s.cout);

      const y = bf16Conv2dForward(s, x, w, bias, { layers });
      expect(relativeError(y, kernels.conv2dForward(s, x, w, bias))).toBeLessThanOrEqual(BF16);
      const g = bf16Conv2dBackward(s, x, w, dy, { layers, bias: true });
      const c = kernels.conv2dBackward(s, x, w, dy, { bias: true });
      expect(relativeError(g.dx!, c.dx)).toBeLessThanOrEqual(BF16);
      expect(relativeError(g.dw!, c.dw)).toBeLessThanOrEqual(BF16);
      expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(BF16);

      const xr = roundToBf16(x);
      const dyr = roundToBf16(dy);
      const exact = kernels.conv2dBackward(s, xr, productWeights(w), dyr, { bias: true });
      expect(relativeError(bf16Conv2dForward(s, x, w, undefined, { layers }), kernels.conv2dForward(s, xr, productWeights(w)))).toBeLessThanOrEqual(OUTPUT_ROUNDING);
      expect(relativeError(g.dx!, exact.dx)).toBeLessThanOrEqual(OUTPUT_ROUNDING);
      expect(relativeError(g.dw!, exact.dw)).toBeLessThanOrEqual(convDwBound);
      expect(relativeError(g.db!, exact.db!)).toBeLessThanOrEqual(FLOAT32);

      expect(bitsEqual(bf16Conv2dForward(s, x, w, bias, { layers }), y)).toBe(true);
      const again = bf16Conv2dBackward(s, x, w, dy, { layers, bias: true });
      expect(bitsEqual(again.dx, g.dx) && bitsEqual(again.dw, g.dw) && bitsEqual(again.db, g.db)).toBe(true);
    });
  }

  it('conv2d backward with only dx, only dw', () => {
    const s = { n: 2, h: 9, w: 9, cin: 6, cout: 8, kernel: 3, stride: 2, groups: 2 };
    const { ho, wo } = kernels.conv2dOutputSize(s);
    const x = rng.floats(s.n * s.h * s.w * s.cin);
    const w = rng.floats(s.cout * 9 * (s.cin / s.groups), 0.2);
    const dy = rng.floats(s.n * ho * wo * s.cout);
    const both = bf16Conv2dBackward(s, x, w, dy, { layers });
    const onlyDx = bf16Conv2dBackward(s, x, w, dy, { layers, dw: false });
    expect(onlyDx.dw).toBeUndefined();
    expect(bitsEqual(onlyDx.dx, both.dx)).toBe(true);
    const onlyDw = bf16Conv2dBackward(s, x, w, dy, { layers, dx: false });
    expect(onlyDw.dx).toBeUndefined();
    expect(bitsEqual(onlyDw.dw, both.dw)).toBe(true);
    expect(relativeError(both.dw!, kernels.conv2dBackward(s, x, w, dy).dw)).toBeLessThanOrEqual(BF16);
  });

  for (const { name, ...s } of linearCases) {
    it(`linear ${name}`, () => {
      const x = rng.floats(s.rows * s.in);
      const w = rng.floats(s.out * s.in, 0.2);
      const bias = rng.floats(s.out);
      const dy = rng.floats(s.rows * s.out);

      const y = bf16LinearForward(s, x, w, bias, { layers });
      expect(relativeError(y, kernels.linearForward(s, x, w, bias))).toBeLessThanOrEqual(BF16);
      const g = bf16LinearBackward(s, x, w, dy, { layers, bias: true });
      const c = kernels.linearBackward(s, x, w, dy, { bias: true });
      expect(relativeError(g.dx!, c.dx)).toBeLessThanOrEqual(BF16);
      expect(relativeError(g.dw!, c.dw)).toBeLessThanOrEqual(BF16);
      expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(BF16);

      const xr = roundToBf16(x);
      const dyr = roundToBf16(dy);
      const exact = kernels.linearBackward(s, xr, productWeights(w), dyr, { bias: true });
      expect(relativeError(bf16LinearForward(s, x, w, undefined, { layers }), kernels.linearForward(s, xr, productWeights(w)))).toBeLessThanOrEqual(OUTPUT_ROUNDING);
      expect(relativeError(g.dx!, exact.dx)).toBeLessThanOrEqual(OUTPUT_ROUNDING);
      expect(relativeError(g.dw!, exact.dw)).toBeLessThanOrEqual(linearDwBound);
      expect(relativeError(g.db!, exact.db!)).toBeLessThanOrEqual(FLOAT32);

      expect(bitsEqual(bf16LinearForward(s, x, w, bias, { layers }), y)).toBe(true);
      const again = bf16LinearBackward(s, x, w, dy, { layers, bias: true });
      expect(bitsEqual(again.dx, g.dx) && bitsEqual(again.dw, g.dw) && bitsEqual(again.db, g.db)).toBe(true);
    });
  }
}

describe.skipIf(noGpu)('bf16 layers on our own kernels equal the CPU float32 kernels', () => layerSuite('builtin'));
describe.skipIf(noLibraries)('bf16 layers through cuDNN/cuBLAS equal the CPU float32 kernels', () => layerSuite('library'));

describe('bf16 rounding and arguments (no GPU needed)', () => {
  it('rounds to the nearest bf16, ties to even', () => {
    const one = 1;
    const r = roundToBf16(new Float32Array([one + 2 ** -8, one + 3 * 2 ** -8, -(one + 2 ** -8), one + 2 ** -8 + 2 ** -20, 3.4028234663852886e38, Infinity, NaN, 0]));
    expect(Array.from(r.subarray(0, 4))).toEqual([1, 1 + 2 ** -6, -1, 1 + 2 ** -7]);
    expect(r[4]).toBe(Infinity); // above the largest bf16 (0x7f7f) by more than half an ulp
    expect(r[5]).toBe(Infinity);
    expect(Number.isNaN(r[6])).toBe(true);
    expect(r[7]).toBe(0);
  });

  it('names a bad argument in the error', () => {
    const s = { n: 1, h: 4, w: 4, cin: 6, cout: 4, kernel: 3, groups: 4 };
    expect(() => bf16Conv2dForward(s, new Float32Array(96), new Float32Array(36))).toThrow(/groups/);
    expect(() => bf16LinearForward({ rows: 2, in: 3, out: 4 }, new Float32Array(5), new Float32Array(12))).toThrow(/x/);
    const ok = { rows: 2, in: 3, out: 4 };
    expect(() => bf16LinearForward(ok, new Float32Array(6), new Float32Array(12), undefined, { layers: 'fast' as Bf16Layers })).toThrow(/layers/);
  });
});
