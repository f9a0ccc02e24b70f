// The native supernet through its raw handle (plans written by hand), in
// single/fixed mode: gradients against finite differences, training,
// untouched paths, determinism, bad input (the other modes and memory:
// supernet-gates.test.ts, supernet-modes.test.ts).
import { describe, expect, it } from 'vitest';
import { native } from '../src/native.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { TestRandom } from './helpers/random.js';
import { bitEqual } from './helpers/reference.js';

interface Handle {
  weightStep(a: unknown): { loss: number; correct: number };
  removeLayer(a: unknown): void;
  removeCandidate(a: unknown): void;
  weightStepAsync(a: unknown): Promise<{ loss: number; correct: number }>;
  evaluate(a: unknown): { loss: number; correct: number };
  gradients(a: unknown): { loss: number; correct: number };
  parameters(): { name: string; size: number }[];
  readParameter(a: unknown): void;
  writeParameter(a: unknown): void;
  memoryStats(): { currentBytes: number; peakBytes: number };
  dispose(): void;
}
const Supernet = native.Supernet as unknown as new (a: unknown) => Handle;

// zero, kernel, expand, act (2 = ReLU6, 3 = h-swish)
const mb = (k: number, e: number, act = 2) => [0, k, e, act];
const ZERO = [1, 0, 0, 0];

function plan(candidatesPerLayer: number[][][], opts: { size?: number; channels?: number; head?: number; act?: number } = {}) {
  const size = opts.size ?? 8;
  // layer 0: 8 → 8 stride 1 (residual), layer 1: 8 → 12 stride 2, layer 2: 12 → 12 stride 1 (residual)
  const shapes = [
    [8, 1],
    [12, 2],
    [12, 1],
  ];
  return {
    height: size,
    width: size,
    channels: opts.channels ?? 1,
    classes: 4,
    stem: Int32Array.from([3, 1, 8, opts.act ?? 2]),
    head: Int32Array.from([opts.head ?? 16, opts.act ?? 2]),
    layers: Int32Array.from(candidatesPerLayer.flatMap((c, i) => [...shapes[i], c.length])),
    candidates: Int32Array.from(candidatesPerLayer.flat(2)),
  };
}

const SPACE = [[mb(3, 3), mb(5, 1), ZERO], [mb(3, 3), mb(5, 6)], [mb(7, 3), ZERO]];

function batch(n: number, seed: number, size = 8) {
  const rng = new TestRandom(seed);
  return { x: rng.floats(n * size * size), y: Int32Array.from({ length: n }, () => rng.int(0, 3)) };
}

