// Batch normalisation (NHWC as [rows, channels]) against a float64 reference
// written from PyTorch's definition, and its backwards against central finite
// differences: of our float32 forward (checkGradient) and, tighter, of the
// float64 reference forward.
import { afterEach, describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

interface Bn {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

function bnParams(rng: TestRandom, c: number): Bn {
  return {
    gamma: rng.uniform(c, 0.5, 1.5),
    beta: rng.floats(c, 0.3),
    runningMean: rng.floats(c, 0.2),
    runningVar: rng.uniform(c, 0.5, 2),
  };
}

const copyBn = (p: Bn): Bn => ({ gamma: p.gamma, beta: p.beta, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() });

// PyTorch BatchNorm2d in training mode, in float64: biased variance to
// normalise, unbiased variance into the running estimate.
function refTrain(x: ArrayLike<number>, rows: number, c: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, rm: ArrayLike<number>, rv: ArrayLike<number>, momentum: number, eps: number) {
  const y = new Float64Array(rows * c);
  const mean = new Float64Array(c);
  const invstd = new Float64Array(c);
  const runningMean = new Float64Array(c);
  const runningVar = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * c + ch];
    const mu = s / rows;
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += (x[r * c + ch] - mu) ** 2;
    mean[ch] = mu;
    invstd[ch] = 1 / Math.sqrt(ss / rows + eps);
    for (let r = 0; r < rows; r++) y[r * c + ch] = (x[r * c + ch] - mu) * invstd[ch] * gamma[ch] + beta[ch];
    runningMean[ch] = (1 - momentum) * rm[ch] + momentum * mu;
    runningVar[ch] = (1 - momentum) * rv[ch] + momentum * (ss / (rows - 1));
  }
  return { y, mean, invstd, runningMean, runningVar };
}

function refEval(x: ArrayLike<number>, rows: number, c: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, rm: ArrayLike<number>, rv: ArrayLike<number>, eps: number): Float64Array {
  const y = new Float64Array(rows * c);
  for (let r = 0; r < rows; r++)
    for (let ch = 0; ch < c; ch++) y[r * c + ch] = ((x[r * c + ch] - rm[ch]) / Math.sqrt(rv[ch] + eps)) * gamma[ch] + beta[ch];
  return y;
}

/** Largest |a_i − b_i| / |b_i| (b_i ≠ 0 here). */
function maxElementwiseError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return e;
}

/**
 * Central differences of a float64 function at every element of x (h = 1e-5;
 * the reference forward is smooth, so these are accurate to ~1e-9).
 */
