// DDPNAS, dynamic distribution pruning (ALGORITHMS.md, "DDPNAS"): a
// categorical distribution θ per layer, pruned one candidate per layer after
// every R rounds of sampled architectures, until one candidate is left.
//
//   iteration  sample one architecture: per layer, a candidate not yet used
//              this round (without replacement); train its weights for
//              `iteration` steps (or one epoch of the training indices) in
//              `single` mode; evaluate it on a fixed validation subset and
//              record the accuracy at every layer's chosen candidate
//   round      as many iterations as the most live candidates of any layer;
//              a layer with fewer live candidates starts a fresh permutation
//              when it has used them all [ours], so every candidate is
//              trained at least once per round and some twice (their
//              accuracies are averaged within the round)
//   pruning    after R rounds: E = mean over rounds of softmax over the live
//              candidates of (accuracyScale · accuracy); v ← γv + (1−γ)E;
//              θ ← (θ + v) normalised over the live candidates; remove the
//              live candidate of lowest θ in every layer with more than one
//              (the engine frees its weights and optimizer state). [ours] A
//              removed candidate's θ and v become 0 and θ is renormalised
//              over the survivors, so θ stays a distribution over live ops
//              (the reference code keeps the dead entries in the sum).
//
// Cost target [ours]: a pruning never leaves a layer set whose cheapest
// architecture costs more than `target` (when the lowest-θ candidate is the
// one that keeps the target reachable, the next lowest goes instead); so the
// final architecture meets it. The sampled architectures are not
// constrained.
//
// Each advance() is one weight step, one evaluation or one pruning decision.
// Randomness: the sampled architecture of a round's iteration is a function
// of (seed, round counter, layer, iteration) through the engine's seeded
// permutation; batches and augmentation come from a BatchStream addressed by
// the weight-step counter. Both counters live in the state, so a search
// resumed from any checkpoint ends identical to an uninterrupted one.
//
// Learning rate [ours]: cosine from `lr` to 0 over every weight step of the
// search (the total is known: R · Σ_{n=2..K} n iterations for K candidates
// in the widest layer) or constant; SGD with Nesterov momentum, no label
// smoothing, weight decay 3e-4 and lr 0.025 (DARTS's search recipe, which
// DDPNAS's CIFAR search follows). The default iteration of 20 steps of 64
// images keeps a proxyless-small search on Fashion-MNIST to 3 · 27 · 20 =
// 1620 weight steps and 81 evaluations.
import { z } from 'zod';
import { permutation } from '../data/dataset.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import { cosineWithWarmup } from '../train/schedule.js';
import { sgdOptions } from '../train/sgd.js';
import { parseConfig, parseState } from './config.js';
import { architectureCostOf, checkCostModelFits, costRange, type CostModel } from './cost-model.js';
import { evaluationSamples, validationAccuracy, type EvaluationSamples } from './evaluation.js';
import { BatchStream, softmaxLive, type SearchContext, type Strategy } from './strategy.js';

export const ddpnasConfigSchema = z.strictObject({
  /** R: rounds between two prunings */
  rounds: z.number().int().min(1).max(1000).default(3),
  /** weight steps per sampled architecture, or 'epoch': one pass over the training indices */
  iteration: z.union([z.literal('epoch'), z.number().int().min(1).max(1e7)]).default(20),
  batchSize: z.number().int().min(1).max(65536).default(64),
  lr: z.number().positive().max(10).default(0.025),
  lrSchedule: z.enum(['cosine', 'constant']).default('cosine'),
  ...sgdOptions(3e-4),
  labelSmoothing: z.number().min(0).max(1).default(0),
  /** γ: momentum of the distribution update */
  gamma: z.number().min(0).max(1).default(0.9),
  /** accuracies (in [0, 1]) are multiplied by this before the softmax */
  accuracyScale: z.number().positive().max(1e6).default(100),
  /** validation samples per evaluation (a fixed seeded subset of the validation split) */
  valSamples: z.number().int().min(1).max(1e7).default(1000),
  evalBatchSize: z.number().int().min(1).max(65536).default(500),
  /** training samples to recompute the path's BN statistics on before each evaluation; 0: evaluate with the running statistics, as the reference does */
  recalibrationSamples: z.number().int().min(0).max(1e7).default(0),
  /** the final architecture's cost must not exceed this (the cost model's unit) */
  target: z.number().positive().optional(),
});
export type DdpnasConfig = z.infer<typeof ddpnasConfigSchema>;

