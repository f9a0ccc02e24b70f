// sweep.json: a grid of searches (strategies × seeds × targets), each
// followed by the same from-scratch training, spread over the machine's
// devices. Paths in the file are relative to the file's folder. Every error
// names the field; a strategy's options are checked by the strategy itself
// (at every target) before anything runs, so a typo fails the sweep at once
// rather than one job after hours.
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { PrunasRangeError, PrunasTypeError } from '../errors.js';
import { latencyCostModel, readTable, type LatencyTable } from '../latency/table.js';
import { native } from '../native.js';
import { costRange, flopsCostModel, type CostModel } from '../search/cost-model.js';
import { STRATEGIES } from '../search/registry.js';
import { layersOf, type SearchSpace } from '../space/index.js';
import { trainConfigSchema } from '../train/trainer.js';

const LABEL = /^[A-Za-z0-9_.-]{1,64}$/;

export const sweepConfigSchema = z.strictObject({
  /** built-in space name, or a path to a space JSON file (ending in .json or holding a /) */
  space: z.string().min(1),
  /** Fashion-MNIST folder (default: the system copy, else the shipped sample) */
  data: z.string().min(1).optional(),
  /** latency table (prunas profile): targets are then in ms, else in millions of multiply-adds */
  latency: z.string().min(1).optional(),
  targets: z.array(z.number().positive()).default([]),
  /** a list of { name: options } (a strategy may appear more than once) or a map name → options */
  strategies: z.unknown(),
  seeds: z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1),
  /** the from-scratch recipe, the same for every job; the training seed is the job's seed */
  train: trainConfigSchema.pick({ epochs: true, batchSize: true, lr: true, warmupEpochs: true, weightDecay: true, labelSmoothing: true }).partial().default({}),
  devices: z
    .strictObject({
      cpu: z.strictObject({ groups: z.number().int().min(1).max(1024), threadsPerGroup: z.number().int().min(1).max(1024) }).optional(),
      cuda: z.array(z.string().regex(/^cuda:\d+$/, 'must be "cuda:N"')).optional(),
    })
    .optional(),
  out: z.string().min(1),
  /** use the first n training images only (search and training) */
  subset: z.number().int().min(1).optional(),
  /** held-out images for the search's architecture steps and evaluations */
  valSize: z.number().int().min(1).optional(),
  /** full: each strategy's own defaults under the sweep's options; quick: the short search `prunas search` runs by default */
  preset: z.enum(['full', 'quick']).default('full'),
  /** seconds between a search's checkpoints */
  checkpointEvery: z.number().min(0).default(30),
});

export interface StrategyVariant {
  /** the strategy's name, or name-2, name-3… when it appears again in a list */
  label: string;
  strategy: string;
  /** the whole options of the search (the preset's merged in), passed with --preset full */
  options: Record<string, unknown>;
  /** this strategy's own seeds (a list entry's "seeds"), instead of the sweep's */
  seeds?: number[];
}

/** A slot jobs run in one at a time: a group of CPU threads, or one CUDA device (with one host thread). */
export interface DeviceGroup {
  name: string;
  threads: number;
  /** "cuda:N" for a GPU slot; absent for a CPU group */
  device?: string;
}

export interface SweepConfig extends Omit<z.infer<typeof sweepConfigSchema>, 'strategies' | 'devices'> {
  strategies: StrategyVariant[];
  devices: { cpu: { groups: number; threadsPerGroup: number }; cuda: string[] };
  /** the file it was read from; the paths in the config are absolute */
  file: string;
}

export interface ResolvedSweep {
  config: SweepConfig;
  space: SearchSpace;
  cost: CostModel;
  table?: LatencyTable;
  /** one slot per device a job can run on */
  groups: DeviceGroup[];
}

/** Validates a parsed sweep.json; `file` names it in errors and anchors relative paths. */
export function parseSweepConfig(value: unknown, file = 'sweep.json'): SweepConfig {
  const parsed = sweepConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const Err = issue.code === 'invalid_type' ? PrunasTypeError : PrunasRangeError;
    throw new Err(`${file}: ${issue.path.map(String).join('.') || '(the file itself)'} ${issue.message}`);
  }
  const c = parsed.data;
  const base = dirname(resolve(file));
  const path = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  duplicates(c.targets, `${file}: targets`);
  duplicates(c.seeds, `${file}: seeds`);
  const strategies = parseStrategies(c.strategies, c.preset, file);
  const devices = { cpu: c.devices?.cpu ?? (c.devices?.cuda?.length ? { groups: 0, threadsPerGroup: 1 } : { groups: 1, threadsPerGroup: availableParallelism() }), cuda: c.devices?.cuda ?? [] };
  duplicates(devices.cuda, `${file}: devices.cuda`);
  return {
    ...c,
    space: c.space.endsWith('.json') || c.space.includes('/') ? path(c.space) : c.space,
    data: c.data === undefined ? undefined : path(c.data),
    latency: c.latency === undefined ? undefined : path(c.latency),
    out: path(c.out),
    strategies,
    devices,
    file: resolve(file),
  };
}

/**
 * Loads the space (`resolveSpace`: built-in name or file → space, the CLI's
 * lookup) and the cost model, checks every strategy's options at every
 * target, and lays out the devices.
 */
