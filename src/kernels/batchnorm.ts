// Batch normalisation over NHWC data seen as [rows = N·H·W, channels], with
// PyTorch semantics: the biased batch variance normalises, the unbiased one
// goes into the running estimate.
import { PrunasRangeError } from '../errors.js';
import { type Prepared, runAsync, runSync } from './call.js';
import { boolean, finite, float32, integer, options } from './check.js';

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
  /** running = (1 − momentum)·running + momentum·batch; default 0.1 (PyTorch); 1 = recalibration */
  momentum?: number;
  /** default 1e-5 */
  eps?: number;
}

export interface BatchnormOutput {
  y: Float32Array;
  /** training only: batch mean and 1/sqrt(var + eps), for the backward */
  saveMean?: Float32Array;
  saveInvStd?: Float32Array;
}

export interface BatchnormBackwardOptions extends BatchnormOptions {
  /** training: the saved statistics of the forward */
  saveMean?: Float32Array;
  saveInvStd?: Float32Array;
}

export interface BatchnormGradients {
  dx: Float32Array;
  dgamma: Float32Array;
  dbeta: Float32Array;
}

/** Training mode updates p.runningMean / p.runningVar in place. */
export const batchnormForward = (shape: BatchnormShape, x: Float32Array, p: BatchnormParams, o: BatchnormOptions) =>
  runSync(prepareForward('batchnormForward', shape, x, p, o));
export const batchnormForwardAsync = async (shape: BatchnormShape, x: Float32Array, p: BatchnormParams, o: BatchnormOptions) =>
  runAsync(prepareForward('batchnormForwardAsync', shape, x, p, o));

/**
 * Backward of batchnormForward with the same mode. Training: pass the saved
 * statistics of that forward in `o`; eval: the running statistics in p are used.
 */
export const batchnormBackward = (shape: BatchnormShape, x: Float32Array, dy: Float32Array, p: BatchnormParams, o: BatchnormBackwardOptions) =>
  runSync(prepareBackward('batchnormBackward', shape, x, dy, p, o));
export const batchnormBackwardAsync = async (shape: BatchnormShape, x: Float32Array, dy: Float32Array, p: BatchnormParams, o: BatchnormBackwardOptions) =>
  runAsync(prepareBackward('batchnormBackwardAsync', shape, x, dy, p, o));

function prepareForward(where: string, shape: BatchnormShape, x: Float32Array, p: BatchnormParams, opts: BatchnormOptions): Prepared<BatchnormOutput> {
  const o = options(where, opts);
  const training = boolean(where, 'training', o.training);
  const s = shapeOf(where, shape, training);
  const bn = params(where, s, p, training);
  float32(where, 'x', x, s.rows * s.channels);
  const eps = finite(where, 'eps', o.eps ?? 1e-5, 1e-12, 1);
  const y = new Float32Array(x.length);
  if (!training) return { kernel: 'batchnormForwardEval', args: { ...s, ...bn, x, y, eps }, result: { y } };
  const momentum = finite(where, 'momentum', o.momentum ?? 0.1, 0, 1);
  const saveMean = new Float32Array(s.channels);
  const saveInvStd = new Float32Array(s.channels);
  return { kernel: 'batchnormForwardTrain', args: { ...s, ...bn, x, y, saveMean, saveInvStd, momentum, eps }, result: { y, saveMean, saveInvStd } };
}

function prepareBackward(where: string, shape: BatchnormShape, x: Float32Array, dy: Float32Array, p: BatchnormParams, opts: BatchnormBackwardOptions): Prepared<BatchnormGradients> {
  const o = options(where, opts);
  const training = boolean(where, 'training', o.training);
  const s = shapeOf(where, shape, training);
  const bn = params(where, s, p, training);
  float32(where, 'x', x, s.rows * s.channels);
  float32(where, 'dy', dy, x.length);
  const g = { dx: new Float32Array(x.length), dgamma: new Float32Array(s.channels), dbeta: new Float32Array(s.channels) };
  if (training) {
    const saveMean = float32(where, 'saveMean', o.saveMean, s.channels);
    const saveInvStd = float32(where, 'saveInvStd', o.saveInvStd, s.channels);
    return { kernel: 'batchnormBackwardTrain', args: { ...s, gamma: bn.gamma, x, dy, saveMean, saveInvStd, ...g }, result: g };
  }
  const eps = finite(where, 'eps', o.eps ?? 1e-5, 1e-12, 1);
  return { kernel: 'batchnormBackwardEval', args: { ...s, ...bn, x, dy, eps, ...g }, result: g };
}

function shapeOf(where: string, shape: BatchnormShape, training: boolean): BatchnormShape {
  const o = options(where, shape);
  // Like PyTorch, training needs more than one value per channel.
  const rows = integer(where, 'rows', o.rows, training ? 2 : 1, 2 ** 40);
  return { rows, channels: integer(where, 'channels', o.channels, 1, 2 ** 20) };
}

function params(where: string, s: BatchnormShape, p: BatchnormParams, training: boolean): BatchnormParams {
  const o = options(where, p);
  const bn = {
    gamma: float32(where, 'gamma', o.gamma, s.channels),
    beta: float32(where, 'beta', o.beta, s.channels),
    runningMean: float32(where, 'runningMean', o.runningMean, s.channels),
    runningVar: float32(where, 'runningVar', o.runningVar, s.channels),
  };
  if (!training) {
    const bad = bn.runningVar.findIndex((v) => !(v >= 0));
    if (bad >= 0) throw new PrunasRangeError(`${where}: runningVar[${bad}] must be >= 0, got ${bn.runningVar[bad]}`);
  }
  return bn;
}
