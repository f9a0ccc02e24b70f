// DNA's enumeration speed: block encodings ranked per second (each one BN
// recalibration on one batch, then evaluation on the ranking batches) and
// the assembly's traversal, on proxyless-small (28² × 1, 10 classes).
//
// Usage: npm run bench:dna -- [--threads 1] [--batch 64]
//          [--rank-batches 2] [--width 1] [--target 6]
//
// The teacher is a fixed architecture of the space trained for one short
// epoch on synthetic data (its quality does not change the cost of
// ranking); the blocks train for 5 steps, then every encoding of every
// block is ranked. Then the assembly alone on proxyless-mobile's blocks
// (2058 encodings in each 4-layer block) with seeded random scores and the
// real MACs, at targets from tight to loose. Wall time comes from the strategy's own events; CPU
// time of the process is printed beside it (the machine may be shared).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { Supernet } from '../src/engine/supernet.js';
import { native } from '../src/native.js';
import { flopsCostModel } from '../src/search/cost-model.js';
import { assemble, createDna, decodeEncoding, dnaBlocks } from '../src/search/dna.js';
import { architectureOf, type SearchEvent } from '../src/search/strategy.js';
import { layersOf, proxylessMobile, proxylessSmall } from '../src/space/index.js';
import { trainArchitecture } from '../src/train/trainer.js';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '1' }, batch: { type: 'string', default: '64' }, 'rank-batches': { type: 'string', default: '2' }, width: { type: 'string', default: '1' }, target: { type: 'string', default: '6' } },
});
native.setThreads(Number(values.threads));
const batchSize = Number(values.batch);
const space = proxylessSmall({ widthMult: Number(values.width) });
const cost = flopsCostModel(space);
const train = new Dataset(syntheticImageSet({ count: 10 * batchSize, height: 28, width: 28, channels: 1, classes: 10, seed: 1 }));
const data = { train, trainIndices: Int32Array.from({ length: 8 * batchSize }, (_, i) => i), valIndices: Int32Array.from({ length: 2 * batchSize }, (_, i) => 8 * batchSize + i), pad: 2, hflip: false };
const dir = mkdtempSync(join(tmpdir(), 'prunas-bench-dna-'));
try {
  const teacher = layersOf(space).map((l) => (l.searchable ? l.index % 6 : 0));
  const t = await trainArchitecture({ space, architecture: architectureOf(space, teacher), train, test: train, config: { epochs: 1, batchSize, evalBatchSize: batchSize }, trainIndices: data.trainIndices, dir });
  t.net.dispose();
  const net = new Supernet(space, 1);
  const events: SearchEvent[] = [];
  const dna = createDna({ teacher: join(dir, 'checkpoint.pb'), epochs: 1, stepsPerEpoch: 5, batchSize, rankBatches: Number(values['rank-batches']) }, space, cost, Number(values.target));
  const ctx = { space, net, data, cost, seed: 1, emit: (e: SearchEvent) => events.push(e) };
  let units = 0;
  let cpu = process.cpuUsage();
  let rankCpu = 0;
  while (!(await dna.advance(ctx))) {
    if (++units === 5) cpu = process.cpuUsage(); // training done: ranking starts
  }
  rankCpu = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
  console.log(`proxyless-small width ${values.width}, batch ${batchSize}, ${values['rank-batches']} ranking batches, ${values.threads} thread(s); ${cpus()[0].model}; load ${loadavg()[0].toFixed(1)}`);
  console.log('| block | encodings | seconds | encodings/s |');
  console.log('|---|---:|---:|---:|');
  let total = 0;
  let seconds = 0;
  for (const e of events)
    if (e.type === 'epoch' && e.phase === 'rank') {
      console.log(`| ${e.block} | ${e.encodings} | ${(e.seconds as number).toFixed(1)} | ${(e.encodingsPerSecond as number).toFixed(1)} |`);
      total += e.encodings as number;
      seconds += e.seconds as number;
    }
  console.log(`| all | ${total} | ${seconds.toFixed(1)} | ${(total / seconds).toFixed(1)} |`);
  console.log(`ranking CPU time ${rankCpu.toFixed(1)} s (${(total / rankCpu).toFixed(1)} encodings per CPU second)`);
  for (const e of events) if (e.type === 'message') console.log(e.text);
  for (const e of events) if (e.type === 'epoch' && e.phase === 'assemble') console.log(`assembly: ${e.visited} partial architectures visited in ${((e.seconds as number) * 1000).toFixed(1)} ms`);
  dna.release();
  net.dispose();
  assemblyOnMobile();
} finally {
  train.dispose();
  rmSync(dir, { recursive: true, force: true });
}

function assemblyOnMobile(): void {
  const mobile = proxylessMobile();
  const mobileCost = flopsCostModel(mobile);
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const blocks = dnaBlocks(mobile).map((b) =>
    Array.from({ length: b.encodings }, (_, e) => ({ score: random(), cost: decodeEncoding(b.counts, e).reduce((sum, c, l) => sum + mobileCost.candidates[b.first + l][c], 0) })),
  );
  const floor = blocks.reduce((sum, items) => sum + Math.min(...items.map((i) => i.cost)), 0);
  const ceiling = blocks.reduce((sum, items) => sum + Math.max(...items.map((i) => i.cost)), 0);
  console.log(`assembly on proxyless-mobile: ${blocks.length} blocks, ${blocks.map((b) => b.length).join(' + ')} encodings, block MACs ${floor.toFixed(0)}–${ceiling.toFixed(0)} M`);
  console.log('| budget share | visited | ms | visited/s |');
  console.log('|---:|---:|---:|---:|');
  for (const share of [0.05, 0.1, 0.2, 0.4, 0.8]) {
    const started = performance.now();
    const found = assemble(blocks, floor + share * (ceiling - floor));
    const ms = performance.now() - started;
    console.log(`| ${share} | ${found?.visited ?? 0} | ${ms.toFixed(1)} | ${(((found?.visited ?? 0) / ms) * 1000).toExponential(2)} |`);
  }
}
