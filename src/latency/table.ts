// Latency tables: the forward time of every candidate op of a search space
// at its exact layer shape, plus the fixed parts (stem, head, classifier),
// measured on one device (profile.ts). Stored as protobuf (LatencyTable in
// proto/prunas.proto) with a JSON view; `latencyCostModel` turns a table
// into the cost model a constrained search reads, after checking that the
// table was profiled for this very space.
import { readFile } from 'node:fs/promises';
import type { Precision } from '../engine/device.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { prunas } from '../proto/prunas.js';
import type { CostModel } from '../search/cost-model.js';
import { prunodeWidths } from '../space/cost.js';
import { featureShape, layersOf } from '../space/shapes.js';
import type { SearchSpace, Shape } from '../space/spec.js';
import { writeAtomically } from '../train/checkpoint.js';
import { describeDevice } from './device.js';

/**
 * The newest latency table format this prunas reads and writes. Version 2
 * added GPU timing as CUDA graphs; a table timed with events is still
 * written as version 1, so that a prunas from before graph timing reads it,
 * and one timed as graphs is version 2, so that such a prunas refuses it
 * instead of taking its figures for event timings.
 */
export const LATENCY_TABLE_FORMAT_VERSION = 2;
const OLDEST_FORMAT_VERSION = 1;

/** The format version a table of `device` is written with (see LATENCY_TABLE_FORMAT_VERSION). */
export function latencyTableFormatVersion(device: LatencyDevice): number {
  return device.gpu?.timing === 'cuda-graph' ? 2 : 1;
}

export type EntryKind = 'stem' | 'mbconv' | 'conv' | 'zero' | 'head' | 'classifier' | 'prunode';

/** An op to time: its kind, where it sits, and every shape parameter. */
export interface TimedOp {
  kind: EntryKind;
  /** the layer's name; 'stem', 'head', 'classifier' for the fixed parts */
  layer: string;
  /** position among the layer's candidates (0 for the fixed parts) */
  candidate: number;
  input: Shape;
  out: number;
  /** 0 where the op has none (zero, classifier) */
  kernel: number;
  expand: number;
  stride: number;
  /** the layer adds its input (timed as part of the op) */
  residual: boolean;
  /** '' where the op has none */
  act: string;
  /** a Prunode's hidden width (one entry per width step, timed as the MBConv of expand hidden / in) */
  hidden?: number;
}

export interface LatencyEntry extends TimedOp {
  /** kind and every shape parameter, batch and dtype */
  key: string;
  medianMs: number;
  /** interquartile range of the repeats */
  spreadMs: number;
  minMs: number;
  repeats: number;
}

/** Where the ops ran: the host CPU always, and for kind 'cuda' the GPU (device.ts builds both). */
export interface LatencyDevice {
  kind: 'cpu' | 'cuda';
  cpuModel: string;
  /** engine threads while timing on the CPU; 0 on a GPU, where they do not matter */
  threads: number;
  logicalCpus: number;
  vectorPath: string;
  platform: string;
  gpu?: LatencyGpu;
}

export interface LatencyGpu {
  /** the table's device is `cuda:${index}` */
  index: number;
  name: string;
  /** "9.0" */
  computeCapability: string;
  memoryBytes: number;
  /** the NVIDIA driver ("550.54.15"; '' where the OS does not say) and the CUDA version it supports ("12.4") */
  driverVersion: string;
  driverCudaVersion: string;
  /** the CUDA runtime prunas was built with */
  cudaRuntimeVersion: string;
  /** "9.1.0", or "built-in kernels" for a build without cuDNN/cuBLAS */
  cudnnVersion: string;
  cublasVersion: string;
  /** the engine's precision while timing: fp32, tf32 or bf16 */
  precision: Precision;
  /** how each repeat was timed: CUDA events around the op's kernel launches, or around one launch of the op captured as a CUDA graph */
  timing: GpuTiming;
}

export type GpuTiming = 'events' | 'cuda-graph';

