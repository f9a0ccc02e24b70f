// The Supernet wrapper over a built-in space: its native parameters agree
// with the space's cost model, and it learns real data on a sampled path.
import { describe, expect, it } from 'vitest';
import { openFashionMnistSample } from '../src/data/fashion-mnist.js';
import { permutation } from '../src/data/dataset.js';
import { Supernet } from '../src/engine/supernet.js';
import { candidateCosts, fixedCost, layersOf, proxylessSmall } from '../src/space/index.js';

describe('Supernet over proxyless-small', () => {
  it('holds exactly the parameters the cost model counts, for every candidate', () => {
    const space = proxylessSmall();
    const net = new Supernet(space, 1);
    const native = net.parameters().reduce((s, p) => s + p.size, 0);
    const counted = fixedCost(space).params + candidateCosts(space).flat().reduce((s, c) => s + c.params, 0);
    expect(native).toBe(counted);
    net.dispose();
  });

  it('learns Fashion-MNIST on one path within a few hundred images', async () => {
    const space = proxylessSmall();
    const net = new Supernet(space, 2);
    const data = await openFashionMnistSample();
    const choices = layersOf(space).map(() => 0);
    const order = permutation(data.train.size, 3);
    const test = data.test.batch(Int32Array.from({ length: 500 }, (_, i) => i), { seed: 0 });
    const losses: number[] = [];
    for (let step = 0; step < 50; step++) {
      const batch = data.train.batch(order.subarray(step * 32, step * 32 + 32), { seed: 4 });
      losses.push((await net.trainStep(batch, choices, { lr: 0.1 })).loss);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.3);
    // 50 steps leave the BN running statistics behind the weights: recalibrate on a training batch first
    await net.recalibrateBn(data.train.batch(order.subarray(2000, 2500), { seed: 0 }), choices);
    const after = await net.evaluate(test, choices);
    expect(after.correct / 500).toBeGreaterThan(0.5); // chance is 0.1
    net.dispose();
    data.train.dispose();
    data.test.dispose();
  });

  it('after BN recalibration on a batch, eval mode reproduces train mode on it', async () => {
    const space = proxylessSmall();
    const net = new Supernet(space, 5);
    const data = await openFashionMnistSample();
    const choices = layersOf(space).map((l, i) => i % l.candidates.length);
    const batch = data.train.batch(Int32Array.from({ length: 64 }, (_, i) => i), { seed: 0 });
    for (let s = 0; s < 10; s++) await net.trainStep(batch, choices, { lr: 0.05 });
    const train = net.gradients(batch, choices);
    const stale = net.evaluateSync(batch, choices);
    await net.recalibrateBn(batch, choices);
    const recalibrated = net.evaluateSync(batch, choices);
    // running variance is the unbiased estimate, batch normalisation uses the biased one: close, not equal
    expect(Math.abs(recalibrated.loss - train.loss)).toBeLessThan(0.02 * train.loss + 1e-3);
    expect(Math.abs(recalibrated.loss - train.loss)).toBeLessThan(Math.abs(stale.loss - train.loss));
    net.dispose();
    data.train.dispose();
    data.test.dispose();
  });

  it('checks choices in TS before the native call', () => {
    const space = proxylessSmall();
    const net = new Supernet(space, 1);
    const n = layersOf(space).length;
    const batch = { x: new Float32Array(28 * 28), y: new Int32Array(1) };
    expect(() => net.evaluateSync(batch, new Array(n - 1).fill(0))).toThrow(new RegExp(`choices must have ${n} entries`));
    expect(() => net.evaluateSync(batch, new Array(n).fill(9))).toThrow(/choices\[0\] must be an integer in \[0, 0\], got 9/);
    expect(() => net.trainStepSync(batch, new Array(n).fill(0), { lr: -1 })).toThrow(/lr must be a finite number/);
    net.dispose();
    expect(() => net.parameters()).toThrow(/used after dispose/);
  });
});
