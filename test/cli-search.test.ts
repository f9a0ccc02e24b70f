// prunas search end to end: a search killed (SIGKILL) mid-run and resumed
// (on device cpu-mirrored, the CPU's kernels behind a device's protocol)
// derives the same architecture and writes the same log as an uninterrupted
// one on the CPU; bad configurations fail with one line and a non-zero exit
// code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latencyCostModel, profileSpace, readTable, writeTable } from '../src/latency/index.js';
import { costRange } from '../src/search/cost-model.js';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { defineSpace, proxylessCifar, proxylessSmall } from '../src/space/index.js';
import { trainArchitecture } from '../src/train/trainer.js';
import { BIN, prunas } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spaceFile = join(dir, 'space.json');
writeFileSync(spaceFile, JSON.stringify(proxylessSmall({ widthMult: 0.25 })));

const events = (run: string) =>
  readFileSync(join(run, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.type !== 'start' && e.type !== 'checkpoint')
    // measured times differ between runs: the seconds and cpuSeconds fields, and DA-NAS's cost messages ("… in 1.23 s")
    .map((e) => Object.fromEntries(Object.entries(e).filter(([key]) => key !== 'time' && !/seconds|persecond/i.test(key))))
    .map((rest) => (rest.type === 'message' && / in [\d.]+ s/.test(String(rest.text)) ? { type: 'message' } : rest));

async function killAfterCheckpoints(args: string[], run: string, checkpoints: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  let running = true;
  const exited = new Promise<void>((done) => child.once('exit', () => ((running = false), done())));
  const log = join(run, 'log.jsonl');
  for (;;) {
    await new Promise((r) => setTimeout(r, 5));
    if (!running) throw new Error(`the search ended before its checkpoint ${checkpoints}: nothing was killed`);
    const seen = existsSync(log) ? (readFileSync(log, 'utf8').match(/"type":"checkpoint"/g) ?? []).length : 0;
    if (seen >= checkpoints) break;
  }
  child.kill('SIGKILL');
  await exited;
}

describe('prunas search', () => {
  // [strategy, options, checkpoints to let pass before the kill]
  const strategies: [string, object, number][] = [
    ['proxyless', { batchSize: 16, archBatchSize: 16, warmupSteps: 4, searchSteps: 10, archEvery: 2 }, 4],
    ['ddpnas', { batchSize: 16, iteration: 1, rounds: 1, valSamples: 32, evalBatchSize: 32 }, 4],
    ['danas', { batchSize: 16, archBatchSize: 16, warmupSteps: 4, searchSteps: 16, archEvery: 2, evalPaths: 2, valSamples: 32, evalBatchSize: 32 }, 4],
    ['prunet', { batchSize: 16, archBatchSize: 16, warmupSteps: 4, searchSteps: 10, archEvery: 2, patience: 1, archLr: 0.3, blockThreshold: 0.9 }, 4],
    ['random', { count: 4, budgetSteps: 3, batchSize: 16, valSamples: 32, evalBatchSize: 32 }, 2],
    ['darts', { batchSize: 16, steps: 12, reportEvery: 3 }, 4],
  ];
  for (const [strategy, options, checkpoints] of strategies) {
    it(`${strategy}: a search killed mid-run and resumed ends as an uninterrupted one`, async () => {
      const configFile = join(dir, `${strategy}.json`);
      writeFileSync(configFile, JSON.stringify(options));
      const common = ['search', '--strategy', strategy, '--space', spaceFile, '--config', configFile, '--subset', '600', '--val-size', '100', '--threads', '1', '--progress', 'none', '--checkpoint-every', '0'];
      const whole = join(dir, `${strategy}-whole`);
      const a = prunas(...common, '--out', whole);
      expect(a.stderr).toMatch(new RegExp(`${strategy} search over proxyless-small`));
      expect(a.code).toBe(0);
      const resultA = JSON.parse(a.stdout);

      const killed = join(dir, `${strategy}-killed`);
      await killAfterCheckpoints([...common, '--out', killed], killed, checkpoints);
      expect(existsSync(join(killed, 'architecture.json'))).toBe(false);
      const again = prunas(...common, '--out', killed);
      expect(again.code).not.toBe(0);
      expect(again.stderr.trim().split('\n')).toHaveLength(1);
      expect(again.stderr).toMatch(/already holds a search; pass --resume/);
      // resumed behind a device's protocol (cpu-mirrored: the CPU's kernels, so the same bits as the CPU):
      // a run moves between devices through its checkpoint, and the strategy's device plumbing holds
      const b = prunas(...common, '--out', killed, '--resume', '--device', 'cpu-mirrored');
      expect(b.code).toBe(0);
      expect(b.stderr).toMatch(/on cpu-mirrored; run folder .*, resuming at unit/);
      expect(JSON.parse(b.stdout).choices).toEqual(resultA.choices);
      expect(readFileSync(join(killed, 'architecture.json'), 'utf8')).toBe(readFileSync(join(whole, 'architecture.json'), 'utf8'));
      expect(events(killed)).toEqual(events(whole));
    });
  }

  it('dna: a search killed mid-run and resumed ends as an uninterrupted one', async () => {
    // a two-block space (6 and 2 encodings) and its teacher, trained here for a few steps
    const mb = (kernel: number, expand: number, stride: 1 | 2, out: number) => ({ kind: 'mbconv' as const, kernel, expand, stride, out });
    const mini = defineSpace({
      name: 'mini',
      input: { height: 28, width: 28, channels: 1 },
      classes: 10,
      stem: { kernel: 3, stride: 2, out: 8 },
      stages: [
        { name: 's1', layers: [{ name: 'a', candidates: [mb(3, 3, 2, 8), mb(5, 3, 2, 8)] }, { name: 'b', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), { kind: 'zero' }] }] },
        { name: 's2', layers: [{ name: 'c', candidates: [mb(3, 3, 2, 12), mb(3, 6, 2, 12)] }] },
      ],
    });
    const miniFile = join(dir, 'mini.json');
    writeFileSync(miniFile, JSON.stringify(mini));
    const images = new Dataset(syntheticImageSet({ count: 32, height: 28, width: 28, channels: 1, classes: 10, seed: 1 }));
    const teacher = await trainArchitecture({ space: mini, architecture: { space: 'mini', choices: { a: 'mbconv_k5_e3', b: 'mbconv_k3_e3', c: 'mbconv_k3_e6' } }, train: images, test: images, config: { epochs: 1, batchSize: 16 }, dir: join(dir, 'teacher') });
    teacher.net.dispose();
    images.dispose();
    const configFile = join(dir, 'dna.json');
    writeFileSync(configFile, JSON.stringify({ teacher: join(dir, 'teacher', 'checkpoint.pb'), epochs: 2, stepsPerEpoch: 6, batchSize: 16, rankBatches: 1 }));
    const common = ['search', '--strategy', 'dna', '--space', miniFile, '--config', configFile, '--subset', '600', '--val-size', '100', '--threads', '1', '--progress', 'none', '--checkpoint-every', '0'];
    const whole = join(dir, 'dna-whole');
    const a = prunas(...common, '--out', whole);
    expect(a.stderr).toMatch(/dna search over mini/);
    expect(a.code).toBe(0);
    const killed = join(dir, 'dna-killed');
    await killAfterCheckpoints([...common, '--out', killed], killed, 3);
    const b = prunas(...common, '--out', killed, '--resume', '--device', 'cpu-mirrored');
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/resuming at unit/);
    expect(JSON.parse(b.stdout).choices).toEqual(JSON.parse(a.stdout).choices);
    expect(events(killed)).toEqual(events(whole));
    const missing = prunas('search', '--strategy', 'dna', '--space', miniFile, '--config', join(dir, 'dna-missing.json'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/dna config: teacher: no file .*no-teacher\.pb/);
  });
  writeFileSync(join(dir, 'dna-missing.json'), JSON.stringify({ teacher: join(dir, 'no-teacher.pb') }));

  const bad: [string, string[], RegExp][] = [
    ['an unknown strategy', ['search', '--strategy', 'nope'], /unknown strategy "nope"/],
    ['a target of zero', ['search', '--target-mflops', '0'], /--target-mflops must be a positive number, got "0"/],
    ['a negative latency target', ['search', '--latency', 'x.pb', '--target-ms', '-2'], /--target-ms must be a positive number, got "-2"/],
    ['a latency target without a table', ['search', '--target-ms', '2'], /--target-ms needs --latency/],
    ['a missing latency table', ['search', '--latency', join(dir, 'missing.pb'), '--target-ms', '2'], /missing\.pb/],
    ['a target below the cheapest architecture', ['search', '--strategy', 'proxyless', '--target-mflops', '0.5'], /below the cheapest architecture/],
    ['an unknown strategy option', ['search', '--strategy', 'darts', '--config', join(dir, 'bad.json')], /darts config: .*"frobnicate"/],
    ['an unknown device', ['search', '--device', 'gpu'], /--device: device must be "cpu" or "cuda:N", got "gpu"/],
    ['tf32 on the CPU', ['search', '--precision', 'tf32'], /--precision: precision tf32 needs a CUDA device/],
  ];
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ frobnicate: 1 }));

  it('reads a latency table of its space, and rejects one from another space in one line', async () => {
    const small = join(dir, 'small.pb');
    await writeTable(small, await profileSpace(proxylessSmall({ widthMult: 0.25 }), { batch: 1, threads: 1, warmup: 1, repeats: 3 }));
    const cifar = join(dir, 'cifar.pb');
    await writeTable(cifar, await profileSpace(proxylessCifar({ widthMult: 0.25 }), { batch: 1, threads: 1, warmup: 1, repeats: 3 }));
    const configFile = join(dir, 'quick.json');
    writeFileSync(configFile, JSON.stringify({ batchSize: 16, archBatchSize: 16, warmupSteps: 2, searchSteps: 4, archEvery: 2, constraint: { lossForm: 'additive' } }));
    const common = ['search', '--space', spaceFile, '--config', configFile, '--subset', '400', '--val-size', '100', '--threads', '1', '--progress', 'none'];
    // a target between the cheapest and the dearest architecture of the table just measured
    const range = costRange(latencyCostModel(await readTable(small), proxylessSmall({ widthMult: 0.25 })));
    const target = Number(((range.min + range.max) / 2).toPrecision(3));
    const ok = prunas(...common, '--latency', small, '--target-ms', String(target), '--out', join(dir, 'latency-run'));
    expect(ok.stderr).toContain(`target ${target} ms`);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).costUnit).toBe('ms');
    const config = JSON.parse(readFileSync(join(dir, 'latency-run', 'config.json'), 'utf8'));
    expect(config.options.constraint).toEqual({ lossForm: 'additive' });
    expect(config.target).toBe(target);
    const bad = prunas(...common, '--latency', cifar, '--target-ms', String(target), '--out', join(dir, 'latency-bad'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/proxyless-cifar/);
  });
  for (const [what, args, message] of bad)
    it(`rejects ${what} with one line and a non-zero exit code`, () => {
      const r = prunas(...args, '--out', join(dir, 'bad-run'), '--progress', 'none');
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
});
