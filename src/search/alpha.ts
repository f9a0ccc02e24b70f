// Architecture parameters α (one logit per candidate of each supernet layer)
// and the small pieces of arithmetic ProxylessNAS does on them in TypeScript:
// probabilities over the live candidates, the binarized-path gradient from
// the engine's gate values, the pair rescale, and Adam. All in double
// precision on plain arrays, so a strategy's state stays JSON.

/** Per layer: softmax of α over the live candidates; dead candidates (and a removed layer's whole row) get 0. */
export function probabilitiesOf(alphas: readonly (readonly number[])[], live: readonly (readonly boolean[])[]): number[][] {
  return alphas.map((row, l) => softmaxOver(row, live[l].flatMap((on, k) => (on ? [k] : []))));
}

/** The live candidate of highest p (the first on ties); −1 when none is live. */
export function argmaxLive(p: readonly number[], live: readonly boolean[]): number {
  let best = live.indexOf(true);
  p.forEach((v, k) => {
    if (live[k] && v > p[best]) best = k;
  });
  return best;
}

/** softmax of `alpha` restricted to the candidates `over`; 0 elsewhere. */
export function softmaxOver(alpha: readonly number[], over: readonly number[]): number[] {
  const out = new Array<number>(alpha.length).fill(0);
  if (over.length === 0) return out;
  const max = Math.max(...over.map((k) => alpha[k]));
  let sum = 0;
  for (const k of over) sum += out[k] = Math.exp(alpha[k] - max);
  for (const k of over) out[k] /= sum;
  return out;
}

/**
 * ∂L/∂α_i = Σ_{j∈S} g_j q_j (δ_ij − q_i), q = softmax of α over S, for i in S
 * (0 elsewhere). g_j = ∂L/∂z_j are the engine's gate gradients. S is the
 * sampled pair (ProxylessNAS's two-path mode, q the pair-renormalised p) or
 * every live candidate (echo: the full softmax gradient).
 */
export function gateGradient(alpha: readonly number[], involved: readonly number[], gates: ArrayLike<number>): number[] {
  const q = softmaxOver(alpha, involved);
  const grad = new Array<number>(alpha.length).fill(0);
  let weighted = 0; // Σ_j g_j q_j
  for (const j of involved) weighted += gates[j] * q[j];
  for (const i of involved) grad[i] = q[i] * (gates[i] - weighted);
  return grad;
}

/**
 * Shifts the pair's α by −log(Σ_pair e^{α_new} / Σ_pair e^{α_old}), so that
 * the pair's total probability mass (and with it every other candidate's
 * probability, when only the pair moved) is what it was before the update.
 */
export function rescalePair(alphaOld: readonly number[], alphaNew: readonly number[], pair: readonly number[]): number[] {
  const offset = logSumExp(pair.map((k) => alphaNew[k])) - logSumExp(pair.map((k) => alphaOld[k]));
  const out = [...alphaNew];
  for (const k of pair) out[k] -= offset;
  return out;
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Adam's moments per α entry and its step count (one count for all α, as one optimizer over every layer). */
export interface AdamState {
  m: number[][];
  v: number[][];
  steps: number;
}

export function adamInit(shape: readonly (readonly number[])[]): AdamState {
  return { m: shape.map((row) => row.map(() => 0)), v: shape.map((row) => row.map(() => 0)), steps: 0 };
}

/**
 * One Adam step (PyTorch's update, no weight decay) on the entries where
 * `update[l][k]`: α −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps). Entries with a
 * zero gradient still decay their moments, as PyTorch does for a parameter
 * whose gradient was zeroed; with β1 = 0 they do not move.
 */
export function adamStep(alphas: number[][], grads: readonly (readonly number[])[], state: AdamState, s: AdamSettings, update: readonly (readonly boolean[])[]): void {
  state.steps += 1;
  const correction1 = 1 - s.beta1 ** state.steps;
  const correction2 = Math.sqrt(1 - s.beta2 ** state.steps);
  alphas.forEach((row, l) => {
    for (let k = 0; k < row.length; k++) {
      if (!update[l][k]) continue;
      const g = grads[l][k];
      const m = (state.m[l][k] = s.beta1 * state.m[l][k] + (1 - s.beta1) * g);
      const v = (state.v[l][k] = s.beta2 * state.v[l][k] + (1 - s.beta2) * g * g);
      row[k] -= (s.lr / correction1) * (m / (Math.sqrt(v) / correction2 + s.eps));
    }
  });
}
