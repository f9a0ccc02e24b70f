import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { flopsCostModel } from '../src/search/cost-model.js';
import { createDarts } from '../src/search/darts.js';
import { runSearch, type SearchRunOptions } from '../src/search/runner.js';
import { proxylessSmall } from '../src/space/index.js';
import { stopAndResume, syntheticSearchData } from './helpers/search-context.js';

const root = mkdtempSync(join(tmpdir(), 'prunas-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const space = proxylessSmall({ widthMult: 0.25, resolution: 8 });
const data = syntheticSearchData(space, { seed: 5 });
const config = { strategy: 'darts', options: { batchSize: 16, steps: 6, reportEvery: 2 } };

function options(dir: string, extra: Partial<SearchRunOptions> = {}): SearchRunOptions {
  const net = new Supernet(space, 11);
  return { strategy: createDarts(config.options, net.candidateCounts, flopsCostModel(space)), space, net, data, cost: flopsCostModel(space), seed: 3, config, dir, checkpointSeconds: 0, ...extra };
}

const events = (dir: string) =>
  readFileSync(join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.type !== 'start')
    .map(({ time: _time, seconds: _seconds, ...rest }) => rest);

describe('search runner', () => {
  it('a search stopped at any unit and resumed writes the same log and architecture as an uninterrupted one', async () => {
    const whole = join(root, 'whole');
    const a = options(whole);
    const resultA = await runSearch(a);
    const stateA = a.strategy.saveState();
    a.net.dispose();

    for (const stopAt of [1, 5, 9]) {
      const dir = join(root, `stopped-${stopAt}`);
      const { resumed: second, result: resultB } = await stopAndResume(options, dir, stopAt);
      expect(resultB.choices).toEqual(resultA.choices);
      expect(second.strategy.saveState()).toEqual(stateA);
      expect(events(dir)).toEqual(events(whole));
      expect(readFileSync(join(dir, 'architecture.json'), 'utf8')).toBe(readFileSync(join(whole, 'architecture.json'), 'utf8'));
      second.net.dispose();
    }
    expect(resultA.units).toBe(12);
  });

  it('refuses to overwrite a run without resume, and to resume with another config', async () => {
    const dir = join(root, 'guard');
    const a = options(dir);
    await runSearch(a);
    a.net.dispose();
    const b = options(dir);
    await expect(runSearch(b)).rejects.toThrow(/already holds a search; pass --resume/);
    const c = options(dir, { resume: true, config: { ...config, seed: 9 } });
    await expect(runSearch(c)).rejects.toThrow(/another search config/);
    b.net.dispose();
    c.net.dispose();
  });

  it('resuming a finished search does no more work', async () => {
    const dir = join(root, 'finished');
    const a = options(dir);
    const first = await runSearch(a);
    const b = options(dir, { resume: true });
    const second = await runSearch(b);
    expect(second.units).toBe(first.units);
    expect(second.choices).toEqual(first.choices);
    a.net.dispose();
    b.net.dispose();
  });
});
