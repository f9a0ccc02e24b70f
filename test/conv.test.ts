// Dense, grouped and depthwise convolution: forwards and full backwards
// against plain float64 loops written here from the definitions, sampled
// gradients against central finite differences, determinism, the portable
// path against the vector path.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as kernels from '../src/kernels/index.js';
import { native } from '../src/native.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';

interface Conv {
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

const outSize = (s: Conv) => ({ ho: Math.floor((s.h + 2 * s.ph - s.kh) / s.sh) + 1, wo: Math.floor((s.w + 2 * s.pw - s.kw) / s.sw) + 1 });

/**
 * Visits every (output element, tap) pair of a convolution whose weight for
 * output channel co, tap (i, j), input channel ci is at index wIndex(co, i, j, ci).
 */
function eachTap(s: Conv, wIndex: (co: number, i: number, j: number, ci: number) => number, visit: (yi: number, xi: number, wi: number, co: number) => void) {
  const { ho, wo } = outSize(s);
  const cg = s.cin / s.groups;
  const og = s.cout / s.groups;
  for (let n = 0; n < s.n; n++)
    for (let oh = 0; oh < ho; oh++)
      for (let ow = 0; ow < wo; ow++)
        for (let co = 0; co < s.cout; co++) {
          const yi = ((n * ho + oh) * wo + ow) * s.cout + co;
          const g = Math.floor(co / og);
          for (let i = 0; i < s.kh; i++) {
            const ih = oh * s.sh - s.ph + i;
            if (ih < 0 || ih >= s.h) continue;
            for (let j = 0; j < s.kw; j++) {
              const iw = ow * s.sw - s.pw + j;
              if (iw < 0 || iw >= s.w) continue;
              for (let c = 0; c < cg; c++) visit(yi, ((n * s.h + ih) * s.w + iw) * s.cin + g * cg + c, wIndex(co, i, j, c), co);
            }
          }
        }
}

const ohwi = (s: Conv) => (co: number, i: number, j: number, c: number) => ((co * s.kh + i) * s.kw + j) * (s.cin / s.groups) + c;
// depthwise weights [kh][kw][c]: output channel co reads input channel co
const hwc = (s: Conv) => (co: number, i: number, j: number) => (i * s.kw + j) * s.cout + co;

function refForward(s: Conv, wIndex: ReturnType<typeof ohwi>, x: Float32Array, w: Float32Array, b?: Float32Array): Float64Array {
  const { ho, wo } = outSize(s);
  const y = new Float64Array(s.n * ho * wo * s.cout);
  if (b) for (let k = 0; k < y.length; k++) y[k] = b[k % s.cout];
  eachTap(s, wIndex, (yi, xi, wi) => (y[yi] += x[xi] * w[wi]));
  return y;
}

function refBackward(s: Conv, wIndex: ReturnType<typeof ohwi>, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  const db = new Float64Array(s.cout);
  for (let k = 0; k < dy.length; k++) db[k % s.cout] += dy[k];
  eachTap(s, wIndex, (yi, xi, wi) => {
    dx[xi] += dy[yi] * w[wi];
    dw[wi] += dy[yi] * x[xi];
  });
  return { dx, dw, db };
}

/** max |a − b| / max |b| */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

function bitEqual(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

const convShape = (s: Conv): kernels.Conv2dShape => ({ n: s.n, h: s.h, w: s.w, cin: s.cin, cout: s.cout, kernel: [s.kh, s.kw], stride: [s.sh, s.sw], pad: [s.ph, s.pw], groups: s.groups });
const dwShape = (s: Conv): kernels.DepthwiseShape => ({ n: s.n, h: s.h, w: s.w, c: s.cin, kernel: [s.kh, s.kw], stride: [s.sh, s.sw], pad: [s.ph, s.pw] });
const label = (s: Conv) => `n${s.n} ${s.h}×${s.w}×${s.cin}→${s.cout} k${s.kh}×${s.kw} s${s.sh},${s.sw} p${s.ph},${s.pw} g${s.groups}`;
const conv = (p: Omit<Conv, 'groups'> & { groups?: number }): Conv => ({ groups: 1, ...p });
const depthwise = (p: Omit<Conv, 'cout' | 'cin' | 'groups'> & { c: number }): Conv => {
  const { c, ...rest } = p;
  return { ...rest, cin: c, cout: c, groups: c };
};

const FORWARD_TOLERANCE = 1e-5; // max abs error / max |y| (float32 kernel vs float64 reference)
const BACKWARD_TOLERANCE = 1e-5; // same, for each of dx, dw, db

// Odd sizes, stride 2, padding 0 and k//2, kernels 1/3/5/7, rectangular kernels, groups 1/2/4, batch 1 and 3.
const convCases: Conv[] = [
  conv({ n: 1, h: 7, w: 9, cin: 3, cout: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 }),
  conv({ n: 3, h: 7, w: 9, cin: 3, cout: 5, kh: 3, kw: 3, sh: 2, sw: 2, ph: 0, pw: 0 }),
  conv({ n: 3, h: 8, w: 7, cin: 4, cout: 6, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, groups: 2 }),
  conv({ n: 1, h: 9, w: 9, cin: 8, cout: 8, kh: 5, kw: 5, sh: 2, sw: 1, ph: 2, pw: 0, groups: 4 }),
  conv({ n: 1, h: 11, w: 6, cin: 2, cout: 3, kh: 7, kw: 3, sh: 1, sw: 2, ph: 3, pw: 1 }),
  conv({ n: 3, h: 9, w: 7, cin: 4, cout: 4, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3, groups: 2 }),
  conv({ n: 1, h: 5, w: 13, cin: 2, cout: 4, kh: 1, kw: 5, sh: 1, sw: 2, ph: 0, pw: 2 }),
  conv({ n: 3, h: 5, w: 5, cin: 6, cout: 4, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0 }),
  conv({ n: 1, h: 5, w: 7, cin: 8, cout: 12, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, groups: 4 }),
  conv({ n: 3, h: 6, w: 5, cin: 6, cout: 4, kh: 1, kw: 1, sh: 2, sw: 2, ph: 0, pw: 0, groups: 2 }),
  conv({ n: 1, h: 4, w: 4, cin: 3, cout: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0 }),
  conv({ n: 1, h: 2, w: 3, cin: 3, cout: 2, kh: 3, kw: 5, sh: 2, sw: 1, ph: 2, pw: 1 }),
  conv({ n: 1, h: 6, w: 6, cin: 20, cout: 3, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 }),
];

function randomConv(rng: TestRandom): Conv {
  const kh = rng.int(1, 7);
  const kw = rng.next() < 0.5 ? kh : rng.int(1, 7);
  const pad = (k: number) => [0, k >> 1, rng.int(0, k - 1)][rng.int(0, 2)];
  const [ph, pw] = [pad(kh), pad(kw)];
  const groups = [1, 2, 4][rng.int(0, 2)];
  return {
    n: [1, 3][rng.int(0, 1)],
    h: rng.int(Math.max(1, kh - 2 * ph), 11),
    w: rng.int(Math.max(1, kw - 2 * pw), 11),
    cin: groups * rng.int(1, 3),
    cout: groups * rng.int(1, 3),
    kh,
    kw,
    sh: rng.int(1, 2),
    sw: rng.int(1, 2),
    ph,
    pw,
    groups,
  };
}

// Channel counts exercise every vector block (64, 32, 16, 8 channels and a
// masked tail); small images with big kernels have no pixel whose taps all
// lie inside, wide ones have runs of them.
const depthwiseCases: Conv[] = [
  depthwise({ n: 3, h: 9, w: 7, c: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 }),
  depthwise({ n: 1, h: 10, w: 11, c: 17, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1 }),
  depthwise({ n: 3, h: 8, w: 8, c: 24, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2 }),
  depthwise({ n: 1, h: 13, w: 9, c: 8, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3 }),
  depthwise({ n: 1, h: 4, w: 4, c: 67, kh: 7, kw: 7, sh: 1, sw: 1, ph: 3, pw: 3 }),
  depthwise({ n: 3, h: 7, w: 9, c: 40, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0 }),
  depthwise({ n: 1, h: 9, w: 14, c: 130, kh: 3, kw: 5, sh: 2, sw: 1, ph: 1, pw: 0 }),
  depthwise({ n: 1, h: 6, w: 11, c: 9, kh: 7, kw: 1, sh: 1, sw: 2, ph: 2, pw: 0 }),
  depthwise({ n: 3, h: 5, w: 5, c: 3, kh: 1, kw: 1, sh: 2, sw: 2, ph: 0, pw: 0 }),
  depthwise({ n: 1, h: 1, w: 12, c: 16, kh: 3, kw: 3, sh: 1, sw: 2, ph: 1, pw: 1 }),
  depthwise({ n: 1, h: 12, w: 1, c: 11, kh: 5, kw: 5, sh: 2, sw: 1, ph: 2, pw: 2 }),
];

function randomDepthwise(rng: TestRandom): Conv {
  const s = randomConv(rng);
  return depthwise({ ...s, c: [1, 3, 8, 12, 33, 72][rng.int(0, 5)] });
}

interface Family {
  name: string;
  wIndex: (s: Conv) => ReturnType<typeof ohwi>;
  forward: (s: Conv, x: Float32Array, w: Float32Array, b?: Float32Array) => Float32Array;
  backward: (s: Conv, x: Float32Array, w: Float32Array, dy: Float32Array) => kernels.ConvGradients;
}

const families: [Family, Conv[], (rng: TestRandom) => Conv][] = [
  [
    {
      name: 'conv2d (dense and grouped)',
      wIndex: ohwi,
      forward: (s, x, w, b) => kernels.conv2dForward(convShape(s), x, w, b),
      backward: (s, x, w, dy) => kernels.conv2dBackward(convShape(s), x, w, dy, { bias: true }),
    },
    convCases,
    randomConv,
  ],
  [
    {
      name: 'depthwise',
      wIndex: hwc,
      forward: (s, x, w, b) => kernels.depthwiseForward(dwShape(s), x, w, b),
      backward: (s, x, w, dy) => kernels.depthwiseBackward(dwShape(s), x, w, dy, { bias: true }),
    },
    depthwiseCases,
    randomDepthwise,
  ],
];

const weightCount = (s: Conv) => (s.cout * s.kh * s.kw * s.cin) / s.groups;

for (const [f, fixed, random] of families) {
  describe(f.name, () => {
    const rng = new TestRandom(f.name.length);
    const cases = [...fixed, ...Array.from({ length: 12 }, () => random(rng))];
    for (const [index, s] of cases.entries()) {
      const data = () => {
        const r = new TestRandom(1000 + index);
        const { ho, wo } = outSize(s);
        return { x: r.floats(s.n * s.h * s.w * s.cin), w: r.floats(weightCount(s), 0.5), b: r.floats(s.cout), dy: r.floats(s.n * ho * wo * s.cout) };
      };

      it(`forward and backward match float64 loops: ${label(s)}`, () => {
        const { x, w, b, dy } = data();
        expect(relError(f.forward(s, x, w, b), refForward(s, f.wIndex(s), x, w, b))).toBeLessThan(FORWARD_TOLERANCE);
        expect(relError(f.forward(s, x, w), refForward(s, f.wIndex(s), x, w))).toBeLessThan(FORWARD_TOLERANCE);
        const g = f.backward(s, x, w, dy);
        const ref = refBackward(s, f.wIndex(s), x, w, dy);
        expect(relError(g.dx, ref.dx)).toBeLessThan(BACKWARD_TOLERANCE);
        expect(relError(g.dw, ref.dw)).toBeLessThan(BACKWARD_TOLERANCE);
        expect(relError(g.db!, ref.db)).toBeLessThan(BACKWARD_TOLERANCE);
      });

      it(`dx, dw, db match finite differences: ${label(s)}`, () => {
        const { x, w, b, dy } = data();
        const g = f.backward(s, x, w, dy);
        const loss = () => dot64(f.forward(s, x, w, b), dy);
        checkGradient({ input: x, analytic: g.dx, loss, label: 'dx' });
        checkGradient({ input: w, analytic: g.dw, loss, label: 'dw' });
        checkGradient({ input: b, analytic: g.db!, loss, label: 'db' });
      });
    }

    it('is bit-identical on repeat at 1 and 2 threads, and async equals sync', async () => {
      const s = fixed[2];
      const r = new TestRandom(77);
      const x = r.floats(s.n * s.h * s.w * s.cin);
      const w = r.floats(weightCount(s));
      try {
        for (const threads of [1, 2]) {
          native.setThreads(threads);
          const y = f.forward(s, x, w);
          const dy = r.floats(y.length);
          const a = f.backward(s, x, w, dy);
          const b = f.backward(s, x, w, dy);
          expect(bitEqual(y, f.forward(s, x, w))).toBe(true);
          expect(bitEqual(a.dx, b.dx) && bitEqual(a.dw, b.dw) && bitEqual(a.db!, b.db!)).toBe(true);
        }
      } finally {
        native.setThreads(0);
      }
      const y = f.forward(s, x, w);
      const yAsync = f.name === 'depthwise' ? await kernels.depthwiseForwardAsync(dwShape(s), x, w) : await kernels.conv2dForwardAsync(convShape(s), x, w);
      expect(bitEqual(y, yAsync)).toBe(true);
      const dy = r.floats(y.length);
      const g = f.backward(s, x, w, dy);
      const gAsync = f.name === 'depthwise' ? await kernels.depthwiseBackwardAsync(dwShape(s), x, w, dy, { bias: true }) : await kernels.conv2dBackwardAsync(convShape(s), x, w, dy, { bias: true });
      expect(bitEqual(g.dx, gAsync.dx) && bitEqual(g.dw, gAsync.dw) && bitEqual(g.db!, gAsync.db!)).toBe(true);
    });
  });
}

describe('depthwise against grouped conv with groups = C', () => {
  for (const s of depthwiseCases.slice(0, 7)) {
    it(`same forward and gradients: ${label(s)}`, () => {
      const r = new TestRandom(s.cin);
      const x = r.floats(s.n * s.h * s.w * s.cin);
      const w = r.floats(s.kh * s.kw * s.cin);
      const b = r.floats(s.cin);
      // [kh][kw][c] → OHWI [c][kh][kw][1]
      const wOhwi = new Float32Array(w.length);
      for (let t = 0; t < s.kh * s.kw; t++) for (let c = 0; c < s.cin; c++) wOhwi[c * s.kh * s.kw + t] = w[t * s.cin + c];
      const y = kernels.depthwiseForward(dwShape(s), x, w, b);
      expect(relError(y, kernels.conv2dForward(convShape(s), x, wOhwi, b))).toBeLessThan(1e-6);
      const dy = r.floats(y.length);
      const g = kernels.depthwiseBackward(dwShape(s), x, w, dy, { bias: true });
      const d = kernels.conv2dBackward(convShape(s), x, wOhwi, dy, { bias: true });
      const dwOhwi = new Float32Array(w.length);
      for (let t = 0; t < s.kh * s.kw; t++) for (let c = 0; c < s.cin; c++) dwOhwi[c * s.kh * s.kw + t] = g.dw[t * s.cin + c];
      expect(relError(g.dx, d.dx)).toBeLessThan(1e-6);
      expect(relError(dwOhwi, d.dw)).toBeLessThan(1e-5);
      expect(relError(g.db!, d.db!)).toBeLessThan(1e-6);
    });
  }
});

describe('conv2d beyond one column buffer', () => {
  // 4·64·64 output pixels × 1152 columns is more than the 64 MB column
  // buffer, so the batch is cut into chunks (mid-image, mid-row); each image
  // alone fits in one chunk.
  it('equals the same convolution image by image', () => {
    const s = conv({ n: 4, h: 64, w: 64, cin: 128, cout: 8, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 });
    const one = { ...s, n: 1 };
    const r = new TestRandom(3);
    const x = r.floats(s.n * s.h * s.w * s.cin);
    const w = r.floats(weightCount(s), 0.1);
    const y = kernels.conv2dForward(convShape(s), x, w);
    const dy = r.floats(y.length);
    const g = kernels.conv2dBackward(convShape(s), x, w, dy);
    const imageX = s.h * s.w * s.cin;
    const imageY = y.length / s.n;
    const dwSum = new Float64Array(w.length);
    for (let n = 0; n < s.n; n++) {
      const xn = x.subarray(n * imageX, (n + 1) * imageX);
      const dyn = dy.subarray(n * imageY, (n + 1) * imageY);
      expect(relError(y.subarray(n * imageY, (n + 1) * imageY), kernels.conv2dForward(convShape(one), xn, w))).toBeLessThan(1e-6);
      const gn = kernels.conv2dBackward(convShape(one), xn, w, dyn);
      expect(relError(g.dx.subarray(n * imageX, (n + 1) * imageX), gn.dx)).toBeLessThan(1e-6);
      for (let k = 0; k < w.length; k++) dwSum[k] += gn.dw[k];
    }
    expect(relError(g.dw, dwSum)).toBeLessThan(1e-5);
  });
});

describe('conv2dOutputSize', () => {
  it('follows floor((h + 2p − k) / s) + 1 with the documented defaults', () => {
    expect(kernels.conv2dOutputSize({ n: 1, h: 224, w: 224, kernel: 3, stride: 2 })).toEqual({ ho: 112, wo: 112 });
    expect(kernels.conv2dOutputSize({ n: 1, h: 7, w: 9, kernel: [5, 3] })).toEqual({ ho: 7, wo: 9 });
    expect(kernels.conv2dOutputSize({ n: 1, h: 7, w: 9, kernel: [4, 2] })).toEqual({ ho: 8, wo: 10 });
    expect(kernels.conv2dOutputSize({ n: 2, h: 7, w: 9, kernel: 3, stride: [2, 1], pad: 0 })).toEqual({ ho: 3, wo: 7 });
    for (const s of [...convCases, ...depthwiseCases]) {
      const y = kernels.conv2dForward(convShape(s), new Float32Array(s.n * s.h * s.w * s.cin), new Float32Array(weightCount(s)));
      const { ho, wo } = kernels.conv2dOutputSize(convShape(s));
      expect([ho, wo]).toEqual([outSize(s).ho, outSize(s).wo]);
      expect(y.length).toBe(s.n * ho * wo * s.cout);
    }
  });
});

describe('portable path', () => {
  // PRUNAS_CPU_PATH is read once per process, so the portable path runs in a child.
  it('agrees with the vector path on forward and backward', () => {
    const cases = [depthwiseCases[1], depthwiseCases[4], depthwiseCases[6], depthwiseCases[7], convCases[2]];
    const script = `
      const kernels = await import('./src/kernels/index.ts');
      const { native } = await import('./src/native.ts');
      const { TestRandom } = await import('./test/helpers/random.ts');
      const cases = ${JSON.stringify(cases)};
      const out = cases.map((s, i) => {
        const r = new TestRandom(i);
        const shape = { n: s.n, h: s.h, w: s.w, kernel: [s.kh, s.kw], stride: [s.sh, s.sw], pad: [s.ph, s.pw] };
        const dw = s.groups === s.cin && s.cin === s.cout;
        const x = r.floats(s.n * s.h * s.w * s.cin), w = r.floats(s.cout * s.kh * s.kw * s.cin / s.groups), b = r.floats(s.cout);
        const y = dw ? kernels.depthwiseForward({ ...shape, c: s.cin }, x, w, b) : kernels.conv2dForward({ ...shape, cin: s.cin, cout: s.cout, groups: s.groups }, x, w, b);
        const dy = r.floats(y.length);
        const g = dw ? kernels.depthwiseBackward({ ...shape, c: s.cin }, x, w, dy, { bias: true }) : kernels.conv2dBackward({ ...shape, cin: s.cin, cout: s.cout, groups: s.groups }, x, w, dy, { bias: true });
        return [y, g.dx, g.dw, g.db].map((a) => Array.from(a));
      });
      process.stdout.write(JSON.stringify({ path: native.buildInfo().vectorPath, out }));`;
    const run = (path: string) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, PRUNAS_CPU_PATH: path }, encoding: 'utf8', maxBuffer: 1 << 28 }));
    const portable = run('portable');
    const vector = run('avx2');
    expect(portable.path).toBe('portable');
    expect(vector.out.length).toBe(cases.length);
    for (let c = 0; c < cases.length; c++)
      for (let t = 0; t < 4; t++) expect(relError(portable.out[c][t], vector.out[c][t]), `${label(cases[c])} output ${t}`).toBeLessThan(1e-5);
  });
});
