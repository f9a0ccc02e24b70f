import { describe, expect, it } from 'vitest';
import { architectureCost, candidateCosts, defineSpace, expectedMacs, layersOf, layerShapes, opKey, proxylessCifar, proxylessMobile, proxylessSmall, roundWidth, searchableLayers } from '../src/space/index.js';

// MobileNetV2 1.0 (Sandler et al. 2018, Table 2) as a custom spec: every
// layer fixed. Published: 300M multiply-adds, 3.4M parameters; the
// torchvision model has 3,504,872 parameters (BN γ/β and classifier bias
// included), which is what the counting convention gives.
function mobilenetV2() {
  const table: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  return defineSpace({
    name: 'mobilenet-v2',
    input: { height: 224, width: 224, channels: 3 },
    classes: 1000,
    stem: { kernel: 3, stride: 2, out: 32 },
    stages: table.map(([t, c, n, s], i) => ({
      name: `stage${i}`,
      layers: Array.from({ length: n }, (_, j) => ({ name: `s${i}b${j}`, out: c, stride: j === 0 ? s : 1, candidates: [{ kind: 'mbconv', kernel: 3, expand: t }] })),
    })),
    head: { out: 1280 },
  });
}

describe('cost of MobileNetV2 1.0 at 224²', () => {
  it('is 300M multiply-adds and 3.5M parameters (within 1%)', () => {
    const space = mobilenetV2();
    const cost = architectureCost(space, layersOf(space).map(() => 0));
    expect(Math.abs(cost.macs / 300.8e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(cost.params / 3.504872e6 - 1)).toBeLessThan(0.01);
    expect(cost.params).toBe(3504872);
  });
});

describe('built-in spaces', () => {
  it('proxyless-mobile is the ProxylessNAS space: 21 mixed layers', () => {
    const space = proxylessMobile();
    const mixed = searchableLayers(space);
    expect(mixed.length).toBe(21);
    expect(mixed.map((l) => l.candidates.length)).toEqual([6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6]);
    expect(mixed.map((l) => l.out)).toEqual([24, 24, 24, 24, 40, 40, 40, 40, 80, 80, 80, 80, 96, 96, 96, 96, 192, 192, 192, 192, 320]);
    expect(mixed.filter((l, i) => i % 4 === 0 && i < 20).map((l) => l.stride)).toEqual([2, 2, 2, 1, 2]);
    expect(space.head?.out).toBe(1280);
    const shapes = layerShapes(space);
    expect(shapes[shapes.length - 1].height).toBe(7);
    expect(mixed[0].candidates.map(opKey)).toEqual(['mbconv_k3_e3', 'mbconv_k3_e6', 'mbconv_k5_e3', 'mbconv_k5_e6', 'mbconv_k7_e3', 'mbconv_k7_e6']);
    expect(mixed[1].candidates.map(opKey)).toContain('zero');
  });

  it('width multipliers round widths to multiples of 8', () => {
    expect(searchableLayers(proxylessMobile({ widthMult: 1.4 })).map((l) => l.out).filter((v, i, a) => a.indexOf(v) === i)).toEqual([32, 56, 112, 136, 272, 448]);
    expect(searchableLayers(proxylessMobile({ widthMult: 0.5 })).map((l) => l.out).filter((v, i, a) => a.indexOf(v) === i)).toEqual([16, 24, 40, 48, 96, 160]);
    expect(proxylessMobile({ widthMult: 1.4 }).head?.out).toBe(1792);
    expect([roundWidth(10), roundWidth(3), roundWidth(37.5)]).toEqual([16, 8, 40]);
  });

  it('small and cifar spaces fit their inputs', () => {
    const small = proxylessSmall();
    expect(small.input).toEqual({ height: 28, width: 28, channels: 1 });
    expect(searchableLayers(small).length).toBe(8);
    const shapes = layerShapes(small);
    expect(Math.ceil(shapes[shapes.length - 1].height / shapes[shapes.length - 1].stride)).toBe(4);
    expect(searchableLayers(proxylessCifar()).length).toBe(12);
  });

  it('expected MACs equal the exact MACs for one-hot probabilities and lie between the extremes otherwise', () => {
    const space = proxylessSmall();
    const layers = layersOf(space);
    const choices = layers.map((l, i) => i % l.candidates.length);
    const oneHot = layers.map((l, i) => l.candidates.map((_, j) => (j === choices[i] ? 1 : 0)));
    expect(expectedMacs(space, oneHot)).toBe(architectureCost(space, choices).macs);
    const uniform = layers.map((l) => l.candidates.map(() => 1 / l.candidates.length));
    const costs = candidateCosts(space);
    const min = architectureCost(space, costs.map((c) => c.indexOf(c.reduce((a, b) => (b.macs < a.macs ? b : a))))).macs;
    const max = architectureCost(space, costs.map((c) => c.indexOf(c.reduce((a, b) => (b.macs > a.macs ? b : a))))).macs;
    const e = expectedMacs(space, uniform);
    expect(e).toBeGreaterThan(min);
    expect(e).toBeLessThan(max);
  });
});

describe('validation names the field and the value', () => {
  const base = () => ({
    name: 'custom',
    input: { height: 28, width: 28, channels: 1 },
    classes: 10,
    stem: { kernel: 3, stride: 1, out: 8 },
    stages: [{ name: 'a', layers: [{ name: 'l0', out: 8, stride: 1, candidates: [{ kind: 'mbconv', kernel: 3, expand: 3 }, { kind: 'zero' }] }] }],
  });

  it('accepts a valid custom space', () => {
    expect(searchableLayers(defineSpace(base())).length).toBe(1);
  });

  it('rejects an even kernel', () => {
    const s = base();
    (s.stages[0].layers[0].candidates[0] as { kernel: number }).kernel = 4;
    expect(() => defineSpace(s)).toThrow(/stages\[0\]\.layers\[0\]\.candidates\[0\]\.kernel must be an odd integer in \[1, 7\], got 4/);
  });

  it('rejects zero where no residual exists', () => {
    const s = base();
    s.stages[0].layers[0].stride = 2;
    expect(() => defineSpace(s)).toThrow(/candidates\[1\] zero needs a residual .* got stride 2/);
  });

  it('rejects bad types, unknown ops, duplicate names and vanishing feature maps', () => {
    expect(() => defineSpace({ ...base(), classes: 'ten' })).toThrow(TypeError);
    expect(() => defineSpace({ ...base(), classes: 'ten' })).toThrow(/classes .*got "ten"/);
    const unknown = base();
    (unknown.stages[0].layers[0].candidates[0] as { kind: string }).kind = 'transformer';
    expect(() => defineSpace(unknown)).toThrow(/candidates\[0\]/);
    const dup = base();
    dup.stages[0].layers.push({ ...dup.stages[0].layers[0] });
    expect(() => defineSpace(dup)).toThrow(/name "l0" is used twice/);
    const tiny = { ...base(), input: { height: 1, width: 1, channels: 1 }, stem: { kernel: 3, stride: 2, out: 8 } };
    expect(() => defineSpace(tiny)).toThrow(/stem\.stride 2 would shrink a 1×1 feature map/);
    expect(() => proxylessMobile({ widthMult: Number.NaN })).toThrow(/widthMult must be a number .* got NaN/);
  });
});
