// SGEMM throughput on the pointwise (1×1) convolutions of MobileNetV2, next to
// the measured single-thread FMA peak. Each layer is timed as the three GEMMs
// of a training step: forward y = x·Wᵀ, dx = dy·W and dW = dyᵀ·x.
// Percentages are of the FMA peak measured on the same threads at once
// (fmaPeakGflops with allThreads). Times are the median of repeated calls, or
// the fastest with --stat min (closer to the machine's ability when other
// processes share the cores).
// Usage: node --import tsx benchmarks/gemm.ts [--threads 1,2] [--stat median|min] [--quick] [--json out.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kernels, native, setThreads } from '../src/index.js';
import { syncKernel } from '../src/native.js';
import { TestRandom } from '../test/helpers/random.js';
import { SHAPE_SETS } from './shapes.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1,2' },
    stat: { type: 'string', default: 'median' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const threadCounts = values.threads.split(',').map(Number);
const budgetMs = values.quick ? 40 : 200;

interface Gemm {
  label: string;
  m: number;
  n: number;
  k: number;
}

function layers(): Gemm[] {
  const out: Gemm[] = [];
  for (const set of [SHAPE_SETS.imagenet224(), SHAPE_SETS.cifar32()])
    for (const l of set)
      if (l.kind === 'pointwise') out.push({ label: l.name, m: l.n * l.h * l.w, n: l.cout, k: l.cin });
  return out;
}

// The sgemm argument objects of one layer's three passes, buffers preallocated.
function passes(g: Gemm, rng: TestRandom) {
  const x = rng.floats(g.m * g.k);
  const w = rng.floats(g.n * g.k);
  const dy = rng.floats(g.m * g.n);
  const y = new Float32Array(g.m * g.n);
  const dx = new Float32Array(g.m * g.k);
  const dw = new Float32Array(g.n * g.k);
  const common = { alpha: 1, beta: 0 };
  return {
    forward: { ...common, transA: false, transB: true, m: g.m, n: g.n, k: g.k, a: x, lda: g.k, b: w, ldb: g.k, c: y, ldc: g.n },
    dx: { ...common, transA: false, transB: false, m: g.m, n: g.k, k: g.n, a: dy, lda: g.n, b: w, ldb: g.k, c: dx, ldc: g.k },
    dw: { ...common, transA: true, transB: false, m: g.n, n: g.k, k: g.m, a: dy, lda: g.n, b: x, ldb: g.k, c: dw, ldc: g.k },
  };
}

function timeMs(fn: () => unknown): number {
  for (let i = 0; i < 2; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < budgetMs && samples.length < 500)) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return values.stat === 'min' ? samples[0] : samples[Math.floor(samples.length / 2)];
}

const peakSeconds = values.quick ? 0.2 : 1;
const peak = kernels.fmaPeakGflops(peakSeconds);
console.log(`vector path ${native.buildInfo().vectorPath}; measured FMA peak ${peak.toFixed(1)} GFLOP/s on one thread; ${values.stat} times`);
const sgemm = syncKernel('sgemm');
const rows: Record<string, number | string>[] = [];
for (const threads of threadCounts) {
  setThreads(threads);
  const limit = threads === 1 ? peak : kernels.fmaPeakGflops(peakSeconds, { allThreads: true });
  console.log(`\n${threads} thread(s), peak ${limit.toFixed(1)} GFLOP/s        M      N      K   fwd GF/s  %pk   dx GF/s  %pk   dW GF/s  %pk`);
  const rng = new TestRandom(1);
  const totals = { flops: 0, forward: 0, dx: 0, dw: 0 };
  for (const g of layers()) {
    const p = passes(g, rng);
    kernels.sgemm(p.forward); // checks the argument objects once through the TS layer
    kernels.sgemm(p.dx);
    kernels.sgemm(p.dw);
    const flops = 2 * g.m * g.n * g.k;
    const ms = { forward: timeMs(() => sgemm(p.forward)), dx: timeMs(() => sgemm(p.dx)), dw: timeMs(() => sgemm(p.dw)) };
    const gf = (t: number) => flops / t / 1e6;
    const cell = (t: number) => `${gf(t).toFixed(1).padStart(9)} ${((100 * gf(t)) / limit).toFixed(0).padStart(4)}`;
    console.log(`${g.label.padEnd(38)} ${String(g.m).padStart(6)} ${String(g.n).padStart(6)} ${String(g.k).padStart(6)} ${cell(ms.forward)} ${cell(ms.dx)} ${cell(ms.dw)}`);
    rows.push({ threads, layer: g.label, m: g.m, n: g.n, k: g.k, forwardGflops: gf(ms.forward), dxGflops: gf(ms.dx), dwGflops: gf(ms.dw), peakGflops: limit });
    totals.flops += flops;
    totals.forward += ms.forward;
    totals.dx += ms.dx;
    totals.dw += ms.dw;
  }
  const overall = (t: number) => `${(totals.flops / t / 1e6).toFixed(1)} GFLOP/s (${((100 * totals.flops) / t / 1e6 / limit).toFixed(0)}%)`;
  console.log(`all layers, time-weighted: forward ${overall(totals.forward)}, dx ${overall(totals.dx)}, dW ${overall(totals.dw)}`);
}
setThreads(0);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ peakGflopsPerThread: peak, stat: values.stat, rows }, null, 2)}\n`);
