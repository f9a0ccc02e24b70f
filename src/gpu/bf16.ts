// The bf16 kernels of the CUDA backend on host Float32Arrays, for tests and
// experiments: activation inputs are rounded to bf16 on the device, the bf16
// kernel runs (math in float32, sums in double), and activation outputs come
// back widened to float32. Parameters, statistics and their gradients stay
// float32 throughout. Same arguments as the float versions in ./kernels.ts.
import { PrunasError, PrunasRangeError } from '../errors.js';
import type { DepthwiseShape } from '../kernels/conv.js';
import { boolean, finite, float32, int32, integer, options } from '../kernels/check.js';
import { native, type KernelArgs } from '../native.js';
import { bnCommon, concatOutputs, depthwiseArgs, poolArgs, type GpuBatchnormOptions, type GpuBatchnormParams, type PoolShape } from './args.js';
import { gpuInfo, type DeviceOption } from './kernels.js';

function call(kernel: string, args: KernelArgs, o: DeviceOption | undefined): number | undefined {
  const device = integer(kernel, 'device', options(kernel, o ?? {}).device ?? 0, 0, 1023);
  const fn = native[kernel] as ((a: KernelArgs) => number | undefined) | undefined;
  if (typeof fn !== 'function') throw new PrunasError(`${kernel}: not available in this build (${gpuInfo().reason ?? 'the addon predates the bf16 kernels; rebuild it'})`);
  return fn({ ...args, device });
}

/** x rounded to the nearest bf16 (ties to even) on the device, widened back. */
export function round(x: Float32Array, o?: DeviceOption): Float32Array {
  const y = new Float32Array(float32('gpu.bf16.round', 'x', x).length);
  call('cudaBf16Round', { x, y }, o);
  return y;
}

// ---- depthwise ----

