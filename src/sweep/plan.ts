// The jobs of a sweep and the two commands each runs. A job's id spells its
// strategy label, seed and target (`proxyless-s1-t4.5`, `darts-s2`), so ids
// do not move when the grid grows and a job's folder can be found by eye.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceGroup, SweepConfig } from './config.js';

export interface Job {
  id: string;
  label: string;
  strategy: string;
  options: Record<string, unknown>;
  seed: number;
  /** in the cost model's unit; null for a sweep without targets */
  target: number | null;
}

export interface JobFolders {
  root: string;
  search: string;
  train: string;
  /** the strategy's options, passed to `prunas search --config` */
  options: string;
}

/** strategies × targets × seeds, in that order (a target-less sweep: strategies × seeds); a strategy with its own seeds uses those. */
export function planJobs(config: Pick<SweepConfig, 'strategies' | 'seeds' | 'targets'>): Job[] {
  const targets = config.targets.length ? config.targets : [null];
  return config.strategies.flatMap((v) =>
    targets.flatMap((target) =>
      (v.seeds ?? config.seeds).map((seed) => ({ id: jobId(v.label, seed, target), label: v.label, strategy: v.strategy, options: v.options, seed, target })),
    ),
  );
}

export function jobId(label: string, seed: number, target: number | null): string {
  return target === null ? `${label}-s${seed}` : `${label}-s${seed}-t${target}`;
}

export function jobFolders(out: string, job: Job): JobFolders {
  const root = join(out, 'jobs', job.id);
  return { root, search: join(root, 'search'), train: join(root, 'train'), options: join(root, 'strategy.json') };
}

/** `prunas search` arguments of a job; --resume always (a search without a checkpoint starts afresh). */
export function searchArgs(config: SweepConfig, job: Job, group: DeviceGroup): string[] {
  const f = jobFolders(config.out, job);
  return [
    'search',
    '--strategy', job.strategy,
    '--space', config.space,
    ...(config.data ? ['--data', config.data] : []),
    ...(config.latency ? ['--latency', config.latency] : []),
    ...(job.target === null ? [] : [config.latency ? '--target-ms' : '--target-mflops', String(job.target)]),
    '--config', f.options,
    '--preset', 'full',
    '--out', f.search,
    '--resume',
    '--checkpoint-every', String(config.checkpointEvery),
    '--seed', String(job.seed),
    ...(config.valSize ? ['--val-size', String(config.valSize)] : []),
    ...(config.subset ? ['--subset', String(config.subset)] : []),
    '--threads', String(group.threads),
    ...(group.device ? ['--device', group.device] : []),
    '--progress', 'none',
  ];
}

/** `prunas train` arguments of a job: the sweep's recipe, seeded with the job's seed, resumed from its last epoch. */
export function trainArgs(config: SweepConfig, job: Job, group: DeviceGroup): string[] {
  const f = jobFolders(config.out, job);
  const flags: [keyof SweepConfig['train'], string][] = [
    ['epochs', '--epochs'],
    ['batchSize', '--batch-size'],
    ['lr', '--lr'],
    ['warmupEpochs', '--warmup-epochs'],
    ['weightDecay', '--weight-decay'],
    ['labelSmoothing', '--label-smoothing'],
  ];
  return [
    'train',
    '--arch', join(f.search, 'architecture.json'),
    // a search over Prunodes writes the space of its derived architecture beside it
    '--space', existsSync(join(f.search, 'space.json')) ? join(f.search, 'space.json') : config.space,
    ...(config.data ? ['--data', config.data] : []),
    '--out', f.train,
    '--resume',
    ...flags.flatMap(([key, flag]) => (config.train[key] === undefined ? [] : [flag, String(config.train[key])])),
    '--seed', String(job.seed),
    ...(config.subset ? ['--subset', String(config.subset)] : []),
    '--threads', String(group.threads),
    ...(group.device ? ['--device', group.device] : []),
    '--progress', 'none',
  ];
}
