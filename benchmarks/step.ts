// Supernet step throughput and activation memory.
//
// Usage: npm run bench:step -- [--threads 1] [--batch 64] [--steps 5]
//          [--warmup 2] [--spaces proxyless-small,proxyless-cifar]
//          [--json out.json]
//
// Throughput, per space (a supernet of the built-in, seed 1): weight steps
// (SGD) in `single` mode, each path drawn natively and uniformly per layer
// (sample {probabilities, seed, counter}), and in `sum` mode with uniform
// gates; architecture steps in `pair` and `echo` mode (sampled the same way)
// and in `sum` mode. After --warmup untimed steps, --steps awaited steps are
// timed together with performance.now; images/s = steps × batch / time.
//
// Memory, per space and N = 1..7: the space with only the first N
// candidates of every searchable layer (N = 1 makes them fixed layers; the
// 6-candidate layers keep at most 6), one step per mode on fixed paths
// (active: candidate 0, MBConv k3 e3, at every N; pair's second path: the
// last MBConv among the first N), and the engine's own count of peak
// activation bytes (memoryStats().peakBytes) for that step. Parameter bytes
// count weights, gradients and optimizer state once every candidate was
// touched (after the sum step).
//
// Data: one synthetic batch (src/data/synthetic.ts) assembled once into
// {x, y} arrays and reused by every step. Assembling a batch natively from
// a Dataset (printed per space) costs well under a millisecond, far below
// a step, so either data path would do.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { type Batch, Supernet } from '../src/engine/supernet.js';
import { native } from '../src/native.js';
import { proxylessCifar, proxylessSmall } from '../src/space/builtin.js';
import { defineSpace, type SearchSpace } from '../src/space/spec.js';

const SPACES: Record<string, () => SearchSpace> = { 'proxyless-small': proxylessSmall, 'proxyless-cifar': proxylessCifar };
const CANDIDATE_COUNTS = [1, 2, 3, 4, 5, 6, 7];
const SEED = 1;
const LR = 0.05;
const MB = 1024 * 1024;

const optionsSchema = z.strictObject({
  threads: z.coerce.number().int().min(1).max(256),
  batch: z.coerce.number().int().min(1).max(4096),
  steps: z.coerce.number().int().min(1).max(10000),
  warmup: z.coerce.number().int().min(0).max(10000),
  spaces: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(Object.keys(SPACES) as [string, ...string[]])).min(1)),
  json: z.string().min(1).optional(),
});
type Options = z.infer<typeof optionsSchema>;

type StepKind = 'weight' | 'arch';
type Mode = 'single' | 'pair' | 'echo' | 'sum';

interface ThroughputRow {
  space: string;
  step: StepKind;
  mode: Mode;
  imagesPerSecond: number;
  msPerStep: number;
  /** process CPU time (user + system) per step: less sensitive than wall time to other work competing for the cores */
  cpuMsPerStep: number;
  /** peak activation bytes of the last timed step (its sampled paths) */
  peakBytes: number;
}

interface MemoryRow {
  space: string;
  candidates: number;
  /** peak activation bytes of one step: weight steps for single and sum, architecture steps for pair, echo and sum */
  peakBytes: { single: number; pair: number; echo: number; sum: number; sumArch: number };
  parameterBytes: number;
}

async function main(): Promise<void> {
  const o = readOptions();
  native.setThreads(o.threads);
  const [load] = loadavg();
  console.log(
    `prunas supernet steps: batch ${o.batch}, ${o.threads} thread${o.threads > 1 ? 's' : ''}, ${o.warmup} warmup + ${o.steps} timed steps per row; ` +
      `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, load average ${load.toFixed(2)}, vector path ${native.buildInfo().vectorPath}`,
  );
  const throughput: ThroughputRow[] = [];
  const memory: MemoryRow[] = [];
  const dataMs: Record<string, number> = {};
  for (const name of o.spaces) {
    const space = SPACES[name]();
    const { samples, assemblyMs } = syntheticBatch(space, o.batch);
    dataMs[name] = assemblyMs;
    throughput.push(...(await measureThroughput(space, samples, o)));
    for (const n of CANDIDATE_COUNTS) memory.push(await measureMemory(firstCandidates(space, n), n, samples, name));
  }
  printThroughput(throughput, dataMs);
  printMemory(memory, o.batch);
  if (o.json) {
    const result = { date: new Date().toISOString(), cpu: cpus()[0]?.model, cpus: availableParallelism(), load, options: o, dataAssemblyMs: dataMs, throughput, memory };
    writeFileSync(o.json, JSON.stringify(result, null, 1));
  }
}

