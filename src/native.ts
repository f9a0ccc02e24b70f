// Loads the native addon once. PRUNAS_NATIVE=/path/to/prunas.node overrides
// the lookup (used for the sanitizer build and for side-by-side builds).
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildInfo {
  threads: number;
  vectorPath: 'avx512' | 'avx2' | 'portable';
  cuda: boolean;
  cudaRuntime?: number;
  cudaDevices: number;
  cudnn: boolean;
  sanitized: boolean;
}

/** Kernel arguments cross as one plain object of TypedArrays and numbers. */
export type KernelArgs = Record<string, Float32Array | Int32Array | number | boolean | undefined>;
type SyncKernel = (args: KernelArgs) => number | undefined;
type AsyncKernel = (args: KernelArgs) => Promise<number | undefined>;

export interface NativeAddon {
  setThreads(threads: number): number;
  buildInfo(): BuildInfo;
  [kernel: string]: SyncKernel | AsyncKernel | ((...args: never[]) => unknown);
}

function load(): NativeAddon {
  const override = process.env.PRUNAS_NATIVE;
  if (override) return require(resolve(override)) as NativeAddon;
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  return nodeGypBuild(packageRoot) as NativeAddon;
}

export const native: NativeAddon = load();

export function syncKernel(name: string): SyncKernel {
  const fn = native[name];
  if (typeof fn !== 'function') throw new Error(`native addon has no kernel ${name}; rebuild with npm run build:native`);
  return fn as SyncKernel;
}

export function asyncKernel(name: string): AsyncKernel {
  return syncKernel(`${name}Async`) as unknown as AsyncKernel;
}
