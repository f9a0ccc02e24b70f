// Gate gradients of the mixed-layer modes against a float64 reference of the
// whole supernet written here from the definitions (conv, train-mode BN,
// ReLU6, residual, pooling, linear, label-smoothed CE), differentiated by
// central finite differences in z, the gates multiplying each candidate's
// output: y = x·[residual] + Σ_k z_k·o_k(x). g_k = ∂L/∂z_k at z = one-hot
// (pair, echo) or at z = the given weights (sum). The reference's own loss is
// first checked against the engine's.
import { describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import type { PlanCandidate, PlanMBConv, SupernetPlan } from '../src/engine/plan.js';
import { planLayers } from '../src/engine/plan.js';
import { TestRandom } from './helpers/random.js';

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act: 'relu6' });
const ZERO: PlanCandidate = { kind: 'zero' };

// 8×8×2 → stem 8 → [residual, 3 candidates] → [stride 2, 8 → 12] → [residual 12, 4 candidates] → head 16 → 4 classes
const PLAN: SupernetPlan = {
  input: { height: 8, width: 8, channels: 2 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), ZERO] },
    { name: 'l1', candidates: [mb(3, 3, 2, 12), mb(5, 6, 2, 12)] },
    { name: 'l2', candidates: [mb(7, 3, 1, 12), mb(3, 6, 1, 12), mb(5, 3, 1, 12), ZERO] },
  ],
  head: { out: 16 },
};

// ---- float64 reference ----

interface T {
  n: number;
  h: number;
  w: number;
  c: number;
  d: Float64Array;
}

type Weights = Map<string, Float32Array>;

function conv(x: T, w: Float32Array, kind: 'dense' | 'depthwise' | 'pointwise', cout: number, k: number, s: number): T {
  const p = k >> 1;
  const ho = Math.ceil(x.h / s);
  const wo = Math.ceil(x.w / s);
  const y: T = { n: x.n, h: ho, w: wo, c: cout, d: new Float64Array(x.n * ho * wo * cout) };
  for (let n = 0; n < x.n; n++)
    for (let oh = 0; oh < ho; oh++)
      for (let ow = 0; ow < wo; ow++)
        for (let co = 0; co < cout; co++) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            const ih = oh * s - p + i;
            if (ih < 0 || ih >= x.h) continue;
            for (let j = 0; j < k; j++) {
              const iw = ow * s - p + j;
              if (iw < 0 || iw >= x.w) continue;
              const base = ((n * x.h + ih) * x.w + iw) * x.c;
              if (kind === 'depthwise') acc += x.d[base + co] * w[(i * k + j) * cout + co];
              else for (let ci = 0; ci < x.c; ci++) acc += x.d[base + ci] * w[((co * k + i) * k + j) * x.c + ci];
            }
          }
          y.d[((n * ho + oh) * wo + ow) * cout + co] = acc;
        }
  return y;
}

function batchnorm(x: T, gamma: Float32Array, beta: Float32Array): T {
  const rows = x.n * x.h * x.w;
  const y = { ...x, d: new Float64Array(x.d.length) };
  for (let c = 0; c < x.c; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x.d[r * x.c + c];
    mean /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (x.d[r * x.c + c] - mean) ** 2;
    const invstd = 1 / Math.sqrt(v / rows + 1e-5);
    for (let r = 0; r < rows; r++) y.d[r * x.c + c] = gamma[c] * (x.d[r * x.c + c] - mean) * invstd + beta[c];
  }
  return y;
}

const relu6 = (x: T): T => ({ ...x, d: x.d.map((v) => Math.min(Math.max(v, 0), 6)) });

function convBn(x: T, w: Weights, name: string, kind: 'dense' | 'depthwise' | 'pointwise', cout: number, k: number, s: number, act: boolean): T {
  const y = batchnorm(conv(x, w.get(`${name}.weight`)!, kind, cout, k, s), w.get(`${name}.bn.weight`)!, w.get(`${name}.bn.bias`)!);
  return act ? relu6(y) : y;
}

