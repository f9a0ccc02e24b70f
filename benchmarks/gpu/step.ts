// The proxyless-mobile supernet step on one GPU: PyTorch's (torch_step.py,
// run as a child process) and ours, same GPU, same batches, 224² inputs.
//
// Usage: npm run bench:gpu -- [--out DIR] [--batches 128,256] [--steps 10]
//          [--warmup 2] [--torch python3|none] [--budget 230]
//          [--torch-seconds 85] [--peak-tflops T] [--peak-gbs B]
//          [--device cuda:0]   (--device cpu: a dry run of this script's own logic)
//
// --budget is the seconds for everything: PyTorch first (at most
// --torch-seconds), then our configurations, each in its own process with
// its own time limit, in order (throughput rows, then the memory sweep);
// one that would start with too little left is recorded as not run.
//
// Rows, per batch:
//   single  weight step: one path sampled uniformly per layer (natively,
//           Philox sample stream), forward, label-smoothed (0.1) CE, backward,
//           SGD (lr 0.025, momentum 0.9, Nesterov, weight decay 4e-5) on the
//           path: what torch_step.py's weight step does.
//   pair    architecture step: two distinct paths per layer sampled
//           uniformly, the active one runs, gate gradients of both; no weight
//           gradients. torch_step.py also takes an Adam step on α (negligible
//           next to the step); ours leaves that to the strategy in TS.
// images/s = batch / median step time (wall clock around each awaited step;
// the step returns its loss, so the device work is done when it resolves).
// Our batch comes from a native dataset resident on the device (uint8 images
// uploaded once; each step assembles and normalises its batch there and
// uploads only the indices), PyTorch's is one tensor kept on the device: both
// steps start from data already on the GPU. Ours in fp32 (strict, no TF32)
// and bf16 (precision 'bf16': bf16 activations, float32 master weights).
//
// Memory: every configuration runs in its own process, so the caching
// allocator's high-water mark (peakInUse) is that configuration's: weights,
// their device copies, activations, workspaces. The engine's own count of
// activation bytes (memoryStats().peakBytes) is given beside it. Our device
// holds copies only of the tensors the steps used (parameters live on the
// host between jobs); "parameter bytes" (memoryStats().parameterBytes) is
// what the host holds: the weights of every candidate and the gradients and
// optimizer state allocated so far, which a search that touches every
// candidate would also hold on the device.
// N = 1..7: the space with only the first N candidates of every searchable
// layer (k3e3, k3e6, k5e3, k5e6, k7e3, k7e6, zero; N = 1 makes the layers
// fixed; the 6-candidate layers keep at most 6), one single weight step and
// one pair architecture step on fixed paths (active: k3e3, the second path:
// the last MBConv among the first N), as benchmarks/step.ts does on the CPU.
//
// Roofline: FLOPs per image from the space's multiply-adds under uniform
// sampling (expectedMacs): 2 FLOPs per MAC, ×3 for a weight step (forward,
// input gradients, weight gradients), fixed parts ×2 + candidates ×3 for a
// pair step (forward and input gradients of the active path, forward of the
// second). Bytes moved: an estimate of activation traffic, per conv unit
// (conv → BN → activation) 4 B × (input + 6 × output) elements forward
// (conv reads its input and writes; BN reads twice for statistics and
// normalisation and writes; the activation reads and writes) and twice that
// backward, plus weights, gradients and optimizer state read and written
// once per step. Peaks: fp32 (non-tensor-core) FLOP/s and memory bandwidth
// of the GPU from its name (or --peak-tflops / --peak-gbs).
//
// Writes DIR/results.json and DIR/results.md (tables for docs/benchmarks.md).
// Refuses with one line and exit code 1 where no CUDA device can be used.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Dataset } from '../../src/data/dataset.js';
import { Supernet, type DatasetSamples } from '../../src/engine/supernet.js';
import { gpuInfo, gpuMemoryStats, type GpuInfo } from '../../src/gpu/kernels.js';
import { native } from '../../src/native.js';
import { proxylessMobile } from '../../src/space/builtin.js';
import { expectedMacs, fixedCost, opCost } from '../../src/space/cost.js';
import { layersOf, searchableLayers } from '../../src/space/shapes.js';
import { defineSpace, type Op, type SearchSpace, type Shape } from '../../src/space/spec.js';
import { writeAtomically } from '../../src/train/checkpoint.js';

