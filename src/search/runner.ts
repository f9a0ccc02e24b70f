// Drives a strategy to the end and keeps its run folder:
//
//   config.json        the validated search config (checked on resume)
//   log.jsonl          one event per line: {time, type, ...}
//   checkpoint.pb      supernet state + strategy state + units done
//   architecture.json  the derived architecture ({space, choices})
//   space.json         only for a space with Prunodes: the derived space that
//                      architecture.json names, its chosen Prunodes as MBConvs
//                      at the widths found (derived.ts)
//
// The runner calls strategy.advance() one unit at a time and checkpoints
// between units (every `checkpointSeconds`, on abort and at the end), so a
// run killed at any point resumes from its last checkpoint and, since
// strategies draw everything from counter-addressed streams, ends exactly
// as an uninterrupted run would. Events are buffered and flushed to the log
// just before each checkpoint; the checkpoint records the log's length, and
// a resumed run cuts the log back to it, so the log never holds events the
// state does not reflect.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Supernet } from '../engine/supernet.js';
import { PrunasError } from '../errors.js';
import type { SearchSpace } from '../space/spec.js';
import { readCheckpoint, writeAtomically, writeCheckpoint } from '../train/checkpoint.js';
import type { CostModel } from './cost-model.js';
import { costAtWidths, derivePrunodeArchitecture, hasPrunodes, maximalWidths } from './derived.js';
import { architectureOf, type PrunodeWidth, type SearchContext, type SearchData, type SearchEvent, type Strategy } from './strategy.js';
import type { Architecture } from '../space/architecture.js';

export type RunEvent =
  | SearchEvent
  | { type: 'start'; resumedAtUnit: number; total: number }
  | { type: 'checkpoint'; unit: number }
  /**
   * choices: supernet-layer indices in the searched space (as every other
   * event's); architecture: architecture.json's; widths: the Prunodes' final
   * hidden widths (spaces with Prunodes); cost: with the chosen Prunodes at them
   */
  | { type: 'done'; units: number; seconds: number; choices: number[]; architecture: Architecture; cost: number; widths?: PrunodeWidth[] };

