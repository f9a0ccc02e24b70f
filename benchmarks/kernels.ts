// Forward time of our kernels against ONNX Runtime (onnxruntime-node, CPU) on
// the layer shapes of MobileNetV2-style networks, same thread count, same
// process. Usage: npm run bench:kernels -- [--threads N] [--json out.json] [--quick]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { kernels, native, setThreads } from '../src/index.js';
import { syncKernel } from '../src/native.js';
import { OnnxGraph, createSession, depthwiseToOihw, ohwiToOihw } from '../test/helpers/onnx.js';
import { TestRandom } from '../test/helpers/random.js';
import { type LayerShape, layerMacs, SHAPE_SETS } from './shapes.js';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' }, json: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const threads = Number(values.threads);
const budgetMs = values.quick ? 60 : 250;

interface Row {
  layer: string;
  kind: string;
  oursMs: number;
  ortMs: number;
  ratio: number;
  gflops: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < budgetMs && samples.length < 200)) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

// Our kernels are called with preallocated outputs, as ORT reuses its arena:
// allocating a fresh multi-megabyte Float32Array per call costs page faults
// that belong to the caller, not to the kernel.
const call = (kernel: string, args: Record<string, Float32Array | number | undefined>) => () => syncKernel(kernel)(args);
const spatial = (n: number, h: number, w: number, k: number, s: number) => ({ n, h, w, kh: k, kw: k, strideH: s, strideW: s, padH: k >> 1, padW: k >> 1 });

// One layer: our call and an ORT session computing the same op on the same data.
async function prepare(l: LayerShape, rng: TestRandom): Promise<{ ours: () => unknown; ort: ort.InferenceSession; feed: Record<string, ort.Tensor> }> {
  const g = new OnnxGraph();
  let ours: () => unknown;
  let inputDims: number[];
  let outDims: number[];
  let out: string;
  let input: Float32Array;
  switch (l.kind) {
    case 'conv': {
      const x = (input = rng.floats(l.n * l.h * l.w * l.cin));
      const w = rng.floats(l.cout * l.k * l.k * l.cin);
      const shape = { n: l.n, h: l.h, w: l.w, cin: l.cin, cout: l.cout, kernel: l.k, stride: l.s };
      const p = l.k >> 1;
      const ho = Math.floor((l.h + 2 * p - l.k) / l.s) + 1;
      kernels.conv2dForward(shape, x, w); // checks the arguments once
      ours = call('conv2dForward', { ...spatial(l.n, l.h, l.w, l.k, l.s), cin: l.cin, cout: l.cout, x, weight: w, y: new Float32Array(l.n * ho * ho * l.cout) });
      out = g.node('Conv', ['x', g.constant([l.cout, l.cin, l.k, l.k], ohwiToOihw(w, l.cout, l.k, l.k, l.cin))], { kernel_shape: [l.k, l.k], strides: [l.s, l.s], pads: [p, p, p, p] });
      [inputDims, outDims] = [[l.n, l.cin, l.h, l.w], [l.n, l.cout, ho, ho]];
      break;
    }
    case 'depthwise': {
      const x = (input = rng.floats(l.n * l.h * l.w * l.c));
      const w = rng.floats(l.k * l.k * l.c);
      const shape = { n: l.n, h: l.h, w: l.w, c: l.c, kernel: l.k, stride: l.s };
      const p = l.k >> 1;
      const ho = Math.floor((l.h + 2 * p - l.k) / l.s) + 1;
      kernels.depthwiseForward(shape, x, w);
      ours = call('depthwiseForward', { ...spatial(l.n, l.h, l.w, l.k, l.s), c: l.c, x, weight: w, y: new Float32Array(l.n * ho * ho * l.c) });
      out = g.node('Conv', ['x', g.constant([l.c, 1, l.k, l.k], depthwiseToOihw(w, l.k, l.k, l.c))], { kernel_shape: [l.k, l.k], strides: [l.s, l.s], pads: [p, p, p, p], group: l.c });
      [inputDims, outDims] = [[l.n, l.c, l.h, l.w], [l.n, l.c, ho, ho]];
      break;
    }
    case 'pointwise': {
      const x = (input = rng.floats(l.n * l.h * l.w * l.cin));
      const w = rng.floats(l.cout * l.cin);
      const shape = { n: l.n, h: l.h, w: l.w, cin: l.cin, cout: l.cout };
      kernels.pointwiseForward(shape, x, w);
      ours = call('linearForward', { rows: l.n * l.h * l.w, in: l.cin, out: l.cout, x, weight: w, y: new Float32Array(l.n * l.h * l.w * l.cout) });
      out = g.node('Conv', ['x', g.constant([l.cout, l.cin, 1, 1], w)], { kernel_shape: [1, 1] });
      [inputDims, outDims] = [[l.n, l.cin, l.h, l.w], [l.n, l.cout, l.h, l.w]];
      break;
    }
    case 'linear': {
      const x = (input = rng.floats(l.rows * l.in));
      const w = rng.floats(l.out * l.in);
      const b = rng.floats(l.out);
      kernels.linearForward({ rows: l.rows, in: l.in, out: l.out }, x, w, b);
      ours = call('linearForward', { rows: l.rows, in: l.in, out: l.out, x, weight: w, bias: b, y: new Float32Array(l.rows * l.out) });
      out = g.node('Gemm', ['x', g.constant([l.out, l.in], w), g.constant([l.out], b)], { transB: 1 });
      [inputDims, outDims] = [[l.rows, l.in], [l.rows, l.out]];
      break;
    }
  }
  const session = await createSession(g.build({ name: 'x', dims: inputDims }, { name: out, dims: outDims }), threads);
  return { ours, ort: session, feed: { x: new ort.Tensor('float32', input, inputDims) } };
}

