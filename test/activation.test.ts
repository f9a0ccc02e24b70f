import { describe, expect, it } from 'vitest';
import { kernels } from '../src/index.js';
import { checkGradient, dot64 } from './helpers/gradcheck.js';
import { TestRandom } from './helpers/random.js';

// Inputs kept away from the kinks (0 and 6 for ReLU6, ±3 for h-swish) by more
// than the finite-difference step.
function awayFromKinks(x: Float32Array, kinks: number[], margin: number): Float32Array {
  for (let i = 0; i < x.length; i++) for (const k of kinks) if (Math.abs(x[i] - k) < margin) x[i] = k + margin * 2;
  return x;
}

describe('activations', () => {
  const cases = [
    { kind: 'relu', kinks: [0], reference: (v: number) => Math.max(v, 0) },
    { kind: 'relu6', kinks: [0, 6], reference: (v: number) => Math.min(Math.max(v, 0), 6) },
    { kind: 'hswish', kinks: [-3, 3], reference: (v: number) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6 },
  ] as const;

  for (const { kind, kinks, reference } of cases) {
    it(`${kind} forward matches its definition`, () => {
      const rng = new TestRandom(1);
      const x = rng.floats(1001, 4);
      const y = kernels.activationForward(kind, x);
      for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(reference(x[i]), 5);
    });

    it(`${kind} backward matches finite differences`, () => {
      const rng = new TestRandom(2);
      const x = awayFromKinks(rng.floats(777, 4), [...kinks], 0.05);
      const r = rng.floats(x.length);
      const dx = kernels.activationBackward(kind, x, r);
      const { checked } = checkGradient({
        input: x,
        analytic: dx,
        loss: () => dot64(kernels.activationForward(kind, x), r),
        samples: 200,
        label: `${kind} dx`,
      });
      expect(checked).toBe(200);
    });
  }

  it('add sums elementwise', () => {
    const rng = new TestRandom(3);
    const a = rng.floats(65537);
    const b = rng.floats(65537);
    const y = kernels.add(a, b);
    for (let i = 0; i < a.length; i += 97) expect(y[i]).toBe(Math.fround(a[i] + b[i]));
  });

  it('runs off the main thread as a Promise', async () => {
    const x = new TestRandom(4).floats(1 << 20);
    const y = await kernels.activationForwardAsync('relu6', x);
    expect(Buffer.compare(Buffer.from(y.buffer), Buffer.from(kernels.activationForward('relu6', x).buffer))).toBe(0);
  });
});