function readOptions(): Options {
  try {
    const { values } = parseArgs({
      options: {
        threads: { type: 'string', default: '1' },
        batch: { type: 'string', default: '64' },
        steps: { type: 'string', default: '5' },
        warmup: { type: 'string', default: '2' },
        spaces: { type: 'string', default: Object.keys(SPACES).join(',') },
        json: { type: 'string' },
      },
    });
    const parsed = optionsSchema.safeParse(values);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0]);
    throw new Error(`--${field}: ${issue.message}, got ${JSON.stringify((values as Record<string, unknown>)[field])}`);
  } catch (e) {
    console.error(`bench:step: ${(e as Error).message}`);
    process.exit(2);
  }
}

/** One labelled batch for the space's input, assembled once; also times the native assembly of such a batch. */
function syntheticBatch(space: SearchSpace, batch: number): { samples: Batch; assemblyMs: number } {
  const { height, width, channels } = space.input;
  const dataset = new Dataset(syntheticImageSet({ count: batch, height, width, channels, classes: space.classes, seed: SEED }));
  const indices = Int32Array.from({ length: batch }, (_, i) => i);
  const samples = dataset.batch(indices, { seed: SEED });
  const repeats = 20;
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) dataset.batch(indices, { seed: SEED, counter: i });
  const assemblyMs = (performance.now() - t0) / repeats;
  dataset.dispose();
  return { samples, assemblyMs };
}

async function measureThroughput(space: SearchSpace, samples: Batch, o: Options): Promise<ThroughputRow[]> {
  const net = new Supernet(space, SEED);
  const uniform = net.candidateCounts.map((c) => new Array<number>(c).fill(1 / c));
  let counter = 0;
  const sample = () => ({ probabilities: uniform, seed: SEED, counter: counter++ });
  const kinds: { step: StepKind; mode: Mode; run: () => Promise<unknown> }[] = [
    { step: 'weight', mode: 'single', run: () => net.weightStep({ samples, mode: 'single', sample: sample(), lr: LR }) },
    { step: 'weight', mode: 'sum', run: () => net.weightStep({ samples, mode: 'sum', weights: uniform, lr: LR }) },
    { step: 'arch', mode: 'pair', run: () => net.archStep({ samples, mode: 'pair', sample: sample() }) },
    { step: 'arch', mode: 'echo', run: () => net.archStep({ samples, mode: 'echo', sample: sample() }) },
    { step: 'arch', mode: 'sum', run: () => net.archStep({ samples, mode: 'sum', weights: uniform }) },
  ];
  const rows: ThroughputRow[] = [];
  for (const { step, mode, run } of kinds) {
    for (let i = 0; i < o.warmup; i++) await run();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < o.steps; i++) await run();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    rows.push({
      space: space.name, step, mode,
      imagesPerSecond: (o.steps * o.batch) / (ms / 1000), msPerStep: ms / o.steps, cpuMsPerStep: cpuMs / o.steps,
      peakBytes: net.memoryStats().peakBytes,
    });
    console.log(`  ${space.name} ${step} ${mode}: ${(ms / o.steps).toFixed(1)} ms/step, ${(cpuMs / o.steps).toFixed(1)} CPU ms/step`);
  }
  net.dispose();
  return rows;
}

