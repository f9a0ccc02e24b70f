// What the PruNet tests share: op builders for tiny spaces with Prunodes, a
// small synthetic training set split into train and validation samples, and
// a search config whose strong FLOPs pull and quick α/β moves shrink widths
// and remove candidates and layers within a few dozen units.
import { Dataset } from '../../src/data/dataset.js';
import { syntheticImageSet } from '../../src/data/synthetic.js';
import type { PrunetConfigInput } from '../../src/search/prunet.js';

export const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
// step cin, minimum 2·cin, as in prunet-small: every width is an MBConv's (expand·cin, expand ≥ 2)
export const pn = (kernel: number, stride: 1 | 2, out: number, cin: number) => ({ kind: 'prunode' as const, kernel, expand: 4, stride, out, step: cin, minWidth: 2 * cin });
export const ZERO = { kind: 'zero' as const };

/** 96 synthetic 8×8×1 images of 4 classes: samples 0..63 train, 64..95 validate. The caller disposes `train`. */
export function tinyData() {
  const train = new Dataset(syntheticImageSet({ count: 96, height: 8, width: 8, channels: 1, classes: 4, seed: 7 }));
  return { train, trainIndices: Int32Array.from({ length: 64 }, (_, i) => i), valIndices: Int32Array.from({ length: 32 }, (_, i) => 64 + i), pad: 1, hflip: false };
}

export const CONFIG: PrunetConfigInput = {
  batchSize: 8,
  archBatchSize: 8,
  warmupSteps: 4,
  searchSteps: 40,
  archEvery: 1,
  lr: 0.05,
  archLr: 0.3,
  tauStart: 2,
  tauEnd: 0.5,
  patience: 2,
  blockThreshold: 0.5,
  layerThreshold: 0.6,
  constraint: { target: 0.2, lossForm: 'additive', lambda: 3 },
};
