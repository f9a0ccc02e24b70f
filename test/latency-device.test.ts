// Latency tables and the device option: "cpu" or "cuda:N" checked before
// anything is timed (the schema, the availability check, the native timing
// boundary, the CLI with one line), the CUDA header (GPU, driver, CUDA,
// cuDNN, cuBLAS, precision) through the protobuf file, tables written
// before the header existed (encoded here from the first schema, parsed by
// protobufjs, not by the generated code), and a table of one device refused
// for timing on another while its cost model stays usable anywhere.
// Everything here runs with or without a GPU; test/gpu/latency.test.ts
// profiles on one.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { PrunasError, PrunasRangeError } from '../src/errors.js';
import { gpuInfo } from '../src/gpu/kernels.js';
import { entryKey, latencyCostModel, latencyTableFormatVersion, opsToTime, profileSpace, readTable, tableJson, timeArchitecture, TIMING_DEFAULTS, validateTable, writeTable, type LatencyDevice, type LatencyTable } from '../src/latency/index.js';
import { parseOptions } from '../src/latency/profile.js';
import { native } from '../src/native.js';
import { architectureCostOf } from '../src/search/cost-model.js';
import { layersOf, proxylessSmall } from '../src/space/index.js';
import { prunas } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-latency-device-'));
const space = proxylessSmall({ widthMult: 0.25 });
const noGpu = gpuInfo().devices.length === 0;
const timeOp = native.timeOp as unknown as (a: Record<string, unknown>) => Float64Array;

const hostCpu: LatencyDevice = { kind: 'cpu', cpuModel: cpus()[0].model.trim(), threads: 1, logicalCpus: cpus().length, vectorPath: 'avx2', platform: 'linux-x64' };
const testGpu: LatencyDevice = {
  ...hostCpu,
  kind: 'cuda',
  threads: 0,
  gpu: {
    index: 0,
    name: 'NVIDIA Test GPU',
    computeCapability: '9.0',
    memoryBytes: 150_000_000_000,
    driverVersion: '570.86.15',
    driverCudaVersion: '12.8',
    cudaRuntimeVersion: '13.0',
    cudnnVersion: '9.10.2',
    cublasVersion: '13.0.0',
    precision: 'fp32',
    timing: 'events',
  },
};

/** A table of `space` with made-up medians (entry i: (i + 1)/100 ms), nothing timed. */
function madeUpTable(device: LatencyDevice): LatencyTable {
  return {
    formatVersion: latencyTableFormatVersion(device),
    spaceName: space.name,
    spaceJson: JSON.stringify(space),
    device,
    batch: 1,
    dtype: 'float32',
    prunasVersion: '0.1.0',
    nodeVersion: 'v22.0.0',
    napiVersion: '9',
    date: '2025-01-02T03:04:05.000Z',
    warmup: 20,
    repeats: 100,
    loadAverage: 0.25,
    entries: opsToTime(space).map((op, i) => {
      const zero = op.kind === 'zero';
      return { ...op, key: entryKey(op, 1), medianMs: zero ? 0 : (i + 1) / 100, spreadMs: zero ? 0 : 0.001, minMs: zero ? 0 : (i + 1) / 200, repeats: zero ? 0 : 100 };
    }),
  };
}

// The latency messages as the first table format defined them (before the device's kind could be "cuda").
const FIRST_SCHEMA = `
syntax = "proto3";
message LatencyTable {
  uint32 format_version = 1; string space_name = 2; string space_json = 3; LatencyDevice device = 4; uint32 batch = 5;
  string dtype = 6; string prunas_version = 7; string node_version = 8; string napi_version = 9; string date = 10;
  uint32 warmup = 11; uint32 repeats = 12; repeated LatencyEntry entries = 13; double load_average = 14;
}
message LatencyDevice { string kind = 1; string cpu_model = 2; uint32 threads = 3; uint32 logical_cpus = 4; string vector_path = 5; string platform = 6; }
message LatencyEntry {
  string key = 1; string kind = 2; string layer = 3; uint32 candidate = 4; uint32 input_height = 5; uint32 input_width = 6;
  uint32 input_channels = 7; uint32 out_channels = 8; uint32 kernel = 9; uint32 expand = 10; uint32 stride = 11; bool residual = 12;
  string act = 13; double median_ms = 14; double spread_ms = 15; double min_ms = 16; uint32 repeats = 17;
}`;
const FirstTable = protobuf.parse(FIRST_SCHEMA).root.lookupType('LatencyTable');

