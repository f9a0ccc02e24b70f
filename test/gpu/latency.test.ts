// Latency tables on cuda:0: every op timed with CUDA events after warmup
// (the GPU defaults: 20 warmup passes, 100 repeats), the header naming the
// GPU and the software that ran on it, the file round trip, and validation
// against whole networks timed the same way. Then the acceptance figure:
// proxyless-mobile's table built in under a minute, and the share of
// sampled architectures predicted within ±5% and ±10% (printed), and the
// same for a table timed as CUDA graph launches (profile option `graph`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuInfo } from '../../src/gpu/kernels.js';
import { latencyCostModel, profileSpace, readTable, timeArchitecture, validateTable, writeTable, type LatencyTable } from '../../src/latency/index.js';
import { architectureCostOf } from '../../src/search/cost-model.js';
import { layersOf, proxylessMobile, proxylessSmall } from '../../src/space/index.js';
import type { SearchSpace } from '../../src/space/spec.js';
import { announceSkip, noGpu } from './gpu-skip.js';

announceSkip('latency.test.ts');
const dir = mkdtempSync(join(tmpdir(), 'prunas-gpu-latency-'));

/** Per layer, the candidate the table prices lowest (or highest). */
function extremeChoices(table: LatencyTable, space: SearchSpace, pick: 'cheapest' | 'dearest'): number[] {
  const model = latencyCostModel(table, space);
  return model.candidates.map((costs) => {
    const target = pick === 'cheapest' ? Math.min(...costs) : Math.max(...costs);
    return costs.indexOf(target);
  });
}

describe.skipIf(noGpu)('latency tables on cuda:0', () => {
  it('profiles a small space with CUDA events: the GPU header, the GPU defaults, a file round trip', async () => {
    const space = proxylessSmall({ widthMult: 0.25 });
    const table = await profileSpace(space, { device: 'cuda:0' });
    const info = gpuInfo();
    expect(table.device).toMatchObject({ kind: 'cuda', threads: 0 });
    const gpu = table.device.gpu!;
    expect(gpu).toMatchObject({ index: 0, name: info.devices[0].name, precision: 'fp32' });
    expect(gpu.computeCapability).toMatch(/^\d+\.\d+$/);
    expect(gpu.memoryBytes).toBeGreaterThan(2 ** 30);
    expect(gpu.cudaRuntimeVersion).toMatch(/^\d+\.\d+$/);
    expect(gpu.driverCudaVersion).toMatch(/^\d+\.\d+$/);
    if (info.libraries) {
      expect(gpu.cudnnVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(gpu.cublasVersion).toMatch(/^\d+\.\d+\.\d+$/);
    } else expect([gpu.cudnnVersion, gpu.cublasVersion]).toEqual(['built-in kernels', 'built-in kernels']);
    expect([table.warmup, table.repeats]).toEqual([20, 100]);
    for (const e of table.entries) {
      if (e.kind === 'zero') continue;
      expect(e.repeats).toBe(100);
      expect(e.minMs).toBeGreaterThan(0);
      expect(e.medianMs).toBeGreaterThanOrEqual(e.minMs);
      expect(e.spreadMs).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(e.medianMs)).toBe(true);
    }
    const file = join(dir, 'small-cuda.pb');
    await writeTable(file, table);
    expect(await readTable(file)).toEqual(table);
    console.log(`[gpu latency] ${gpu.name} (cc ${gpu.computeCapability}), driver ${gpu.driverVersion || '?'} (CUDA ${gpu.driverCudaVersion}), runtime ${gpu.cudaRuntimeVersion}, cuDNN ${gpu.cudnnVersion}, cuBLAS ${gpu.cublasVersion}`);
  });

  it('validates a small space on the GPU: measured end to end, the dearest network slower than the cheapest', async () => {
    const space = proxylessSmall({ widthMult: 0.25 });
    const table = await profileSpace(space, { device: 'cuda:0', warmup: 10, repeats: 30 });
    const report = await validateTable(table, space, { count: 8, seed: 1 });
    expect(report.count).toBe(8);
    const model = latencyCostModel(table, space);
    for (const a of report.architectures) {
      expect(a.measuredMs).toBeGreaterThan(0);
      expect(a.predictedMs).toBeCloseTo(architectureCostOf(model, a.choices), 12);
      expect(Number.isFinite(a.relativeError)).toBe(true);
    }
    for (const share of [report.within5, report.within10]) expect(share).toBeGreaterThanOrEqual(0);
    expect(report.within10).toBeGreaterThanOrEqual(report.within5);
    const cheapest = extremeChoices(table, space, 'cheapest');
    const dearest = extremeChoices(table, space, 'dearest');
    expect(layersOf(space).length).toBe(cheapest.length);
    const fast = await timeArchitecture(table, space, cheapest);
    const slow = await timeArchitecture(table, space, dearest);
    expect(slow.medianMs).toBeGreaterThan(fast.medianMs);
    console.log(`[gpu latency] proxyless-small ×0.25 validation: within ±5% ${report.within5}, ±10% ${report.within10}, mean |error| ${report.meanAbsRelativeError.toFixed(3)}`);
  });

  it('proxyless-mobile: a GPU table in under a minute, and its validation figures', async () => {
    const space = proxylessMobile();
    const started = performance.now();
    const table = await profileSpace(space, { device: 'cuda:0' });
    const seconds = (performance.now() - started) / 1000;
    await writeTable(join(dir, 'proxyless-mobile-cuda.pb'), table);
    const report = await validateTable(table, space, { count: 50, seed: 0 });
    const figures = {
      gpu: table.device.gpu,
      entries: table.entries.length,
      profileSeconds: Number(seconds.toFixed(2)),
      warmup: table.warmup,
      repeats: table.repeats,
      validated: report.count,
      within5: report.within5,
      within10: report.within10,
      meanAbsRelativeError: report.meanAbsRelativeError,
      maxAbsRelativeError: report.maxAbsRelativeError,
      measuredMs: [Math.min(...report.architectures.map((a) => a.measuredMs)), Math.max(...report.architectures.map((a) => a.measuredMs))],
    };
    console.log(`[gpu latency] proxyless-mobile ${JSON.stringify(figures)}`);
    expect(seconds).toBeLessThan(60);
    expect(report.count).toBe(50);
  });

  it('proxyless-mobile timed as CUDA graph launches: its validation figures beside the events table\'s', async () => {
    const space = proxylessMobile();
    const started = performance.now();
    const table = await profileSpace(space, { device: 'cuda:0', graph: true });
    const seconds = (performance.now() - started) / 1000;
    expect(table.device.gpu?.timing).toBe('cuda-graph');
    const report = await validateTable(table, space, { count: 20, seed: 0 });
    const figures = {
      profileSeconds: Number(seconds.toFixed(2)),
      validated: report.count,
      within5: report.within5,
      within10: report.within10,
      meanAbsRelativeError: report.meanAbsRelativeError,
      measuredMs: [Math.min(...report.architectures.map((a) => a.measuredMs)), Math.max(...report.architectures.map((a) => a.measuredMs))],
    };
    console.log(`[gpu latency] proxyless-mobile cuda-graph ${JSON.stringify(figures)}`);
    expect(report.count).toBe(20);
    expect(table.formatVersion).toBe(2);
    for (const e of table.entries.filter((x) => x.kind !== 'zero')) expect(e.minMs).toBeGreaterThan(0);
    for (const a of report.architectures) {
      expect(a.measuredMs).toBeGreaterThan(0);
      expect(a.predictedMs).toBeGreaterThan(0);
    }
  });
});
