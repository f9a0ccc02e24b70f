// Validation accuracy of one architecture on a fixed, seeded subset of the
// held-out split: every evaluation of a search sees the same samples, so
// accuracies are comparable across iterations and candidates. Optionally the
// path's BN running statistics are first recomputed on a fixed subset of the
// training split (after a short training they lag the weights).
import { permutation } from '../data/dataset.js';
import type { Supernet } from '../engine/supernet.js';
import { PrunasRangeError } from '../errors.js';
import type { SearchData } from './strategy.js';

/** Addresses of the subsets' permutations, apart from the batch streams' and the trainer's. */
const VALIDATION_SUBSET_COUNTER = 2 ** 44;
const RECALIBRATION_SUBSET_COUNTER = 2 ** 44 + 1;

export interface EvaluationSamples {
  validation: Int32Array;
  /** empty: no recalibration */
  recalibration: Int32Array;
}

/** `validationSize` samples of valIndices and `recalibrationSize` of trainIndices (all of them when fewer), each drawn by a seeded permutation. */
export function evaluationSamples(data: SearchData, validationSize: number, recalibrationSize: number, seed: number): EvaluationSamples {
  if (data.valIndices.length < 1) throw new PrunasRangeError('search data: valIndices is empty; the search needs a held-out validation split');
  return {
    validation: fixedSubset(data.valIndices, validationSize, seed, VALIDATION_SUBSET_COUNTER),
    recalibration: recalibrationSize > 0 ? fixedSubset(data.trainIndices, recalibrationSize, seed, RECALIBRATION_SUBSET_COUNTER) : new Int32Array(0),
  };
}

/** Eval-mode accuracy (no augmentation) of the path `choices`, after recalibrating its BN statistics when samples are given for it. */
export async function validationAccuracy(net: Supernet, data: SearchData, samples: EvaluationSamples, choices: readonly number[], batchSize: number): Promise<number> {
  if (samples.recalibration.length > 0)
    await net.recalibrateBn({ samples: { dataset: data.train, indices: samples.recalibration }, choices, batchSize: Math.min(batchSize, samples.recalibration.length) });
  const r = await net.evaluate({ samples: { dataset: data.train, indices: samples.validation }, choices, batchSize });
  return r.correct / r.count;
}

function fixedSubset(indices: Int32Array, size: number, seed: number, counter: number): Int32Array {
  const order = permutation(indices.length, seed, counter);
  return order.subarray(0, Math.min(size, order.length)).map((i) => indices[i]);
}
