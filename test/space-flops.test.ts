// Multiply-adds and parameters: hand counts, MobileNetV2 against its
// published figures, and expected costs under per-layer probabilities.
import { describe, expect, it } from 'vitest';
import {
  architectureCost,
  architectureFromIndices,
  candidateCosts,
  defineSpace,
  expectedCost,
  expectedMacs,
  fixedCost,
  opCost,
  proxylessCifar,
  proxylessMobile,
  proxylessSmall,
  roundWidth,
  type SearchSpace,
} from '../src/space/index.js';

// MobileNetV2 (Sandler et al. 2018, Table 2) written as a custom space of
// fixed layers: stem 3×3 s2 → 32, the (t, c, n, s) table, head 1×1 → 1280.
const MOBILENET_V2: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** MobileNetV2 at a width multiplier and resolution, with its count of BN channels. */
function mobilenetV2(widthMult = 1, resolution = 224, classes = 1000): { space: SearchSpace; bnChannels: number } {
  const width = (c: number) => roundWidth(c * widthMult);
  let cin = width(32);
  let bnChannels = cin;
  const stages = MOBILENET_V2.map(([t, c, n, s], i) => ({
    name: `stage${i}`,
    layers: Array.from({ length: n }, (_, j) => {
      const out = width(c);
      bnChannels += (t > 1 ? 2 * cin * t : cin) + out;
      cin = out;
      return { name: `b${i}_${j}`, op: { kind: 'mbconv' as const, kernel: 3, expand: t, stride: (j === 0 ? s : 1) as 1 | 2, out } };
    }),
  }));
  const head = widthMult > 1 ? width(1280) : 1280;
  bnChannels += head;
  const space = defineSpace({
    name: 'mobilenet-v2',
    input: { height: resolution, width: resolution, channels: 3 },
    classes,
    stem: { kernel: 3, stride: 2, out: width(32) },
    stages,
    head: { out: head },
  });
  return { space, bnChannels };
}

