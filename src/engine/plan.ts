// A search space as the native supernet's plan: flat integer tables, so the
// plan crosses the boundary in a handful of TypedArrays.
import { layersOf, type Activation, type SearchSpace } from '../space/spec.js';

const ACTIVATION_CODES: Record<Activation | 'none', number> = { none: 0, relu: 1, relu6: 2, hswish: 3 };

export interface NativePlan {
  height: number;
  width: number;
  channels: number;
  classes: number;
  stem: Int32Array;
  head: Int32Array;
  layers: Int32Array;
  candidates: Int32Array;
}

export function planOf(space: SearchSpace): NativePlan {
  const layers: number[] = [];
  const candidates: number[] = [];
  for (const layer of layersOf(space)) {
    layers.push(layer.out, layer.stride, layer.candidates.length);
    for (const op of layer.candidates) {
      if (op.kind === 'zero') candidates.push(1, 0, 0, 0);
      else if (op.kind === 'mbconv') candidates.push(0, op.kernel, op.expand, ACTIVATION_CODES[op.act]);
      else throw new RangeError(`layer ${layer.name}: op kind ${op.kind} is not supported inside the supernet yet`);
    }
  }
  return {
    height: space.input.height,
    width: space.input.width,
    channels: space.input.channels,
    classes: space.classes,
    stem: Int32Array.from([space.stem.kernel, space.stem.stride, space.stem.out, ACTIVATION_CODES[space.stem.act]]),
    head: Int32Array.from(space.head ? [space.head.out, ACTIVATION_CODES[space.head.act]] : [0, 0]),
    layers: Int32Array.from(layers),
    candidates: Int32Array.from(candidates),
  };
}
