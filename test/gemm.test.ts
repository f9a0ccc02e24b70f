// SGEMM, linear and pointwise convolution against float64 loops written from
// the definitions, backward passes against finite differences, the portable
// path in a child process, determinism across repeated and async calls.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { kernels, native, setThreads } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  /** extra elements per row beyond the row length */
  padA: number;
  padB: number;
  padC: number;
}

interface Operands {
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  lda: number;
  ldb: number;
  ldc: number;
}

function operands(c: Case, rng: TestRandom): Operands {
  const lda = (c.transA ? c.m : c.k) + c.padA;
  const ldb = (c.transB ? c.k : c.n) + c.padB;
  const ldc = c.n + c.padC;
  return {
    a: rng.floats(((c.transA ? c.k : c.m) - 1) * lda + (c.transA ? c.m : c.k)),
    b: rng.floats(((c.transB ? c.n : c.k) - 1) * ldb + (c.transB ? c.k : c.n)),
    c: rng.floats((c.m - 1) * ldc + c.n),
    lda,
    ldb,
    ldc,
  };
}

/** alpha·op(A)·op(B) + beta·C in float64, only the m×n elements, row by row. */
function referenceGemm(c: Case, o: Operands): Float64Array {
  const out = new Float64Array(c.m * c.n);
  for (let i = 0; i < c.m; i++)
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      for (let p = 0; p < c.k; p++) {
        const a = c.transA ? o.a[p * o.lda + i] : o.a[i * o.lda + p];
        const b = c.transB ? o.b[j * o.ldb + p] : o.b[p * o.ldb + j];
        s += a * b;
      }
      out[i * c.n + j] = c.alpha * s + (c.beta === 0 ? 0 : c.beta * o.c[i * o.ldc + j]);
    }
  return out;
}

function inside(c: Case, values: Float32Array, ldc: number): Float64Array {
  const out = new Float64Array(c.m * c.n);
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) out[i * c.n + j] = values[i * ldc + j];
  return out;
}

/** Runs one case through kernels.sgemm and checks it against the float64 loop. */
function checkCase(c: Case, seed: number): void {
  const rng = new TestRandom(seed);
  const o = operands(c, rng);
  const expected = referenceGemm(c, o);
  const result = o.c.slice();
  // with beta = 0, C is overwritten, never read: NaN there must not leak
  if (c.beta === 0) for (let i = 0; i < c.m; i++) result.fill(Number.NaN, i * o.ldc, i * o.ldc + c.n);
  kernels.sgemm({ ...c, a: o.a, b: o.b, c: result, lda: o.lda, ldb: o.ldb, ldc: o.ldc });
  const error = maxRelativeError(inside(c, result, o.ldc), expected);
  expect(error, `relative error ${error}`).toBeLessThanOrEqual(1e-5);
  // the row padding of C (ldc > n) is never written
  for (let i = 0; i < result.length; i++) if (i % o.ldc >= c.n && result[i] !== o.c[i]) expect.fail(`c[${i}] in the padding was written`);
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

// Edges of the 6×16 tiles (1, 5, 6, 7, 8, 9, 16, 17), the 256-deep k blocks,
// the 120-row and 1024-column blocks, and matrices too small for tiles (m < 6).
const FIXED_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [5, 40, 33],
  [6, 16, 64],
  [7, 8, 9],
  [17, 33, 9],
  [64, 48, 1],
  [100, 1, 300],
  [1, 200, 50],
  [13, 24, 600],
  [121, 9, 257],
  [257, 129, 131],
  [30, 1030, 20],
];

afterAll(() => {
  setThreads(0);
});

