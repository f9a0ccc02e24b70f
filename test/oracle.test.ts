// Our forwards against ONNX Runtime on random inputs: max |ours − ORT| ≤ 1e-4 · max |ORT|.
import { describe, expect, it } from 'vitest';
import { kernels } from '../src/index.js';
import { depthwiseToOihw, nchwToNhwc, nhwcToNchw, ohwiToOihw, OnnxGraph, runOnnx } from './helpers/onnx.js';
import { TestRandom } from './helpers/random.js';
import { maxRelativeError } from './helpers/reference.js';

const TOLERANCE = 1e-4;

interface Bn {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

function randomBn(rng: TestRandom, c: number): Bn {
  return { gamma: rng.uniform(c, 0.5, 1.5), beta: rng.floats(c, 0.2), runningMean: rng.floats(c, 0.2), runningVar: rng.uniform(c, 0.5, 1.5) };
}

function onnxBn(g: OnnxGraph, x: string, bn: Bn): string {
  const c = bn.gamma.length;
  return g.node('BatchNormalization', [x, g.constant([c], bn.gamma), g.constant([c], bn.beta), g.constant([c], bn.runningMean), g.constant([c], bn.runningVar)], { epsilon: { f: 1e-5 } });
}

function onnxRelu6(g: OnnxGraph, x: string): string {
  return g.node('Clip', [x, g.constant([], new Float32Array([0])), g.constant([], new Float32Array([6]))]);
}

function ourBn(rows: number, x: Float32Array, bn: Bn): Float32Array {
  return kernels.batchnormForward({ rows, channels: bn.gamma.length }, x, bn, { training: false }).y;
}

async function compareNchw(g: OnnxGraph, out: string, x: Float32Array, dims: [number, number, number, number], outDims: [number, number, number, number], ours: Float32Array) {
  const [n, c, h, w] = dims;
  const model = g.build({ name: 'x', dims }, { name: out, dims: outDims });
  const ort = await runOnnx(model, nhwcToNchw(x, n, h, w, c), dims);
  const [on, oc, oh, ow] = outDims;
  const err = maxRelativeError(ours, nchwToNhwc(ort, on, oh, ow, oc));
  expect(err).toBeLessThan(TOLERANCE);
  return err;
}

describe('ONNX Runtime oracle', () => {
  const convCases = [
    { n: 2, h: 9, w: 7, cin: 3, cout: 8, k: 3, s: 1, g: 1 },
    { n: 1, h: 16, w: 16, cin: 8, cout: 16, k: 3, s: 2, g: 1 },
    { n: 1, h: 11, w: 13, cin: 4, cout: 6, k: 5, s: 2, g: 2 },
    { n: 3, h: 8, w: 8, cin: 6, cout: 4, k: 1, s: 1, g: 1 },
    { n: 1, h: 10, w: 10, cin: 6, cout: 6, k: 5, s: 1, g: 3 },
  ];
  for (const t of convCases) {
    it(`conv2d k${t.k} s${t.s} g${t.g} ${t.h}×${t.w}×${t.cin}→${t.cout}`, async () => {
      const rng = new TestRandom(t.h * 7 + t.cout);
      const cg = t.cin / t.g;
      const x = rng.floats(t.n * t.h * t.w * t.cin);
      const w = rng.floats(t.cout * t.k * t.k * cg, 0.5);
      const b = rng.floats(t.cout);
      const y = kernels.conv2dForward({ n: t.n, h: t.h, w: t.w, cin: t.cin, cout: t.cout, kernel: t.k, stride: t.s, groups: t.g }, x, w, b);
      const p = t.k >> 1;
      const ho = Math.floor((t.h + 2 * p - t.k) / t.s) + 1;
      const wo = Math.floor((t.w + 2 * p - t.k) / t.s) + 1;
      const g = new OnnxGraph();
      const out = g.node('Conv', ['x', g.constant([t.cout, cg, t.k, t.k], ohwiToOihw(w, t.cout, t.k, t.k, cg)), g.constant([t.cout], b)], { kernel_shape: [t.k, t.k], strides: [t.s, t.s], pads: [p, p, p, p], group: t.g });
      await compareNchw(g, out, x, [t.n, t.cin, t.h, t.w], [t.n, t.cout, ho, wo], y);
    });
  }

  for (const [k, s] of [[3, 1], [3, 2], [5, 1], [5, 2], [7, 1], [7, 2]]) {
    it(`depthwise k${k} s${s}`, async () => {
      const rng = new TestRandom(k * 10 + s);
      const [n, h, w, c] = [2, 14, 13, 24];
      const x = rng.floats(n * h * w * c);
      const wt = rng.floats(k * k * c, 0.5);
      const y = kernels.depthwiseForward({ n, h, w, c, kernel: k, stride: s }, x, wt);
      const p = k >> 1;
      const ho = Math.floor((h + 2 * p - k) / s) + 1;
      const wo = Math.floor((w + 2 * p - k) / s) + 1;
      const g = new OnnxGraph();
      const out = g.node('Conv', ['x', g.constant([c, 1, k, k], depthwiseToOihw(wt, k, k, c))], { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p], group: c });
      await compareNchw(g, out, x, [n, c, h, w], [n, c, ho, wo], y);
    });
  }

  it('pointwise conv', async () => {
    const rng = new TestRandom(31);
    const [n, h, w, cin, cout] = [2, 7, 9, 24, 40];
    const x = rng.floats(n * h * w * cin);
    const wt = rng.floats(cout * cin, 0.3);
    const y = kernels.pointwiseForward({ n, h, w, cin, cout }, x, wt);
    const g = new OnnxGraph();
    const out = g.node('Conv', ['x', g.constant([cout, cin, 1, 1], wt)], { kernel_shape: [1, 1] });
    await compareNchw(g, out, x, [n, cin, h, w], [n, cout, h, w], y);
  });

  it('batchnorm (eval), relu6 and h-swish', async () => {
    const rng = new TestRandom(32);
    const [n, h, w, c] = [3, 5, 6, 7];
    const x = rng.floats(n * h * w * c, 3);
    const bn = randomBn(rng, c);
    for (const act of ['none', 'relu6', 'hswish'] as const) {
      let ours = ourBn(n * h * w, x, bn);
      const g = new OnnxGraph();
      let out = onnxBn(g, 'x', bn);
      if (act === 'relu6') {
        ours = kernels.activationForward('relu6', ours);
        out = onnxRelu6(g, out);
      } else if (act === 'hswish') {
        ours = kernels.activationForward('hswish', ours);
        out = g.node('HardSwish', [out]);
      }
      await compareNchw(g, out, x, [n, c, h, w], [n, c, h, w], ours);
    }
  });

  it('global average pool', async () => {
    const rng = new TestRandom(33);
    const [n, h, w, c] = [4, 7, 7, 12];
    const x = rng.floats(n * h * w * c);
    const y = kernels.globalAvgPoolForward({ n, h, w, c }, x);
    const g = new OnnxGraph();
    const out = g.node('GlobalAveragePool', ['x']);
    await compareNchw(g, out, x, [n, c, h, w], [n, c, 1, 1], y);
  });

  it('linear', async () => {
    const rng = new TestRandom(34);
    const [rows, inF, outF] = [5, 64, 10];
    const x = rng.floats(rows * inF);
    const w = rng.floats(outF * inF, 0.2);
    const b = rng.floats(outF);
    const y = kernels.linearForward({ rows, in: inF, out: outF }, x, w, b);
    const g = new OnnxGraph();
    const out = g.node('Gemm', ['x', g.constant([outF, inF], w), g.constant([outF], b)], { transB: 1 });
    const model = g.build({ name: 'x', dims: [rows, inF] }, { name: out, dims: [rows, outF] });
    expect(maxRelativeError(y, await runOnnx(model, x, [rows, inF]))).toBeLessThan(TOLERANCE);
  });

  // MBConv(k, e): 1×1 expand (skipped at e = 1) → BN → ReLU6 → k×k depthwise
  // stride s → BN → ReLU6 → 1×1 project → BN, + x when s = 1 and cin = cout.
  const blocks = [
    { k: 3, e: 1, s: 1, cin: 16, cout: 16 },
    { k: 3, e: 3, s: 2, cin: 16, cout: 24 },
    { k: 5, e: 6, s: 1, cin: 24, cout: 24 },
    { k: 7, e: 3, s: 1, cin: 24, cout: 24 },
    { k: 7, e: 6, s: 2, cin: 24, cout: 40 },
    { k: 5, e: 3, s: 1, cin: 16, cout: 32 },
  ];
  for (const b of blocks) {
    it(`MBConv k${b.k} e${b.e} s${b.s} ${b.cin}→${b.cout}${b.s === 1 && b.cin === b.cout ? ' + residual' : ''}`, async () => {
      const rng = new TestRandom(b.k * 100 + b.e * 10 + b.s);
      const [n, h, w] = [2, 12, 10];
      const mid = b.cin * b.e;
      const x = rng.floats(n * h * w * b.cin);
      const wExpand = rng.floats(mid * b.cin, Math.sqrt(2 / b.cin));
      const wDepth = rng.floats(b.k * b.k * mid, Math.sqrt(2 / (b.k * b.k)));
      const wProject = rng.floats(b.cout * mid, Math.sqrt(1 / mid));
      const [bn1, bn2, bn3] = [randomBn(rng, mid), randomBn(rng, mid), randomBn(rng, b.cout)];
      const p = b.k >> 1;
      const ho = Math.floor((h + 2 * p - b.k) / b.s) + 1;
      const wo = Math.floor((w + 2 * p - b.k) / b.s) + 1;
      const residual = b.s === 1 && b.cin === b.cout;

      let t = x;
      if (b.e !== 1) t = kernels.activationForward('relu6', ourBn(n * h * w, kernels.pointwiseForward({ n, h, w, cin: b.cin, cout: mid }, t, wExpand), bn1));
      t = kernels.activationForward('relu6', ourBn(n * ho * wo, kernels.depthwiseForward({ n, h, w, c: mid, kernel: b.k, stride: b.s }, t, wDepth), bn2));
      t = ourBn(n * ho * wo, kernels.pointwiseForward({ n, h: ho, w: wo, cin: mid, cout: b.cout }, t, wProject), bn3);
      if (residual) t = kernels.add(t, x);

      const g = new OnnxGraph();
      let o = 'x';
      if (b.e !== 1) o = onnxRelu6(g, onnxBn(g, g.node('Conv', [o, g.constant([mid, b.cin, 1, 1], wExpand)], { kernel_shape: [1, 1] }), bn1));
      o = onnxRelu6(g, onnxBn(g, g.node('Conv', [o, g.constant([mid, 1, b.k, b.k], depthwiseToOihw(wDepth, b.k, b.k, mid))], { kernel_shape: [b.k, b.k], strides: [b.s, b.s], pads: [p, p, p, p], group: mid }), bn2));
      o = onnxBn(g, g.node('Conv', [o, g.constant([b.cout, mid, 1, 1], wProject)], { kernel_shape: [1, 1] }), bn3);
      if (residual) o = g.node('Add', [o, 'x']);
      await compareNchw(g, o, x, [n, b.cin, h, w], [n, b.cout, ho, wo], t);
    });
  }
});
