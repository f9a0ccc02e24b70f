import { describe, expect, it } from 'vitest';
import { classSubset, splitTrainVal } from '../src/data/splits.js';

describe('splits', () => {
  it('carves a seeded, disjoint, complete train/val split', () => {
    const { train, val } = splitTrainVal(1000, 150, 7);
    expect(val.length).toBe(150);
    expect(train.length).toBe(850);
    const all = new Set([...train, ...val]);
    expect(all.size).toBe(1000);
    expect(splitTrainVal(1000, 150, 7).val).toEqual(val);
    expect(splitTrainVal(1000, 150, 8).val).not.toEqual(val);
    expect(() => splitTrainVal(10, 10, 1)).toThrow(/valSize must be an integer in \[0, 9\], got 10/);
  });

  it('keeps only the requested classes', () => {
    const labels = new Int32Array([0, 1, 2, 1, 0, 2]);
    expect(Array.from(classSubset(new Int32Array([0, 1, 2, 3, 4, 5]), labels, [1, 2]))).toEqual([1, 2, 3, 5]);
    expect(() => classSubset(new Int32Array([9]), labels, [0])).toThrow(/index 9 is outside/);
  });
});

describe('Fashion-MNIST sources', () => {
  it('opens the system copy with the official splits', async () => {
    const { openFashionMnist } = await import('../src/data/fashion-mnist.js');
    const fm = await openFashionMnist();
    expect([fm.train.size, fm.test.size, fm.notice]).toEqual([60000, 10000, undefined]);
    fm.train.dispose();
    fm.test.dispose();
  });

  it('falls back to the shipped sample, carving train and test, and says so', async () => {
    const { openFashionMnistSample } = await import('../src/data/fashion-mnist.js');
    const fm = await openFashionMnistSample();
    expect([fm.train.size, fm.test.size]).toEqual([8000, 2000]);
    expect(fm.notice).toMatch(/dataset-fashion-mnist or pass --data DIR/);
    fm.train.dispose();
    fm.test.dispose();
  });
});
