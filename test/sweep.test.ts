// prunas sweep: the job grid, config errors naming the field, a tiny sweep
// end to end, a sweep killed (SIGKILL on its whole process group) and run
// again ending with the same results as an uninterrupted one, and a failing
// job that leaves the others to finish.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSpace } from '../src/cli/data.js';
import { latencyCostModel, profileSpace, writeTable } from '../src/latency/index.js';
import { costRange, flopsCostModel } from '../src/search/cost-model.js';
import { architectureCost, proxylessSmall } from '../src/space/index.js';
import { parseSweepConfig, resolveSweep } from '../src/sweep/config.js';
import { failureLine } from '../src/sweep/run.js';
import { jobFolders, planJobs, searchArgs, trainArgs } from '../src/sweep/plan.js';
import type { SweepSummary } from '../src/sweep/summary.js';
import { readCheckpoint } from '../src/train/checkpoint.js';
import { BIN, prunas } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const space = proxylessSmall({ widthMult: 0.25 });
writeFileSync(join(dir, 'space.json'), JSON.stringify(space));
const macs = costRange(flopsCostModel(space));

const tiny = {
  random: { count: 2, budgetSteps: 3, batchSize: 16, valSamples: 32, evalBatchSize: 32 },
  proxyless: { batchSize: 16, archBatchSize: 16, warmupSteps: 4, searchSteps: 8, archEvery: 2, constraint: { lossForm: 'additive' } },
};
/** one seed, one target in MMACs, two jobs on two groups of one thread; training long enough to leave chance accuracy */
const base = {
  space: 'space.json',
  targets: [Number(((macs.min + macs.max) / 2).toFixed(2))],
  seeds: [1],
  strategies: tiny,
  train: { epochs: 2, batchSize: 32, lr: 0.2, warmupEpochs: 0 },
  subset: 600,
  valSize: 100,
  checkpointEvery: 0,
  devices: { cpu: { groups: 2, threadsPerGroup: 1 } },
};

function writeSweep(name: string, config: object): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...config, out: name }));
  return file;
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(dir, out, 'summary.json'), 'utf8')) as SweepSummary;
const stateOf = (out: string) => JSON.parse(readFileSync(join(dir, out, 'sweep-state.json'), 'utf8')) as { jobs: Record<string, { status: string }> };
/** what must not depend on an interruption: everything but times */
const results = (s: SweepSummary) => s.jobs.map(({ searchSeconds: _s, ...rest }) => rest);

