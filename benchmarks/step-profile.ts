// Where a supernet step's time goes, op by op.
//
// Usage: npm run bench:profile -- [--space proxyless-small] [--batch 64]
//          [--steps 5] [--warmup 2] [--threads 1] [--device cpu|cuda:N]
//          [--precision fp32|tf32|bf16] [--out profile.md]
//
// A supernet made with `profile: true` times every op of its compute with
// the compute's own clock (the host's on the CPU; CUDA events around each op
// on a device, which makes each op wait for the device: the op times are the
// device's, the step itself runs slower than unprofiled). For each step kind
// (a `single` weight step with SGD, a `pair` architecture step; paths drawn
// natively and uniformly), after --warmup steps, --steps steps are timed
// with the host's clock and the ops' times summed; the table gives each op's
// milliseconds per step and share of the step. "host work between the ops"
// is the step's time less the ops' sum: graph traversal, the binding, JS.
// The same steps unprofiled give the plain step time beside it.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { type Batch, type OpTime, Supernet } from '../src/engine/supernet.js';
import { gpuConvAlgorithms } from '../src/gpu/kernels.js';
import { native } from '../src/native.js';
import { proxylessCifar, proxylessMobile, proxylessSmall } from '../src/space/builtin.js';
import type { SearchSpace } from '../src/space/spec.js';

const SPACES: Record<string, () => SearchSpace> = {
  'proxyless-small': proxylessSmall,
  'proxyless-cifar': proxylessCifar,
  'proxyless-mobile': proxylessMobile,
};
const SEED = 1;
const SGD = { lr: 0.025, momentum: 0.9, nesterov: true, weightDecay: 4e-5 };

const optionsSchema = z.object({
  space: z.enum(Object.keys(SPACES) as [string, ...string[]]).default('proxyless-small'),
  batch: z.coerce.number().int().min(1).max(4096).default(64),
  steps: z.coerce.number().int().min(1).max(1000).default(5),
  warmup: z.coerce.number().int().min(0).max(100).default(2),
  threads: z.coerce.number().int().min(0).max(1024).default(1),
  device: z.string().default('cpu'),
  precision: z.enum(['fp32', 'tf32', 'bf16']).default('fp32'),
  out: z.string().optional(),
});
type Options = z.infer<typeof optionsSchema>;
type StepKind = 'single weight step' | 'pair architecture step';

interface KindProfile {
  kind: StepKind;
  plainMs: number;
  profiledMs: number;
  ops: OpTime[];
}

async function main(): Promise<void> {
  const o = readOptions();
  native.setThreads(o.threads);
  const space = SPACES[o.space]();
  const samples = syntheticBatch(space, o.batch);
  const profiles: KindProfile[] = [];
  for (const kind of ['single weight step', 'pair architecture step'] as const) {
    const plain = new Supernet(space, SEED, { device: o.device, precision: o.precision });
    const profiled = new Supernet(space, SEED, { device: o.device, precision: o.precision, profile: true });
    try {
      const plainMs = await timeSteps(plain, kind, samples, o);
      const profiledMs = await timeSteps(profiled, kind, samples, o);
      profiles.push({ kind, plainMs, profiledMs, ops: profiled.opTimes() });
    } finally {
      plain.dispose();
      profiled.dispose();
    }
  }
  const text = markdown(profiles, o);
  process.stdout.write(text);
  if (o.out) writeFileSync(o.out, text);
}

/** Milliseconds per step over o.steps steps after o.warmup; a profiled net's op times cover the timed steps only. */
async function timeSteps(net: Supernet, kind: StepKind, samples: Batch, o: Options): Promise<number> {
  const uniform = net.candidateCounts.map((c) => new Array<number>(c).fill(1 / c));
  let counter = 0;
  const sample = () => ({ probabilities: uniform, seed: SEED, counter: counter++ });
  const step = () =>
    kind === 'single weight step' ? net.weightStep({ samples, mode: 'single', sample: sample(), ...SGD }) : net.archStep({ samples, mode: 'pair', sample: sample() });
  for (let i = 0; i < o.warmup; i++) await step();
  net.resetOpTimes();
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) await step();
  return (performance.now() - t0) / o.steps;
}

/** One synthetic batch, assembled once natively and reused by every step. */
function syntheticBatch(space: SearchSpace, batch: number): Batch {
  const { height, width, channels } = space.input;
  const dataset = new Dataset(syntheticImageSet({ count: batch, height, width, channels, classes: space.classes, seed: SEED }));
  try {
    return dataset.batch(Int32Array.from({ length: batch }, (_, i) => i), { seed: SEED });
  } finally {
    dataset.dispose();
  }
}

function markdown(profiles: KindProfile[], o: Options): string {
  const lines = [
    `### Step profile: ${o.space}, batch ${o.batch}, ${o.device}${o.device === 'cpu' ? ` (${o.threads} thread${o.threads === 1 ? '' : 's'}, ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} CPUs)` : ''}, ${o.precision}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`npm run bench:profile -- --space ${o.space} --batch ${o.batch} --steps ${o.steps} --warmup ${o.warmup} --threads ${o.threads} --device ${o.device} --precision ${o.precision}\``,
    '',
  ];
  for (const p of profiles) {
    const opSum = p.ops.reduce((s, t) => s + t.ms, 0) / o.steps;
    lines.push(`${p.kind}: ${p.plainMs.toFixed(2)} ms unprofiled, ${p.profiledMs.toFixed(2)} ms profiled (ops ${opSum.toFixed(2)} ms)`, '');
    lines.push('| op | calls/step | ms/step | share of the profiled step |', '|---|---:|---:|---:|');
    for (const t of p.ops) lines.push(`| ${t.op} | ${(t.calls / o.steps).toFixed(1)} | ${(t.ms / o.steps).toFixed(3)} | ${((100 * t.ms) / o.steps / p.profiledMs).toFixed(1)}% |`);
    const host = p.profiledMs - opSum;
    lines.push(`| host work between the ops | | ${host.toFixed(3)} | ${((100 * host) / p.profiledMs).toFixed(1)}% |`, '');
  }
  if (o.device !== 'cpu') {
    const algorithms = gpuConvAlgorithms();
    if (algorithms.length > 0) {
      lines.push('cuDNN algorithms chosen (pass, shape, mode):', '', '| convolution | algorithm | math | workspace KiB |', '|---|---:|---|---:|');
      for (const a of algorithms) lines.push(`| ${a.conv} | ${a.algorithm ?? 'built-in kernel'} | ${a.math} | ${(a.workspaceBytes / 1024).toFixed(0)} |`);
      lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      space: { type: 'string' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      threads: { type: 'string' },
      device: { type: 'string' },
      precision: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`bench:profile: --${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}

main().catch((e: unknown) => {
  console.error(`bench:profile: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
