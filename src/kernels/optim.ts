// In-place optimizer updates over flat parameter arrays, torch.optim semantics
// (dampening 0). param, grad and the state arrays must not share memory.
import { PrunasRangeError } from '../errors.js';
import { type Prepared, runAsync, runSync } from './call.js';
import { boolean, finite, float32, integer, options } from './check.js';

export interface SgdOptions {
  lr: number;
  /** default 0 */
  momentum?: number;
  /** needs momentum > 0 */
  nesterov?: boolean;
  /** L2 penalty added to the gradient; default 0 */
  weightDecay?: number;
}

export interface SgdState {
  /** the momentum buffer; required when momentum > 0 */
  buffer?: Float32Array;
  /** the buffer's first step: it starts as the gradient (torch.optim.SGD) */
  first?: boolean;
}

export interface AdamOptions {
  lr: number;
  /** default 0.9 */
  beta1?: number;
  /** default 0.999 */
  beta2?: number;
  /** default 1e-8 */
  eps?: number;
  /** default 0 */
  weightDecay?: number;
  /** AdamW: decoupled weight decay (p ·= 1 − lr·weightDecay) instead of L2 */
  decoupled?: boolean;
}

export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** the 1-based step count of these moments, for bias correction */
  step: number;
}

/** One torch.optim.SGD step on `param`. */
export const sgdStep = (param: Float32Array, grad: Float32Array, o: SgdOptions, state: SgdState = {}): void =>
  runSync(prepareSgd('sgdStep', param, grad, o, state));
export const sgdStepAsync = async (param: Float32Array, grad: Float32Array, o: SgdOptions, state: SgdState = {}): Promise<void> =>
  runAsync(prepareSgd('sgdStepAsync', param, grad, o, state));

/** One torch.optim.Adam (or AdamW) step on `param`. */
export const adamStep = (param: Float32Array, grad: Float32Array, state: AdamState, o: AdamOptions): void =>
  runSync(prepareAdam('adamStep', param, grad, state, o));
export const adamStepAsync = async (param: Float32Array, grad: Float32Array, state: AdamState, o: AdamOptions): Promise<void> =>
  runAsync(prepareAdam('adamStepAsync', param, grad, state, o));

function prepareSgd(where: string, param: Float32Array, grad: Float32Array, o: SgdOptions, state: SgdState): Prepared<void> {
  float32(where, 'param', param);
  float32(where, 'grad', grad, param.length);
  const opts = options(where, o);
  const s = options(where, state);
  const lr = finite(where, 'lr', opts.lr, 0);
  const momentum = finite(where, 'momentum', opts.momentum ?? 0, 0, 1);
  const nesterov = boolean(where, 'nesterov', opts.nesterov ?? false);
  const weightDecay = finite(where, 'weightDecay', opts.weightDecay ?? 0, 0);
  if (nesterov && momentum === 0) throw new PrunasRangeError(`${where}: nesterov needs momentum > 0`);
  const buffer = momentum > 0 ? float32(where, 'buffer', s.buffer, param.length) : undefined;
  const first = boolean(where, 'first', s.first ?? false);
  return { kernel: 'sgdStep', args: { param, grad, buffer, lr, momentum, nesterov, weightDecay, first }, result: undefined };
}

function prepareAdam(where: string, param: Float32Array, grad: Float32Array, state: AdamState, o: AdamOptions): Prepared<void> {
  float32(where, 'param', param);
  float32(where, 'grad', grad, param.length);
  const s = options(where, state);
  const opts = options(where, o);
  const args = {
    param,
    grad,
    m: float32(where, 'm', s.m, param.length),
    v: float32(where, 'v', s.v, param.length),
    step: integer(where, 'step', s.step, 1, Number.MAX_SAFE_INTEGER),
    lr: finite(where, 'lr', opts.lr, 0),
    beta1: finite(where, 'beta1', opts.beta1 ?? 0.9, 0, 0.999999),
    beta2: finite(where, 'beta2', opts.beta2 ?? 0.999, 0, 0.999999),
    eps: finite(where, 'eps', opts.eps ?? 1e-8, 1e-30, 1),
    weightDecay: finite(where, 'weightDecay', opts.weightDecay ?? 0, 0),
    decoupled: boolean(where, 'decoupled', opts.decoupled ?? false),
  };
  return { kernel: 'adamStep', args, result: undefined };
}
