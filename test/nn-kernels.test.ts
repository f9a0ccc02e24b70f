// Batch norm, global average pooling, losses and optimizers.
import { describe, expect, it } from 'vitest';
import { kernels } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual, maxRelativeError } from './helpers/reference.js';

function bnParams(rng: TestRandom, c: number) {
  return {
    gamma: rng.uniform(c, 0.5, 1.5),
    beta: rng.floats(c, 0.3),
    runningMean: rng.floats(c, 0.2),
    runningVar: rng.uniform(c, 0.5, 2),
  };
}

describe('batchnorm', () => {
  it('training forward matches float64 and updates running stats like PyTorch', () => {
    const rng = new TestRandom(1);
    const rows = 37;
    const c = 5;
    const x = rng.floats(rows * c, 2);
    const p = bnParams(rng, c);
    const rm0 = p.runningMean.slice();
    const rv0 = p.runningVar.slice();
    const out = kernels.batchnormForward({ rows, channels: c }, x, p, { training: true, momentum: 0.1, eps: 1e-5 });
    const ref = new Float64Array(x.length);
    for (let ch = 0; ch < c; ch++) {
      let mean = 0;
      for (let r = 0; r < rows; r++) mean += x[r * c + ch];
      mean /= rows;
      let ss = 0;
      for (let r = 0; r < rows; r++) ss += (x[r * c + ch] - mean) ** 2;
      const invstd = 1 / Math.sqrt(ss / rows + 1e-5);
      for (let r = 0; r < rows; r++) ref[r * c + ch] = (x[r * c + ch] - mean) * invstd * p.gamma[ch] + p.beta[ch];
      expect(p.runningMean[ch]).toBeCloseTo(0.9 * rm0[ch] + 0.1 * mean, 6);
      expect(p.runningVar[ch]).toBeCloseTo(0.9 * rv0[ch] + 0.1 * (ss / (rows - 1)), 6);
      expect(out.saveMean![ch]).toBeCloseTo(mean, 6);
      expect(out.saveInvStd![ch]).toBeCloseTo(invstd, 5);
    }
    expect(maxRelativeError(out.y, ref)).toBeLessThan(1e-5);
  });

  it('momentum 1 sets the running stats to the batch stats (recalibration)', () => {
    const rng = new TestRandom(2);
    const x = rng.floats(50 * 3, 3);
    const p = bnParams(rng, 3);
    const out = kernels.batchnormForward({ rows: 50, channels: 3 }, x, p, { training: true, momentum: 1 });
    for (let ch = 0; ch < 3; ch++) expect(p.runningMean[ch]).toBeCloseTo(out.saveMean![ch], 6);
  });

  it('eval forward uses the running stats', () => {
    const rng = new TestRandom(3);
    const x = rng.floats(9 * 4);
    const p = bnParams(rng, 4);
    const { y } = kernels.batchnormForward({ rows: 9, channels: 4 }, x, p, { training: false, eps: 1e-3 });
    for (let i = 0; i < x.length; i++) {
      const ch = i % 4;
      expect(y[i]).toBeCloseTo(((x[i] - p.runningMean[ch]) / Math.sqrt(p.runningVar[ch] + 1e-3)) * p.gamma[ch] + p.beta[ch], 5);
    }
  });

  for (const training of [true, false]) {
    it(`${training ? 'training' : 'eval'} backward matches finite differences`, () => {
      const rng = new TestRandom(training ? 4 : 5);
      const rows = 23;
      const c = 6;
      const x = rng.floats(rows * c, 1.5);
      const p = bnParams(rng, c);
      const dy = rng.floats(rows * c);
      const forward = () => kernels.batchnormForward({ rows, channels: c }, x, { ...p, runningMean: p.runningMean.slice(), runningVar: p.runningVar.slice() }, { training });
      const saved = forward();
      const g = kernels.batchnormBackward({ rows, channels: c }, x, dy, p, { training, saveMean: saved.saveMean, saveInvStd: saved.saveInvStd });
      const loss = () => dot64(forward().y, dy);
      checkGradient({ input: x, analytic: g.dx, loss, label: 'dx', samples: 138 });
      checkGradient({ input: p.gamma, analytic: g.dgamma, loss, label: 'dgamma' });
      checkGradient({ input: p.beta, analytic: g.dbeta, loss, label: 'dbeta' });
    });
  }
});