/** `target`, when given, is the search's cost target (the config's own `target` wins). */
export function createDdpnas(rawConfig: unknown, space: SearchSpace, cost: CostModel, target?: number): DdpnasStrategy {
  const config = parseConfig('ddpnas', ddpnasConfigSchema, rawConfig);
  return new DdpnasStrategy({ ...config, target: config.target ?? target }, space, cost);
}

const matrix = z.array(z.array(z.number()));
const stateSchema = z.strictObject({
  phase: z.enum(['train', 'evaluate', 'prune', 'done']),
  /** prunings done */
  stage: z.number().int().min(0),
  /** round within the stage, iteration within the round, weight step within the iteration */
  round: z.number().int().min(0),
  iteration: z.number().int().min(0),
  stepInIteration: z.number().int().min(0),
  /** rounds done over the whole search: addresses the architecture sampling */
  roundsDone: z.number().int().min(0),
  /** addresses the batches and the learning rate */
  weightSteps: z.number().int().min(0),
  unitsDone: z.number().int().min(0),
  /** fixed at the first advance (an epoch's steps depend on the data) */
  stepsPerIteration: z.number().int().min(1).nullable(),
  /** the current iteration's architecture, once sampled */
  choices: z.array(z.number().int()).nullable(),
  live: z.array(z.array(z.boolean())),
  theta: matrix,
  velocity: matrix,
  /** per round of this stage: accuracy sums and counts per layer and candidate */
  records: z.array(z.strictObject({ sum: matrix, count: matrix })),
});
type DdpnasState = z.infer<typeof stateSchema>;

/** Addresses of the architecture sampling and the weight batches in their seeded streams. */
const SAMPLING_COUNTER = 3 * 2 ** 40;
const WEIGHT_STREAM = 1;

export class DdpnasStrategy implements Strategy {
  readonly name = 'ddpnas';
  private state: DdpnasState;
  private readonly layerNames: string[];
  private readonly candidateCounts: number[];
  private bound: { stream: BatchStream; evaluation: EvaluationSamples } | null = null;

  constructor(
    private readonly config: DdpnasConfig,
    private readonly space: SearchSpace,
    private readonly cost: CostModel,
  ) {
    const layers = layersOf(space);
    this.layerNames = layers.map((l) => l.name);
    this.candidateCounts = layers.map((l) => l.candidates.length);
    checkCostModelFits('ddpnas', cost, this.candidateCounts, space.name);
    if (config.target !== undefined) {
      const { min } = costRange(cost);
      if (config.target < min)
        throw new PrunasRangeError(`ddpnas config: target ${config.target} ${cost.unit} is below the cheapest architecture of ${space.name} (${min.toFixed(3)} ${cost.unit})`);
    }
    const live = this.candidateCounts.map((n) => new Array<boolean>(n).fill(true));
    this.state = {
      phase: Math.max(...this.candidateCounts) > 1 ? 'train' : 'done',
      stage: 0,
      round: 0,
      iteration: 0,
      stepInIteration: 0,
      roundsDone: 0,
      weightSteps: 0,
      unitsDone: 0,
      stepsPerIteration: config.iteration === 'epoch' ? null : config.iteration,
      choices: null,
      live,
      theta: this.candidateCounts.map((n) => new Array<number>(n).fill(1 / n)),
      velocity: this.candidateCounts.map((n) => new Array<number>(n).fill(0)),
      records: [],
    };
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    ctx.signal?.throwIfAborted();
    const s = this.state;
    if (s.phase === 'done') return true;
    const bound = this.bind(ctx);
    if (s.phase === 'train') await this.trainStep(ctx, bound.stream);
    else if (s.phase === 'evaluate') await this.evaluate(ctx, bound.evaluation);
    else this.prune(ctx);
    s.unitsDone++;
    return this.finished();
  }

  finished(): boolean {
    return this.state.phase === 'done';
  }

  /** Units: weight steps, evaluations and prunings; an 'epoch' iteration counts one step until the data is known. */
  progress(): { done: number; total: number } {
    const steps = this.state.stepsPerIteration ?? 1;
    const widest = Math.max(...this.candidateCounts);
    return { done: this.state.unitsDone, total: this.totalIterations() * (steps + 1) + widest - 1 };
  }

  saveState(): unknown {
    return JSON.parse(JSON.stringify(this.state));
  }

