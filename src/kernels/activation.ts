// Elementwise activations and the residual add.
import { asyncKernel, syncKernel } from '../native.js';
import { float32, oneOf } from './check.js';

export const activations = ['relu', 'relu6', 'hswish'] as const;
export type Activation = (typeof activations)[number];

/** y = act(x). */
export function activationForward(kind: Activation, x: Float32Array): Float32Array {
  const where = 'activationForward';
  const k = oneOf(where, 'kind', kind, activations);
  float32(where, 'x', x);
  const y = new Float32Array(x.length);
  syncKernel(`${k}Forward`)({ x, y });
  return y;
}

/** dx = act'(x) ⊙ dy. */
export function activationBackward(kind: Activation, x: Float32Array, dy: Float32Array): Float32Array {
  const where = 'activationBackward';
  const k = oneOf(where, 'kind', kind, activations);
  float32(where, 'x', x);
  float32(where, 'dy', dy, x.length);
  const dx = new Float32Array(x.length);
  syncKernel(`${k}Backward`)({ x, dy, dx });
  return dx;
}

/** y = a + b (its backward passes dy to both inputs unchanged). */
export function add(a: Float32Array, b: Float32Array): Float32Array {
  float32('add', 'a', a);
  float32('add', 'b', b, a.length);
  const y = new Float32Array(a.length);
  syncKernel('addForward')({ a, b, y });
  return y;
}

export async function activationForwardAsync(kind: Activation, x: Float32Array): Promise<Float32Array> {
  const where = 'activationForwardAsync';
  const k = oneOf(where, 'kind', kind, activations);
  float32(where, 'x', x);
  const y = new Float32Array(x.length);
  await asyncKernel(`${k}Forward`)({ x, y });
  return y;
}
