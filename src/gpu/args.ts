// Argument checks shared by the GPU kernel wrappers (kernels.ts, bf16.ts,
// bf16-layers.ts): the same shapes and options, validated the same way,
// whatever the storage of the activations.
import { PrunasRangeError } from '../errors.js';
import { conv2dOutputSize, type Conv2dShape, type DepthwiseShape } from '../kernels/conv.js';
import { boolean, finite, float32, integer, oneOf, options } from '../kernels/check.js';

export type GpuActivation = 'none' | 'relu' | 'relu6' | 'hswish';
export const ACTIVATIONS: readonly GpuActivation[] = ['none', 'relu', 'relu6', 'hswish'];

export interface LinearShape {
  rows: number;
  in: number;
  out: number;
}

export interface PoolShape {
  n: number;
  h: number;
  w: number;
  c: number;
}

export interface GpuBatchnormParams {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

export interface GpuBatchnormOptions {
  device?: number;
  training: boolean;
  momentum?: number;
  eps?: number;
  activation?: GpuActivation;
}

// conv2dOutputSize validates the spatial fields (kernel, stride, pad) with the CPU wrappers' rules.
export function spatialArgs(shape: DepthwiseShape | Conv2dShape) {
  const { ho, wo } = conv2dOutputSize(shape);
  const pair = (v: unknown, fallback: number): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [(v as number | undefined) ?? fallback, (v as number | undefined) ?? fallback]);
  const [kh, kw] = pair(shape.kernel, 1);
  const [strideH, strideW] = pair(shape.stride, 1);
  const [padH, padW] = shape.pad === undefined ? [kh >> 1, kw >> 1] : pair(shape.pad, 0);
  return { n: shape.n, h: shape.h, w: shape.w, kh, kw, strideH, strideW, padH, padW, ho, wo };
}

export function depthwiseArgs(where: string, shape: DepthwiseShape) {
  return { ...spatialArgs(shape), c: integer(where, 'c', shape.c, 1, 2 ** 16) };
}

export function convArgs(where: string, shape: Conv2dShape) {
  const s = spatialArgs(options(where, shape) as unknown as Conv2dShape);
  const cin = integer(where, 'cin', shape.cin, 1, 2 ** 16);
  const cout = integer(where, 'cout', shape.cout, 1, 2 ** 16);
  const groups = integer(where, 'groups', shape.groups ?? 1, 1, cin);
  if (cin % groups !== 0 || cout % groups !== 0) throw new PrunasRangeError(`${where}: groups = ${groups} must divide cin = ${cin} and cout = ${cout}`);
  return { ...s, cin, cout, groups };
}

export function linearArgs(where: string, shape: LinearShape) {
  const o = options(where, shape);
  return { rows: integer(where, 'rows', o.rows, 1), in: integer(where, 'in', o.in, 1), out: integer(where, 'out', o.out, 1) };
}

export function poolArgs(where: string, shape: PoolShape) {
  const o = options(where, shape);
  return { n: integer(where, 'n', o.n, 1), hw: integer(where, 'h', o.h, 1) * integer(where, 'w', o.w, 1), c: integer(where, 'c', o.c, 1) };
}

/** Output arrays of a layer's backward: dx and dw unless switched off, db when asked for. */
export function gradients(xLength: number, wLength: number, channels: number, o?: { bias?: boolean; dx?: boolean; dw?: boolean }) {
  return {
    dx: o?.dx === false ? undefined : new Float32Array(xLength),
    dw: o?.dw === false ? undefined : new Float32Array(wLength),
    db: o?.bias ? new Float32Array(channels) : undefined,
  };
}

/** The checks of a batchnorm call; the activation as its kernel code. */
export function bnCommon(where: string, rows: number, channels: number, x: Float32Array, p: GpuBatchnormParams, o: GpuBatchnormOptions) {
  const training = boolean(where, 'training', options(where, o).training);
  integer(where, 'rows', rows, training ? 2 : 1, 2 ** 40);
  integer(where, 'channels', channels, 1, 2 ** 20);
  float32(where, 'x', x, rows * channels);
  for (const k of ['gamma', 'beta', 'runningMean', 'runningVar'] as const) float32(where, k, p[k], channels);
  const activation = ACTIVATIONS.indexOf(oneOf(where, 'activation', o.activation ?? 'none', ACTIVATIONS));
  return { training, activation, eps: finite(where, 'eps', o.eps ?? 1e-5, 1e-12, 1) };
}

/** Equal-length arrays end to end (the outputs of a mixed layer's candidates). */
export function concatOutputs(where: string, outputs: Float32Array[], n: number): Float32Array {
  const flat = new Float32Array(outputs.length * n);
  outputs.forEach((p, k) => flat.set(float32(where, `outputs[${k}]`, p, n), k * n));
  return flat;
}
