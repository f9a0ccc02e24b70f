// `prunas report`: one self-contained HTML page for a run folder — summary,
// chosen architecture with its costs, the architecture distribution over
// time, loss and accuracy curves, cost against accuracy of every evaluated
// architecture, pruning decisions and messages. Charts are inline SVG; the
// page loads nothing from anywhere.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { PrunasError } from '../errors.js';
import { architectureOf, choicesOf } from '../search/strategy.js';
import { architectureCost, architectureIndices, layersOf, opCost, searchableLayers, type SearchSpace } from '../space/index.js';
import { writeAtomically } from '../train/checkpoint.js';
import { costAccuracyChart, distributionChart, epochChart, MAX_POINTS_PER_CURVE, renderSvg, stepChart } from './charts.js';
import { readRun, type EventOf, type ReadRunOptions, type Run, type RunEvent } from './run.js';

export { readRun, type Run, type RunEvent, type ReadRunOptions } from './run.js';

export interface WriteReportOptions extends ReadRunOptions {
  /** default: RUN_DIR/report.html */
  out?: string;
}

/** Reads the run folder and writes its report; returns the file written. */
export async function writeReport(dir: string, options: WriteReportOptions = {}): Promise<string> {
  const run = await readRun(dir, options);
  const file = options.out ?? join(dir, 'report.html');
  if (!existsSync(dirname(file))) throw new PrunasError(`cannot write ${file}: folder ${dirname(file)} does not exist`);
  await writeAtomically(file, await renderReport(run));
  return file;
}

export async function renderReport(run: Run): Promise<string> {
  const of = <K extends RunEvent['type']>(type: K) => run.events.filter((e): e is EventOf<K> => e.type === type);
  const unit = costUnit(run.config);
  const sections = [
    summary(run, unit),
    architectureTable(run),
    await chart('distribution', 'Architecture distribution (softmax of α / θ) per layer', distributionChart(of('distribution'), run.space)),
    await chart('step-loss', 'Loss per step', stepChart(of('step'), 'loss'), averagedNote(of('step'))),
    await chart('step-accuracy', 'Accuracy per step', stepChart(of('step'), 'accuracy'), averagedNote(of('step'))),
    await chart('epoch-loss', 'Loss per epoch', epochChart(of('epoch'), 'loss')),
    await chart('epoch-accuracy', 'Accuracy per epoch', epochChart(of('epoch'), 'accuracy')),
    await chart('cost-accuracy', `Cost (${unit}) against validation accuracy of every evaluated architecture`, costAccuracyChart(evaluatedPoints(run), unit), chosenNote(run)),
    pruneList(run, of('prune')),
    messageList(of('message')),
    absent(run),
    run.config ? `<section><h2>Configuration</h2><pre>${esc(JSON.stringify(run.config, null, 2))}</pre></section>` : '',
  ];
  return page(`prunas report: ${basename(run.dir) || run.dir}`, sections);
}

/** The self-contained page: title, style, the non-empty sections in order. */
export function page(title: string, sections: string[]): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style></head>
<body><h1>${esc(title)}</h1>
${sections.filter(Boolean).join('\n')}
</body></html>
`;
}

export const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:0}figcaption,.note{color:#666;font-size:.9em}svg{max-width:100%;height:auto}
pre{background:#f6f6f6;padding:1em;overflow:auto}`;

/** A chart's section, or '' when the log has nothing for it (absent() then lists it at the end). */
export async function chart(id: string, title: string, spec: TopLevelSpec | undefined, note = ''): Promise<string> {
  if (!spec) return '';
  return `<section><h2>${esc(title)}</h2><figure id="${id}">${await renderSvg(spec)}${note ? `<figcaption>${esc(note)}</figcaption>` : ''}</figure></section>`;
}

function summary(run: Run, unit: string): string {
  const start = run.events.find((e) => e.type === 'start');
  const done = run.events.filter((e): e is EventOf<'done'> => e.type === 'done').pop();
  const epochs = run.events.filter((e) => e.type === 'epoch').length;
  const plannedEpochs = start?.epochs;
  const progress = typeof plannedEpochs === 'number' ? `${epochs} of ${plannedEpochs} epochs` : 'not yet';
  const rows: [string, string | undefined][] = [
    ['run folder', run.dir],
    ['strategy', typeof run.config?.strategy === 'string' ? run.config.strategy : undefined],
    ['space', run.space?.name ?? run.architecture?.space],
    ['started', start?.time],
    ['finished', done ? (done.time ?? 'yes') : progress],
    ['search time', done?.seconds === undefined ? undefined : `${done.seconds.toFixed(1)} s`],
    ['cost of the chosen architecture', done?.cost === undefined ? undefined : `${format(done.cost)} ${unit}`],
    ['events in the log', String(run.events.length)],
  ];
  return `<section><h2>Run</h2><table>${rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v!)}</td></tr>`)
    .join('')}</table></section>`;
}

function architectureTable(run: Run): string {
  const a = run.architecture;
  if (!a) return `<section><h2>Chosen architecture</h2><p class="note">no architecture.json, done event or training checkpoint naming one</p></section>`;
  const space = run.space;
  if (!space) {
    const rows = Object.entries(a.choices).map(([layer, op]) => `<tr><td>${esc(layer)}</td><td>${esc(op)}</td></tr>`);
    return `<section><h2>Chosen architecture (${esc(a.space)})</h2><table><tr><th>layer</th><th>op</th></tr>${rows.join('')}</table>
