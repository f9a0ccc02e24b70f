// prunas sweep: a grid of searches, each followed by its from-scratch
// training, over the machine's CPU thread groups; run again (or --resume)
// after a crash to continue. Exit code 1 when any job failed.
import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { PrunasError } from '../errors.js';
import { parseSweepConfig, resolveSweep } from '../sweep/config.js';
import { runSweep, stateFile, type SweepEvent } from '../sweep/run.js';
import { summarize, writeSummary } from '../sweep/summary.js';
import { resolveSpace } from './data.js';
import { readJson, UsageError } from './util.js';

export async function sweepCommand(file: string, flags: { resume?: boolean; progress: 'auto' | 'bar' | 'none' }): Promise<void> {
  const config = parseSweepConfig(await readJson(file, 'sweep config'), file);
  if (flags.resume && !existsSync(stateFile(config.out))) throw new UsageError(`--resume: ${config.out} holds no sweep to continue`);
  const sweep = await resolveSweep(config, resolveSpace);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const showBar = flags.progress === 'bar' || (flags.progress === 'auto' && process.stderr.isTTY);
  const bar = showBar ? new SingleBar({ format: 'jobs |{bar}| {value}/{total} | {last}', stream: process.stderr, hideCursor: true }) : null;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  const onEvent = (e: SweepEvent) => {
    if (e.type === 'start') {
      log(`sweep of ${e.total} jobs over ${e.groups} device group${e.groups === 1 ? '' : 's'} into ${config.out}${e.done ? ` (${e.done} done before)` : ''}`);
      bar?.start(e.total, e.done, { last: '' });
    } else if (e.type === 'phase') {
      if (bar) bar.update({ last: `${e.job}: ${e.phase}` });
      else log(`[${e.group}] ${e.job}: ${e.phase}`);
    } else if (e.type === 'done') {
      if (bar) bar.increment({ last: `${e.job}: ${(100 * e.testAccuracy).toFixed(2)}%` });
      else log(`[${e.group}] ${e.job}: done, test accuracy ${(100 * e.testAccuracy).toFixed(2)}%`);
    } else if (e.type === 'failed') {
      if (bar) bar.increment({ last: `${e.job}: failed` });
      log(`[${e.group}] ${e.job}: failed: ${e.error}`);
    } else if (e.type === 'measure') {
      if (!bar) log(`${e.job}: measured latency ${e.measuredMs === null ? 'left out' : `${e.measuredMs.toFixed(3)} ms`}`);
    } else log(`note: ${e.text}`);
  };
  let outcome;
  try {
    outcome = await runSweep(sweep, { signal: stop.signal, onEvent });
  } finally {
    bar?.stop();
  }
  const files = await writeSummary(config.out, summarize(sweep, outcome.jobs, outcome.state));
  const statuses = Object.values(outcome.state.jobs).map((s) => s.status);
  const failed = statuses.filter((s) => s === 'failed').length;
  const done = statuses.filter((s) => s === 'done').length;
  process.stdout.write(`${JSON.stringify({ summary: files.markdown, json: files.json, report: files.report, jobs: statuses.length, done, failed })}\n`);
  if (outcome.interrupted) throw new PrunasError(`interrupted; run prunas sweep ${file} again to continue`);
  if (failed) throw new PrunasError(`${failed} of ${statuses.length} jobs failed (see ${files.markdown})`);
}
