// Prunode (native/nn/prunode.h): the soft-mask forward against the two
// masked paths, the MBConv it starts as, gate and weight gradients against
// central finite differences, a shrink against the masked small path and a
// physically smaller network, sliced optimizer state, state round trips, and
// the memory that shrinks, block pruning and layer pruning free.
import { beforeAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import type { PlanCandidate, PlanMBConv, PlanPrunode, SupernetPlan } from '../src/engine/plan.js';
import { native } from '../src/native.js';
import { TestRandom } from './helpers/random.js';

const mb = (kernel: number, expand: number, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride: 1, out, act: 'relu6' });
const PRUNODE: PlanPrunode = { kind: 'prunode', kernel: 3, expand: 4, stride: 1, out: 4, act: 'relu6', step: 4, minWidth: 4 };
const ZERO: PlanCandidate = { kind: 'zero' };

// The prunode sits in the last layer: after it only the average pool and the
// classifier, which are affine, so logits are affine in the layer's output.
const PLAN: SupernetPlan = {
  input: { height: 5, width: 5, channels: 2 },
  classes: 3,
  stem: { kernel: 3, stride: 1, out: 4 },
  layers: [
    { name: 'l0', candidates: [mb(3, 2, 4), ZERO] },
    { name: 'l1', candidates: [PRUNODE, mb(3, 2, 4), ZERO] },
  ],
};
const H = 16; // 4 channels in × expand 4

function batch(n: number, seed: number) {
  const rng = new TestRandom(seed);
  return { x: rng.floats(n * 5 * 5 * 2), y: Int32Array.from({ length: n }, () => rng.int(0, 2)) };
}

const gates = (big: number, small: number) => [{ layer: 1, candidate: 0, big, small }];
const CHOICES = [0, 0];

function logits(net: Supernet, samples: ReturnType<typeof batch>, big = 1, small = 0): Float32Array {
  const out = new Float32Array(samples.y.length * 3);
  net.evaluateSync({ samples, choices: CHOICES, logits: out, prunodeGates: gates(big, small) });
  return out;
}

function paramIndex(net: Supernet, name: string): number {
  const i = net.parameters().findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`no parameter ${name}`);
  return i;
}