describe('sweep jobs', () => {
  const config = parseSweepConfig({ ...base, targets: [2, 3.5], seeds: [1, 2], strategies: [{ random: {} }, { proxyless: {} }, { proxyless: { archEvery: 3 } }], out: 'x' }, join(dir, 'grid.json'));

  it('are strategies × targets × seeds with stable, readable ids', () => {
    const jobs = planJobs(config);
    expect(jobs).toHaveLength(3 * 2 * 2);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    expect(jobs.slice(0, 4).map((j) => j.id)).toEqual(['random-s1-t2', 'random-s2-t2', 'random-s1-t3.5', 'random-s2-t3.5']);
    expect(jobs.filter((j) => j.label === 'proxyless-2').every((j) => j.options.archEvery === 3 && j.strategy === 'proxyless')).toBe(true);
    const grown = planJobs({ ...config, seeds: [1, 2, 3] }).map((j) => j.id);
    expect(grown).toHaveLength(18);
    expect(jobs.every((j) => grown.includes(j.id))).toBe(true);
  });

  it('train a derived architecture in the space its search wrote beside it (PruNet), else in the sweep\'s space', () => {
    const job = planJobs(config)[0];
    const folders = jobFolders(config.out, job);
    const spaceArg = () => { const a = trainArgs(config, job, { name: 'cpu0', threads: 1 }); return a[a.indexOf('--space') + 1]; };
    expect(spaceArg()).toBe(config.space);
    mkdirSync(folders.search, { recursive: true });
    writeFileSync(join(folders.search, 'space.json'), '{}');
    expect(spaceArg()).toBe(join(folders.search, 'space.json'));
    rmSync(folders.root, { recursive: true, force: true });
  });

  it('run on a GPU slot with --device and one host thread, on a CPU group with its threads and no device', () => {
    const job = planJobs(config)[0];
    for (const args of [searchArgs(config, job, { name: 'cuda:1', threads: 1, device: 'cuda:1' }), trainArgs(config, job, { name: 'cuda:1', threads: 1, device: 'cuda:1' })]) {
      expect(args[args.indexOf('--device') + 1]).toBe('cuda:1');
      expect(args[args.indexOf('--threads') + 1]).toBe('1');
    }
    const cpu = searchArgs(config, job, { name: 'cpu0', threads: 3 });
    expect(cpu).not.toContain('--device');
    expect(cpu[cpu.indexOf('--threads') + 1]).toBe('3');
  });

  it('give a strategy its own seeds when its list entry names them (random search as a mean of five)', () => {
    const own = parseSweepConfig({ ...base, targets: [2], seeds: [1], strategies: [{ proxyless: {} }, { random: {}, seeds: [1, 2, 3, 4, 5] }], out: 'x' }, join(dir, 'own.json'));
    expect(planJobs(own).map((j) => j.id)).toEqual(['proxyless-s1-t2', 'random-s1-t2', 'random-s2-t2', 'random-s3-t2', 'random-s4-t2', 'random-s5-t2']);
  });

  it('without targets are strategies × seeds', () => {
    const jobs = planJobs({ ...config, targets: [] });
    expect(jobs.map((j) => j.id)).toEqual(['random-s1', 'random-s2', 'proxyless-s1', 'proxyless-s2', 'proxyless-2-s1', 'proxyless-2-s2']);
    expect(jobs.every((j) => j.target === null)).toBe(true);
  });
});

describe('a failed job', () => {
  it('is summed up by the line of its stderr that says why, not by Node\'s version line', () => {
    expect(failureLine('a note\nprunas: constraint.target: 0.01 is below the cheapest architecture (0.08 ms)\n')).toBe(
      'constraint.target: 0.01 is below the cheapest architecture (0.08 ms)',
    );
    const crash = [
      '/x/node_modules/node-gyp-build/node-gyp-build.js:60',
      "  throw new Error('No native build was found for ' + target + '\\n    loaded from: ' + dir + '\\n')",
      '        ^',
      '',
      'Error: No native build was found for platform=linux arch=x64',
      '    loaded from: /x',
      '',
      '    at load (/x/node-gyp-build.js:22:30)',
      '',
      'Node.js v20.20.2',
      '',
    ].join('\n');
    expect(failureLine(crash)).toBe('Error: No native build was found for platform=linux arch=x64');
    expect(failureLine('RangeError [ERR_OUT_OF_RANGE]: "offset" is out of range\n    at f (a.js:1:1)\n\nNode.js v20.1.0\n')).toBe(
      'RangeError [ERR_OUT_OF_RANGE]: "offset" is out of range',
    );
    expect(failureLine('Killed\n')).toBe('Killed');
    expect(failureLine('\n')).toBeUndefined();
  });
});

