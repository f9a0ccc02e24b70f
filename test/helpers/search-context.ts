// What the search-strategy tests build again and again: synthetic data split
// for a search, a SearchContext that records its events, a loop that
// advances a strategy until it is done, and a run stopped and resumed.
import { expect } from 'vitest';
import { Dataset } from '../../src/data/dataset.js';
import { syntheticImageSet } from '../../src/data/synthetic.js';
import type { Supernet } from '../../src/engine/supernet.js';
import { flopsCostModel, type CostModel } from '../../src/search/cost-model.js';
import { runSearch, type SearchRunOptions } from '../../src/search/runner.js';
import type { SearchContext, SearchData, SearchEvent, Strategy } from '../../src/search/strategy.js';
import type { SearchSpace } from '../../src/space/spec.js';

export interface SyntheticSearchDataOptions {
  /** images in all; the first `trainCount` are the training split, the rest validation */
  count?: number;
  trainCount?: number;
  seed: number;
  pad?: number;
  hflip?: boolean;
}

/** Synthetic images of the space's input shape and classes (dispose `train` after use). */
export function syntheticSearchData(space: Pick<SearchSpace, 'input' | 'classes'>, options: SyntheticSearchDataOptions): SearchData {
  const { count = 96, trainCount = 64, seed, pad = 1, hflip = true } = options;
  const { height, width, channels } = space.input;
  const train = new Dataset(syntheticImageSet({ count, height, width, channels, classes: space.classes, seed }));
  return {
    train,
    trainIndices: Int32Array.from({ length: trainCount }, (_, i) => i),
    valIndices: Int32Array.from({ length: count - trainCount }, (_, i) => trainCount + i),
    pad,
    hflip,
  };
}

/** A context whose events land in `events`; the cost model defaults to the space's FLOPs. */
export function searchContext(
  space: SearchSpace,
  net: Supernet,
  data: SearchData,
  seed: number,
  events: SearchEvent[] = [],
  cost: CostModel = flopsCostModel(space),
): SearchContext {
  return { space, net, data, cost, seed, emit: (e) => events.push(e) };
}

/** Advances until the strategy reports done or `maxUnits` units ran; returns the units run. */
export async function advanceUntilDone(strategy: Strategy, ctx: SearchContext, maxUnits = Infinity): Promise<number> {
  let units = 0;
  while (units < maxUnits) {
    units++;
    if (await strategy.advance(ctx)) break;
  }
  return units;
}

/**
 * Runs the search of `options(dir, …)` until `stopAt` units are done and aborts
 * it, then resumes it in the same folder; returns the resumed run's options
 * (dispose its net) and result.
 */
export async function stopAndResume<O extends SearchRunOptions>(options: (dir: string, extra: Partial<SearchRunOptions>) => O, dir: string, stopAt: number) {
  const stop = new AbortController();
  let done = 0;
  const first = options(dir, { signal: stop.signal, onProgress: () => (++done === stopAt ? stop.abort() : undefined) });
  await expect(runSearch(first)).rejects.toThrow();
  first.net.dispose();
  const resumed = options(dir, { resume: true });
  return { resumed, result: await runSearch(resumed) };
}
