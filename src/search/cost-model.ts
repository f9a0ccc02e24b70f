// What a constrained search reads about cost: a fixed part plus one number
// per candidate of each supernet layer (the supernet's layer order, which
// includes fixed layers with their single candidate), in one unit. Built from the space's
// multiply-adds (flopsCostModel) or from a latency table
// (src/latency: latencyCostModel). Expected cost under a distribution is
// linear in the probabilities, so its gradient in p_j is candidates[layer][j].
import { PrunasRangeError } from '../errors.js';
import { fixedCost, opCost, prunodeCost, prunodeWidths } from '../space/cost.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';

export interface CostModel {
  /** 'ms' (latency table) or 'MMACs' (millions of multiply-adds) */
  readonly unit: 'ms' | 'MMACs';
  /** stem, head and classifier */
  readonly fixed: number;
  /** per supernet layer (fixed ones included), per candidate; `zero` costs 0 */
  readonly candidates: readonly (readonly number[])[];
  /** where the numbers come from, for logs and reports */
  readonly source: string;
  /**
   * Per supernet layer, per candidate: a Prunode's cost at each hidden width
   * it can take (widths descending: H, H − Δ, …, its minimum; candidates[l][k]
   * is the cost at H); null for other ops. Absent when the space has none.
   */
  readonly prunodes?: readonly (readonly (PrunodeCosts | null)[])[];
}

export interface PrunodeCosts {
  readonly widths: readonly number[];
  readonly costs: readonly number[];
}

/** A Prunode's cost at one of its widths (a width off its steps is an error). */
export function prunodeCostAt(model: CostModel, layer: number, candidate: number, width: number): number {
  const p = model.prunodes?.[layer]?.[candidate];
  const i = p ? p.widths.indexOf(width) : -1;
  if (!p || i < 0) throw new PrunasRangeError(`cost model (${model.source}) has no prunode cost for layer ${layer}, candidate ${candidate} at width ${width}`);
  return p.costs[i];
}

/**
 * One measure of the space's own costs, in millions, laid out as a cost
 * model is: per supernet layer and candidate, and a fixed part (stem, head,
 * classifier) that leaves out the fixed layers, which have their row.
 */
export function spaceCosts(space: SearchSpace, measure: 'macs' | 'params'): { fixed: number; candidates: number[][] } {
  const layers = layersOf(space);
  const candidates = layers.map((l) => l.candidates.map((op) => opCost(op, l.input)[measure] / 1e6));
  const inFixedLayers = layers.reduce((sum, l, i) => (l.searchable ? sum : sum + candidates[i][0]), 0);
  return { fixed: fixedCost(space)[measure] / 1e6 - inFixedLayers, candidates };
}

export function flopsCostModel(space: SearchSpace): CostModel {
  const layers = layersOf(space);
  const { fixed, candidates } = spaceCosts(space, 'macs');
  const hasPrunodes = layers.some((l) => l.candidates.some((op) => op.kind === 'prunode'));
  const prunodes = layers.map((l) =>
    l.candidates.map((op) => {
      if (op.kind !== 'prunode') return null;
      const widths = prunodeWidths(op, l.input);
      return { widths, costs: widths.map((w) => prunodeCost(op, l.input, w).macs / 1e6) };
    }),
  );
  return { unit: 'MMACs', fixed, candidates, source: `multiply-adds of ${space.name}`, ...(hasPrunodes ? { prunodes } : {}) };
}

/** fixed + Σ_layers Σ_j p_j·cost_j; rows may leave removed candidates at 0. */
export function expectedCostOf(model: CostModel, probabilities: readonly ArrayLike<number>[]): number {
  if (probabilities.length !== model.candidates.length)
    throw new PrunasRangeError(`expected cost: ${probabilities.length} probability rows for ${model.candidates.length} supernet layers`);
  let total = model.fixed;
  model.candidates.forEach((row, i) => {
    for (let j = 0; j < row.length; j++) total += probabilities[i][j] * row[j];
  });
  return total;
}

/** The cost of one architecture (one candidate index per layer; −1 for a removed layer). */
export function architectureCostOf(model: CostModel, choices: readonly number[]): number {
  if (choices.length !== model.candidates.length)
    throw new PrunasRangeError(`architecture cost: ${choices.length} choices for ${model.candidates.length} supernet layers`);
  return choices.reduce((sum, j, i) => sum + (j < 0 ? 0 : model.candidates[i][j]), model.fixed);
}

/** A strategy's check that the cost model has one row per supernet layer with one cost per candidate. */
export function checkCostModelFits(strategy: string, model: Pick<CostModel, 'candidates'>, counts: readonly number[], spaceName: string): void {
  if (model.candidates.length !== counts.length || model.candidates.some((row, l) => row.length !== counts[l]))
    throw new PrunasRangeError(`${strategy}: the cost model's rows (${model.candidates.map((r) => r.length).join(', ')}) do not match the candidates of ${spaceName} (${counts.join(', ')})`);
}

/** The cheapest and the dearest architecture's cost (bounds a target must fall inside). */
export function costRange(model: CostModel, live?: readonly (readonly boolean[])[]): { min: number; max: number } {
  let min = model.fixed;
  let max = model.fixed;
  model.candidates.forEach((row, i) => {
    const costs = row.filter((_, j) => !live || live[i][j]);
    min += Math.min(...costs);
    max += Math.max(...costs);
  });
  return { min, max };
}
