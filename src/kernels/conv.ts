// Dense, grouped and depthwise convolutions over NHWC float32 tensors.
// Weights: dense/grouped OHWI [cout][kh][kw][cin/groups]; depthwise [kh][kw][c].
//
// Shape defaults: stride 1; pad floor(k/2) per axis ("same" output size for
// odd k at stride 1); groups 1. A pair [h, w] sets the two axes apart.
// Padding is zero padding on both sides of an axis, at most k − 1.
import { PrunasRangeError } from '../errors.js';
import { type Prepared, runAsync, runSync } from './call.js';
import { boolean, float32, integer, options } from './check.js';

/** One number for both axes, or [height, width]. */
export type ConvPair = number | [number, number];

export interface Conv2dShape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  /** kernel size, each 1..7 */
  kernel: ConvPair;
  /** 1 or 2; default 1 */
  stride?: ConvPair;
  /** zero padding per side, 0..k−1; default floor(k/2) */
  pad?: ConvPair;
  /** divides cin and cout; default 1 */
  groups?: number;
}

export type DepthwiseShape = Omit<Conv2dShape, 'cin' | 'cout' | 'groups'> & { c: number };
export type SpatialShape = Omit<Conv2dShape, 'cin' | 'cout' | 'groups'>;

export interface ConvGradients {
  dx: Float32Array;
  dw: Float32Array;
  /** present when the backward was asked for the bias gradient */
  db?: Float32Array;
}

export interface ConvBackwardOptions {
  /** also compute db (default false) */
  bias?: boolean;
}

// The native side accepts the same limits.
const MAX_BATCH = 2 ** 24;
const MAX_SIZE = 2 ** 16;

interface Spatial {
  n: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
}

/** Output height and width of a convolution: floor((h + 2·padH − kh) / strideH) + 1, same for w. */
export function conv2dOutputSize(shape: SpatialShape): { ho: number; wo: number } {
  return outputSize(spatial('conv2dOutputSize', shape));
}

/** @deprecated the same as conv2dOutputSize */
export const convOutputSize = conv2dOutputSize;

function outputSize(s: Spatial): { ho: number; wo: number } {
  return { ho: Math.floor((s.h + 2 * s.padH - s.kh) / s.strideH) + 1, wo: Math.floor((s.w + 2 * s.padW - s.kw) / s.strideW) + 1 };
}

function pair(where: string, name: string, v: unknown, min: number, max: number): [number, number] {
  if (Array.isArray(v) && v.length === 2) return [integer(where, `${name}[0]`, v[0], min, max), integer(where, `${name}[1]`, v[1], min, max)];
  const s = integer(where, name, v, min, max);
  return [s, s];
}

function spatial(where: string, shape: unknown): Spatial {
  const o = options(where, shape);
  const n = integer(where, 'n', o.n, 1, MAX_BATCH);
  const h = integer(where, 'h', o.h, 1, MAX_SIZE);
  const w = integer(where, 'w', o.w, 1, MAX_SIZE);
  const [kh, kw] = pair(where, 'kernel', o.kernel, 1, 7);
  const [strideH, strideW] = pair(where, 'stride', o.stride ?? 1, 1, 2);
  const [padH, padW] = o.pad === undefined ? [kh >> 1, kw >> 1] : pair(where, 'pad', o.pad, 0, 6);
  if (padH > kh - 1 || padW > kw - 1)
    throw new PrunasRangeError(`${where}: pad must be below the kernel size, got pad ${padH}×${padW} for kernel ${kh}×${kw}`);
  if (h + 2 * padH < kh || w + 2 * padW < kw)
    throw new PrunasRangeError(`${where}: input ${h}×${w} is smaller than the kernel ${kh}×${kw} after padding`);
  return { n, h, w, kh, kw, strideH, strideW, padH, padW };
}

function conv2dShape(where: string, shape: Conv2dShape) {
  const s = spatial(where, shape);
  const cin = integer(where, 'cin', shape.cin, 1, MAX_SIZE);
  const cout = integer(where, 'cout', shape.cout, 1, MAX_SIZE);
  const groups = integer(where, 'groups', shape.groups ?? 1, 1, cin);
  if (cin % groups !== 0 || cout % groups !== 0)
    throw new PrunasRangeError(`${where}: groups = ${groups} must divide cin = ${cin} and cout = ${cout}`);
  return { ...s, cin, cout, groups };
}