const SEED = 1;
const CANDIDATE_COUNTS = [1, 2, 3, 4, 5, 6, 7];
const RESULT = 'BENCH_GPU_RESULT ';
const MIB = 2 ** 20;
const SGD = { lr: 0.025, momentum: 0.9, nesterov: true, weightDecay: 4e-5, labelSmoothing: 0.1 };
const THROUGHPUT_LIMIT_S = 45; // one throughput configuration, its process start included
const MEMORY_LIMIT_S = 25; // one N of the memory sweep
const MIN_START_S = 8; // a configuration does not start with less left

const optionsSchema = z.strictObject({
  out: z.string().min(1),
  batches: z
    .string()
    .transform((s) => s.split(',').map((b) => Number(b.trim())))
    .pipe(z.array(z.number().int().min(1).max(4096)).min(1)),
  steps: z.coerce.number().int().min(1).max(1000),
  warmup: z.coerce.number().int().min(0).max(100),
  torch: z.string().min(1),
  budget: z.coerce.number().min(10).max(3600),
  torchSeconds: z.coerce.number().min(5).max(3600),
  peakTflops: z.coerce.number().positive().optional(),
  peakGbs: z.coerce.number().positive().optional(),
  device: z.string().regex(/^(cpu|cuda:\d{1,3})$/, 'must be cpu or cuda:N'),
  child: z.string().optional(),
});
type Options = z.infer<typeof optionsSchema>;

type StepKind = 'single' | 'pair';
type Precision = 'fp32' | 'bf16';

/** One configuration, run in a child process. */
type Job = { device: string } & (
  | { kind: 'throughput'; batch: number; step: StepKind; precision: Precision; steps: number; warmup: number; seconds: number }
  | { kind: 'memory'; batch: number; candidates: number }
);

/** The device allocator's counters (null on the CPU). */
interface AllocatorPeak {
  /** the allocator's high-water mark over the process (bytes) */
  peakInUse: number | null;
  /** in use after the last step: device copies of the tensors used, the cuBLAS workspace */
  inUseAfter: number | null;
  reserved: number | null;
}

interface ThroughputResult extends AllocatorPeak {
  batch: number;
  step: StepKind;
  precision: Precision;
  timedSteps: number;
  medianMs: number;
  meanMs: number;
  imagesPerSecond: number;
  /** first (warmup) step, when there was one: autotuning and first copies */
  firstStepMs?: number;
  activationPeakBytes: number;
  stateBytes: number;
  loss: number;
  /** the host's waits for the device per timed step (memoryStats().hostWaits) */
  hostWaitsPerStep: number;
}

interface MemoryResult extends AllocatorPeak {
  batch: number;
  candidates: number;
  singleActivationPeakBytes: number;
  pairActivationPeakBytes: number | null;
  stateBytes: number;
}

type Outcome<T> = (T & { error?: undefined }) | { error: string; log?: string };

// ---- the child: one configuration ----

async function runJob(job: Job): Promise<ThroughputResult | MemoryResult> {
  const space = job.kind === 'memory' ? firstCandidates(proxylessMobile(), job.candidates) : proxylessMobile();
  const samples = syntheticSamples(space, job.batch);
  const net = new Supernet(space, SEED, { device: job.device, precision: job.kind === 'throughput' ? job.precision : 'fp32' });
  try {
    return job.kind === 'throughput' ? await throughput(net, samples, job) : await memory(net, samples, job);
  } finally {
    net.dispose();
    samples.dataset.dispose();
  }
}

async function throughput(net: Supernet, samples: DatasetSamples, job: Extract<Job, { kind: 'throughput' }>): Promise<ThroughputResult> {
  const deadline = performance.now() + job.seconds * 1000;
  const uniform = net.candidateCounts.map((c) => new Array<number>(c).fill(1 / c));
  let counter = 0;
  const sample = () => ({ probabilities: uniform, seed: SEED, counter: counter++ });
  const step = () => (job.step === 'single' ? net.weightStep({ samples, mode: 'single', sample: sample(), ...SGD }) : net.archStep({ samples, mode: 'pair', sample: sample() }));
  let firstStepMs: number | undefined;
  for (let i = 0; i < job.warmup && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await step();
    if (i === 0) firstStepMs = performance.now() - t0;
  }
  const times: number[] = [];
  let loss = Number.NaN;
  const waitsBefore = net.memoryStats().hostWaits;
  while (times.length < job.steps && performance.now() < deadline) {
    const t0 = performance.now();
    loss = (await step()).loss;
    times.push(performance.now() - t0);
  }
  if (times.length === 0) throw new Error(`no step was timed within ${job.seconds} s (first step ${firstStepMs?.toFixed(0) ?? '?'} ms)`);
  const sorted = [...times].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];
  const stats = net.memoryStats();
  return {
    batch: job.batch,
    step: job.step,
    precision: job.precision,
    timedSteps: times.length,
    medianMs,
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    imagesPerSecond: job.batch / (medianMs / 1000),
    ...(firstStepMs !== undefined ? { firstStepMs } : {}),
    activationPeakBytes: stats.peakBytes,
    stateBytes: stats.parameterBytes,
    loss,
    hostWaitsPerStep: (stats.hostWaits - waitsBefore) / times.length,
    ...allocator(job.device),
  };
}

