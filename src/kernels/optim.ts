// In-place optimizer updates with torch.optim semantics.
import { PrunasRangeError } from '../errors.js';
import { runSync } from './call.js';
import { boolean, finite, float32, integer, options } from './check.js';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient */
  weightDecay?: number;
}

/**
 * One SGD step on `param`. With momentum, `buffer` holds the momentum and
 * `first` marks its first step (the buffer starts as the gradient).
 */
export function sgdStep(param: Float32Array, grad: Float32Array, o: SgdOptions, state: { buffer?: Float32Array; first?: boolean } = {}): void {
  const where = 'sgdStep';
  float32(where, 'param', param);
  float32(where, 'grad', grad, param.length);
  const opts = options(where, o);
  const lr = finite(where, 'lr', opts.lr, 0);
  const momentum = finite(where, 'momentum', opts.momentum ?? 0, 0, 1);
  const nesterov = boolean(where, 'nesterov', opts.nesterov ?? false);
  const weightDecay = finite(where, 'weightDecay', opts.weightDecay ?? 0, 0);
  if (nesterov && momentum === 0) throw new PrunasRangeError(`${where}: nesterov needs momentum > 0`);
  const buffer = momentum > 0 ? float32(where, 'buffer', state.buffer, param.length) : undefined;
  const first = boolean(where, 'first', state.first ?? false);
  runSync({ kernel: 'sgdStep', args: { param, grad, buffer, lr, momentum, nesterov, weightDecay, first }, result: undefined });
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** AdamW: decoupled weight decay */
  decoupled?: boolean;
}

/** One Adam step; `step` is the 1-based count for bias correction. */
export function adamStep(param: Float32Array, grad: Float32Array, state: { m: Float32Array; v: Float32Array; step: number }, o: AdamOptions): void {
  const where = 'adamStep';
  float32(where, 'param', param);
  float32(where, 'grad', grad, param.length);
  const s = options(where, state);
  const m = float32(where, 'm', s.m, param.length);
  const v = float32(where, 'v', s.v, param.length);
  const step = integer(where, 'step', s.step, 1, Number.MAX_SAFE_INTEGER);
  const opts = options(where, o);
  runSync({
    kernel: 'adamStep',
    args: {
      param,
      grad,
      m,
      v,
      step,
      lr: finite(where, 'lr', opts.lr, 0),
      beta1: finite(where, 'beta1', opts.beta1 ?? 0.9, 0, 0.999999),
      beta2: finite(where, 'beta2', opts.beta2 ?? 0.999, 0, 0.999999),
      eps: finite(where, 'eps', opts.eps ?? 1e-8, 1e-30, 1),
      weightDecay: finite(where, 'weightDecay', opts.weightDecay ?? 0, 0),
      decoupled: boolean(where, 'decoupled', opts.decoupled ?? false),
    },
    result: undefined,
  });
}