function fd64(x: Float64Array, loss: () => number, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i];
    x[i] = saved + h;
    const up = loss();
    x[i] = saved - h;
    const down = loss();
    x[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

const shapes = [
  { rows: 3, c: 1 },
  { rows: 23, c: 6 },
  { rows: 3 * 5 * 7, c: 13 },
  { rows: 2 * 9 * 11 + 1, c: 3 }, // several row blocks
];

afterEach(() => {
  native.setThreads(0);
});

describe('batchnorm training forward', () => {
  for (const { rows, c } of shapes)
    for (const [momentum, eps] of [
      [0.1, 1e-5],
      [0.3, 1e-3],
    ])
      it(`rows ${rows} × ${c} channels, momentum ${momentum}, eps ${eps}: y, saved and running stats match float64`, () => {
        const rng = new TestRandom(rows * 31 + c);
        const x = rng.floats(rows * c, 2);
        for (let i = 0; i < x.length; i++) x[i] += (i % c) - 1; // a different mean per channel
        const p = bnParams(rng, c);
        const before = copyBn(p);
        const out = kernels.batchnormForward({ rows, channels: c }, x, p, { training: true, momentum, eps });
        const ref = refTrain(x, rows, c, p.gamma, p.beta, before.runningMean, before.runningVar, momentum, eps);
        expect(maxRelativeError(out.y, ref.y)).toBeLessThan(1e-6);
        expect(maxRelativeError(out.saveMean!, ref.mean)).toBeLessThan(1e-6);
        expect(maxElementwiseError(out.saveInvStd!, ref.invstd)).toBeLessThan(1e-6);
        expect(maxElementwiseError(p.runningMean, ref.runningMean)).toBeLessThan(1e-6);
        expect(maxElementwiseError(p.runningVar, ref.runningVar)).toBeLessThan(1e-6);
      });

  it('momentum 1 replaces the running stats by the batch mean and unbiased variance (recalibration)', () => {
    const rng = new TestRandom(2);
    const rows = 50;
    const c = 3;
    const x = rng.floats(rows * c, 3);
    const p = bnParams(rng, c);
    const out = kernels.batchnormForward({ rows, channels: c }, x, p, { training: true, momentum: 1 });
    const ref = refTrain(x, rows, c, p.gamma, p.beta, new Float64Array(c), new Float64Array(c), 1, 1e-5);
    expect(bitEqual(p.runningMean, out.saveMean!)).toBe(true);
    expect(maxElementwiseError(p.runningVar, ref.runningVar)).toBeLessThan(1e-6);
    // the old values are gone entirely: a second batch sees only itself
    const x2 = rng.floats(rows * c, 0.5);
    kernels.batchnormForward({ rows, channels: c }, x2, p, { training: true, momentum: 1 });
    const ref2 = refTrain(x2, rows, c, p.gamma, p.beta, new Float64Array(c), new Float64Array(c), 1, 1e-5);
    expect(maxElementwiseError(p.runningMean, ref2.runningMean)).toBeLessThan(1e-6);
    expect(maxElementwiseError(p.runningVar, ref2.runningVar)).toBeLessThan(1e-6);
  });

  it('momentum 0 leaves the running stats untouched', () => {
    const rng = new TestRandom(3);
    const x = rng.floats(40 * 4);
    const p = bnParams(rng, 4);
    const before = copyBn(p);
    kernels.batchnormForward({ rows: 40, channels: 4 }, x, p, { training: true, momentum: 0 });
    expect(bitEqual(p.runningMean, before.runningMean) && bitEqual(p.runningVar, before.runningVar)).toBe(true);
  });

  it('is accurate when the mean is large against the spread (mean/std = 1000)', () => {
    const rng = new TestRandom(4);
    const rows = 4099;
    const c = 2;
    const x = rng.floats(rows * c, 0.1);
    for (let i = 0; i < x.length; i++) x[i] += 100;
    const p = bnParams(rng, c);
    const before = copyBn(p);
    const out = kernels.batchnormForward({ rows, channels: c }, x, p, { training: true });
    const ref = refTrain(x, rows, c, p.gamma, p.beta, before.runningMean, before.runningVar, 0.1, 1e-5);
    // the float32 mean is within half an ulp of 100 (3.8e-6), times γ/std ≈ 10
    expect(maxRelativeError(out.y, ref.y)).toBeLessThan(3e-5);
    expect(maxElementwiseError(out.saveInvStd!, ref.invstd)).toBeLessThan(1e-6);
    expect(maxElementwiseError(p.runningVar, ref.runningVar)).toBeLessThan(1e-6);
  });
});

describe('batchnorm eval forward', () => {
  for (const { rows, c } of [{ rows: 1, c: 1 }, ...shapes])
    for (const eps of [1e-5, 1e-3])
      it(`rows ${rows} × ${c} channels, eps ${eps}: uses the running stats and leaves them alone`, () => {
        const rng = new TestRandom(rows + c * 7);
        const x = rng.floats(rows * c, 2);
        const p = bnParams(rng, c);
        const before = copyBn(p);
        const out = kernels.batchnormForward({ rows, channels: c }, x, p, { training: false, eps });
        expect(out.saveMean).toBeUndefined();
        expect(maxRelativeError(out.y, refEval(x, rows, c, p.gamma, p.beta, p.runningMean, p.runningVar, eps))).toBeLessThan(1e-6);
        expect(bitEqual(p.runningMean, before.runningMean) && bitEqual(p.runningVar, before.runningVar)).toBe(true);
      });
});

describe('batchnorm backward', () => {
  for (const { rows, c } of shapes) {
    it(`training, rows ${rows} × ${c}: dx, dγ, dβ match finite differences of the float32 forward`, () => {
      const rng = new TestRandom(100 + rows + c);
      const x = rng.floats(rows * c, 1.5);
      const p = bnParams(rng, c);
      const dy = rng.floats(rows * c);
      const forward = () => kernels.batchnormForward({ rows, channels: c }, x, copyBn(p), { training: true });
      const saved = forward();
      const g = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training: true, saveMean: saved.saveMean, saveInvStd: saved.saveInvStd });
      const loss = () => dot64(forward().y, dy);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx', samples: 150 });
      checkGradient({ input: p.gamma, analytic: g.dgamma, loss, label: 'dgamma' });
      checkGradient({ input: p.beta, analytic: g.dbeta, loss, label: 'dbeta' });
    });

    it(`training, rows ${rows} × ${c}: dx, dγ, dβ match finite differences of the float64 reference (1e-4)`, () => {
      const rng = new TestRandom(200 + rows + c);
      const x = rng.floats(rows * c, 1.5);
      const p = bnParams(rng, c);
      const dy = rng.floats(rows * c);
      const saved = kernels.batchnormForward({ rows, channels: c }, x, copyBn(p), { training: true });
      const g = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training: true, saveMean: saved.saveMean, saveInvStd: saved.saveInvStd });
      const x64 = Float64Array.from(x);
      const gamma64 = Float64Array.from(p.gamma);
      const beta64 = Float64Array.from(p.beta);
      const loss = () => dot64(refTrain(x64, rows, c, gamma64, beta64, p.runningMean, p.runningVar, 0.1, 1e-5).y, dy);
      expect(maxRelativeError(g.dx, fd64(x64, loss))).toBeLessThan(1e-4);
      expect(maxRelativeError(g.dgamma, fd64(gamma64, loss))).toBeLessThan(1e-4);
      expect(maxRelativeError(g.dbeta, fd64(beta64, loss))).toBeLessThan(1e-4);
    });

    it(`eval, rows ${rows} × ${c}: dx, dγ, dβ match finite differences (float32 forward and float64 reference)`, () => {
      const rng = new TestRandom(300 + rows + c);
      const x = rng.floats(rows * c, 1.5);
      const p = bnParams(rng, c);
      const dy = rng.floats(rows * c);
      const o = { training: false, eps: 1e-3 };
      const g = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, o);
      const loss = () => dot64(kernels.batchnormForward({ rows, channels: c }, x, p, o).y, dy);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx', samples: 150 });
      checkGradient({ input: p.gamma, analytic: g.dgamma, loss, label: 'dgamma' });
      checkGradient({ input: p.beta, analytic: g.dbeta, loss, label: 'dbeta' });
      const x64 = Float64Array.from(x);
      const gamma64 = Float64Array.from(p.gamma);
      const beta64 = Float64Array.from(p.beta);
      const loss64 = () => dot64(refEval(x64, rows, c, gamma64, beta64, p.runningMean, p.runningVar, 1e-3), dy);
      expect(maxRelativeError(g.dx, fd64(x64, loss64))).toBeLessThan(1e-5);
      expect(maxRelativeError(g.dgamma, fd64(gamma64, loss64))).toBeLessThan(1e-5);
      expect(maxRelativeError(g.dbeta, fd64(beta64, loss64))).toBeLessThan(1e-5);
    });
  }
});