/** Mean label-smoothed CE of the float64 supernet with gates z (one array per layer). */
function referenceLoss(w: Weights, x: Float32Array, labels: Int32Array, z: number[][], smoothing: number): number {
  let h: T = { n: labels.length, h: PLAN.input.height, w: PLAN.input.width, c: PLAN.input.channels, d: Float64Array.from(x) };
  h = convBn(h, w, 'stem', 'dense', PLAN.stem.out, PLAN.stem.kernel, PLAN.stem.stride, true);
  planLayers(PLAN).forEach((layer, l) => {
    const out: T = { n: h.n, h: Math.ceil(h.h / layer.stride), w: Math.ceil(h.w / layer.stride), c: layer.out, d: new Float64Array(0) };
    out.d = layer.residual ? Float64Array.from(h.d) : new Float64Array(out.n * out.h * out.w * out.c);
    layer.candidates.forEach((op, k) => {
      if (op.kind === 'zero' || z[l][k] === 0) return;
      const name = `layers.${l}.op${k}`;
      const hidden = layer.in * op.expand;
      let t = op.expand === 1 ? h : convBn(h, w, `${name}.expand`, 'pointwise', hidden, 1, 1, true);
      t = convBn(t, w, `${name}.depthwise`, 'depthwise', hidden, op.kernel, op.stride, true);
      t = convBn(t, w, `${name}.project`, 'pointwise', layer.out, 1, 1, false);
      for (let i = 0; i < out.d.length; i++) out.d[i] += z[l][k] * t.d[i];
    });
    h = out;
  });
  if (PLAN.head) h = convBn(h, w, 'head', 'pointwise', PLAN.head.out, 1, 1, true);
  const cw = w.get('classifier.weight')!;
  const cb = w.get('classifier.bias')!;
  const K = PLAN.classes;
  let loss = 0;
  for (let n = 0; n < h.n; n++) {
    const pooled = new Float64Array(h.c);
    for (let p = 0; p < h.h * h.w; p++) for (let c = 0; c < h.c; c++) pooled[c] += h.d[(n * h.h * h.w + p) * h.c + c] / (h.h * h.w);
    const logits = Array.from({ length: K }, (_, j) => cb[j] + pooled.reduce((s, v, c) => s + v * cw[j * h.c + c], 0));
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    for (let j = 0; j < K; j++) loss -= ((j === labels[n] ? 1 - smoothing : 0) + smoothing / K) * (logits[j] - lse);
  }
  return loss / h.n;
}

/** ∂L/∂z_lk of the reference by central differences, for every candidate. */
function referenceGates(w: Weights, x: Float32Array, labels: Int32Array, z: number[][], smoothing: number): number[][] {
  const h = 1e-6;
  return z.map((row, l) =>
    row.map((_, k) => {
      const at = (d: number) => z.map((r, ll) => r.map((v, kk) => (ll === l && kk === k ? v + d : v)));
      return (referenceLoss(w, x, labels, at(h), smoothing) - referenceLoss(w, x, labels, at(-h), smoothing)) / (2 * h);
    }),
  );
}

// ---- fixtures ----

function weightsOf(net: Supernet): Weights {
  return new Map(net.parameters().map((p, i) => [p.name, net.readParameter(i)]));
}

function batch(n: number, seed: number) {
  const rng = new TestRandom(seed);
  return { x: rng.floats(n * 8 * 8 * 2), y: Int32Array.from({ length: n }, () => rng.int(0, 3)) };
}

const oneHot = (choices: number[]) => PLAN.layers.map((layer, l) => layer.candidates.map((_, k) => (k === choices[l] ? 1 : 0)));

/** A supernet a few single-path steps away from its initialisation (BN γ, β no longer 1, 0). */
function trainedNet(seed: number): Supernet {
  const net = new Supernet(PLAN, seed);
  for (let s = 0; s < 6; s++)
    net.weightStepSync({ samples: batch(8, 100 + s), mode: 'single', choices: [s % 3, s % 2, s % 4], lr: 0.05, weightDecay: 0 });
  return net;
}

/** |native − reference| within 2e-4 of the layer's largest reference gate (float32 engine vs float64 reference; measured ~1e-6). */
function expectGates(native: Float64Array[], reference: number[][], evaluated: (l: number, k: number) => boolean, label: string) {
  reference.forEach((row, l) => {
    const scale = Math.max(...row.map(Math.abs));
    row.forEach((ref, k) => {
      const g = native[l][k];
      if (!evaluated(l, k)) {
        expect(Number.isNaN(g), `${label}: gate [${l}][${k}] was not evaluated and must be NaN, got ${g}`).toBe(true);
        return;
      }
      expect(Math.abs(g - ref), `${label}: gate [${l}][${k}] native ${g} reference ${ref}`).toBeLessThanOrEqual(2e-4 * scale + 1e-9);
    });
  });
}

