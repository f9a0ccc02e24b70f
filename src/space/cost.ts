// Multiply-adds and parameters of ops, layers and architectures.
//
// Counting convention (the one behind MobileNetV2's published 300M
// multiply-adds and torchvision's 3,504,872 parameters, and the one
// ProxylessNAS, MnasNet and FBNet report as "FLOPs"/"MACs"):
// - MACs: convolutions, Ho·Wo·K·K·(Cin/groups)·Cout, and the classifier,
//   in·out. BN, activations, residual adds, pooling and biases cost nothing.
//   One multiply-add is one MAC (not two FLOPs).
// - Parameters: conv weights K·K·(Cin/groups)·Cout (convs carry no bias:
//   BN follows every one), BN γ and β (2 per channel; the running mean and
//   variance are buffers, not parameters), classifier weight and bias.
// - `zero` costs nothing: the layer becomes the identity.
import { PrunasRangeError } from '../errors.js';
import { architectureIndices, type Architecture } from './architecture.js';
import { layersOf, down, featureShape, searchableLayers } from './shapes.js';
import type { Op, PrunodeOp, SearchSpace, Shape } from './spec.js';

export interface Cost {
  readonly macs: number;
  readonly params: number;
}

/** Cost of one op on an input of this shape (the op carries its stride and width). */
export function opCost(op: Op, input: Shape): Cost {
  switch (op.kind) {
    case 'zero':
      return NOTHING;
    case 'conv':
      return convBn(input, op.out, op.kernel, op.stride);
    case 'mbconv':
      return mbconvCost(op, input, input.channels * op.expand, op.expand !== 1);
    case 'prunode':
      return mbconvCost(op, input, input.channels * op.expand, true);
  }
}

/**
 * A Prunode at hidden width `width` (PruNet): the MBConv whose expand,
 * depthwise and project convolutions run on `width` hidden channels.
 */
export function prunodeCost(op: PrunodeOp, input: Shape, width: number): Cost {
  return mbconvCost(op, input, width, true);
}

/** The hidden widths a Prunode can take on this input: H, H − Δ, …, down to its minimum. */
export function prunodeWidths(op: PrunodeOp, input: Shape): number[] {
  const widths: number[] = [];
  for (let c = input.channels * op.expand; c >= op.minWidth; c -= op.step) widths.push(c);
  return widths;
}

function mbconvCost(op: { kernel: number; stride: number; out: number }, input: Shape, hidden: number, withExpand: boolean): Cost {
  const expand = withExpand ? convBn(input, hidden, 1, 1) : NOTHING;
  const depthwise = convBn({ ...input, channels: hidden }, hidden, op.kernel, op.stride, hidden);
  const projected = { height: down(input.height, op.stride), width: down(input.width, op.stride), channels: hidden };
  return sum([expand, depthwise, convBn(projected, op.out, 1, 1)]);
}

/**
 * What every architecture of the space pays: stem, fixed layers, head and
 * classifier.
 */
export function fixedCost(space: SearchSpace): Cost {
  const features = featureShape(space);
  const stem = convBn(space.input, space.stem.out, space.stem.kernel, space.stem.stride);
  const layers = layersOf(space).filter((l) => !l.searchable).map((l) => opCost(l.candidates[0], l.input));
  const head = space.head ? convBn(features, space.head.out, 1, 1) : NOTHING;
  const width = space.head ? space.head.out : features.channels;
  const classifier = { macs: width * space.classes, params: width * space.classes + space.classes };
  return sum([stem, ...layers, head, classifier]);
}

/** Per searchable layer (in order), the cost of each candidate. */
export function candidateCosts(space: SearchSpace): readonly (readonly Cost[])[] {
  let costs = cache.get(space);
  if (!costs) {
    costs = Object.freeze(searchableLayers(space).map((l) => Object.freeze(l.candidates.map((op) => opCost(op, l.input)))));
    cache.set(space, costs);
  }
  return costs;
}

/** Exact cost of one architecture: fixed parts plus each layer's chosen op. */
export function architectureCost(space: SearchSpace, architecture: Architecture): Cost {
  const costs = candidateCosts(space);
  return sum([fixedCost(space), ...architectureIndices(space, architecture).map((j, i) => costs[i][j])]);
}

/**
 * Expected cost Σ_layers Σ_j p_j·cost_j + fixed parts, for one probability
 * row per searchable layer (in order) over its candidates, each row summing
 * to 1 (a one-hot row gives the exact cost of that choice). The gradient in
 * p_j is the candidate's cost, as `candidateCosts` gives it.
 */
export function expectedCost(space: SearchSpace, probabilities: readonly ArrayLike<number>[]): Cost {
  const costs = candidateCosts(space);
  const layers = searchableLayers(space);
  if (!Array.isArray(probabilities) || probabilities.length !== costs.length)
    throw new PrunasRangeError(`expectedCost: probabilities must hold one row per searchable layer of ${space.name} (${costs.length}), got ${Array.isArray(probabilities) ? probabilities.length : typeof probabilities}`);
  const fixed = fixedCost(space);
  let macs = fixed.macs;
  let params = fixed.params;
  costs.forEach((row, i) => {
    const p = probabilities[i];
    if (p?.length !== row.length)
      throw new PrunasRangeError(`expectedCost: probabilities[${i}] (layer ${layers[i].name}) must have ${row.length} entries, one per candidate, got ${p?.length}`);
    let total = 0;
    for (let j = 0; j < row.length; j++) {
      if (!(p[j] >= 0 && p[j] <= 1)) throw new PrunasRangeError(`expectedCost: probabilities[${i}][${j}] must be in [0, 1], got ${p[j]}`);
      total += p[j];
      macs += p[j] * row[j].macs;
      params += p[j] * row[j].params;
    }
    if (Math.abs(total - 1) > 1e-3) throw new PrunasRangeError(`expectedCost: probabilities[${i}] (layer ${layers[i].name}) must sum to 1, got ${total}`);
  });
  return { macs, params };
}

/** Expected multiply-adds (the FLOPs-constrained loss's E[MACs]); see expectedCost. */
export function expectedMacs(space: SearchSpace, probabilities: readonly ArrayLike<number>[]): number {
  return expectedCost(space, probabilities).macs;
}

const NOTHING: Cost = Object.freeze({ macs: 0, params: 0 });
const cache = new WeakMap<SearchSpace, readonly (readonly Cost[])[]>();

/** Conv k×k (groups g, "same" padding) then BN, on an input of this shape. */
function convBn(input: Shape, out: number, kernel: number, stride: number, groups = 1): Cost {
  const pixels = down(input.height, stride) * down(input.width, stride);
  const weights = kernel * kernel * (input.channels / groups) * out;
  return { macs: pixels * weights, params: weights + 2 * out };
}

function sum(costs: readonly Cost[]): Cost {
  return costs.reduce((a, b) => ({ macs: a.macs + b.macs, params: a.params + b.params }), NOTHING);
}
