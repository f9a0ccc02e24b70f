// Whether the GPU tests can run here, and a visible line saying why not.
import { gpuInfo } from '../../src/gpu/kernels.js';

const info = gpuInfo();
export const noGpu = info.devices.length === 0;
export const noLibraries = noGpu || !info.libraries;

export function announceSkip(file: string, needsLibraries = false): void {
  if (noGpu) console.warn(`[gpu tests] ${file} skipped: ${info.reason ?? 'no CUDA device'}`);
  else if (needsLibraries && !info.libraries) console.warn(`[gpu tests] ${file} skipped: the addon was built without cuDNN/cuBLAS`);
}

/** ‖a − b‖ / ‖b‖ in double; NaN anywhere gives Infinity. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) return Infinity;
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
