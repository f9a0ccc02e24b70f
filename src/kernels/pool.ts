// Global average pooling: NHWC [n, h, w, c] → [n, c].
import { runSync } from './call.js';
import { float32, integer, options } from './check.js';

export interface PoolShape {
  n: number;
  h: number;
  w: number;
  c: number;
}

function shapeOf(where: string, shape: PoolShape) {
  const o = options(where, shape);
  const n = integer(where, 'n', o.n, 1);
  const hw = integer(where, 'h', o.h, 1) * integer(where, 'w', o.w, 1);
  return { n, hw, c: integer(where, 'c', o.c, 1) };
}

export function globalAvgPoolForward(shape: PoolShape, x: Float32Array): Float32Array {
  const s = shapeOf('globalAvgPoolForward', shape);
  float32('globalAvgPoolForward', 'x', x, s.n * s.hw * s.c);
  const y = new Float32Array(s.n * s.c);
  return runSync({ kernel: 'globalAvgPoolForward', args: { ...s, x, y }, result: y });
}

export function globalAvgPoolBackward(shape: PoolShape, dy: Float32Array): Float32Array {
  const s = shapeOf('globalAvgPoolBackward', shape);
  float32('globalAvgPoolBackward', 'dy', dy, s.n * s.c);
  const dx = new Float32Array(s.n * s.hw * s.c);
  return runSync({ kernel: 'globalAvgPoolBackward', args: { ...s, dy, dx }, result: dx });
}