function firstFormatObject(t: LatencyTable) {
  const { entries, device, ...header } = t;
  return {
    ...header,
    device,
    entries: entries.map((e) => ({ ...e, inputHeight: e.input.height, inputWidth: e.input.width, inputChannels: e.input.channels, outChannels: e.out, input: undefined, out: undefined })),
  };
}

describe('the device option', () => {
  it('keeps the CPU defaults and records the CPU when none is given', () => {
    expect(parseOptions('profile', {})).toEqual({ device: 'cpu', precision: 'fp32', batch: 1, warmup: TIMING_DEFAULTS.cpu.warmup, repeats: TIMING_DEFAULTS.cpu.repeats, seed: 0, graph: false });
    expect(TIMING_DEFAULTS.cpu).toEqual({ warmup: 10, repeats: 50 });
    expect(parseOptions('profile', { device: 'cpu', warmup: 3, repeats: 4, threads: 2 })).toMatchObject({ device: 'cpu', warmup: 3, repeats: 4, threads: 2 });
  });

  it('rejects a device that is neither "cpu" nor "cuda:N", naming the value', async () => {
    for (const bad of ['gpu', 'cuda:x', 'cuda:', 'CUDA:0', 'cuda:0 ', 'cuda:1234']) {
      await expect(profileSpace(space, { device: bad })).rejects.toThrow(PrunasRangeError);
      await expect(profileSpace(space, { device: bad })).rejects.toThrow(`profile options: device must be "cpu" or "cuda:N", got ${JSON.stringify(bad)}`);
    }
    await expect(profileSpace(space, { device: 0 as never })).rejects.toThrow(/profile options: device .*string/);
  });

  it('rejects a CUDA device this addon or machine lacks, naming it', async () => {
    const missing = /device cuda:999: (no such CUDA device \(\d+ found\)|this prunas addon was built without CUDA)/;
    await expect(profileSpace(space, { device: 'cuda:999' })).rejects.toThrow(missing);
    if (noGpu) await expect(profileSpace(space, { device: 'cuda:0' })).rejects.toThrow(/profile options: device cuda:0: (no such CUDA device \(0 found\)|this prunas addon was built without CUDA)/);
    else expect(parseOptions('profile', { device: 'cuda:0' })).toMatchObject({ device: 'cuda:0', ...TIMING_DEFAULTS.cuda });
  });

  it('refuses CUDA graphs on the CPU, in the options and at the native timing boundary', async () => {
    await expect(profileSpace(space, { graph: true })).rejects.toThrow(PrunasRangeError);
    await expect(profileSpace(space, { graph: true })).rejects.toThrow('profile options: graph CUDA graphs need a CUDA device, got device cpu');
    await expect(profileSpace(space, { graph: 'yes' as never })).rejects.toThrow(/profile options: graph .*boolean.* \(got "yes"\)$/);
    await expect(profileSpace(space, { graph: 'yes' as never })).rejects.toThrow(TypeError);
    const op = { op: 1, batch: 1, height: 4, width: 4, cin: 8, cout: 8, warmup: 0, repeats: 1, device: 'cpu', graph: true };
    expect(() => timeOp(op)).toThrow(RangeError);
    expect(() => timeOp(op)).toThrow(/graph: CUDA graphs need a CUDA device, got "cpu"/);
  });

  it('refuses engine threads for a GPU, where they time nothing', async () => {
    await expect(profileSpace(space, { device: 'cuda:0', threads: 2 })).rejects.toThrow("profile options: threads set the CPU's engine threads, which do not time ops on cuda:0");
  });

  it('reaches the native timing loop: "cpu" times, a bad device is refused there too', () => {
    const op = { op: 2, batch: 1, height: 8, width: 8, cin: 8, cout: 8, kernel: 3, expand: 3, stride: 1, act: 2, residual: true, warmup: 1, repeats: 3 };
    const ms = timeOp({ ...op, device: 'cpu' });
    expect(ms).toHaveLength(3);
    for (const t of ms) expect(t).toBeGreaterThan(0);
    expect(() => timeOp({ ...op, device: 'gpu' })).toThrow(/device must be "cpu" or "cuda:N", got "gpu"/);
    if (noGpu) expect(() => timeOp({ ...op, device: 'cuda:0' })).toThrow(/cuda:0/);
    else expect(timeOp({ ...op, device: 'cuda:0' })).toHaveLength(3);
  });

  it('profiles on the CPU with device "cpu": the header names this CPU and its threads', async () => {
    const table = await profileSpace(space, { device: 'cpu', threads: 1, warmup: 1, repeats: 2 });
    expect(table.device).toMatchObject({ kind: 'cpu', cpuModel: hostCpu.cpuModel, threads: 1 });
    expect(table.device.gpu).toBeUndefined();
    expect(table.entries.filter((e) => e.kind !== 'zero').every((e) => e.medianMs > 0 && e.repeats === 2)).toBe(true);
  });
});

