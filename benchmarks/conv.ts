// Forward and backward time of the depthwise and dense 3×3 convolutions of
// MobileNetV2 (224² batch 1, 32² batch 64) on 1 and 2 threads.
// Usage: node --import tsx benchmarks/conv.ts [--threads 1,2] [--quick] [--no-backward] [--filter TEXT] [--best]
// --best reports the fastest run instead of the median (a machine shared with
// other work delays some runs, most of all on 2 threads).
import { parseArgs } from 'node:util';
// The kernel modules directly rather than src/index.ts, so the benchmark does
// not depend on the rest of the package building.
import * as kernels from '../src/kernels/index.js';
import { native, syncKernel } from '../src/native.js';
import { TestRandom } from '../test/helpers/random.js';
import { type LayerShape, layerMacs, SHAPE_SETS } from './shapes.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1,2' },
    quick: { type: 'boolean', default: false },
    'no-backward': { type: 'boolean', default: false },
    filter: { type: 'string', default: '' },
    best: { type: 'boolean', default: false },
  },
});
const threadCounts = values.threads.split(',').map(Number);
const budgetMs = values.quick ? 60 : 300;

type ConvLayer = Extract<LayerShape, { kind: 'conv' | 'depthwise' }>;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  for (let i = 0; i < 2; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < budgetMs && samples.length < 200)) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return values.best ? Math.min(...samples) : median(samples);
}

// Native calls with preallocated outputs, so the timing is the kernel's and
// not the page faults of a fresh multi-megabyte Float32Array per call. The
// TS wrapper runs once first to check the arguments.
function calls(l: ConvLayer, rng: TestRandom) {
  const p = l.k >> 1;
  const ho = Math.floor((l.h + 2 * p - l.k) / l.s) + 1;
  const spatial = { n: l.n, h: l.h, w: l.w, kh: l.k, kw: l.k, strideH: l.s, strideW: l.s, padH: p, padW: p };
  const shape = { n: l.n, h: l.h, w: l.w, kernel: l.k, stride: l.s };
  if (l.kind === 'conv') {
    const x = rng.floats(l.n * l.h * l.w * l.cin);
    const weight = rng.floats(l.cout * l.k * l.k * l.cin);
    const dy = rng.floats(l.n * ho * ho * l.cout);
    kernels.conv2dForward({ ...shape, cin: l.cin, cout: l.cout }, x, weight);
    const args = { ...spatial, cin: l.cin, cout: l.cout, x, weight };
    const forward = { ...args, y: new Float32Array(dy.length) };
    const backward = { ...args, dy, dx: new Float32Array(x.length), dw: new Float32Array(weight.length), db: new Float32Array(l.cout) };
    return { forward: () => syncKernel('conv2dForward')(forward), backward: () => syncKernel('conv2dBackward')(backward) };
  }
  const x = rng.floats(l.n * l.h * l.w * l.c);
  const weight = rng.floats(l.k * l.k * l.c);
  const dy = rng.floats(l.n * ho * ho * l.c);
  kernels.depthwiseForward({ ...shape, c: l.c }, x, weight);
  const args = { ...spatial, c: l.c, x, weight };
  const forward = { ...args, y: new Float32Array(dy.length) };
  const backward = { ...args, dy, dx: new Float32Array(x.length), dw: new Float32Array(weight.length), db: new Float32Array(l.c) };
  return { forward: () => syncKernel('depthwiseForward')(forward), backward: () => syncKernel('depthwiseBackward')(backward) };
}

function main() {
  const layers = [...SHAPE_SETS.imagenet224(), ...SHAPE_SETS.cifar32()].filter(
    (l): l is ConvLayer => (l.kind === 'conv' || l.kind === 'depthwise') && l.name.includes(values.filter),
  );
  console.log(`prunas conv kernels, vector path ${native.buildInfo().vectorPath}; GFLOP/s = 2·MACs / ${values.best ? 'best' : 'median'} time (backward: dx + dW + db = 2× the forward MACs)`);
  const header = ['layer'.padEnd(34), ...threadCounts.flatMap((t) => [`fwd ${t}T ms`.padStart(11), 'GFLOP/s'.padStart(8), ...(values['no-backward'] ? [] : [`bwd ${t}T ms`.padStart(11), 'GFLOP/s'.padStart(8)])])];
  console.log(header.join(' '));
  const rng = new TestRandom(1);
  for (const l of layers) {
    const c = calls(l, rng);
    const flops = 2 * layerMacs(l);
    const cells: string[] = [l.name.padEnd(34)];
    for (const t of threadCounts) {
      native.setThreads(t);
      const f = time(c.forward);
      cells.push(f.toFixed(3).padStart(11), (flops / f / 1e6).toFixed(1).padStart(8));
      if (!values['no-backward']) {
        const b = time(c.backward);
        cells.push(b.toFixed(3).padStart(11), ((2 * flops) / b / 1e6).toFixed(1).padStart(8));
      }
    }
    console.log(cells.join(' '));
  }
  native.setThreads(0);
}

main();
