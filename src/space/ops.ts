// Ops: a stable key per op, and the ops a layer may take.
import type { Layer, Op } from './spec.js';

/**
 * A stable name for an op within its layer: `mbconv_k5_e6`, `conv_k3`, `zero`;
 * an activation other than relu6 is appended (`mbconv_k3_e3_hswish`). Stride
 * and width are left out: the candidates of a layer share them.
 */
export function opKey(op: Op): string {
  switch (op.kind) {
    case 'mbconv':
      return `mbconv_k${op.kernel}_e${op.expand}${op.act === 'relu6' ? '' : `_${op.act}`}`;
    case 'conv':
      return `conv_k${op.kernel}${op.act === 'relu6' ? '' : `_${op.act}`}`;
    case 'zero':
      return 'zero';
  }
}

/** The ops a layer may take: its candidates, or its one op. */
export function candidatesOf(layer: Layer): readonly Op[] {
  return 'op' in layer ? [layer.op] : layer.candidates;
}