describe('batchnorm determinism, in place, async', () => {
  const rows = 64 * 40 + 7;
  const c = 19;

  function runAll() {
    const rng = new TestRandom(9);
    const x = rng.floats(rows * c, 2);
    const p = bnParams(rng, c);
    const dy = rng.floats(rows * c);
    const train = kernels.batchnormForward({ rows, channels: c }, x, p, { training: true, momentum: 0.25 });
    const gTrain = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training: true, saveMean: train.saveMean, saveInvStd: train.saveInvStd });
    const evalY = kernels.batchnormForward({ rows, channels: c }, x, p, { training: false }).y;
    const gEval = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training: false });
    return [train.y, train.saveMean!, train.saveInvStd!, p.runningMean, p.runningVar, gTrain.dx, gTrain.dgamma, gTrain.dbeta, evalY, gEval.dx, gEval.dgamma, gEval.dbeta];
  }

  it('every output is bit-identical at 1, 2 and 3 threads and from run to run', () => {
    native.setThreads(1);
    const one = runAll();
    for (const threads of [2, 3, 2]) {
      native.setThreads(threads);
      const other = runAll();
      one.forEach((a, i) => expect(bitEqual(a, other[i]), `output ${i} at ${threads} threads`).toBe(true));
    }
  });

  it('the native kernels run in place (y = x, dx = dy) with the same results', () => {
    const rng = new TestRandom(10);
    const x = rng.floats(rows * c);
    const dy = rng.floats(rows * c);
    const p = bnParams(rng, c);
    const args = { rows, channels: c, gamma: p.gamma, beta: p.beta };
    const separate = { y: new Float32Array(x.length), saveMean: new Float32Array(c), saveInvStd: new Float32Array(c) };
    const call = (name: string, a: object) => (native[name] as (a: object) => unknown)(a);
    call('batchnormForwardTrain', { ...args, x, ...separate });
    const inPlace = { y: x.slice(), saveMean: new Float32Array(c), saveInvStd: new Float32Array(c) };
    call('batchnormForwardTrain', { ...args, x: inPlace.y, ...inPlace });
    expect(bitEqual(inPlace.y, separate.y) && bitEqual(inPlace.saveInvStd, separate.saveInvStd)).toBe(true);

    const dx = new Float32Array(x.length);
    call('batchnormBackwardTrain', { ...args, x, dy, saveMean: separate.saveMean, saveInvStd: separate.saveInvStd, dx });
    const dyInPlace = dy.slice();
    call('batchnormBackwardTrain', { ...args, x, dy: dyInPlace, saveMean: separate.saveMean, saveInvStd: separate.saveInvStd, dx: dyInPlace });
    expect(bitEqual(dyInPlace, dx)).toBe(true);
  });

  it('the Promise variants give the sync results', async () => {
    const rng = new TestRandom(11);
    const x = rng.floats(rows * c);
    const dy = rng.floats(rows * c);
    const p = bnParams(rng, c);
    const sync = kernels.batchnormForward({ rows, channels: c }, x, copyBn(p), { training: true });
    const pAsync = copyBn(p);
    const viaPromise = await kernels.batchnormForwardAsync({ rows, channels: c }, x, pAsync, { training: true });
    expect(bitEqual(sync.y, viaPromise.y) && bitEqual(sync.saveInvStd!, viaPromise.saveInvStd!)).toBe(true);
    const o = { training: true, saveMean: sync.saveMean, saveInvStd: sync.saveInvStd };
    const g = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, o);
    const gAsync = await kernels.batchnormBackwardAsync({ rows, channels: c }, x, dy, p, o);
    expect(bitEqual(g.dx, gAsync.dx) && bitEqual(g.dgamma, gAsync.dgamma) && bitEqual(g.dbeta, gAsync.dbeta)).toBe(true);
  });
});
