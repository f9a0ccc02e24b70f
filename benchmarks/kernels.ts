// Forward time of our CPU kernels against ONNX Runtime (onnxruntime-node, CPU
// execution provider) on the layer shapes of MobileNetV2-style networks
// (benchmarks/shapes.ts), on the same thread count, in the same process.
//
// Usage: npm run bench:kernels -- [--threads 1|2|1,2] [--stat median|min]
//          [--quick] [--filter TEXT] [--json out.json]
//
// Per layer:
// - ours: the native kernel called synchronously with the arguments our TS
//   wrapper checked and built, output preallocated (the kernel's own time);
// - async: the same kernel through its Promise API (a libuv worker), the same
//   kind of call as ORT's session.run, which returns a Promise and pays a
//   per-call overhead (setImmediate, feeds and fetches marshalled by name);
// - ORT: session.run of a one-node NCHW graph (graph optimisations on,
//   intraOpNumThreads = our threads), output preallocated too; session
//   creation is not timed;
// - err: max |ours − ORT| / max |ORT| on the layer's output, a check that both
//   engines computed the same thing.
// Each time is the median (or --stat min: the fastest) of repeated calls after
// warmup, measured with process.hrtime.bigint. All of our layers of a set are
// timed before ORT's: both engines keep worker threads spinning for a while
// after a call, and interleaving would make each compete with the other's.
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
// The kernel modules directly rather than src/index.ts, so the benchmark does
// not depend on the rest of the package building.
import * as kernels from '../src/kernels/index.js';
import { type KernelArgs, native } from '../src/native.js';
import { createSession, depthwiseToOihw, nchwToNhwc, nhwcToNchw, ohwiToOihw, OnnxGraph, oracleError } from '../test/helpers/onnx.js';
import { TestRandom } from '../test/helpers/random.js';
import { type LayerShape, layerMacs, SHAPE_SETS, shapeOf } from './shapes.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    stat: { type: 'string', default: 'median' },
    quick: { type: 'boolean', default: false },
    filter: { type: 'string', default: '' },
    json: { type: 'string' },
  },
});
const threadCounts = values.threads.split(',').map(Number);
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new RangeError(`--threads must list positive integers, got ${values.threads}`);
if (values.stat !== 'median' && values.stat !== 'min') throw new RangeError(`--stat must be median or min, got ${values.stat}`);
const budgetMs = values.quick ? 60 : 200;

interface Row {
  set: string;
  layer: string;
  kind: LayerShape['kind'];
  shape: string;
  threads: number;
  oursMs: number;
  oursAsyncMs: number;
  ortMs: number;
  /** ours / ORT: below 1 we are faster */
  ratio: number;
  asyncRatio: number;
  /** 2 FLOPs per multiply-add, our synchronous time */
  gflops: number;
  ortGflops: number;
  /** max |ours − ORT| / max |ORT| */
  error: number;
}

interface Run {
  threads: number;
  /** 1-minute load average when the run started, and the machine's CPUs: a busy machine skews multi-thread times */
  load: number;
  cpus: number;
  /** one core's measured FMA peak and the peak of all `threads` cores at once, GFLOP/s */
  peak1: number;
  peak: number;
  /** per-call cost of a 16-element ReLU, µs */
  overheadUs: { ours: number; oursAsync: number; ort: number };
  rows: Row[];
}

// One layer prepared for both engines on the same data.
interface Prepared {
  ours: () => unknown;
  oursAsync: () => Promise<unknown>;
  /** our output, NHWC */
  y: Float32Array;
  session: ort.InferenceSession;
  feeds: Record<string, ort.Tensor>;
  fetches: Record<string, ort.Tensor>;
  /** ORT's output (NCHW) back in our layout */
  ortOutput: () => Float32Array;
}

async function main() {
  const runs: Run[] = [];
  for (const threads of threadCounts) runs.push(await runAt(threads));
  printSummary(runs);
  if (values.json) writeFileSync(values.json, JSON.stringify({ onnxruntime: ort.env.versions.common, vectorPath: native.buildInfo().vectorPath, stat: values.stat, runs }, null, 1));
}