async function measureMemory(space: SearchSpace, candidates: number, samples: Batch, spaceName: string): Promise<MemoryRow> {
  const net = new Supernet(space, SEED);
  const counts = net.candidateCounts;
  const choices = counts.map(() => 0);
  const others = net.layers.map((layer) => {
    const mbconvs = layer.candidates.flatMap((c, k) => (c.kind === 'mbconv' ? [k] : []));
    return mbconvs.length > 1 ? mbconvs[mbconvs.length - 1] : -1;
  });
  const uniform = counts.map((c) => new Array<number>(c).fill(1 / c));
  const peak = async (step: () => Promise<unknown>) => {
    await step();
    return net.memoryStats().peakBytes;
  };
  const peakBytes = {
    single: await peak(() => net.weightStep({ samples, mode: 'single', choices, lr: LR })),
    pair: await peak(() => net.archStep({ samples, mode: 'pair', choices, others })),
    echo: await peak(() => net.archStep({ samples, mode: 'echo', choices })),
    sum: await peak(() => net.weightStep({ samples, mode: 'sum', weights: uniform, lr: LR })),
    sumArch: await peak(() => net.archStep({ samples, mode: 'sum', weights: uniform })),
  };
  const { parameterBytes } = net.memoryStats();
  net.dispose();
  console.log(`  ${spaceName} N = ${candidates}: single ${mb(peakBytes.single)} MB, sum ${mb(peakBytes.sum)} MB`);
  return { space: spaceName, candidates, peakBytes, parameterBytes };
}

/**
 * The space with only the first `n` candidates of every searchable layer
 * (fewer where a layer has fewer); a layer left with one becomes fixed.
 */
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
        if (op.kind === 'zero') throw new Error(`${space.name}: layer ${layer.name} starts with zero, which cannot stand alone`);
        return { name: layer.name, op };
      }),
    })),
  });
}

function printThroughput(rows: ThroughputRow[], dataMs: Record<string, number>): void {
  console.log('\nThroughput (images/s of wall time and per CPU second; peak: activation MB of the last timed step)\n');
  console.log('| space | step | mode | images/s | ms/step | images/CPU-s | CPU ms/step | peak MB |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.space} | ${r.step} | ${r.mode} | ${r.imagesPerSecond.toFixed(1)} | ${r.msPerStep.toFixed(1)} | ` +
        `${(r.imagesPerSecond * (r.msPerStep / r.cpuMsPerStep)).toFixed(1)} | ${r.cpuMsPerStep.toFixed(1)} | ${mb(r.peakBytes)} |`,
    );
  console.log('');
  for (const space of new Set(rows.map((r) => r.space))) {
    const row = (step: StepKind, mode: Mode) => rows.find((r) => r.space === space && r.step === step && r.mode === mode);
    const ratio = (step: StepKind, a: Mode, b: Mode) => {
      const [ra, rb] = [row(step, a), row(step, b)];
      return ra && rb ? `${(rb.msPerStep / ra.msPerStep).toFixed(2)}× (CPU time ${(rb.cpuMsPerStep / ra.cpuMsPerStep).toFixed(2)}×)` : 'n/a';
    };
    console.log(`${space}: weight step single/sum ${ratio('weight', 'single', 'sum')}, arch step echo/sum ${ratio('arch', 'echo', 'sum')}; native assembly of one batch ${dataMs[space].toFixed(2)} ms`);
  }
}

function printMemory(rows: MemoryRow[], batch: number): void {
  console.log(`\nPeak activation memory (MB, batch ${batch}; paths fixed: active = candidate 0) and parameter bytes, by candidates per layer N\n`);
  console.log('| space | N | single (weight) | pair (arch) | echo (arch) | sum (weight) | sum (arch) | parameters MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const p = r.peakBytes;
    console.log(`| ${r.space} | ${r.candidates} | ${mb(p.single)} | ${mb(p.pair)} | ${mb(p.echo)} | ${mb(p.sum)} | ${mb(p.sumArch)} | ${mb(r.parameterBytes)} |`);
  }
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

await main();
