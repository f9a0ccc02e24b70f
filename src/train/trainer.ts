// Trains a fixed architecture from scratch: SGD with Nesterov momentum,
// cosine learning rate with linear warmup, label smoothing, weight decay;
// evaluates on the test split after each epoch and writes a checkpoint
// atomically, so a killed run resumes at its last epoch and ends identical
// to an uninterrupted one (batch order and augmentation are functions of
// (seed, epoch, step), not of a generator's running state).
import { appendFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { permutation, type Dataset } from '../data/dataset.js';
import { Supernet } from '../engine/supernet.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { layersOf, type Architecture, type SearchSpace } from '../space/index.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { fixedSpace } from './fixed.js';
import { cosineWithWarmup } from './schedule.js';
import { sgdOptions } from './sgd.js';

export const trainConfigSchema = z.strictObject({
  epochs: z.number().int().min(1).max(10000).default(30),
  batchSize: z.number().int().min(1).max(65536).default(128),
  lr: z.number().positive().max(100).default(0.1),
  warmupEpochs: z.number().min(0).max(1000).default(1),
  ...sgdOptions(4e-5),
  labelSmoothing: z.number().min(0).max(1).default(0.1),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
  pad: z.number().int().min(0).max(16).default(2),
  hflip: z.boolean().default(true),
  evalBatchSize: z.number().int().min(1).max(65536).default(500),
});
export type TrainConfig = z.infer<typeof trainConfigSchema>;

export type TrainEvent =
  | { type: 'start'; epochs: number; stepsPerEpoch: number; resumedAtEpoch: number }
  | { type: 'step'; epoch: number; step: number; stepsPerEpoch: number; loss: number; lr: number }
  /** seconds and imagesPerSecond cover the training steps of the epoch, not its evaluation */
  | { type: 'epoch'; epoch: number; trainLoss: number; trainAccuracy: number; testLoss: number; testAccuracy: number; seconds: number; imagesPerSecond: number };

export type EpochRecord = Extract<TrainEvent, { type: 'epoch' }>;

export interface TrainOptions {
  space: SearchSpace;
  architecture: Architecture;
  train: Dataset;
  /** the training samples to use (default: all of `train`) */
  trainIndices?: Int32Array;
  test: Dataset;
  config?: Partial<TrainConfig>;
  /** run folder: checkpoint.pb and log.jsonl; resumes from the checkpoint when `resume` */
  dir?: string;
  resume?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** "cpu" (default) or "cuda:N"; not part of the config: a run may resume on another device */
  device?: string;
  precision?: string;
}

export interface TrainResult {
  net: Supernet;
  history: EpochRecord[];
  testAccuracy: number;
}

export function parseTrainConfig(value: unknown): TrainConfig {
  const parsed = trainConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PrunasRangeError(`training config: ${issue.path.join('.') || '(config)'} ${issue.message}`);
  }
  return parsed.data;
}

export async function evaluateDataset(net: Supernet, data: Dataset, choices: number[], batchSize: number): Promise<{ loss: number; accuracy: number }> {
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i);
    const r = await net.evaluate(data.batch(indices, { seed: 0 }), choices);
    loss += r.loss * indices.length;
    correct += r.correct;
  }
  return { loss: loss / data.size, accuracy: correct / data.size };
}

export async function trainArchitecture(o: TrainOptions): Promise<TrainResult> {
  const config = parseTrainConfig(o.config);
  const space = fixedSpace(o.space, o.architecture);
  const choices = layersOf(space).map(() => 0);
  const net = new Supernet(space, config.seed, { device: o.device, precision: o.precision });
  const trainIndices = o.trainIndices ?? Int32Array.from({ length: o.train.size }, (_, i) => i);
  const stepsPerEpoch = Math.floor(trainIndices.length / config.batchSize);
  if (stepsPerEpoch < 1) throw new PrunasRangeError(`batchSize ${config.batchSize} is larger than the training set (${trainIndices.length})`);
  const totalSteps = stepsPerEpoch * config.epochs;
  const warmupSteps = Math.round(config.warmupEpochs * stepsPerEpoch);
  const checkpointFile = o.dir ? join(o.dir, 'checkpoint.pb') : undefined;
  const logFile = o.dir ? join(o.dir, 'log.jsonl') : undefined;
  const configJson = JSON.stringify(config);
  const architectureJson = JSON.stringify(o.architecture);
  const emit = async (e: TrainEvent) => {
    o.onEvent?.(e);
    if (logFile && e.type !== 'step') await appendFile(logFile, JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n');
  };

  let history: EpochRecord[] = [];
  let firstEpoch = 0;
  if (o.dir) await mkdir(o.dir, { recursive: true });
  if (o.resume && checkpointFile && existsSync(checkpointFile)) {
    const c = await readCheckpoint(checkpointFile);
    if (c.configJson !== configJson) throw new PrunasError(`${checkpointFile}: written with another training config; resume with the same options`);
    if (c.architectureJson !== architectureJson) throw new PrunasError(`${checkpointFile}: written for another architecture`);
    net.loadState(c.state);
    history = c.history as EpochRecord[];
    firstEpoch = c.epochsDone;
  }
  await emit({ type: 'start', epochs: config.epochs, stepsPerEpoch, resumedAtEpoch: firstEpoch });

  for (let epoch = firstEpoch; epoch < config.epochs; epoch++) {
    const started = performance.now();
    const order = permutation(trainIndices.length, config.seed, epoch).map((i) => trainIndices[i]);
    let lossSum = 0;
    let correct = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      o.signal?.throwIfAborted();
      const globalStep = epoch * stepsPerEpoch + step;
      const lr = cosineWithWarmup(globalStep, totalSteps, warmupSteps, config.lr);
      const batch = o.train.batch(order.subarray(step * config.batchSize, (step + 1) * config.batchSize), {
        seed: config.seed,
        counter: globalStep * config.batchSize,
        pad: config.pad,
        hflip: config.hflip,
      });
      const r = await net.trainStep(batch, choices, { lr, momentum: config.momentum, nesterov: config.nesterov, weightDecay: config.weightDecay, labelSmoothing: config.labelSmoothing });
      lossSum += r.loss;
      correct += r.correct;
      o.onEvent?.({ type: 'step', epoch, step, stepsPerEpoch, loss: r.loss, lr });
    }
    const seconds = (performance.now() - started) / 1000;
    const test = await evaluateDataset(net, o.test, choices, config.evalBatchSize);
    const record: EpochRecord = {
      type: 'epoch',
      epoch,
      trainLoss: lossSum / stepsPerEpoch,
      trainAccuracy: correct / (stepsPerEpoch * config.batchSize),
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds,
      imagesPerSecond: (stepsPerEpoch * config.batchSize) / seconds,
    };
    history.push(record);
    if (checkpointFile)
      await writeCheckpoint(checkpointFile, { spaceJson: JSON.stringify(o.space), architectureJson, configJson, epochsDone: epoch + 1, stepsDone: (epoch + 1) * stepsPerEpoch, state: net.saveState(), history });
    await emit(record);
  }
  return { net, history, testAccuracy: history.length ? history[history.length - 1].testAccuracy : 0 };
}