  loadState(state: unknown): void {
    const s = parseState('ddpnas', stateSchema, state);
    const shapeOk = (m: readonly (readonly unknown[])[]) => m.length === this.candidateCounts.length && m.every((row, l) => row.length === this.candidateCounts[l]);
    const matrices = [s.live, s.theta, s.velocity, ...s.records.flatMap((r) => [r.sum, r.count])];
    if (!matrices.every(shapeOk) || (s.choices !== null && s.choices.length !== this.candidateCounts.length))
      throw new PrunasRangeError(`ddpnas state: its layers and candidates are not those of ${this.space.name}`);
    this.state = s;
    this.bound = null;
  }

  /** Per layer, the live candidate of highest θ (the survivor once the search is done). */
  derive(): number[] {
    return this.state.theta.map((row, l) => {
      let best = -1;
      row.forEach((t, j) => {
        if (this.state.live[l][j] && (best < 0 || t > row[best])) best = j;
      });
      return best;
    });
  }

  /** θ now: per layer, per candidate (removed ones 0). */
  distribution(): number[][] {
    return this.state.theta.map((row) => [...row]);
  }

  // ---- the three units of work ----

  private async trainStep(ctx: SearchContext, stream: BatchStream): Promise<void> {
    const s = this.state;
    const c = this.config;
    s.choices ??= this.sampleArchitecture(ctx.seed);
    const totalSteps = this.totalIterations() * (s.stepsPerIteration ?? 1);
    const lr = c.lrSchedule === 'cosine' ? cosineWithWarmup(s.weightSteps, totalSteps, 0, c.lr) : c.lr;
    const r = await ctx.net.weightStep({
      mode: 'single',
      choices: s.choices,
      samples: stream.batch(s.weightSteps),
      lr,
      momentum: c.momentum,
      nesterov: c.nesterov,
      weightDecay: c.weightDecay,
      labelSmoothing: c.labelSmoothing,
    });
    ctx.emit({ type: 'step', phase: 'weights', step: s.weightSteps, loss: r.loss, accuracy: r.correct / r.count });
    s.weightSteps++;
    s.stepInIteration++;
    if (s.stepInIteration >= (s.stepsPerIteration ?? 1)) s.phase = 'evaluate';
  }

  private async evaluate(ctx: SearchContext, samples: EvaluationSamples): Promise<void> {
    const s = this.state;
    const choices = s.choices ?? this.sampleArchitecture(ctx.seed);
    const accuracy = await validationAccuracy(ctx.net, ctx.data, samples, choices, this.config.evalBatchSize);
    ctx.emit({ type: 'evaluate', step: s.weightSteps, choices: [...choices], accuracy, cost: architectureCostOf(this.cost, choices) });
    const zeros = () => this.candidateCounts.map((n) => new Array<number>(n).fill(0));
    const record = (s.records[s.round] ??= { sum: zeros(), count: zeros() });
    choices.forEach((j, l) => {
      record.sum[l][j] += accuracy;
      record.count[l][j] += 1;
    });
    s.choices = null;
    s.stepInIteration = 0;
    s.iteration++;
    s.phase = 'train';
    if (s.iteration < roundLength(s.live)) return;
    s.iteration = 0;
    s.round++;
    s.roundsDone++;
    if (s.round >= this.config.rounds) s.phase = 'prune';
  }

  private prune(ctx: SearchContext): void {
    const s = this.state;
    const { gamma, accuracyScale } = this.config;
    s.live.forEach((live, l) => {
      const expectation = new Array<number>(live.length).fill(0);
      for (const record of s.records) {
        const accuracy = record.sum[l].map((sum, j) => (record.count[l][j] > 0 ? sum / record.count[l][j] : 0));
        softmaxLive(accuracy.map((a) => accuracyScale * a), live).forEach((p, j) => (expectation[j] += p / s.records.length));
      }
      s.velocity[l] = s.velocity[l].map((v, j) => (live[j] ? gamma * v + (1 - gamma) * expectation[j] : 0));
      s.theta[l] = normalisedOverLive(s.theta[l].map((t, j) => t + s.velocity[l][j]), live);
    });
    for (const { layer, candidate, reason } of this.choosePrunings()) {
      ctx.net.removeCandidate(layer, candidate);
      s.live[layer][candidate] = false;
      s.velocity[layer][candidate] = 0;
      s.theta[layer] = normalisedOverLive(s.theta[layer], s.live[layer]);
      ctx.emit({ type: 'prune', step: s.weightSteps, layer, candidate, reason });
    }
    ctx.emit({ type: 'distribution', step: s.weightSteps, probabilities: this.distribution() });
    s.stage++;
    s.round = 0;
    s.records = [];
    s.phase = roundLength(s.live) > 1 ? 'train' : 'done';
  }

