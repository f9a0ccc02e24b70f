// SGD and Adam/AdamW steps against float64 re-implementations written from
// the algorithm boxes of the torch.optim.SGD, Adam and AdamW documentation.
import { afterEach, describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

interface SgdRef {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

// torch.optim.SGD (dampening τ = 0): g ← g + λθ; if μ ≠ 0: b ← (t > 1 ? μb + g : g),
// g ← nesterov ? g + μb : b; θ ← θ − γg.
function refSgd(theta: Float64Array, grad: ArrayLike<number>, b: Float64Array, o: SgdRef, t: number) {
  for (let i = 0; i < theta.length; i++) {
    let g = grad[i] + o.weightDecay * theta[i];
    if (o.momentum !== 0) {
      b[i] = t > 1 ? o.momentum * b[i] + g : g;
      g = o.nesterov ? g + o.momentum * b[i] : b[i];
    }
    theta[i] -= o.lr * g;
  }
}

interface AdamRef {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
}

// torch.optim.Adam: g ← g + λθ; AdamW instead θ ← θ − γλθ. Then
// m ← β1m + (1 − β1)g, v ← β2v + (1 − β2)g², m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t),
// θ ← θ − γ·m̂/(sqrt(v̂) + ε).
function refAdam(theta: Float64Array, grad: ArrayLike<number>, m: Float64Array, v: Float64Array, o: AdamRef, t: number) {
  for (let i = 0; i < theta.length; i++) {
    let g = grad[i];
    if (o.decoupled) theta[i] -= o.lr * o.weightDecay * theta[i];
    else g += o.weightDecay * theta[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
    const mHat = m[i] / (1 - o.beta1 ** t);
    const vHat = v[i] / (1 - o.beta2 ** t);
    theta[i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
}

const difference = (a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from(a, (v, i) => v - b[i]);

afterEach(() => {
  native.setThreads(0);
});

// 50001 elements: several parallel chunks and an odd tail.
const N = 50_001;

describe('SGD', () => {
  const variants: SgdRef[] = [
    { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
    { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0.01 },
    { lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 },
    { lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0.01 },
    { lr: 0.025, momentum: 0.9, nesterov: true, weightDecay: 0 },
    { lr: 0.025, momentum: 0.5, nesterov: true, weightDecay: 0.02 },
  ];
  for (const o of variants)
    it(`lr ${o.lr}, momentum ${o.momentum}, nesterov ${o.nesterov}, weight decay ${o.weightDecay}: 4 steps match float64`, () => {
      const rng = new TestRandom(Math.round(o.lr * 1000 + o.momentum * 10 + o.weightDecay * 100) + (o.nesterov ? 7 : 0));
      const param = rng.floats(N);
      const start = param.slice();
      const buffer = new Float32Array(N);
      const theta = Float64Array.from(param);
      const b = new Float64Array(N);
      for (let t = 1; t <= 4; t++) {
        const grad = rng.floats(N);
        kernels.sgdStep(param, grad, o, { buffer, first: t === 1 });
        refSgd(theta, grad, b, o, t);
      }
      expect(maxRelativeError(param, theta)).toBeLessThan(1e-6);
      // the displacement itself, so a small term (weight decay) cannot hide
      expect(maxRelativeError(difference(param, start), difference(theta, start))).toBeLessThan(2e-5);
      if (o.momentum) expect(maxRelativeError(buffer, b)).toBeLessThan(1e-6);
    });

  it('lr 0 leaves the parameters alone but still starts the momentum buffer', () => {
    const rng = new TestRandom(1);
    const param = rng.floats(100);
    const before = param.slice();
    const grad = rng.floats(100);
    const buffer = rng.floats(100);
    kernels.sgdStep(param, grad, { lr: 0, momentum: 0.9 }, { buffer, first: true });
    expect(bitEqual(param, before)).toBe(true);
    expect(bitEqual(buffer, grad)).toBe(true);
  });
});

describe('Adam and AdamW', () => {
  const variants: AdamRef[] = [
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: false },
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: true },
    { lr: 6e-3, beta1: 0, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }, // ProxylessNAS architecture Adam
    { lr: 0.01, beta1: 0.5, beta2: 0.9, eps: 1e-3, weightDecay: 0.05, decoupled: true },
  ];
  for (const o of variants)
    it(`${o.decoupled ? 'AdamW' : 'Adam'} lr ${o.lr}, β (${o.beta1}, ${o.beta2}), eps ${o.eps}, weight decay ${o.weightDecay}: 4 steps match float64`, () => {
      const rng = new TestRandom(Math.round(o.lr * 1e4 + o.beta1 * 100 + o.weightDecay * 1000) + (o.decoupled ? 3 : 0));
      const param = rng.floats(N);
      const start = param.slice();
      const m = new Float32Array(N);
      const v = new Float32Array(N);
      const theta = Float64Array.from(param);
      const m64 = new Float64Array(N);
      const v64 = new Float64Array(N);
      for (let t = 1; t <= 4; t++) {
        const grad = rng.floats(N);
        kernels.adamStep(param, grad, { m, v, step: t }, o);
        refAdam(theta, grad, m64, v64, o, t);
      }
      expect(maxRelativeError(param, theta)).toBeLessThan(1e-6);
      expect(maxRelativeError(difference(param, start), difference(theta, start))).toBeLessThan(1e-3);
      expect(maxRelativeError(m, m64)).toBeLessThan(1e-6);
      expect(maxRelativeError(v, v64)).toBeLessThan(1e-6);
    });

  it('the step count passed in is the one bias correction uses (a resumed run at t = 7)', () => {
    const rng = new TestRandom(2);
    const o = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false };
    const param = rng.floats(1000);
    const m = rng.floats(1000, 0.1);
    const v = rng.uniform(1000, 0.01, 0.02);
    const grad = rng.floats(1000);
    const start = param.slice();
    const [m0, v0] = [Float64Array.from(m), Float64Array.from(v)];
    const step = (t: number) => {
      const theta = Float64Array.from(start);
      refAdam(theta, grad, m0.slice(), v0.slice(), o, t);
      return difference(theta, start);
    };
    kernels.adamStep(param, grad, { m, v, step: 7 }, o);
    const moved = difference(param, start);
    expect(maxRelativeError(moved, step(7))).toBeLessThan(1e-3);
    expect(maxRelativeError(moved, step(8))).toBeGreaterThan(1e-2);
  });
});

describe('optimizer determinism and async', () => {
  it('SGD and Adam steps are bit-identical at 1, 2 and 3 threads and through the Promise API', async () => {
    const rng = new TestRandom(3);
    const param = rng.floats(70_001);
    const grad = rng.floats(70_001);
    const run = async (threads: number, viaPromise: boolean) => {
      native.setThreads(threads);
      const p = param.slice();
      const buffer = new Float32Array(p.length);
      const state = { m: new Float32Array(p.length), v: new Float32Array(p.length), step: 1 };
      const sgd = { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 };
      const adam = { lr: 1e-3, weightDecay: 0.01, decoupled: true };
      if (viaPromise) {
        await kernels.sgdStepAsync(p, grad, sgd, { buffer, first: true });
        await kernels.adamStepAsync(p, grad, state, adam);
      } else {
        kernels.sgdStep(p, grad, sgd, { buffer, first: true });
        kernels.adamStep(p, grad, state, adam);
      }
      return [p, buffer, state.m, state.v];
    };
    const one = await run(1, false);
    for (const [threads, viaPromise] of [[2, false], [3, false], [2, true]] as const) {
      const other = await run(threads, viaPromise);
      one.forEach((a, i) => expect(bitEqual(a, other[i]), `array ${i}, ${threads} threads, promise ${viaPromise}`).toBe(true));
    }
  });
});