function depthwiseShape(where: string, shape: DepthwiseShape) {
  const s = spatial(where, shape);
  return { ...s, c: integer(where, 'c', shape.c, 1, MAX_SIZE) };
}

function wantsBias(where: string, o: unknown): boolean {
  if (o === undefined) return false;
  const bias = options(where, o).bias;
  return bias === undefined ? false : boolean(where, 'bias', bias);
}

function prepareConv2dForward(where: string, shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Prepared<Float32Array> {
  const s = conv2dShape(where, shape);
  const { ho, wo } = outputSize(s);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  if (bias !== undefined) float32(where, 'bias', bias, s.cout);
  const y = new Float32Array(s.n * ho * wo * s.cout);
  return { kernel: 'conv2dForward', args: { ...s, x, weight: w, bias, y }, result: y };
}

function prepareConv2dBackward(where: string, shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: unknown): Prepared<ConvGradients> {
  const s = conv2dShape(where, shape);
  const { ho, wo } = outputSize(s);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  float32(where, 'dy', dy, s.n * ho * wo * s.cout);
  const g: ConvGradients = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: wantsBias(where, o) ? new Float32Array(s.cout) : undefined };
  return { kernel: 'conv2dBackward', args: { ...s, x, weight: w, dy, ...g }, result: g };
}

function prepareDepthwiseForward(where: string, shape: DepthwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Prepared<Float32Array> {
  const s = depthwiseShape(where, shape);
  const { ho, wo } = outputSize(s);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  if (bias !== undefined) float32(where, 'bias', bias, s.c);
  const y = new Float32Array(s.n * ho * wo * s.c);
  return { kernel: 'depthwiseForward', args: { ...s, x, weight: w, bias, y }, result: y };
}

function prepareDepthwiseBackward(where: string, shape: DepthwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: unknown): Prepared<ConvGradients> {
  const s = depthwiseShape(where, shape);
  const { ho, wo } = outputSize(s);
  float32(where, 'x', x, s.n * s.h * s.w * s.c);
  float32(where, 'w', w, s.kh * s.kw * s.c);
  float32(where, 'dy', dy, s.n * ho * wo * s.c);
  const g: ConvGradients = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: wantsBias(where, o) ? new Float32Array(s.c) : undefined };
  return { kernel: 'depthwiseBackward', args: { ...s, x, weight: w, dy, ...g }, result: g };
}

/** y [n, ho, wo, cout] = conv(x [n, h, w, cin], w OHWI) (+ bias [cout]). */
export const conv2dForward = (shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Float32Array =>
  runSync(prepareConv2dForward('conv2dForward', shape, x, w, bias));
export const conv2dForwardAsync = async (shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Promise<Float32Array> =>
  runAsync(prepareConv2dForward('conv2dForwardAsync', shape, x, w, bias));
/** Gradients of Σ dy ⊙ y with respect to x, w (and the bias when `bias: true`). */
export const conv2dBackward = (shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: ConvBackwardOptions): ConvGradients =>
  runSync(prepareConv2dBackward('conv2dBackward', shape, x, w, dy, o));
export const conv2dBackwardAsync = async (shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: ConvBackwardOptions): Promise<ConvGradients> =>
  runAsync(prepareConv2dBackward('conv2dBackwardAsync', shape, x, w, dy, o));
/** y [n, ho, wo, c] = depthwise conv(x [n, h, w, c], w [kh][kw][c]) (+ bias [c]). */
export const depthwiseForward = (shape: DepthwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Float32Array =>
  runSync(prepareDepthwiseForward('depthwiseForward', shape, x, w, bias));
export const depthwiseForwardAsync = async (shape: DepthwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Promise<Float32Array> =>
  runAsync(prepareDepthwiseForward('depthwiseForwardAsync', shape, x, w, bias));
export const depthwiseBackward = (shape: DepthwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: ConvBackwardOptions): ConvGradients =>
  runSync(prepareDepthwiseBackward('depthwiseBackward', shape, x, w, dy, o));
export const depthwiseBackwardAsync = async (shape: DepthwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: ConvBackwardOptions): Promise<ConvGradients> =>
  runAsync(prepareDepthwiseBackward('depthwiseBackwardAsync', shape, x, w, dy, o));
