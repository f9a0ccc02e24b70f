// The device a latency table was measured on, as its header names it: the
// host CPU (model, engine threads, vector path) and, for a CUDA table, the
// GPU and the software that ran on it (driver, CUDA runtime, cuDNN, cuBLAS,
// precision). A table's timings hold only there: validation and end-to-end
// timing refuse any other CPU model or GPU.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseDevice, type Device, type Precision } from '../engine/device.js';
import { PrunasRangeError } from '../errors.js';
import { gpuInfo } from '../gpu/kernels.js';
import { native } from '../native.js';
import type { GpuTiming, LatencyDevice, LatencyGpu, LatencyTable } from './table.js';

/** What a build without cuDNN/cuBLAS reports in their place: conv and linear ran on prunas' own kernels. */
export const BUILT_IN_KERNELS = 'built-in kernels';

/** This machine's CPU as a table header names it, at `threads` engine threads (0: a GPU table, where they do not matter). */
export function hostDevice(threads: number): LatencyDevice {
  const cpu = cpus();
  return { kind: 'cpu', cpuModel: cpu[0]?.model.trim() ?? 'unknown', threads, logicalCpus: cpu.length, vectorPath: native.buildInfo().vectorPath, platform: `${process.platform}-${process.arch}` };
}

/** The header of a table measured on `device` ('cuda:N', already checked by parseDevice). */
export function cudaDevice(device: Device, precision: Precision = 'fp32', timing: GpuTiming = 'events'): LatencyDevice {
  return { ...hostDevice(0), kind: 'cuda', gpu: gpuHeader(cudaIndex(device), precision, timing) };
}

/** 'cpu' or 'cuda:N': where a table's ops ran. */
export function deviceOfTable(d: LatencyDevice): Device {
  return d.kind === 'cuda' && d.gpu ? `cuda:${d.gpu.index}` : 'cpu';
}

/** One line naming a table's device: `NVIDIA H200 (cuda:0, fp32, CUDA 12.4, cuDNN 9.1.0, cuBLAS 12.4.5)` (`, CUDA graphs` when timed so) or `AMD EPYC … (2 threads)`. */
export function describeDevice(d: LatencyDevice): string {
  if (d.kind === 'cuda' && d.gpu) {
    const g = d.gpu;
    const libraries = g.cudnnVersion === BUILT_IN_KERNELS ? BUILT_IN_KERNELS : `cuDNN ${g.cudnnVersion}, cuBLAS ${g.cublasVersion}`;
    return `${g.name} (cuda:${g.index}, ${g.precision}, CUDA ${g.cudaRuntimeVersion}, ${libraries}${g.timing === 'cuda-graph' ? ', CUDA graphs' : ''})`;
  }
  return `${d.cpuModel} (${d.threads} thread${d.threads === 1 ? '' : 's'})`;
}

/**
 * The device to time a table's architectures on: `requested` (default: the
 * table's own device) after parseDevice's checks, refused unless it is the
 * same kind of device with the same CPU model or GPU name as the table's.
 * `where` starts the messages ("validate options").
 */
export function timingDeviceFor(table: LatencyTable, requested: string | undefined, where: string): Device {
  const d = table.device;
  const device = parseDevice(where, requested ?? deviceOfTable(d));
  if (d.kind !== 'cuda') {
    if (device !== 'cpu') throw new PrunasRangeError(`${where}: device ${device}: the latency table was measured on the CPU (${d.cpuModel})`);
    const here = hostDevice(d.threads).cpuModel;
    if (here !== d.cpuModel)
      throw new PrunasRangeError(`latency table was measured on ${JSON.stringify(d.cpuModel)}, this machine is ${JSON.stringify(here)}: validate it where it was profiled`);
    return device;
  }
  const name = d.gpu?.name ?? '';
  if (device === 'cpu') throw new PrunasRangeError(`${where}: device cpu: the latency table was measured on ${name} (${deviceOfTable(d)})`);
  const here = gpuInfo().devices[cudaIndex(device)]?.name ?? '';
  if (here !== name) throw new PrunasRangeError(`latency table was measured on ${JSON.stringify(name)}, ${device} here is ${JSON.stringify(here)}: validate it where it was profiled`);
  return device;
}

function cudaIndex(device: Device): number {
  return Number(device.slice('cuda:'.length));
}

function gpuHeader(index: number, precision: Precision, timing: GpuTiming): LatencyGpu {
  const info = gpuInfo();
  const gpu = info.devices[index];
  return {
    index,
    name: gpu?.name ?? 'unknown',
    computeCapability: gpu?.computeCapability ?? '',
    memoryBytes: gpu?.memoryBytes ?? 0,
    driverVersion: nvidiaDriverVersion(),
    driverCudaVersion: cudaVersionString(info.driver),
    cudaRuntimeVersion: cudaVersionString(info.runtime),
    cudnnVersion: info.libraries ? cudnnVersionString(info.cudnnVersion) : BUILT_IN_KERNELS,
    cublasVersion: info.libraries ? (info.cublasVersion ?? 'unknown') : BUILT_IN_KERNELS,
    precision,
    timing,
  };
}

/** CUDA's 1000·major + 10·minor as "major.minor" ('' for 0 or unknown). */
export function cudaVersionString(version: number | undefined): string {
  if (!version) return '';
  return `${Math.floor(version / 1000)}.${Math.floor((version % 1000) / 10)}`;
}

/** cudnnGetVersion(): major·10000 + minor·100 + patch from cuDNN 9, major·1000 + minor·100 + patch before. */
export function cudnnVersionString(version: number | undefined): string {
  if (!version) return 'unknown';
  const major = version >= 90000 ? Math.floor(version / 10000) : Math.floor(version / 1000);
  const minor = Math.floor((version % (version >= 90000 ? 10000 : 1000)) / 100);
  return `${major}.${minor}.${version % 100}`;
}

/** The NVIDIA kernel module's version ("550.54.15") as Linux reports it; '' elsewhere. */
function nvidiaDriverVersion(): string {
  try {
    const text = readFileSync('/proc/driver/nvidia/version', 'utf8');
    return /Kernel Module.*?\s(\d+\.\d+(?:\.\d+)?)\s/.exec(text)?.[1] ?? '';
  } catch {
    return '';
  }
}
