// Builds a latency table on this CPU or a CUDA device: every op of the
// space (opsToTime) built natively at its exact shape and timed in inference
// (BN eval mode) by the native timing loop (native/profile): warmup passes,
// then each repeat timed alone (the monotonic clock on the CPU, CUDA events
// on the device's stream, around the op's kernels or, with `graph`, around
// one launch of the op captured as a CUDA graph); median, interquartile
// range and minimum per entry. Ops are timed one after the other (never two at once), off the
// event loop.
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { parseDevice, parsePrecision, type Device, type Precision } from '../engine/device.js';
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { native } from '../native.js';
import { valueAt, type SearchSpace } from '../space/spec.js';
import { cudaDevice, hostDevice } from './device.js';
import { entryKey, latencyTableFormatVersion, opsToTime, type LatencyEntry, type LatencyTable, type TimedOp } from './table.js';

/** Warmup and repeats when not given: a GPU op takes microseconds, so it gets more of both. */
export const TIMING_DEFAULTS = { cpu: { warmup: 10, repeats: 50 }, cuda: { warmup: 20, repeats: 100 } } as const;

/** "cpu" or "cuda:N" (whether that device exists is parseDevice's check, when profiling starts). */
export const deviceSchema = z.string().superRefine((value, ctx) => {
  if (!/^(cpu|cuda:\d{1,3})$/.test(value)) ctx.addIssue({ code: 'custom', message: `must be "cpu" or "cuda:N", got ${JSON.stringify(value)}` });
});

/** "fp32", "tf32" or "bf16" (whether the device allows it is parsePrecision's check). */
const PRECISIONS: readonly Precision[] = ['fp32', 'tf32', 'bf16'];
const precisionSchema = z.string().superRefine((value, ctx) => {
  if (!PRECISIONS.includes(value as Precision)) ctx.addIssue({ code: 'custom', message: `must be "fp32", "tf32" or "bf16", got ${JSON.stringify(value)}` });
}).transform((value) => value as Precision);

export const profileOptionsSchema = z
  .strictObject({
    /** where the ops run */
    device: deviceSchema.default('cpu'),
    /** the engine's precision: fp32; on CUDA also tf32 or bf16 (the table header records it) */
    precision: precisionSchema.default('fp32'),
    batch: z.number().int().min(1).max(4096).default(1),
    /** engine threads while timing on the CPU; default: the current setting */
    threads: z.number().int().min(1).max(1024).optional(),
    /** default: TIMING_DEFAULTS of the device */
    warmup: z.number().int().min(0).max(100000).optional(),
    repeats: z.number().int().min(1).max(100000).optional(),
    /** weights and inputs of the timed ops */
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    /** CUDA: time each repeat as one launch of the op captured as a CUDA graph (no per-kernel launch cost) */
    graph: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.graph && o.device === 'cpu') ctx.addIssue({ code: 'custom', path: ['graph'], message: 'CUDA graphs need a CUDA device, got device cpu' });
    if (o.threads !== undefined && o.device !== 'cpu')
      ctx.addIssue({ code: 'custom', path: ['threads'], message: `set the CPU's engine threads, which do not time ops on ${o.device}` });
  });

export type ProfileOptions = z.input<typeof profileOptionsSchema>;
export type ProfileProgress = (done: number, total: number, entry: LatencyEntry) => void;

/** Native op codes of timeOp (native/napi/profile.cc). */
const OP_CODES = { conv: 0, pointwise: 1, mbconv: 2, classifier: 3 } as const;
const ACT_CODES: Record<string, number> = { '': 0, relu: 1, relu6: 2, hswish: 3 };

type TimingCall = (args: Record<string, unknown>) => Promise<Float64Array>;

