// GEMM and the layers that are GEMMs: linear (classifier) and pointwise
// (1×1, stride 1) convolution, whose rows are the N·H·W pixels of NHWC data.
import { PrunasRangeError } from '../errors.js';
import { syncKernel } from '../native.js';
import { type Prepared, runAsync, runSync } from './call.js';
import { boolean, finite, float32, integer, options } from './check.js';

export interface SgemmArgs {
  transA?: boolean;
  transB?: boolean;
  m: number;
  n: number;
  k: number;
  alpha?: number;
  beta?: number;
  /** row-major op(A) is m×k; A is k×m when transA */
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  lda?: number;
  ldb?: number;
  ldc?: number;
}

function prepareSgemm(where: string, args: SgemmArgs): Prepared<Float32Array> {
  const o = options(where, args);
  const transA = boolean(where, 'transA', o.transA ?? false);
  const transB = boolean(where, 'transB', o.transB ?? false);
  const m = integer(where, 'm', o.m, 1);
  const n = integer(where, 'n', o.n, 1);
  const k = integer(where, 'k', o.k, 1);
  const lda = integer(where, 'lda', o.lda ?? (transA ? m : k), transA ? m : k);
  const ldb = integer(where, 'ldb', o.ldb ?? (transB ? k : n), transB ? k : n);
  const ldc = integer(where, 'ldc', o.ldc ?? n, n);
  const alpha = finite(where, 'alpha', o.alpha ?? 1);
  const beta = finite(where, 'beta', o.beta ?? 0);
  const a = float32(where, 'a', o.a, ((transA ? k : m) - 1) * lda + (transA ? m : k));
  const b = float32(where, 'b', o.b, ((transB ? n : k) - 1) * ldb + (transB ? k : n));
  const c = float32(where, 'c', o.c, (m - 1) * ldc + n);
  return { kernel: 'sgemm', args: { transA, transB, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c }, result: c };
}

/** C = α·op(A)·op(B) + β·C in place; returns C. */
export const sgemm = (args: SgemmArgs) => runSync(prepareSgemm('sgemm', args));
export const sgemmAsync = async (args: SgemmArgs) => runAsync(prepareSgemm('sgemmAsync', args));

export interface LinearShape {
  /** rows of x: the batch (linear) or N·H·W (pointwise) */
  rows: number;
  in: number;
  out: number;
}

export interface LinearGradients {
  dx: Float32Array;
  dw: Float32Array;
  db?: Float32Array;
}

function linearShape(where: string, shape: LinearShape): LinearShape {
  const o = options(where, shape);
  return { rows: integer(where, 'rows', o.rows, 1), in: integer(where, 'in', o.in, 1), out: integer(where, 'out', o.out, 1) };
}

function prepareLinearForward(where: string, shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Prepared<Float32Array> {
  const s = linearShape(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  if (bias !== undefined) float32(where, 'bias', bias, s.out);
  const y = new Float32Array(s.rows * s.out);
  return { kernel: 'linearForward', args: { ...s, x, weight: w, bias, y }, result: y };
}

function prepareLinearBackward(where: string, shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, withBias: boolean): Prepared<LinearGradients> {
  const s = linearShape(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  float32(where, 'dy', dy, s.rows * s.out);
  const g: LinearGradients = { dx: new Float32Array(x.length), dw: new Float32Array(w.length), db: withBias ? new Float32Array(s.out) : undefined };
  return { kernel: 'linearBackward', args: { ...s, x, weight: w, dy, ...g }, result: g };
}

/** y[rows, out] = x[rows, in]·Wᵀ + b, W is [out][in]. */
export const linearForward = (shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array) =>
  runSync(prepareLinearForward('linearForward', shape, x, w, bias));
export const linearForwardAsync = async (shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array) =>
  runAsync(prepareLinearForward('linearForwardAsync', shape, x, w, bias));
export const linearBackward = (shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: { bias?: boolean } = {}) =>
  runSync(prepareLinearBackward('linearBackward', shape, x, w, dy, o.bias ?? false));
export const linearBackwardAsync = async (shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: { bias?: boolean } = {}) =>
  runAsync(prepareLinearBackward('linearBackwardAsync', shape, x, w, dy, o.bias ?? false));

export interface PointwiseShape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
}

function pointwiseAsLinear(where: string, shape: PointwiseShape): LinearShape {
  const o = options(where, shape);
  const n = integer(where, 'n', o.n, 1);
  const h = integer(where, 'h', o.h, 1);
  const w = integer(where, 'w', o.w, 1);
  return { rows: n * h * w, in: integer(where, 'cin', o.cin, 1), out: integer(where, 'cout', o.cout, 1) };
}

/** 1×1 stride-1 convolution over NHWC x, weights [cout][cin]. */
export const pointwiseForward = (shape: PointwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array) =>
  runSync(prepareLinearForward('pointwiseForward', pointwiseAsLinear('pointwiseForward', shape), x, w, bias));
export const pointwiseForwardAsync = async (shape: PointwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array) =>
  runAsync(prepareLinearForward('pointwiseForwardAsync', pointwiseAsLinear('pointwiseForwardAsync', shape), x, w, bias));
export const pointwiseBackward = (shape: PointwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: { bias?: boolean } = {}) =>
  runSync(prepareLinearBackward('pointwiseBackward', pointwiseAsLinear('pointwiseBackward', shape), x, w, dy, o.bias ?? false));

/** This core's measured FP32 FMA throughput in GFLOP/s (one thread). */
export function fmaPeakGflops(seconds = 0.2): number {
  const s = finite('fmaPeakGflops', 'seconds', seconds, 0.001, 60);
  const r = syncKernel('fmaPeakGflops')({ seconds: s });
  if (typeof r !== 'number') throw new PrunasRangeError('fmaPeakGflops: no measurement');
  return r;
}
