// Shapes through a space: every layer's input and output, and the rules that
// need them (candidates agree on stride and width, zero only where a residual
// exists, no stride 2 on a 1-pixel map). Convolutions pad k // 2 on each side
// ("same"), so a stride-s op maps H to ceil(H / s).
import type { ConvOp, Layer, MBConvOp, Op, SearchSpace, Shape } from './spec.js';
import { candidatesOf, opKey } from './ops.js';

/** One layer of a space, with everything derived about it. */
export interface LayerInfo {
  readonly name: string;
  /** The stage's name. */
  readonly stage: string;
  /** Position among all layers of the space, fixed ones included. */
  readonly index: number;
  /** Where it is in the spec, for messages: `stages[1].layers[2]`. */
  readonly path: string;
  readonly searchable: boolean;
  /** The candidates, or the one op of a fixed layer. */
  readonly candidates: readonly Op[];
  /** opKey of each candidate. */
  readonly keys: readonly string[];
  readonly stride: 1 | 2;
  /** Output channels (output.channels). */
  readonly out: number;
  readonly input: Shape;
  readonly output: Shape;
  /** Stride 1 and as many channels out as in: the identity is added to the op's output. */
  readonly residual: boolean;
}

/** Every layer of a validated space, in order (cached: a validated space is frozen). */
export function layersOf(space: SearchSpace): readonly LayerInfo[] {
  let layers = cache.get(space);
  if (!layers) {
    layers = Object.freeze(walkLayers(space));
    cache.set(space, layers);
  }
  return layers;
}

/** The layers with candidates to choose from, in order. */
export function searchableLayers(space: SearchSpace): readonly LayerInfo[] {
  return layersOf(space).filter((l) => l.searchable);
}

/** Shape after the stem. */
export function stemOutput(space: SearchSpace): Shape {
  return layersOf(space)[0].input;
}

/** Shape after the last layer, which the head (or the pool) reads. */
export function featureShape(space: SearchSpace): Shape {
  const layers = layersOf(space);
  return layers[layers.length - 1].output;
}

/** Output size of a "same"-padded conv with this stride. */
export function down(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

const cache = new WeakMap<SearchSpace, readonly LayerInfo[]>();

type Report = (path: string, message: string) => void;

const noReport: Report = (path, message) => {
  throw new Error(`internal: a validated space broke a rule: ${path} ${message}`);
};

/** Walks the layers, reporting every broken rule (validation) or trusting the space (after it). */
export function walkLayers(space: SearchSpace, report: Report = noReport): LayerInfo[] {
  const infos: LayerInfo[] = [];
  let shape: Shape = Object.freeze({ ...shrink(space.input, space.stem.stride, 'stem', report), channels: space.stem.out });
  space.stages.forEach((stage, si) =>
    stage.layers.forEach((layer, li) => {
      const path = `stages[${si}].layers[${li}]`;
      const { stride, out } = agreedShape(layer, path, shape.channels, report);
      const output: Shape = Object.freeze({ ...shrink(shape, stride, path, report), channels: out });
      const residual = stride === 1 && out === shape.channels;
      const candidates = Object.freeze(candidatesOf(layer));
      const keys = candidates.map(opKey);
      candidates.forEach((op, ci) => {
        const where = `${path}.candidates[${ci}]`;
        if (op.kind === 'zero' && !residual)
          report(where, `zero needs a residual (stride 1 and as many channels out as in), but the layer has stride ${stride} and ${shape.channels} → ${out} channels`);
        const first = keys.indexOf(keys[ci]);
        if (first !== ci) report(where, `repeats candidates[${first}] (${keys[ci]})`);
      });
      infos.push(
        Object.freeze({
          name: layer.name,
          stage: stage.name,
          index: infos.length,
          path,
          searchable: !('op' in layer),
          candidates,
          keys: Object.freeze(keys),
          stride,
          out,
          input: shape,
          output,
          residual,
        }),
      );
      shape = output;
    }),
  );
  return infos;
}

/** The stride and width every non-zero candidate shares (zero keeps the input's). */
function agreedShape(layer: Layer, path: string, cin: number, report: Report): { stride: 1 | 2; out: number } {
  const ops = candidatesOf(layer).map((op, index) => ({ op, index })).filter((c): c is { op: MBConvOp | ConvOp; index: number } => c.op.kind !== 'zero');
  if (ops.length === 0) {
    report(`${path}.candidates`, 'must hold at least one op other than zero');
    return { stride: 1, out: cin };
  }
  const [first, ...others] = ops;
  for (const { op, index } of others) {
    if (op.stride !== first.op.stride)
      report(`${path}.candidates[${index}].stride`, `must equal candidates[${first.index}].stride (${first.op.stride}): a layer's candidates share stride and width, got ${op.stride}`);
    if (op.out !== first.op.out)
      report(`${path}.candidates[${index}].out`, `must equal candidates[${first.index}].out (${first.op.out}): a layer's candidates share stride and width, got ${op.out}`);
  }
  return { stride: first.op.stride, out: first.op.out };
}

function shrink(shape: Shape, stride: number, path: string, report: Report): Shape {
  if (stride === 2 && (shape.height < 2 || shape.width < 2))
    report(`${path}.stride`, `is 2 on a ${shape.height}×${shape.width} feature map: a stride-2 op needs at least 2 pixels in each direction`);
  return { height: down(shape.height, stride), width: down(shape.width, stride), channels: shape.channels };
}
