// Global average pooling NHWC [n, h, w, c] → [n, c] against a float64
// reference, its backward against finite differences.
import { afterEach, describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual } from './helpers/reference.js';

function refPool(x: Float32Array, n: number, hw: number, c: number): Float64Array {
  const y = new Float64Array(n * c);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let p = 0; p < hw; p++) s += x[(i * hw + p) * c + ch];
      y[i * c + ch] = s / hw;
    }
  return y;
}

const shapes = [
  { n: 1, h: 1, w: 1, c: 1 },
  { n: 3, h: 5, w: 7, c: 4 },
  { n: 2, h: 7, w: 7, c: 13 },
  { n: 5, h: 1, w: 1, c: 9 },
  { n: 2, h: 32, w: 32, c: 3 },
  { n: 7, h: 3, w: 2, c: 33 },
];

afterEach(() => {
  native.setThreads(0);
});

describe('global average pool', () => {
  for (const s of shapes) {
    const label = `${s.n}×${s.h}×${s.w}×${s.c}`;
    it(`${label}: forward is the float64 mean rounded to float32`, () => {
      const rng = new TestRandom(s.n * 1000 + s.h * 10 + s.c);
      const x = rng.floats(s.n * s.h * s.w * s.c, 2);
      const y = kernels.globalAvgPoolForward(s, x);
      const ref = refPool(x, s.n, s.h * s.w, s.c);
      expect(y.length).toBe(ref.length);
      // summed in double: within one float32 rounding of the exact mean
      for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref[i]), `y[${i}]`).toBeLessThanOrEqual(6e-8 * Math.abs(ref[i]) + 1e-12);
      if (s.h * s.w === 1) expect(bitEqual(y, x)).toBe(true);
    });

    it(`${label}: backward matches finite differences and spreads dy/(h·w)`, () => {
      const rng = new TestRandom(s.n * 999 + s.w);
      const x = rng.floats(s.n * s.h * s.w * s.c);
      const dy = rng.floats(s.n * s.c);
      const dx = kernels.globalAvgPoolBackward(s, dy);
      const hw = s.h * s.w;
      for (let i = 0; i < dx.length; i += 7) {
        const row = Math.floor(i / s.c);
        const img = Math.floor(row / hw);
        expect(dx[i]).toBeCloseTo(dy[img * s.c + (i % s.c)] / hw, 6);
      }
      checkGradient({ input: x, analytic: dx, loss: () => dot64(kernels.globalAvgPoolForward(s, x), dy), samples: 100, tolerance: 1e-3, label: 'dx' });
    });
  }

  it('is bit-identical at 1, 2 and 3 threads; the Promise variants agree', async () => {
    const s = { n: 9, h: 8, w: 8, c: 21 };
    const rng = new TestRandom(5);
    const x = rng.floats(9 * 64 * 21);
    const dy = rng.floats(9 * 21);
    native.setThreads(1);
    const y1 = kernels.globalAvgPoolForward(s, x);
    const dx1 = kernels.globalAvgPoolBackward(s, dy);
    for (const threads of [2, 3]) {
      native.setThreads(threads);
      expect(bitEqual(kernels.globalAvgPoolForward(s, x), y1)).toBe(true);
      expect(bitEqual(kernels.globalAvgPoolBackward(s, dy), dx1)).toBe(true);
    }
    expect(bitEqual(await kernels.globalAvgPoolForwardAsync(s, x), y1)).toBe(true);
    expect(bitEqual(await kernels.globalAvgPoolBackwardAsync(s, dy), dx1)).toBe(true);
  });
});
