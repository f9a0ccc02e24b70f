import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { architectureFromIndices, layersOf, proxylessSmall, searchableLayers } from '../src/space/index.js';
import { readCheckpoint } from '../src/train/checkpoint.js';
import { fixedSpace } from '../src/train/fixed.js';
import { cosineWithWarmup } from '../src/train/schedule.js';
import { parseTrainConfig, trainArchitecture, type TrainEvent } from '../src/train/trainer.js';
import { bitEqual } from './helpers/reference.js';

const space = proxylessSmall();
// k3e3 everywhere, zero on the first skippable layer
const indices = searchableLayers(space).map((l, i) => (i === 1 ? l.candidates.findIndex((c) => c.kind === 'zero') : 0));
const architecture = architectureFromIndices(space, indices);

function data() {
  const set = (count: number, seed: number) => new Dataset(syntheticImageSet({ count, height: 28, width: 28, channels: 1, classes: 10, seed, noise: 0.6 }), { mean: [0.5], std: [0.3] });
  return { train: set(384, 1), test: set(128, 1) };
}

// no crop or flip: the synthetic classes are pixel templates without spatial structure
const config = { epochs: 3, batchSize: 64, lr: 0.05, warmupEpochs: 1, seed: 7, evalBatchSize: 64, pad: 0, hflip: false };

describe('training a fixed architecture', () => {
  it('the fixed space keeps the chosen ops and drops a chosen zero', () => {
    const fixed = fixedSpace(space, architecture);
    expect(layersOf(fixed).length).toBe(layersOf(space).length - 1);
    expect(layersOf(fixed).every((l) => l.candidates.length === 1)).toBe(true);
  });

  it('learns, logs JSONL and checkpoints every epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prunas-train-'));
    const { train, test } = data();
    const events: TrainEvent[] = [];
    const r = await trainArchitecture({ space, architecture, train, test, config, dir, onEvent: (e) => events.push(e) });
    expect(r.history.length).toBe(3);
    expect(r.history[2].trainLoss).toBeLessThan(r.history[0].trainLoss - 0.3);
    expect(r.history[2].trainAccuracy).toBeGreaterThan(0.5);
    // three short epochs leave BN running statistics behind the weights, so
    // the eval-mode test accuracy is not asserted here (see supernet.test.ts)
    expect(Number.isFinite(r.history[2].testLoss)).toBe(true);
    expect(events.filter((e) => e.type === 'step').length).toBe(3 * 6);
    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((l) => l.type)).toEqual(['start', 'epoch', 'epoch', 'epoch']);
    const c = await readCheckpoint(join(dir, 'checkpoint.pb'));
    expect(c.epochsDone).toBe(3);
    expect(c.history.length).toBe(3);
    r.net.dispose();
  });

  it('a killed run resumed on another device (cpu-mirrored: the CPU\'s kernels behind a device\'s protocol) ends identical to an uninterrupted one', async () => {
    const { train, test } = data();
    const whole = await trainArchitecture({ space, architecture, train, test, config });

    const dir = mkdtempSync(join(tmpdir(), 'prunas-resume-'));
    const stop = new AbortController();
    const killed = trainArchitecture({ space, architecture, train, test, config, dir, signal: stop.signal, onEvent: (e) => e.type === 'step' && e.epoch === 1 && e.step === 2 && stop.abort() });
    await expect(killed).rejects.toThrow();
    expect((await readCheckpoint(join(dir, 'checkpoint.pb'))).epochsDone).toBe(1);
    const resumed = await trainArchitecture({ space, architecture, train, test, config, dir, resume: true, device: 'cpu-mirrored' });
    expect(resumed.net.device).toBe('cpu-mirrored');

    const a = whole.net.saveState();
    const b = resumed.net.saveState();
    expect(a.parameters.length).toBe(b.parameters.length);
    a.parameters.forEach((p, i) => {
      expect(bitEqual(p.value, b.parameters[i].value), p.name).toBe(true);
      expect(bitEqual(p.momentum, b.parameters[i].momentum), p.name).toBe(true);
    });
    a.batchnorm.forEach((bn, i) => expect(bitEqual(bn.mean, b.batchnorm[i].mean) && bitEqual(bn.var, b.batchnorm[i].var)).toBe(true));
    expect(resumed.history.map((h) => h.testAccuracy)).toEqual(whole.history.map((h) => h.testAccuracy));
    whole.net.dispose();
    resumed.net.dispose();
  });

  it('refuses to resume with another recipe, and bad configs name the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prunas-mismatch-'));
    const { train, test } = data();
    const first = await trainArchitecture({ space, architecture, train, test, config: { ...config, epochs: 1 }, dir });
    first.net.dispose();
    await expect(trainArchitecture({ space, architecture, train, test, config: { ...config, epochs: 2, lr: 0.2 }, dir, resume: true })).rejects.toThrow(/another training config/);
    expect(() => parseTrainConfig({ lr: -1 })).toThrow(/training config: lr/);
    expect(() => parseTrainConfig({ epochs: 1.5 })).toThrow(/training config: epochs/);
    expect(() => parseTrainConfig({ learningRate: 1 })).toThrow(/training config/);
    writeFileSync(join(dir, 'broken.pb'), Buffer.from([1, 2, 3]));
    await expect(readCheckpoint(join(dir, 'broken.pb'))).rejects.toThrow(/broken\.pb: not a prunas checkpoint|format version/);
  });

  it('the learning rate warms up linearly, then follows a cosine to zero', () => {
    expect(cosineWithWarmup(0, 100, 10, 1)).toBeCloseTo(0.1);
    expect(cosineWithWarmup(9, 100, 10, 1)).toBeCloseTo(1);
    expect(cosineWithWarmup(55, 100, 10, 1)).toBeCloseTo(0.5);
    expect(cosineWithWarmup(100, 100, 10, 1)).toBeCloseTo(0);
  });
});