describe('native supernet (single path)', () => {
  it('parameter gradients match finite differences of the train-mode loss', () => {
    // Without activations the loss is smooth, so finite differences are
    // exact up to rounding; with ReLU6 after BN, many units sit near the kink
    // at 0 and BN makes the total gradient a small sum of cancelling parts,
    // so kink crossings dominate the difference. The activation backwards
    // have their own finite-difference tests (activation.test.ts).
    const smooth = [[mb(3, 3, 0), mb(5, 1, 0), ZERO], [mb(3, 3, 0), mb(5, 6, 0)], [mb(7, 3, 0), ZERO]];
    const net = new Supernet({ ...plan(smooth, { act: 0 }), seed: 3 });
    const { x, y } = batch(6, 1);
    const choices = Int32Array.from([0, 1, 0]);
    net.gradients({ x, y, choices, labelSmoothing: 0.1 });
    const params = net.parameters();
    const pick = ['stem.weight', 'layers.0.op0.expand.weight', 'layers.1.op1.depthwise.weight', 'layers.1.op1.project.bn.weight', 'layers.2.op0.depthwise.bn.bias', 'head.weight', 'classifier.weight', 'classifier.bias'];
    for (const name of pick) {
      const index = params.findIndex((p) => p.name === name);
      expect(index, name).toBeGreaterThanOrEqual(0);
      const value = new Float32Array(params[index].size);
      const grad = new Float32Array(params[index].size);
      net.gradients({ x, y, choices, labelSmoothing: 0.1 }); // at the unperturbed weights
      net.readParameter({ index, value, grad });
      const loss = () => net.gradients({ x, y, choices, labelSmoothing: 0.1 }).loss;
      // Directional derivative along a random direction v over the whole
      // tensor: ReLU6 kinks make single-element differences noisy, a
      // direction averages them out. Compared with ⟨grad, v⟩.
      const rng = new TestRandom(index);
      // the direction is scaled to the tensor's own size, so h is relative
      const rms = Math.sqrt(value.reduce((a, w) => a + w * w, 0) / value.length) || 1;
      const v = rng.floats(value.length, rms / Math.sqrt(value.length));
      const h = 1e-2;
      const shifted = (t: number) => {
        net.writeParameter({ index, value: value.map((w, i) => w + t * v[i]) });
        return loss();
      };
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      net.writeParameter({ index, value });
      let analytic = 0;
      for (let i = 0; i < v.length; i++) analytic += grad[i] * v[i];
      expect(Math.abs(numeric - analytic), `${name}: analytic ${analytic} numeric ${numeric}`).toBeLessThan(0.01 * Math.abs(analytic) + 1e-6);
    }
    net.dispose();
  });

  it('learns a synthetic task and leaves untouched paths exactly as they were', async () => {
    const set = syntheticImageSet({ count: 256, height: 8, width: 8, channels: 1, classes: 4, seed: 5, noise: 0.3 });
    const x = Float32Array.from(set.images, (v) => v / 255 - 0.5);
    const net = new Supernet({ ...plan(SPACE), seed: 1 });
    const params = net.parameters();
    const untouched = params.map((p, index) => ({ index, name: p.name })).filter((p) => p.name.startsWith('layers.1.op0.') || p.name.startsWith('layers.0.op1.'));
    const before = untouched.map(({ index }) => {
      const value = new Float32Array(params[index].size);
      net.readParameter({ index, value });
      return value;
    });
    const choices = Int32Array.from([0, 1, 0]);
    const first = net.evaluate({ x, y: set.labels, choices });
    for (let epoch = 0; epoch < 8; epoch++)
      for (let b = 0; b < 256; b += 32)
        await net.weightStepAsync({ mode: 'single', x: x.subarray(b * 64, (b + 32) * 64), y: set.labels.subarray(b, b + 32), choices, lr: 0.1, momentum: 0.9, weightDecay: 4e-5 });
    const last = net.evaluate({ x, y: set.labels, choices });
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.correct / 256).toBeGreaterThan(0.9);
    untouched.forEach(({ index }, k) => {
      const value = new Float32Array(params[index].size);
      const momentum = new Float32Array(params[index].size);
      net.readParameter({ index, value, momentum });
      expect(bitEqual(value, before[k])).toBe(true);
      expect(momentum.every((m) => m === 0)).toBe(true);
    });
    net.dispose();
  });

  it('same seed, same steps → bit-identical weights', () => {
    const run = () => {
      const net = new Supernet({ ...plan(SPACE), seed: 9 });
      for (let s = 0; s < 3; s++) net.weightStep({ ...batch(8, s), choices: Int32Array.from([s % 3, s % 2, s % 2]), lr: 0.05 });
      const out = new Float32Array(net.parameters()[0].size);
      net.readParameter({ index: 0, value: out });
      net.dispose();
      return out;
    };
    expect(bitEqual(run(), run())).toBe(true);
  });

  it('rejects bad plans and steps with the value named', async () => {
    expect(() => new Supernet({ ...plan([[ZERO], [ZERO], [mb(3, 3)]]), seed: 1 })).toThrow(/zero candidate needs a residual/);
    expect(() => new Supernet({ ...plan([[mb(4, 3)], [mb(3, 3)], [mb(3, 3)]]), seed: 1 })).toThrow(/kernel must be odd, got 4/);
    const net = new Supernet({ ...plan(SPACE), seed: 1 });
    const { x, y } = batch(2, 1);
    expect(() => net.weightStep({ x, y, choices: Int32Array.from([0, 2, 0]), lr: 0.1 })).toThrow(/Supernet.weightStep: choices\[1\] = 2 is outside \[0, 2\)/);
    expect(() => net.weightStep({ x, y, choices: Int32Array.from([0, 0]), lr: 0.1 })).toThrow(/Supernet.weightStep: choices must have 3 elements, got 2/);
    expect(() => net.weightStep({ x, y, choices: Int32Array.from([0, 0, 0]), lr: Number.NaN })).toThrow(/Supernet.weightStep: lr must be a finite number/);
    expect(() => net.weightStep({ x: x.subarray(1), y, choices: Int32Array.from([0, 0, 0]), lr: 0.1 })).toThrow(/Supernet.weightStep: x must have 128 elements/);
    expect(() => net.evaluate({ x, y: Int32Array.from([0, 9]), choices: Int32Array.from([0, 0, 0]) })).toThrow(/y\[1\] = 9 is outside \[0, 4\)/);
    const choices = Int32Array.from([0, 0, 0]);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 'sideways' })).toThrow(RangeError);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 'sideways' })).toThrow(/Supernet.weightStep: mode must be one of single, pair, echo, sum, fixed, got "sideways"/);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 3 })).toThrow(TypeError);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 3 })).toThrow(/Supernet.weightStep: mode must be a string, got 3/);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 'pair', others: Int32Array.from([0, 1, 1]) })).toThrow(/others\[0\] = 0 equals choices\[0\]/);
    expect(() => net.weightStep({ x, y, choices, lr: 0.1, mode: 'pair' })).toThrow(/Supernet.weightStep: others must be a Int32Array, got undefined/);
    expect(() => net.weightStep({ x, y, lr: 0.1, mode: 'sum', weights: new Float32Array(6) })).toThrow(/Supernet.weightStep: weights must have 7 elements, got 6/);
    expect(() => net.weightStep({ x, y, lr: 0.1, mode: 'sum', weights: new Float32Array(7).fill(Number.NaN) })).toThrow(/weights\[0\] \(layer 0, candidate 0\) must be finite/);
    expect(() => net.weightStep({ x, y, lr: 0.1, optimizer: 'lbfgs', choices })).toThrow(/Supernet.weightStep: optimizer must be one of sgd, adam, got "lbfgs"/);
    expect(() => net.weightStep({ x, y, lr: 0.1, probabilities: new Float32Array(7).fill(0.5), sampleSeed: 1 })).toThrow(/Supernet.weightStep: probabilities of layer 0 must sum to 1, got 1.5/);
    expect(() => net.weightStep({ x, y, lr: 0.1, probabilities: new Float32Array(7), choices, sampleSeed: 1 })).toThrow(/pass either choices or probabilities/);
    expect(() => net.removeLayer({ layer: 1 })).toThrow(/Supernet.removeLayer: layers.1 has no residual/);
    expect(() => net.removeCandidate({ layer: 0, index: 3 })).toThrow(/Supernet.removeCandidate: index must be in \[0, 2\], got 3/);
    // async: arguments are checked before the job is queued (thrown), the rest in the job (rejected)
    expect(() => net.weightStepAsync({ x, y, choices: Int32Array.from([0, 0, 5]), lr: 0.1 })).toThrow(RangeError);
    expect(() => net.weightStepAsync({ x, y, choices, lr: Number.NaN })).toThrow(/Supernet.weightStep: lr must be a finite number in \[0, 1000\], got NaN/);
    await expect(net.weightStepAsync({ x, y, lr: 0.1, probabilities: new Float32Array(7).fill(0.5), sampleSeed: 1 })).rejects.toThrow(/Supernet.weightStep: probabilities of layer 0 must sum to 1/);
    net.dispose();
    expect(() => net.evaluate({ x, y, choices: Int32Array.from([0, 0, 0]) })).toThrow(/used after dispose/);
  });
});
