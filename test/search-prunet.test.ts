// PruNet (src/search/prunet.ts) on a tiny space with Prunodes: shrinks, block
// pruning and layer pruning happen and the supernet follows them; a search
// stopped by the runner anywhere (just after a shrink or a removal included)
// and resumed writes the same log as an uninterrupted one; Prunode costs per
// width (multiply-adds and latency-table entries); bad configs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { Supernet } from '../src/engine/supernet.js';
import { entryKey, latencyCostModel, opsToTime, profileSpace, readTable, validateTable, writeTable, type LatencyTable } from '../src/latency/index.js';
import { native } from '../src/native.js';
import { flopsCostModel } from '../src/search/cost-model.js';
import { createPrunet, type PrunetStrategy } from '../src/search/prunet.js';
import { runSearch } from '../src/search/runner.js';
import type { SearchContext, SearchEvent } from '../src/search/strategy.js';
import { defineSpace, layersOf, opCost, prunetSmall, prunodeCost } from '../src/space/index.js';
import { CONFIG, mb, pn, tinyData, ZERO } from './helpers/prunet-fixture.js';

native.setThreads(1);

// candidate counts per supernet layer: 1 (fixed), 3, 2, 3
const tiny = defineSpace({
  name: 'tiny-prunet',
  input: { height: 8, width: 8, channels: 1 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [
    {
      name: 's',
      layers: [
        { name: 'first', op: mb(3, 1, 1, 8) },
        { name: 'a', candidates: [pn(3, 1, 8, 8), mb(5, 3, 1, 8), ZERO] },
        { name: 'b', candidates: [pn(3, 2, 12, 8), mb(5, 3, 2, 12)] },
        { name: 'c', candidates: [mb(3, 3, 1, 12), mb(5, 1, 1, 12), ZERO] },
      ],
    },
  ],
  head: { out: 16 },
});

const datasets: Dataset[] = [];
afterAll(() => datasets.forEach((d) => d.dispose()));
const data = tinyData();
const train = data.train;
datasets.push(train);

const NET_SEED = 6;
const SEED = 5;

function context(net: Supernet, events: SearchEvent[]): SearchContext {
  return { space: tiny, net, data, cost: flopsCostModel(tiny), seed: SEED, emit: (e) => events.push(e) };
}

async function run(strategy: PrunetStrategy, ctx: SearchContext): Promise<void> {
  while (!(await strategy.advance(ctx)));
}

describe('PruNet search', () => {
  it('shrinks Prunodes, removes weak candidates and a layer, and the supernet follows', async () => {
    const net = new Supernet(tiny, NET_SEED);
    const events: SearchEvent[] = [];
    const strategy = createPrunet(CONFIG, tiny, flopsCostModel(tiny));
    const ctx = context(net, events);
    let prunes = 0;
    let finished = false;
    while (!finished) {
      const before = net.memoryStats().parameterBytes;
      finished = await strategy.advance(ctx);
      const now = events.filter((e) => e.type === 'prune').length;
      // every decision frees its memory at once (an architecture step allocates nothing)
      if (now > prunes) expect(net.memoryStats().parameterBytes).toBeLessThan(before);
      prunes = now;
    }
    const prune = events.filter((e): e is Extract<SearchEvent, { type: 'prune' }> => e.type === 'prune');
    const shrinks = prune.filter((e) => e.reason.startsWith('shrink'));
    const blocks = prune.filter((e) => e.candidate !== 'layer' && !e.reason.startsWith('shrink'));
    const layerCuts = prune.filter((e) => e.candidate === 'layer');
    expect(shrinks.length).toBeGreaterThan(0);
    expect(blocks.length).toBeGreaterThan(0);
    expect(layerCuts.length).toBeGreaterThan(0);
    // the strategy's widths and removals are the supernet's
    const widths = strategy.widths();
    const live = net.structure();
    for (const w of widths) {
      const p = net.prunodes().find((q) => q.layer === w.layer && q.candidate === w.candidate);
      if (p) expect(p.width).toBe(w.width);
      else expect(live.live[w.layer][w.candidate]).toBe(false);
    }
    expect(shrinks.length).toBe(widths.reduce((s, w) => s + (32 - w.width) / 8, 0));
    for (const e of layerCuts) expect(live.removedLayers[e.layer]).toBe(true);
    for (const e of blocks) expect(live.live[e.layer][e.candidate as number]).toBe(false);
    expect(strategy.derive().every((c, l) => (c < 0 ? live.removedLayers[l] : live.live[l][c]))).toBe(true);
    expect(events.some((e) => e.type === 'message' && e.text.startsWith('prunode widths:'))).toBe(true);
    net.dispose();
  });

  it('stopped by the runner at any unit (just after a shrink and a removal included) and resumed, writes the same log', async () => {
    const root = mkdtempSync(join(tmpdir(), 'prunas-prunet-'));
    const runIn = async (dir: string, o: { resume?: boolean; stopAt?: number } = {}) => {
      const net = new Supernet(tiny, NET_SEED);
      const stop = new AbortController();
      let done = 0;
      try {
        return await runSearch({
          strategy: createPrunet(CONFIG, tiny, flopsCostModel(tiny)),
          space: tiny,
          net,
          data,
          cost: flopsCostModel(tiny),
          seed: SEED,
          config: { strategy: 'prunet', options: CONFIG },
          dir,
          resume: o.resume,
          checkpointSeconds: 0,
          signal: stop.signal,
          onProgress: () => (++done === o.stopAt ? stop.abort() : undefined),
        });
      } finally {
        net.dispose();
      }
    };
    const log = (dir: string) =>
      readFileSync(join(dir, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.type !== 'start' && e.type !== 'checkpoint')
        .map(({ time: _time, seconds: _seconds, ...rest }) => rest);
    const whole = await runIn(join(root, 'whole'));
    const wholeLog = log(join(root, 'whole'));
    // units (1-based) whose last event is a pruning decision, and one in the warmup
    let unit = 0;
    const decisions: number[] = [];
    for (const e of wholeLog) {
      if (e.type === 'step') unit++;
      if (e.type === 'prune' && decisions.at(-1) !== unit) decisions.push(unit);
    }
    const stops = [3, decisions[0], decisions[0] + 1, decisions.at(-1)!];
    for (const stopAt of stops) {
      const dir = join(root, `stopped-${stopAt}`);
      await expect(runIn(dir, { stopAt })).rejects.toThrow();
      const resumed = await runIn(dir, { resume: true });
      expect(resumed.choices).toEqual(whole.choices);
      expect(log(dir)).toEqual(wholeLog);
    }
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('refuses a supernet whose widths differ from its state', async () => {
    const net = new Supernet(tiny, 7);
    net.shrinkPrunode(1, 0);
    await expect(createPrunet(CONFIG, tiny, flopsCostModel(tiny)).advance(context(net, []))).rejects.toThrow(/is 24 wide in the supernet, 32 in the strategy state/);
    net.dispose();
  });

  it('rejects a bad config naming the field', () => {
    const cost = flopsCostModel(tiny);
    expect(() => createPrunet({ patience: 0 }, tiny, cost)).toThrow(/prunet config: patience/);
    expect(() => createPrunet({ shrinkThreshold: 2 }, tiny, cost)).toThrow(/prunet config: shrinkThreshold/);
    expect(() => createPrunet({ tauStart: 0.5, tauEnd: 1 }, tiny, cost)).toThrow(/prunet config: tauEnd \(1\) must not exceed tauStart \(0.5\)/);
    expect(() => createPrunet({ gumbel: true }, tiny, cost)).toThrow(/prunet config: .*"gumbel"/);
    expect(() => createPrunet({ constraint: { target: -1 } }, tiny, cost)).toThrow(/prunet config: constraint.target/);
    expect(() => createPrunet({}, tiny, { ...cost, prunodes: undefined })).toThrow(/has no prunode widths/);
  });
});

describe('Prunode costs per width', () => {
  it('a Prunode at width e·cin costs what the MBConv (k, e) costs', () => {
    const space = prunetSmall();
    for (const layer of layersOf(space).filter((l) => l.searchable)) {
      const op = layer.candidates[0];
      if (op.kind !== 'prunode') throw new Error('expected a prunode');
      for (const e of [6, 5, 4, 3, 2]) {
        const mbconv = opCost({ kind: 'mbconv', kernel: op.kernel, expand: e, stride: op.stride, out: op.out, act: op.act }, layer.input);
        expect(prunodeCost(op, layer.input, e * layer.input.channels)).toEqual(mbconv);
      }
    }
    const model = flopsCostModel(space);
    const l = layersOf(space).findIndex((x) => x.name === 's2b2');
    const cin = layersOf(space)[l].input.channels;
    expect(model.prunodes![l][1]!.widths).toEqual([6, 5, 4, 3, 2].map((e) => e * cin));
    expect(model.prunodes![l][1]!.costs[0]).toBeCloseTo(model.candidates[l][1], 12);
  });

  it('a latency table holds one entry per width step, and its cost model reads them', () => {
    const space = prunetSmall();
    const ops = opsToTime(space);
    const layer = layersOf(space).find((x) => x.name === 's1b2')!;
    const entries = ops.filter((op) => op.layer === 's1b2' && op.candidate === 2);
    expect(entries.map((op) => op.expand)).toEqual([6, 5, 4, 3, 2]);
    expect(entries.map((op) => op.hidden)).toEqual([6, 5, 4, 3, 2].map((e) => e * layer.input.channels));
    const table: LatencyTable = {
      formatVersion: 1,
      spaceName: space.name,
      spaceJson: JSON.stringify(space),
      device: { kind: 'cpu', cpuModel: 'test', threads: 1, logicalCpus: 1, vectorPath: 'portable', platform: 'test' },
      batch: 1,
      dtype: 'float32',
      prunasVersion: '0',
      nodeVersion: '0',
      napiVersion: '0',
      date: '2026-01-01',
      warmup: 1,
      repeats: 1,
      loadAverage: 0,
      entries: ops.map((op, i) => ({ ...op, key: entryKey(op, 1), medianMs: i + 1, spreadMs: 0, minMs: i + 1, repeats: 1 })),
    };
    const model = latencyCostModel(table, space);
    const l = layersOf(space).indexOf(layer);
    const at = (e: number) => ops.findIndex((op) => op.layer === 's1b2' && op.candidate === 2 && op.expand === e) + 1;
    expect(model.prunodes![l][2]!.costs).toEqual([6, 5, 4, 3, 2].map(at));
    expect(model.candidates[l][2]).toBe(at(6));
    expect(model.candidates[l]).toHaveLength(4);
  });

  it('profiling times every width step of a Prunode; validation times paths through Prunodes', async () => {
    const table = await profileSpace(tiny, { batch: 1, threads: 1, warmup: 1, repeats: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'prunas-prunet-table-'));
    await writeTable(join(dir, 't.pb'), table);
    const model = latencyCostModel(await readTable(join(dir, 't.pb')), tiny);
    rmSync(dir, { recursive: true, force: true });
    expect(model.prunodes![1][0]!.widths).toEqual([32, 24, 16]);
    expect(model.prunodes![1][0]!.costs.every((ms) => ms > 0)).toBe(true);
    expect(model.prunodes![2][0]!.widths).toEqual([32, 24, 16]);
    const report = await validateTable(table, tiny, { count: 2, seed: 1, warmup: 1, repeats: 3 });
    expect(report.architectures).toHaveLength(2);
  });
});
