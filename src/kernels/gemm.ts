// GEMM and the layers that are GEMMs: linear (classifier) and pointwise
// (1×1, stride 1) convolution, whose rows are the N·H·W pixels of NHWC data.
// Weights of both are [out][in].
import { PrunasRangeError } from '../errors.js';
import { syncKernel } from '../native.js';
import { type Prepared, runAsync, runSync } from './call.js';
import { boolean, finite, float32, integer, options } from './check.js';

// The native side accepts the same limit for every dimension.
const MAX_DIM = 2 ** 30;

export interface SgemmArgs {
  transA?: boolean;
  transB?: boolean;
  m: number;
  n: number;
  k: number;
  /** default 1 */
  alpha?: number;
  /** default 0: C is overwritten without being read */
  beta?: number;
  /** row-major; op(A) is m×k, so A is m×k, or k×m when transA */
  a: Float32Array;
  /** row-major; op(B) is k×n, so B is k×n, or n×k when transB */
  b: Float32Array;
  /** row-major m×n, updated in place; must not share memory with a or b */
  c: Float32Array;
  /** row strides; default the row length, at least the row length */
  lda?: number;
  ldb?: number;
  ldc?: number;
}

function prepareSgemm(where: string, args: SgemmArgs): Prepared<Float32Array> {
  const o = options(where, args);
  const transA = boolean(where, 'transA', o.transA ?? false);
  const transB = boolean(where, 'transB', o.transB ?? false);
  const m = integer(where, 'm', o.m, 1, MAX_DIM);
  const n = integer(where, 'n', o.n, 1, MAX_DIM);
  const k = integer(where, 'k', o.k, 1, MAX_DIM);
  const lda = integer(where, 'lda', o.lda ?? (transA ? m : k), transA ? m : k, MAX_DIM);
  const ldb = integer(where, 'ldb', o.ldb ?? (transB ? k : n), transB ? k : n, MAX_DIM);
  const ldc = integer(where, 'ldc', o.ldc ?? n, n, MAX_DIM);
  const alpha = finite(where, 'alpha', o.alpha ?? 1, -1e30, 1e30);
  const beta = finite(where, 'beta', o.beta ?? 0, -1e30, 1e30);
  const a = float32(where, 'a', o.a, ((transA ? k : m) - 1) * lda + (transA ? m : k));
  const b = float32(where, 'b', o.b, ((transB ? n : k) - 1) * ldb + (transB ? k : n));
  const c = float32(where, 'c', o.c, (m - 1) * ldc + n);
  disjoint(where, 'c', c, 'a', a);
  disjoint(where, 'c', c, 'b', b);
  return { kernel: 'sgemm', args: { transA, transB, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c }, result: c };
}

/** C = α·op(A)·op(B) + β·C in place; returns C. */
export const sgemm = (args: SgemmArgs): Float32Array => runSync(prepareSgemm('sgemm', args));
export const sgemmAsync = async (args: SgemmArgs): Promise<Float32Array> => runAsync(prepareSgemm('sgemmAsync', args));

export interface LinearShape {
  /** rows of x: the batch */
  rows: number;
  in: number;
  out: number;
}

export interface PointwiseShape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
}

export interface LinearGradients {
  dx: Float32Array;
  dw: Float32Array;
  /** present when the backward was asked for the bias gradient */
  db?: Float32Array;
}

export interface LinearBackwardOptions {
  /** also compute db (default false) */
  bias?: boolean;
}