export interface SearchRunOptions {
  strategy: Strategy;
  space: SearchSpace;
  net: Supernet;
  data: SearchData;
  cost: CostModel;
  seed: number;
  /** the whole validated config, written to config.json and compared on resume */
  config: unknown;
  /** run folder; without it nothing is written */
  dir?: string;
  resume?: boolean;
  /** seconds between checkpoints (default 30); 0 checkpoints after every unit */
  checkpointSeconds?: number;
  signal?: AbortSignal;
  /** every event, including per-unit progress */
  onEvent?: (e: RunEvent) => void;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface SearchRunResult {
  choices: number[];
  architecture: Architecture;
  /** the space `architecture` names: the searched one, or for a space with Prunodes the derived one (space.json) */
  space: SearchSpace;
  /** the architecture's cost in the cost model's unit (chosen Prunodes at their final widths) */
  cost: number;
  /** the Prunodes' final hidden widths (spaces with Prunodes) */
  widths?: PrunodeWidth[];
  units: number;
  seconds: number;
}

export async function runSearch(o: SearchRunOptions): Promise<SearchRunResult> {
  const files = o.dir ? { config: join(o.dir, 'config.json'), log: join(o.dir, 'log.jsonl'), checkpoint: join(o.dir, 'checkpoint.pb'), architecture: join(o.dir, 'architecture.json'), space: join(o.dir, 'space.json') } : null;
  const configJson = JSON.stringify(o.config);
  let units = 0;
  let secondsBefore = 0;
  let pending: string[] = [];
  let finished = false;

  if (files) {
    await mkdir(o.dir!, { recursive: true });
    if (existsSync(files.checkpoint)) {
      if (!o.resume) throw new PrunasError(`${o.dir} already holds a search; pass --resume to continue it, or choose another run folder`);
      const c = await readCheckpoint(files.checkpoint);
      if (c.configJson !== configJson) throw new PrunasError(`${files.checkpoint}: written with another search config; resume with the same options`);
      o.net.loadState(c.state);
      o.strategy.loadState(c.strategy);
      units = c.unitsDone ?? 0;
      const saved = (c.history[0] ?? {}) as { logBytes?: number; seconds?: number; finished?: boolean };
      secondsBefore = saved.seconds ?? 0;
      finished = saved.finished === true;
      if (existsSync(files.log) && (await stat(files.log)).size > (saved.logBytes ?? 0)) await truncate(files.log, saved.logBytes ?? 0);
    } else {
      await writeAtomically(files.config, JSON.stringify(o.config, null, 1) + '\n');
      if (existsSync(files.log)) await truncate(files.log, 0);
    }
  }

  const emit = (e: RunEvent) => {
    o.onEvent?.(e);
    if (files) pending.push(JSON.stringify({ time: new Date().toISOString(), ...e }));
  };
  const flush = async () => {
    if (!files || pending.length === 0) return;
    const text = pending.join('\n') + '\n';
    pending = [];
    await appendFile(files.log, text);
  };
  const started = performance.now();
  const seconds = () => secondsBefore + (performance.now() - started) / 1000;
  let checkpointedAt = -1;
  const checkpoint = async () => {
    if (!files || checkpointedAt === units) return;
    checkpointedAt = units;
    emit({ type: 'checkpoint', unit: units });
    await flush();
    const logBytes = existsSync(files.log) ? (await stat(files.log)).size : 0;
    await writeCheckpoint(files.checkpoint, {
      spaceJson: JSON.stringify(o.space),
      architectureJson: '',
      configJson,
      epochsDone: 0,
      stepsDone: 0,
      state: o.net.saveState(),
      history: [{ logBytes, seconds: seconds(), finished }],
      strategy: o.strategy.saveState(),
      unitsDone: units,
    });
  };

  const ctx: SearchContext = { space: o.space, net: o.net, data: o.data, cost: o.cost, seed: o.seed, signal: o.signal, emit };
  emit({ type: 'start', resumedAtUnit: units, total: o.strategy.progress().total });
  const every = (o.checkpointSeconds ?? 30) * 1000;
  const atBoundary = () => o.strategy.atCheckpointBoundary?.() ?? true;
  let lastCheckpoint = performance.now();
  const alreadyFinished = finished;
  let done = finished;
  try {
    while (!done) {
      o.signal?.throwIfAborted();
      done = await o.strategy.advance(ctx);
      units++;
      o.onProgress?.(o.strategy.progress());
      if (!done && performance.now() - lastCheckpoint >= every && atBoundary()) {
        await checkpoint();
        lastCheckpoint = performance.now();
      }
    }
  } catch (e) {
    // a unit either completed or never started: the state is consistent, keep it
    if (o.signal?.aborted && atBoundary()) await checkpoint();
    throw e;
  }

  finished = true;
  checkpointedAt = -1;
  const choices = o.strategy.derive();
  const widths = hasPrunodes(o.space) ? (o.strategy.widths?.() ?? maximalWidths(o.space)) : undefined;
  const derived = widths ? derivePrunodeArchitecture(o.space, choices, widths) : { space: o.space, architecture: architectureOf(o.space, choices) };
  const { architecture } = derived;
  const cost = costAtWidths(o.cost, choices, widths ?? []);
  // a finished search resumed again only rewrites its result files
  if (!alreadyFinished) {
    emit({ type: 'done', units, seconds: seconds(), choices, architecture, cost, ...(widths ? { widths } : {}) });
    await checkpoint();
  }
  if (files && widths) await writeAtomically(files.space, JSON.stringify(derived.space, null, 1) + '\n');
  if (files) await writeAtomically(files.architecture, JSON.stringify(architecture, null, 1) + '\n');
  return { choices, architecture, space: derived.space, cost, ...(widths ? { widths } : {}), units, seconds: seconds() };
}
