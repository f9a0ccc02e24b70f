// The result of a search over a space with Prunodes as a fixed architecture
// that `prunas train` and `prunas export` build at the widths the search found.
//
// A Prunode outside a search is the MBConv at its maximal width, so an
// architecture that names a Prunode would lose the search's shrinks. Instead
// every chosen Prunode at final hidden width c becomes the MBConv (kernel k,
// expand c/cin, same stride, width and activation) — exactly the network the
// Prunode computes at width c with gates (1, 0). The derived space is the
// searched space with that MBConv appended to the layer's candidates (or, if
// the layer already holds the identical op, that one is chosen); nothing else
// changes, so every other candidate index stays valid and the architecture
// still names one op per layer:
//
//   space.json         { name: "<space>-derived", ...the space, s1b1: [..., mbconv_k5_e4] }
//   architecture.json  { space: "<space>-derived", choices: { s1b1: "mbconv_k5_e4", ... } }
//
// An MBConv's hidden width is expand·cin with an integer expand, and one of
// expand 1 has no expand convolution (a Prunode always has one): a chosen
// Prunode whose width is not a multiple ≥ 2 of cin has no MBConv and fails,
// naming its layer.
import { PrunasRangeError } from '../errors.js';
import type { Architecture } from '../space/architecture.js';
import { opKey } from '../space/ops.js';
import { layersOf } from '../space/shapes.js';
import { validateSpace, type Layer, type MBConvOp, type SearchSpace } from '../space/spec.js';
import { prunodeCostAt, type CostModel } from './cost-model.js';
import { architectureOf, type PrunodeWidth } from './strategy.js';

export interface DerivedArchitecture {
  /** the searched space plus the chosen Prunodes' MBConvs (`<space>-derived`) */
  space: SearchSpace;
  architecture: Architecture;
  /** supernet-layer choices in the derived space (−1: a removed layer) */
  choices: number[];
}

export function hasPrunodes(space: SearchSpace): boolean {
  return maximalWidths(space).length > 0;
}

/** Every Prunode of the space at its maximal hidden width cin·expand. */
export function maximalWidths(space: SearchSpace): PrunodeWidth[] {
  return layersOf(space).flatMap((l, layer) =>
    l.candidates.flatMap((op, candidate) => (op.kind === 'prunode' ? [{ layer, candidate, width: l.input.channels * op.expand }] : [])),
  );
}

/**
 * The derived space and architecture of supernet-layer `choices` (as
 * Strategy.derive returns them) with the Prunodes at `widths` (a Prunode not
 * listed is at its maximal width).
 */
export function derivePrunodeArchitecture(space: SearchSpace, choices: readonly number[], widths: readonly PrunodeWidth[]): DerivedArchitecture {
  const layers = layersOf(space);
  if (choices.length !== layers.length) throw new PrunasRangeError(`derived architecture: ${choices.length} choices for the ${layers.length} layers of ${space.name}`);
  const derivedChoices = [...choices];
  const appended = new Map<string, MBConvOp>();
  layers.forEach((l, i) => {
    const op = choices[i] >= 0 ? l.candidates[choices[i]] : undefined;
    if (op?.kind !== 'prunode') return;
    const cin = l.input.channels;
    const width = widthOf(widths, i, choices[i]) ?? cin * op.expand;
    if (width % cin !== 0 || width < 2 * cin)
      throw new PrunasRangeError(
        `derived architecture: the prunode chosen at layer ${l.name} ends at ${width} hidden channels, which no MBConv has (its hidden width is expand·${cin} with expand ≥ 2)`,
      );
    const mbconv: MBConvOp = { kind: 'mbconv', kernel: op.kernel, expand: width / cin, stride: op.stride, out: op.out, act: op.act };
    const same = l.keys.indexOf(opKey(mbconv));
    if (same >= 0) derivedChoices[i] = same;
    else {
      appended.set(l.name, mbconv);
      derivedChoices[i] = l.candidates.length;
    }
  });
  const stages = space.stages.map((stage) => ({
    name: stage.name,
    layers: stage.layers.map((layer): Layer => {
      const extra = appended.get(layer.name);
      return extra && 'candidates' in layer ? { name: layer.name, candidates: [...layer.candidates, extra] } : layer;
    }),
  }));
  const derived = validateSpace({ ...space, name: `${space.name.slice(0, 56)}-derived`, stages });
  return { space: derived, architecture: architectureOf(derived, derivedChoices), choices: derivedChoices };
}

/** An architecture's cost under the cost model, its chosen Prunodes at `widths` (−1: a removed layer, costing nothing). */
export function costAtWidths(model: CostModel, choices: readonly number[], widths: readonly PrunodeWidth[]): number {
  return choices.reduce((sum, k, l) => {
    if (k < 0) return sum;
    const width = model.prunodes?.[l]?.[k] ? widthOf(widths, l, k) : undefined;
    return sum + (width === undefined ? model.candidates[l][k] : prunodeCostAt(model, l, k, width));
  }, model.fixed);
}

function widthOf(widths: readonly PrunodeWidth[], layer: number, candidate: number): number | undefined {
  return widths.find((w) => w.layer === layer && w.candidate === candidate)?.width;
}
