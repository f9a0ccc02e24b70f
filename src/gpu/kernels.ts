// The GPU kernels on host Float32Arrays: each call copies its inputs to the
// device, runs there, copies the results back and waits (src/kernels has the
// same families on the CPU, with the same layouts and argument checks).
// Meant for tests and experiments; a GPU supernet keeps tensors on the device.
import { PrunasError, PrunasRangeError } from '../errors.js';
import type { Conv2dShape, DepthwiseShape } from '../kernels/conv.js';
import { boolean, finite, float32, int32, integer, oneOf, options } from '../kernels/check.js';
import type { BatchOptions, Dataset } from '../data/dataset.js';
import { native, type KernelArgs } from '../native.js';
import { ACTIVATIONS, bnCommon, convArgs, depthwiseArgs, gradients, linearArgs, poolArgs, type GpuActivation, type GpuBatchnormOptions, type GpuBatchnormParams, type LinearShape, type PoolShape } from './args.js';

export type { GpuActivation, GpuBatchnormOptions, GpuBatchnormParams, LinearShape, PoolShape } from './args.js';

export interface GpuDevice {
  index: number;
  name: string;
  /** "major.minor" (absent from addons built before it was reported) */
  computeCapability?: string;
  memoryBytes?: number;
}

export interface GpuInfo {
  /** the addon was compiled with CUDA */
  compiled: boolean;
  /** the CUDA backend runs on the CPU (a test build, PRUNAS_CUDA_EMULATION: exact-size device blocks, no GPU timings) */
  emulated?: boolean;
  /** cuDNN and cuBLAS were found at build time (dense conv, linear on the GPU) */
  libraries: boolean;
  /** CUDA runtime the addon was built with, and the latest CUDA the driver supports (1000·major + 10·minor; 0 without a driver) */
  runtime?: number;
  driver?: number;
  /** where libraries: cudnnGetVersion() (9.1.0 is 90100) and cuBLAS as "major.minor.patch" */
  cudnnVersion?: number;
  cublasVersion?: string;
  devices: GpuDevice[];
  /** why no GPU can be used, when none can */
  reason?: string;
}

/** What the addon and the machine offer; never throws. */
export function gpuInfo(): GpuInfo {
  const fn = native.gpuInfo as (() => GpuInfo) | undefined;
  if (typeof fn !== 'function') return { compiled: false, libraries: false, devices: [], reason: 'the addon predates the CUDA backend; rebuild it' };
  return fn();
}

/** True when a CUDA device can run the kernels. */
export function gpuAvailable(): boolean {
  return gpuInfo().devices.length > 0;
}

export interface DeviceOption {
  /** CUDA device index; default 0 */
  device?: number;
}


function call(kernel: string, args: KernelArgs, o: DeviceOption | undefined): number | undefined {
  const device = integer(kernel, 'device', options(kernel, o ?? {}).device ?? 0, 0, 1023);
  const fn = native[kernel] as ((a: KernelArgs) => number | undefined) | undefined;
  if (typeof fn !== 'function') {
    const info = gpuInfo();
    throw new PrunasError(`${kernel}: not available in this build (${info.reason ?? (info.libraries ? 'unknown kernel' : 'cuDNN/cuBLAS were not found at build time')})`);
  }
  return fn({ ...args, device });
}

// ---- depthwise ----