async function memory(net: Supernet, samples: DatasetSamples, job: Extract<Job, { kind: 'memory' }>): Promise<MemoryResult> {
  const choices = net.candidateCounts.map(() => 0);
  const others = net.layers.map((layer) => {
    const mbconvs = layer.candidates.flatMap((c, k) => (c.kind === 'mbconv' ? [k] : []));
    return mbconvs.length > 1 ? mbconvs[mbconvs.length - 1] : -1;
  });
  await net.weightStep({ samples, mode: 'single', choices, ...SGD });
  const singleActivationPeakBytes = net.memoryStats().peakBytes;
  let pairActivationPeakBytes: number | null = null;
  if (others.some((o) => o >= 0)) {
    await net.archStep({ samples, mode: 'pair', choices, others });
    pairActivationPeakBytes = net.memoryStats().peakBytes;
  }
  return { batch: job.batch, candidates: job.candidates, singleActivationPeakBytes, pairActivationPeakBytes, stateBytes: net.memoryStats().parameterBytes, ...allocator(job.device) };
}

function allocator(device: string): AllocatorPeak {
  if (device === 'cpu') return { peakInUse: null, inUseAfter: null, reserved: null };
  const s = gpuMemoryStats(Number(device.slice('cuda:'.length)));
  return { peakInUse: s.peakInUse, inUseAfter: s.inUse, reserved: s.reserved };
}

/**
 * A native dataset of exactly one batch of seeded images (uint8, the engine's
 * Philox) and labels: on a GPU it is uploaded once and every step assembles
 * its batch there (only the indices go up), as a training run does.
 */
function syntheticSamples(space: SearchSpace, batch: number): DatasetSamples {
  const { height, width, channels } = space.input;
  const fill = native.philoxFill as (a: unknown) => void;
  const u = new Float32Array(batch * height * width * channels);
  fill({ out: u, seed: SEED, stream: 201, kind: 0 });
  const images = new Uint8Array(u.length);
  for (let i = 0; i < u.length; i++) images[i] = Math.min(255, Math.floor(u[i] * 256));
  const v = new Float32Array(batch);
  fill({ out: v, seed: SEED, stream: 202, kind: 0 });
  const labels = Int32Array.from(v, (x) => Math.min(space.classes - 1, Math.floor(x * space.classes)));
  const dataset = new Dataset({ images, labels, height, width, channels, classes: space.classes });
  return { dataset, indices: Int32Array.from({ length: batch }, (_, i) => i) };
}

/** The space with only the first `n` candidates of every searchable layer; a layer left with one becomes fixed. */
function firstCandidates(space: SearchSpace, n: number): SearchSpace {
  return defineSpace({
    ...space,
    name: `${space.name}-first${n}`,
    stages: space.stages.map((stage) => ({
      name: stage.name,
      layers: stage.layers.map((layer) => {
        if (!('candidates' in layer)) return layer;
        const kept = layer.candidates.slice(0, n);
        if (kept.length > 1) return { name: layer.name, candidates: kept };
        const op = kept[0];
        if (op.kind !== 'mbconv' && op.kind !== 'conv') throw new Error(`${space.name}: layer ${layer.name} starts with ${op.kind}, which cannot stand alone`);
        return { name: layer.name, op };
      }),
    })),
  });
}

async function child(spec: string): Promise<void> {
  let out: unknown;
  try {
    out = await runJob(JSON.parse(spec) as Job);
  } catch (e) {
    out = { error: (e as Error).message ?? String(e) };
  }
  process.stdout.write(`\n${RESULT}${JSON.stringify(out)}\n`);
  process.exit((out as { error?: string }).error ? 1 : 0);
}