<p class="note">space ${esc(a.space)} is not a built-in space: no costs shown</p></section>`;
  }
  const indices = architectureIndices(space, a);
  const rows = searchableLayers(space).map((l, i) => {
    const c = opCost(l.candidates[indices[i]], l.input);
    return `<tr><td>${esc(l.stage)}</td><td>${esc(l.name)}</td><td>${esc(l.keys[indices[i]])}</td><td class="n">${format(c.macs / 1e6)}</td><td class="n">${c.params.toLocaleString('en-US')}</td></tr>`;
  });
  const total = architectureCost(space, a);
  rows.push(`<tr><th colspan="3">whole network (stem, fixed layers, head and classifier included)</th><th class="n">${format(total.macs / 1e6)}</th><th class="n">${total.params.toLocaleString('en-US')}</th></tr>`);
  return `<section><h2>Chosen architecture (${esc(space.name)})</h2><table><tr><th>stage</th><th>layer</th><th>op</th><th class="n">MMACs</th><th class="n">params</th></tr>${rows.join('')}</table></section>`;
}

/** Every evaluate event as a point; `chosen` where its architecture is the run's chosen one. */
function evaluatedPoints(run: Run): { cost: number; accuracy: number; step: number; chosen: boolean }[] {
  const key = architectureKey(run.space);
  const chosen = chosenChoices(run);
  const chosenKey = chosen ? key(chosen.choices, chosen.where) : undefined;
  return run.events
    .filter((e): e is EventOf<'evaluate'> => e.type === 'evaluate')
    .map((e) => ({ cost: e.cost, accuracy: e.accuracy, step: e.step, chosen: key(e.choices, `log.jsonl:${e.line}`) === chosenKey }));
}

function chosenNote(run: Run): string {
  const points = evaluatedPoints(run);
  if (points.some((p) => p.chosen)) return `${points.length} architectures evaluated; red diamond: the chosen architecture`;
  return `${points.length} architectures evaluated; the chosen architecture ${chosenChoices(run) ? 'was not among them' : 'is not known'}`;
}

function chosenChoices(run: Run): { choices: number[]; where: string } | undefined {
  const done = run.events.filter((e): e is EventOf<'done'> => e.type === 'done').pop();
  if (done?.choices) return { choices: done.choices, where: `log.jsonl:${done.line}` };
  if (run.space && run.architecture) return { choices: choicesOf(run.space, run.architecture), where: 'architecture.json' };
  return undefined;
}

/** Supernet-layer choices → a comparable key; with the space, a removed layer and its `zero` are the same architecture. */
function architectureKey(space: SearchSpace | undefined): (choices: number[], where: string) => string {
  if (!space) return (choices) => choices.join(',');
  return (choices, where) => {
    try {
      return JSON.stringify(architectureOf(space, choices).choices);
    } catch (e) {
      throw new PrunasError(`${where}: ${(e as Error).message}`);
    }
  };
}

/** What the log holds none of, in one line. */
function absent(run: Run): string {
  const kinds: [RunEvent['type'], string][] = [['distribution', 'architecture distributions'], ['step', 'step losses'], ['epoch', 'epoch metrics'], ['evaluate', 'evaluated architectures'], ['prune', 'pruning decisions']];
  const missing = kinds.filter(([type]) => !run.events.some((e) => e.type === type)).map(([, what]) => what);
  return missing.length ? `<p class="note" id="absent">Not in this log: ${esc(missing.join(', '))}.</p>` : '';
}

function pruneList(run: Run, events: EventOf<'prune'>[]): string {
  if (events.length === 0) return '';
  const layers = run.space ? layersOf(run.space) : undefined;
  const rows = events.map((e) => {
    const layer = layers?.[e.layer];
    const candidate = e.candidate === 'layer' ? 'whole layer' : (layer?.keys[e.candidate] ?? `candidate ${e.candidate}`);
    return `<tr><td class="n">${e.step}</td><td>${esc(layer?.name ?? `layer ${e.layer}`)}</td><td>${esc(candidate)}</td><td>${esc(e.reason)}</td></tr>`;
  });
  return `<section><h2>Pruning decisions</h2><table><tr><th class="n">step</th><th>layer</th><th>removed</th><th>reason</th></tr>${rows.join('')}</table></section>`;
}

function messageList(events: EventOf<'message'>[]): string {
  if (events.length === 0) return '';
  return `<section><h2>Messages</h2><ul>${events.map((e) => `<li>${e.time ? `<span class="note">${esc(e.time)}</span> ` : ''}${esc(e.text)}</li>`).join('')}</ul></section>`;
}

function averagedNote(events: EventOf<'step'>[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.phase, (counts.get(e.phase) ?? 0) + 1);
  const longest = Math.max(0, ...counts.values());
  return longest > MAX_POINTS_PER_CURVE ? `long phases are drawn as means over windows of up to ${Math.ceil(longest / MAX_POINTS_PER_CURVE)} steps` : '';
}

function costUnit(config: Record<string, unknown> | undefined): string {
  const unit = config?.costUnit ?? (config?.cost as { unit?: unknown } | undefined)?.unit;
  return typeof unit === 'string' ? unit : 'cost';
}

const format = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