describe('table files and the device header', () => {
  it('loads a table written in the first format, and writes CPU tables that format still reads', async () => {
    const original = madeUpTable(hostCpu);
    const file = join(dir, 'first-format.pb');
    writeFileSync(file, FirstTable.encode(FirstTable.fromObject(firstFormatObject(original))).finish());
    const loaded = await readTable(file);
    expect(loaded).toEqual(original);
    expect(loaded.device.gpu).toBeUndefined();
    // its cost model: the made-up medians, summed as the search sums them
    const model = latencyCostModel(loaded, space);
    expect(model.fixed).toBeCloseTo(['stem', 'head', 'classifier'].reduce((s, k) => s + original.entries.find((e) => e.kind === k)!.medianMs, 0), 12);
    expect(model.source).toContain(`${hostCpu.cpuModel} (1 thread)`);

    const rewritten = join(dir, 'rewritten.pb');
    await writeTable(rewritten, loaded);
    expect(readFileSync(rewritten)).toEqual(readFileSync(file));
  });

  it('round-trips a CUDA header: GPU, driver, CUDA, cuDNN, cuBLAS, precision', async () => {
    const table = madeUpTable(testGpu);
    const file = join(dir, 'cuda.pb');
    await writeTable(file, table);
    const loaded = await readTable(file);
    expect(loaded).toEqual(table);
    expect(JSON.parse(JSON.stringify(tableJson(loaded))).device).toEqual(testGpu);
    const builtIn: LatencyDevice = { ...testGpu, gpu: { ...testGpu.gpu!, cudnnVersion: 'built-in kernels', cublasVersion: 'built-in kernels', driverVersion: '' } };
    await writeTable(file, { ...table, device: builtIn });
    expect((await readTable(file)).device).toEqual(builtIn);
  });

  it('keeps how a GPU table was timed; one written before graph timing reads as events; an unknown way is refused', async () => {
    const file = join(dir, 'gpu-timing.pb');
    const graphed: LatencyDevice = { ...testGpu, gpu: { ...testGpu.gpu!, timing: 'cuda-graph' } };
    await writeTable(file, madeUpTable(graphed));
    expect((await readTable(file)).device).toEqual(graphed);
    expect((await readTable(file)).formatVersion).toBe(2); // a prunas that predates graph timing refuses it
    expect(latencyCostModel(await readTable(file), space).source).toContain('cuBLAS 13.0.0, CUDA graphs)');
    await writeTable(file, { ...madeUpTable(graphed), formatVersion: 1 });
    await expect(readTable(file)).rejects.toThrow(/gpu-timing\.pb: latency table timed as CUDA graphs in format version 1; such tables are version 2/);
    await writeTable(file, madeUpTable({ ...testGpu, gpu: { ...testGpu.gpu!, timing: '' as never } }));
    expect((await readTable(file)).device).toEqual(testGpu);
    await writeTable(file, madeUpTable({ ...testGpu, gpu: { ...testGpu.gpu!, timing: 'nvtx' as never } }));
    await expect(readTable(file)).rejects.toThrow(/gpu-timing\.pb: latency table timed in an unknown way \("nvtx"\)/);
  });

  it('refuses a table of an unknown device kind or precision', async () => {
    const file = join(dir, 'tpu.pb');
    await writeTable(file, madeUpTable({ ...hostCpu, kind: 'tpu' as never }));
    await expect(readTable(file)).rejects.toThrow(PrunasError);
    await expect(readTable(file)).rejects.toThrow(/tpu\.pb: latency table of an unknown device \("tpu"\)/);
    await writeTable(file, madeUpTable({ ...testGpu, gpu: { ...testGpu.gpu!, precision: 'fp16' as never } }));
    await expect(readTable(file)).rejects.toThrow(/unknown device \("cuda", precision "fp16"\)/);
  });

  it('keeps the precision a GPU table was timed in (fp32, tf32, bf16)', async () => {
    for (const precision of ['fp32', 'tf32', 'bf16'] as const) {
      const file = join(dir, `gpu-${precision}.pb`);
      const device: LatencyDevice = { ...testGpu, gpu: { ...testGpu.gpu!, precision } };
      await writeTable(file, { ...madeUpTable(device) });
      expect((await readTable(file)).device).toEqual(device);
    }
  });

  it('refuses a precision other than fp32 on the CPU, and an unknown one, naming it', async () => {
    await expect(profileSpace(proxylessSmall(), { precision: 'bf16' })).rejects.toThrow(/precision bf16 needs a CUDA device/);
    await expect(profileSpace(proxylessSmall(), { precision: 'fp16' })).rejects.toThrow(/precision must be "fp32", "tf32" or "bf16", got "fp16"/);
  });
});

