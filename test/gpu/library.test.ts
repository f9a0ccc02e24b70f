// Dense/grouped convolution through cuDNN and linear/pointwise through cuBLAS
// against the CPU kernels: strict fp32 ≤ 1e-5, TF32 tensor cores ≤ 5e-4.
// Skipped with a visible reason without a GPU or without the libraries.
import { describe, expect, it } from 'vitest';
import * as gpu from '../../src/gpu/kernels.js';
import { kernels } from '../../src/index.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noLibraries, relativeError } from './gpu-skip.js';

announceSkip('test/gpu/library.test.ts', true);
const rng = new TestRandom(777);

describe.skipIf(noLibraries)('cuDNN convolution and cuBLAS linear equal the CPU kernels', () => {
  const convCases = [
    { n: 2, h: 16, w: 16, cin: 3, cout: 16, kernel: 3, stride: 2 },
    { n: 2, h: 9, w: 11, cin: 8, cout: 12, kernel: 5, stride: 1 },
    { n: 3, h: 8, w: 8, cin: 16, cout: 24, kernel: 3, stride: 1, groups: 4 },
    { n: 2, h: 7, w: 7, cin: 16, cout: 32, kernel: 1, stride: 1 },
  ];
  for (const s of convCases) {
    for (const tf32 of [false, true]) {
      it(`conv2d ${JSON.stringify(s)} ${tf32 ? 'tf32' : 'fp32'}`, () => {
        const tol = tf32 ? 5e-4 : 1e-5;
        const { ho, wo } = kernels.conv2dOutputSize(s);
        const x = rng.floats(s.n * s.h * s.w * s.cin);
        const w = rng.floats(s.cout * s.kernel * s.kernel * (s.cin / (s.groups ?? 1)), 0.2);
        const bias = rng.floats(s.cout);
        const dy = rng.floats(s.n * ho * wo * s.cout);
        expect(relativeError(gpu.conv2dForward(s, x, w, bias, { tf32 }), kernels.conv2dForward(s, x, w, bias))).toBeLessThanOrEqual(tol);
        const g = gpu.conv2dBackward(s, x, w, dy, { tf32, bias: true });
        const c = kernels.conv2dBackward(s, x, w, dy, { bias: true });
        expect(relativeError(g.dx, c.dx)).toBeLessThanOrEqual(tol);
        expect(relativeError(g.dw, c.dw)).toBeLessThanOrEqual(tol);
        expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(1e-5);
      });
    }
  }

  it('lists the algorithm chosen per pass and shape: deterministic, within the workspace limit, FMA math in strict fp32', () => {
    for (const s of convCases) {
      const { ho, wo } = kernels.conv2dOutputSize(s);
      const x = rng.floats(s.n * s.h * s.w * s.cin);
      const w = rng.floats(s.cout * s.kernel * s.kernel * (s.cin / (s.groups ?? 1)), 0.2);
      for (const tf32 of [false, true]) gpu.conv2dBackward(s, x, w, rng.floats(s.n * ho * wo * s.cout), { tf32 });
      for (const tf32 of [false, true]) gpu.conv2dForward(s, x, w, undefined, { tf32 });
    }
    const chosen = new Map(gpu.gpuConvAlgorithms().map((a) => [a.conv, a]));
    const emulated = gpu.gpuInfo().emulated === true;
    for (const s of convCases) {
      const p = Math.floor(s.kernel / 2);
      const shape = `n${s.n} ${s.h}x${s.w} ${s.cin}->${s.cout} k${s.kernel}x${s.kernel} s${s.stride}x${s.stride} p${p}x${p} g${s.groups ?? 1}`;
      for (const mode of ['fp32', 'tf32']) {
        for (const pass of ['fwd', 'bwd-data', 'bwd-filter']) {
          const a = chosen.get(`${pass} cuda:0 ${shape} ${mode}`);
          expect(a, `${pass} ${shape} ${mode}`).toBeDefined();
          if (a!.algorithm === null) continue; // the built-in kernel
          expect(a!.workspaceBytes).toBeLessThanOrEqual(256 * 2 ** 20);
          if (mode === 'fp32') expect(a!.math).toBe('fma');
          else expect(['fma', 'default', 'tensor-op']).toContain(a!.math);
          // the emulated ranking puts a 1 GiB and a non-deterministic algorithm before
          // algorithm 0, the one deterministic algorithm within the limit
          if (emulated) expect(a!.algorithm).toBe(0);
        }
      }
    }
  });

  for (const tf32 of [false, true]) {
    it(`linear and pointwise ${tf32 ? 'tf32' : 'fp32'}`, () => {
      const tol = tf32 ? 5e-4 : 1e-5;
      for (const s of [{ rows: 37, in: 50, out: 10 }, { rows: 2 * 14 * 14, in: 24, out: 144 }]) {
        const x = rng.floats(s.rows * s.in);
        const w = rng.floats(s.out * s.in, 0.2);
        const bias = rng.floats(s.out);
        const dy = rng.floats(s.rows * s.out);
        expect(relativeError(gpu.linearForward(s, x, w, bias, { tf32 }), kernels.linearForward(s, x, w, bias))).toBeLessThanOrEqual(tol);
        const g = gpu.linearBackward(s, x, w, dy, { tf32, bias: true });
        const c = kernels.linearBackward(s, x, w, dy, { bias: true });
        expect(relativeError(g.dx, c.dx)).toBeLessThanOrEqual(tol);
        expect(relativeError(g.dw, c.dw)).toBeLessThanOrEqual(tol);
        expect(relativeError(g.db!, c.db!)).toBeLessThanOrEqual(1e-5);
      }
    });
  }
});
