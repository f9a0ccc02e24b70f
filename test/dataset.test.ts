import { describe, expect, it } from 'vitest';
import { Dataset, FASHION_MNIST_DIR, permutation, readMnistLike } from '../src/data/dataset.js';
import { native, setThreads } from '../src/index.js';

function tinySet() {
  // 3 images of 2×3, 2 channels; pixel value encodes (image, row, col, channel)
  const images = new Uint8Array(3 * 2 * 3 * 2);
  for (let i = 0; i < images.length; i++) images[i] = i;
  return { images, labels: new Int32Array([2, 0, 1]), height: 2, width: 3, channels: 2, classes: 3 };
}

describe('Dataset', () => {
  it('assembles a normalised batch of the requested samples', () => {
    const set = tinySet();
    const ds = new Dataset(set, { mean: [0.5, 0.25], std: [0.5, 2] });
    const { x, y } = ds.batch(new Int32Array([2, 0]), { seed: 1 });
    expect(Array.from(y)).toEqual([1, 2]);
    for (let i = 0; i < 12; i++) {
      const c = i % 2;
      const raw = set.images[2 * 12 + i] / 255;
      expect(x[i]).toBeCloseTo((raw - [0.5, 0.25][c]) / [0.5, 2][c], 6);
      expect(x[12 + i]).toBeCloseTo((set.images[i] / 255 - [0.5, 0.25][c]) / [0.5, 2][c], 6);
    }
    ds.dispose();
  });

  it('crops and flips: every augmented sample is a shifted, maybe mirrored copy', () => {
    const h = 5;
    const w = 5;
    const images = new Uint8Array(h * w).map((_, i) => i + 1);
    const ds = new Dataset({ images, labels: new Int32Array([0]), height: h, width: w, channels: 1, classes: 1 });
    const seen = new Set<string>();
    for (let counter = 0; counter < 200; counter++) {
      const { x } = ds.batch(new Int32Array([0]), { seed: 3, counter, pad: 1, hflip: true });
      // find the shift and flip that explain the output
      let explained = '';
      for (const flip of [false, true])
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            let ok = true;
            for (let r = 0; r < h && ok; r++)
              for (let c = 0; c < w && ok; c++) {
                const sr = r + dy;
                const sc = (flip ? w - 1 - c : c) + dx;
                const v = sr >= 0 && sr < h && sc >= 0 && sc < w ? images[sr * w + sc] : 0;
                ok = Math.abs(x[r * w + c] - v / 255) < 1e-6;
              }
            if (ok && !explained) explained = `${flip}:${dy}:${dx}`;
          }
      expect(explained).not.toBe('');
      seen.add(explained);
    }
    expect(seen.size).toBe(18); // every shift × flip combination occurs
  });

  it('batches do not depend on the thread count', () => {
    const images = new Uint8Array(64 * 8 * 8).map((_, i) => (i * 31) % 256);
    const ds = new Dataset({ images, labels: new Int32Array(64), height: 8, width: 8, channels: 1, classes: 1 });
    const idx = permutation(64, 9);
    setThreads(1);
    const one = ds.batch(idx, { seed: 5, pad: 2, hflip: true }).x;
    setThreads(2);
    const two = ds.batch(idx, { seed: 5, pad: 2, hflip: true }).x;
    expect(Buffer.compare(Buffer.from(one.buffer), Buffer.from(two.buffer))).toBe(0);
  });

  it('permutation is a seeded shuffle', () => {
    const p = permutation(1000, 4);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, 4)).toEqual(p);
    expect(permutation(1000, 5)).not.toEqual(p);
  });

  it('rejects bad input with the argument named', () => {
    const ds = new Dataset(tinySet());
    expect(() => ds.batch(new Int32Array([3]), { seed: 1 })).toThrow(/indices\[0\] = 3 is outside \[0, 3\)/);
    expect(() => ds.batch(new Int32Array([0]), { seed: Number.NaN })).toThrow(/seed must be an integer/);
    const Native = native.Dataset as unknown as new (a: unknown) => unknown;
    expect(() => new Native({ ...tinySet(), labels: new Int32Array([0, 1, 7]) })).toThrow(/labels\[2\] = 7 is outside/);
    expect(() => new Native({ ...tinySet(), images: new Uint8Array(5) })).toThrow(/images must have 36 elements, got 5/);
    ds.dispose();
    expect(() => ds.batch(new Int32Array([0]), { seed: 1 })).toThrow(/used after dispose/);
  });

  it('loads the full Fashion-MNIST training set', async () => {
    const set = await readMnistLike(FASHION_MNIST_DIR, 'train');
    const ds = new Dataset(set);
    expect(ds.size).toBe(60000);
    ds.dispose();
  });
});