describe('sweep config', () => {
  const file = join(dir, 'bad.json');
  const bad: [string, object, RegExp][] = [
    ['a missing space', { ...base, space: undefined, out: 'x' }, /bad\.json: space /],
    ['no seeds', { ...base, seeds: [], out: 'x' }, /bad\.json: seeds /],
    ['a repeated seed', { ...base, seeds: [1, 1], out: 'x' }, /seeds lists 1 twice/],
    ['a negative target', { ...base, targets: [-1], out: 'x' }, /bad\.json: targets\.0 /],
    ['zero groups', { ...base, devices: { cpu: { groups: 0, threadsPerGroup: 1 } }, out: 'x' }, /devices\.cpu\.groups /],
    ['a device that is not cuda:N', { ...base, devices: { cuda: ['gpu0'] }, out: 'x' }, /devices\.cuda\.0 must be "cuda:N"/],
    ['an unknown field', { ...base, epochs: 3, out: 'x' }, /bad\.json: .*"epochs"/],
    ['an unknown training field', { ...base, train: { epochs: 1, seed: 4 }, out: 'x' }, /train.*"seed"/],
    ['an unknown strategy', { ...base, strategies: { nope: {} }, out: 'x' }, /strategies\.nope: unknown strategy "nope"/],
    ['a list entry naming two strategies', { ...base, strategies: [{ random: {}, proxyless: {} }], out: 'x' }, /strategies\.0 must name exactly one strategy/],
    ['a strategy\'s own seeds that are not a list', { ...base, strategies: [{ random: {}, seeds: 5 }], out: 'x' }, /strategies\.0\.seeds must be a non-empty list of non-negative integers, got 5/],
    ['a strategy\'s own seed repeated', { ...base, strategies: [{ random: {}, seeds: [2, 2] }], out: 'x' }, /strategies\.0\.seeds lists 2 twice/],
    ['no out folder', { ...base }, /bad\.json: out /],
  ];
  for (const [what, value, message] of bad) it(`rejects ${what}, naming the field`, () => expect(() => parseSweepConfig(value, file)).toThrow(message));

  const resolving: [string, object, RegExp][] = [
    ['a strategy option the strategy does not know', { ...base, strategies: { random: { cuont: 2 } }, out: 'x' }, /strategies\.random at target .*"cuont"/],
    ['a target below the cheapest architecture', { ...base, targets: [macs.min / 2], out: 'x' }, /targets: .* is below the cheapest architecture/],
    ['a target for a strategy that takes none', { ...base, strategies: { darts: {} }, out: 'x' }, /strategies\.darts: darts takes no cost target/],
    ['a CUDA device on an addon without CUDA', { ...base, devices: { cuda: ['cuda:0'] }, out: 'x' }, /devices\.cuda\.0: no CUDA device cuda:0/],
  ];
  for (const [what, value, message] of resolving)
    it(`rejects ${what}, naming the field`, async () => {
      await expect(resolveSweep(parseSweepConfig(value, file), resolveSpace)).rejects.toThrow(message);
    });

  it('fails on the command line with one line and exit code 2', () => {
    const r = prunas('sweep', writeSweep('cli-bad', { ...base, seeds: [0.5] }), '--progress', 'none');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cli-bad\.json: seeds\.0 /);
    const none = prunas('sweep', writeSweep('cli-none', base), '--resume', '--progress', 'none');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--resume: .*cli-none holds no sweep to continue/);
  });
});

