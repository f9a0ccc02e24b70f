// The bf16 convolution and linear layers of the CUDA backend (the layers a
// `precision: 'bf16'` step runs) on host Float32Arrays, for tests and
// experiments: on the device the activation inputs (x, dy) are rounded to
// bf16, the layer runs with bf16 tensor-core products accumulated in float32,
// and its bf16 outputs (y, dx) come back widened to float32. Weights, bias,
// dw and db are float32 throughout.
//
// `layers: 'library'` (default) runs cuDNN / cuBLAS (addons built with them);
// `layers: 'builtin'` our own tiled kernels (every CUDA build), which read the
// float32 weights as they are; the libraries use a bf16 copy of them.
import { PrunasError } from '../errors.js';
import type { Conv2dShape } from '../kernels/conv.js';
import { float32, integer, oneOf, options } from '../kernels/check.js';
import { native, type KernelArgs } from '../native.js';
import { convArgs, gradients, linearArgs, type LinearShape } from './args.js';
import { gpuInfo, type DeviceOption } from './kernels.js';

export type Bf16Layers = 'library' | 'builtin';

export interface Bf16LayerOptions extends DeviceOption {
  /** 'library' (cuDNN/cuBLAS; default) or 'builtin' (our own kernels) */
  layers?: Bf16Layers;
}

export interface Bf16BackwardOptions extends Bf16LayerOptions {
  /** also compute db (default false) */
  bias?: boolean;
  /** false skips dx / dw (the layer then gets no output to write) */
  dx?: boolean;
  dw?: boolean;
}

export interface Bf16Gradients {
  dx?: Float32Array;
  dw?: Float32Array;
  db?: Float32Array;
}

/** Each element rounded to the nearest bf16 (ties to even), as the device rounds; NaN stays NaN. */
export function roundToBf16(a: Float32Array): Float32Array {
  const out = new Float32Array(a);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) {
    const u = bits[i];
    if ((u & 0x7f800000) === 0x7f800000) {
      if (u & 0x007fffff) bits[i] = (u | 0x00400000) & 0xffff0000;  // NaN stays a (quiet) NaN
      continue;
    }
    bits[i] = ((u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000) >>> 0;
  }
  return out;
}

function call(where: string, kernel: string, args: KernelArgs, o: Bf16LayerOptions | undefined): void {
  const opts = options(where, o ?? {});
  const device = integer(where, 'device', opts.device ?? 0, 0, 1023);
  const layers = oneOf(where, 'layers', opts.layers ?? 'library', ['library', 'builtin'] as const);
  const name = layers === 'library' ? `cudaBf16${kernel}` : `cudaBf16Fallback${kernel}`;
  const fn = native[name] as ((a: KernelArgs) => unknown) | undefined;
  if (typeof fn !== 'function') {
    const info = gpuInfo();
    const why = !info.compiled || layers === 'builtin' ? (info.reason ?? 'the addon predates the bf16 layers; rebuild it') : 'cuDNN/cuBLAS were not found at build time';
    throw new PrunasError(`${where}: ${layers} bf16 layers are not available in this build (${why})`);
  }
  fn({ ...args, device });
}

/** y = conv(x, W) + b with bf16 activations; NHWC x, OHWI W. */
export function bf16Conv2dForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: Bf16LayerOptions): Float32Array {
  const where = 'gpu.bf16Conv2dForward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  if (bias !== undefined) float32(where, 'bias', bias, s.cout);
  const y = new Float32Array(s.n * s.ho * s.wo * s.cout);
  call(where, 'Conv2dForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

export function bf16Conv2dBackward(shape: Conv2dShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: Bf16BackwardOptions): Bf16Gradients {
  const where = 'gpu.bf16Conv2dBackward';
  const s = convArgs(where, shape);
  float32(where, 'x', x, s.n * s.h * s.w * s.cin);
  float32(where, 'w', w, s.cout * s.kh * s.kw * (s.cin / s.groups));
  float32(where, 'dy', dy, s.n * s.ho * s.wo * s.cout);
  const g = gradients(x.length, w.length, s.cout, o);
  call(where, 'Conv2dBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}

/** y[rows, out] = x·Wᵀ + b with bf16 activations; a pointwise conv is this with rows = n·h·w. */
export function bf16LinearForward(shape: LinearShape, x: Float32Array, w: Float32Array, bias?: Float32Array, o?: Bf16LayerOptions): Float32Array {
  const where = 'gpu.bf16LinearForward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  if (bias !== undefined) float32(where, 'bias', bias, s.out);
  const y = new Float32Array(s.rows * s.out);
  call(where, 'LinearForward', { ...s, x, weight: w, bias, y }, o);
  return y;
}

export function bf16LinearBackward(shape: LinearShape, x: Float32Array, w: Float32Array, dy: Float32Array, o?: Bf16BackwardOptions): Bf16Gradients {
  const where = 'gpu.bf16LinearBackward';
  const s = linearArgs(where, shape);
  float32(where, 'x', x, s.rows * s.in);
  float32(where, 'w', w, s.out * s.in);
  float32(where, 'dy', dy, s.rows * s.out);
  const g = gradients(x.length, w.length, s.out, o);
  call(where, 'LinearBackward', { ...s, x, weight: w, dy, ...g }, o);
  return g;
}