describe('global average pool', () => {
  it('forward averages and backward matches finite differences', () => {
    const rng = new TestRandom(6);
    const s = { n: 3, h: 5, w: 7, c: 4 };
    const x = rng.floats(3 * 5 * 7 * 4);
    const y = kernels.globalAvgPoolForward(s, x);
    for (let n = 0; n < 3; n++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let p = 0; p < 35; p++) sum += x[(n * 35 + p) * 4 + c];
        expect(y[n * 4 + c]).toBeCloseTo(sum / 35, 5);
      }
    const dy = rng.floats(12);
    const dx = kernels.globalAvgPoolBackward(s, dy);
    checkGradient({ input: x, analytic: dx, loss: () => dot64(kernels.globalAvgPoolForward(s, x), dy), label: 'dx' });
  });
});

describe('losses', () => {
  for (const smoothing of [0, 0.1]) {
    it(`softmax cross-entropy (ε = ${smoothing}) matches float64 and its gradient matches finite differences`, () => {
      const rng = new TestRandom(7);
      const n = 9;
      const k = 7;
      const logits = rng.floats(n * k, 3);
      const labels = Int32Array.from({ length: n }, () => rng.int(0, k - 1));
      const r = kernels.softmaxCrossEntropy(logits, labels, k, smoothing);
      let ref = 0;
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const z = Array.from(logits.subarray(i * k, (i + 1) * k));
        const max = Math.max(...z);
        const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
        for (let j = 0; j < k; j++) ref -= ((j === labels[i] ? 1 - smoothing : 0) + smoothing / k) * (z[j] - lse);
        if (z.indexOf(max) === labels[i]) correct++;
      }
      expect(r.loss).toBeCloseTo(ref / n, 6);
      expect(r.correct).toBe(correct);
      checkGradient({ input: logits, analytic: r.dlogits, loss: () => kernels.softmaxCrossEntropy(logits, labels, k, smoothing).loss, h: 1e-3, label: 'dlogits' });
    });
  }

  it('cross-entropy is stable for huge logits', () => {
    const logits = new Float32Array([1000, -1000, 0, 999]);
    const r = kernels.softmaxCrossEntropy(logits, new Int32Array([0, 0]), 2);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.loss).toBeCloseTo((0 + 999) / 2 + Math.log1p(Math.exp(-999)) / 2, 3);
  });

  it('MSE matches its definition and finite differences', () => {
    const rng = new TestRandom(8);
    const a = rng.floats(301);
    const b = rng.floats(301);
    const { loss, da } = kernels.mseLoss(a, b);
    let ref = 0;
    for (let i = 0; i < a.length; i++) ref += (a[i] - b[i]) ** 2;
    expect(loss).toBeCloseTo(ref / a.length, 6);
    checkGradient({ input: a, analytic: da, loss: () => kernels.mseLoss(a, b).loss, h: 1e-3, label: 'da' });
  });
});

// Float64 re-implementations of torch.optim.SGD and torch.optim.Adam(W),
// written from the update rules in their documentation.
function refSgd(p: Float64Array, g: Float64Array, buf: Float64Array, o: { lr: number; momentum: number; nesterov: boolean; wd: number }, first: boolean) {
  for (let i = 0; i < p.length; i++) {
    let d = g[i] + o.wd * p[i];
    if (o.momentum) {
      buf[i] = first ? d : o.momentum * buf[i] + d;
      d = o.nesterov ? d + o.momentum * buf[i] : buf[i];
    }
    p[i] -= o.lr * d;
  }
}