export function depthwiseForward(shape: DepthwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.depthwiseForward';
  const s = depthwiseArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  if (bias !== undefined) float32(where, 'bias', bias, s.c);
  const y = new Float32Array(s.n * s.ho * s.wo * s.c);
  call('cudaBf16DepthwiseForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

export function depthwiseBackward(shape: DepthwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: DeviceOption & { bias?: boolean }) {
  const where = 'gpu.bf16.depthwiseBackward';
  const s = depthwiseArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  float32(where, 'dy', dy, s.n * s.ho * s.wo * s.c);
  const g = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: o?.bias ? new Float32Array(s.c) : undefined };
  call('cudaBf16DepthwiseBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}

// ---- batchnorm fused with an activation ----

/** Training updates p.runningMean / p.runningVar in place; `inPlace` has the kernel write y over its input. */
export function batchnormForward(rows: number, channels: number, x: Float32Array, p: GpuBatchnormParams, o: GpuBatchnormOptions & { inPlace?: boolean }) {
  const where = 'gpu.bf16.batchnormForward';
  const c = bnCommon(where, rows, channels, x, p, o);
  const inPlace = boolean(where, 'inPlace', o.inPlace ?? false);
  const y = new Float32Array(x.length);
  if (!c.training) {
    call('cudaBf16BatchnormForwardEval', { rows, channels, x, y, ...p, eps: c.eps, activation: c.activation, inPlace }, o);
    return { y };
  }
  const saveMean = new Float32Array(channels);
  const saveInvStd = new Float32Array(channels);
  const momentum = finite(where, 'momentum', o.momentum ?? 0.1, 0, 1);
  call('cudaBf16BatchnormForwardTrain', { rows, channels, x, y, ...p, saveMean, saveInvStd, momentum, eps: c.eps, activation: c.activation, inPlace }, o);
  return { y, saveMean, saveInvStd };
}

export function batchnormBackward(rows: number, channels: number, x: Float32Array, dy: Float32Array, p: GpuBatchnormParams, o: GpuBatchnormOptions & { saveMean?: Float32Array; saveInvStd?: Float32Array }) {
  const where = 'gpu.bf16.batchnormBackward';
  const c = bnCommon(where, rows, channels, x, p, o);
  float32(where, 'dy', dy, x.length);
  const g = { dx: new Float32Array(x.length), dgamma: new Float32Array(channels), dbeta: new Float32Array(channels) };
  const base = { rows, channels, x, dy, gamma: p.gamma, beta: p.beta, ...g, activation: c.activation };
  if (c.training)
    call('cudaBf16BatchnormBackwardTrain', { ...base, saveMean: float32(where, 'saveMean', o.saveMean, channels), saveInvStd: float32(where, 'saveInvStd', o.saveInvStd, channels) }, o);
  else call('cudaBf16BatchnormBackwardEval', { ...base, runningMean: p.runningMean, runningVar: p.runningVar, eps: c.eps }, o);
  return g;
}

// ---- elementwise, column sums, pooling ----

/** The residual add y = a + b. */
export function addForward(a: Float32Array, b: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.addForward';
  float32(where, 'a', a);
  float32(where, 'b', b, a.length);
  const y = new Float32Array(a.length);
  call('cudaBf16AddForward', { a, b, y }, o);
  return y;
}

/** y[r, c] = x[r, c] + bias[c] over rows × channels (bias float32). */
export function addBias(rows: number, channels: number, x: Float32Array, bias: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.addBias';
  integer(where, 'rows', rows, 1, 2 ** 40);
  float32(where, 'x', x, rows * integer(where, 'channels', channels, 1, 2 ** 20));
  float32(where, 'bias', bias, channels);
  const y = new Float32Array(x.length);
  call('cudaBf16AddBias', { rows, channels, x, bias, y }, o);
  return y;
}

/** out[c] = Σ_r x[r, c] in float32 (the bias gradient of linear layers). */
export function columnSums(rows: number, channels: number, x: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.columnSums';
  integer(where, 'rows', rows, 1, 2 ** 40);
  float32(where, 'x', x, rows * integer(where, 'channels', channels, 1, 2 ** 20));
  const out = new Float32Array(channels);
  call('cudaBf16ColumnSums', { rows, channels, x, out }, o);
  return out;
}

export function globalAvgPoolForward(shape: PoolShape, x: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.globalAvgPoolForward';
  const s = poolArgs(where, shape);
  float32(where, 'x', x, s.n * s.hw * s.c);
  const y = new Float32Array(s.n * s.c);
  call('cudaBf16GlobalAvgPoolForward', { ...s, x, y }, o);
  return y;
}

export function globalAvgPoolBackward(shape: PoolShape, dy: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.globalAvgPoolBackward';
  const s = poolArgs(where, shape);
  float32(where, 'dy', dy, s.n * s.c);
  const dx = new Float32Array(s.n * s.hw * s.c);
  call('cudaBf16GlobalAvgPoolBackward', { ...s, dy, dx }, o);
  return dx;
}

// ---- losses (the loss in double) ----

export function softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, smoothing = 0, o?: DeviceOption) {
  const where = 'gpu.bf16.softmaxCrossEntropy';
  const k = integer(where, 'classes', classes, 1, 2 ** 24);
  const n = int32(where, 'labels', labels).length;
  if (n === 0) throw new PrunasRangeError(`${where}: labels must not be empty`);
  float32(where, 'logits', logits, n * k);
  const bad = labels.findIndex((l) => l < 0 || l >= k);
  if (bad >= 0) throw new PrunasRangeError(`${where}: labels[${bad}] = ${labels[bad]} is outside [0, ${k})`);
  const dlogits = new Float32Array(logits.length);
  const correct = new Int32Array(1);
  const loss = call('cudaBf16SoftmaxCrossEntropy', { n, k, logits, labels, smoothing: finite(where, 'smoothing', smoothing, 0, 1), dlogits, correct }, o) as number;
  return { loss, dlogits, correct: correct[0] };
}

export function mseLoss(a: Float32Array, b: Float32Array, o?: DeviceOption) {
  const where = 'gpu.bf16.mseLoss';
  if (float32(where, 'a', a).length === 0) throw new PrunasRangeError(`${where}: a must not be empty`);
  float32(where, 'b', b, a.length);
  const da = new Float32Array(a.length);
  return { loss: call('cudaBf16MseLoss', { a, b, da }, o) as number, da };
}

// ---- mixed layers and Prunode channel gates ----

/** y = residual + Σ_k weights[k]·outputs[k] (weights float32). */
export function mixedCombine(outputs: Float32Array[], weights: ArrayLike<number>, residual?: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.mixedCombine';
  if (outputs.length === 0 || outputs.length !== weights.length) throw new PrunasRangeError(`${where}: need one weight per output, got ${outputs.length} outputs and ${weights.length} weights`);
  const n = float32(where, 'outputs[0]', outputs[0]).length;
  if (n === 0) throw new PrunasRangeError(`${where}: outputs must not be empty arrays`);
  if (residual !== undefined) float32(where, 'residual', residual, n);
  const y = new Float32Array(n);
  call('cudaBf16MixedCombine', { outputs: concatOutputs(where, outputs, n), weights: Float32Array.from(weights), residual, y }, o);
  return y;
}

/** g_k = ⟨outputs[k], dy⟩ (summed in double, returned as float32). */
export function gateInnerProducts(outputs: Float32Array[], dy: Float32Array, o?: DeviceOption): Float32Array {
  const where = 'gpu.bf16.gateInnerProducts';
  if (outputs.length === 0) throw new PrunasRangeError(`${where}: outputs must not be empty`);
  if (float32(where, 'dy', dy).length === 0) throw new PrunasRangeError(`${where}: dy must not be empty`);
  const gates = new Float32Array(outputs.length);
  call('cudaBf16GateInnerProducts', { outputs: concatOutputs(where, outputs, dy.length), dy, gates }, o);
  return gates;
}

export interface ChannelGateShape {
  rows: number;
  width: number;
  /** the first `small` channels also get smallGate */
  small: number;
}

function gateArgs(where: string, shape: ChannelGateShape) {
  const o = options(where, shape);
  const width = integer(where, 'width', o.width, 1, 2 ** 20);
  return { rows: integer(where, 'rows', o.rows, 1, 2 ** 40), width, small: integer(where, 'small', o.small, 0, width) };
}

/** y[r, j] = (big + (j < small ? smallGate : 0))·x[r, j]; `inPlace` has the kernel write y over x. */
export function channelGate(shape: ChannelGateShape, x: Float32Array, big: number, smallGate: number, o?: DeviceOption & { inPlace?: boolean }): Float32Array {
  const where = 'gpu.bf16.channelGate';
  const s = gateArgs(where, shape);
  float32(where, 'x', x, s.rows * s.width);
  const y = new Float32Array(x.length);
  call('cudaBf16ChannelGate', { ...s, x, y, big: finite(where, 'big', big), smallGate: finite(where, 'smallGate', smallGate), inPlace: boolean(where, 'inPlace', o?.inPlace ?? false) }, o);
  return y;
}

/** (Σ over all channels, Σ over the first `small`) of h·d, summed in double, returned as float32. */
export function channelGateDots(shape: ChannelGateShape, h: Float32Array, d: Float32Array, o?: DeviceOption): { all: number; small: number } {
  const where = 'gpu.bf16.channelGateDots';
  const s = gateArgs(where, shape);
  float32(where, 'h', h, s.rows * s.width);
  float32(where, 'd', d, h.length);
  const dots = new Float32Array(2);
  call('cudaBf16ChannelGateDots', { ...s, h, d, dots }, o);
  return { all: dots[0], small: dots[1] };
}