// ---- the parent ----

interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function runProcess(command: string, args: string[], limitSeconds: number, env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  return new Promise((done) => {
    const t0 = performance.now();
    let stdout = '';
    let stderr = '';
    const p = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), limitSeconds * 1000);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const finish = (code: number | null, signal: string | null, extra = '') => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr: stderr + extra, seconds: (performance.now() - t0) / 1000 });
    };
    p.on('error', (e) => finish(null, null, `\n${e.message}`));
    p.on('close', (code, signal) => finish(code, signal));
  });
}

const tail = (text: string, lines = 8) => text.trim().split('\n').slice(-lines).join('\n');

async function runChild<T>(job: Job, limitSeconds: number): Promise<Outcome<T>> {
  const script = fileURLToPath(import.meta.url);
  const r = await runProcess(process.execPath, [...process.execArgv, script, '--child', JSON.stringify(job)], limitSeconds);
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (line) {
    const parsed = JSON.parse(line.slice(RESULT.length)) as Outcome<T>;
    return parsed.error !== undefined ? { error: parsed.error, log: tail(r.stderr) } : parsed;
  }
  const why = r.signal === 'SIGKILL' ? `killed after ${limitSeconds} s` : `exit ${r.code ?? r.signal}`;
  return { error: `no result (${why})`, log: tail(`${r.stdout}\n${r.stderr}`) };
}

interface TorchRow {
  batch: number;
  dtype: string;
  weight_ms?: number | null;
  weight_images_per_s?: number | null;
  arch_ms?: number | null;
  arch_images_per_s?: number | null;
  weight_max_memory_allocated_mib?: number;
  arch_max_memory_allocated_mib?: number;
  max_memory_allocated_mib?: number;
  skipped?: string;
  error?: string;
}

interface TorchResult {
  device?: string;
  torch?: string;
  cuda?: string;
  cudnn?: number;
  rows: TorchRow[];
  error?: string;
  log?: string;
}

/** torch_step.py prints NaN for a row it ran out of time in; JSON wants null. */
const parseJson = (text: string): unknown => JSON.parse(text.replace(/\bNaN\b/g, 'null'));