async function runAt(threads: number): Promise<Run> {
  const [load] = loadavg();
  const cpus = availableParallelism();
  native.setThreads(threads);
  const peak1 = kernels.fmaPeakGflops(0.3);
  const peak = threads > 1 ? kernels.fmaPeakGflops(0.3, { allThreads: true }) : peak1;
  const overheadUs = await callOverhead(threads);
  console.log(
    `\nprunas kernels vs onnxruntime-node ${ort.env.versions.common}: ${threads} thread${threads > 1 ? 's' : ''}, vector path ${native.buildInfo().vectorPath}, ` +
      `FMA peak ${peak1.toFixed(1)} GFLOP/s per core, ${peak.toFixed(1)} on ${threads}; ${values.stat} of repeats`,
  );
  console.log(`load average ${load.toFixed(2)} on ${cpus} CPUs${load > cpus - threads + 0.5 ? ': other work competes for the cores, multi-thread times will suffer' : ''}`);
  console.log(`per-call cost of a 16-element ReLU: ours ${overheadUs.ours.toFixed(1)} µs sync, ${overheadUs.oursAsync.toFixed(1)} µs async; ORT run ${overheadUs.ort.toFixed(1)} µs`);
  console.log(
    `${'layer'.padEnd(34)} ${'shape'.padEnd(26)} ${'ours ms'.padStart(9)} ${'async ms'.padStart(9)} ${'ORT ms'.padStart(9)} ${'ours/ORT'.padStart(8)} ${'GFLOP/s'.padStart(7)} ${'ORT GF/s'.padStart(8)} ${'err'.padStart(8)}`,
  );
  const rows: Row[] = [];
  const rng = new TestRandom(1);
  for (const [set, make] of Object.entries(SHAPE_SETS)) {
    const layers = make().filter((l) => l.name.includes(values.filter));
    if (layers.length === 0) continue;
    const prepared: Prepared[] = [];
    for (const l of layers) prepared.push(await prepare(l, rng, threads));
    const oursMs = prepared.map((p) => timeSync(p.ours));
    const oursAsyncMs: number[] = [];
    for (const p of prepared) oursAsyncMs.push(await timeAsync(p.oursAsync));
    const ortMs: number[] = [];
    for (const p of prepared) ortMs.push(await timeAsync(() => p.session.run(p.feeds, p.fetches)));
    for (const [i, l] of layers.entries()) {
      const p = prepared[i];
      const flop = 2 * layerMacs(l);
      const r: Row = {
        set, layer: l.name, kind: l.kind, shape: shapeOf(l), threads,
        oursMs: oursMs[i], oursAsyncMs: oursAsyncMs[i], ortMs: ortMs[i],
        ratio: oursMs[i] / ortMs[i], asyncRatio: oursAsyncMs[i] / ortMs[i],
        gflops: flop / oursMs[i] / 1e6, ortGflops: flop / ortMs[i] / 1e6,
        error: oracleError(p.y, p.ortOutput()).relative,
      };
      rows.push(r);
      console.log(
        `${r.layer.padEnd(34)} ${r.shape.padEnd(26)} ${r.oursMs.toFixed(3).padStart(9)} ${r.oursAsyncMs.toFixed(3).padStart(9)} ${r.ortMs.toFixed(3).padStart(9)} ` +
          `${r.ratio.toFixed(2).padStart(8)} ${r.gflops.toFixed(1).padStart(7)} ${r.ortGflops.toFixed(1).padStart(8)} ${r.error.toExponential(1).padStart(8)}`,
      );
    }
    for (const p of prepared) await p.session.release();
  }
  return { threads, load, cpus, peak1, peak, overheadUs, rows };
}

// The native call our TS wrapper makes, captured once: the benchmark then
// repeats exactly that call (same checked arguments, same preallocated
// output), synchronously or through the kernel's Async twin.
function capture(kernel: string, wrapper: () => Float32Array): { args: KernelArgs; y: Float32Array } {
  const real = native[kernel] as (args: KernelArgs) => unknown;
  let args: KernelArgs | undefined;
  native[kernel] = (a: KernelArgs) => {
    args = a;
    return real(a);
  };
  let y: Float32Array;
  try {
    y = wrapper();
  } finally {
    native[kernel] = real;
  }
  if (!args) throw new Error(`the ${kernel} wrapper did not call native ${kernel}`);
  return { args, y };
}