/** y[rows, out] = x[rows, in]·Wᵀ + b, W is [out][in]. */
export const linearForward = (shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Float32Array =>
  runSync(prepareForward('linearForward', linearShape('linearForward', shape), x, w, bias));
export const linearForwardAsync = async (shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Promise<Float32Array> =>
  runAsync(prepareForward('linearForwardAsync', linearShape('linearForwardAsync', shape), x, w, bias));
/** dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy. */
export const linearBackward = (shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: LinearBackwardOptions = {}): LinearGradients =>
  runSync(prepareBackward('linearBackward', linearShape('linearBackward', shape), x, w, dy, o));
export const linearBackwardAsync = async (shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: LinearBackwardOptions = {}): Promise<LinearGradients> =>
  runAsync(prepareBackward('linearBackwardAsync', linearShape('linearBackwardAsync', shape), x, w, dy, o));

/** 1×1 stride-1 convolution of NHWC x [n][h][w][cin], weights [cout][cin]; y is [n][h][w][cout]. */
export const pointwiseForward = (shape: PointwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Float32Array =>
  runSync(prepareForward('pointwiseForward', pointwiseShape('pointwiseForward', shape), x, w, bias));
export const pointwiseForwardAsync = async (shape: PointwiseShape, x: Float32Array, w: Float32Array, bias?: Float32Array): Promise<Float32Array> =>
  runAsync(prepareForward('pointwiseForwardAsync', pointwiseShape('pointwiseForwardAsync', shape), x, w, bias));
export const pointwiseBackward = (shape: PointwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: LinearBackwardOptions = {}): LinearGradients =>
  runSync(prepareBackward('pointwiseBackward', pointwiseShape('pointwiseBackward', shape), x, w, dy, o));
export const pointwiseBackwardAsync = async (shape: PointwiseShape, x: Float32Array, w: Float32Array, dy: Float32Array, o: LinearBackwardOptions = {}): Promise<LinearGradients> =>
  runAsync(prepareBackward('pointwiseBackwardAsync', pointwiseShape('pointwiseBackwardAsync', shape), x, w, dy, o));

export interface FmaPeakOptions {
  /** measure on every thread of the pool at once and sum (default false: one thread) */
  allThreads?: boolean;
}

/** Measured FP32 fused multiply-add throughput in GFLOP/s, running for about `seconds`. */
export function fmaPeakGflops(seconds = 0.2, o: FmaPeakOptions = {}): number {
  const where = 'fmaPeakGflops';
  const s = finite(where, 'seconds', seconds, 0.001, 60);
  const allThreads = boolean(where, 'allThreads', options(where, o).allThreads ?? false);
  const r = syncKernel('fmaPeakGflops')({ seconds: s, allThreads });
  if (typeof r !== 'number' || !(r > 0)) throw new PrunasRangeError(`${where}: no measurement`);
  return r;
}

// The checked GEMM view of a layer, and the native kernel (linear or
// pointwise) with the shape fields it takes.
interface Layer {
  kernel: 'linear' | 'pointwise';
  shape: Record<string, number>;
  rows: number;
  in: number;
  out: number;
}

function linearShape(where: string, shape: LinearShape): Layer {
  const o = options(where, shape);
  const rows = integer(where, 'rows', o.rows, 1, MAX_DIM);
  const s = { rows, in: integer(where, 'in', o.in, 1, MAX_DIM), out: integer(where, 'out', o.out, 1, MAX_DIM) };
  return { kernel: 'linear', shape: s, ...s };
}

function pointwiseShape(where: string, shape: PointwiseShape): Layer {
  const o = options(where, shape);
  const n = integer(where, 'n', o.n, 1, MAX_DIM);
  const h = integer(where, 'h', o.h, 1, MAX_DIM);
  const w = integer(where, 'w', o.w, 1, MAX_DIM);
  const cin = integer(where, 'cin', o.cin, 1, MAX_DIM);
  const cout = integer(where, 'cout', o.cout, 1, MAX_DIM);
  const rows = n * h * w;
  if (rows > MAX_DIM) throw new PrunasRangeError(`${where}: n·h·w = ${n}·${h}·${w} exceeds ${MAX_DIM}`);
  return { kernel: 'pointwise', shape: { n, h, w, cin, cout }, rows, in: cin, out: cout };
}

function prepareForward(where: string, l: Layer, x: Float32Array, w: Float32Array, bias?: Float32Array): Prepared<Float32Array> {
  float32(where, 'x', x, l.rows * l.in);
  float32(where, 'w', w, l.out * l.in);
  if (bias !== undefined) float32(where, 'bias', bias, l.out);
  const y = new Float32Array(l.rows * l.out);
  return { kernel: `${l.kernel}Forward`, args: { ...l.shape, x, weight: w, bias, y }, result: y };
}

function prepareBackward(where: string, l: Layer, x: Float32Array, w: Float32Array, dy: Float32Array, o: LinearBackwardOptions): Prepared<LinearGradients> {
  float32(where, 'x', x, l.rows * l.in);
  float32(where, 'w', w, l.out * l.in);
  float32(where, 'dy', dy, l.rows * l.out);
  const withBias = boolean(where, 'bias', options(where, o).bias ?? false);
  const g: LinearGradients = { dx: new Float32Array(x.length), dw: new Float32Array(w.length) };
  if (withBias) g.db = new Float32Array(l.out);
  return { kernel: `${l.kernel}Backward`, args: { ...l.shape, x, weight: w, dy, ...g }, result: g };
}

// An output written while inputs are read must not share memory with them.
function disjoint(where: string, outName: string, out: Float32Array, inName: string, input: Float32Array): void {
  if (out.buffer !== input.buffer) return;
  const overlap = out.byteOffset < input.byteOffset + input.byteLength && input.byteOffset < out.byteOffset + out.byteLength;
  if (overlap) throw new PrunasRangeError(`${where}: ${outName} must not share memory with ${inName}`);
}