describe('MobileNetV2 1.0 at 224² as a custom space', () => {
  it('costs 300.8M multiply-adds and 3.50M parameters (BN γ, β counted), within 1% of the published figures', () => {
    const cost = fixedCost(mobilenetV2().space);
    expect(cost).toEqual({ macs: 300_774_272, params: 3_504_872 });
    expect(Math.abs(cost.macs / 300.8e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(cost.params / 3.5e6 - 1)).toBeLessThan(0.01);
  });

  it('has torchvision mobilenet_v2()’s 3,504,872 parameters with BN, and the paper’s 3.4M (3,470,760) without', () => {
    const { space, bnChannels } = mobilenetV2();
    expect(bnChannels).toBe(17_056);
    expect(fixedCost(space).params - 2 * bnChannels).toBe(3_470_760);
  });

  // tensorflow/models research/slim/nets/mobilenet/README.md: MACs (M) and
  // parameters (M) of the released checkpoints (1001 classes, BN not counted
  // as parameters), both truncated. Every row reproduces.
  const SLIM: [number, number, number, number][] = [
    [1.4, 224, 582, 6.06], [1.3, 224, 509, 5.34],
    [1.0, 224, 300, 3.47], [1.0, 192, 221, 3.47], [1.0, 160, 154, 3.47], [1.0, 128, 99, 3.47], [1.0, 96, 56, 3.47],
    [0.75, 224, 209, 2.61], [0.75, 192, 153, 2.61], [0.75, 160, 107, 2.61], [0.75, 128, 69, 2.61], [0.75, 96, 39, 2.61],
    [0.5, 224, 97, 1.95], [0.5, 192, 71, 1.95], [0.5, 160, 50, 1.95], [0.5, 128, 32, 1.95], [0.5, 96, 18, 1.95],
    [0.35, 224, 59, 1.66], [0.35, 192, 43, 1.66], [0.35, 160, 30, 1.66], [0.35, 128, 20, 1.66], [0.35, 96, 11, 1.66],
  ];
  it.each(SLIM)('matches the TF-slim table at width %s, %s²: %sM MACs, %sM parameters', (widthMult, resolution, macs, params) => {
    const { space, bnChannels } = mobilenetV2(widthMult, resolution, 1001);
    const cost = fixedCost(space);
    expect(Math.floor(cost.macs / 1e6)).toBe(macs);
    expect(Math.floor((cost.params - 2 * bnChannels) / 1e4) / 100).toBe(params);
  });
});

describe('op costs by hand', () => {
  const input = { height: 14, width: 14, channels: 80 };

  it('MBConv k5 e6, stride 1, 80 → 80 at 14²: expand + depthwise + project', () => {
    const cost = opCost({ kind: 'mbconv', kernel: 5, expand: 6, stride: 1, out: 80, act: 'relu6' }, input);
    // expand 196·80·480, depthwise 196·25·480, project 196·480·80
    expect(cost.macs).toBe(196 * 80 * 480 + 196 * 25 * 480 + 196 * 480 * 80);
    // weights plus BN γ, β after each conv
    expect(cost.params).toBe(80 * 480 + 2 * 480 + 25 * 480 + 2 * 480 + 480 * 80 + 2 * 80);
  });

  it('MBConv with expand 1 has no expansion conv; stride 2 maps 7² to 4²', () => {
    const cost = opCost({ kind: 'mbconv', kernel: 3, expand: 1, stride: 2, out: 16, act: 'relu6' }, { height: 7, width: 7, channels: 32 });
    expect(cost.macs).toBe(16 * 9 * 32 + 16 * 32 * 16);
    expect(cost.params).toBe(9 * 32 + 2 * 32 + 32 * 16 + 2 * 16);
  });

  it('dense conv, and zero costs nothing', () => {
    const conv = opCost({ kind: 'conv', kernel: 3, stride: 2, out: 16, act: 'relu' }, { height: 28, width: 28, channels: 1 });
    expect(conv).toEqual({ macs: 14 * 14 * 9 * 1 * 16, params: 9 * 16 + 2 * 16 });
    expect(opCost({ kind: 'zero' }, input)).toEqual({ macs: 0, params: 0 });
  });

  it('proxyless-mobile fixed parts: stem, first block, head, classifier', () => {
    const stem = 112 * 112 * 27 * 32;
    const first = 112 * 112 * (9 * 32 + 32 * 16);
    const head = 7 * 7 * 320 * 1280;
    expect(fixedCost(proxylessMobile()).macs).toBe(stem + first + head + 1280 * 1000);
  });

  it('candidate costs follow the layer shapes: a k7 e6 candidate costs more than k3 e3, zero nothing', () => {
    const costs = candidateCosts(proxylessMobile());
    expect(costs.length).toBe(21);
    for (const row of costs) {
      expect(row[5].macs).toBeGreaterThan(row[0].macs);
      if (row.length === 7) expect(row[6]).toEqual({ macs: 0, params: 0 });
    }
  });
});

describe('architecture and expected costs', () => {
  const space = proxylessSmall();
  const costs = candidateCosts(space);
  const rng = lcg(7);
  const randomIndices = () => costs.map((row) => Math.floor(rng() * row.length));
  const oneHot = (indices: number[]) => costs.map((row, i) => row.map((_, j) => (j === indices[i] ? 1 : 0)));

  it('an architecture costs the fixed parts plus its chosen candidates', () => {
    const indices = randomIndices();
    const manual = costs.reduce((total, row, i) => total + row[indices[i]].macs, fixedCost(space).macs);
    expect(architectureCost(space, architectureFromIndices(space, indices)).macs).toBe(manual);
  });

  it('expected MACs equal the exact MACs when p is one-hot', () => {
    for (let trial = 0; trial < 20; trial++) {
      const indices = randomIndices();
      const exact = architectureCost(space, architectureFromIndices(space, indices));
      expect(expectedCost(space, oneHot(indices))).toEqual(exact);
      expect(expectedMacs(space, oneHot(indices).map((row) => Float32Array.from(row)))).toBe(exact.macs);
    }
  });

  it('expected MACs are linear in p and lie between the cheapest and dearest architectures', () => {
    const a = randomIndices();
    const b = randomIndices();
    const mixed = oneHot(a).map((row, i) => row.map((p, j) => 0.25 * p + 0.75 * oneHot(b)[i][j]));
    const exactA = architectureCost(space, architectureFromIndices(space, a)).macs;
    const exactB = architectureCost(space, architectureFromIndices(space, b)).macs;
    expect(expectedMacs(space, mixed)).toBeCloseTo(0.25 * exactA + 0.75 * exactB, 3);
    const argBy = (better: (x: number, y: number) => boolean) => costs.map((row) => row.reduce((best, c, j) => (better(c.macs, row[best].macs) ? j : best), 0));
    const cheapest = architectureCost(space, architectureFromIndices(space, argBy((x, y) => x < y))).macs;
    const dearest = architectureCost(space, architectureFromIndices(space, argBy((x, y) => x > y))).macs;
    const uniform = expectedMacs(space, costs.map((row) => row.map(() => 1 / row.length)));
    expect(uniform).toBeGreaterThan(cheapest);
    expect(uniform).toBeLessThan(dearest);
  });

  it('rejects probabilities of the wrong shape, out of [0, 1] or not summing to 1', () => {
    const uniform = costs.map((row) => row.map(() => 1 / row.length));
    expect(() => expectedMacs(space, uniform.slice(1))).toThrow(/one row per searchable layer of proxyless-small \(8\), got 7/);
    expect(() => expectedMacs(space, [uniform[0].slice(1), ...uniform.slice(1)])).toThrow(/probabilities\[0\] \(layer s1b1\) must have 6 entries/);
    expect(() => expectedMacs(space, [uniform[0].map(() => Number.NaN), ...uniform.slice(1)])).toThrow(/probabilities\[0\]\[0\] must be in \[0, 1\], got NaN/);
    expect(() => expectedMacs(space, [uniform[0].map(() => 0.5), ...uniform.slice(1)])).toThrow(/probabilities\[0\] \(layer s1b1\) must sum to 1, got 3/);
  });

  it('the built-ins cost what their docs say', () => {
    const range = (s: SearchSpace) => {
      const rows = candidateCosts(s);
      const pick = (better: (x: number, y: number) => boolean) => rows.map((row) => row.reduce((best, c, j) => (better(c.macs, row[best].macs) ? j : best), 0));
      return [pick((x, y) => x < y), pick((x, y) => x > y)].map((i) => Math.round(architectureCost(s, architectureFromIndices(s, i)).macs / 1e5) / 10);
    };
    expect(range(proxylessMobile())).toEqual([102.5, 606.6]);
    expect(range(proxylessCifar())).toEqual([14, 63.2]);
    expect(range(proxylessSmall())).toEqual([2.3, 13.9]);
  });
});

/** A small seeded generator, so the random architectures are the same every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