describe('supernet gate gradients vs a float64 reference', () => {
  const net = trainedNet(11);
  const w = weightsOf(net);
  const { x, y } = batch(8, 7);
  const smoothing = 0.1;

  it('the reference computes the engine’s loss', () => {
    const choices = [1, 0, 2];
    const native = net.archStepSync({ samples: { x, y }, mode: 'single', choices, labelSmoothing: smoothing }).loss;
    expect(Math.abs(native - referenceLoss(w, x, y, oneHot(choices), smoothing))).toBeLessThan(1e-5 * native);
  });

  it('pair: g_a and g_b match ∂L/∂z at z = one-hot(a), the other gates are not evaluated', () => {
    const choices = [0, 1, 2];
    const others = [2, 0, 1]; // l0: the second path is `zero`, so g_b = 0
    const r = net.archStepSync({ samples: { x, y }, mode: 'pair', choices, others, labelSmoothing: smoothing });
    const ref = referenceGates(w, x, y, oneHot(choices), smoothing);
    expectGates(r.gates, ref, (l, k) => k === choices[l] || k === others[l], 'pair');
    expect(r.gates[0][2]).toBe(0);
    expect(Array.from(r.choices!)).toEqual(choices);
    expect(Array.from(r.others!)).toEqual(others);
  });

  it('echo: every candidate’s gate matches ∂L/∂z at z = one-hot', () => {
    for (const choices of [
      [2, 1, 0], // the active path of l0 is `zero`
      [1, 0, 3],
    ]) {
      const r = net.archStepSync({ samples: { x, y }, mode: 'echo', choices, labelSmoothing: smoothing });
      expectGates(r.gates, referenceGates(w, x, y, oneHot(choices), smoothing), () => true, `echo ${choices}`);
    }
  });

  it('sum: ∂L/∂w_k matches the reference at arbitrary weights', () => {
    const rng = new TestRandom(3);
    const weights = PLAN.layers.map((layer) => {
      const e = layer.candidates.map(() => Math.exp(rng.normal()));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => Math.fround(v / s));
    });
    weights[2][1] = 0; // a zero weight: its gradient still comes back, its weights get none
    const r = net.archStepSync({ samples: { x, y }, mode: 'sum', weights, labelSmoothing: smoothing });
    expect(Math.abs(r.loss - referenceLoss(w, x, y, weights, smoothing))).toBeLessThan(1e-5 * r.loss);
    expectGates(r.gates, referenceGates(w, x, y, weights, smoothing), () => true, 'sum');
  });

  it('single, pair, echo and sum at one-hot weights agree on the gates they share', () => {
    const choices = [1, 1, 0];
    const sum = net.archStepSync({ samples: { x, y }, mode: 'sum', weights: oneHot(choices) });
    const echo = net.archStepSync({ samples: { x, y }, mode: 'echo', choices });
    const single = net.archStepSync({ samples: { x, y }, mode: 'single', choices });
    expect(single.loss).toBe(sum.loss);
    expect(echo.loss).toBe(sum.loss);
    sum.gates.forEach((row, l) =>
      row.forEach((g, k) => {
        expect(Math.abs(echo.gates[l][k] - g)).toBeLessThanOrEqual(1e-5 * Math.abs(g) + 1e-9);
        if (k === choices[l]) expect(Math.abs(single.gates[l][k] - g)).toBeLessThanOrEqual(1e-5 * Math.abs(g) + 1e-9);
        else expect(Number.isNaN(single.gates[l][k])).toBe(true);
      }),
    );
  });

  it('an arch step changes no weight, no optimizer state and (by default) no BN statistic', () => {
    const before = net.saveState();
    net.archStepSync({ samples: { x, y }, mode: 'echo', choices: [0, 0, 0] });
    net.archStepSync({ samples: { x, y }, mode: 'sum', weights: oneHot([1, 1, 1]) });
    const after = net.saveState();
    after.parameters.forEach((p, i) => {
      expect(Buffer.compare(Buffer.from(p.value.buffer), Buffer.from(before.parameters[i].value.buffer)), p.name).toBe(0);
      expect(Buffer.compare(Buffer.from(p.momentum.buffer), Buffer.from(before.parameters[i].momentum.buffer)), p.name).toBe(0);
    });
    after.batchnorm.forEach((b, i) => {
      expect(Buffer.compare(Buffer.from(b.mean.buffer), Buffer.from(before.batchnorm[i].mean.buffer)), b.name).toBe(0);
      expect(Buffer.compare(Buffer.from(b.var.buffer), Buffer.from(before.batchnorm[i].var.buffer)), b.name).toBe(0);
    });
  });
});
