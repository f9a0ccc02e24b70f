// A sweep's results: one row per job and one per strategy × target (mean and
// sample standard deviation over the seeds that finished), written as
// summary.json, summary.md and report.html. Costs come from the space
// (multiply-adds and parameters of the whole trained network) and, with a
// latency table, its prediction for the architecture; measured latency from
// the sweep's end-to-end timing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { architectureCostOf, type CostModel } from '../search/cost-model.js';
import { choicesOf } from '../search/strategy.js';
import { architectureCost, validateArchitecture, validateSpace, type SearchSpace } from '../space/index.js';
import { writeAtomically } from '../train/checkpoint.js';
import type { ResolvedSweep } from './config.js';
import { jobFolders, type Job } from './plan.js';
import type { SweepState } from './run.js';

export interface JobRow {
  id: string;
  strategy: string;
  seed: number;
  target: number | null;
  status: string;
  error?: string;
  searchSeconds?: number;
  /** cost of the derived architecture in the search's cost model */
  searchCost?: number;
  testAccuracy?: number;
  params?: number;
  mmacs?: number;
  predictedMs?: number;
  measuredMs?: number | null;
  choices?: Record<string, string>;
}

export interface Stat {
  mean: number;
  /** sample standard deviation (n − 1); 0 for one value */
  std: number;
  n: number;
}

export interface GroupRow {
  strategy: string;
  target: number | null;
  jobs: number;
  done: number;
  failed: number;
  searchSeconds?: Stat;
  testAccuracy?: Stat;
  params?: Stat;
  mmacs?: Stat;
  predictedMs?: Stat;
  measuredMs?: Stat;
}

export interface SweepSummary {
  space: string;
  /** unit of the targets: ms with a latency table, else MMACs */
  targetUnit: 'ms' | 'MMACs';
  latencyTable: string | null;
  train: Record<string, unknown>;
  jobs: JobRow[];
  groups: GroupRow[];
  notes: string[];
}

const METRICS = ['searchSeconds', 'testAccuracy', 'params', 'mmacs', 'predictedMs', 'measuredMs'] as const;

export function summarize(sweep: ResolvedSweep, jobs: Job[], state: SweepState): SweepSummary {
  const rows = jobs.map((job) => jobRow(sweep, job, state));
  const groups: GroupRow[] = [];
  for (const job of jobs) {
    if (groups.some((g) => g.strategy === job.label && g.target === job.target)) continue;
    const members = rows.filter((r) => r.strategy === job.label && r.target === job.target);
    const done = members.filter((r) => r.status === 'done');
    const group: GroupRow = { strategy: job.label, target: job.target, jobs: members.length, done: done.length, failed: members.filter((r) => r.status === 'failed').length };
    for (const metric of METRICS) {
      const values = done.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
      if (values.length) group[metric] = stat(values);
    }
    groups.push(group);
  }
  return {
    space: sweep.space.name,
    targetUnit: sweep.cost.unit,
    latencyTable: sweep.config.latency ?? null,
    train: { ...sweep.config.train, subset: sweep.config.subset ?? null },
    jobs: rows,
    groups,
    notes: state.notes,
  };
}

function jobRow(sweep: ResolvedSweep, job: Job, state: SweepState): JobRow {
  const s = state.jobs[job.id];
  const row: JobRow = { id: job.id, strategy: job.label, seed: job.seed, target: job.target, status: s.status, ...(s.error ? { error: s.error } : {}) };
  if (s.search) {
    const derived = derivedSpace(sweep, job);
    const space = derived ?? sweep.space;
    const architecture = validateArchitecture(space, { space: space.name, choices: s.search.choices });
    const cost = architectureCost(space, architecture);
    Object.assign(row, { searchSeconds: s.search.seconds, searchCost: s.search.cost, params: cost.params, mmacs: cost.macs / 1e6, choices: s.search.choices });
    // a derived architecture's prediction is the search's own cost at the found widths
    if (sweep.table) row.predictedMs = derived ? s.search.cost : architectureCostOf(sweep.cost as CostModel, choicesOf(space, architecture));
  }
  if (s.train && s.status === 'done') row.testAccuracy = s.train.testAccuracy;
  if (s.measuredMs !== undefined) row.measuredMs = s.measuredMs;
  return row;
}

