import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, readIdxImages, readIdxLabels } from '../src/data/idx.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const dir = mkdtempSync(join(tmpdir(), 'prunas-idx-'));

function idx(magic: number, dims: number[], body: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(body)]);
}

function write(name: string, data: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}

describe('IDX reader', () => {
  it('reads the real Fashion-MNIST test set (gzipped)', async () => {
    const images = await readIdxImages(join(FASHION, 't10k-images-idx3-ubyte.gz'));
    const labels = await readIdxLabels(join(FASHION, 't10k-labels-idx1-ubyte.gz'), 10);
    expect([images.count, images.height, images.width]).toEqual([10000, 28, 28]);
    expect(labels.length).toBe(10000);
    const perClass = new Array(10).fill(0);
    for (const l of labels) perClass[l]++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    // the published first test labels: ankle boot, pullover, trouser, trouser, shirt
    expect(Array.from(labels.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
  });

  it('reads plain and gzipped files alike', async () => {
    const body = Array.from({ length: 2 * 3 * 2 }, (_, i) => i * 7);
    const plain = write('a.idx', idx(0x803, [2, 3, 2], body));
    const zipped = write('a.idx.gz', gzipSync(idx(0x803, [2, 3, 2], body)));
    for (const file of [plain, zipped]) {
      const im = await readIdxImages(file);
      expect([im.count, im.height, im.width]).toEqual([2, 3, 2]);
      expect(Array.from(im.pixels)).toEqual(body);
    }
  });

  it('rejects a wrong magic, naming file and offset', async () => {
    const file = write('magic.idx', idx(0x801, [1, 1, 1], [0]));
    await expect(readIdxImages(file)).rejects.toThrow(/magic\.idx: at byte 0: wrong magic 0x00000801/);
  });

  it('rejects truncated headers and bodies', async () => {
    const shortHead = write('head.idx', Buffer.from([0, 0, 8, 3, 0, 0]));
    await expect(readIdxImages(shortHead)).rejects.toThrow(/head\.idx: at byte 6: truncated header/);
    const shortBody = write('body.idx', idx(0x803, [3, 2, 2], [1, 2, 3, 4, 5]));
    await expect(readIdxImages(shortBody)).rejects.toThrow(/body\.idx: at byte 21: truncated: 3 images of 2×2/);
    await expect(readIdxImages(shortBody)).rejects.toBeInstanceOf(DataFormatError);
  });

  it('rejects a label out of range at its offset', async () => {
    const file = write('labels.idx', idx(0x801, [4], [1, 2, 12, 3]));
    await expect(readIdxLabels(file, 10)).rejects.toThrow(/labels\.idx: at byte 10: label 12 out of range \[0, 10\)/);
  });

  it('rejects a corrupt gzip stream', async () => {
    const good = gzipSync(idx(0x801, [4], [1, 2, 3, 4]));
    const file = write('bad.gz', good.subarray(0, good.length - 6));
    await expect(readIdxLabels(file, 10)).rejects.toThrow(/bad\.gz: at byte 0: corrupt gzip stream/);
  });
});