describe('a table of one device on another', () => {
  const gpuTable = madeUpTable(testGpu);
  const cpuTable = madeUpTable(hostCpu);

  it('serves as the cost model anywhere (searching for a GPU on the CPU), its source naming the GPU', () => {
    const model = latencyCostModel(gpuTable, space);
    expect(model.source).toBe('latency table of proxyless-small: NVIDIA Test GPU (cuda:0, fp32, CUDA 13.0, cuDNN 9.10.2, cuBLAS 13.0.0), batch 1, 2025-01-02T03:04:05.000Z');
    // every layer at its first candidate: the stem, head, classifier and each layer's candidate 0
    const expected = gpuTable.entries.filter((e) => e.candidate === 0).reduce((sum, e) => sum + e.medianMs, 0);
    expect(architectureCostOf(model, layersOf(space).map(() => 0))).toBeCloseTo(expected, 12);
  });

  it('is not timed anywhere but on its own kind and model of device', async () => {
    // here: no CUDA device (or, on a GPU machine, not the table's made-up GPU)
    const elsewhere = /cuda:0 here is "[^"]*": validate it where it was profiled|device cuda:0: (no such CUDA device \(0 found\)|this prunas addon was built without CUDA)/;
    await expect(validateTable(gpuTable, space, { count: 1 })).rejects.toThrow(elsewhere);
    await expect(timeArchitecture(gpuTable, space, layersOf(space).map(() => 0))).rejects.toThrow(elsewhere);
    await expect(validateTable(gpuTable, space, { count: 1, device: 'cpu' })).rejects.toThrow('validate options: device cpu: the latency table was measured on NVIDIA Test GPU (cuda:0)');
    const onGpu = noGpu ? /validate options: device cuda:0: (no such CUDA device|this prunas addon was built without CUDA)/ : /validate options: device cuda:0: the latency table was measured on the CPU \(.*\)/;
    await expect(validateTable(cpuTable, space, { count: 1, device: 'cuda:0' })).rejects.toThrow(onGpu);
    await expect(validateTable(cpuTable, space, { count: 1, device: 'gpu' })).rejects.toThrow('validate options: device must be "cpu" or "cuda:N", got "gpu"');
  });
});