describe('sgemm matches a float64 triple loop', () => {
  for (const threads of [1, 2, 3])
    describe(`${threads} thread(s)`, () => {
      for (const [m, n, k] of FIXED_SHAPES)
        for (const [transA, transB] of TRANSPOSES)
          it(`${m}×${n}×${k} transA=${transA} transB=${transB}`, () => {
            setThreads(threads);
            const seed = m * 7919 + n * 104729 + k * 31 + (transA ? 1 : 0) + (transB ? 2 : 0);
            const odd = (m + n + k) % 2 === 1;
            checkCase({ m, n, k, transA, transB, alpha: odd ? 1 : 0.75, beta: odd ? 0 : -0.5, padA: m % 3, padB: 2, padC: 1 }, seed);
          });

      it('random shapes, strides, alpha and beta', () => {
        setThreads(threads);
        const rng = new TestRandom(1000 + threads);
        for (let t = 0; t < 40; t++) {
          // every fourth case is deep and narrow: C too small to share, so k is split
          const deep = t % 4 === 3;
          const c: Case = {
            m: rng.int(1, deep ? 40 : 150),
            n: rng.int(1, deep ? 40 : 150),
            k: deep ? rng.int(1000, 3000) : rng.int(1, 300),
            transA: rng.next() < 0.5,
            transB: rng.next() < 0.5,
            alpha: [1, -0.5, 2][rng.int(0, 2)],
            beta: [0, 1, 0.25][rng.int(0, 2)],
            padA: rng.int(0, 3),
            padB: rng.int(0, 3),
            padC: rng.int(0, 3),
          };
          checkCase(c, 5000 + t);
        }
      });
    });

  it('alpha = 0 scales C by beta without reading A or B', () => {
    const a = new Float32Array(12).fill(Number.NaN);
    const b = new Float32Array(12).fill(Number.POSITIVE_INFINITY);
    const c = new Float32Array([1, -2, 3, 4, 5, 6, 7, 8, 9]);
    kernels.sgemm({ m: 3, n: 3, k: 4, alpha: 0, beta: 0.5, a, b, c });
    expect(Array.from(c)).toEqual([0.5, -1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  });
});

describe('sgemm determinism', () => {
  // one shape per way of sharing the work at 2 threads: rows, columns, depth
  const shapes: [number, number, number, boolean, boolean][] = [
    [1000, 40, 70, false, true],
    [12, 700, 300, false, false],
    [16, 32, 5000, true, false],
  ];
  for (const [m, n, k, transA, transB] of shapes)
    it(`${m}×${n}×${k}: repeated, sync and async calls are bit-identical at 2 threads`, async () => {
      setThreads(2);
      const c: Case = { m, n, k, transA, transB, alpha: 1, beta: 0, padA: 0, padB: 0, padC: 0 };
      const o = operands(c, new TestRandom(m + n + k));
      const run = () => kernels.sgemm({ ...c, a: o.a, b: o.b, c: new Float32Array(m * n) });
      const first = run();
      const second = run();
      const third = await kernels.sgemmAsync({ ...c, a: o.a, b: o.b, c: new Float32Array(m * n) });
      expect(bitEqual(first, second)).toBe(true);
      expect(bitEqual(first, third)).toBe(true);
      expect(maxRelativeError(first, referenceGemm(c, { ...o, lda: transA ? m : k, ldb: transB ? k : n, ldc: n }))).toBeLessThanOrEqual(1e-5);
    });
});

describe('portable path (PRUNAS_CPU_PATH=portable, in a child process)', () => {
  it('matches the float64 loop on tile edges, half-width tiles, transposes and a k split', () => {
    const cases: Case[] = [
      { m: 37, n: 29, k: 53, transA: false, transB: false, alpha: 1, beta: 0, padA: 1, padB: 0, padC: 2 },
      { m: 19, n: 24, k: 300, transA: true, transB: true, alpha: 0.5, beta: 1, padA: 0, padB: 3, padC: 0 },
      { m: 130, n: 8, k: 17, transA: false, transB: true, alpha: 1, beta: -1, padA: 0, padB: 0, padC: 0 },
      { m: 4, n: 33, k: 70, transA: true, transB: false, alpha: 2, beta: 0, padA: 2, padB: 1, padC: 0 },
      { m: 16, n: 32, k: 4000, transA: true, transB: false, alpha: 1, beta: 0, padA: 0, padB: 0, padC: 0 },
    ];
    const inputs = cases.map((c, i) => operands(c, new TestRandom(300 + i)));
    const script = `
      const { kernels, native, setThreads } = await import('./src/index.ts');
      const { readFileSync } = await import('node:fs');
      const cases = JSON.parse(readFileSync(0, 'utf8'));
      setThreads(2);
      const out = cases.map(({ c, o }) => Array.from(kernels.sgemm({ ...c, a: Float32Array.from(o.a), b: Float32Array.from(o.b),
        c: Float32Array.from(o.c), lda: o.lda, ldb: o.ldb, ldc: o.ldc })));
      process.stdout.write(JSON.stringify({ path: native.buildInfo().vectorPath, out }));`;
    const payload = JSON.stringify(cases.map((c, i) => ({ c, o: { ...inputs[i], a: Array.from(inputs[i].a), b: Array.from(inputs[i].b), c: Array.from(inputs[i].c) } })));
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, PRUNAS_CPU_PATH: 'portable' },
      input: payload,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const child = JSON.parse(stdout) as { path: string; out: number[][] };
    expect(child.path).toBe('portable');
    cases.forEach((c, i) => {
      const error = maxRelativeError(inside(c, Float32Array.from(child.out[i]), inputs[i].ldc), referenceGemm(c, inputs[i]));
      expect(error, `case ${i}`).toBeLessThanOrEqual(1e-5);
    });
  });
});

/** y = x·Wᵀ + b in float64. */
function referenceLinear(rows: number, inF: number, outF: number, x: Float32Array, w: Float32Array, b?: Float32Array): Float64Array {
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < inF; i++) s += x[r * inF + i] * w[o * inF + i];
      y[r * outF + o] = s;
    }
  return y;
}