/** The space a job's search derived its architecture in (PruNet's found widths), when it wrote one. */
export function derivedSpace(sweep: ResolvedSweep, job: Job): SearchSpace | undefined {
  const file = join(jobFolders(sweep.config.out, job).search, 'space.json');
  return existsSync(file) ? validateSpace(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
}

export function stat(values: number[]): Stat {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** summary.json, summary.md and report.html in the sweep folder; returns their paths. */
export async function writeSummary(out: string, summary: SweepSummary): Promise<{ json: string; markdown: string; report: string }> {
  const files = { json: join(out, 'summary.json'), markdown: join(out, 'summary.md'), report: join(out, 'report.html') };
  await writeAtomically(files.json, JSON.stringify(summary, null, 1) + '\n');
  await writeAtomically(files.markdown, summaryMarkdown(summary));
  // loaded here: vega would add ~0.2 s to every command that reads this module
  const { renderSweepReport } = await import('../report/sweep.js');
  await writeAtomically(files.report, await renderSweepReport(summary));
  return files;
}

export function summaryMarkdown(s: SweepSummary): string {
  const latency = s.latencyTable !== null;
  const groups = groupTable(s);
  const jobHeader = ['job', 'strategy', 'seed', `target (${s.targetUnit})`, ...jobFigureHeader(latency)];
  const jobRows = s.jobs.map((r) => [r.id, r.strategy, String(r.seed), r.target === null ? '–' : String(r.target), ...jobFigures(r, latency)]);
  const lines = [
    `# Sweep over ${s.space}`,
    '',
    `Training recipe (the same for every job): ${JSON.stringify(s.train)}.${latency ? ` Latency table: ${s.latencyTable}.` : ''}`,
    '',
    '## Strategy × target (mean ± sample std over the seeds that finished)',
    '',
    ...table(groups.header, groups.rows),
    '',
    '## Jobs',
    '',
    ...table(jobHeader, jobRows),
    ...(s.notes.length ? ['', ...s.notes.map((n) => `Note: ${n}`)] : []),
    '',
  ];
  return lines.join('\n');
}

/** The strategy × target table as text cells (the markdown summary and the HTML page both show it). */
export function groupTable(s: SweepSummary): { header: string[]; rows: string[][] } {
  const latency = s.latencyTable !== null;
  const header = ['strategy', `target (${s.targetUnit})`, 'done / jobs', 'search (s)', 'test accuracy (%)', 'params', 'MMACs', ...(latency ? ['predicted (ms)', 'measured (ms)'] : [])];
  const rows = s.groups.map((g) => [
    g.strategy,
    g.target === null ? '–' : String(g.target),
    `${g.done} / ${g.jobs}${g.failed ? ` (${g.failed} failed)` : ''}`,
    meanStd(g.searchSeconds, 1),
    meanStd(g.testAccuracy, 2, 100),
    meanStd(g.params, 0),
    meanStd(g.mmacs, 3),
    ...(latency ? [meanStd(g.predictedMs, 3), meanStd(g.measuredMs, 3)] : []),
  ]);
  return { header, rows };
}

/** The columns every job table ends with: the job's status and figures. */
export const jobFigureHeader = (latency: boolean) => ['status', 'search (s)', 'test accuracy (%)', 'params', 'MMACs', ...(latency ? ['predicted (ms)', 'measured (ms)'] : [])];

export function jobFigures(r: JobRow, latency: boolean): string[] {
  return [
    r.status === 'failed' ? `failed: ${r.error ?? ''}` : r.status,
    fixed(r.searchSeconds, 1),
    fixed(r.testAccuracy === undefined ? undefined : 100 * r.testAccuracy, 2),
    fixed(r.params, 0),
    fixed(r.mmacs, 3),
    ...(latency ? [fixed(r.predictedMs, 3), fixed(r.measuredMs ?? undefined, 3)] : []),
  ];
}

function table(header: string[], rows: string[][]): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** A number for a table: '–' when missing, thousands separated when whole. */
export const fixed = (x: number | undefined, digits: number) => (x === undefined ? '–' : digits === 0 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits));
/** mean ± std (the mean alone for one value), times k. */
export const meanStd = (s: Stat | undefined, digits: number, k = 1) => (s === undefined ? '–' : s.n > 1 ? `${fixed(k * s.mean, digits)} ± ${fixed(k * s.std, digits)}` : fixed(k * s.mean, digits));
