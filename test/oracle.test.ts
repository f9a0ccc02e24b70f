// Our forwards against ONNX Runtime (onnxruntime-node, CPU, 1 intra-op
// thread) on seeded random inputs, each op alone and chained into MBConv
// blocks and a small network. ONNX runs the NCHW/OIHW transcription of the
// same data and weights.
//
// Asserted: max |ours − ORT| / max |ORT| ≤ 1e-4 per output tensor.
// Reported (a table after the run; ORACLE_REPORT=file.json also writes it):
// that error and the elementwise one, max |ours − ORT| / max(|ORT_i|, 1e-3·max |ORT|).
// Every test runs with our kernels on 1 and on 2 threads.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernels, native, setThreads } from '../src/index.js';
import {
  type BnParams,
  depthwiseToOihw,
  nchwToNhwc,
  nhwcToNchw,
  ohwiToOihw,
  OnnxGraph,
  oracleError,
  runOnnx,
  transpose,
} from './helpers/onnx.js';
import { TestRandom } from './helpers/random.js';

const TOLERANCE = 1e-4;
const THREADS = [1, 2];

type Nhwc = [number, number, number, number];

interface Row {
  test: string;
  threads: number;
  relative: number;
  elementwise: number;
}
const rows: Row[] = [];
const initialThreads = native.buildInfo().threads;
let currentThreads = initialThreads;

// Checks one output tensor and records its errors.
function expectMatch(test: string, ours: Float32Array, ort: Float32Array): void {
  expect(ours.length, `${test}: output length`).toBe(ort.length);
  const e = oracleError(ours, ort);
  rows.push({ test, threads: currentThreads, relative: e.relative, elementwise: e.elementwise });
  expect(e.relative, `${test}: max |ours − ORT| = ${e.absolute} against max |ORT| = ${e.scale}`).toBeLessThanOrEqual(TOLERANCE);
}

// Runs graph g (input 'x', NHWC shape `input`) in ORT and returns its output, converted back to NHWC.
async function ortNhwc(g: OnnxGraph, out: string, x: Float32Array, input: Nhwc, output: Nhwc): Promise<Float32Array> {
  const [n, h, w, c] = input;
  const [on, oh, ow, oc] = output;
  const model = g.build({ name: 'x', dims: [n, c, h, w] }, { name: out, dims: [on, oc, oh, ow] });
  return nchwToNhwc(await runOnnx(model, nhwcToNchw(x, n, h, w, c), [n, c, h, w]), on, oh, ow, oc);
}

const outSize = (size: number, k: number, s: number, p: number) => Math.floor((size + 2 * p - k) / s) + 1;

function randomBn(rng: TestRandom, c: number): BnParams {
  return { gamma: rng.uniform(c, 0.5, 1.5), beta: rng.floats(c, 0.2), runningMean: rng.floats(c, 0.2), runningVar: rng.uniform(c, 0.5, 1.5) };
}

function ourBn(x: Float32Array, bn: BnParams, eps = 1e-5): Float32Array {
  const channels = bn.gamma.length;
  return kernels.batchnormForward({ rows: x.length / channels, channels }, x, bn, { training: false, eps }).y;
}

// MBConv(k, e, s): 1×1 expand (absent at e = 1) → BN → ReLU6 → k×k depthwise
// stride s → BN → ReLU6 → 1×1 project → BN, + x when s = 1 and cin = cout.
interface MbconvBlock {
  k: number;
  e: number;
  s: number;
  cin: number;
  cout: number;
  mid: number;
  residual: boolean;
  wExpand: Float32Array;
  bnExpand: BnParams;
  wDepth: Float32Array;
  bnDepth: BnParams;
  wProject: Float32Array;
  bnProject: BnParams;
}