/** A net moved off its initialisation (weights, running statistics, momentum) with both gates in play. */
function trainedNet(seed = 7): Supernet {
  const net = new Supernet(PLAN, seed);
  for (let s = 0; s < 4; s++) net.weightStepSync({ samples: batch(6, 10 + s), mode: 'single', choices: CHOICES, lr: 0.05, prunodeGates: gates(0.7, 0.3) });
  return net;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

beforeAll(() => {
  native.setThreads(1);
});

describe('Prunode forward', () => {
  it('at gates (1, 0) is the MBConv of its maximal width, bit for bit', () => {
    const asMBConv: SupernetPlan = { ...PLAN, layers: [PLAN.layers[0], { name: 'l1', candidates: [mb(3, 4, 4), mb(3, 2, 4), ZERO] }] };
    const a = new Supernet(PLAN, 3);
    const b = new Supernet(asMBConv, 3);
    const samples = batch(4, 1);
    const la = logits(a, samples);
    const lb = new Float32Array(12);
    b.evaluateSync({ samples, choices: CHOICES, logits: lb });
    expect(Array.from(la)).toEqual(Array.from(lb));
    const ta = a.weightStepSync({ samples, mode: 'single', choices: CHOICES, lr: 0.1 });
    const tb = b.weightStepSync({ samples, mode: 'single', choices: CHOICES, lr: 0.1 });
    expect(ta.loss).toBe(tb.loss);
    expect(a.prunodes()).toEqual([{ layer: 1, candidate: 0, width: H, step: 4, minWidth: 4, maxWidth: H }]);
  });

  it('soft mask = z_big·f(x; m_big) + z_small·f(x; m_small), from two separately masked forwards (eval-mode BN, z on the simplex)', () => {
    const net = trainedNet();
    const samples = batch(5, 2);
    const big = logits(net, samples, 1, 0);
    const small = logits(net, samples, 0, 1);
    expect(Math.max(...big.map((v, i) => Math.abs(v - small[i])))).toBeGreaterThan(1e-3); // the two paths differ
    for (const z of [0.3, 0.8]) {
      const mixed = logits(net, samples, z, 1 - z);
      expectClose(mixed, big.map((v, i) => z * v + (1 - z) * small[i]), 1e-5);
    }
  });
});

describe('Prunode gradients', () => {
  const samples = batch(6, 3);
  const lossAt = (net: Supernet, big: number, small: number) => net.gradients(samples, CHOICES, 0, gates(big, small)).loss;

  it('∂L/∂z_big and ∂L/∂z_small match central differences (train-mode BN)', () => {
    const net = trainedNet();
    for (const [zb, zs] of [
      [0.6, 0.4],
      [1.2, -0.3],
    ]) {
      const r = net.gradients(samples, CHOICES, 0, gates(zb, zs));
      expect(r.prunodeGrads).toHaveLength(1);
      const g = r.prunodeGrads[0];
      const eps = 1e-2;
      const fdBig = (lossAt(net, zb + eps, zs) - lossAt(net, zb - eps, zs)) / (2 * eps);
      const fdSmall = (lossAt(net, zb, zs + eps) - lossAt(net, zb, zs - eps)) / (2 * eps);
      expect(Math.abs(g.big - fdBig)).toBeLessThan(2e-7 + 2e-3 * Math.abs(fdBig));
      expect(Math.abs(g.small - fdSmall)).toBeLessThan(2e-7 + 2e-3 * Math.abs(fdSmall));
      expect(Math.abs(fdBig)).toBeGreaterThan(1e-5);
      // the project BN (batch statistics) makes L invariant to a common scale of the mask: z·∇L = 0
      expect(Math.abs(zb * g.big + zs * g.small)).toBeLessThan(1e-3 * (Math.abs(g.big) + Math.abs(g.small)));
    }
  });

  it('weight gradients through the soft mask match central differences', () => {
    const net = trainedNet();
    const z = [0.65, 0.35] as const;
    for (const name of ['layers.1.op0.expand.weight', 'layers.1.op0.depthwise.weight', 'layers.1.op0.project.weight', 'layers.1.op0.depthwise.bn.weight']) {
      const index = paramIndex(net, name);
      net.gradients(samples, CHOICES, 0, gates(...z));
      const grad = net.readParameter(index, 'grad');
      const value = net.readParameter(index);
      // entries in the big-only channels and in the shared ones
      const width = value.length / (name.includes('project') ? 4 : name.includes('bn') ? 1 : name.includes('depthwise') ? 9 : 1);
      const picks = [0, 1, value.length - 1, value.length - 2, Math.floor(value.length / 2)];
      for (const j of picks) {
        const eps = 2e-3;
        const at = (v: number) => {
          const w = value.slice();
          w[j] = v;
          net.writeParameter(index, w);
          return lossAt(net, ...z);
        };
        const fd = (at(value[j] + eps) - at(value[j] - eps)) / (2 * eps);
        net.writeParameter(index, value);
        expect(Math.abs(grad[j] - fd), `${name}[${j}] of ${width}`).toBeLessThan(3e-3 + 0.03 * Math.abs(fd));
      }
    }
  });
});

describe('Prunode shrink', () => {
  it('keeps the function of the small path: (0, 1) before = (1, 0) after, in eval and train mode', () => {
    const net = trainedNet();
    const samples = batch(5, 4);
    const before = logits(net, samples, 0, 1);
    const trainBefore = net.gradients(samples, CHOICES, 0, gates(0, 1)).loss;
    net.shrinkPrunode(1, 0);
    expect(net.prunodes()[0].width).toBe(H - 4);
    expectClose(logits(net, samples), before, 1e-5);
    expect(net.gradients(samples, CHOICES, 0).loss).toBeCloseTo(trainBefore, 5);
  });

  it('slices weights and optimizer state (SGD momentum, Adam moments) to the kept channels', () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      const net = new Supernet(PLAN, 5);
      for (let s = 0; s < 3; s++) net.weightStepSync({ samples: batch(6, 20 + s), mode: 'single', choices: CHOICES, lr: 0.02, optimizer, prunodeGates: gates(0.5, 0.5) });
      const fields = optimizer === 'sgd' ? (['value', 'momentum'] as const) : (['value', 'adamM', 'adamV'] as const);
      const names = ['layers.1.op0.expand.weight', 'layers.1.op0.expand.bn.weight', 'layers.1.op0.depthwise.weight', 'layers.1.op0.project.weight'];
      const before = names.map((n) => fields.map((f) => net.readParameter(paramIndex(net, n), f)));
      net.shrinkPrunode('l1', 0);
      const c = H - 4;
      names.forEach((n, i) =>
        fields.forEach((f, j) => {
          const after = net.readParameter(paramIndex(net, n), f);
          const old = before[i][j];
          // kept entries of each layout: expand [c][4] rows, BN [c], depthwise [9][c], project [4][c] columns
          const kept =
            n.endsWith('expand.weight') ? old.slice(0, c * 4)
            : n.endsWith('bn.weight') ? old.slice(0, c)
            : n.endsWith('depthwise.weight') ? Float32Array.from({ length: 9 * c }, (_, k) => old[Math.floor(k / c) * H + (k % c)])
            : Float32Array.from({ length: 4 * c }, (_, k) => old[Math.floor(k / c) * H + (k % c)]);
          expect(Array.from(after), `${n} ${f}`).toEqual(Array.from(kept));
          if (f !== 'value') expect(after.some((v) => v !== 0)).toBe(true);
        }),
      );
      // training goes on at the new width
      expect(Number.isFinite(net.weightStepSync({ samples: batch(6, 30), mode: 'single', choices: CHOICES, lr: 0.02, optimizer }).loss)).toBe(true);
    }
  });

  it('frees the cut channels: parameter bytes drop by exactly Δ channels of value, grad and momentum', () => {
    const net = trainedNet();
    const bytes = net.memoryStats().parameterBytes;
    net.shrinkPrunode(1, 0);
    // per hidden channel: expand row (4) + BN γβ (2), depthwise taps (9) + γβ (2), project column (4)
    const perChannel = 4 + 2 + 9 + 2 + 4;
    expect(bytes - net.memoryStats().parameterBytes).toBe(4 * 3 * 4 * perChannel);
  });

  it('stops at the minimum width; bad shrinks and gates name the problem', () => {
    const net = new Supernet(PLAN, 1);
    net.shrinkPrunode(1, 0);
    net.shrinkPrunode(1, 0);
    net.shrinkPrunode(1, 0);
    expect(net.prunodes()[0].width).toBe(4);
    expect(() => net.shrinkPrunode(1, 0)).toThrow(/width 4; one step of 4 would go below its minimum width 4/);
    expect(() => net.shrinkPrunode(1, 1)).toThrow(/candidate 1 of layer l1 is not a live prunode/);
    expect(() => net.evaluateSync({ samples: batch(2, 1), choices: CHOICES, prunodeGates: [{ layer: 0, candidate: 0, big: 1, small: 0 }] })).toThrow(/prunodeGates\[0\] names layer 0, candidate 0/);
    expect(() => net.evaluateSync({ samples: batch(2, 1), choices: CHOICES, prunodeGates: gates(Number.NaN, 0) })).toThrow(/prunodeGates\[0\]\.big/);
    expect(() => new Supernet({ ...PLAN, layers: [PLAN.layers[0], { name: 'l1', candidates: [{ ...PRUNODE, step: 16 }] }] }, 1)).toThrow(/candidates\[0\]\.step must be an integer in \[1, 15\]/);
    expect(() => new Supernet({ ...PLAN, layers: [PLAN.layers[0], { name: 'l1', candidates: [{ ...PRUNODE, expand: 1 }] }] }, 1)).toThrow(/expand must be at least 2 for a prunode/);
  });

  it('a state saved after shrinks loads into a fresh supernet (shrinks replayed before the tensors)', () => {
    const net = trainedNet();
    net.shrinkPrunode(1, 0);
    net.shrinkPrunode(1, 0);
    const state = net.saveState();
    expect(state.prunodeWidths).toEqual([[1, 0, H - 8]]);
    const fresh = new Supernet(PLAN, 99);
    fresh.loadState(state);
    const samples = batch(4, 5);
    expect(Array.from(logits(fresh, samples))).toEqual(Array.from(logits(net, samples)));
    const path = net.extractPath(CHOICES);
    const alone = new Supernet(path.plan, 1);
    alone.loadState(path.state);
    expect(alone.prunodes()[0].width).toBe(H - 8);
    const l = new Float32Array(12);
    alone.evaluateSync({ samples, choices: [0, 0], logits: l });
    expect(Array.from(l)).toEqual(Array.from(logits(net, samples)));
  });
});

