// The page of a whole sweep (`prunas sweep`): the strategy × target table,
// every job, and two charts over all finished jobs: test accuracy against
// cost (measured latency with a latency table, multiply-adds without) and
// against search time, one colour per strategy.
import type { TopLevelSpec } from 'vega-lite';
import { groupTable, jobFigureHeader, jobFigures, type SweepSummary } from '../sweep/summary.js';
import { chart, esc, page } from './report.js';

export async function renderSweepReport(s: SweepSummary): Promise<string> {
  const done = s.jobs.filter((r) => r.status === 'done' && r.testAccuracy !== undefined);
  const latency = s.latencyTable !== null;
  const cost = (r: (typeof done)[number]) => (latency ? (r.measuredMs ?? r.predictedMs) : r.mmacs);
  const costTitle = latency ? 'latency (ms; measured, else predicted)' : 'multiply-adds (M)';
  const points = done.map((r) => ({ job: r.id, strategy: r.strategy, target: r.target === null ? 'none' : String(r.target), cost: cost(r), seconds: r.searchSeconds, accuracy: r.testAccuracy }));
  const sections = [
    `<section><h2>Sweep</h2><table>${[
      ['space', s.space],
      ['jobs', `${s.jobs.length} (${done.length} done, ${s.jobs.filter((r) => r.status === 'failed').length} failed)`],
      ['targets in', s.targetUnit],
      ['latency table', s.latencyTable ?? 'none'],
      ['training recipe', JSON.stringify(s.train)],
    ]
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
      .join('')}</table></section>`,
    groupSection(s),
    await chart('cost-accuracy', `Test accuracy against ${costTitle}`, scatter(points, 'cost', costTitle)),
    await chart('time-accuracy', 'Test accuracy against search time', scatter(points, 'seconds', 'search time (s)')),
    jobSection(s),
    s.notes.length ? `<section><h2>Notes</h2><ul>${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : '',
  ];
  return page(`prunas sweep: ${s.space}`, sections);
}

function scatter(points: object[], x: string, title: string): TopLevelSpec | undefined {
  if (points.length === 0) return undefined;
  return {
    data: { values: points },
    width: 520,
    height: 340,
    mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
    encoding: {
      x: { field: x, type: 'quantitative', title, scale: { zero: false } },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', axis: { format: '%' }, scale: { zero: false } },
      color: { field: 'strategy', type: 'nominal', title: 'strategy' },
      shape: { field: 'target', type: 'nominal', title: 'target' },
    },
  };
}

function groupSection(s: SweepSummary): string {
  const { header, rows } = groupTable(s);
  return `<section><h2>Strategy × target</h2><p class="note">mean ± sample standard deviation over the seeds that finished</p><table id="groups"><tr>${header.map((h, i) => `<th${i > 1 ? ' class="n"' : ''}>${esc(h)}</th>`).join('')}</tr>${rows
    .map((cells) => `<tr>${cells.map((c, i) => `<td${i > 1 ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</table></section>`;
}

function jobSection(s: SweepSummary): string {
  const latency = s.latencyTable !== null;
  const head = ['job', 'seed', ...jobFigureHeader(latency)];
  const rows = s.jobs.map((r) => [r.id, String(r.seed), ...jobFigures(r, latency)]);
  return `<section><h2>Jobs</h2><table id="jobs"><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table></section>`;
}
