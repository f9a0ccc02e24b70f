// The engine's DNA support: features of a network at chosen layers, block
// plans (a feature map in, MSE to a target map out) with their gradient
// checked by finite differences, a block given a teacher's own weights
// reproducing the teacher's stage output, BN recalibration of a block path.
import { afterAll, describe, expect, it } from 'vitest';
import { blockPlan, planOf } from '../src/engine/plan.js';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { native } from '../src/native.js';
import { layersOf, proxylessSmall } from '../src/space/index.js';
import { TestRandom } from './helpers/random.js';

native.setThreads(1);

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
const plan = blockPlan({ height: 6, width: 6, channels: 5 }, [
  { name: 'a', candidates: [mb(3, 3, 2, 8), mb(5, 1, 2, 8)] },
  { name: 'b', candidates: [mb(3, 3, 1, 8), mb(3, 6, 1, 8), { kind: 'zero' }] },
]);

describe('block plans', () => {
  const net = new Supernet(plan, 3);
  afterAll(() => net.dispose());
  const rnd = new TestRandom(5);
  const n = 3;
  const x = rnd.floats(n * 6 * 6 * 5);
  const target = rnd.floats(n * 3 * 3 * 8);

  it('has no stem, head or classifier and outputs the last layer map', () => {
    expect(net.outputShape).toEqual({ height: 3, width: 3, channels: 8 });
    expect(net.parameters().map((p) => p.name).every((name) => name.startsWith('layers.'))).toBe(true);
  });

  it('the MSE gradient matches finite differences of the train-mode loss', () => {
    const choices = [0, 1];
    const rows: { at: string; analytic: number; numeric: number }[] = [];
    for (const [index, p] of net.parameters().entries()) {
      if (!/^layers\.0\.op0\.|^layers\.1\.op1\./.test(p.name)) continue;
      expect(net.gradients({ x, target }, choices).loss).toBeGreaterThan(0);
      const grad = net.readParameter(index, 'grad');
      const value = net.readParameter(index);
      for (const i of [0, Math.floor(p.size / 2), p.size - 1]) {
        const h = 3e-3;
        const at = (v: number) => {
          const w = Float32Array.from(value);
          w[i] = v;
          net.writeParameter(index, w);
          return net.gradients({ x, target }, choices).loss;
        };
        rows.push({ at: `${p.name}[${i}]`, analytic: grad[i], numeric: (at(value[i] + h) - at(value[i] - h)) / (2 * h) });
        net.writeParameter(index, value);
      }
    }
    expect(rows.length).toBeGreaterThan(20);
    // float32 forwards: a floor tied to the largest gradient absorbs the quotient's rounding noise
    const floor = 1e-2 * Math.max(...rows.map((r) => Math.abs(r.analytic)));
    for (const r of rows) expect(Math.abs(r.analytic - r.numeric), `${r.at}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(2e-2 * Math.max(Math.abs(r.analytic), Math.abs(r.numeric)) + floor);
  });

  it('evaluation returns the MSE and the sums of the metrics, computed here in float64', async () => {
    const choices = [1, 2];
    const out = await net.features({ samples: { x }, choices, layers: [1] });
    const e = await net.evaluate({ samples: { x, target }, choices });
    let sq = 0;
    let abs = 0;
    let sy = 0;
    let syy = 0;
    for (let i = 0; i < target.length; i++) {
      const d = out[0][i] - target[i];
      sq += d * d;
      abs += Math.abs(d);
      sy += target[i];
      syy += target[i] * target[i];
    }
    expect(e.loss).toBeCloseTo(sq / target.length, 10);
    expect(e.regression!.values).toBe(target.length);
    expect(e.regression!.squared).toBeCloseTo(sq, 8);
    expect(e.regression!.absolute).toBeCloseTo(abs, 8);
    expect(e.regression!.target).toBeCloseTo(sy, 8);
    expect(e.regression!.targetSquared).toBeCloseTo(syy, 8);
  });

  it('recalibration sets the path BN statistics from one batch: evaluation then equals the train-mode forward', async () => {
    const choices = [0, 0];
    await net.recalibrateBn({ samples: { x }, choices });
    const evalMode = await net.features({ samples: { x }, choices, layers: [1] });
    const trainMode = await net.features({ samples: { x }, choices, layers: [1], trainBn: true });
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < evalMode[0].length; i++) {
      worst = Math.max(worst, Math.abs(evalMode[0][i] - trainMode[0][i]));
      scale = Math.max(scale, Math.abs(trainMode[0][i]));
    }
    // running var is the unbiased batch variance, the batch uses the biased one (27 values per channel)
    expect(worst / scale).toBeLessThan(0.1);
    // a reset, not an average with what was there: recalibrating on other maps and back gives the same
    const before = await net.evaluate({ samples: { x, target }, choices });
    await net.recalibrateBn({ samples: { x: rnd.floats(x.length, 3) }, choices });
    expect((await net.evaluate({ samples: { x, target }, choices })).loss).not.toBe(before.loss);
    await net.recalibrateBn({ samples: { x }, choices });
    expect((await net.evaluate({ samples: { x, target }, choices })).loss).toBe(before.loss);
  });

  it('rejects samples that are not feature maps, naming them', async () => {
    expect(() => net.gradients({ x: new Float32Array(7), target }, [0, 0])).toThrow(/x must hold whole 6×6×5 feature maps/);
    expect(() => net.gradients({ x, target: new Float32Array(5) }, [0, 0])).toThrow(/target/);
    expect(() => blockPlan({ height: 6, width: 6, channels: 5 }, [])).not.toThrow();
    expect(() => new Supernet({ ...plan, head: { out: 4 } }, 1)).toThrow(PrunasRangeError);
  });
});

describe('features of a network', () => {
  const space = proxylessSmall({ widthMult: 0.25, resolution: 12 });
  const layers = layersOf(space);
  const teacher = new Supernet(space, 7);
  afterAll(() => teacher.dispose());
  const choices = layers.map((l) => (l.searchable ? (l.index * 5) % l.candidates.length : 0));
  const rnd = new TestRandom(11);
  const n = 4;
  const images = { x: rnd.uniform(n * 12 * 12, -1, 1), y: new Int32Array(n) };

  // Stage 'stage2' of proxyless-small: its layers' indices, its input's and its output's.
  const stage = layers.filter((l) => l.stage === 'stage2');
  const first = stage[0].index;
  const last = stage[stage.length - 1].index;

  /** A block of the teacher's stage holding the teacher's own weights and BN statistics. */
  function teacherBlock(): Supernet {
    const full = planOf(space);
    const block = new Supernet(blockPlan(stage[0].input, full.layers.slice(first, last + 1)), 1);
    const global = (name: string) => name.replace(/^layers\.(\d+)\./, (_, j: string) => `layers.${Number(j) + first}.`);
    const source = teacher.saveState();
    const params = new Map(source.parameters.map((p) => [p.name, p]));
    const stats = new Map(source.batchnorm.map((b) => [b.name, b]));
    const own = block.saveState();
    block.loadState({
      parameters: own.parameters.map((p) => ({ ...params.get(global(p.name))!, name: p.name })),
      batchnorm: own.batchnorm.map((b) => ({ ...stats.get(global(b.name!))!, name: b.name })),
    });
    return block;
  }

  it('a block with the teacher weights reproduces the teacher stage output from its input, in eval and train BN', async () => {
    const block = teacherBlock();
    const blockChoices = choices.slice(first, last + 1);
    for (const trainBn of [false, true]) {
      const [input, output, stem] = await teacher.features({ samples: images, choices, layers: [first - 1, last, -1], trainBn });
      expect(input.length).toBe(n * stage[0].input.height * stage[0].input.width * stage[0].input.channels);
      expect(stem.length).toBe(n * 12 * 12 * layers[0].input.channels);
      const [again] = await block.features({ samples: { x: input }, choices: blockChoices, layers: [last - first], trainBn });
      expect(again).toEqual(output);
      if (!trainBn) {
        const e = await block.evaluate({ samples: { x: input, target: output }, choices: blockChoices });
        expect(e.loss).toBe(0);
      }
    }
    block.dispose();
  });

  it('eval-mode features end in what the classifier reads: the same as the network with later layers cut', async () => {
    const [a] = await teacher.features({ samples: images, choices, layers: [last] });
    const [b] = await teacher.features({ samples: images, choices, layers: [last], batchSize: 1 });
    expect(a).toEqual(b); // eval mode: per-sample, independent of batching
    const [c] = await teacher.features({ samples: images, choices, layers: [last], trainBn: true, batchSize: 1 });
    expect(c).not.toEqual(a);
  });

  it('names a bad layer index', async () => {
    await expect(teacher.features({ samples: images, choices, layers: [layers.length] })).rejects.toThrow(/layers\[0\]/);
    await expect(teacher.features({ samples: images, choices, layers: [-2] })).rejects.toThrow(/layers\[0\]/);
  });
});
