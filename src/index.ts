// prunas public API.
export * as kernels from './kernels/index.js';
export * as spaces from './space/index.js';
export { native, type BuildInfo } from './native.js';
export { PrunasError, PrunasRangeError, PrunasTypeError, type PrunasErrorCode } from './errors.js';

import { native } from './native.js';

/** Sets the CPU thread count used by every kernel (0 = one per core); returns the count in use. */
export function setThreads(threads: number): number {
  return native.setThreads(threads);
}
