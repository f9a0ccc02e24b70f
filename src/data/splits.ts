// Index sets over a dataset: a held-out validation split carved from the
// training set, and class subsets (DA-NAS grows the set of classes).
import { PrunasRangeError } from '../errors.js';
import { integer } from '../kernels/check.js';
import { permutation } from './dataset.js';

export interface TrainValSplit {
  train: Int32Array;
  val: Int32Array;
}

/** A seeded random split of [0, n) into train and `valSize` validation indices, each sorted. */
export function splitTrainVal(n: number, valSize: number, seed: number): TrainValSplit {
  integer('splitTrainVal', 'valSize', valSize, 0, n - 1);
  const p = permutation(n, seed, 1);
  const val = p.slice(0, valSize).sort();
  const train = p.slice(valSize).sort();
  return { train, val };
}

/** The indices among `indices` whose label is one of `classes`, in order. */
export function classSubset(indices: Int32Array, labels: Int32Array, classes: readonly number[]): Int32Array {
  const keep = new Set(classes);
  for (const c of classes) integer('classSubset', 'classes[]', c, 0);
  const out = indices.filter((i) => {
    if (i < 0 || i >= labels.length) throw new PrunasRangeError(`classSubset: index ${i} is outside [0, ${labels.length})`);
    return keep.has(labels[i]);
  });
  return out;
}
