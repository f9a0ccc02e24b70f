// Ops: a stable key per op, and the ops a layer may take.
import type { Layer, MBConvOp, Op, PrunodeOp } from './spec.js';

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
    case 'prunode':
      return `prunode_k${op.kernel}_e${op.expand}_d${op.step}_m${op.minWidth}${op.act === 'relu6' ? '' : `_${op.act}`}`;
  }
}

/** A Prunode outside a search: the MBConv at its maximal hidden width. */
export function asMBConv(op: PrunodeOp | MBConvOp): MBConvOp {
  return op.kind === 'mbconv' ? op : { kind: 'mbconv', kernel: op.kernel, expand: op.expand, stride: op.stride, out: op.out, act: op.act };
}

/** The ops a layer may take: its candidates, or its one op. */
export function candidatesOf(layer: Layer): readonly Op[] {
  return 'op' in layer ? [layer.op] : layer.candidates;
}
