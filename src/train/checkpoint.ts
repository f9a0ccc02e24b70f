// Checkpoints: protobuf files (proto/prunas.proto), written atomically.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { PrunasError } from '../errors.js';
import type { SupernetState } from '../engine/supernet.js';
import { prunas } from '../proto/prunas.js';

export const CHECKPOINT_FORMAT_VERSION = 1;

export interface CheckpointData {
  spaceJson: string;
  architectureJson: string;
  configJson: string;
  epochsDone: number;
  stepsDone: number;
  state: SupernetState;
  history: unknown[];
  /** a search's strategy state and units of work done */
  strategy?: unknown;
  unitsDone?: number;
}

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
// protobufjs hands out views into a shared pool: copy before reinterpreting.
const floats = (b: Uint8Array | null | undefined) => new Float32Array(Uint8Array.from(b ?? []).buffer);

/** Writes to a temporary file beside `file`, then renames: never a half-written file. */
export async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export async function writeCheckpoint(file: string, c: CheckpointData): Promise<void> {
  const message = prunas.Checkpoint.create({
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    spaceJson: c.spaceJson,
    architectureJson: c.architectureJson,
    configJson: c.configJson,
    epochsDone: c.epochsDone,
    stepsDone: c.stepsDone,
    parameters: c.state.parameters.map((p) => ({
      name: p.name,
      value: bytes(p.value),
      momentum: bytes(p.momentum),
      momentumStarted: p.momentumStarted,
      ...(p.adamM && p.adamV ? { adamM: bytes(p.adamM), adamV: bytes(p.adamV), adamSteps: p.adamSteps ?? 0 } : {}),
    })),
    batchnorm: c.state.batchnorm.map((b) => ({ mean: bytes(b.mean), var: bytes(b.var) })),
    historyJson: c.history.map((h) => JSON.stringify(h)).join('\n'),
    removed: [...(c.state.removed?.candidates ?? []).map(([layer, candidate]) => ({ layer, candidate })), ...(c.state.removed?.layers ?? []).map((layer) => ({ layer, candidate: -1 }))],
    strategyJson: c.strategy === undefined ? '' : JSON.stringify(c.strategy),
    unitsDone: c.unitsDone ?? 0,
    prunodeWidths: (c.state.prunodeWidths ?? []).map(([layer, candidate, width]) => ({ layer, candidate, width })),
  });
  await writeAtomically(file, prunas.Checkpoint.encode(message).finish());
}

export async function readCheckpoint(file: string): Promise<CheckpointData> {
  let message: prunas.Checkpoint;
  try {
    message = prunas.Checkpoint.decode(await readFile(file));
  } catch (e) {
    throw new PrunasError(`${file}: not a prunas checkpoint (${(e as Error).message})`);
  }
  if (message.formatVersion !== CHECKPOINT_FORMAT_VERSION)
    throw new PrunasError(`${file}: checkpoint format version ${message.formatVersion}, this prunas reads version ${CHECKPOINT_FORMAT_VERSION}`);
  return {
    spaceJson: message.spaceJson,
    architectureJson: message.architectureJson,
    configJson: message.configJson,
    epochsDone: message.epochsDone,
    stepsDone: message.stepsDone,
    state: {
      parameters: message.parameters.map((p) => ({
        name: p.name ?? '',
        value: floats(p.value),
        momentum: floats(p.momentum),
        momentumStarted: p.momentumStarted ?? false,
        ...(p.adamM && p.adamM.length ? { adamM: floats(p.adamM), adamV: floats(p.adamV), adamSteps: p.adamSteps ?? 0 } : {}),
      })),
      batchnorm: message.batchnorm.map((b) => ({ mean: floats(b.mean), var: floats(b.var) })),
      removed: {
        candidates: message.removed.filter((r) => (r.candidate ?? 0) >= 0).map((r): [number, number] => [r.layer ?? 0, r.candidate ?? 0]),
        layers: message.removed.filter((r) => (r.candidate ?? 0) < 0).map((r) => r.layer ?? 0),
      },
      ...(message.prunodeWidths.length ? { prunodeWidths: message.prunodeWidths.map((p): [number, number, number] => [p.layer ?? 0, p.candidate ?? 0, p.width ?? 0]) } : {}),
    },
    history: message.historyJson ? message.historyJson.split('\n').map((l) => JSON.parse(l) as unknown) : [],
    strategy: message.strategyJson ? (JSON.parse(message.strategyJson) as unknown) : undefined,
    unitsDone: Number(message.unitsDone ?? 0),
  };
}
