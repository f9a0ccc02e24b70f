// Plain float64 reference implementations, written from the definitions,
// used to check forwards of the native kernels.

export interface RefConv {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  groups: number;
}

export function outSize(s: RefConv): { ho: number; wo: number } {
  return { ho: Math.floor((s.h + 2 * s.ph - s.kh) / s.sh) + 1, wo: Math.floor((s.w + 2 * s.pw - s.kw) / s.sw) + 1 };
}

/** NHWC x, OHWI w [cout][kh][kw][cin/groups]. */
export function refConv2d(s: RefConv, x: Float32Array, w: Float32Array, bias?: Float32Array): Float64Array {
  const { ho, wo } = outSize(s);
  const cg = s.cin / s.groups;
  const og = s.cout / s.groups;
  const y = new Float64Array(s.n * ho * wo * s.cout);
  for (let n = 0; n < s.n; n++)
    for (let oh = 0; oh < ho; oh++)
      for (let ow = 0; ow < wo; ow++)
        for (let co = 0; co < s.cout; co++) {
          const g = Math.floor(co / og);
          let acc = bias ? bias[co] : 0;
          for (let i = 0; i < s.kh; i++) {
            const ih = oh * s.sh - s.ph + i;
            if (ih < 0 || ih >= s.h) continue;
            for (let j = 0; j < s.kw; j++) {
              const iw = ow * s.sw - s.pw + j;
              if (iw < 0 || iw >= s.w) continue;
              for (let c = 0; c < cg; c++)
                acc += x[((n * s.h + ih) * s.w + iw) * s.cin + g * cg + c] * w[((co * s.kh + i) * s.kw + j) * cg + c];
            }
          }
          y[((n * ho + oh) * wo + ow) * s.cout + co] = acc;
        }
  return y;
}

/** Largest |a − b| relative to the largest |b|. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

export function bitEqual(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