export interface LatencyTable {
  formatVersion: number;
  spaceName: string;
  /** the validated space, JSON */
  spaceJson: string;
  device: LatencyDevice;
  batch: number;
  dtype: 'float32';
  prunasVersion: string;
  nodeVersion: string;
  napiVersion: string;
  /** ISO 8601 */
  date: string;
  warmup: number;
  repeats: number;
  entries: LatencyEntry[];
  /** 1-minute load average when the profile started (a busy machine inflates long timings) */
  loadAverage: number;
}

/** Every op a table of this space holds, in order: stem, each layer's candidates, head, classifier. */
export function opsToTime(space: SearchSpace): TimedOp[] {
  const ops: TimedOp[] = [];
  const s = space.stem;
  ops.push({ kind: 'stem', layer: 'stem', candidate: 0, input: space.input, out: s.out, kernel: s.kernel, expand: 1, stride: s.stride, residual: false, act: s.act });
  for (const layer of layersOf(space)) {
    layer.candidates.forEach((op, candidate) => {
      const at = { layer: layer.name, candidate, input: layer.input, out: layer.out };
      if (op.kind === 'zero') ops.push({ ...at, kind: 'zero', kernel: 0, expand: 0, stride: 1, residual: true, act: '' });
      else if (op.kind === 'mbconv') ops.push({ ...at, kind: 'mbconv', kernel: op.kernel, expand: op.expand, stride: op.stride, residual: layer.residual, act: op.act });
      else if (op.kind === 'prunode')
        for (const hidden of prunodeWidths(op, layer.input)) {
          const cin = layer.input.channels;
          if (hidden % cin !== 0)
            throw new PrunasRangeError(`latency tables time a prunode at width c as the MBConv of expand c / in: layer ${layer.name}, candidate ${candidate} reaches width ${hidden}, not a multiple of its ${cin} input channels`);
          ops.push({ ...at, kind: 'prunode', kernel: op.kernel, expand: hidden / cin, stride: op.stride, residual: layer.residual, act: op.act, hidden });
        }
      else ops.push({ ...at, kind: 'conv', kernel: op.kernel, expand: 1, stride: op.stride, residual: false, act: op.act });
    });
  }
  let features = featureShape(space);
  if (space.head) {
    ops.push({ kind: 'head', layer: 'head', candidate: 0, input: features, out: space.head.out, kernel: 1, expand: 1, stride: 1, residual: false, act: space.head.act });
    features = { ...features, channels: space.head.out };
  }
  ops.push({ kind: 'classifier', layer: 'classifier', candidate: 0, input: features, out: space.classes, kernel: 0, expand: 0, stride: 1, residual: false, act: '' });
  return ops;
}

/** The key of an op at a batch: `mbconv k3 e6 s1 res relu6 14x14x24->24 b1 float32`. */
export function entryKey(op: TimedOp, batch: number): string {
  const shape = `${op.input.height}x${op.input.width}x${op.input.channels}->${op.out}`;
  const params =
    op.kind === 'zero' || op.kind === 'classifier'
      ? []
      : [`k${op.kernel}`, ...(op.kind === 'mbconv' || op.kind === 'prunode' ? [`e${op.expand}`] : []), `s${op.stride}`, ...(op.residual ? ['res'] : []), op.act];
  return [op.kind, ...params, shape, `b${batch}`, 'float32'].join(' ');
}

/**
 * The cost model of a table for a space: per supernet layer, per candidate,
 * the entry's median (zero: 0); fixed = stem + head + classifier. Throws a
 * PrunasRangeError naming the mismatch when the table was profiled for
 * another space (or another configuration of it) or lacks an entry.
 */
