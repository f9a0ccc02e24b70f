// Shapes, multiply-adds and parameters of ops, layers and architectures.
//
// Counting convention (the one behind MobileNetV2's published 300M / 3.4M):
// multiply-adds of convolutions and the classifier only (BN, activations,
// residual adds and pooling are not counted); parameters are conv weights
// (convs have no bias: BN follows), BN γ and β, and the classifier's weight
// and bias. BN running statistics are buffers, not parameters.
import { PrunasRangeError } from '../errors.js';
import { layersOf, type Op, type SearchSpace } from './spec.js';

export interface Cost {
  macs: number;
  params: number;
}

export interface LayerShape {
  name: string;
  height: number;
  width: number;
  cin: number;
  cout: number;
  stride: 1 | 2;
}

const add = (a: Cost, b: Cost): Cost => ({ macs: a.macs + b.macs, params: a.params + b.params });
const ZERO: Cost = { macs: 0, params: 0 };

function down(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** Conv k×k (groups g) + BN on an h×w input: "same" padding. */
function convBn(h: number, w: number, cin: number, cout: number, k: number, stride: number, groups = 1): Cost {
  const ho = down(h, stride);
  const wo = down(w, stride);
  return { macs: ho * wo * k * k * (cin / groups) * cout, params: k * k * (cin / groups) * cout + 2 * cout };
}

/** Cost of one op at a layer's input shape. */
export function opCost(op: Op, s: LayerShape): Cost {
  switch (op.kind) {
    case 'zero':
      return ZERO;
    case 'conv':
      return convBn(s.height, s.width, s.cin, s.cout, op.kernel, s.stride);
    case 'mbconv': {
      const mid = s.cin * op.expand;
      const expand = op.expand === 1 ? ZERO : convBn(s.height, s.width, s.cin, mid, 1, 1);
      const depthwise = convBn(s.height, s.width, mid, mid, op.kernel, s.stride, mid);
      const project = convBn(down(s.height, s.stride), down(s.width, s.stride), mid, s.cout, 1, 1);
      return add(add(expand, depthwise), project);
    }
  }
}

/** Input shape of every layer, in order. */
export function layerShapes(space: SearchSpace): LayerShape[] {
  let h = down(space.input.height, space.stem.stride);
  let w = down(space.input.width, space.stem.stride);
  let c = space.stem.out;
  return layersOf(space).map((l) => {
    const shape = { name: l.name, height: h, width: w, cin: c, cout: l.out, stride: l.stride };
    h = down(h, l.stride);
    w = down(w, l.stride);
    c = l.out;
    return shape;
  });
}

/** Stem, head and classifier: what every architecture of the space pays. */
export function fixedCost(space: SearchSpace): Cost {
  const stem = convBn(space.input.height, space.input.width, space.input.channels, space.stem.out, space.stem.kernel, space.stem.stride);
  const shapes = layerShapes(space);
  const last = shapes[shapes.length - 1];
  const h = down(last.height, last.stride);
  const w = down(last.width, last.stride);
  const head = space.head ? convBn(h, w, last.cout, space.head.out, 1, 1) : ZERO;
  const features = space.head ? space.head.out : last.cout;
  const classifier = { macs: features * space.classes, params: features * space.classes + space.classes };
  return add(add(stem, head), classifier);
}

/** Per layer, the cost of each candidate. */
export function candidateCosts(space: SearchSpace): Cost[][] {
  const shapes = layerShapes(space);
  return layersOf(space).map((l, i) => l.candidates.map((op) => opCost(op, shapes[i])));
}

/** One candidate index per layer (fixed layers: 0). */
export type Choices = number[];

export function checkChoices(space: SearchSpace, choices: Choices): void {
  const layers = layersOf(space);
  if (!Array.isArray(choices) || choices.length !== layers.length)
    throw new PrunasRangeError(`choices must list one op index for each of the ${layers.length} layers of ${space.name}, got ${Array.isArray(choices) ? choices.length : typeof choices}`);
  choices.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= layers[i].candidates.length)
      throw new PrunasRangeError(`choices[${i}] (layer ${layers[i].name}) must be an integer in [0, ${layers[i].candidates.length - 1}], got ${c}`);
  });
}

/** Exact cost of one architecture. */
export function architectureCost(space: SearchSpace, choices: Choices): Cost {
  checkChoices(space, choices);
  return candidateCosts(space).reduce((total, costs, i) => add(total, costs[choices[i]]), fixedCost(space));
}

/**
 * Expected multiply-adds Σ_layers Σ_j p_j·MACs_j + fixed, for per-layer
 * probabilities over the candidates (the FLOPs-constrained loss uses it).
 */
export function expectedMacs(space: SearchSpace, probabilities: number[][]): number {
  const costs = candidateCosts(space);
  if (probabilities.length !== costs.length) throw new PrunasRangeError(`probabilities must have one row per layer (${costs.length}), got ${probabilities.length}`);
  return costs.reduce((total, layer, i) => {
    if (probabilities[i].length !== layer.length) throw new PrunasRangeError(`probabilities[${i}] must have ${layer.length} entries, got ${probabilities[i].length}`);
    return total + layer.reduce((s, c, j) => s + probabilities[i][j] * c.macs, 0);
  }, fixedCost(space).macs);
}