export function depthwiseForward(shape: DepthwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.depthwiseForward';
  const s = depthwiseArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  if (bias !== undefined) float32(where, 'bias', bias, s.c);
  const y = new Float32Array(s.n * s.ho * s.wo * s.c);
  call('cudaDepthwiseForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

export function depthwiseBackward(shape: DepthwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: DeviceOption & { bias?: boolean }) {
  const where = 'gpu.depthwiseBackward';
  const s = depthwiseArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  float32(where, 'dy', dy, s.n * s.ho * s.wo * s.c);
  const g = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: o?.bias ? new Float32Array(s.c) : undefined };
  call('cudaDepthwiseBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}

// ---- dense / grouped conv (cuDNN) and linear / pointwise (cuBLAS) ----

export interface MathOption extends DeviceOption {
  /** TF32 tensor cores for float32 math (relative error near 5e-4); default false */
  tf32?: boolean;
}

export function conv2dForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: MathOption): Float32Array {
  const where = 'gpu.conv2dForward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  if (bias !== undefined) float32(where, 'bias', bias, s.cout);
  const y = new Float32Array(s.n * s.ho * s.wo * s.cout);
  call('cudaConv2dForward', { ...s, x, weight: w, bias, y, tf32: boolean(where, 'tf32', o?.tf32 ?? false) }, o);
  return y;
}

export function conv2dBackward(shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: MathOption & { bias?: boolean }) {
  const where = 'gpu.conv2dBackward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  float32(where, 'dy', dy, s.n * s.ho * s.wo * s.cout);
  const g = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: o?.bias ? new Float32Array(s.cout) : undefined };
  call('cudaConv2dBackward', { ...s, x, weight: w, dy, ...g, tf32: boolean(where, 'tf32', o?.tf32 ?? false) }, o);
  return g;
}

/** y[rows, out] = x·Wᵀ + b; a pointwise conv is this with rows = n·h·w. */
export function linearForward(shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: MathOption): Float32Array {
  const where = 'gpu.linearForward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  if (bias !== undefined) float32(where, 'bias', bias, s.out);
  const y = new Float32Array(s.rows * s.out);
  call('cudaLinearForward', { ...s, x, weight: w, bias, y, tf32: boolean(where, 'tf32', o?.tf32 ?? false) }, o);
  return y;
}

export function linearBackward(shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: MathOption & { bias?: boolean }) {
  const where = 'gpu.linearBackward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  float32(where, 'dy', dy, s.rows * s.out);
  const g = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: o?.bias ? new Float32Array(s.out) : undefined };
  call('cudaLinearBackward', { ...s, x, weight: w, dy, ...g, tf32: boolean(where, 'tf32', o?.tf32 ?? false) }, o);
  return g;
}

// ---- the same layers on our own kernels (every CUDA build; strict float32) ----

