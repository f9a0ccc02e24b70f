// Softmax cross-entropy with label smoothing (PyTorch CrossEntropyLoss,
// mean reduction) and MSE against float64 references written from their
// definitions; gradients against finite differences.
import { afterEach, describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';
import { checkGradient } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

// loss = mean_i −Σ_j q_ij log softmax(z_i)_j with q = (1 − ε)·onehot + ε/k;
// ∂loss/∂z_ij = (softmax(z_i)_j − q_ij)/n; correct counts first-maximum argmax hits.
function refCrossEntropy(logits: Float32Array, labels: Int32Array, k: number, eps: number) {
  const n = labels.length;
  const grad = new Float64Array(n * k);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const z = Array.from(logits.subarray(i * k, (i + 1) * k));
    const max = Math.max(...z);
    const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    for (let j = 0; j < k; j++) {
      const q = (j === labels[i] ? 1 - eps : 0) + eps / k;
      loss -= q * (z[j] - lse);
      grad[i * k + j] = (Math.exp(z[j] - lse) - q) / n;
    }
    if (z.indexOf(max) === labels[i]) correct++;
  }
  return { loss: loss / n, grad, correct };
}

function labelsFor(rng: TestRandom, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(0, k - 1));
}

afterEach(() => {
  native.setThreads(0);
});

describe('softmax cross-entropy', () => {
  const shapes = [
    { n: 1, k: 1 },
    { n: 1, k: 2 },
    { n: 9, k: 7 },
    { n: 33, k: 10 },
    { n: 4, k: 1000 },
  ];
  for (const { n, k } of shapes)
    for (const eps of [0, 0.1])
      it(`n ${n}, k ${k}, ε ${eps}: loss, dlogits and correct match float64; dlogits matches finite differences`, () => {
        const rng = new TestRandom(n * 100 + k);
        const logits = rng.floats(n * k, 3);
        const labels = labelsFor(rng, n, k);
        const r = kernels.softmaxCrossEntropy(logits, labels, k, eps);
        const ref = refCrossEntropy(logits, labels, k, eps);
        // computed in double from the same float32 logits
        expect(Math.abs(r.loss - ref.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.loss)));
        expect(r.correct).toBe(ref.correct);
        expect(maxRelativeError(r.dlogits, ref.grad)).toBeLessThan(1e-6);
        checkGradient({ input: logits, analytic: r.dlogits, loss: () => kernels.softmaxCrossEntropy(logits, labels, k, eps).loss, h: 1e-3, tolerance: 1e-3, samples: 100, label: 'dlogits' });
      });

  it('ε = 1 (uniform target) and ε = 0.5 match too', () => {
    const rng = new TestRandom(3);
    const logits = rng.floats(6 * 5, 2);
    const labels = labelsFor(rng, 6, 5);
    for (const eps of [0.5, 1]) {
      const r = kernels.softmaxCrossEntropy(logits, labels, 5, eps);
      const ref = refCrossEntropy(logits, labels, 5, eps);
      expect(Math.abs(r.loss - ref.loss)).toBeLessThan(1e-12);
      expect(maxRelativeError(r.dlogits, ref.grad)).toBeLessThan(1e-6);
    }
  });

  it('is stable for huge logits (log-sum-exp)', () => {
    const logits = new Float32Array([1e4, -1e4, 0, 9999, -3e4, 3e4]);
    const labels = new Int32Array([0, 0, 0]);
    const r = kernels.softmaxCrossEntropy(logits, labels, 2, 0.1);
    const ref = refCrossEntropy(logits, labels, 2, 0.1);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(Math.abs(r.loss - ref.loss)).toBeLessThan(1e-9 * Math.abs(ref.loss));
    expect(r.dlogits.every(Number.isFinite)).toBe(true);
    expect(maxRelativeError(r.dlogits, ref.grad)).toBeLessThan(1e-6);
    expect(r.correct).toBe(1); // only row 0 has its maximum at the label
  });

  it('counts ties for the first maximum, as argmax does', () => {
    const logits = new Float32Array([1, 3, 3, 0, 2, 2, 5, 5, 5]);
    // first maxima at 1, 1, 0: all three hit; a last-maximum argmax would hit none
    expect(kernels.softmaxCrossEntropy(logits, new Int32Array([1, 1, 0]), 3).correct).toBe(3);
    expect(kernels.softmaxCrossEntropy(logits, new Int32Array([2, 2, 2]), 3).correct).toBe(0);
  });

  it('is bit-identical at 1, 2 and 3 threads; the Promise variant agrees', async () => {
    const rng = new TestRandom(4);
    const n = 257;
    const k = 13;
    const logits = rng.floats(n * k, 2);
    const labels = labelsFor(rng, n, k);
    native.setThreads(1);
    const one = kernels.softmaxCrossEntropy(logits, labels, k, 0.1);
    for (const threads of [2, 3]) {
      native.setThreads(threads);
      const other = kernels.softmaxCrossEntropy(logits, labels, k, 0.1);
      expect(other.loss).toBe(one.loss);
      expect(other.correct).toBe(one.correct);
      expect(bitEqual(other.dlogits, one.dlogits)).toBe(true);
    }
    const viaPromise = await kernels.softmaxCrossEntropyAsync(logits, labels, k, 0.1);
    expect(viaPromise.loss).toBe(one.loss);
    expect(viaPromise.correct).toBe(one.correct);
    expect(bitEqual(viaPromise.dlogits, one.dlogits)).toBe(true);
  });

  it('labels outside [0, k) are a RangeError naming the index and the value, sync and async', async () => {
    const logits = new Float32Array(3 * 4);
    expect(() => kernels.softmaxCrossEntropy(logits, new Int32Array([0, 4, 1]), 4)).toThrow(/softmaxCrossEntropy: labels\[1\] = 4 is outside \[0, 4\)/);
    expect(() => kernels.softmaxCrossEntropy(logits, new Int32Array([0, 1, -1]), 4)).toThrow(RangeError);
    await expect(kernels.softmaxCrossEntropyAsync(logits, new Int32Array([9, 0, 0]), 4)).rejects.toThrow(/labels\[0\] = 9 is outside/);
    const args = { n: 3, k: 4, logits, labels: new Int32Array([0, 1, 7]) };
    expect(() => (native.softmaxCrossEntropy as (a: object) => unknown)(args)).toThrow(/softmaxCrossEntropy: labels\[2\] = 7 is outside \[0, 4\)/);
    await expect((native.softmaxCrossEntropyAsync as (a: object) => Promise<unknown>)(args)).rejects.toThrow(/softmaxCrossEntropyAsync: labels\[2\] = 7/);
  });
});