function randomMbconv(rng: TestRandom, cin: number, cout: number, k: number, e: number, s: number): MbconvBlock {
  const mid = cin * e;
  return {
    k, e, s, cin, cout, mid,
    residual: s === 1 && cin === cout,
    wExpand: rng.floats(mid * cin, Math.sqrt(2 / cin)),
    bnExpand: randomBn(rng, mid),
    wDepth: rng.floats(k * k * mid, Math.sqrt(2 / (k * k))),
    bnDepth: randomBn(rng, mid),
    wProject: rng.floats(cout * mid, Math.sqrt(1 / mid)),
    bnProject: randomBn(rng, cout),
  };
}

function ourMbconv(b: MbconvBlock, x: Float32Array, [n, h, w]: Nhwc): { y: Float32Array; shape: Nhwc } {
  const p = b.k >> 1;
  const [ho, wo] = [outSize(h, b.k, b.s, p), outSize(w, b.k, b.s, p)];
  let t = x;
  if (b.e !== 1) t = kernels.activationForward('relu6', ourBn(kernels.pointwiseForward({ n, h, w, cin: b.cin, cout: b.mid }, t, b.wExpand), b.bnExpand));
  t = kernels.activationForward('relu6', ourBn(kernels.depthwiseForward({ n, h, w, c: b.mid, kernel: b.k, stride: b.s }, t, b.wDepth), b.bnDepth));
  t = ourBn(kernels.pointwiseForward({ n, h: ho, w: wo, cin: b.mid, cout: b.cout }, t, b.wProject), b.bnProject);
  if (b.residual) t = kernels.add(t, x);
  return { y: t, shape: [n, ho, wo, b.cout] };
}

function onnxMbconv(g: OnnxGraph, b: MbconvBlock, x: string): string {
  let o = x;
  if (b.e !== 1) o = g.relu6(g.batchNorm(g.conv(o, b.wExpand, [b.mid, b.cin, 1, 1]), b.bnExpand));
  o = g.relu6(g.batchNorm(g.conv(o, depthwiseToOihw(b.wDepth, b.k, b.k, b.mid), [b.mid, 1, b.k, b.k], { strides: [b.s, b.s], group: b.mid }), b.bnDepth));
  o = g.batchNorm(g.conv(o, b.wProject, [b.cout, b.mid, 1, 1]), b.bnProject);
  return b.residual ? g.add(o, x) : o;
}

