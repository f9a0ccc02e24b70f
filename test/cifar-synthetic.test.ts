import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCifarBinary } from '../src/data/cifar.js';
import { syntheticImageSet } from '../src/data/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-cifar-'));

// planar record: label byte(s), then R plane, G plane, B plane (32×32 each)
function record(labels: number[], pixel: (c: number, p: number) => number): Buffer {
  const b = Buffer.alloc(labels.length + 3 * 1024);
  labels.forEach((l, i) => (b[i] = l));
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) b[labels.length + c * 1024 + p] = pixel(c, p);
  return b;
}

describe('CIFAR binary reader', () => {
  it('reads CIFAR-10 records into NHWC with labels', async () => {
    const file = join(dir, 'data_batch_1.bin');
    writeFileSync(file, Buffer.concat([record([3], (c, p) => (c * 50 + p) % 256), record([9], (c) => c + 1)]));
    const set = await readCifarBinary([file], 'cifar10');
    expect(Array.from(set.labels)).toEqual([3, 9]);
    expect([set.height, set.width, set.channels, set.classes]).toEqual([32, 32, 3, 10]);
    // pixel 5 of image 0, channels R,G,B
    expect(Array.from(set.images.subarray(15, 18))).toEqual([5, 55, 105]);
    expect(Array.from(set.images.subarray(3072, 3075))).toEqual([1, 2, 3]);
  });

  it('reads the fine or the coarse CIFAR-100 label', async () => {
    const file = join(dir, 'train.bin');
    writeFileSync(file, record([7, 88], () => 0));
    expect((await readCifarBinary([file], 'cifar100')).labels[0]).toBe(88);
    expect((await readCifarBinary([file], 'cifar100', false)).labels[0]).toBe(7);
  });

  it('names the file and offset of a truncated file or a bad label', async () => {
    const short = join(dir, 'short.bin');
    writeFileSync(short, Buffer.concat([record([1], () => 0), Buffer.alloc(100)]));
    await expect(readCifarBinary([short], 'cifar10')).rejects.toThrow(/short\.bin: at byte 3073: truncated/);
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, Buffer.concat([record([1], () => 0), record([12], () => 0)]));
    await expect(readCifarBinary([bad], 'cifar10')).rejects.toThrow(/bad\.bin: at byte 3073: label 12 out of range/);
  });
});

describe('synthetic image set', () => {
  it('is seeded, balanced enough and learnable by nearest template', () => {
    const o = { count: 400, height: 6, width: 6, channels: 2, classes: 4, seed: 3, noise: 0.3 };
    const a = syntheticImageSet(o);
    expect(syntheticImageSet(o).images).toEqual(a.images);
    expect(syntheticImageSet({ ...o, seed: 4 }).images).not.toEqual(a.images);
    const size = 72;
    const counts = new Array(4).fill(0);
    const means = Array.from({ length: 4 }, () => new Float64Array(size));
    for (let i = 0; i < o.count; i++) {
      counts[a.labels[i]]++;
      for (let p = 0; p < size; p++) means[a.labels[i]][p] += a.images[i * size + p];
    }
    for (const c of counts) expect(c).toBeGreaterThan(60);
    means.forEach((m, c) => m.forEach((v, p) => (m[p] = v / counts[c])));
    let correct = 0;
    for (let i = 0; i < o.count; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let c = 0; c < 4; c++) {
        let d = 0;
        for (let p = 0; p < size; p++) d += (a.images[i * size + p] - means[c][p]) ** 2;
        if (d < bestDist) [bestDist, best] = [d, c];
      }
      if (best === a.labels[i]) correct++;
    }
    expect(correct / o.count).toBeGreaterThan(0.95);
  });
});
