// One prepared kernel call: the checked arguments and the outputs they fill.
// Each wrapper prepares once and runs either on this thread or off it.
import { asyncKernel, type KernelArgs, syncKernel } from '../native.js';

export interface Prepared<R> {
  kernel: string;
  args: KernelArgs;
  result: R;
}

export function runSync<R>(p: Prepared<R>): R {
  syncKernel(p.kernel)(p.args);
  return p.result;
}

export async function runAsync<R>(p: Prepared<R>): Promise<R> {
  await asyncKernel(p.kernel)(p.args);
  return p.result;
}