for (const threads of THREADS) {
  describe(`ONNX Runtime oracle, our kernels on ${threads} thread${threads > 1 ? 's' : ''}`, () => {
    beforeAll(() => {
      setThreads(threads);
      currentThreads = threads;
    });

    describe('dense and grouped conv2d', () => {
      interface ConvCase {
        n: number; h: number; w: number; cin: number; cout: number;
        k: number | [number, number]; s: number | [number, number]; g: number;
        pad?: [number, number]; bias?: boolean;
      }
      const cases: ConvCase[] = [];
      // every k ∈ {1, 3, 5} × stride ∈ {1, 2} × groups ∈ {1, 2} on an odd-sized input
      for (const k of [1, 3, 5]) for (const s of [1, 2]) for (const g of [1, 2]) cases.push({ n: 2, h: 11, w: 9, cin: 6, cout: 10, k, s, g, bias: (k + s + g) % 2 === 0 });
      cases.push(
        { n: 1, h: 15, w: 15, cin: 3, cout: 16, k: 3, s: 2, g: 1 }, // RGB stem
        { n: 4, h: 13, w: 13, cin: 1, cout: 8, k: 3, s: 1, g: 1, bias: true }, // grey stem
        { n: 2, h: 9, w: 9, cin: 32, cout: 48, k: 3, s: 1, g: 1 }, // several GEMM tiles
        { n: 1, h: 12, w: 10, cin: 32, cout: 32, k: 3, s: 2, g: 4, bias: true },
        { n: 1, h: 10, w: 10, cin: 6, cout: 6, k: 5, s: 1, g: 3 },
        { n: 2, h: 10, w: 9, cin: 4, cout: 5, k: [3, 5], s: [2, 1], g: 1, pad: [0, 2] }, // rectangular kernel
        { n: 1, h: 8, w: 7, cin: 4, cout: 6, k: 3, s: 1, g: 2, pad: [0, 0] }, // no padding
      );
      for (const t of cases) {
        const [kh, kw] = typeof t.k === 'number' ? [t.k, t.k] : t.k;
        const [sh, sw] = typeof t.s === 'number' ? [t.s, t.s] : t.s;
        const [ph, pw] = t.pad ?? [kh >> 1, kw >> 1];
        const name = `k${kh}×${kw} s${sh}×${sw} p${ph}×${pw} g${t.g} ${t.n}×${t.h}×${t.w}×${t.cin}→${t.cout}${t.bias ? ' +bias' : ''}`;
        it(name, async () => {
          const rng = new TestRandom(kh * 1000 + kw * 100 + sh * 10 + t.g + t.cin);
          const cg = t.cin / t.g;
          const x = rng.floats(t.n * t.h * t.w * t.cin);
          const w = rng.floats(t.cout * kh * kw * cg, Math.sqrt(1 / (kh * kw * cg)));
          const b = t.bias ? rng.floats(t.cout) : undefined;
          const y = kernels.conv2dForward({ n: t.n, h: t.h, w: t.w, cin: t.cin, cout: t.cout, kernel: [kh, kw], stride: [sh, sw], pad: [ph, pw], groups: t.g }, x, w, b);
          const g = new OnnxGraph();
          const out = g.conv('x', ohwiToOihw(w, t.cout, kh, kw, cg), [t.cout, cg, kh, kw], { strides: [sh, sw], pads: [ph, pw, ph, pw], group: t.g, bias: b });
          const ho = outSize(t.h, kh, sh, ph);
          const wo = outSize(t.w, kw, sw, pw);
          expectMatch(`conv2d ${name}`, y, await ortNhwc(g, out, x, [t.n, t.h, t.w, t.cin], [t.n, ho, wo, t.cout]));
        });
      }
    });

    describe('depthwise', () => {
      interface DwCase { n: number; h: number; w: number; c: number; k: number | [number, number]; s: number | [number, number]; pad?: [number, number]; bias?: boolean }
      const cases: DwCase[] = [];
      for (const k of [3, 5, 7]) for (const s of [1, 2]) {
        cases.push({ n: 2, h: 14, w: 13, c: 24, k, s });
        cases.push({ n: 1, h: 9, w: 11, c: 13, k, s, bias: true }); // channels not a multiple of the vector width
      }
      cases.push(
        { n: 1, h: 5, w: 5, c: 40, k: 7, s: 1 }, // kernel wider than the image
        { n: 2, h: 7, w: 7, c: 96, k: 3, s: 2 },
        { n: 1, h: 10, w: 9, c: 16, k: [5, 3], s: [1, 2], pad: [2, 0] },
      );
      for (const t of cases) {
        const [kh, kw] = typeof t.k === 'number' ? [t.k, t.k] : t.k;
        const [sh, sw] = typeof t.s === 'number' ? [t.s, t.s] : t.s;
        const [ph, pw] = t.pad ?? [kh >> 1, kw >> 1];
        const name = `k${kh}×${kw} s${sh}×${sw} p${ph}×${pw} ${t.n}×${t.h}×${t.w}×${t.c}${t.bias ? ' +bias' : ''}`;
        it(name, async () => {
          const rng = new TestRandom(kh * 100 + sh * 10 + t.c);
          const x = rng.floats(t.n * t.h * t.w * t.c);
          const w = rng.floats(kh * kw * t.c, Math.sqrt(1 / (kh * kw)));
          const b = t.bias ? rng.floats(t.c) : undefined;
          const y = kernels.depthwiseForward({ n: t.n, h: t.h, w: t.w, c: t.c, kernel: [kh, kw], stride: [sh, sw], pad: [ph, pw] }, x, w, b);
          const g = new OnnxGraph();
          const out = g.conv('x', depthwiseToOihw(w, kh, kw, t.c), [t.c, 1, kh, kw], { strides: [sh, sw], pads: [ph, pw, ph, pw], group: t.c, bias: b });
          const ho = outSize(t.h, kh, sh, ph);
          const wo = outSize(t.w, kw, sw, pw);
          expectMatch(`depthwise ${name}`, y, await ortNhwc(g, out, x, [t.n, t.h, t.w, t.c], [t.n, ho, wo, t.c]));
        });
      }
    });

    describe('pointwise (1×1) conv', () => {
      const cases = [
        { n: 2, h: 7, w: 9, cin: 24, cout: 40 },
        { n: 1, h: 1, w: 3, cin: 16, cout: 96 }, // fewer rows than the micro-kernel
        { n: 2, h: 8, w: 8, cin: 16, cout: 96 }, // short K
        { n: 1, h: 5, w: 5, cin: 96, cout: 24, bias: true },
        { n: 3, h: 5, w: 5, cin: 37, cout: 29, bias: true }, // odd sizes everywhere
        { n: 1, h: 7, w: 7, cin: 320, cout: 1280 }, // MobileNetV2 head
      ];
      for (const t of cases) {
        const name = `${t.n}×${t.h}×${t.w}×${t.cin}→${t.cout}${t.bias ? ' +bias' : ''}`;
        it(name, async () => {
          const rng = new TestRandom(t.cin * 1000 + t.cout);
          const x = rng.floats(t.n * t.h * t.w * t.cin);
          const w = rng.floats(t.cout * t.cin, Math.sqrt(1 / t.cin));
          const b = t.bias ? rng.floats(t.cout) : undefined;
          const y = kernels.pointwiseForward({ n: t.n, h: t.h, w: t.w, cin: t.cin, cout: t.cout }, x, w, b);
          const g = new OnnxGraph();
          const out = g.conv('x', w, [t.cout, t.cin, 1, 1], { bias: b });
          expectMatch(`pointwise ${name}`, y, await ortNhwc(g, out, x, [t.n, t.h, t.w, t.cin], [t.n, t.h, t.w, t.cout]));
        });
      }
    });

    describe('batchnorm (eval), activations, add', () => {
      const shape: Nhwc = [3, 5, 6, 7];
      const size = shape.reduce((a, b) => a * b, 1);

      for (const [c, eps] of [[7, 1e-5], [96, 1e-3]] as const) {
        it(`batchnorm eval C=${c} eps=${eps}`, async () => {
          const rng = new TestRandom(40 + c);
          const s: Nhwc = [2, 5, 3, c];
          const x = rng.floats(s[0] * s[1] * s[2] * c, 3);
          const bn = randomBn(rng, c);
          const g = new OnnxGraph();
          expectMatch(`batchnorm eval C=${c} eps=${eps}`, ourBn(x, bn, eps), await ortNhwc(g, g.batchNorm('x', bn, eps), x, s, s));
        });
      }

      // Inputs N(0, 4²) cross the kinks of every activation (0, 6, ±3).
      const activations = [
        { kind: 'relu', onnx: (g: OnnxGraph, x: string) => g.relu(x) },
        { kind: 'relu6', onnx: (g: OnnxGraph, x: string) => g.relu6(x) },
        { kind: 'hswish', onnx: (g: OnnxGraph, x: string) => g.hardSwish(x) },
      ] as const;
      for (const a of activations) {
        it(`${a.kind}`, async () => {
          const x = new TestRandom(50).floats(size, 4);
          const g = new OnnxGraph();
          expectMatch(a.kind, kernels.activationForward(a.kind, x), await ortNhwc(g, a.onnx(g, 'x'), x, shape, shape));
        });
        it(`batchnorm → ${a.kind}`, async () => {
          const rng = new TestRandom(51);
          const x = rng.floats(size, 3);
          const bn = randomBn(rng, shape[3]);
          const g = new OnnxGraph();
          const ours = kernels.activationForward(a.kind, ourBn(x, bn));
          expectMatch(`batchnorm → ${a.kind}`, ours, await ortNhwc(g, a.onnx(g, g.batchNorm('x', bn)), x, shape, shape));
        });
      }

      it('add (residual)', async () => {
        const rng = new TestRandom(52);
        const x = rng.floats(size);
        const bn = randomBn(rng, shape[3]);
        const g = new OnnxGraph();
        const ours = kernels.add(ourBn(x, bn), x);
        expectMatch('add', ours, await ortNhwc(g, g.add(g.batchNorm('x', bn), 'x'), x, shape, shape));
      });
    });

    describe('global average pool', () => {
      for (const s of [[4, 7, 7, 12], [2, 1, 1, 5], [3, 5, 3, 17], [1, 7, 7, 1280]] as Nhwc[]) {
        it(s.join('×'), async () => {
          const x = new TestRandom(60 + s[3]).floats(s[0] * s[1] * s[2] * s[3]);
          const y = kernels.globalAvgPoolForward({ n: s[0], h: s[1], w: s[2], c: s[3] }, x);
          const g = new OnnxGraph();
          expectMatch(`global average pool ${s.join('×')}`, y, await ortNhwc(g, g.globalAveragePool('x'), x, s, [s[0], 1, 1, s[3]]));
        });
      }
    });

    describe('linear', () => {
      const cases = [
        { rows: 1, in: 1280, out: 1000, bias: true }, // MobileNetV2 classifier at batch 1
        { rows: 5, in: 64, out: 10, bias: true },
        { rows: 64, in: 96, out: 10, bias: true },
        { rows: 7, in: 37, out: 29, bias: false },
      ];
      for (const t of cases) {
        const name = `${t.rows}×${t.in}→${t.out}${t.bias ? ' +bias' : ''}`;
        it(name, async () => {
          const rng = new TestRandom(70 + t.rows + t.in);
          const x = rng.floats(t.rows * t.in);
          const w = rng.floats(t.out * t.in, Math.sqrt(1 / t.in));
          const b = t.bias ? rng.floats(t.out) : undefined;
          const y = kernels.linearForward({ rows: t.rows, in: t.in, out: t.out }, x, w, b);
          // with a bias as ONNX Gemm (transB), without as MatMul on Wᵀ
          const g = new OnnxGraph();
          const out = b ? g.gemm('x', w, [t.out, t.in], b) : g.matMul('x', transpose(w, t.out, t.in), [t.in, t.out]);
          const model = g.build({ name: 'x', dims: [t.rows, t.in] }, { name: out, dims: [t.rows, t.out] });
          expectMatch(`linear ${name}`, y, await runOnnx(model, x, [t.rows, t.in]));
        });
      }
    });

    describe('MBConv blocks', () => {
      const blocks: { k: number; e: number; s: number; cin: number; cout: number }[] = [];
      for (const e of [1, 3, 6]) for (const k of [3, 5, 7]) {
        blocks.push({ k, e, s: 1, cin: 16, cout: 16 }); // with the residual
        blocks.push({ k, e, s: 2, cin: 16, cout: 24 });
      }
      blocks.push({ k: 5, e: 3, s: 1, cin: 16, cout: 32 }); // stride 1 without the residual
      for (const t of blocks) {
        const residual = t.s === 1 && t.cin === t.cout;
        const name = `k${t.k} e${t.e} s${t.s} ${t.cin}→${t.cout}${residual ? ' + residual' : ''}`;
        it(name, async () => {
          const rng = new TestRandom(t.k * 100 + t.e * 10 + t.s);
          const input: Nhwc = t.s === 1 ? [2, 12, 10, t.cin] : [2, 13, 11, t.cin];
          const x = rng.floats(input.reduce((a, b) => a * b, 1));
          const block = randomMbconv(rng, t.cin, t.cout, t.k, t.e, t.s);
          const ours = ourMbconv(block, x, input);
          const g = new OnnxGraph();
          expectMatch(`MBConv ${name}`, ours.y, await ortNhwc(g, onnxMbconv(g, block, 'x'), x, input, ours.shape));
        });
      }
    });

    it('a small network: stem → 3 MBConv → 1×1 head → pool → classifier', async () => {
      const rng = new TestRandom(80);
      const [n, h, w] = [3, 31, 29];
      const x = rng.floats(n * h * w * 3);
      const wStem = rng.floats(16 * 9 * 3, Math.sqrt(2 / 27));
      const bnStem = randomBn(rng, 16);
      const blocks = [randomMbconv(rng, 16, 16, 3, 1, 1), randomMbconv(rng, 16, 24, 5, 6, 2), randomMbconv(rng, 24, 24, 7, 3, 1)];
      const wHead = rng.floats(64 * 24, Math.sqrt(2 / 24));
      const bnHead = randomBn(rng, 64);
      const wFc = rng.floats(10 * 64, Math.sqrt(1 / 64));
      const bFc = rng.floats(10, 0.1);

      const [hs, ws] = [outSize(h, 3, 2, 1), outSize(w, 3, 2, 1)];
      let t = kernels.activationForward('relu6', ourBn(kernels.conv2dForward({ n, h, w, cin: 3, cout: 16, kernel: 3, stride: 2 }, x, wStem), bnStem));
      let shape: Nhwc = [n, hs, ws, 16];
      for (const b of blocks) ({ y: t, shape } = ourMbconv(b, t, shape));
      const [, hh, wh] = shape;
      t = kernels.activationForward('relu6', ourBn(kernels.pointwiseForward({ n, h: hh, w: wh, cin: 24, cout: 64 }, t, wHead), bnHead));
      const logits = kernels.linearForward({ rows: n, in: 64, out: 10 }, kernels.globalAvgPoolForward({ n, h: hh, w: wh, c: 64 }, t), wFc, bFc);

      const g = new OnnxGraph();
      let o = g.relu6(g.batchNorm(g.conv('x', ohwiToOihw(wStem, 16, 3, 3, 3), [16, 3, 3, 3], { strides: [2, 2] }), bnStem));
      for (const b of blocks) o = onnxMbconv(g, b, o);
      o = g.relu6(g.batchNorm(g.conv(o, wHead, [64, 24, 1, 1]), bnHead));
      o = g.gemm(g.flatten(g.globalAveragePool(o)), wFc, [10, 64], bFc);
      const model = g.build({ name: 'x', dims: [n, 3, h, w] }, { name: o, dims: [n, 10] });
      expectMatch('small network logits', logits, await runOnnx(model, nhwcToNchw(x, n, h, w, 3), [n, 3, h, w]));
    });
  });
}

