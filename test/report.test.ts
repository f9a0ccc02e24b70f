// prunas report: a synthetic search run folder (every event type) becomes one
// self-contained HTML page with a rendered SVG per chart; a real training
// run folder gets its curves too; bad logs fail naming the line.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSpace } from '../src/cli/data.js';
import { evenly, windowMeans } from '../src/report/charts.js';
import { readRun, writeReport } from '../src/report/report.js';
import { architectureCostOf, flopsCostModel } from '../src/search/cost-model.js';
import { architectureOf } from '../src/search/strategy.js';
import { architectureFromIndices, layersOf, proxylessSmall, searchableLayers } from '../src/space/index.js';
import { prunas } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'prunas-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const space = proxylessSmall();
const layers = layersOf(space);
const model = flopsCostModel(space);
const time = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** Supernet-layer choices: fixed layer 0, searchable ones from `pick(layer index)`. */
const choicesBy = (pick: (i: number) => number) => layers.map((l, i) => (l.searchable ? pick(i) : 0));
// chosen: s1b2 removed (−1) — the same architecture as choosing its `zero`, which one evaluation does
const chosen = choicesBy((i) => (i === 2 ? -1 : i % 3));
const chosenViaZero = chosen.map((j, i) => (j < 0 ? layers[i].keys.indexOf('zero') : j));
const others = [choicesBy(() => 0), choicesBy(() => 1), choicesBy((i) => (i % 2 ? 5 : 0))];

function searchRun(name: string, log?: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const architecture = architectureOf(space, chosen);
  const events: object[] = [{ type: 'start', resumedAtUnit: 0, total: 12 }];
  for (let step = 1; step <= 6; step++) {
    events.push({ type: 'step', phase: 'weights', step, loss: 2.3 - 0.1 * step, accuracy: 0.1 + 0.05 * step });
    events.push({ type: 'step', phase: 'arch', step, loss: 2.4 - 0.1 * step, accuracy: 0.1 + 0.04 * step });
    if (step % 2 === 0)
      events.push({ type: 'distribution', step, probabilities: layers.map((l) => l.keys.map((_, j) => (j === 0 ? 1 - (l.keys.length - 1) * 0.01 * step : 0.01 * step))) });
  }
  events.push({ type: 'prune', step: 4, layer: 1, candidate: 5, reason: 'lowest probability' });
  events.push({ type: 'prune', step: 5, layer: 2, candidate: 'layer', reason: 'zero dominates' });
  [...others, chosenViaZero].forEach((choices, k) => events.push({ type: 'evaluate', step: 6, choices, accuracy: 0.6 + 0.05 * k, cost: architectureCostOf(model, choices) }));
  events.push({ type: 'epoch', epoch: 0, trainLoss: 1.9, valLoss: 2.0, trainAccuracy: 0.4, valAccuracy: 0.35, seconds: 3 });
  events.push({ type: 'epoch', epoch: 1, trainLoss: 1.5, valLoss: 1.7, trainAccuracy: 0.5, valAccuracy: 0.45, seconds: 3 });
  events.push({ type: 'message', text: 'warm-up done <ok>' });
  events.push({ type: 'checkpoint', unit: 12 });
  events.push({ type: 'done', units: 12, seconds: 42.5, choices: chosen, architecture, cost: architectureCostOf(model, chosen) });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ strategy: 'darts', space: 'proxyless-small', seed: 1, costUnit: 'MMACs' }));
  writeFileSync(join(dir, 'architecture.json'), JSON.stringify(architecture));
  writeFileSync(join(dir, 'log.jsonl'), log ?? events.map((e, i) => JSON.stringify({ time: time(i), ...e })).join('\n') + '\n');
  return dir;
}

/** The <figure> of one chart. */
function figure(html: string, id: string): string {
  const m = html.match(new RegExp(`<figure id="${id}">([\\s\\S]*?)</figure>`));
  expect(m, `figure ${id}`).not.toBeNull();
  return m![1];
}