export async function profileSpace(space: SearchSpace, options: ProfileOptions = {}, onProgress?: ProfileProgress): Promise<LatencyTable> {
  const o = parseOptions('profile', options);
  const date = new Date().toISOString();
  const loadAverage = loadavg()[0];
  return withThreads(o.device === 'cpu' ? o.threads : undefined, async (threads) => {
    const device = o.device === 'cpu' ? hostDevice(threads) : cudaDevice(o.device, o.precision, o.graph ? 'cuda-graph' : 'events');
    const ops = opsToTime(space);
    const entries: LatencyEntry[] = [];
    for (const op of ops) {
      const ms = op.kind === 'zero' ? [] : await timeOp(op, o);
      const entry: LatencyEntry = { ...op, key: entryKey(op, o.batch), ...summarize(ms) };
      entries.push(entry);
      onProgress?.(entries.length, ops.length, entry);
    }
    return {
      formatVersion: latencyTableFormatVersion(device),
      spaceName: space.name,
      spaceJson: JSON.stringify(space),
      device,
      batch: o.batch,
      dtype: 'float32',
      prunasVersion: packageVersion(),
      nodeVersion: process.version,
      napiVersion: process.versions.napi ?? '',
      date,
      warmup: o.warmup,
      repeats: o.repeats,
      entries,
      loadAverage,
    };
  });
}

/** Median, interquartile range and minimum of a set of times (all 0 for none: `zero` runs nothing). */
export function summarize(ms: ArrayLike<number>): { medianMs: number; spreadMs: number; minMs: number; repeats: number } {
  if (ms.length === 0) return { medianMs: 0, spreadMs: 0, minMs: 0, repeats: 0 };
  const sorted = Float64Array.from(ms).sort();
  return { medianMs: quantile(sorted, 0.5), spreadMs: quantile(sorted, 0.75) - quantile(sorted, 0.25), minMs: sorted[0], repeats: sorted.length };
}

export interface ParsedProfileOptions {
  device: Device;
  precision: Precision;
  batch: number;
  threads?: number;
  warmup: number;
  repeats: number;
  seed: number;
  graph: boolean;
}

/** One line naming the option, what is wrong and the value given; a TypeError for a value of the wrong type. */
export function optionsError(where: string, options: unknown, issue: z.core.$ZodIssue): PrunasRangeError | PrunasTypeError {
  const value = valueAt(options, issue.path);
  const given = issue.path.length > 0 && value !== undefined ? ` (got ${describeValue(value)})` : '';
  const message = `${where}: ${issue.path.join('.') || '(options)'} ${issue.message}${given}`;
  return issue.code === 'invalid_type' ? new PrunasTypeError(message) : new PrunasRangeError(message);
}

/** The options with the device's timing defaults, the device checked by parseDevice (built with CUDA, present). */
export function parseOptions(where: string, options: unknown): ParsedProfileOptions {
  const parsed = profileOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw optionsError(`${where} options`, options, parsed.error.issues[0]);
  const o = parsed.data;
  const device = parseDevice(`${where} options`, o.device);
  parsePrecision(`${where} options`, o.precision, device);
  const defaults = TIMING_DEFAULTS[device === 'cpu' ? 'cpu' : 'cuda'];
  return { ...o, device, warmup: o.warmup ?? defaults.warmup, repeats: o.repeats ?? defaults.repeats };
}

/** Runs `f` with the engine at `threads` threads (unchanged when undefined), then restores the setting. */
export async function withThreads<T>(threads: number | undefined, f: (threads: number) => Promise<T>): Promise<T> {
  const before = native.buildInfo().threads;
  if (threads === undefined) return f(before);
  native.setThreads(threads);
  try {
    return await f(native.buildInfo().threads);
  } finally {
    native.setThreads(before);
  }
}

function timeOp(op: TimedOp, o: ParsedProfileOptions): Promise<Float64Array> {
  const timeOpAsync = native.timeOpAsync as unknown as TimingCall;
  const code = op.kind === 'stem' || op.kind === 'conv' ? OP_CODES.conv : op.kind === 'head' ? OP_CODES.pointwise : op.kind === 'classifier' ? OP_CODES.classifier : OP_CODES.mbconv;
  return timeOpAsync({
    op: code,
    batch: o.batch,
    height: op.input.height,
    width: op.input.width,
    cin: op.input.channels,
    cout: op.out,
    kernel: Math.max(op.kernel, 1),
    expand: Math.max(op.expand, 1),
    stride: op.stride,
    act: ACT_CODES[op.act],
    residual: op.residual,
    warmup: o.warmup,
    repeats: o.repeats,
    seed: o.seed,
    device: o.device,
    precision: o.precision,
    graph: o.graph,
  });
}

/** Linear interpolation between order statistics (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