export function latencyCostModel(table: LatencyTable, space: SearchSpace): CostModel {
  checkTableMatchesSpace(table, space);
  // a Prunode has one entry per width at its place: its key (expand = width / in) tells them apart
  const byPlace = new Map(table.entries.map((e) => [`${e.layer}#${e.candidate}#${e.kind}${e.kind === 'prunode' ? `#${e.key}` : ''}`, e]));
  const lookup = (op: TimedOp): number => {
    const key = entryKey(op, table.batch);
    const entry = byPlace.get(`${op.layer}#${op.candidate}#${op.kind}${op.kind === 'prunode' ? `#${key}` : ''}`);
    if (!entry || entry.key !== key) throw new PrunasRangeError(`latency table for ${table.spaceName} has no entry ${JSON.stringify(key)} (layer ${op.layer}, candidate ${op.candidate})`);
    return op.kind === 'zero' ? 0 : entry.medianMs;
  };
  const ops = opsToTime(space);
  const fixed = ops.filter((op) => op.kind === 'stem' || op.kind === 'head' || op.kind === 'classifier').reduce((sum, op) => sum + lookup(op), 0);
  const layers = layersOf(space);
  const inLayer = (layer: { name: string }) => ops.filter((op) => op.layer === layer.name && op.kind !== 'stem' && op.kind !== 'head' && op.kind !== 'classifier');
  // a Prunode's row entry is its maximal width, the first of its entries
  const candidates = layers.map((layer) => inLayer(layer).filter((op, i, all) => op.kind !== 'prunode' || all.findIndex((o) => o.candidate === op.candidate) === i).map(lookup));
  const prunodes = layers.map((layer) =>
    layer.candidates.map((op, k) => {
      if (op.kind !== 'prunode') return null;
      const widths = inLayer(layer).filter((o) => o.candidate === k);
      return { widths: widths.map((o) => o.hidden!), costs: widths.map(lookup) };
    }),
  );
  const hasPrunodes = prunodes.some((row) => row.some((p) => p !== null));
  return { ...(hasPrunodes ? { prunodes } : {}), unit: 'ms', fixed, candidates, source: `latency table of ${table.spaceName}: ${describeDevice(table.device)}, batch ${table.batch}, ${table.date}` };
}

/** Throws a PrunasRangeError naming the difference when the table is not this space's. */
export function checkTableMatchesSpace(table: LatencyTable, space: SearchSpace): void {
  if (table.spaceName !== space.name)
    throw new PrunasRangeError(`latency table was profiled for space ${JSON.stringify(table.spaceName)}, not ${JSON.stringify(space.name)}`);
  if (canonicalJson(JSON.parse(table.spaceJson)) === canonicalJson(space)) return;
  const here = opsToTime(space).map((op) => entryKey(op, table.batch));
  const there = table.entries.map((e) => e.key);
  const i = here.findIndex((key, j) => key !== there[j]);
  const where = i < 0 ? (here.length !== there.length ? `it has ${there.length} entries, this space ${here.length}` : 'same ops, other settings') : `${table.entries[i]?.layer ?? 'entry ' + i}: ${JSON.stringify(there[i] ?? 'none')} there, ${JSON.stringify(here[i])} here`;
  throw new PrunasRangeError(`latency table was profiled for another configuration of space ${JSON.stringify(space.name)} (${where})`);
}

// ---- files ----

export async function writeTable(file: string, table: LatencyTable): Promise<void> {
  const message = prunas.LatencyTable.create({
    formatVersion: table.formatVersion,
    spaceName: table.spaceName,
    spaceJson: table.spaceJson,
    device: prunas.LatencyDevice.create({ ...table.device, gpu: table.device.gpu ? prunas.LatencyGpu.create({ ...table.device.gpu }) : undefined }),
    batch: table.batch,
    dtype: table.dtype,
    prunasVersion: table.prunasVersion,
    nodeVersion: table.nodeVersion,
    napiVersion: table.napiVersion,
    date: table.date,
    warmup: table.warmup,
    repeats: table.repeats,
    loadAverage: table.loadAverage,
    entries: table.entries.map((e) =>
      prunas.LatencyEntry.create({
        key: e.key,
        kind: e.kind,
        layer: e.layer,
        candidate: e.candidate,
        inputHeight: e.input.height,
        inputWidth: e.input.width,
        inputChannels: e.input.channels,
        outChannels: e.out,
        kernel: e.kernel,
        expand: e.expand,
        stride: e.stride,
        residual: e.residual,
        act: e.act,
        medianMs: e.medianMs,
        spreadMs: e.spreadMs,
        minMs: e.minMs,
        repeats: e.repeats,
      }),
    ),
  });
  await writeAtomically(file, prunas.LatencyTable.encode(message).finish());
}

export async function readTable(file: string): Promise<LatencyTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new PrunasError(`cannot read latency table ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let m: prunas.LatencyTable;
  try {
    m = prunas.LatencyTable.decode(bytes);
  } catch (e) {
    throw new PrunasError(`${file}: not a prunas latency table (${(e as Error).message})`);
  }
  if (m.dtype !== 'float32' || !m.spaceName || !m.device || m.entries.length === 0) throw new PrunasError(`${file}: not a prunas latency table`);
  if (m.formatVersion < OLDEST_FORMAT_VERSION || m.formatVersion > LATENCY_TABLE_FORMAT_VERSION)
    throw new PrunasError(`${file}: latency table format version ${m.formatVersion}, this prunas reads versions ${OLDEST_FORMAT_VERSION} to ${LATENCY_TABLE_FORMAT_VERSION}`);
  // decode yields message instances: absent fields read their defaults
  const d = m.device as prunas.LatencyDevice;
  const entries = m.entries as prunas.LatencyEntry[];
  const device = deviceFromMessage(d, file);
  if (m.formatVersion < latencyTableFormatVersion(device))
    throw new PrunasError(`${file}: latency table timed as CUDA graphs in format version ${m.formatVersion}; such tables are version ${latencyTableFormatVersion(device)}`);
  return {
    formatVersion: m.formatVersion,
    spaceName: m.spaceName,
    spaceJson: m.spaceJson,
    device,
    batch: m.batch,
    dtype: 'float32',
    prunasVersion: m.prunasVersion,
    nodeVersion: m.nodeVersion,
    napiVersion: m.napiVersion,
    date: m.date,
    warmup: m.warmup,
    repeats: m.repeats,
    loadAverage: m.loadAverage,
    entries: entries.map((e) => ({
      key: e.key,
      kind: e.kind as EntryKind,
      layer: e.layer,
      candidate: e.candidate,
      input: { height: e.inputHeight, width: e.inputWidth, channels: e.inputChannels },
      out: e.outChannels,
      kernel: e.kernel,
      expand: e.expand,
      stride: e.stride,
      residual: e.residual,
      act: e.act,
      medianMs: e.medianMs,
      spreadMs: e.spreadMs,
      minMs: e.minMs,
      repeats: e.repeats,
    })),
  };
}

// tables written before GPU profiling have no kind other than "cpu" and no gpu
function deviceFromMessage(d: prunas.LatencyDevice, file: string): LatencyDevice {
  const host = { cpuModel: d.cpuModel, threads: d.threads, logicalCpus: d.logicalCpus, vectorPath: d.vectorPath, platform: d.platform };
  if (d.kind === 'cpu' || d.kind === '') return { kind: 'cpu', ...host };
  const g = d.gpu as prunas.LatencyGpu | null;
  if (d.kind !== 'cuda' || !g || !['fp32', 'tf32', 'bf16'].includes(g.precision)) throw new PrunasError(`${file}: latency table of an unknown device (${JSON.stringify(d.kind)}${g ? `, precision ${JSON.stringify(g.precision)}` : ''})`);
  // tables written before graph timing say nothing: events
  const timing = g.timing === '' ? 'events' : g.timing;
  if (timing !== 'events' && timing !== 'cuda-graph') throw new PrunasError(`${file}: latency table timed in an unknown way (${JSON.stringify(g.timing)})`);
  const gpu: LatencyGpu = {
    index: g.index,
    name: g.name,
    computeCapability: g.computeCapability,
    memoryBytes: g.memoryBytes,
    driverVersion: g.driverVersion,
    driverCudaVersion: g.driverCudaVersion,
    cudaRuntimeVersion: g.cudaRuntimeVersion,
    cudnnVersion: g.cudnnVersion,
    cublasVersion: g.cublasVersion,
    precision: g.precision as Precision,
    timing,
  };
  return { kind: 'cuda', ...host, gpu };
}

/** The JSON view: the table with its space parsed, one entry per line-friendly object. */
export function tableJson(table: LatencyTable): Record<string, unknown> {
  const { spaceJson, ...rest } = table;
  return { ...rest, space: JSON.parse(spaceJson) as unknown };
}

/** JSON with object keys sorted, so two equal spaces compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
