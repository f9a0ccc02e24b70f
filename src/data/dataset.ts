// Datasets held in native memory, and the readers that fill them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PrunasRangeError } from '../errors.js';
import { float32, int32, integer, options } from '../kernels/check.js';
import { native } from '../native.js';
import { readIdxImages, readIdxLabels } from './idx.js';

interface NativeDataset {
  readonly size: number;
  fillBatch(args: Record<string, unknown>): void;
  dispose(): void;
}
type NativeDatasetClass = new (args: Record<string, unknown>) => NativeDataset;

export interface ImageSet {
  images: Uint8Array;
  labels: Int32Array;
  height: number;
  width: number;
  channels: number;
  classes: number;
}

export interface BatchOptions {
  /** random-crop padding in pixels (0 = no crop) */
  pad?: number;
  hflip?: boolean;
  /** Philox seed and counter of the augmentation stream; sample i uses counter + i */
  seed: number;
  counter?: number;
}

/** A labelled image set in native memory; images are uint8 NHWC. */
export class Dataset {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classes: number;
  readonly mean: Float32Array;
  readonly std: Float32Array;
  readonly labels: Int32Array;
  private handle: NativeDataset | null;

  constructor(set: ImageSet, normalisation?: { mean: number[]; std: number[] }) {
    const where = 'Dataset';
    this.height = integer(where, 'height', set.height, 1);
    this.width = integer(where, 'width', set.width, 1);
    this.channels = integer(where, 'channels', set.channels, 1, 4);
    this.classes = integer(where, 'classes', set.classes, 1);
    this.labels = int32(where, 'labels', set.labels);
    const Native = native.Dataset as unknown as NativeDatasetClass;
    this.handle = new Native({ ...set });
    this.mean = new Float32Array(normalisation?.mean ?? new Array(this.channels).fill(0));
    this.std = new Float32Array(normalisation?.std ?? new Array(this.channels).fill(1));
    float32(where, 'mean', this.mean, this.channels);
    float32(where, 'std', this.std, this.channels);
  }

  get size(): number {
    return this.labels.length;
  }

  get sampleSize(): number {
    return this.height * this.width * this.channels;
  }

  /** Assembles the samples `indices` as a float NHWC batch with their labels. */
  batch(indices: Int32Array, opts: BatchOptions): { x: Float32Array; y: Int32Array } {
    const where = 'Dataset.batch';
    int32(where, 'indices', indices);
    const o = options(where, opts);
    const x = new Float32Array(indices.length * this.sampleSize);
    const y = new Int32Array(indices.length);
    this.live().fillBatch({
      indices,
      x,
      y,
      pad: integer(where, 'pad', o.pad ?? 0, 0, Math.min(this.height, this.width)),
      hflip: o.hflip ?? false,
      mean: this.mean,
      std: this.std,
      seed: integer(where, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER),
      counter: integer(where, 'counter', o.counter ?? 0, 0, Number.MAX_SAFE_INTEGER),
    });
    return { x, y };
  }

  dispose(): void {
    this.handle?.dispose();
    this.handle = null;
  }

  /** @internal The native handle, for native jobs that assemble batches themselves (Supernet steps). */
  nativeHandle(): unknown {
    return this.live();
  }

  private live(): NativeDataset {
    if (!this.handle) throw new PrunasRangeError('Dataset: used after dispose()');
    return this.handle;
  }
}

/** A seeded permutation of [0, n) from the engine's shuffle stream. */
export function permutation(n: number, seed: number, counter = 0): Int32Array {
  const out = new Int32Array(integer('permutation', 'n', n, 0));
  (native.permutation as (a: unknown) => void)({
    out,
    seed: integer('permutation', 'seed', seed, 0, Number.MAX_SAFE_INTEGER),
    counter: integer('permutation', 'counter', counter, 0, Number.MAX_SAFE_INTEGER),
  });
  return out;
}

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** Per-channel statistics of the Fashion-MNIST training images (pixel/255). */
export const FASHION_MNIST_NORMALISATION = { mean: [0.286], std: [0.353] };

/** Reads Fashion-MNIST (or MNIST) IDX files from `dir`: train-* and t10k-*. */
export async function readMnistLike(dir: string, split: 'train' | 'test'): Promise<ImageSet> {
  const prefix = split === 'train' ? 'train' : 't10k';
  const find = (kind: string) => {
    for (const name of [`${prefix}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte.gz`, `${prefix}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte`]) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
    throw new PrunasRangeError(`no ${split} ${kind} IDX file in ${dir}`);
  };
  const images = await readIdxImages(find('images'));
  const labels = await readIdxLabels(find('labels'), 10);
  if (labels.length !== images.count)
    throw new PrunasRangeError(`${dir}: ${images.count} ${split} images but ${labels.length} labels`);
  return { images: images.pixels, labels: Int32Array.from(labels), height: images.height, width: images.width, channels: 1, classes: 10 };
}