export function fallbackConv2dForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.fallbackConv2dForward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  if (bias !== undefined) float32(where, 'bias', bias, s.cout);
  const y = new Float32Array(s.n * s.ho * s.wo * s.cout);
  call('cudaFallbackConv2dForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

/** Gradients as conv2dBackward; `dx` / `dw` false skip them (the kernel then gets no output to write). */
export function fallbackConv2dBackward(shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: DeviceOption & { bias?: boolean; dx?: boolean; dw?: boolean }) {
  const where = 'gpu.fallbackConv2dBackward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  float32(where, 'dy', dy, s.n * s.ho * s.wo * s.cout);
  const g = gradients(x.length, w.length, s.cout, o);
  call('cudaFallbackConv2dBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}

export function fallbackLinearForward(shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.fallbackLinearForward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  if (bias !== undefined) float32(where, 'bias', bias, s.out);
  const y = new Float32Array(s.rows * s.out);
  call('cudaFallbackLinearForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

export function fallbackLinearBackward(shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: DeviceOption & { bias?: boolean; dx?: boolean; dw?: boolean }) {
  const where = 'gpu.fallbackLinearBackward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  float32(where, 'dy', dy, s.rows * s.out);
  const g = gradients(x.length, w.length, s.out, o);
  call('cudaFallbackLinearBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}

// ---- batchnorm fused with an activation ----

/** Training updates p.runningMean / p.runningVar in place, as the CPU kernel does. */
export function batchnormForward(rows: number, channels: number, x: Float32Array, p: GpuBatchnormParams, o: GpuBatchnormOptions) {
  const where = 'gpu.batchnormForward';
  const c = bnCommon(where, rows, channels, x, p, o);
  const y = new Float32Array(x.length);
  if (!c.training) {
    call('cudaBatchnormForwardEval', { rows, channels, x, y, ...p, eps: c.eps, activation: c.activation }, o);
    return { y };
  }
  const saveMean = new Float32Array(channels);
  const saveInvStd = new Float32Array(channels);
  const momentum = finite(where, 'momentum', o.momentum ?? 0.1, 0, 1);
  call('cudaBatchnormForwardTrain', { rows, channels, x, y, ...p, saveMean, saveInvStd, momentum, eps: c.eps, activation: c.activation }, o);
  return { y, saveMean, saveInvStd };
}

export function batchnormBackward(rows: number, channels: number, x: Float32Array, dy: Float32Array, p: GpuBatchnormParams, o: GpuBatchnormOptions & { saveMean?: Float32Array; saveInvStd?: Float32Array }) {
  const where = 'gpu.batchnormBackward';
  const c = bnCommon(where, rows, channels, x, p, o);
  float32(where, 'dy', dy, x.length);
  const g = { dx: new Float32Array(x.length), dgamma: new Float32Array(channels), dbeta: new Float32Array(channels) };
  const base = { rows, channels, x, dy, gamma: p.gamma, beta: p.beta, ...g, activation: c.activation };
  if (c.training)
    call('cudaBatchnormBackwardTrain', { ...base, saveMean: float32(where, 'saveMean', o.saveMean, channels), saveInvStd: float32(where, 'saveInvStd', o.saveInvStd, channels) }, o);
  else call('cudaBatchnormBackwardEval', { ...base, runningMean: p.runningMean, runningVar: p.runningVar, eps: c.eps }, o);
  return g;
}

// ---- elementwise, pooling ----

export function activationForward(x: Float32Array, activation: GpuActivation, o?: DeviceOption): Float32Array {
  const where = 'gpu.activationForward';
  const act = ACTIVATIONS.indexOf(oneOf(where, 'activation', activation, ACTIVATIONS));
  const y = new Float32Array(float32(where, 'x', x).length);
  call('cudaActivationForward', { x, y, activation: act }, o);
  return y;
}

export function activationBackward(x: Float32Array, dy: Float32Array, activation: GpuActivation, o?: DeviceOption): Float32Array {
  const where = 'gpu.activationBackward';
  const act = ACTIVATIONS.indexOf(oneOf(where, 'activation', activation, ACTIVATIONS));
  float32(where, 'x', x);
  float32(where, 'dy', dy, x.length);
  const dx = new Float32Array(x.length);
  call('cudaActivationBackward', { x, dy, dx, activation: act }, o);
  return dx;
}

/** The residual add y = a + b. */
export function addForward(a: Float32Array, b: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.addForward';
  float32(where, 'a', a);
  float32(where, 'b', b, a.length);
  const y = new Float32Array(a.length);
  call('cudaAddForward', { a, b, y }, o);
  return y;
}

export function globalAvgPoolForward(shape: PoolShape, x: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.globalAvgPoolForward';
  const s = poolArgs(where, shape);
  float32(where, 'x', x, s.n * s.hw * s.c);
  const y = new Float32Array(s.n * s.c);
  call('cudaGlobalAvgPoolForward', { ...s, x, y }, o);
  return y;
}

export function globalAvgPoolBackward(shape: PoolShape, dy: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.globalAvgPoolBackward';
  const s = poolArgs(where, shape);
  float32(where, 'dy', dy, s.n * s.c);
  const dx = new Float32Array(s.n * s.hw * s.c);
  call('cudaGlobalAvgPoolBackward', { ...s, dy, dx }, o);
  return dx;
}

// ---- losses ----

export function softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, smoothing = 0, o?: DeviceOption) {
  const where = 'gpu.softmaxCrossEntropy';
  const k = integer(where, 'classes', classes, 1, 2 ** 24);
  const n = int32(where, 'labels', labels).length;
  if (n === 0) throw new PrunasRangeError(`${where}: labels must not be empty`);
  float32(where, 'logits', logits, n * k);
  const bad = labels.findIndex((l) => l < 0 || l >= k);
  if (bad >= 0) throw new PrunasRangeError(`${where}: labels[${bad}] = ${labels[bad]} is outside [0, ${k})`);
  const dlogits = new Float32Array(logits.length);
  const correct = new Int32Array(1);
  const loss = call('cudaSoftmaxCrossEntropy', { n, k, logits, labels, smoothing: finite(where, 'smoothing', smoothing, 0, 1), dlogits, correct }, o) as number;
  return { loss, dlogits, correct: correct[0] };
}

export function mseLoss(a: Float32Array, b: Float32Array, o?: DeviceOption) {
  const where = 'gpu.mseLoss';
  if (float32(where, 'a', a).length === 0) throw new PrunasRangeError(`${where}: a must not be empty`);
  float32(where, 'b', b, a.length);
  const da = new Float32Array(a.length);
  return { loss: call('cudaMseLoss', { a, b, da }, o) as number, da };
}

// ---- fused optimizer updates over several tensors ----

function concat(where: string, name: string, parts: Float32Array[], sizes?: number[]): Float32Array {
  const total = parts.reduce((s, p, i) => s + float32(where, `${name}[${i}]`, p, sizes?.[i]).length, 0);
  const flat = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  return flat;
}

function scatter(flat: Float32Array, parts: Float32Array[]): void {
  let at = 0;
  for (const p of parts) {
    p.set(flat.subarray(at, at + p.length));
    at += p.length;
  }
}

/** One torch.optim.SGD step over every tensor, in one launch; updates params (and buffers) in place. */
export function sgdStepMulti(params: Float32Array[], grads: Float32Array[], opts: { lr: number; momentum?: number; nesterov?: boolean; weightDecay?: number }, state: { buffers?: Float32Array[]; first?: boolean } = {}, o?: DeviceOption): void {
  const where = 'gpu.sgdStepMulti';
  const sizes = params.map((p) => p.length);
  const param = concat(where, 'params', params);
  const grad = concat(where, 'grads', grads, sizes);
  const momentum = finite(where, 'momentum', opts.momentum ?? 0, 0, 1);
  if (momentum > 0 && state.buffers === undefined) throw new PrunasRangeError(`${where}: buffers are required when momentum > 0`);
  const buffer = state.buffers ? concat(where, 'buffers', state.buffers, sizes) : undefined;
  call('cudaSgdStep', { param, grad, buffer, sizes: Int32Array.from(sizes), lr: finite(where, 'lr', opts.lr, 0), momentum, nesterov: opts.nesterov ?? false, weightDecay: finite(where, 'weightDecay', opts.weightDecay ?? 0, 0), first: state.first ?? false }, o);
  scatter(param, params);
  if (buffer && state.buffers) scatter(buffer, state.buffers);
}

/** One torch.optim.Adam (AdamW when decoupled) step over every tensor, in one launch. */
export function adamStepMulti(params: Float32Array[], grads: Float32Array[], state: { m: Float32Array[]; v: Float32Array[]; steps: number[] }, opts: { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; decoupled?: boolean }, o?: DeviceOption): void {
  const where = 'gpu.adamStepMulti';
  const sizes = params.map((p) => p.length);
  const param = concat(where, 'params', params);
  const m = concat(where, 'm', state.m, sizes);
  const v = concat(where, 'v', state.v, sizes);
  if (state.steps.length !== params.length) throw new PrunasRangeError(`${where}: steps must have ${params.length} entries, got ${state.steps.length}`);
  const steps = Int32Array.from(state.steps.map((s, i) => integer(where, `steps[${i}]`, s, 1)));
  call('cudaAdamStep', { param, grad: concat(where, 'grads', grads, sizes), m, v, sizes: Int32Array.from(sizes), steps, lr: finite(where, 'lr', opts.lr, 0), beta1: opts.beta1, beta2: opts.beta2, eps: opts.eps, weightDecay: opts.weightDecay, decoupled: opts.decoupled }, o);
  scatter(param, params);
  scatter(m, state.m);
  scatter(v, state.v);
}

// ---- mixed layer and path sampling ----

/** y = residual + Σ_k weights[k]·outputs[k]. */
export function mixedCombine(outputs: Float32Array[], weights: ArrayLike<number>, residual?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.mixedCombine';
  if (outputs.length === 0 || outputs.length !== weights.length) throw new PrunasRangeError(`${where}: need one weight per output, got ${outputs.length} outputs and ${weights.length} weights`);
  const n = float32(where, 'outputs[0]', outputs[0]).length;
  if (residual !== undefined) float32(where, 'residual', residual, n);
  const y = new Float32Array(n);
  call('cudaMixedCombine', { outputs: concat(where, 'outputs', outputs, outputs.map(() => n)), weights: Float32Array.from(weights), residual, y }, o);
  return y;
}

/** g_k = ⟨outputs[k], dy⟩, the gate gradients of a mixed layer. */
export function gateInnerProducts(outputs: Float32Array[], dy: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.gateInnerProducts';
  if (outputs.length === 0) throw new PrunasRangeError(`${where}: outputs must not be empty`);
  float32(where, 'dy', dy);
  const gates = new Float32Array(outputs.length);
  call('cudaGateInnerProducts', { outputs: concat(where, 'outputs', outputs, outputs.map(() => dy.length)), dy, gates }, o);
  return gates;
}

/**
 * Paths drawn on the device from per-layer probabilities with the engine's
 * sampling stream: the same choices as Supernet.samplePaths on the CPU.
 */
export function samplePaths(mode: 'single' | 'pair', probabilities: readonly ArrayLike<number>[], seed: number, counter: number, o?: DeviceOption): { choices: Int32Array; others: Int32Array } {
  const where = 'gpu.samplePaths';
  if (probabilities.length === 0) throw new PrunasRangeError(`${where}: probabilities must not be empty`);
  const offsets = new Int32Array(probabilities.length + 1);
  probabilities.forEach((p, l) => (offsets[l + 1] = offsets[l] + p.length));
  const flat = new Float32Array(offsets[probabilities.length]);
  probabilities.forEach((p, l) => flat.set(Array.from(p), offsets[l]));
  const choices = new Int32Array(probabilities.length);
  const others = new Int32Array(probabilities.length);
  call('cudaSamplePaths', { probabilities: flat, offsets, pair: oneOf(where, 'mode', mode, ['single', 'pair']) === 'pair', seed: integer(where, 'seed', seed, 0, Number.MAX_SAFE_INTEGER), counter: integer(where, 'counter', counter, 0, Number.MAX_SAFE_INTEGER), active: choices, other: others }, o);
  return { choices, others };
}

/** Uniforms of Philox(seed, stream, offset) drawn on the device (philoxFill's stream on the CPU). */
export function philoxUniform(count: number, seed: number, stream = 0, offset = 0, o?: DeviceOption): Float32Array {
  const out = new Float32Array(integer('gpu.philoxUniform', 'count', count, 0));
  call('cudaPhiloxUniform', { out, seed, stream, offset }, o);
  return out;
}

export interface GpuMemoryStats {
  inUse: number;
  cached: number;
  peakInUse: number;
  reserved: number;
  driverAllocations: number;
  cacheHits: number;
}

/** The caching allocator's counters of a device. */
export function gpuMemoryStats(device = 0): GpuMemoryStats {
  const fn = native.cudaMemoryStats as ((d: number) => GpuMemoryStats) | undefined;
  if (typeof fn !== 'function') throw new PrunasError(`gpuMemoryStats: ${gpuInfo().reason ?? 'not available'}`);
  return fn(integer('gpuMemoryStats', 'device', device, 0, 1023));
}

export interface GpuConvAlgorithm {
  /** Pass, device, shape and mode: "fwd cuda:0 n8 32x32 16->32 k3x3 s1x1 p1x1 g1 fp32". */
  conv: string;
  /** cuDNN's algorithm number; null where none qualified and the built-in kernel runs. */
  algorithm: number | null;
  /** The math it runs with: "fma", "default" (TF32 allowed), "tensor-op", "tensor-op-conversion"; "" for the built-in kernel. */
  math: string;
  workspaceBytes: number;
}

/**
 * The cuDNN algorithm chosen for each convolution pass and shape so far (the
 * first deterministic one of cuDNN's ranking within the workspace limit,
 * kept for the process); empty where the addon was built without cuDNN.
 */
export function gpuConvAlgorithms(): GpuConvAlgorithm[] {
  const fn = native.cudaConvAlgorithms as (() => GpuConvAlgorithm[]) | undefined;
  if (typeof fn !== 'function') throw new PrunasError(`gpuConvAlgorithms: ${gpuInfo().reason ?? 'not available'}`);
  return fn();
}

// ---- batches of a native dataset ----

/**
 * The samples `indices` of `dataset` assembled on the device from the dataset
 * resident there (uploaded on its first batch on that device), as
 * Dataset.batch assembles them on the host: the same crops, flips and
 * normalisation. With `emulate` the kernel's own per-sample and per-element
 * functions run on the host instead (no device needed).
 */
export function datasetBatch(dataset: Dataset, indices: Int32Array, opts: BatchOptions & DeviceOption & { emulate?: boolean }): { x: Float32Array; y: Int32Array } {
  const where = 'gpu.datasetBatch';
  int32(where, 'indices', indices);
  const o = options(where, opts);
  const x = new Float32Array(indices.length * dataset.sampleSize);
  const y = new Int32Array(indices.length);
  const args = {
    indices,
    x,
    y,
    pad: integer(where, 'pad', o.pad ?? 0, 0, Math.min(dataset.height, dataset.width)),
    hflip: boolean(where, 'hflip', o.hflip ?? false),
    mean: dataset.mean,
    std: dataset.std,
    seed: integer(where, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER),
    counter: integer(where, 'counter', o.counter ?? 0, 0, Number.MAX_SAFE_INTEGER),
    emulate: boolean(where, 'emulate', o.emulate ?? false),
  };
  // the dataset crosses as its native handle, an object KernelArgs does not name
  call('cudaFillBatch', { ...args, dataset: dataset.nativeHandle() } as unknown as KernelArgs, o);
  return { x, y };
}
