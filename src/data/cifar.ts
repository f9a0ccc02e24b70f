// CIFAR-10 / CIFAR-100 binary files: records of label byte(s) then 3×32×32
// planar RGB. Stored here as NHWC uint8, the engine's layout.
import { readFile } from 'node:fs/promises';
import { DataFormatError } from './idx.js';
import type { ImageSet } from './dataset.js';

const SIDE = 32;
const PIXELS = SIDE * SIDE;

/**
 * CIFAR-10: one label byte per record. CIFAR-100: a coarse and a fine label
 * byte; `fine` picks the 100-class label (default) or the 20-class one.
 */
export async function readCifarBinary(files: string[], variant: 'cifar10' | 'cifar100', fine = true): Promise<ImageSet> {
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const classes = variant === 'cifar10' ? 10 : fine ? 100 : 20;
  const record = labelBytes + 3 * PIXELS;
  const parts: { images: Uint8Array; labels: Int32Array }[] = [];
  for (const file of files) {
    const data = await readFile(file);
    if (data.length === 0 || data.length % record !== 0)
      throw new DataFormatError(file, data.length - (data.length % record), `truncated: size ${data.length} is not a multiple of the ${record}-byte record`);
    const count = data.length / record;
    const images = new Uint8Array(count * 3 * PIXELS);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const base = i * record;
      const label = data[base + (labelBytes === 2 && fine ? 1 : 0)];
      if (label >= classes) throw new DataFormatError(file, base, `label ${label} out of range [0, ${classes})`);
      labels[i] = label;
      const src = base + labelBytes;
      for (let p = 0; p < PIXELS; p++)
        for (let c = 0; c < 3; c++) images[(i * PIXELS + p) * 3 + c] = data[src + c * PIXELS + p];
    }
    parts.push({ images, labels });
  }
  const total = parts.reduce((n, p) => n + p.labels.length, 0);
  const images = new Uint8Array(total * 3 * PIXELS);
  const labels = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3 * PIXELS);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  return { images, labels, height: SIDE, width: SIDE, channels: 3, classes };
}