export async function resolveSweep(config: SweepConfig, resolveSpace: (nameOrFile: string) => Promise<SearchSpace>): Promise<ResolvedSweep> {
  const where = config.file;
  const space = await resolveSpace(config.space);
  const table = config.latency ? await readTable(config.latency) : undefined;
  const cost = table ? latencyCostModel(table, space) : flopsCostModel(space);
  const candidateCounts = layersOf(space).map((l) => l.candidates.length);
  const range = costRange(cost);
  for (const v of config.strategies) {
    const entry = STRATEGIES[v.strategy];
    if (!entry.constrained && config.targets.length > 0) throw new PrunasRangeError(`${where}: strategies.${v.label}: ${v.strategy} takes no cost target; give it a sweep of its own without targets`);
    for (const target of config.targets.length ? config.targets : [undefined]) {
      if (target !== undefined && target < range.min)
        throw new PrunasRangeError(`${where}: targets: ${target} ${cost.unit} is below the cheapest architecture of ${space.name} (${range.min.toFixed(3)} ${cost.unit})`);
      try {
        entry.create({ options: v.options, space, candidateCounts, cost, target });
      } catch (e) {
        throw new PrunasRangeError(`${where}: strategies.${v.label}${target === undefined ? '' : ` at target ${target} ${cost.unit}`}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { config, space, cost, table, groups: deviceGroups(config, where) };
}

/** The CPU thread groups, then one slot per CUDA device (checked to exist before any job starts). */
function deviceGroups(config: SweepConfig, where: string): DeviceGroup[] {
  const gpus: DeviceGroup[] = config.devices.cuda.map((device, i) => {
    const info = native.buildInfo();
    const index = Number(device.slice('cuda:'.length));
    if (!info.cuda) throw new PrunasRangeError(`${where}: devices.cuda.${i}: no CUDA device ${device}: this prunas addon was built without CUDA`);
    if (index >= info.cudaDevices) throw new PrunasRangeError(`${where}: devices.cuda.${i}: no CUDA device ${device} (${info.cudaDevices} found)`);
    return { name: device, threads: 1, device };
  });
  if (new Set(config.devices.cuda).size !== config.devices.cuda.length) throw new PrunasRangeError(`${where}: devices.cuda names a device twice`);
  const { groups, threadsPerGroup } = config.devices.cpu;
  return [...Array.from({ length: groups }, (_, g) => ({ name: `cpu${g}`, threads: threadsPerGroup })), ...gpus];
}

function parseStrategies(value: unknown, preset: 'full' | 'quick', file: string): StrategyVariant[] {
  const entries: [string, unknown, string, number[] | undefined][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new PrunasTypeError(`${file}: strategies.${i} must be an object { name: options }`);
      const keys = Object.keys(item).filter((k) => k !== 'seeds');
      if (keys.length !== 1) throw new PrunasRangeError(`${file}: strategies.${i} must name exactly one strategy (and optionally its own "seeds"), got ${keys.length} strategy keys`);
      entries.push([keys[0], (item as Record<string, unknown>)[keys[0]], `strategies.${i}.${keys[0]}`, ownSeeds((item as { seeds?: unknown }).seeds, `${file}: strategies.${i}.seeds`)]);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [name, options] of Object.entries(value)) entries.push([name, options, `strategies.${name}`, undefined]);
  } else {
    throw new PrunasTypeError(`${file}: strategies must be a list of { name: options } or a map name → options, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  if (entries.length === 0) throw new PrunasRangeError(`${file}: strategies is empty`);
  const seen = new Map<string, number>();
  return entries.map(([name, options, field, seeds]) => {
    if (!STRATEGIES[name]) throw new PrunasRangeError(`${file}: ${field}: unknown strategy ${JSON.stringify(name)}: use one of ${Object.keys(STRATEGIES).join(', ')}`);
    if (options !== null && options !== undefined && (typeof options !== 'object' || Array.isArray(options))) throw new PrunasTypeError(`${file}: ${field} must be an options object`);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const label = n === 1 ? name : `${name}-${n}`;
    if (!LABEL.test(label)) throw new PrunasRangeError(`${file}: ${field}: strategy name ${JSON.stringify(name)} cannot name a folder`);
    const own = (options ?? {}) as Record<string, unknown>;
    return { label, strategy: name, options: preset === 'quick' ? { ...(STRATEGIES[name].quick ?? {}), ...own } : own, ...(seeds ? { seeds } : {}) };
  });
}

/** A list entry's own seeds, e.g. { "random": {}, "seeds": [1, 2, 3, 4, 5] } for a mean of five. */
function ownSeeds(value: unknown, field: string): number[] | undefined {
  if (value === undefined) return undefined;
  const parsed = z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1).safeParse(value);
  if (!parsed.success) throw new PrunasRangeError(`${field} must be a non-empty list of non-negative integers, got ${JSON.stringify(value)}`);
  duplicates(parsed.data, field);
  return parsed.data;
}

function duplicates<T>(values: T[], field: string): void {
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) throw new PrunasRangeError(`${field} lists ${JSON.stringify(repeated)} twice`);
}
