// Central finite differences against an analytic gradient.
//
// The scalar checked is L = Σ r ⊙ output with a fixed random r, summed in
// float64 on the reference side; the analytic gradient is the kernel's
// backward with dy = r. Each checked element is perturbed by ±h in place.
import { expect } from 'vitest';

export interface GradientCheck {
  /** the tensor whose gradient is checked (perturbed in place, restored) */
  input: Float32Array;
  /** the gradient the backward kernel produced for `input` */
  analytic: Float32Array;
  /** recomputes the forward and returns L in float64 */
  loss: () => number;
  /** step; default 1e-2 (float32 forwards need a large step) */
  h?: number;
  /** at most this many elements are checked, spread over the tensor */
  samples?: number;
  /** allowed |a − n| / (|a| + |n| + floor); default 2e-2 */
  tolerance?: number;
  label?: string;
}

export function dot64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function checkGradient(c: GradientCheck): { maxError: number; checked: number } {
  const h = c.h ?? 1e-2;
  const tolerance = c.tolerance ?? 2e-2;
  const n = c.input.length;
  const samples = Math.min(n, c.samples ?? 64);
  let scale = 0;
  for (let i = 0; i < c.analytic.length; i++) scale = Math.max(scale, Math.abs(c.analytic[i]));
  // Elements whose true gradient is ~0 compare against a floor tied to the largest one.
  const floor = 1e-3 * scale + 1e-6;
  let maxError = 0;
  for (let s = 0; s < samples; s++) {
    const i = samples === n ? s : Math.floor((s * n) / samples + (n / samples) * 0.5) % n;
    const saved = c.input[i];
    c.input[i] = saved + h;
    const up = c.loss();
    c.input[i] = saved - h;
    const down = c.loss();
    c.input[i] = saved;
    const numeric = (up - down) / (2 * h);
    const a = c.analytic[i];
    const err = Math.abs(a - numeric) / (Math.abs(a) + Math.abs(numeric) + floor);
    if (err > maxError) maxError = err;
    if (err > tolerance) {
      expect.fail(
        `${c.label ?? 'gradient'}[${i}]: analytic ${a} vs numeric ${numeric} (relative error ${err.toExponential(2)} > ${tolerance})`,
      );
    }
  }
  return { maxError, checked: samples };
}