describe('block and layer pruning free memory', () => {
  it('removing the prunode candidate frees exactly its weights and optimizer state', () => {
    const net = trainedNet();
    const sizes = net.parameters().filter((p) => p.name.startsWith('layers.1.op0.'));
    const before = net.memoryStats().parameterBytes;
    net.removeCandidate(1, 0);
    // value, grad and momentum of every tensor of the candidate
    expect(before - net.memoryStats().parameterBytes).toBe(sizes.reduce((s, p) => s + 3 * 4 * p.size, 0));
  });

  it('removing a layer frees its weights and its activations: the peak equals a net without that layer', () => {
    const net = trainedNet();
    const samples = batch(6, 6);
    net.weightStepSync({ samples, mode: 'single', choices: [0, 1], lr: 0.01 });
    const layerBytes = net.parameters().filter((p) => p.name.startsWith('layers.0.')).reduce((s, p) => s + 3 * 4 * p.size, 0);
    const paramsBefore = net.memoryStats().parameterBytes;
    net.archStepSync({ samples, mode: 'single', choices: [0, 1] });
    const peakBefore = net.memoryStats().peakBytes;
    net.removeLayer(0);
    expect(paramsBefore - net.memoryStats().parameterBytes).toBe(layerBytes);
    net.archStepSync({ samples, mode: 'single', choices: [-1, 1] });
    const peakAfter = net.memoryStats().peakBytes;
    const without = new Supernet({ ...PLAN, layers: [{ name: 'l0', candidates: [ZERO] }, PLAN.layers[1]] }, 7);
    without.archStepSync({ samples, mode: 'single', choices: [0, 1] });
    expect(peakAfter).toBe(without.memoryStats().peakBytes);
    expect(peakAfter).toBeLessThan(peakBefore);
  });
});