async function prepare(l: LayerShape, rng: TestRandom, threads: number): Promise<Prepared> {
  const g = new OnnxGraph();
  let kernel: string;
  let wrapper: () => Float32Array;
  let x: Float32Array;
  let out: string;
  // NHWC extents of input and output; [rows, 1, 1, features] for linear
  let inShape: [number, number, number, number];
  let outShape: [number, number, number, number];
  switch (l.kind) {
    case 'conv': {
      x = rng.floats(l.n * l.h * l.w * l.cin);
      const w = rng.floats(l.cout * l.k * l.k * l.cin, Math.sqrt(1 / (l.k * l.k * l.cin)));
      const shape = { n: l.n, h: l.h, w: l.w, cin: l.cin, cout: l.cout, kernel: l.k, stride: l.s };
      const { ho, wo } = kernels.conv2dOutputSize(shape);
      [kernel, wrapper] = ['conv2dForward', () => kernels.conv2dForward(shape, x, w)];
      out = g.conv('x', ohwiToOihw(w, l.cout, l.k, l.k, l.cin), [l.cout, l.cin, l.k, l.k], { strides: [l.s, l.s] });
      [inShape, outShape] = [[l.n, l.h, l.w, l.cin], [l.n, ho, wo, l.cout]];
      break;
    }
    case 'depthwise': {
      x = rng.floats(l.n * l.h * l.w * l.c);
      const w = rng.floats(l.k * l.k * l.c, 1 / l.k);
      const shape = { n: l.n, h: l.h, w: l.w, c: l.c, kernel: l.k, stride: l.s };
      const { ho, wo } = kernels.conv2dOutputSize(shape);
      [kernel, wrapper] = ['depthwiseForward', () => kernels.depthwiseForward(shape, x, w)];
      out = g.conv('x', depthwiseToOihw(w, l.k, l.k, l.c), [l.c, 1, l.k, l.k], { strides: [l.s, l.s], group: l.c });
      [inShape, outShape] = [[l.n, l.h, l.w, l.c], [l.n, ho, wo, l.c]];
      break;
    }
    case 'pointwise': {
      x = rng.floats(l.n * l.h * l.w * l.cin);
      const w = rng.floats(l.cout * l.cin, Math.sqrt(1 / l.cin));
      const shape = { n: l.n, h: l.h, w: l.w, cin: l.cin, cout: l.cout };
      [kernel, wrapper] = ['pointwiseForward', () => kernels.pointwiseForward(shape, x, w)];
      out = g.conv('x', w, [l.cout, l.cin, 1, 1]);
      [inShape, outShape] = [[l.n, l.h, l.w, l.cin], [l.n, l.h, l.w, l.cout]];
      break;
    }
    case 'linear': {
      x = rng.floats(l.rows * l.in);
      const w = rng.floats(l.out * l.in, Math.sqrt(1 / l.in));
      const b = rng.floats(l.out);
      const shape = { rows: l.rows, in: l.in, out: l.out };
      [kernel, wrapper] = ['linearForward', () => kernels.linearForward(shape, x, w, b)];
      out = g.gemm('x', w, [l.out, l.in], b);
      [inShape, outShape] = [[l.rows, 1, 1, l.in], [l.rows, 1, 1, l.out]];
      break;
    }
  }
  const { args, y } = capture(kernel, wrapper);
  const real = native[kernel] as (a: KernelArgs) => unknown;
  const realAsync = native[`${kernel}Async`] as (a: KernelArgs) => Promise<unknown>;

  // ORT sees the same numbers in NCHW (2-D for the linear layer).
  const flat = l.kind === 'linear';
  const [n, h, w, c] = inShape;
  const [on, oh, ow, oc] = outShape;
  const inDims = flat ? [n, c] : [n, c, h, w];
  const outDims = flat ? [on, oc] : [on, oc, oh, ow];
  const session = await createSession(g.build({ name: 'x', dims: inDims }, { name: out, dims: outDims }), { threads });
  const ortY = new Float32Array(y.length);
  return {
    ours: () => real(args),
    oursAsync: () => realAsync(args),
    y,
    session,
    feeds: { x: new ort.Tensor('float32', flat ? x : nhwcToNchw(x, n, h, w, c), inDims) },
    fetches: { [out]: new ort.Tensor('float32', ortY, outDims) },
    ortOutput: () => (flat ? ortY : nchwToNhwc(ortY, on, oh, ow, oc)),
  };
}

