// prunas search: runs one strategy over a space on Fashion-MNIST into a run
// folder, resumable with --resume after a kill at any point.
import { SingleBar } from 'cli-progress';
import { splitTrainVal } from '../data/splits.js';
import { parseDevice, parsePrecision } from '../engine/device.js';
import { Supernet } from '../engine/supernet.js';
import { setThreads } from '../index.js';
import { readTable, latencyCostModel } from '../latency/table.js';
import { costRange, flopsCostModel, type CostModel } from '../search/cost-model.js';
import { STRATEGIES } from '../search/registry.js';
import { runSearch } from '../search/runner.js';
import { openData, resolveSpace } from './data.js';
import { readJson, UsageError } from './util.js';

export interface SearchFlags {
  strategy: string;
  space: string;
  data?: string;
  latency?: string;
  targetMs?: number;
  targetMflops?: number;
  config?: string;
  out?: string;
  resume?: boolean;
  checkpointEvery: number;
  seed: number;
  valSize?: number;
  subset?: number;
  threads?: number;
  device?: string;
  precision?: string;
  progress: 'auto' | 'bar' | 'none';
  preset: 'quick' | 'full';
}

export async function searchCommand(flags: SearchFlags): Promise<void> {
  const entry = STRATEGIES[flags.strategy];
  if (!entry) throw new UsageError(`unknown strategy ${JSON.stringify(flags.strategy)}: use one of ${Object.keys(STRATEGIES).join(', ')}`);
  if (flags.targetMs !== undefined && flags.targetMflops !== undefined) throw new UsageError('give --target-ms or --target-mflops, not both');
  if (flags.targetMs !== undefined && !flags.latency) throw new UsageError('--target-ms needs --latency table.pb (build one with prunas profile)');
  if (flags.targetMflops !== undefined && flags.latency) throw new UsageError('--target-mflops constrains multiply-adds; drop --latency or use --target-ms');
  const device = parseDevice('--device', flags.device);
  const precision = parsePrecision('--precision', flags.precision, device);
  const space = await resolveSpace(flags.space);
  const cost: CostModel = flags.latency ? latencyCostModel(await readTable(flags.latency), space) : flopsCostModel(space);
  const target = flags.targetMs ?? flags.targetMflops;
  if (target !== undefined) {
    if (!entry.constrained) throw new UsageError(`strategy ${flags.strategy} takes no cost target`);
    const range = costRange(cost);
    if (target < range.min)
      throw new UsageError(`target ${target} ${cost.unit} is below the cheapest architecture of ${space.name} (${range.min.toFixed(3)} ${cost.unit})`);
  }
  const own = flags.config ? await readJson(flags.config, 'strategy config') : {};
  if (own === null || typeof own !== 'object' || Array.isArray(own)) throw new UsageError(`${flags.config}: strategy options must be a JSON object`);
  const options = flags.preset === 'quick' ? { ...(entry.quick ?? {}), ...own } : own;
  if (flags.threads) setThreads(flags.threads);
  const out = flags.out ?? `runs/search-${flags.strategy}`;
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const data = await openData(flags.data, log);
  const size = flags.subset ? Math.min(flags.subset, data.train.size) : data.train.size;
  const valSize = flags.valSize ?? Math.min(5000, Math.floor(size / 10));
  if (valSize < 1 || valSize >= size) throw new UsageError(`--val-size ${valSize} must leave training samples (the training set has ${size})`);
  const split = splitTrainVal(size, valSize, flags.seed);
  const net = new Supernet(space, flags.seed, { device, precision });
  const strategy = entry.create({ options, space, candidateCounts: net.candidateCounts, cost, target });
  const config = { strategy: flags.strategy, space: space.name, options, seed: flags.seed, valSize, subset: flags.subset ?? null, costUnit: cost.unit, costSource: cost.source, target: target ?? null };

  const showBar = flags.progress === 'bar' || (flags.progress === 'auto' && process.stderr.isTTY);
  const bar = showBar ? new SingleBar({ format: '{phase} |{bar}| {percentage}% | {value}/{total} | loss {loss} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true }) : null;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  let phase = '-';
  let loss = '-';
  try {
    const result = await runSearch({
      strategy,
      space,
      net,
      data: { train: data.train, trainIndices: split.train, valIndices: split.val, pad: 2, hflip: true },
      cost,
      seed: flags.seed,
      config,
      dir: out,
      resume: flags.resume,
      checkpointSeconds: flags.checkpointEvery,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'start') {
          log(`${flags.strategy} search over ${space.name} (${cost.source}${target !== undefined ? `, target ${target} ${cost.unit}` : ''}) on ${device}${precision === 'fp32' ? '' : ` (${precision})`}; run folder ${out}${e.resumedAtUnit ? `, resuming at unit ${e.resumedAtUnit}` : ''}`);
          bar?.start(e.total, strategy.progress().done, { phase, loss });
        } else if (e.type === 'step') {
          phase = e.phase;
          loss = e.loss.toFixed(3);
        } else if (e.type === 'prune' && !bar) log(`pruned layer ${e.layer} candidate ${e.candidate} (${e.reason})`);
        else if (e.type === 'message') bar ? bar.update({ phase, loss }) : log(e.text);
      },
      onProgress: (p) => bar?.update(p.done, { phase, loss }),
    });
    bar?.stop();
    const derived = result.space !== space ? { space: `${out}/space.json` } : {};
    process.stdout.write(
      `${JSON.stringify({ architecture: `${out}/architecture.json`, ...derived, choices: result.architecture.choices, cost: Number(result.cost.toFixed(4)), costUnit: cost.unit, seconds: Number(result.seconds.toFixed(1)) })}\n`,
    );
  } catch (e) {
    bar?.stop();
    if (stop.signal.aborted) throw new Error(`interrupted; the run folder ${out} holds a checkpoint: continue with --resume`);
    throw e;
  } finally {
    net.dispose();
    data.train.dispose();
    data.test.dispose();
  }
}