  // ---- helpers ----

  /** Per layer with more than one live candidate: the lowest θ whose removal keeps the cost target reachable. */
  private choosePrunings(): { layer: number; candidate: number; reason: string }[] {
    const { target } = this.config;
    const live = this.state.live.map((row) => [...row]);
    return this.state.theta.flatMap((theta, l) => {
      const ops = liveIndices(live[l]);
      if (ops.length < 2) return [];
      const byTheta = [...ops].sort((a, b) => theta[a] - theta[b] || a - b);
      for (const j of byTheta) {
        live[l][j] = false;
        if (target === undefined || costRange(this.cost, live).min <= target) {
          const why = j === byTheta[0] ? 'lowest θ' : `lowest θ whose removal keeps the target ${target} ${this.cost.unit} reachable`;
          return [{ layer: l, candidate: j, reason: `${why} (${theta[j].toPrecision(4)}) in layer ${this.layerNames[l]}` }];
        }
        live[l][j] = true;
      }
      throw new PrunasError(`ddpnas: no candidate of layer ${this.layerNames[l]} can be removed within the target ${target} ${this.cost.unit}`);
    });
  }

  /** Iteration `iteration` of round `roundsDone`: per layer, position iteration mod n of a fresh permutation of its n live candidates per block of n. */
  private sampleArchitecture(seed: number): number[] {
    const s = this.state;
    const layers = s.live.length;
    const widest = Math.max(...this.candidateCounts);
    return s.live.map((row, l) => {
      const ops = liveIndices(row);
      if (ops.length === 1) return ops[0];
      const block = Math.floor(s.iteration / ops.length);
      const order = permutation(ops.length, seed, SAMPLING_COUNTER + (s.roundsDone * layers + l) * widest + block);
      return ops[order[s.iteration % ops.length]];
    });
  }

  /** R · Σ_{n=2..K} n: every stage prunes one candidate of the widest layer, whose width sets the round's length. */
  private totalIterations(): number {
    const widest = Math.max(...this.candidateCounts);
    let rounds = 0;
    for (let n = 2; n <= widest; n++) rounds += n;
    return this.config.rounds * rounds;
  }

  /** Once per loaded state: the supernet must mirror the state's live candidates; builds the batch stream and the validation subset. */
  private bind(ctx: SearchContext): { stream: BatchStream; evaluation: EvaluationSamples } {
    if (this.bound) return this.bound;
    const structure = ctx.net.structure();
    const mirrors =
      structure.live.length === this.state.live.length &&
      !structure.removedLayers.some(Boolean) &&
      structure.live.every((row, l) => row.length === this.state.live[l].length && row.every((v, j) => v === this.state.live[l][j]));
    if (!mirrors) throw new PrunasError('ddpnas: the supernet\'s live candidates differ from the strategy state\'s; restore both from the same checkpoint');
    const c = this.config;
    const stream = new BatchStream(ctx.data.train, ctx.data.trainIndices, c.batchSize, ctx.seed, WEIGHT_STREAM, { pad: ctx.data.pad, hflip: ctx.data.hflip });
    this.state.stepsPerIteration ??= c.iteration === 'epoch' ? stream.stepsPerEpoch : c.iteration;
    this.bound = { stream, evaluation: evaluationSamples(ctx.data, c.valSamples, c.recalibrationSamples, ctx.seed) };
    return this.bound;
  }
}

function liveIndices(live: readonly boolean[]): number[] {
  return live.flatMap((isLive, j) => (isLive ? [j] : []));
}

/** The most live candidates of any layer: the iterations of a round. */
function roundLength(live: readonly (readonly boolean[])[]): number {
  return Math.max(...live.map((row) => liveIndices(row).length));
}

function normalisedOverLive(values: readonly number[], live: readonly boolean[]): number[] {
  const sum = values.reduce((acc, v, j) => (live[j] ? acc + v : acc), 0);
  return values.map((v, j) => (live[j] ? v / sum : 0));
}
