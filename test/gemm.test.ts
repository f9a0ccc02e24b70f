import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kernels, setThreads } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

function refGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): Float64Array {
  const out = Float64Array.from(c);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      out[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]);
    }
  return out;
}

const shapes = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 33, 9],
  [64, 48, 1],
  [6, 16, 64],
  [257, 129, 131],
  [100, 1, 300],
  [1, 200, 50],
];

describe('sgemm', () => {
  for (const [m, n, k] of shapes)
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}×${n}×${k} transA=${ta} transB=${tb}`, () => {
        const rng = new TestRandom(m * 1000 + n * 10 + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        const lda = (ta ? m : k) + (m % 3);
        const ldb = (tb ? k : n) + 2;
        const ldc = n + 1;
        const a = rng.floats(((ta ? k : m) - 1) * lda + (ta ? m : k));
        const b = rng.floats(((tb ? n : k) - 1) * ldb + (tb ? k : n));
        const c = rng.floats((m - 1) * ldc + n);
        const [alpha, beta] = m % 2 ? [1, 0] : [0.75, -0.5];
        const expected = refGemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        // NaN in C must be ignored when beta = 0 (C is overwritten, not read)
        if (beta === 0) c.fill(Number.NaN);
        const before = c.slice();
        kernels.sgemm({ transA: ta, transB: tb, m, n, k, alpha, beta, a, lda, b, ldb, c, ldc });
        const inside = (v: ArrayLike<number>) => Array.from({ length: m * n }, (_, i) => v[Math.floor(i / n) * ldc + (i % n)]);
        expect(maxRelativeError(inside(c), inside(expected))).toBeLessThan(1e-5);
        // the padding between rows (ldc > n) is never written
        for (let i = 0; i < c.length; i++) if (i % ldc >= n) expect(Object.is(c[i], before[i])).toBe(true);
      });
    }

  it('is deterministic and identical sync vs async', async () => {
    const rng = new TestRandom(3);
    const a = rng.floats(300 * 200);
    const b = rng.floats(200 * 150);
    const c1 = kernels.sgemm({ m: 300, n: 150, k: 200, a, b, c: new Float32Array(300 * 150) });
    const c2 = await kernels.sgemmAsync({ m: 300, n: 150, k: 200, a, b, c: new Float32Array(300 * 150) });
    expect(bitEqual(c1, c2)).toBe(true);
  });

  it('the portable path agrees with the vector path', () => {
    const script = `
      const { kernels, native } = await import('./src/index.ts');
      const { TestRandom } = await import('./test/helpers/random.ts');
      const rng = new TestRandom(11);
      const a = rng.floats(37 * 53), b = rng.floats(53 * 29);
      const c = kernels.sgemm({ m: 37, n: 29, k: 53, a, b, c: new Float32Array(37 * 29) });
      process.stdout.write(JSON.stringify({ path: native.buildInfo().vectorPath, c: Array.from(c) }));`;
    const run = (path: string) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, PRUNAS_CPU_PATH: path }, encoding: 'utf8' }));
    const portable = run('portable');
    const vector = run('avx2');
    expect(portable.path).toBe('portable');
    expect(maxRelativeError(portable.c, vector.c)).toBeLessThan(1e-5);
  });
});

describe('linear and pointwise', () => {
  it('linear forward matches float64 and backward matches finite differences', () => {
    const rng = new TestRandom(21);
    const s = { rows: 7, in: 13, out: 5 };
    const x = rng.floats(s.rows * s.in);
    const w = rng.floats(s.out * s.in, 0.5);
    const b = rng.floats(s.out);
    const y = kernels.linearForward(s, x, w, b);
    const ref = new Float64Array(s.rows * s.out);
    for (let r = 0; r < s.rows; r++)
      for (let o = 0; o < s.out; o++) {
        let acc = b[o];
        for (let i = 0; i < s.in; i++) acc += x[r * s.in + i] * w[o * s.in + i];
        ref[r * s.out + o] = acc;
      }
    expect(maxRelativeError(y, ref)).toBeLessThan(1e-6);
    const dy = rng.floats(y.length);
    const g = kernels.linearBackward(s, x, w, dy, { bias: true });
    const loss = () => dot64(kernels.linearForward(s, x, w, b), dy);
    checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
    checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
    checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
  });

  it('pointwise conv equals the 1×1 dense conv and its gradients match finite differences', () => {
    const rng = new TestRandom(22);
    const s = { n: 2, h: 5, w: 3, cin: 6, cout: 9 };
    const x = rng.floats(2 * 5 * 3 * 6);
    const w = rng.floats(9 * 6);
    const y = kernels.pointwiseForward(s, x, w);
    const dense = kernels.conv2dForward({ ...s, kernel: 1 }, x, w);
    expect(bitEqual(y, dense)).toBe(true);
    const dy = rng.floats(y.length);
    const g = kernels.pointwiseBackward(s, x, w, dy);
    const loss = () => dot64(kernels.pointwiseForward(s, x, w), dy);
    checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
    checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
  });

  it('gradients are bit-identical on repeat at 2 threads', () => {
    setThreads(2);
    const rng = new TestRandom(23);
    const s = { rows: 4096, in: 32, out: 24 };
    const x = rng.floats(s.rows * s.in);
    const w = rng.floats(s.out * s.in);
    const dy = rng.floats(s.rows * s.out);
    const a = kernels.linearBackward(s, x, w, dy, { bias: true });
    const b = kernels.linearBackward(s, x, w, dy, { bias: true });
    expect(bitEqual(a.dw, b.dw) && bitEqual(a.db!, b.db!)).toBe(true);
    setThreads(0);
  });
});

describe('FMA peak', () => {
  it('measures a positive throughput', () => {
    const g = kernels.fmaPeakGflops(0.05);
    expect(g).toBeGreaterThan(1);
    expect(g).toBeLessThan(1e4);
  });
});