async function main() {
  setThreads(threads);
  const peak = kernels.fmaPeakGflops(0.5);
  const info = native.buildInfo();
  console.log(`prunas kernels vs onnxruntime-node ${ort.env.versions.common ?? ''}: threads ${threads}, vector path ${info.vectorPath}, measured FMA peak ${peak.toFixed(1)} GFLOP/s per core`);
  const rows: Row[] = [];
  const rng = new TestRandom(1);
  // All of our layers are timed, then all of ORT's: both engines spin their
  // worker threads for a while after a call, so interleaving them would make
  // each compete with the other's spinning threads for the cores.
  for (const [set, make] of Object.entries(SHAPE_SETS)) {
    const layers = make();
    const prepared = [];
    for (const l of layers) prepared.push(await prepare(l, rng));
    const oursMs: number[] = [];
    for (const p of prepared) oursMs.push(await time(p.ours));
    const ortMs: number[] = [];
    for (const p of prepared) ortMs.push(await time(() => p.ort.run(p.feed)));
    for (const p of prepared) await p.ort.release();
    layers.forEach((l, i) => {
      const r: Row = { layer: l.name, kind: l.kind, oursMs: oursMs[i], ortMs: ortMs[i], ratio: oursMs[i] / ortMs[i], gflops: (2 * layerMacs(l)) / oursMs[i] / 1e6 };
      rows.push(r);
      console.log(`${set.padEnd(11)} ${l.name.padEnd(38)} ${l.kind.padEnd(9)} ours ${r.oursMs.toFixed(3).padStart(8)} ms  ORT ${r.ortMs.toFixed(3).padStart(8)} ms  ours/ORT ${r.ratio.toFixed(2).padStart(5)}  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s`);
    });
  }
  const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  const byKind = (k: string) => rows.filter((r) => r.kind === k);
  console.log('');
  console.log(`geometric mean ours/ORT over ${rows.length} shapes: ${geomean(rows.map((r) => r.ratio)).toFixed(3)}`);
  for (const k of ['conv', 'depthwise', 'pointwise', 'linear']) console.log(`  ${k.padEnd(9)} ${geomean(byKind(k).map((r) => r.ratio)).toFixed(3)} (${byKind(k).length} shapes)`);
  const pw = byKind('pointwise').map((r) => r.gflops);
  const pwMean = pw.reduce((s, x) => s + x, 0) / pw.length;
  console.log(`pointwise GEMM: mean ${pwMean.toFixed(1)} GFLOP/s = ${((100 * pwMean) / (peak * threads)).toFixed(0)}% of measured peak (${(peak * threads).toFixed(0)} GFLOP/s on ${threads} thread${threads > 1 ? 's' : ''}); best ${Math.max(...pw).toFixed(1)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ threads, peak, vectorPath: info.vectorPath, rows }, null, 1));
}

await main();
