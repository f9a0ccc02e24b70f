// Validates a latency table: sampled architectures (uniform over each
// searchable layer's candidates) are built natively as whole networks and
// timed end to end the way the entries were (warmup, repeats, median); the
// prediction is the table's sum (fixed parts + one entry per layer), the
// same sum the search's latency cost uses. Reports the share of
// architectures whose prediction lies within ±5% and ±10% of the measurement.
import { loadavg } from 'node:os';
import { z } from 'zod';
import { nativePlan, pathPlan, planOf, type SupernetPlan } from '../engine/plan.js';
import { native } from '../native.js';
import { architectureCostOf } from '../search/cost-model.js';
import { architectureFromIndices, type Architecture } from '../space/architecture.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import type { Device } from '../engine/device.js';
import { timingDeviceFor } from './device.js';
import { deviceSchema, optionsError, summarize, withThreads } from './profile.js';
import { latencyCostModel, type LatencyTable } from './table.js';

/** Philox stream of the sampled architectures (kValidateStream in native/data/dataset.h). */
const VALIDATE_STREAM = 6;

export const validateOptionsSchema = z.strictObject({
  count: z.number().int().min(1).max(100000).default(50),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  /** default: the table's */
  warmup: z.number().int().min(0).max(100000).optional(),
  repeats: z.number().int().min(1).max(100000).optional(),
  /** default: the table's; another device must be of the same kind and model */
  device: deviceSchema.optional(),
});

export type ValidateOptions = z.input<typeof validateOptionsSchema>;

export interface ArchitectureTiming {
  architecture: Architecture;
  /** one candidate index per supernet layer (fixed layers 0) */
  choices: number[];
  predictedMs: number;
  measuredMs: number;
  /** interquartile range of the measured repeats */
  spreadMs: number;
  /** (predicted − measured) / measured */
  relativeError: number;
}

export interface ValidationReport {
  count: number;
  /** shares in [0, 1] */
  within5: number;
  within10: number;
  meanAbsRelativeError: number;
  maxAbsRelativeError: number;
  /** the higher 1-minute load average of the start and the end */
  loadAverage: number;
  architectures: ArchitectureTiming[];
}

export async function validateTable(
  table: LatencyTable,
  space: SearchSpace,
  options: ValidateOptions = {},
  onProgress?: (done: number, total: number, timing: ArchitectureTiming) => void,
): Promise<ValidationReport> {
  const parsed = validateOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw optionsError('validate options', options, parsed.error.issues[0]);
  const o = parsed.data;
  const model = latencyCostModel(table, space);
  const device = timingDeviceFor(table, o.device, 'validate options');
  const plan = planOf(space);
  const loadBefore = loadavg()[0];
  return withTableThreads(table, async () => {
    const architectures: ArchitectureTiming[] = [];
    for (const choices of sampleChoices(space, o.count, o.seed)) {
      const measured = await timePath(table, plan, choices, { warmup: o.warmup ?? table.warmup, repeats: o.repeats ?? table.repeats, seed: o.seed, device });
      const predictedMs = architectureCostOf(model, choices);
      const searchable = layersOf(space).flatMap((l, i) => (l.searchable ? [choices[i]] : []));
      const timing: ArchitectureTiming = {
        architecture: architectureFromIndices(space, searchable),
        choices,
        predictedMs,
        measuredMs: measured.medianMs,
        spreadMs: measured.spreadMs,
        relativeError: (predictedMs - measured.medianMs) / measured.medianMs,
      };
      architectures.push(timing);
      onProgress?.(architectures.length, o.count, timing);
    }
    const errors = architectures.map((a) => Math.abs(a.relativeError));
    return {
      count: architectures.length,
      within5: errors.filter((e) => e <= 0.05).length / errors.length,
      within10: errors.filter((e) => e <= 0.1).length / errors.length,
      meanAbsRelativeError: errors.reduce((s, e) => s + e, 0) / errors.length,
      maxAbsRelativeError: Math.max(...errors),
      loadAverage: Math.max(loadBefore, loadavg()[0]),
      architectures,
    };
  });
}

export interface TimingOptions {
  /** weights and input */
  seed?: number;
  /** default: the table's device; another must be of the same kind and model */
  device?: string;
}

/**
 * Times one architecture (one candidate index per supernet layer) end to end
 * as the table's entries were timed: its device, threads, batch, warmup and repeats.
 */
export async function timeArchitecture(table: LatencyTable, space: SearchSpace, choices: readonly number[], options: TimingOptions = {}): Promise<{ medianMs: number; spreadMs: number }> {
  latencyCostModel(table, space);
  return timeWithTableSettings(table, space, choices, options);
}

/**
 * Times a network of any space with a table's settings (device, threads,
 * warmup, repeats) on the table's CPU or GPU model: for architectures derived
 * from the table's space (a PruNet result at its found widths), which the
 * table does not list.
 */
export async function timeWithTableSettings(table: LatencyTable, space: SearchSpace, choices: readonly number[], options: TimingOptions = {}): Promise<{ medianMs: number; spreadMs: number }> {
  const device = timingDeviceFor(table, options.device, 'latency timing');
  return withTableThreads(table, () => timePath(table, planOf(space), choices, { warmup: table.warmup, repeats: table.repeats, seed: options.seed ?? 0, device }));
}

/** The engine at the table's threads while timing on the CPU; a GPU table has none to set. */
function withTableThreads<T>(table: LatencyTable, f: () => Promise<T>): Promise<T> {
  return withThreads(table.device.kind === 'cpu' ? table.device.threads : undefined, f);
}

async function timePath(table: LatencyTable, plan: SupernetPlan, choices: readonly number[], o: { warmup: number; repeats: number; seed: number; device: Device }) {
  const timeNetworkAsync = native.timeNetworkAsync as unknown as (a: Record<string, unknown>) => Promise<Float64Array>;
  // the table's own precision and timing: predicted and measured come from the same arithmetic and clock
  const gpu = table.device.kind === 'cuda' ? table.device.gpu : undefined;
  const precision = gpu?.precision ?? 'fp32';
  const graph = gpu?.timing === 'cuda-graph';
  return summarize(await timeNetworkAsync({ ...nativePlan(pathPlan(plan, choices)), batch: table.batch, ...o, precision, graph }));
}

/** `count` architectures, uniform over each searchable layer's candidates, from Philox(seed, VALIDATE_STREAM). */
export function sampleChoices(space: SearchSpace, count: number, seed: number): number[][] {
  const layers = layersOf(space);
  const u = new Float32Array(count * layers.length);
  (native.philoxFill as (a: unknown) => void)({ out: u, seed, stream: VALIDATE_STREAM, kind: 0 });
  return Array.from({ length: count }, (_, a) => layers.map((l, i) => (l.searchable ? Math.min(Math.floor(u[a * layers.length + i] * l.candidates.length), l.candidates.length - 1) : 0)));
}
