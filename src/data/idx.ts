// IDX files (MNIST, Fashion-MNIST), gzipped or not: images as uint8 [N][H][W],
// labels as uint8 [N]. Every malformed file gives an error naming the file and
// the byte offset where it went wrong.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PrunasError } from '../errors.js';

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  pixels: Uint8Array;
}

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

export class DataFormatError extends PrunasError {
  override name = 'DataFormatError';
  constructor(
    readonly file: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${file}: at byte ${offset}: ${message}`);
  }
}

async function readMaybeGzipped(file: string): Promise<Buffer> {
  const raw = await readFile(file);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new DataFormatError(file, 0, `corrupt gzip stream (${(e as Error).message})`);
    }
  }
  return raw;
}

function header(file: string, data: Buffer, magic: number, dims: number): number[] {
  const size = 4 + 4 * dims;
  if (data.length < size) throw new DataFormatError(file, data.length, `truncated header: ${size} bytes needed`);
  const found = data.readUInt32BE(0);
  if (found !== magic)
    throw new DataFormatError(file, 0, `wrong magic 0x${found.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')}`);
  return Array.from({ length: dims }, (_, i) => data.readUInt32BE(4 + 4 * i));
}

export async function readIdxImages(file: string): Promise<IdxImages> {
  const data = await readMaybeGzipped(file);
  const [count, height, width] = header(file, data, IMAGES_MAGIC, 3);
  if (height === 0 || width === 0) throw new DataFormatError(file, 8, `image size ${height}×${width} is empty`);
  const need = 16 + count * height * width;
  if (data.length < need)
    throw new DataFormatError(file, data.length, `truncated: ${count} images of ${height}×${width} need ${need} bytes`);
  return { count, height, width, pixels: new Uint8Array(data.buffer.slice(data.byteOffset + 16, data.byteOffset + need)) };
}

/** Labels; each must be < classes. */
export async function readIdxLabels(file: string, classes: number): Promise<Uint8Array> {
  const data = await readMaybeGzipped(file);
  const [count] = header(file, data, LABELS_MAGIC, 1);
  const need = 8 + count;
  if (data.length < need) throw new DataFormatError(file, data.length, `truncated: ${count} labels need ${need} bytes`);
  const labels = new Uint8Array(data.buffer.slice(data.byteOffset + 8, data.byteOffset + need));
  const bad = labels.findIndex((l) => l >= classes);
  if (bad >= 0) throw new DataFormatError(file, 8 + bad, `label ${labels[bad]} out of range [0, ${classes})`);
  return labels;
}
