// Losses: softmax cross-entropy with label smoothing, and mean squared error.
import { PrunasRangeError } from '../errors.js';
import { syncKernel } from '../native.js';
import { finite, float32, int32, integer } from './check.js';

export interface CrossEntropyResult {
  /** mean over the batch */
  loss: number;
  /** ∂loss/∂logits */
  dlogits: Float32Array;
  /** rows whose argmax equals the label */
  correct: number;
}

/** PyTorch CrossEntropyLoss(label_smoothing) over logits [n, classes]. */
export function softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, smoothing = 0): CrossEntropyResult {
  const where = 'softmaxCrossEntropy';
  const k = integer(where, 'classes', classes, 1);
  int32(where, 'labels', labels);
  const n = labels.length;
  if (n === 0) throw new PrunasRangeError(`${where}: labels must not be empty`);
  float32(where, 'logits', logits, n * k);
  const s = finite(where, 'smoothing', smoothing, 0, 1);
  const bad = labels.findIndex((l) => l < 0 || l >= k);
  if (bad >= 0) throw new PrunasRangeError(`${where}: labels[${bad}] = ${labels[bad]} is outside [0, ${k})`);
  const dlogits = new Float32Array(logits.length);
  const correct = new Int32Array(1);
  const loss = syncKernel('softmaxCrossEntropy')({ n, k, logits, labels, smoothing: s, dlogits, correct }) as number;
  return { loss, dlogits, correct: correct[0] };
}

/** mean((a − b)²) and its gradient with respect to a (that of b is −da). */
export function mseLoss(a: Float32Array, b: Float32Array): { loss: number; da: Float32Array } {
  float32('mseLoss', 'a', a);
  float32('mseLoss', 'b', b, a.length);
  if (a.length === 0) throw new PrunasRangeError('mseLoss: a must not be empty');
  const da = new Float32Array(a.length);
  const loss = syncKernel('mseLoss')({ a, b, da }) as number;
  return { loss, da };
}
