import { describe, expect, it } from 'vitest';
import { kernels, setThreads } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError, outSize, type RefConv, refConv2d } from './helpers/reference.js';

const cases: RefConv[] = [
  { n: 1, h: 7, w: 9, cin: 3, cout: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, groups: 1 },
  { n: 3, h: 8, w: 7, cin: 4, cout: 6, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, groups: 2 },
  { n: 2, h: 9, w: 9, cin: 8, cout: 8, kh: 5, kw: 5, sh: 2, sw: 1, ph: 2, pw: 0, groups: 4 },
  { n: 1, h: 11, w: 6, cin: 2, cout: 3, kh: 7, kw: 3, sh: 1, sw: 2, ph: 3, pw: 1, groups: 1 },
  { n: 2, h: 5, w: 5, cin: 6, cout: 4, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, groups: 1 },
  { n: 2, h: 6, w: 5, cin: 6, cout: 4, kh: 1, kw: 1, sh: 2, sw: 2, ph: 0, pw: 0, groups: 2 },
  { n: 1, h: 4, w: 4, cin: 3, cout: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, groups: 1 },
];

const shapeOf = (s: RefConv) => ({ n: s.n, h: s.h, w: s.w, cin: s.cin, cout: s.cout, kernel: [s.kh, s.kw] as [number, number], stride: [s.sh, s.sw] as [number, number], pad: [s.ph, s.pw] as [number, number], groups: s.groups });
const label = (s: RefConv) => `n${s.n} ${s.h}×${s.w}×${s.cin}→${s.cout} k${s.kh}×${s.kw} s${s.sh}${s.sw} p${s.ph}${s.pw} g${s.groups}`;

describe('conv2d (dense and grouped)', () => {
  for (const s of cases) {
    it(`forward matches a float64 direct convolution: ${label(s)}`, () => {
      const rng = new TestRandom(s.h * 31 + s.cin);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats((s.cout * s.kh * s.kw * s.cin) / s.groups, 0.5);
      const b = rng.floats(s.cout);
      const y = kernels.conv2dForward(shapeOf(s), x, w, b);
      expect(maxRelativeError(y, refConv2d(s, x, w, b))).toBeLessThan(1e-5);
    });

    it(`backward dx, dw, db match finite differences: ${label(s)}`, () => {
      const rng = new TestRandom(s.w * 17 + s.cout);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats((s.cout * s.kh * s.kw * s.cin) / s.groups, 0.5);
      const b = rng.floats(s.cout);
      const { ho, wo } = outSize(s);
      const r = rng.floats(s.n * ho * wo * s.cout);
      const g = kernels.conv2dBackward(shapeOf(s), x, w, r, { bias: true });
      const loss = () => dot64(kernels.conv2dForward(shapeOf(s), x, w, b), r);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
      checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
      checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
    });
  }

  it('is bit-identical on repeat and async equals sync', async () => {
    const s = cases[1];
    const rng = new TestRandom(5);
    const x = rng.floats(s.n * s.h * s.w * s.cin);
    const w = rng.floats((s.cout * s.kh * s.kw * s.cin) / s.groups);
    const y1 = kernels.conv2dForward(shapeOf(s), x, w);
    const y2 = await kernels.conv2dForwardAsync(shapeOf(s), x, w);
    expect(bitEqual(y1, y2)).toBe(true);
    const dy = rng.floats(y1.length);
    const g1 = kernels.conv2dBackward(shapeOf(s), x, w, dy);
    const g2 = await kernels.conv2dBackwardAsync(shapeOf(s), x, w, dy);
    expect(bitEqual(g1.dw, g2.dw) && bitEqual(g1.dx, g2.dx)).toBe(true);
  });
});

describe('depthwise conv', () => {
  const dcases = [
    { n: 2, h: 9, w: 7, c: 5, k: 3, s: 1 },
    { n: 1, h: 10, w: 11, c: 17, k: 3, s: 2 },
    { n: 3, h: 8, w: 8, c: 9, k: 5, s: 1 },
    { n: 1, h: 13, w: 9, c: 8, k: 7, s: 2 },
    { n: 2, h: 5, w: 6, c: 3, k: 7, s: 1 },
  ];
  for (const d of dcases) {
    const s: RefConv = { n: d.n, h: d.h, w: d.w, cin: d.c, cout: d.c, kh: d.k, kw: d.k, sh: d.s, sw: d.s, ph: d.k >> 1, pw: d.k >> 1, groups: d.c };
    const shape = { n: d.n, h: d.h, w: d.w, c: d.c, kernel: d.k, stride: d.s };
    // depthwise weights [kh][kw][c] ↔ OHWI [c][kh][kw][1]
    const toOhwi = (w: Float32Array) => {
      const o = new Float32Array(w.length);
      for (let i = 0; i < d.k * d.k; i++) for (let c = 0; c < d.c; c++) o[c * d.k * d.k + i] = w[i * d.c + c];
      return o;
    };

    it(`forward matches the reference and grouped conv with groups = C: c${d.c} k${d.k} s${d.s}`, () => {
      const rng = new TestRandom(d.c * 7 + d.k);
      const x = rng.floats(d.n * d.h * d.w * d.c);
      const w = rng.floats(d.k * d.k * d.c);
      const b = rng.floats(d.c);
      const y = kernels.depthwiseForward(shape, x, w, b);
      expect(maxRelativeError(y, refConv2d(s, x, toOhwi(w), b))).toBeLessThan(1e-5);
      const grouped = kernels.conv2dForward(shapeOf(s), x, toOhwi(w), b);
      expect(maxRelativeError(y, grouped)).toBeLessThan(1e-6);
    });

    it(`backward matches finite differences: c${d.c} k${d.k} s${d.s}`, () => {
      const rng = new TestRandom(d.c * 3 + d.k);
      const x = rng.floats(d.n * d.h * d.w * d.c);
      const w = rng.floats(d.k * d.k * d.c);
      const b = rng.floats(d.c);
      const { ho, wo } = outSize(s);
      const r = rng.floats(d.n * ho * wo * d.c);
      const g = kernels.depthwiseBackward(shape, x, w, r, { bias: true });
      const loss = () => dot64(kernels.depthwiseForward(shape, x, w, b), r);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
      checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
      checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
    });
  }

  it('weight gradients are bit-identical on repeat at a thread count', () => {
    setThreads(2);
    const rng = new TestRandom(9);
    const shape = { n: 4, h: 16, w: 16, c: 32, kernel: 3, stride: 1 };
    const x = rng.floats(4 * 16 * 16 * 32);
    const w = rng.floats(9 * 32);
    const dy = rng.floats(4 * 16 * 16 * 32);
    const a = kernels.depthwiseBackward(shape, x, w, dy, { bias: true });
    const b = kernels.depthwiseBackward(shape, x, w, dy, { bias: true });
    expect(bitEqual(a.dw, b.dw) && bitEqual(a.db!, b.db!) && bitEqual(a.dx, b.dx)).toBe(true);
    setThreads(0);
  });
});