// What a call costs around the work: a 16-element ReLU through each API.
async function callOverhead(threads: number): Promise<Run['overheadUs']> {
  const x = new Float32Array(16).fill(1);
  const y = new Float32Array(16);
  const relu = native.reluForward as (a: KernelArgs) => unknown;
  const reluAsync = native.reluForwardAsync as (a: KernelArgs) => Promise<unknown>;
  const g = new OnnxGraph();
  const out = g.relu('x');
  const session = await createSession(g.build({ name: 'x', dims: [1, 16] }, { name: out, dims: [1, 16] }), { threads });
  const feeds = { x: new ort.Tensor('float32', x, [1, 16]) };
  const fetches = { [out]: new ort.Tensor('float32', y, [1, 16]) };
  const r = {
    ours: timeSync(() => relu({ x, y })) * 1e3,
    oursAsync: (await timeAsync(() => reluAsync({ x, y }))) * 1e3,
    ort: (await timeAsync(() => session.run(feeds, fetches))) * 1e3,
  };
  await session.release();
  return r;
}

function statistic(samples: number[]): number {
  if (values.stat === 'min') return Math.min(...samples);
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// At least 5 timed calls after 3 warmups, then more until the budget or 500 calls.
const enough = (count: number, start: number) => count >= 5 && (performance.now() - start >= budgetMs || count >= 500);

function timeSync(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (!enough(samples.length, start)) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return statistic(samples);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (!enough(samples.length, start)) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return statistic(samples);
}

function printSummary(runs: Run[]): void {
  const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  for (const run of runs) {
    const { rows, threads, peak } = run;
    if (rows.length === 0) continue;
    const line = (label: string, rs: Row[]) =>
      console.log(`  ${label.padEnd(14)} ${String(rs.length).padStart(3)} shapes  ours/ORT ${geomean(rs.map((r) => r.ratio)).toFixed(3)}  async/ORT ${geomean(rs.map((r) => r.asyncRatio)).toFixed(3)}`);
    console.log(`\n${threads} thread${threads > 1 ? 's' : ''}: geometric mean of time ratios (below 1: we are faster)`);
    line('all', rows);
    for (const set of new Set(rows.map((r) => r.set))) line(set, rows.filter((r) => r.set === set));
    for (const kind of ['conv', 'depthwise', 'pointwise', 'linear'] as const) {
      const rs = rows.filter((r) => r.kind === kind);
      if (rs.length > 0) line(kind, rs);
    }
    const pw = rows.filter((r) => r.kind === 'pointwise');
    if (pw.length > 0) {
      const mean = pw.reduce((s, r) => s + r.gflops, 0) / pw.length;
      const flop = pw.reduce((s, r) => s + r.gflops * r.oursMs, 0);
      const total = flop / pw.reduce((s, r) => s + r.oursMs, 0);
      const best = Math.max(...pw.map((r) => r.gflops));
      const pct = (g: number) => `${((100 * g) / peak).toFixed(0)}%`;
      console.log(
        `  pointwise GEMM vs the FMA peak of ${threads} core${threads > 1 ? 's' : ''} (${peak.toFixed(1)} GFLOP/s): mean ${mean.toFixed(1)} GFLOP/s = ${pct(mean)}, ` +
          `all FLOPs / all time ${total.toFixed(1)} = ${pct(total)}, best ${best.toFixed(1)} = ${pct(best)}`,
      );
    }
    const worst = rows.reduce((a, b) => (b.error > a.error ? b : a));
    console.log(`  largest ours-vs-ORT output difference: ${worst.error.toExponential(2)} of max |ORT| (${worst.layer})`);
  }
}

await main();
