// prunas train: trains an architecture from scratch on Fashion-MNIST.
import { SingleBar } from 'cli-progress';
import { parseDevice, parsePrecision } from '../engine/device.js';
import { setThreads } from '../index.js';
import { validateArchitecture } from '../space/index.js';
import { trainArchitecture, type TrainConfig } from '../train/trainer.js';
import { openData, resolveArchitectureSpace, resolveSpace } from './data.js';
import { readJson, UsageError } from './util.js';

interface TrainFlags {
  arch: string;
  space?: string;
  data?: string;
  out: string;
  resume?: boolean;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  warmupEpochs?: number;
  weightDecay?: number;
  labelSmoothing?: number;
  seed?: number;
  subset?: number;
  threads?: number;
  device?: string;
  precision?: string;
  progress: 'auto' | 'bar' | 'none';
}

export async function trainCommand(flags: TrainFlags): Promise<void> {
  const archJson = await readJson(flags.arch, 'architecture');
  const spaceName = flags.space ?? (archJson as { space?: unknown })?.space;
  if (typeof spaceName !== 'string') throw new UsageError(`${flags.arch}: no "space" field; pass --space`);
  const space = flags.space !== undefined ? await resolveSpace(flags.space) : await resolveArchitectureSpace(spaceName, flags.arch);
  const architecture = validateArchitecture(space, archJson);
  const device = parseDevice('--device', flags.device);
  parsePrecision('--precision', flags.precision, device);
  if (flags.threads) setThreads(flags.threads);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const data = await openData(flags.data, log);
  const config: Partial<TrainConfig> = {};
  for (const key of ['epochs', 'batchSize', 'lr', 'warmupEpochs', 'weightDecay', 'labelSmoothing', 'seed'] as const)
    if (flags[key] !== undefined) config[key] = flags[key];
  const trainIndices = flags.subset ? Int32Array.from({ length: Math.min(flags.subset, data.train.size) }, (_, i) => i) : undefined;

  const showBar = flags.progress === 'bar' || (flags.progress === 'auto' && process.stderr.isTTY);
  const bar = showBar ? new SingleBar({ format: 'epoch {epoch} |{bar}| {percentage}% | loss {loss} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true }) : null;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  try {
    const result = await trainArchitecture({
      space,
      architecture,
      train: data.train,
      trainIndices,
      test: data.test,
      config,
      dir: flags.out,
      resume: flags.resume,
      signal: stop.signal,
      device,
      precision: flags.precision,
      onEvent: (e) => {
        if (e.type === 'start') {
          log(`training ${space.name} architecture for ${e.epochs} epochs of ${e.stepsPerEpoch} steps on ${device}${e.resumedAtEpoch ? `, resuming after epoch ${e.resumedAtEpoch}` : ''}; run folder ${flags.out}`);
          bar?.start(e.stepsPerEpoch * e.epochs, e.resumedAtEpoch * e.stepsPerEpoch, { epoch: e.resumedAtEpoch + 1, loss: '-' });
        } else if (e.type === 'step') {
          bar?.increment({ epoch: e.epoch + 1, loss: e.loss.toFixed(3) });
        } else {
          bar?.stop();
          log(`epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)} acc ${(100 * e.trainAccuracy).toFixed(2)}% | test loss ${e.testLoss.toFixed(4)} acc ${(100 * e.testAccuracy).toFixed(2)}% | ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} images/s`);
          if (bar) bar.start(bar.getTotal(), (e.epoch + 1) * Math.round(bar.getTotal() / (config.epochs ?? 30)), { epoch: e.epoch + 2, loss: '-' });
        }
      },
    });
    bar?.stop();
    process.stdout.write(`${JSON.stringify({ testAccuracy: result.testAccuracy, epochs: result.history.length, checkpoint: `${flags.out}/checkpoint.pb` })}\n`);
    result.net.dispose();
  } finally {
    bar?.stop();
    data.train.dispose();
    data.test.dispose();
  }
}
