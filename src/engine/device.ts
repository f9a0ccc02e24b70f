// Where a supernet lives: "cpu" (default) or "cuda:N". Checked here, before
// anything is built, so a bad or missing device is one clear error.
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { native } from '../native.js';

/**
 * "cpu-mirrored" runs the CPU kernels behind a device's protocol (separate
 * storage poisoned with NaN, parameter copies synchronised as with a GPU):
 * for testing the engine's synchronisation where no GPU is.
 */
export type Device = 'cpu' | 'cpu-mirrored' | `cuda:${number}`;

export function parseDevice(where: string, value: unknown): Device {
  if (value === undefined) return 'cpu';
  if (typeof value !== 'string') throw new PrunasTypeError(`${where}: device must be a string ("cpu" or "cuda:N"), got ${describeValue(value)}`);
  if (value === 'cpu' || value === 'cpu-mirrored') return value;
  const match = /^cuda:(\d{1,3})$/.exec(value);
  if (!match) throw new PrunasRangeError(`${where}: device must be "cpu" or "cuda:N", got ${JSON.stringify(value)}`);
  const info = native.buildInfo();
  if (!info.cuda) throw new PrunasRangeError(`${where}: device ${value}: this prunas addon was built without CUDA`);
  const index = Number(match[1]);
  if (index >= info.cudaDevices) throw new PrunasRangeError(`${where}: device ${value}: no such CUDA device (${info.cudaDevices} found)`);
  return value as Device;
}

export type Precision = 'fp32' | 'tf32' | 'bf16';

/**
 * "fp32" (default) anywhere; on CUDA only, "tf32" (TF32 tensor cores for
 * convolutions and matrix products, float32 storage) or "bf16" (activations
 * stored in bf16, bf16 tensor-core products accumulated in float32;
 * parameters, gradients, optimizer state and BN statistics in float32).
 * "cpu-mirrored" also takes "bf16": activations stored as 16-bit bf16 and
 * computed in float32, so a buffer of the wrong storage kind shows without a GPU.
 */
export function parsePrecision(where: string, value: unknown, device: Device): Precision {
  if (value === undefined) return 'fp32';
  if (typeof value !== 'string') throw new PrunasTypeError(`${where}: precision must be a string ("fp32", "tf32" or "bf16"), got ${describeValue(value)}`);
  if (value !== 'fp32' && value !== 'tf32' && value !== 'bf16') throw new PrunasRangeError(`${where}: precision must be "fp32", "tf32" or "bf16", got ${JSON.stringify(value)}`);
  const allowed = device.startsWith('cuda:') || (device === 'cpu-mirrored' && value === 'bf16');
  if (value !== 'fp32' && !allowed) throw new PrunasRangeError(`${where}: precision ${value} needs a CUDA device; the CPU computes in fp32`);
  return value;
}