async function runTorch(o: Options, seconds: number): Promise<TorchResult> {
  if (o.torch === 'none') return { rows: [], error: 'not run (--torch none)' };
  const script = join(fileURLToPath(new URL('.', import.meta.url)), 'torch_step.py');
  const env = {
    ...process.env,
    PYTHONUNBUFFERED: '1',
    TORCH_STEP_SECONDS: String(Math.max(5, seconds - 15)), // its own deadline; the rest covers import and teardown
    TORCH_STEP_WARMUP: String(Math.max(o.warmup, 2)), // cudnn.benchmark tunes in the first steps
    TORCH_STEP_ITERS: String(o.steps),
    TORCH_STEP_BATCHES: o.batches.join(','),
  };
  const r = await runProcess(o.torch, [script], seconds, env);
  try {
    return parseJson(r.stdout) as TorchResult;
  } catch {
    // killed or failed: keep the rows it printed as it went
    const rows = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{"batch"'))
      .flatMap((l) => {
        try {
          return [parseJson(l) as TorchRow];
        } catch {
          return [];
        }
      });
    const why = r.signal === 'SIGKILL' ? `killed after ${seconds} s` : `exit ${r.code ?? r.signal}`;
    return { rows, error: `torch_step.py gave no result (${why})`, log: tail(r.stderr, 12) };
  }
}

// ---- roofline ----

interface Peak {
  name: string;
  fp32Tflops: number;
  bandwidthGbs: number;
  source: string;
}

// Dense fp32 on CUDA cores (no tensor cores) and memory bandwidth, from the vendors' data sheets.
const KNOWN_GPUS: { match: RegExp; fp32Tflops: number; bandwidthGbs: number }[] = [
  { match: /H200/i, fp32Tflops: 67, bandwidthGbs: 4800 },
  { match: /H100.*(PCIe)/i, fp32Tflops: 51, bandwidthGbs: 2000 },
  { match: /H100.*NVL/i, fp32Tflops: 60, bandwidthGbs: 3900 },
  { match: /H100/i, fp32Tflops: 67, bandwidthGbs: 3350 },
  { match: /A100.*80GB/i, fp32Tflops: 19.5, bandwidthGbs: 2039 },
  { match: /A100/i, fp32Tflops: 19.5, bandwidthGbs: 1555 },
  { match: /L40S/i, fp32Tflops: 91.6, bandwidthGbs: 864 },
];

function deviceName(info: GpuInfo, device: string): string {
  if (device === 'cpu') return 'the CPU';
  const index = Number(device.slice('cuda:'.length));
  return info.devices.find((d) => d.index === index)?.name ?? device;
}

function peakOf(info: GpuInfo, o: Options): Peak | null {
  const name = deviceName(info, o.device);
  const known = KNOWN_GPUS.find((g) => g.match.test(name));
  const fp32Tflops = o.peakTflops ?? known?.fp32Tflops;
  const bandwidthGbs = o.peakGbs ?? known?.bandwidthGbs;
  if (fp32Tflops === undefined || bandwidthGbs === undefined) return null;
  return { name, fp32Tflops, bandwidthGbs, source: o.peakTflops || o.peakGbs ? 'command line' : 'data sheet of the named GPU' };
}

interface StepCost {
  flopsPerImage: number;
  bytesPerImage: number;
  /** bytes per step that do not grow with the batch: weights, gradients, optimizer state */
  bytesPerStep: number;
}

/** Activation elements (input, output) of each conv unit of an op, per image. */
function convUnits(op: Op, input: Shape): [number, number][] {
  const pixels = input.height * input.width;
  const outPixels = Math.ceil(input.height / (op.kind === 'zero' ? 1 : op.stride)) * Math.ceil(input.width / (op.kind === 'zero' ? 1 : op.stride));
  switch (op.kind) {
    case 'zero':
      return [];
    case 'conv':
      return [[pixels * input.channels, outPixels * op.out]];
    case 'mbconv':
    case 'prunode': {
      const hidden = input.channels * op.expand;
      const units: [number, number][] = [];
      if (op.kind === 'prunode' || op.expand !== 1) units.push([pixels * input.channels, pixels * hidden]);
      units.push([pixels * hidden, outPixels * hidden], [outPixels * hidden, outPixels * op.out]);
      return units;
    }
  }
}

/** Forward activation traffic of conv units: 4 B × (input + 6 × output). */
const forwardBytes = (units: [number, number][]) => units.reduce((s, [i, o]) => s + 4 * (i + 6 * o), 0);

function stepCosts(space: SearchSpace): Record<StepKind, StepCost> {
  const uniform = searchableLayers(space).map((l) => l.candidates.map(() => 1 / l.candidates.length));
  const fixedMacs = fixedCost(space).macs;
  const candidateMacs = expectedMacs(space, uniform) - fixedMacs;
  const layers = layersOf(space);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const stem: [number, number][] = [[space.input.height * space.input.width * space.input.channels, layers[0].input.height * layers[0].input.width * space.stem.out]];
  const last = layers[layers.length - 1].output;
  const head: [number, number][] = space.head ? [[last.height * last.width * last.channels, last.height * last.width * space.head.out]] : [];
  const fixedForward = forwardBytes(stem) + forwardBytes(head) + layers.filter((l) => !l.searchable).reduce((s, l) => s + forwardBytes(convUnits(l.candidates[0], l.input)), 0);
  const candidateForward = layers.filter((l) => l.searchable).reduce((s, l) => s + mean(l.candidates.map((op) => forwardBytes(convUnits(op, l.input)))), 0);
  // one path's parameters: a weight step reads and writes value, gradient and momentum (≈ 6 × 4 B), a pair step reads values twice
  const net = expectedPathParams(space);
  return {
    single: { flopsPerImage: 2 * 3 * (fixedMacs + candidateMacs), bytesPerImage: 3 * (fixedForward + candidateForward), bytesPerStep: 24 * net },
    pair: { flopsPerImage: 2 * (2 * fixedMacs + 3 * candidateMacs), bytesPerImage: 3 * fixedForward + 4 * candidateForward, bytesPerStep: 8 * net },
  };
}

/** Parameters of one path under uniform sampling: the fixed parts and each layer's mean candidate. */
function expectedPathParams(space: SearchSpace): number {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return fixedCost(space).params + searchableLayers(space).reduce((s, l) => s + mean(l.candidates.map((op) => opCost(op, l.input).params)), 0);
}

interface RooflineRow {
  batch: number;
  step: StepKind;
  gflopPerStep: number;
  gbPerStep: number;
  /** FLOPs per byte */
  intensity: number;
  /** the faster of compute and memory bound, as images/s */
  boundImagesPerSecond: number;
  boundBy: 'compute' | 'memory';
  oursImagesPerSecond: number | null;
  oursFractionOfBound: number | null;
}

function roofline(costs: Record<StepKind, StepCost>, peak: Peak, batches: number[], ours: Outcome<ThroughputResult>[]): RooflineRow[] {
  return batches.flatMap((batch) =>
    (['single', 'pair'] as const).map((step) => {
      const c = costs[step];
      const flops = c.flopsPerImage * batch;
      const bytes = c.bytesPerImage * batch + c.bytesPerStep;
      const computeS = flops / (peak.fp32Tflops * 1e12);
      const memoryS = bytes / (peak.bandwidthGbs * 1e9);
      const bound = batch / Math.max(computeS, memoryS);
      const measured = ours.find((r): r is ThroughputResult => r.error === undefined && r.batch === batch && r.step === step && r.precision === 'fp32');
      return {
        batch,
        step,
        gflopPerStep: flops / 1e9,
        gbPerStep: bytes / 1e9,
        intensity: flops / bytes,
        boundImagesPerSecond: bound,
        boundBy: computeS >= memoryS ? ('compute' as const) : ('memory' as const),
        oursImagesPerSecond: measured ? measured.imagesPerSecond : null,
        oursFractionOfBound: measured ? measured.imagesPerSecond / bound : null,
      };
    }),
  );
}

// ---- report ----

const mib = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? 'n/a' : (bytes / MIB).toFixed(0));
const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