afterAll(() => {
  setThreads(initialThreads);
  if (rows.length === 0) return;
  // one line per family (the first word of a check's name) and thread count
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.test.split(' ')[0].padEnd(10)} ${r.threads}T`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = ['family      threads  checks  worst max|Δ|/max|ORT|  worst elementwise'];
  for (const [key, rs] of groups) {
    const relative = Math.max(...rs.map((r) => r.relative));
    const elementwise = Math.max(...rs.map((r) => r.elementwise));
    lines.push(`${key.padEnd(21)} ${String(rs.length).padStart(6)}  ${relative.toExponential(2).padStart(20)}  ${elementwise.toExponential(2).padStart(17)}`);
  }
  const worst = (k: 'relative' | 'elementwise') => rows.reduce((a, b) => (b[k] > a[k] ? b : a));
  const [wr, we] = [worst('relative'), worst('elementwise')];
  lines.push(`${rows.length} checks; worst max|Δ|/max|ORT| ${wr.relative.toExponential(2)} (${wr.test}, ${wr.threads}T); worst elementwise ${we.elementwise.toExponential(2)} (${we.test}, ${we.threads}T)`);
  console.log(lines.join('\n'));
  if (process.env.ORACLE_REPORT) writeFileSync(process.env.ORACLE_REPORT, JSON.stringify(rows, null, 1));
});