describe('MSE', () => {
  for (const n of [1, 301, 100_003])
    it(`n ${n}: loss matches float64, da = 2(a − b)/n, finite differences agree`, () => {
      const rng = new TestRandom(n);
      const a = rng.floats(n);
      const b = rng.floats(n);
      const { loss, da } = kernels.mseLoss(a, b);
      let ref = 0;
      for (let i = 0; i < n; i++) ref += (a[i] - b[i]) ** 2;
      ref /= n;
      expect(Math.abs(loss - ref)).toBeLessThanOrEqual(1e-12 * ref);
      const grad = Float64Array.from(a, (v, i) => (2 * (v - b[i])) / n);
      expect(maxRelativeError(da, grad)).toBeLessThan(1e-6);
      checkGradient({ input: a, analytic: da, loss: () => kernels.mseLoss(a, b).loss, h: 1e-3, tolerance: 1e-3, samples: 50, label: 'da' });
      // the gradient for b is −da
      checkGradient({ input: b, analytic: da.map((v) => -v), loss: () => kernels.mseLoss(a, b).loss, h: 1e-3, tolerance: 1e-3, samples: 50, label: 'db' });
    });

  it('is bit-identical at 1, 2 and 3 threads; the Promise variant agrees', async () => {
    const rng = new TestRandom(5);
    const a = rng.floats(1_000_001);
    const b = rng.floats(1_000_001);
    native.setThreads(1);
    const one = kernels.mseLoss(a, b);
    for (const threads of [2, 3]) {
      native.setThreads(threads);
      const other = kernels.mseLoss(a, b);
      expect(other.loss).toBe(one.loss);
      expect(bitEqual(other.da, one.da)).toBe(true);
    }
    const viaPromise = await kernels.mseLossAsync(a, b);
    expect(viaPromise.loss).toBe(one.loss);
    expect(bitEqual(viaPromise.da, one.da)).toBe(true);
  });
});
