// Latency tables: the native timing loop (sample count, bounded by wall time
// measured outside it, off the event loop), a table that covers every op of
// the space with its header, the protobuf round trip and JSON view, the cost
// model (prediction = sum of entries; another space or another width of it
// refused by name), validation against end-to-end timings, and the CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePlan, pathPlan, planOf } from '../src/engine/plan.js';
import { PrunasError, PrunasRangeError } from '../src/errors.js';
import { entryKey, latencyCostModel, opsToTime, profileSpace, readTable, sampleChoices, tableJson, validateTable, writeTable, type LatencyTable } from '../src/latency/index.js';
import { native } from '../src/native.js';
import { architectureCostOf } from '../src/search/cost-model.js';
import { layersOf, proxylessCifar, proxylessSmall } from '../src/space/index.js';
import { prunas } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-latency-'));
const space = proxylessSmall({ widthMult: 0.25 });
const timeOpAsync = native.timeOpAsync as unknown as (a: Record<string, unknown>) => Promise<Float64Array>;
const timeNetworkAsync = native.timeNetworkAsync as unknown as (a: Record<string, unknown>) => Promise<Float64Array>;
const timeOp = native.timeOp as unknown as (a: Record<string, unknown>) => Float64Array;

let table: LatencyTable;
let threadsBefore: number;
let threadsAfterProfile: number;
beforeAll(async () => {
  threadsBefore = native.buildInfo().threads;
  native.setThreads(3);
  table = await profileSpace(space, { batch: 2, threads: 1, warmup: 2, repeats: 5 });
  threadsAfterProfile = native.buildInfo().threads;
  // time on one thread: the machine may be busy, and a pool thread waiting for a core stalls every op
  native.setThreads(1);
});
afterAll(() => void native.setThreads(threadsBefore));

describe('native timing', () => {
  const op = { op: 2, batch: 2, height: 14, width: 14, cin: 8, cout: 8, kernel: 5, expand: 6, stride: 1, act: 2, residual: true, warmup: 2 };

  it('returns one time per repeat, each positive, their sum within the wall time of the call', async () => {
    const started = performance.now();
    const ms = await timeOpAsync({ ...op, repeats: 40 });
    const wall = performance.now() - started;
    expect(ms).toBeInstanceOf(Float64Array);
    expect(ms.length).toBe(40);
    for (const t of ms) expect(t).toBeGreaterThan(0);
    expect(ms.reduce((s, t) => s + t, 0)).toBeLessThanOrEqual(wall);
  });

  it('runs off the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    await timeOpAsync({ ...op, batch: 4, height: 28, width: 28, repeats: 400 });
    const wall = performance.now() - started;
    clearInterval(timer);
    expect(wall).toBeGreaterThan(20); // long enough for the timer to fire while the job runs
    expect(ticks).toBeGreaterThan(0);
  });

  it('times the work it is given: 32 images take longer than one, even at their fastest', () => {
    // minima, not medians: a loaded machine preempts some repeats, never speeds one up; 32× the work leaves a wide margin
    const fastest = (ms: Float64Array) => Math.min(...ms);
    const one = fastest(timeOp({ ...op, batch: 1, height: 28, width: 28, repeats: 9 }));
    const many = fastest(timeOp({ ...op, batch: 32, height: 28, width: 28, repeats: 9 }));
    expect(many).toBeGreaterThan(2 * one);
  });

  it('rejects bad shapes with errors naming the argument', async () => {
    expect(() => timeOp({ ...op, cout: 16, repeats: 2 })).toThrow(/timeOp: residual: only an MBConv with stride 1 and cin = cout/);
    expect(() => timeOp({ ...op, kernel: 4, repeats: 2 })).toThrow(/timeOp: kernel must be odd, got 4/);
    expect(() => timeOp({ ...op, repeats: 0 })).toThrow(RangeError);
    // arguments are checked on the JS thread, before a job is queued
    expect(() => timeOpAsync({ ...op, op: 7, repeats: 1 })).toThrow(/timeOpAsync: op must be in \[0, 3\], got 7/);
    const multi = nativePlan(planOf(space));
    await expect(timeNetworkAsync({ ...multi, batch: 1, repeats: 1 })).rejects.toThrow(/layers\[1\] has 6 candidates: a network to time has one op per layer/);
  });
});