describe('prunas sweep', () => {
  it('runs every job, and a sweep killed mid-run and run again ends with the same results', async () => {
    const whole = prunas('sweep', writeSweep('whole', base), '--progress', 'none');
    expect(whole.stderr).toMatch(/sweep of 2 jobs over 2 device groups/);
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ jobs: 2, done: 2, failed: 0 });
    const summary = summaryOf('whole');
    expect(summary.jobs.map((r) => [r.strategy, r.status])).toEqual([['random', 'done'], ['proxyless', 'done']]);
    for (const row of summary.jobs) {
      const train = await readCheckpoint(join(dir, 'whole', 'jobs', row.id, 'train', 'checkpoint.pb'));
      const history = train.history as { testAccuracy: number }[];
      expect(history).toHaveLength(2);
      expect(row.testAccuracy).toBe(history[1].testAccuracy);
      expect(row.testAccuracy).toBeGreaterThan(0.12);
      const cost = architectureCost(space, JSON.parse(train.architectureJson));
      expect(row.mmacs).toBeCloseTo(cost.macs / 1e6, 9);
      expect(row.mmacs).toBeLessThanOrEqual(base.targets[0]);
      expect(row.params).toBe(cost.params);
      expect(row.searchSeconds).toBeGreaterThan(0);
    }
    expect(summary.groups.map((g) => [g.strategy, g.target, g.done, g.testAccuracy?.mean])).toEqual(summary.jobs.map((r) => [r.strategy, r.target, 1, r.testAccuracy]));
    const markdown = readFileSync(join(dir, 'whole', 'summary.md'), 'utf8');
    expect(markdown).toMatch(new RegExp(`\\| random-s1-t${base.targets[0]} \\| random \\| 1 \\| ${base.targets[0]} \\| done \\|`));
    const html = readFileSync(join(dir, 'whole', 'report.html'), 'utf8');
    expect(html).toMatch(/<table id="groups">/);
    expect(html).toMatch(/<figure id="cost-accuracy"><svg/);

    const changed = prunas('sweep', writeSweep('whole', { ...base, seeds: [1, 2] }), '--progress', 'none');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/whole\.json: seeds differs from the sweep in .*whole; restore it or choose another out folder/);

    // killed as soon as a job has finished its first training epoch: the other is searching or training
    const killed = writeSweep('killed', base);
    const child = spawn(process.execPath, [BIN, 'sweep', killed, '--progress', 'none'], { stdio: 'ignore', detached: true });
    let running = true;
    const exited = new Promise<void>((done) => child.once('exit', () => ((running = false), done())));
    const checkpoints = () => summary.jobs.filter((r) => existsSync(join(dir, 'killed', 'jobs', r.id, 'train', 'checkpoint.pb')));
    while (checkpoints().length === 0) {
      if (!running) throw new Error('the sweep ended before any training checkpoint: nothing was killed');
      await new Promise((r) => setTimeout(r, 20));
    }
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    const atKill = stateOf('killed');
    const checkpointedAtKill = checkpoints();
    expect(Object.values(atKill.jobs).some((s) => s.status !== 'done')).toBe(true);
    const again = prunas('sweep', killed, '--progress', 'none');
    expect(again.stderr).toMatch(/sweep of 2 jobs/);
    expect(again.code, again.stderr).toBe(0);
    expect(results(summaryOf('killed'))).toEqual(results(summary));
    for (const row of checkpointedAtKill) {
      const log = readFileSync(join(dir, 'killed', 'jobs', row.id, 'train.stderr.log'), 'utf8');
      // a job killed while training continued from its checkpoint; a done one was not run again
      if (atKill.jobs[row.id].status === 'training') expect(log).toMatch(/resuming after epoch [12]/);
      else expect(log.match(/^training /gm)).toHaveLength(1);
    }
  });

  it('marks a failing job failed with its error line, finishes the others, measures latency, and exits non-zero', async () => {
    const tableFile = join(dir, 'table.pb');
    const table = await profileSpace(space, { batch: 1, threads: 1, warmup: 1, repeats: 3 });
    await writeTable(tableFile, table);
    const ms = costRange(latencyCostModel(table, space));
    // only the cheapest architecture meets the tight target: two distinct ones cannot be drawn
    const targets = [Number(ms.max.toFixed(4)) + 0.001, Number((ms.min * 1.001).toFixed(6))];
    const config = { ...base, latency: 'table.pb', targets, strategies: { random: { ...tiny.random, maxDraws: 200 } }, train: { ...base.train, epochs: 1 } };
    const r = prunas('sweep', writeSweep('failing', config), '--progress', 'none');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^prunas: 1 of 2 jobs failed/);
    const [ok, failed] = summaryOf('failing').jobs;
    expect(failed).toMatchObject({ id: `random-s1-t${targets[1]}`, status: 'failed' });
    expect(failed.error).toMatch(/^search: random: found only 0 of 2 distinct architectures/);
    expect(ok.status).toBe('done');
    expect(ok.predictedMs).toBeLessThanOrEqual(targets[0]);
    // measured end to end after the jobs (how close it comes to the prediction depends on the machine's load: docs/benchmarks.md)
    expect(ok.measuredMs).toBeGreaterThan(0);
    expect(Number.isFinite(ok.measuredMs)).toBe(true);
    expect(readFileSync(join(dir, 'failing', 'summary.md'), 'utf8')).toMatch(new RegExp(`\\| random \\| ${targets[1]} \\| 0 / 1 \\(1 failed\\) \\|`));
    expect(readFileSync(join(dir, 'failing', 'report.html'), 'utf8')).toMatch(/predicted \(ms\)/);
  });
});
