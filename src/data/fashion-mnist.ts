// Where Fashion-MNIST comes from: a folder given by the user, the system's
// copy (Debian package dataset-fashion-mnist), or the 10,000-image sample the
// package ships, from which train and test splits are carved.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataset, FASHION_MNIST_DIR, FASHION_MNIST_NORMALISATION, type ImageSet, readMnistLike } from './dataset.js';

const SAMPLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'fashion-mnist-sample');
const SAMPLE_TEST_SIZE = 2000;

export interface FashionMnist {
  train: Dataset;
  test: Dataset;
  /** where the data came from, for logs */
  source: string;
  /** set when only the shipped sample was found */
  notice?: string;
}

export async function openFashionMnist(dir?: string): Promise<FashionMnist> {
  const folder = dir ?? (existsSync(join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz')) ? FASHION_MNIST_DIR : undefined);
  if (folder) {
    const [train, test] = await Promise.all([readMnistLike(folder, 'train'), readMnistLike(folder, 'test')]);
    return { train: open(train), test: open(test), source: folder };
  }
  return openFashionMnistSample();
}

/** The shipped 10,000-image sample, split into train and test. */
export async function openFashionMnistSample(): Promise<FashionMnist> {
  const sample = await readMnistLike(SAMPLE_DIR, 'test');
  const cut = sample.labels.length - SAMPLE_TEST_SIZE;
  return {
    train: open(slice(sample, 0, cut)),
    test: open(slice(sample, cut, sample.labels.length)),
    source: SAMPLE_DIR,
    notice:
      `using the ${sample.labels.length}-image Fashion-MNIST sample shipped with prunas (${cut} train, ${SAMPLE_TEST_SIZE} test); ` +
      'for the full set install the Debian package dataset-fashion-mnist or pass --data DIR with the four IDX files',
  };
}

function open(set: ImageSet): Dataset {
  return new Dataset(set, FASHION_MNIST_NORMALISATION);
}

function slice(set: ImageSet, from: number, to: number): ImageSet {
  const size = set.height * set.width * set.channels;
  return { ...set, images: set.images.slice(from * size, to * size), labels: set.labels.slice(from, to) };
}
