// Losses: softmax cross-entropy with label smoothing, and mean squared error.
import { PrunasRangeError } from '../errors.js';
import { asyncKernel, type KernelArgs, syncKernel } from '../native.js';
import { finite, float32, int32, integer } from './check.js';

export interface CrossEntropyResult {
  /** mean over the batch */
  loss: number;
  /** ∂loss/∂logits */
  dlogits: Float32Array;
  /** rows whose argmax (first maximum) equals the label */
  correct: number;
}

export interface MseResult {
  /** mean((a − b)²) */
  loss: number;
  /** ∂loss/∂a = 2(a − b)/n; that of b is −da */
  da: Float32Array;
}

/**
 * PyTorch CrossEntropyLoss(label_smoothing = smoothing), mean over the batch,
 * of logits [n, classes] against labels [n] in [0, classes).
 */
export function softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, smoothing = 0): CrossEntropyResult {
  const call = prepareCrossEntropy('softmaxCrossEntropy', logits, labels, classes, smoothing);
  return { loss: syncKernel('softmaxCrossEntropy')(call.args) as number, dlogits: call.dlogits, correct: call.correct[0] };
}

export async function softmaxCrossEntropyAsync(logits: Float32Array, labels: Int32Array, classes: number, smoothing = 0): Promise<CrossEntropyResult> {
  const call = prepareCrossEntropy('softmaxCrossEntropyAsync', logits, labels, classes, smoothing);
  const loss = (await asyncKernel('softmaxCrossEntropy')(call.args)) as number;
  return { loss, dlogits: call.dlogits, correct: call.correct[0] };
}

export function mseLoss(a: Float32Array, b: Float32Array): MseResult {
  const call = prepareMse('mseLoss', a, b);
  return { loss: syncKernel('mseLoss')(call.args) as number, da: call.da };
}

export async function mseLossAsync(a: Float32Array, b: Float32Array): Promise<MseResult> {
  const call = prepareMse('mseLossAsync', a, b);
  return { loss: (await asyncKernel('mseLoss')(call.args)) as number, da: call.da };
}

function prepareCrossEntropy(where: string, logits: Float32Array, labels: Int32Array, classes: number, smoothing: number) {
  const k = integer(where, 'classes', classes, 1, 2 ** 24);
  int32(where, 'labels', labels);
  const n = labels.length;
  if (n === 0) throw new PrunasRangeError(`${where}: labels must not be empty`);
  float32(where, 'logits', logits, n * k);
  const s = finite(where, 'smoothing', smoothing, 0, 1);
  const bad = labels.findIndex((l) => l < 0 || l >= k);
  if (bad >= 0) throw new PrunasRangeError(`${where}: labels[${bad}] = ${labels[bad]} is outside [0, ${k})`);
  const dlogits = new Float32Array(logits.length);
  const correct = new Int32Array(1);
  const args: KernelArgs = { n, k, logits, labels, smoothing: s, dlogits, correct };
  return { args, dlogits, correct };
}

function prepareMse(where: string, a: Float32Array, b: Float32Array) {
  float32(where, 'a', a);
  if (a.length === 0) throw new PrunasRangeError(`${where}: a must not be empty`);
  float32(where, 'b', b, a.length);
  const da = new Float32Array(a.length);
  const args: KernelArgs = { a, b, da };
  return { args, da };
}
