// Runs a sweep's jobs as child processes of the prunas command, one job per
// device group at a time (a queue over the groups), and keeps its folder:
//
//   sweep-state.json           the config and each job's status, written atomically on every change
//   jobs/<id>/strategy.json    the strategy's options (prunas search --config)
//   jobs/<id>/search/          the search's run folder
//   jobs/<id>/train/           the from-scratch training's run folder
//   jobs/<id>/{search,train}.{stdout,stderr}.log   each child's output, appended run after run
//
// A job is searching, then training, then done (or failed, with the child's
// error line). Both commands run with --resume, so a job interrupted in
// either phase continues from its last checkpoint when the sweep runs again;
// done jobs are skipped and failed ones are tried again. Latency (when the
// sweep has a table) is measured once all jobs have ended, one network at a
// time, so no measurement shares the CPU with a training job.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PrunasError } from '../errors.js';
import { timeArchitecture, timeWithTableSettings } from '../latency/validate.js';
import { choicesOf } from '../search/strategy.js';
import { validateArchitecture } from '../space/architecture.js';
import { writeAtomically } from '../train/checkpoint.js';
import type { DeviceGroup, ResolvedSweep } from './config.js';
import { jobFolders, planJobs, searchArgs, trainArgs, type Job } from './plan.js';
import { derivedSpace } from './summary.js';

const BIN = fileURLToPath(new URL('../../bin/prunas.js', import.meta.url));
export const SWEEP_STATE_FORMAT_VERSION = 1;

/** what the sweep keeps of the result line `prunas search` and `prunas train` print (z.object: other fields are dropped) */
const searchResultSchema = z.object({ seconds: z.number(), cost: z.number(), costUnit: z.string(), choices: z.record(z.string(), z.string()) });
const trainResultSchema = z.object({ testAccuracy: z.number(), epochs: z.number().int() });

const jobStateSchema = z.strictObject({
  status: z.enum(['pending', 'searching', 'training', 'done', 'failed']),
  error: z.string().optional(),
  /** sweep runs that started this job */
  attempts: z.number().int().min(0),
  /** the child process of the current phase, while it runs */
  pid: z.number().int().optional(),
  search: searchResultSchema.optional(),
  train: trainResultSchema.optional(),
  /** end-to-end latency of the trained architecture; null: not measurable here */
  measuredMs: z.number().nullable().optional(),
});
const stateSchema = z.strictObject({
  formatVersion: z.literal(SWEEP_STATE_FORMAT_VERSION),
  config: z.record(z.string(), z.unknown()),
  pid: z.number().int(),
  notes: z.array(z.string()),
  jobs: z.record(z.string(), jobStateSchema),
});
export type JobState = z.infer<typeof jobStateSchema>;
export type SweepState = z.infer<typeof stateSchema>;

export type SweepEvent =
  | { type: 'start'; total: number; done: number; groups: number }
  | { type: 'phase'; job: string; group: string; phase: 'search' | 'train' }
  | { type: 'done'; job: string; group: string; testAccuracy: number }
  | { type: 'failed'; job: string; group: string; error: string }
  | { type: 'measure'; job: string; measuredMs: number | null }
  | { type: 'note'; text: string };

export interface SweepRunOptions {
  signal?: AbortSignal;
  onEvent?: (e: SweepEvent) => void;
}

export interface SweepOutcome {
  jobs: Job[];
  state: SweepState;
  interrupted: boolean;
}

export function stateFile(out: string): string {
  return join(out, 'sweep-state.json');
}

