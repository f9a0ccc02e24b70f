// ProxylessNAS's cost-constrained loss and its gradient in α. The expected
// cost E[C] = fixed + Σ_layers Σ_j p_j·C_j (latency in ms or multiply-adds,
// whatever the cost model holds) is differentiable in α through p over every
// live candidate, so the gradient flows whichever paths a step sampled, a
// `zero` included (the reference code drops it when `zero` is sampled).
//
//   additive        L = CE + λ·(E[C] − T)/T
//   multiplicative  L = a·CE·(log E[C] / log T)^β      (the reference code's default)
//   paper           L = CE·(E[C]/T)^β
//   absolute        L = CE + β·|E[C]/T − 1|             (TuNAS, Bender et al. 2020)
//
// The first three pull E[C] lower wherever it is, so a search ends below the
// target by however far the pull outweighs CE. The absolute form seeks the
// target: ∂L/∂E[C] = β·sign(E[C] − T)/T pushes down above T, up below it
// and is 0 exactly at T, so searches can be compared at equal cost.
import { describeValue, PrunasRangeError } from '../errors.js';
import { probabilitiesOf } from './alpha.js';
import { costRange, type CostModel } from './cost-model.js';

export type Constraint =
  | { target: number; lossForm: 'additive'; lambda: number }
  | { target: number; lossForm: 'multiplicative'; a: number; beta: number }
  | { target: number; lossForm: 'paper'; beta: number }
  | { target: number; lossForm: 'absolute'; beta: number };

export interface ConstrainedLoss {
  loss: number;
  /** ∂L/∂α through the expected cost only (the CE part comes from the gates) */
  gradAlpha: number[][];
  /** ∂L/∂CE: scales the gate gradients */
  dLossDCe: number;
  expectedCost: number;
}

/** The loss of an architecture step given its CE, and ∂L/∂α through E[C]; no constraint: L = CE. */
export function constraintLoss(
  model: CostModel,
  alphas: readonly (readonly number[])[],
  live: readonly (readonly boolean[])[],
  constraint: Constraint | null,
  ce: number,
): ConstrainedLoss {
  const p = probabilitiesOf(alphas, live);
  const layerCost = model.candidates.map((row, l) => row.reduce((s, c, j) => s + p[l][j] * c, 0));
  const expectedCost = layerCost.reduce((s, c) => s + c, model.fixed);
  const { loss, dLossDCe, dLossDCost } = lossTerms(constraint, ce, expectedCost);
  // ∂E/∂α_i = p_i (C_i − Σ_j p_j C_j) within a layer
  const gradAlpha = model.candidates.map((row, l) => row.map((c, i) => (live[l][i] ? dLossDCost * p[l][i] * (c - layerCost[l]) : 0)));
  return { loss, gradAlpha, dLossDCe, expectedCost };
}

/** The loss at (CE, E[C]) and its partial derivatives in both. */
export function lossTerms(constraint: Constraint | null, ce: number, cost: number): { loss: number; dLossDCe: number; dLossDCost: number } {
  if (constraint === null) return { loss: ce, dLossDCe: 1, dLossDCost: 0 };
  const T = constraint.target;
  switch (constraint.lossForm) {
    case 'additive':
      return { loss: ce + (constraint.lambda * (cost - T)) / T, dLossDCe: 1, dLossDCost: constraint.lambda / T };
    case 'multiplicative': {
      const ratio = Math.log(cost) / Math.log(T);
      if (!(ratio > 0))
        throw new PrunasRangeError(
          `constraint: the multiplicative loss needs log E[C] / log T > 0, got E[C] = ${cost} and target ${T}; use lossForm 'additive', 'paper' or 'absolute'`,
        );
      const { a, beta } = constraint;
      const factor = ratio ** beta;
      return { loss: a * ce * factor, dLossDCe: a * factor, dLossDCost: (a * ce * beta * ratio ** (beta - 1)) / (cost * Math.log(T)) };
    }
    case 'paper': {
      const ratio = cost / T;
      const { beta } = constraint;
      return { loss: ce * ratio ** beta, dLossDCe: ratio ** beta, dLossDCost: (ce * beta * ratio ** (beta - 1)) / T };
    }
    case 'absolute': {
      const { beta } = constraint;
      if (!(beta > 0 && Number.isFinite(beta))) throw new PrunasRangeError(`constraint: the absolute loss needs a finite beta > 0, got ${describeValue(beta)}`);
      return { loss: ce + beta * Math.abs(cost / T - 1), dLossDCe: 1, dLossDCost: (beta * Math.sign(cost - T)) / T };
    }
  }
}

/** The multiplicative loss (log E[C] / log T) needs the target and every architecture's cost on the same side of 1. */
export function checkMultiplicativeTarget(strategy: string, constraint: Constraint | null, model: CostModel): void {
  if (constraint?.lossForm !== 'multiplicative') return;
  const { min, max } = costRange(model);
  if (!((min > 1 && constraint.target > 1) || (max < 1 && constraint.target < 1)))
    throw new PrunasRangeError(
      `${strategy} config: constraint.target: the multiplicative loss needs the target (${constraint.target}) and every architecture's cost (${min}..${max} ${model.unit}) on the same side of 1; use lossForm 'additive', 'paper' or 'absolute'`,
    );
}
