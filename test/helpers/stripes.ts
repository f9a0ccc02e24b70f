// A task only a large receptive field solves: vertical vs horizontal stripes
// with a random phase. Every image holds the same pixel values, so a network
// that looks at one pixel at a time (stem 1×1, 1×1 kernels, average pool)
// stays at chance; the k5 candidate (index STRIPES_GOOD) of layer `pick` sees
// the stripes. A search strategy that works must keep it.
import { Dataset, type ImageSet } from '../../src/data/dataset.js';
import type { SearchData } from '../../src/search/strategy.js';
import { defineSpace } from '../../src/space/spec.js';
import { TestRandom } from './random.js';

export const STRIPES_SPACE = defineSpace({
  name: 'stripes-toy',
  input: { height: 8, width: 8, channels: 1 },
  classes: 2,
  stem: { kernel: 1, stride: 1, out: 8 },
  stages: [
    {
      name: 's',
      layers: [
        { name: 'fixed', op: { kind: 'mbconv', kernel: 1, expand: 1, stride: 1, out: 8 } },
        {
          name: 'pick',
          candidates: [
            { kind: 'mbconv', kernel: 1, expand: 3, stride: 1, out: 8 },
            { kind: 'mbconv', kernel: 5, expand: 3, stride: 1, out: 8 },
            { kind: 'mbconv', kernel: 1, expand: 6, stride: 1, out: 8 },
            { kind: 'zero' },
          ],
        },
      ],
    },
  ],
  head: { out: 16 },
});
export const STRIPES_GOOD = 1;

function stripes(count: number, seed: number): ImageSet {
  const rng = new TestRandom(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(0, 1);
    const phase = rng.int(0, 1);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        const on = ((labels[i] === 0 ? x : y) + phase) % 2;
        images[i * 64 + y * 8 + x] = 40 + 170 * on + rng.int(-30, 30);
      }
  }
  return { images, labels, height: 8, width: 8, channels: 1, classes: 2 };
}

/** 384 training and 128 validation images (dispose `train` after use). */
export function stripesData(seed = 3): SearchData {
  return {
    train: new Dataset(stripes(512, seed), { mean: [0.5], std: [0.35] }),
    trainIndices: Int32Array.from({ length: 384 }, (_, i) => i),
    valIndices: Int32Array.from({ length: 128 }, (_, i) => 384 + i),
    pad: 0,
    hflip: false,
  };
}