function markdown(r: Report): string {
  const lines: string[] = [];
  const dev = deviceName(r.gpu, r.options.device);
  lines.push(`### Supernet step on ${dev}: prunas vs PyTorch (proxyless-mobile, 224², ${r.date.slice(0, 10)})`, '');
  lines.push(
    `PyTorch ${r.torch.torch ?? '?'} (CUDA ${r.torch.cuda ?? '?'}, cuDNN ${r.torch.cudnn ?? '?'}): cudnn.benchmark, channels_last, TF32 off for fp32, bf16 = autocast with fp32 master weights; its batch stays on the device. ` +
      `prunas: strict fp32 (cuDNN/cuBLAS: ${r.gpu.libraries ? 'yes' : 'no, own kernels'}), the batch is assembled on the device from a device-resident dataset (only indices uploaded). ` +
      `Median of ${r.options.steps} timed steps after ${r.options.warmup} warmup; peak = allocator high-water mark (PyTorch: max_memory_allocated per step kind; prunas: peakInUse of a process running only that configuration).`,
    '',
  );
  lines.push('| batch | step | engine | dtype | images/s | ms/step | peak MiB | activation peak MiB (engine count) | host waits/step |');
  lines.push('|---:|---|---|---|---:|---:|---:|---:|---:|');
  for (const batch of r.options.batches) {
    for (const step of ['single', 'pair'] as const) {
      for (const dtype of ['fp32', 'bf16']) {
        const t = r.torch.rows.find((row) => row.batch === batch && row.dtype === dtype);
        const note = t?.error ? ` (error: ${t.error.slice(0, 60)})` : t?.skipped ? ` (${t.skipped})` : !t ? ' (not run)' : '';
        const [imagesPerSecond, ms, peakMib] =
          step === 'single' ? [t?.weight_images_per_s, t?.weight_ms, t?.weight_max_memory_allocated_mib] : [t?.arch_images_per_s, t?.arch_ms, t?.arch_max_memory_allocated_mib];
        lines.push(`| ${batch} | ${step} | PyTorch | ${dtype} | ${num(imagesPerSecond)}${note} | ${num(ms, 2)} | ${num(peakMib ?? t?.max_memory_allocated_mib, 0)} | n/a | n/a |`);
      }
      for (const dtype of ['fp32', 'bf16']) {
        const o = r.ours.throughput.find((row) => row.config === `${batch} ${step} ${dtype}`);
        if (o && o.error === undefined) lines.push(`| ${batch} | ${step} | prunas | ${dtype} | ${num(o.imagesPerSecond)} | ${num(o.medianMs, 2)} | ${mib(o.peakInUse)} | ${mib(o.activationPeakBytes)} | ${num(o.hostWaitsPerStep, 1)} |`);
        else lines.push(`| ${batch} | ${step} | prunas | ${dtype} | n/a (${o?.error?.slice(0, 80) ?? 'not run'}) | n/a | n/a | n/a | n/a |`);
      }
    }
  }
  lines.push('', `Memory of our steps by candidates per layer N (batch ${r.options.batches[0]}; fixed paths, active k3e3; parameter bytes = the engine's parameterBytes: every candidate's weights plus the gradients and optimizer state allocated so far, held on the host; the device holds copies of the used ones only)`, '');
  lines.push('| N | allocator peak MiB | in use after MiB | single activation peak MiB | pair activation peak MiB | parameter MiB |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const n of CANDIDATE_COUNTS) {
    const m = r.ours.memory.find((row) => row.config === `N=${n}`);
    if (m && m.error === undefined) lines.push(`| ${n} | ${mib(m.peakInUse)} | ${mib(m.inUseAfter)} | ${mib(m.singleActivationPeakBytes)} | ${mib(m.pairActivationPeakBytes)} | ${mib(m.stateBytes)} |`);
    else lines.push(`| ${n} | n/a (${m?.error?.slice(0, 80) ?? 'not run'}) | | | | |`);
  }
  if (r.roofline.peak && r.roofline.rows.length) {
    const p = r.roofline.peak;
    lines.push('', `Roofline (${p.name}: ${p.fp32Tflops} TFLOP/s fp32 without tensor cores, ${p.bandwidthGbs} GB/s; ${p.source}). FLOPs from expected MACs under uniform sampling; bytes an activation-traffic estimate (see benchmarks/gpu/step.ts).`, '');
    lines.push('| batch | step | GFLOP/step | GB/step | FLOP/byte | bound | bound images/s | prunas images/s | fraction of bound |');
    lines.push('|---:|---|---:|---:|---:|---|---:|---:|---:|');
    for (const row of r.roofline.rows)
      lines.push(`| ${row.batch} | ${row.step} | ${num(row.gflopPerStep)} | ${num(row.gbPerStep, 2)} | ${num(row.intensity)} | ${row.boundBy} | ${num(row.boundImagesPerSecond, 0)} | ${num(row.oursImagesPerSecond)} | ${num(row.oursFractionOfBound, 3)} |`);
  } else lines.push('', `Roofline: no peak figures for ${dev}; pass --peak-tflops and --peak-gbs.`);
  lines.push('');
  return lines.join('\n');
}

