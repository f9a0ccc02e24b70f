// A synthetic image set for benchmarks and tests: each class is a fixed
// random template plus per-sample noise, so it is learnable and fully seeded.
import { integer } from '../kernels/check.js';
import { native } from '../native.js';
import type { ImageSet } from './dataset.js';

export interface SyntheticOptions {
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
  seed: number;
  /** noise amplitude relative to the template contrast; default 0.5 */
  noise?: number;
}

export function syntheticImageSet(o: SyntheticOptions): ImageSet {
  const where = 'syntheticImageSet';
  const count = integer(where, 'count', o.count, 1);
  const height = integer(where, 'height', o.height, 1);
  const width = integer(where, 'width', o.width, 1);
  const channels = integer(where, 'channels', o.channels, 1, 4);
  const classes = integer(where, 'classes', o.classes, 1, 65536);
  const seed = integer(where, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  const noise = o.noise ?? 0.5;
  const size = height * width * channels;
  const uniform = (n: number, stream: number) => {
    const out = new Float32Array(n);
    (native.philoxFill as (a: unknown) => void)({ out, seed, stream, kind: 0 });
    return out;
  };
  const templates = uniform(classes * size, 101);
  const draws = uniform(count * (size + 1), 102);
  const images = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.min(classes - 1, Math.floor(draws[i * (size + 1)] * classes));
    labels[i] = label;
    for (let p = 0; p < size; p++) {
      const v = templates[label * size + p] + noise * (draws[i * (size + 1) + 1 + p] - 0.5);
      images[i * size + p] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
  }
  return { images, labels, height, width, channels, classes };
}