// Few rows (the direct path), tile edges, odd sizes, a wide layer.
const LINEAR_SHAPES = [
  { rows: 1, in: 13, out: 10 },
  { rows: 3, in: 40, out: 7 },
  { rows: 7, in: 13, out: 5 },
  { rows: 29, in: 17, out: 24 },
  { rows: 64, in: 96, out: 33 },
  { rows: 11, in: 300, out: 130 },
];

describe('linear', () => {
  for (const s of LINEAR_SHAPES)
    it(`${s.rows}×${s.in}→${s.out}: forward matches float64, dx, dw, db match finite differences`, async () => {
      setThreads(2);
      const rng = new TestRandom(s.rows * 131 + s.in * 7 + s.out);
      const x = rng.floats(s.rows * s.in);
      const w = rng.floats(s.out * s.in, 1 / Math.sqrt(s.in));
      const b = rng.floats(s.out);
      const y = kernels.linearForward(s, x, w, b);
      expect(maxRelativeError(y, referenceLinear(s.rows, s.in, s.out, x, w, b))).toBeLessThanOrEqual(1e-5);
      expect(maxRelativeError(kernels.linearForward(s, x, w), referenceLinear(s.rows, s.in, s.out, x, w))).toBeLessThanOrEqual(1e-5);
      expect(bitEqual(await kernels.linearForwardAsync(s, x, w, b), y)).toBe(true);

      const dy = rng.floats(y.length);
      const g = kernels.linearBackward(s, x, w, dy, { bias: true });
      const loss = () => dot64(kernels.linearForward(s, x, w, b), dy);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
      checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
      checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
      const again = await kernels.linearBackwardAsync(s, x, w, dy, { bias: true });
      expect(bitEqual(again.dx, g.dx) && bitEqual(again.dw, g.dw) && bitEqual(again.db!, g.db!)).toBe(true);
      expect(kernels.linearBackward(s, x, w, dy).db).toBeUndefined();
    });
});