type Tagged<T> = Outcome<T> & { config: string };

interface Report {
  date: string;
  gpu: GpuInfo;
  options: Options;
  notes: string[];
  torch: TorchResult;
  ours: { throughput: Tagged<ThroughputResult>[]; memory: Tagged<MemoryResult>[] };
  roofline: { peak: Peak | null; perImage: Record<StepKind, StepCost>; rows: RooflineRow[] };
  seconds: number;
}

async function main(): Promise<void> {
  const o = readOptions();
  if (o.child !== undefined) return child(o.child);
  const info = gpuInfo();
  if (o.device !== 'cpu' && info.devices.length === 0) {
    console.error(`bench:gpu: no CUDA device can be used here (${info.reason ?? 'none found'}); run it on a machine with a GPU`);
    process.exit(1);
  }
  const t0 = performance.now();
  const left = () => o.budget - (performance.now() - t0) / 1000;
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  console.log(`bench:gpu on ${deviceName(info, o.device)}${o.device === 'cpu' ? ' (dry run)' : ''}: batches ${o.batches.join(', ')}, ${o.warmup} warmup + ${o.steps} timed steps, budget ${o.budget} s`);

  const torch = await runTorch(o, Math.min(o.torchSeconds, Math.max(5, left() - 60)));
  console.log(`PyTorch: ${torch.error ?? 'done'}; ${torch.rows.length} rows`);

  // fp32 rows first (every batch and step), then bf16: a short budget keeps the fp32 comparison whole
  const throughputRows: Tagged<ThroughputResult>[] = [];
  const precisions: Precision[] = o.device === 'cpu' ? ['fp32'] : ['fp32', 'bf16'];
  for (const precision of precisions)
    for (const batch of o.batches)
    for (const step of ['single', 'pair'] as const) {
      const config = `${batch} ${step} ${precision}`;
      const limit = Math.min(THROUGHPUT_LIMIT_S, left());
      if (limit < MIN_START_S) {
        throughputRows.push({ config, error: 'not run: time budget spent' });
        continue;
      }
      const r = await runChild<ThroughputResult>({ device: o.device, kind: 'throughput', batch, step, precision, steps: o.steps, warmup: o.warmup, seconds: Math.max(3, limit - 12) }, limit);
      throughputRows.push({ ...r, config });
      console.log(`prunas ${config}: ${r.error === undefined ? `${r.imagesPerSecond.toFixed(1)} images/s, median ${r.medianMs.toFixed(1)} ms over ${r.timedSteps} steps, peak ${mib(r.peakInUse)} MiB` : `error: ${r.error}`}`);
    }

  const memoryRows: Tagged<MemoryResult>[] = [];
  for (const candidates of CANDIDATE_COUNTS) {
    const config = `N=${candidates}`;
    const limit = Math.min(MEMORY_LIMIT_S, left());
    if (limit < MIN_START_S) {
      memoryRows.push({ config, error: 'not run: time budget spent' });
      continue;
    }
    const r = await runChild<MemoryResult>({ device: o.device, kind: 'memory', batch: o.batches[0], candidates }, limit);
    memoryRows.push({ ...r, config });
    console.log(`prunas memory ${config}: ${r.error === undefined ? `allocator peak ${mib(r.peakInUse)} MiB, activations ${mib(r.singleActivationPeakBytes)} MiB, parameters ${mib(r.stateBytes)} MiB` : `error: ${r.error}`}`);
  }

  const space = proxylessMobile();
  const perImage = stepCosts(space);
  const peak = peakOf(info, o);
  const report: Report = {
    date: new Date().toISOString(),
    gpu: info,
    options: o,
    notes: [
      'prunas: strict fp32; the batch is assembled on the device from a resident dataset (indices uploaded per step), inside the timed step. PyTorch: the batch stays on the device.',
      'prunas bf16: activations stored in bf16, bf16 tensor-core products accumulated in float32, parameters, gradients, optimizer state and BN statistics in float32 (no loss scaling: bf16 has float32\'s range).',
      'prunas peaks: each configuration in its own process, so the allocator high-water mark (peakInUse) is that configuration alone; the device holds copies of the parameters the steps used, the host holds all (stateBytes = memoryStats().parameterBytes).',
      'PyTorch pair step: both paths run with autograd on binary gates, as the reference implementation does, plus an Adam step on alpha; prunas runs the second path forward only and leaves the alpha update to the strategy.',
      'Roofline bytes are an estimate of activation traffic (see the header of benchmarks/gpu/step.ts).',
    ],
    torch,
    ours: { throughput: throughputRows, memory: memoryRows },
    roofline: { peak, perImage, rows: peak ? roofline(perImage, peak, o.batches, throughputRows) : [] },
    seconds: (performance.now() - t0) / 1000,
  };
  const md = markdown(report);
  await writeAtomically(join(out, 'results.json'), JSON.stringify(report, null, 1));
  await writeAtomically(join(out, 'results.md'), md);
  console.log(`\n${md}\nwrote ${join(out, 'results.json')} and results.md in ${report.seconds.toFixed(0)} s`);
  const failed = throughputRows.every((r) => r.error !== undefined) && torch.rows.every((r) => r.error !== undefined || r.skipped !== undefined);
  process.exit(failed ? 1 : 0);
}

function readOptions(): Options {
  try {
    const { values } = parseArgs({
      options: {
        out: { type: 'string', default: 'build/bench-gpu' },
        batches: { type: 'string', default: '128,256' },
        steps: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '2' },
        torch: { type: 'string', default: 'python3' },
        budget: { type: 'string', default: '230' },
        'torch-seconds': { type: 'string', default: '85' },
        'peak-tflops': { type: 'string' },
        'peak-gbs': { type: 'string' },
        device: { type: 'string', default: 'cuda:0' },
        child: { type: 'string' },
      },
    });
    const renamed = { ...values, torchSeconds: values['torch-seconds'], peakTflops: values['peak-tflops'], peakGbs: values['peak-gbs'] };
    delete (renamed as Record<string, unknown>)['torch-seconds'];
    delete (renamed as Record<string, unknown>)['peak-tflops'];
    delete (renamed as Record<string, unknown>)['peak-gbs'];
    const parsed = optionsSchema.safeParse(renamed);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0]);
    const flag = field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new Error(`--${flag}: ${issue.message}, got ${JSON.stringify((renamed as Record<string, unknown>)[field])}`);
  } catch (e) {
    console.error(`bench:gpu: ${(e as Error).message}`);
    process.exit(2);
  }
}

await main();