describe('prunas profile --device', () => {
  const spaceFile = join(dir, 'small.json');
  writeFileSync(spaceFile, JSON.stringify(space));
  const out = join(dir, 'cli.pb');
  const gpuFile = join(dir, 'cli-gpu.pb');
  const cpuFile = join(dir, 'cli-cpu.pb');

  const oneLine = (args: string[], message: RegExp | string) => {
    const r = prunas(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
  };

  it('fails with one line on a device that is neither "cpu" nor "cuda:N"', () => {
    oneLine(['profile', '--space', spaceFile, '--device', 'gpu', '--out', out], 'prunas: profile options: device must be "cpu" or "cuda:N", got "gpu"');
    oneLine(['profile', '--space', spaceFile, '--device', 'cuda:x', '--out', out], 'prunas: profile options: device must be "cpu" or "cuda:N", got "cuda:x"');
    oneLine(['profile', '--space', spaceFile, '--device', 'cuda:0', '--threads', '2', '--out', out], "threads set the CPU's engine threads");
    oneLine(['profile', '--space', spaceFile, '--graph', '--out', out], 'prunas: profile options: graph CUDA graphs need a CUDA device, got device cpu');
    oneLine(['profile', '--json', out, '--graph'], 'prunas: --graph is for profiling: --json table.pb prints a table as it was timed');
  });

  it('cuda:0: one line where there is no CUDA device, a table where there is one', () => {
    const args = ['profile', '--space', spaceFile, '--device', 'cuda:0', '--warmup', '1', '--repeats', '3', '--out', out];
    if (noGpu) return oneLine(args, /^prunas: profile options: device cuda:0: (no such CUDA device \(0 found\)|this prunas addon was built without CUDA)$/m);
    const r = prunas(...args);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).device).toMatchObject({ kind: 'cuda', threads: 0, gpu: { index: 0, name: gpuInfo().devices[0].name, precision: 'fp32' } });
  });

  it('validates a table on its own device only, and shows a CUDA header as JSON', async () => {
    await writeTable(gpuFile, madeUpTable(testGpu));
    await writeTable(cpuFile, madeUpTable(hostCpu));
    oneLine(['profile', '--validate', gpuFile, '--count', '1'], /cuda:0/);
    oneLine(['profile', '--validate', gpuFile, '--count', '1', '--device', 'cpu'], 'prunas: validate options: device cpu: the latency table was measured on NVIDIA Test GPU (cuda:0)');
    oneLine(['profile', '--validate', cpuFile, '--count', '1', '--device', 'cuda:0'], /cuda:0/);
    oneLine(['profile', '--validate', cpuFile, '--count', '1', '--device', 'cuda:x'], 'validate options: device must be "cpu" or "cuda:N", got "cuda:x"');
    oneLine(['profile', '--validate', cpuFile, '--graph'], '--graph is for profiling: validation times the way the table was timed');
    const j = prunas('profile', '--json', gpuFile);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ device: testGpu, warmup: 20, repeats: 100, batch: 1 });
  });
});