describe('pointwise convolution', () => {
  const shapes = [
    { n: 2, h: 5, w: 3, cin: 6, cout: 9 },
    { n: 1, h: 7, w: 7, cin: 24, cout: 17 },
    { n: 3, h: 4, w: 5, cin: 33, cout: 8 },
    { n: 1, h: 1, w: 3, cin: 10, cout: 20 },
  ];
  for (const s of shapes)
    it(`${s.n}×${s.h}×${s.w}×${s.cin}→${s.cout}: forward matches float64, gradients match finite differences`, async () => {
      setThreads(2);
      const rng = new TestRandom(s.n * 1000 + s.h * 100 + s.cin * 10 + s.cout);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats(s.cout * s.cin, 1 / Math.sqrt(s.cin));
      const b = rng.floats(s.cout);
      const rows = s.n * s.h * s.w;
      const y = kernels.pointwiseForward(s, x, w, b);
      expect(maxRelativeError(y, referenceLinear(rows, s.cin, s.cout, x, w, b))).toBeLessThanOrEqual(1e-5);
      expect(bitEqual(await kernels.pointwiseForwardAsync(s, x, w, b), y)).toBe(true);
      // the same layer as a dense convolution with a 1×1 kernel
      expect(maxRelativeError(kernels.conv2dForward({ ...s, kernel: 1 }, x, w, b), referenceLinear(rows, s.cin, s.cout, x, w, b))).toBeLessThanOrEqual(1e-5);

      const dy = rng.floats(y.length);
      const g = kernels.pointwiseBackward(s, x, w, dy, { bias: true });
      const loss = () => dot64(kernels.pointwiseForward(s, x, w, b), dy);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
      checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
      checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
      const again = await kernels.pointwiseBackwardAsync(s, x, w, dy, { bias: true });
      expect(bitEqual(again.dx, g.dx) && bitEqual(again.dw, g.dw) && bitEqual(again.db!, g.db!)).toBe(true);
    });

  it('a MobileNetV2 expand layer (112×112×16→96): forward and gradients match float64', () => {
    setThreads(2);
    const s = { n: 1, h: 112, w: 112, cin: 16, cout: 96 };
    const rows = s.n * s.h * s.w;
    const rng = new TestRandom(77);
    const x = rng.floats(rows * s.cin);
    const w = rng.floats(s.cout * s.cin, 0.25);
    const dy = rng.floats(rows * s.cout);
    expect(maxRelativeError(kernels.pointwiseForward(s, x, w), referenceLinear(rows, s.cin, s.cout, x, w))).toBeLessThanOrEqual(1e-5);
    const g = kernels.pointwiseBackward(s, x, w, dy, { bias: true });
    // dx = dy·W, dW = dyᵀ·x, db = Σ dy, each in float64
    const dx = new Float64Array(rows * s.cin);
    const dw = new Float64Array(s.cout * s.cin);
    const db = new Float64Array(s.cout);
    for (let r = 0; r < rows; r++)
      for (let o = 0; o < s.cout; o++) {
        const d = dy[r * s.cout + o];
        db[o] += d;
        for (let i = 0; i < s.cin; i++) {
          dx[r * s.cin + i] += d * w[o * s.cin + i];
          dw[o * s.cin + i] += d * x[r * s.cin + i];
        }
      }
    expect(maxRelativeError(g.dx, dx)).toBeLessThanOrEqual(1e-5);
    expect(maxRelativeError(g.dw, dw)).toBeLessThanOrEqual(1e-5);
    expect(maxRelativeError(g.db!, db)).toBeLessThanOrEqual(1e-5);
    const again = kernels.pointwiseBackward(s, x, w, dy, { bias: true });
    expect(bitEqual(again.dx, g.dx) && bitEqual(again.dw, g.dw) && bitEqual(again.db!, g.db!)).toBe(true);
  });
});

describe('FMA peak', () => {
  it('measures one thread and all threads', () => {
    setThreads(2);
    const one = kernels.fmaPeakGflops(0.05);
    const all = kernels.fmaPeakGflops(0.05, { allThreads: true });
    expect(one).toBeGreaterThan(0.1);
    expect(one).toBeLessThan(1e4);
    expect(native.buildInfo().threads).toBe(2);
    // two threads do at least the work of one, even when they share the cores with other processes
    expect(all).toBeGreaterThan(0.5 * one);
    expect(Number.isFinite(all)).toBe(true);
  });
});