export async function runSweep(sweep: ResolvedSweep, o: SweepRunOptions = {}): Promise<SweepOutcome> {
  const { config } = sweep;
  const jobs = planJobs(config);
  await mkdir(config.out, { recursive: true });
  const state = await openState(sweep, jobs);
  let saving = Promise.resolve();
  const save = () => (saving = saving.then(() => writeAtomically(stateFile(config.out), JSON.stringify(state, null, 1) + '\n')));
  const emit = (e: SweepEvent) => {
    if (e.type === 'note' && !state.notes.includes(e.text)) state.notes.push(e.text);
    o.onEvent?.(e);
  };
  await save();

  const queue = jobs.filter((j) => state.jobs[j.id].status !== 'done');
  emit({ type: 'start', total: jobs.length, done: jobs.length - queue.length, groups: sweep.groups.length });
  const running = new Set<ReturnType<typeof spawn>>();
  const stop = () => running.forEach((child) => child.kill('SIGTERM'));
  o.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      sweep.groups.map(async (group) => {
        for (let job = queue.shift(); job && !o.signal?.aborted; job = queue.shift()) await runJob(job, group);
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', stop);
  }
  if (!o.signal?.aborted && sweep.table) await measureLatency(sweep, jobs, state, emit, save);
  await save();
  return { jobs, state, interrupted: o.signal?.aborted ?? false };

  async function runJob(job: Job, group: DeviceGroup): Promise<void> {
    const s = state.jobs[job.id];
    try {
      await runPhases(job, s, group);
    } catch (e) {
      await ended(job, s, group, (e as Error).message.split('\n')[0]);
    }
  }

  async function runPhases(job: Job, s: JobState, group: DeviceGroup): Promise<void> {
    const f = jobFolders(config.out, job);
    s.attempts++;
    delete s.error;
    await mkdir(f.root, { recursive: true });
    await writeAtomically(f.options, JSON.stringify(job.options, null, 1) + '\n');
    if (s.status !== 'training') {
      s.status = 'searching';
      emit({ type: 'phase', job: job.id, group: group.name, phase: 'search' });
      const r = await child(job, s, 'search', searchArgs(config, job, group));
      if (r.error !== undefined) return ended(job, s, group, r.error);
      s.search = parseResult(r.stdout, 'search', searchResultSchema);
    }
    s.status = 'training';
    emit({ type: 'phase', job: job.id, group: group.name, phase: 'train' });
    const r = await child(job, s, 'train', trainArgs(config, job, group));
    if (r.error !== undefined) return ended(job, s, group, r.error);
    s.train = parseResult(r.stdout, 'train', trainResultSchema);
    return ended(job, s, group);
  }

  async function ended(job: Job, s: JobState, group: DeviceGroup, error?: string): Promise<void> {
    if (o.signal?.aborted) return void (await save()); // interrupted, not failed: the next run continues it
    if (error === undefined) {
      s.status = 'done';
      emit({ type: 'done', job: job.id, group: group.name, testAccuracy: s.train!.testAccuracy });
    } else {
      s.status = 'failed';
      s.error = error;
      emit({ type: 'failed', job: job.id, group: group.name, error });
    }
    await save();
  }

  /** Runs one phase's command; error: the child's last stderr line (or how it ended), undefined on success. */
  async function child(job: Job, s: JobState, phase: 'search' | 'train', args: string[]): Promise<{ stdout: string; error?: string }> {
    o.signal?.throwIfAborted(); // stopped between two phases: start nothing new
    const f = jobFolders(config.out, job);
    const files = { out: join(f.root, `${phase}.stdout.log`), err: join(f.root, `${phase}.stderr.log`) };
    const from = { out: sizeOf(files.out), err: sizeOf(files.err) };
    const fds = { out: openSync(files.out, 'a'), err: openSync(files.err, 'a') };
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    try {
      const c = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', fds.out, fds.err], env: { ...process.env, FORCE_COLOR: '0' } });
      running.add(c);
      exit = await new Promise((done) => {
        c.once('error', () => done({ code: -1, signal: null }));
        c.once('exit', (code, signal) => done({ code, signal }));
        if (c.pid !== undefined) {
          s.pid = c.pid;
          save().catch(() => {}); // a failed write rejects the next awaited save too
        }
      });
      running.delete(c);
      delete s.pid;
    } finally {
      closeSync(fds.out);
      closeSync(fds.err);
    }
    const stdout = (await readFile(files.out, 'utf8')).slice(from.out);
    if (exit.code === 0) return { stdout };
    const why = failureLine((await readFile(files.err, 'utf8')).slice(from.err));
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    return { stdout, error: `${phase}: ${why ?? how}` };
  }
}

/**
 * The line of a failed child's stderr that says why: its own one-line
 * `prunas:` message, else the message of an error it did not catch (not the
 * stack under it, nor Node's version line after it), else its last line.
 */
export function failureLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = (keep: (l: string) => boolean) => [...lines].reverse().find(keep);
  const own = last((l) => l.startsWith('prunas: '));
  if (own) return own.slice('prunas: '.length);
  return last((l) => /^[A-Za-z]*Error\b[^:]*: /.test(l)) ?? last((l) => !l.startsWith('at ') && !/^Node\.js v\d/.test(l));
}