describe('prunas report', () => {
  it('renders every chart as inline SVG, the chosen architecture and the pruning decisions, loading nothing from outside', async () => {
    const dir = searchRun('search');
    const file = await writeReport(dir, { resolveSpace });
    expect(file).toBe(join(dir, 'report.html'));
    const html = readFileSync(file, 'utf8');

    for (const id of ['distribution', 'step-loss', 'step-accuracy', 'epoch-loss', 'epoch-accuracy', 'cost-accuracy']) expect(figure(html, id)).toMatch(/^<svg[^>]*class="marks"/);
    // one facet per searchable layer, one line per candidate
    const distribution = figure(html, 'distribution');
    for (const l of searchableLayers(space)) expect(distribution).toContain(`>${l.name}</text>`);
    expect(distribution).not.toContain('>first</text>');
    expect(distribution).toContain('>zero</text>');
    for (const phase of ['weights', 'arch']) expect(figure(html, 'step-loss')).toContain(`>${phase}</text>`);
    for (const series of ['trainLoss', 'valLoss']) expect(figure(html, 'epoch-loss')).toContain(`>${series}</text>`);
    for (const series of ['trainAccuracy', 'valAccuracy']) expect(figure(html, 'epoch-accuracy')).toContain(`>${series}</text>`);
    expect(figure(html, 'epoch-loss')).not.toContain('>seconds</text>');

    // the chosen architecture (s1b2 removed ≡ zero) is the one highlighted evaluation
    const scatter = figure(html, 'cost-accuracy');
    expect(scatter.match(/fill="#d62728"/g)).toHaveLength(1);
    expect(scatter).toContain('cost (MMACs)');
    expect(html).toContain('red diamond: the chosen architecture');

    const architecture = architectureOf(space, chosen);
    expect(architecture.choices.s1b2).toBe('zero');
    for (const [layer, op] of Object.entries(architecture.choices)) expect(html).toMatch(new RegExp(`<td>${layer}</td><td>${op}</td>`));
    // the table's whole-network MACs (space/cost.ts) agree with the cost model's (search/cost-model.ts)
    const total = html.match(/whole network[^<]*<\/th><th class="n">([\d.]+)<\/th>/);
    expect(Number(total![1])).toBeCloseTo(architectureCostOf(model, chosen), 1);

    expect(html).toMatch(/<td class="n">4<\/td><td>s1b1<\/td><td>mbconv_k7_e6<\/td><td>lowest probability<\/td>/);
    expect(html).toMatch(/<td>s1b2<\/td><td>whole layer<\/td><td>zero dominates<\/td>/);
    expect(html).toContain('warm-up done &#60;ok&#62;');
    expect(html).toContain('42.5 s');
    expect(html).not.toContain('Not in this log');

    // self-contained: apart from SVG namespace names, no URL, script, stylesheet link or import
    expect(html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '').match(/https?:|<script|<link|@import|url\((?!#)/gi)).toBeNull();
  });

  it('without a resolvable space: layers and candidates by position, architecture without costs', async () => {
    const dir = searchRun('unknown-space');
    writeFileSync(join(dir, 'architecture.json'), JSON.stringify({ space: 'my-space', choices: { a: 'mbconv_k3_e3', b: 'zero' } }));
    const html = readFileSync(await writeReport(dir, { resolveSpace }), 'utf8');
    expect(html).toContain('space my-space is not a built-in space: no costs shown');
    expect(html).toMatch(/<td>a<\/td><td>mbconv_k3_e3<\/td><\/tr><tr><td>b<\/td><td>zero<\/td>/);
    expect(figure(html, 'distribution')).toContain('>layer 8</text>');
    expect(figure(html, 'distribution')).toContain('>candidate 6</text>');
    expect(html).toMatch(/<td class="n">4<\/td><td>layer 1<\/td><td>candidate 5<\/td>/);
    // without the space, the chosen choices (s1b2 removed: −1) cannot be matched with the evaluation that chose its zero
    expect(figure(html, 'cost-accuracy').match(/fill="#d62728"/g)).toBeNull();
    writeFileSync(join(dir, 'architecture.json'), '{"space": ');
    await expect(readRun(dir)).rejects.toThrow(/architecture\.json: not valid JSON/);
  });

  it('fails naming the file and line of a malformed log line', async () => {
    const good = JSON.stringify({ type: 'message', text: 'hi' });
    const cases: [string, string, RegExp][] = [
      ['not-json', `${good}\n${good}\n{"type": "step",\n${good}\n`, /log\.jsonl:3: not valid JSON/],
      ['bad-field', `${good}\n${JSON.stringify({ type: 'step', phase: 'weights', step: 1, loss: 'high', accuracy: 0.5 })}\n`, /log\.jsonl:2: step event: loss/],
      ['no-type', `${good}\n[1, 2]\n`, /log\.jsonl:2: expected an event object/],
      ['bad-prune', `${JSON.stringify({ type: 'prune', step: 1, layer: 1.5, candidate: 0, reason: '' })}\n`, /log\.jsonl:1: prune event: layer/],
    ];
    for (const [name, log, message] of cases) await expect(readRun(searchRun(name, log)), name).rejects.toThrow(message);
  });

  it('skips a last line still being written and events of other kinds', async () => {
    const log = `${JSON.stringify({ type: 'message', text: 'a' })}\n${JSON.stringify({ type: 'checkpoint', unit: 3 })}\n{"type": "mess`;
    const run = await readRun(searchRun('live', log));
    expect(run.events.map((e) => `${e.type}:${e.line}`)).toEqual(['message:1']);
  });

  it('thins long curves: window means and evenly spaced snapshots', () => {
    const points = Array.from({ length: 1001 }, (_, i) => [i, i * i] as const);
    const means = windowMeans(points, 500);
    expect(means).toHaveLength(334); // windows of 3, the last one holds 2
    expect(means[1]).toEqual([4, (9 + 16 + 25) / 3]);
    expect(means[333]).toEqual([999.5, (999 ** 2 + 1000 ** 2) / 2]);
    expect(windowMeans(points.slice(0, 10), 500)).toEqual(points.slice(0, 10));
    const picked = evenly(Array.from({ length: 1000 }, (_, i) => i), 150);
    expect(picked).toHaveLength(150);
    expect([picked[0], picked[149]]).toEqual([0, 999]);
    expect(new Set(picked).size).toBe(150);
  });

  it('reports a real training run folder from prunas train, and fails with one line on a missing or empty folder', () => {
    const archFile = join(root, 'arch.json');
    // a small network: zero where the layer allows it
    const architecture = architectureFromIndices(space, searchableLayers(space).map((l) => Math.max(0, l.keys.indexOf('zero'))));
    writeFileSync(archFile, JSON.stringify(architecture));
    const run = join(root, 'train');
    const t = prunas('train', '--arch', archFile, '--epochs', '2', '--subset', '64', '--batch-size', '32', '--out', run, '--progress', 'none');
    expect(t.code, t.stderr).toBe(0);

    const out = join(root, 'train-report.html');
    const r = prunas('report', run, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    for (const id of ['epoch-loss', 'epoch-accuracy']) expect(figure(html, id)).toMatch(/^<svg/);
    for (const series of ['trainLoss', 'testLoss']) expect(figure(html, 'epoch-loss')).toContain(`>${series}</text>`);
    for (const [layer, op] of Object.entries(architecture.choices)) expect(html).toMatch(new RegExp(`<td>${layer}</td><td>${op}</td>`));
    expect(html).not.toContain('id="distribution"');
    expect(html).toContain('Not in this log: architecture distributions, step losses, evaluated architectures, pruning decisions.');
    expect(html).toMatch(/<th>finished<\/th><td>2 of 2 epochs<\/td>/);
    expect(existsSync(join(run, 'report.html'))).toBe(false);

    const badOut = prunas('report', run, '--out', join(root, 'no-such-folder', 'r.html'));
    expect(badOut.code).not.toBe(0);
    expect(badOut.stderr.trim().split('\n')).toHaveLength(1);
    expect(badOut.stderr).toMatch(/no-such-folder does not exist/);

    const missing = prunas('report', join(root, 'nope'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope does not exist/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const noLog = prunas('report', empty);
    expect(noLog.code).not.toBe(0);
    expect(noLog.stderr.trim().split('\n')).toHaveLength(1);
    expect(noLog.stderr).toMatch(/no log\.jsonl/);
  });
});
