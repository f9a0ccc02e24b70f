// Batch normalisation over NHWC data seen as [rows = N·H·W, channels].
import { type Prepared, runAsync, runSync } from './call.js';
import { finite, float32, integer, options } from './check.js';

export interface BatchnormShape {
  rows: number;
  channels: number;
}

export interface BatchnormParams {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

export interface BatchnormOptions {
  training: boolean;
  /** running = (1 − momentum)·running + momentum·batch; default 0.1 (PyTorch) */
  momentum?: number;
  eps?: number;
}

export interface BatchnormOutput {
  y: Float32Array;
  /** training only: batch mean and 1/sqrt(var + eps), for the backward */
  saveMean?: Float32Array;
  saveInvStd?: Float32Array;
}

function shapeOf(where: string, shape: BatchnormShape): BatchnormShape {
  const o = options(where, shape);
  return { rows: integer(where, 'rows', o.rows, 1, 2 ** 40), channels: integer(where, 'channels', o.channels, 1) };
}

function params(where: string, s: BatchnormShape, p: BatchnormParams) {
  const o = options(where, p);
  return {
    gamma: float32(where, 'gamma', o.gamma, s.channels),
    beta: float32(where, 'beta', o.beta, s.channels),
    runningMean: float32(where, 'runningMean', o.runningMean, s.channels),
    runningVar: float32(where, 'runningVar', o.runningVar, s.channels),
  };
}

function prepareForward(where: string, shape: BatchnormShape, x: Float32Array, p: BatchnormParams, opts: BatchnormOptions): Prepared<BatchnormOutput> {
  const s = shapeOf(where, shape);
  const bn = params(where, s, p);
  const o = options(where, opts);
  float32(where, 'x', x, s.rows * s.channels);
  const eps = finite(where, 'eps', o.eps ?? 1e-5, 1e-12, 1);
  const y = new Float32Array(x.length);
  if (!o.training) return { kernel: 'batchnormForwardEval', args: { ...s, ...bn, x, y, eps }, result: { y } };
  const momentum = finite(where, 'momentum', o.momentum ?? 0.1, 0, 1);
  const saveMean = new Float32Array(s.channels);
  const saveInvStd = new Float32Array(s.channels);
  return { kernel: 'batchnormForwardTrain', args: { ...s, ...bn, x, y, saveMean, saveInvStd, momentum, eps }, result: { y, saveMean, saveInvStd } };
}

/** Training mode updates p.runningMean / p.runningVar in place. */
export const batchnormForward = (shape: BatchnormShape, x: Float32Array, p: BatchnormParams, o: BatchnormOptions) =>
  runSync(prepareForward('batchnormForward', shape, x, p, o));
export const batchnormForwardAsync = async (shape: BatchnormShape, x: Float32Array, p: BatchnormParams, o: BatchnormOptions) =>
  runAsync(prepareForward('batchnormForwardAsync', shape, x, p, o));

export interface BatchnormGradients {
  dx: Float32Array;
  dgamma: Float32Array;
  dbeta: Float32Array;
}

/**
 * Backward of batchnormForward. Training: pass the saved statistics of that
 * forward; eval: the running statistics in p are used.
 */
export function batchnormBackward(
  shape: BatchnormShape,
  x: Float32Array,
  dy: Float32Array,
  p: BatchnormParams,
  o: BatchnormOptions & { saveMean?: Float32Array; saveInvStd?: Float32Array },
): BatchnormGradients {
  const where = 'batchnormBackward';
  const s = shapeOf(where, shape);
  const bn = params(where, s, p);
  const opts = options(where, o);
  float32(where, 'x', x, s.rows * s.channels);
  float32(where, 'dy', dy, x.length);
  const g = { dx: new Float32Array(x.length), dgamma: new Float32Array(s.channels), dbeta: new Float32Array(s.channels) };
  if (opts.training) {
    const saveMean = float32(where, 'saveMean', opts.saveMean, s.channels);
    const saveInvStd = float32(where, 'saveInvStd', opts.saveInvStd, s.channels);
    return runSync({ kernel: 'batchnormBackwardTrain', args: { ...s, gamma: bn.gamma, x, dy, saveMean, saveInvStd, ...g }, result: g });
  }
  const eps = finite(where, 'eps', opts.eps ?? 1e-5, 1e-12, 1);
  return runSync({ kernel: 'batchnormBackwardEval', args: { ...s, ...bn, x, dy, eps, ...g }, result: g });
}