describe('profileSpace', () => {
  it('has an entry for every candidate of every layer, the stem, head and classifier, keyed by shape', () => {
    const expected: string[] = ['stem'];
    for (const layer of layersOf(space)) layer.candidates.forEach((_, k) => expected.push(`${layer.name}#${k}`));
    expected.push('head', 'classifier');
    expect(table.entries.map((e) => (e.kind === 'stem' || e.kind === 'head' || e.kind === 'classifier' ? e.kind : `${e.layer}#${e.candidate}`))).toEqual(expected);
    const ops = opsToTime(space);
    table.entries.forEach((e, i) => {
      expect(e.key).toBe(entryKey(ops[i], 2));
      if (e.kind === 'zero') {
        expect(e.medianMs).toBe(0);
        expect(e.repeats).toBe(0);
      } else {
        expect(e.medianMs).toBeGreaterThan(0);
        expect(e.minMs).toBeLessThanOrEqual(e.medianMs);
        expect(e.spreadMs).toBeGreaterThanOrEqual(0);
        expect(e.repeats).toBe(5);
      }
    });
    // each at its layer's exact input shape and width
    const byName = new Map(layersOf(space).map((l) => [l.name, l]));
    for (const e of table.entries.filter((e) => byName.has(e.layer))) {
      const layer = byName.get(e.layer)!;
      expect(e.input).toEqual({ height: layer.input.height, width: layer.input.width, channels: layer.input.channels });
      expect(e.out).toBe(layer.out);
    }
  });

  it('names the device, versions, batch, dtype and date in the header, and restores the thread count', () => {
    expect(table.device).toMatchObject({ kind: 'cpu', cpuModel: cpus()[0].model.trim(), threads: 1, logicalCpus: cpus().length });
    expect(['avx512', 'avx2', 'portable']).toContain(table.device.vectorPath);
    expect(table).toMatchObject({ formatVersion: 1, spaceName: 'proxyless-small', batch: 2, dtype: 'float32', nodeVersion: process.version, napiVersion: process.versions.napi, warmup: 2, repeats: 5 });
    expect(table.prunasVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(table.loadAverage).toBeGreaterThanOrEqual(0);
    expect(new Date(table.date).toISOString()).toBe(table.date);
    expect(JSON.parse(table.spaceJson)).toEqual(JSON.parse(JSON.stringify(space)));
    expect(threadsAfterProfile).toBe(3);
  });

  it('rejects bad options naming the field', async () => {
    await expect(profileSpace(space, { batch: 0 })).rejects.toThrow(/profile options: batch/);
    await expect(profileSpace(space, { repeats: 2.5 })).rejects.toThrow(/profile options: repeats/);
    await expect(profileSpace(space, { warmpu: 3 } as never)).rejects.toThrow(/warmpu/);
  });
});

describe('table files', () => {
  it('round-trips through protobuf, and the JSON view holds the same entries and the space', async () => {
    const file = join(dir, 'table.pb');
    await writeTable(file, table);
    expect(await readTable(file)).toEqual(table);
    const view = JSON.parse(JSON.stringify(tableJson(table)));
    expect(view.entries).toEqual(JSON.parse(JSON.stringify(table.entries)));
    expect(view.space).toEqual(JSON.parse(table.spaceJson));
    expect(view.device.cpuModel).toBe(table.device.cpuModel);
  });

  it('refuses a missing file, a file that is not a table, and an unknown format version', async () => {
    await expect(readTable(join(dir, 'none.pb'))).rejects.toThrow(PrunasError);
    await expect(readTable(join(dir, 'none.pb'))).rejects.toThrow(/cannot read latency table .*none\.pb \(ENOENT\)/);
    const text = join(dir, 'text.pb');
    writeFileSync(text, 'this is not a latency table at all');
    await expect(readTable(text)).rejects.toThrow(/text\.pb: not a prunas latency table/);
    const future = join(dir, 'future.pb');
    await writeTable(future, { ...table, formatVersion: 99 });
    await expect(readTable(future)).rejects.toThrow(/format version 99, this prunas reads versions 1 to 2/);
  });
});

describe('latencyCostModel', () => {
  it('predicts an architecture as stem + head + classifier + one entry per layer (zero: 0)', () => {
    const model = latencyCostModel(table, space);
    expect(model.unit).toBe('ms');
    expect(model.candidates.map((row) => row.length)).toEqual(layersOf(space).map((l) => l.candidates.length));
    const median = (kind: string, layer: string, candidate: number) => table.entries.find((e) => e.kind === kind && e.layer === layer && e.candidate === candidate)!.medianMs;
    expect(model.fixed).toBeCloseTo(median('stem', 'stem', 0) + median('head', 'head', 0) + median('classifier', 'classifier', 0), 12);
    for (const choices of sampleChoices(space, 5, 3)) {
      let sum = model.fixed;
      layersOf(space).forEach((layer, i) => {
        const op = layer.candidates[choices[i]];
        sum += op.kind === 'zero' ? 0 : table.entries.find((e) => e.layer === layer.name && e.candidate === choices[i])!.medianMs;
      });
      expect(architectureCostOf(model, choices)).toBeCloseTo(sum, 12);
    }
  });

  it('refuses a table from another space, or from another width of the same space, naming the mismatch', () => {
    expect(() => latencyCostModel(table, proxylessCifar())).toThrow(PrunasRangeError);
    expect(() => latencyCostModel(table, proxylessCifar())).toThrow(/profiled for space "proxyless-small", not "proxyless-cifar"/);
    expect(() => latencyCostModel(table, proxylessSmall({ widthMult: 0.5 }))).toThrow(/another configuration of space "proxyless-small" \(s1b1: ".*28x28x8->8 .*" there, ".*28x28x8->16 .*" here\)/);
  });
});

describe('validateTable', () => {
  it('times sampled architectures end to end and reports shares within ±5% and ±10%', async () => {
    const report = await validateTable(table, space, { count: 6, seed: 1 });
    expect(report.count).toBe(6);
    expect(report.architectures).toHaveLength(6);
    const model = latencyCostModel(table, space);
    const expectedChoices = sampleChoices(space, 6, 1);
    report.architectures.forEach((a, i) => {
      expect(a.choices).toEqual(expectedChoices[i]);
      expect(a.predictedMs).toBeCloseTo(architectureCostOf(model, a.choices), 12);
      expect(a.measuredMs).toBeGreaterThan(0);
      expect(a.relativeError).toBeCloseTo((a.predictedMs - a.measuredMs) / a.measuredMs, 12);
      expect(Object.keys(a.architecture.choices)).toHaveLength(layersOf(space).filter((l) => l.searchable).length);
    });
    const errors = report.architectures.map((a) => Math.abs(a.relativeError));
    for (const share of [report.within5, report.within10]) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    expect(report.within5).toBe(errors.filter((e) => e <= 0.05).length / 6);
    expect(report.within10).toBe(errors.filter((e) => e <= 0.1).length / 6);
    // a loose check that predictions and measurements are the same magnitude
    expect(report.meanAbsRelativeError).toBeLessThan(0.5);
    expect(report.loadAverage).toBeGreaterThanOrEqual(0);
  });

  it('refuses a table measured on another CPU model, and bad options', async () => {
    const elsewhere = { ...table, device: { ...table.device, cpuModel: 'Some Other CPU' } };
    await expect(validateTable(elsewhere, space, { count: 1 })).rejects.toThrow(/measured on "Some Other CPU", this machine is/);
    await expect(validateTable(table, space, { count: 0 })).rejects.toThrow(/validate options: count/);
  });

  it('samples architectures deterministically from the seed, uniformly over the candidates', () => {
    expect(sampleChoices(space, 4, 7)).toEqual(sampleChoices(space, 4, 7));
    expect(sampleChoices(space, 4, 7)).not.toEqual(sampleChoices(space, 4, 8));
    const layers = layersOf(space);
    const draws = sampleChoices(space, 3000, 2);
    layers.forEach((layer, i) => {
      const counts = new Array<number>(layer.candidates.length).fill(0);
      for (const d of draws) counts[d[i]]++;
      if (!layer.searchable) expect(counts).toEqual([3000]);
      else for (const c of counts) expect(Math.abs(c - 3000 / counts.length)).toBeLessThan(5 * Math.sqrt(3000 / counts.length));
    });
  });

  it('measures the end-to-end network of the architecture, not the supernet', async () => {
    // a net with every layer at its dearest op takes longer than one at its cheapest
    const layers = layersOf(space);
    const cheapest = layers.map((l) => (l.candidates.some((c) => c.kind === 'zero') ? l.candidates.length - 1 : 0));
    const dearest = layers.map((l) => (l.searchable ? 5 : 0));
    const median = async (choices: number[]) => {
      const ms = await timeNetworkAsync({ ...nativePlan(pathPlan(planOf(space), choices)), batch: 2, warmup: 2, repeats: 9 });
      return Float64Array.from(ms).sort()[4];
    };
    expect(await median(dearest)).toBeGreaterThan(1.5 * (await median(cheapest)));
  });
});

describe('prunas profile', () => {
  const spaceFile = join(dir, 'small.json');
  writeFileSync(spaceFile, JSON.stringify(space));
  const tableFile = join(dir, 'cli-table.pb');

  it('profiles, prints the JSON view, and validates', () => {
    const p = prunas('profile', '--space', spaceFile, '--batch', '1', '--threads', '1', '--warmup', '1', '--repeats', '3', '--out', tableFile);
    expect(p.stderr).toMatch(/profiling 57 ops of proxyless-small at batch 1/);
    expect(p.code).toBe(0);
    const summary = JSON.parse(p.stdout);
    expect(summary).toMatchObject({ table: tableFile, space: 'proxyless-small', entries: 57, device: { threads: 1 } });
    expect(summary.rangeMs[0]).toBeLessThan(summary.rangeMs[1]);

    const j = prunas('profile', '--json', tableFile);
    expect(j.code).toBe(0);
    const view = JSON.parse(j.stdout);
    expect(view.entries).toHaveLength(57);
    expect(view).toMatchObject({ spaceName: 'proxyless-small', batch: 1, dtype: 'float32', repeats: 3 });

    const v = prunas('profile', '--validate', tableFile, '--count', '3');
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/3\/3: predicted .* ms, measured .* ms/);
    const shares = JSON.parse(v.stdout);
    expect(shares.count).toBe(3);
    for (const key of ['within5', 'within10']) {
      expect(shares[key]).toBeGreaterThanOrEqual(0);
      expect(shares[key]).toBeLessThanOrEqual(1);
    }
  });

  const bad: [string, () => string[], RegExp, number][] = [
    ['a missing table', () => ['profile', '--validate', join(dir, 'missing.pb')], /cannot read latency table .*missing\.pb/, 1],
    ['a table from another space', () => ['profile', '--validate', tableFile, '--space', 'proxyless-cifar'], /profiled for space "proxyless-small", not "proxyless-cifar"/, 2],
    ['a table from another width of the space', () => ['profile', '--validate', tableFile, '--space', 'proxyless-small'], /another configuration of space "proxyless-small"/, 2],
    ['a file that is not a table', () => ['profile', '--json', spaceFile], /small\.json: not a prunas latency table/, 1],
    ['no --out', () => ['profile', '--space', 'proxyless-small'], /profile needs --out/, 2],
    ['no --space', () => ['profile', '--out', join(dir, 'x.pb')], /profile needs --space/, 2],
    ['an unknown space', () => ['profile', '--space', 'nope', '--out', join(dir, 'x.pb')], /unknown space "nope"/, 2],
    ['a zero batch', () => ['profile', '--space', 'proxyless-small', '--batch', '0', '--out', join(dir, 'x.pb')], /--batch must be a positive integer, got "0"/, 2],
    ['a negative warmup', () => ['profile', '--space', 'proxyless-small', '--warmup', '-1', '--out', join(dir, 'x.pb')], /profile options: warmup/, 2],
  ];
  for (const [what, args, message, code] of bad) {
    it(`fails with one line on ${what}`, () => {
      const r = prunas(...args());
      expect(r.code).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