/** Reads or creates the sweep's state; refuses another config, or a sweep or job process still running on the folder. */
async function openState(sweep: ResolvedSweep, jobs: Job[]): Promise<SweepState> {
  const file = stateFile(sweep.config.out);
  const { file: _file, ...configJson } = sweep.config;
  const config = JSON.parse(JSON.stringify(configJson)) as Record<string, unknown>;
  if (!existsSync(file)) {
    return { formatVersion: SWEEP_STATE_FORMAT_VERSION, config, pid: process.pid, notes: [], jobs: Object.fromEntries(jobs.map((j) => [j.id, { status: 'pending', attempts: 0 }])) };
  }
  let state: SweepState;
  try {
    state = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    const issue = e instanceof z.ZodError ? `${e.issues[0].path.join('.')}: ${e.issues[0].message}` : (e as Error).message.split('\n')[0];
    throw new PrunasError(`${file}: not a sweep state of this prunas (${issue})`);
  }
  const changed = Object.keys({ ...config, ...state.config }).find((k) => JSON.stringify(config[k]) !== JSON.stringify(state.config[k]));
  if (changed) throw new PrunasError(`${sweep.config.file}: ${changed} differs from the sweep in ${sweep.config.out}; restore it or choose another out folder`);
  if (state.pid !== process.pid && isPrunas(state.pid)) throw new PrunasError(`another prunas sweep (pid ${state.pid}) runs on ${sweep.config.out}`);
  for (const [id, s] of Object.entries(state.jobs))
    if (s.pid !== undefined && isPrunas(s.pid)) throw new PrunasError(`job ${id}: its ${s.status === 'training' ? 'training' : 'search'} (pid ${s.pid}) still runs; wait for it or end it, then run the sweep again`);
  state.pid = process.pid;
  for (const s of Object.values(state.jobs)) delete s.pid;
  return state;
}

async function measureLatency(sweep: ResolvedSweep, jobs: Job[], state: SweepState, emit: (e: SweepEvent) => void, save: () => Promise<void>): Promise<void> {
  for (const job of jobs) {
    const s = state.jobs[job.id];
    if (s.status !== 'done' || s.measuredMs !== undefined || !s.search) continue;
    const derived = derivedSpace(sweep, job);
    const space = derived ?? sweep.space;
    const choices = choicesOf(space, validateArchitecture(space, { space: space.name, choices: s.search.choices }));
    try {
      s.measuredMs = (derived ? await timeWithTableSettings(sweep.table!, space, choices) : await timeArchitecture(sweep.table!, space, choices)).medianMs;
    } catch (e) {
      s.measuredMs = null;
      emit({ type: 'note', text: `measured latency left out: ${(e as Error).message.split('\n')[0]}` });
    }
    emit({ type: 'measure', job: job.id, measuredMs: s.measuredMs });
    await save();
  }
}

function parseResult<T>(stdout: string, phase: string, schema: z.ZodType<T>): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return schema.parse(JSON.parse(line));
  } catch {
    throw new PrunasError(`prunas ${phase} ended without its result line (got ${JSON.stringify(line.slice(0, 80))})`);
  }
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Whether pid is a live prunas process (on Linux, its command line names prunas; elsewhere any live process counts). */
function isPrunas(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('prunas');
  } catch {
    return true;
  }
}