function refAdam(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number, o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean }) {
  for (let i = 0; i < p.length; i++) {
    let d = g[i];
    if (o.decoupled) p[i] *= 1 - o.lr * o.wd;
    else d += o.wd * p[i];
    m[i] = o.b1 * m[i] + (1 - o.b1) * d;
    v[i] = o.b2 * v[i] + (1 - o.b2) * d * d;
    const mhat = m[i] / (1 - o.b1 ** t);
    const vhat = v[i] / (1 - o.b2 ** t);
    p[i] -= (o.lr * mhat) / (Math.sqrt(vhat) + o.eps);
  }
}

describe('optimizers', () => {
  const variants = [
    { lr: 0.1, momentum: 0, nesterov: false, wd: 0 },
    { lr: 0.05, momentum: 0.9, nesterov: false, wd: 1e-4 },
    { lr: 0.025, momentum: 0.9, nesterov: true, wd: 4e-5 },
  ];
  for (const o of variants) {
    it(`SGD lr ${o.lr} momentum ${o.momentum} nesterov ${o.nesterov} wd ${o.wd} over 3 steps`, () => {
      const rng = new TestRandom(9);
      const param = rng.floats(1000);
      const buffer = new Float32Array(1000);
      const p64 = Float64Array.from(param);
      const b64 = new Float64Array(1000);
      for (let step = 0; step < 3; step++) {
        const grad = rng.floats(1000);
        kernels.sgdStep(param, grad, { lr: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.wd }, { buffer, first: step === 0 });
        refSgd(p64, Float64Array.from(grad), b64, o, step === 0);
      }
      expect(maxRelativeError(param, p64)).toBeLessThan(1e-6);
    });
  }

  for (const decoupled of [false, true]) {
    it(`${decoupled ? 'AdamW' : 'Adam'} over 3 steps`, () => {
      const rng = new TestRandom(10);
      const param = rng.floats(1000);
      const m = new Float32Array(1000);
      const v = new Float32Array(1000);
      const p64 = Float64Array.from(param);
      const m64 = new Float64Array(1000);
      const v64 = new Float64Array(1000);
      const o = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.01, decoupled };
      for (let t = 1; t <= 3; t++) {
        const grad = rng.floats(1000);
        kernels.adamStep(param, grad, { m, v, step: t }, { lr: o.lr, beta1: o.b1, beta2: o.b2, eps: o.eps, weightDecay: o.wd, decoupled });
        refAdam(p64, Float64Array.from(grad), m64, v64, t, o);
      }
      expect(maxRelativeError(param, p64)).toBeLessThan(1e-6);
    });
  }

  it('ProxylessNAS architecture Adam (β1 = 0) matches too', () => {
    const rng = new TestRandom(11);
    const param = rng.floats(64, 1e-3);
    const m = new Float32Array(64);
    const v = new Float32Array(64);
    const p64 = Float64Array.from(param);
    const m64 = new Float64Array(64);
    const v64 = new Float64Array(64);
    for (let t = 1; t <= 3; t++) {
      const grad = rng.floats(64);
      kernels.adamStep(param, grad, { m, v, step: t }, { lr: 1e-3, beta1: 0, beta2: 0.999 });
      refAdam(p64, Float64Array.from(grad), m64, v64, t, { lr: 1e-3, b1: 0, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false });
    }
    expect(maxRelativeError(param, p64)).toBeLessThan(1e-6);
  });

  it('steps are deterministic', () => {
    const rng = new TestRandom(12);
    const p = rng.floats(70000);
    const g = rng.floats(70000);
    const a = p.slice();
    const b = p.slice();
    kernels.sgdStep(a, g, { lr: 0.1, momentum: 0.9 }, { buffer: new Float32Array(70000), first: true });
    kernels.sgdStep(b, g, { lr: 0.1, momentum: 0.9 }, { buffer: new Float32Array(70000), first: true });
    expect(bitEqual(a, b)).toBe(true);
  });
});
