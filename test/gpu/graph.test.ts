// Latency timing through CUDA graphs on cuda:0 (profile option `graph`): each
// op captured once, each repeat one launch of the graph. The native timing
// loop clears the graph's output buffer and fills the pool's released blocks
// (the graph's intermediates) with NaN before the launches, and compares the
// output afterwards with a direct pass's, bit for bit, so a graph that skipped
// or replayed stale work fails the timing instead of timing something else;
// these tests pass only where that comparison holds for every op of a space,
// every precision, and whole networks. Runs on a GPU and on the emulated
// backend (whose capture records the work instead of running it, and whose
// stream synchronizations inside a capture fail).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuInfo } from '../../src/gpu/kernels.js';
import { latencyCostModel, profileSpace, readTable, validateTable, writeTable } from '../../src/latency/index.js';
import { native } from '../../src/native.js';
import { proxylessSmall } from '../../src/space/index.js';
import { announceSkip, noGpu } from './gpu-skip.js';

announceSkip('test/gpu/graph.test.ts');
const dir = mkdtempSync(join(tmpdir(), 'prunas-gpu-graph-'));
const timeOp = native.timeOp as unknown as (a: Record<string, unknown>) => Float64Array;
const space = proxylessSmall({ widthMult: 0.25 });

describe.skipIf(noGpu)('latency timing through CUDA graphs on cuda:0', () => {
  it('profiles every op of a space as graph launches; the header says so through the file', async () => {
    const table = await profileSpace(space, { device: 'cuda:0', graph: true, warmup: 1, repeats: 3 });
    expect(table.device.gpu).toMatchObject({ name: gpuInfo().devices[0].name, precision: 'fp32', timing: 'cuda-graph' });
    expect(table.formatVersion).toBe(2);
    const timed = table.entries.filter((e) => e.kind !== 'zero');
    expect(timed.length).toBeGreaterThan(10);
    for (const e of timed) {
      expect(e.repeats).toBe(3);
      expect(e.minMs).toBeGreaterThan(0);
      expect(Number.isFinite(e.medianMs)).toBe(true);
    }
    const file = join(dir, 'graph.pb');
    await writeTable(file, table);
    const loaded = await readTable(file);
    expect(loaded).toEqual(table);
    expect(latencyCostModel(loaded, space).source).toContain(', CUDA graphs)');
  });

  it('validates a graph-timed table with whole networks timed as graphs', async () => {
    const table = await profileSpace(space, { device: 'cuda:0', graph: true, warmup: 1, repeats: 2 });
    const report = await validateTable(table, space, { count: 3, seed: 4 });
    expect(report.count).toBe(3);
    for (const a of report.architectures) {
      expect(a.measuredMs).toBeGreaterThan(0);
      expect(Number.isFinite(a.relativeError)).toBe(true);
    }
  });

  it('times each op kind, residual or not, at every precision, with and without a warmup', () => {
    const ops = [
      { op: 0, height: 12, width: 12, cin: 3, cout: 8, kernel: 3, stride: 2, act: 2 },
      { op: 1, height: 6, width: 6, cin: 16, cout: 24, act: 1 },
      { op: 2, height: 8, width: 8, cin: 8, cout: 8, kernel: 5, expand: 3, stride: 1, act: 3, residual: true },
      { op: 2, height: 9, width: 9, cin: 8, cout: 16, kernel: 3, expand: 6, stride: 2, act: 2 },
      { op: 3, height: 1, width: 1, cin: 32, cout: 10 },
    ];
    for (const precision of ['fp32', 'tf32', 'bf16'])
      for (const op of ops)
        for (const warmup of [0, 2]) {
          const ms = timeOp({ batch: 2, ...op, warmup, repeats: 2, device: 'cuda:0', precision, graph: true });
          expect(ms).toHaveLength(2);
          for (const t of ms) expect(t).toBeGreaterThan(0);
        }
  });
});
