// Global average pooling: NHWC [n, h, w, c] → [n, c].
import { type Prepared, runAsync, runSync } from './call.js';
import { float32, integer, options } from './check.js';

export interface PoolShape {
  n: number;
  h: number;
  w: number;
  c: number;
}

export const globalAvgPoolForward = (shape: PoolShape, x: Float32Array): Float32Array =>
  runSync(prepareForward('globalAvgPoolForward', shape, x));
export const globalAvgPoolForwardAsync = async (shape: PoolShape, x: Float32Array): Promise<Float32Array> =>
  runAsync(prepareForward('globalAvgPoolForwardAsync', shape, x));

/** dx [n, h, w, c] = dy[n, c] / (h·w) at every position. */
export const globalAvgPoolBackward = (shape: PoolShape, dy: Float32Array): Float32Array =>
  runSync(prepareBackward('globalAvgPoolBackward', shape, dy));
export const globalAvgPoolBackwardAsync = async (shape: PoolShape, dy: Float32Array): Promise<Float32Array> =>
  runAsync(prepareBackward('globalAvgPoolBackwardAsync', shape, dy));

function prepareForward(where: string, shape: PoolShape, x: Float32Array): Prepared<Float32Array> {
  const s = shapeOf(where, shape);
  float32(where, 'x', x, s.n * s.hw * s.c);
  const y = new Float32Array(s.n * s.c);
  return { kernel: 'globalAvgPoolForward', args: { ...s, x, y }, result: y };
}

function prepareBackward(where: string, shape: PoolShape, dy: Float32Array): Prepared<Float32Array> {
  const s = shapeOf(where, shape);
  float32(where, 'dy', dy, s.n * s.c);
  const dx = new Float32Array(s.n * s.hw * s.c);
  return { kernel: 'globalAvgPoolBackward', args: { ...s, dy, dx }, result: dx };
}

function shapeOf(where: string, shape: PoolShape) {
  const o = options(where, shape);
  const n = integer(where, 'n', o.n, 1);
  const hw = integer(where, 'h', o.h, 1) * integer(where, 'w', o.w, 1);
  return { n, hw, c: integer(where, 'c', o.c, 1) };
}
