// The random-search baseline (ALGORITHMS.md, "Baselines"): `count`
// architectures drawn uniformly from the space (under the cost target, by
// rejection), each trained from scratch as its own network with the same
// budget, then evaluated on the validation split; the best one wins.
//
// Sharing the search's supernet in `single` mode would let each candidate
// start from weights the previous ones trained, so every candidate gets a
// fresh stand-alone network (fixedSpace) initialised from the search seed,
// trained `budgetSteps` steps with the trainer's recipe (SGD with Nesterov
// momentum, cosine learning rate after a linear warmup, label smoothing,
// weight decay, the search data's augmentation) on the same batch sequence
// (common random numbers: candidates differ only by their architecture).
// The search's own supernet (ctx.net) is not used.
//
// Each advance() is one weight step or one evaluation. A candidate's
// network lives only in memory: the saved state holds the architectures and
// the finished candidates' results, so a search resumed from a checkpoint
// taken in the middle of a candidate trains that candidate again from its
// first step (deterministically: it ends identical, having redone at most
// one candidate).
import { z } from 'zod';
import { permutation } from '../data/dataset.js';
import { Supernet } from '../engine/supernet.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import { fixedSpace } from '../train/fixed.js';
import { cosineWithWarmup } from '../train/schedule.js';
import { sgdOptions } from '../train/sgd.js';
import { parseConfig, parseState } from './config.js';
import { architectureCostOf, checkCostModelFits, costRange, type CostModel } from './cost-model.js';
import { evaluationSamples, validationAccuracy, type EvaluationSamples } from './evaluation.js';
import { architectureOf, BatchStream, type SearchContext, type Strategy } from './strategy.js';

export const randomConfigSchema = z.strictObject({
  /** architectures to sample and train */
  count: z.number().int().min(1).max(100000).default(5),
  /** weight steps per architecture */
  budgetSteps: z.number().int().min(1).max(1e9).default(300),
  batchSize: z.number().int().min(1).max(65536).default(64),
  lr: z.number().positive().max(100).default(0.1),
  /** share of the budget spent on the linear warmup */
  warmupFraction: z.number().min(0).max(0.99).default(0.05),
  ...sgdOptions(4e-5),
  labelSmoothing: z.number().min(0).max(1).default(0.1),
  valSamples: z.number().int().min(1).max(1e7).default(1000),
  evalBatchSize: z.number().int().min(1).max(65536).default(500),
  /** training samples to recompute BN statistics on before the evaluation (for budgets too short for the running statistics to settle); 0: off */
  recalibrationSamples: z.number().int().min(0).max(1e7).default(0),
  /** sample only architectures whose cost (the cost model's unit) is at most this */
  target: z.number().positive().optional(),
  /** never train the same architecture twice */
  distinct: z.boolean().default(true),
  /** draws allowed per architecture before the sampling gives up */
  maxDraws: z.number().int().min(1).max(1e9).default(100000),
});
export type RandomConfig = z.infer<typeof randomConfigSchema>;

/** `target`, when given, is the search's cost target (the config's own `target` wins). */
export function createRandom(rawConfig: unknown, space: SearchSpace, cost: CostModel, target?: number): RandomStrategy {
  const config = parseConfig('random', randomConfigSchema, rawConfig);
  return new RandomStrategy({ ...config, target: config.target ?? target }, space, cost);
}

export interface CandidateResult {
  choices: number[];
  accuracy: number;
  cost: number;
}

const stateSchema = z.strictObject({
  /** the sampled architectures (supernet-layer choices), fixed at the first advance */
  architectures: z.array(z.array(z.number().int().min(0))).nullable(),
  /** finished candidates, in order */
  results: z.array(z.strictObject({ choices: z.array(z.number().int()), accuracy: z.number(), cost: z.number() })),
});
type RandomState = z.infer<typeof stateSchema>;

/** Address of the architecture draws in the engine's seeded permutation stream. */
const DRAW_COUNTER = 5 * 2 ** 40;
const WEIGHT_STREAM = 1;

export class RandomStrategy implements Strategy {
  readonly name = 'random';
  private state: RandomState = { architectures: null, results: [] };
  /** the candidate being trained (memory only) and its steps done */
  private current: { index: number; net: Supernet; step: number } | null = null;
  private bound: { stream: BatchStream; evaluation: EvaluationSamples } | null = null;

  constructor(
    readonly config: RandomConfig,
    private readonly space: SearchSpace,
    private readonly cost: CostModel,
  ) {
    const layers = layersOf(space);
    checkCostModelFits('random', cost, layers.map((l) => l.candidates.length), space.name);
    if (config.target !== undefined) {
      const { min } = costRange(cost);
      if (config.target < min)
        throw new PrunasRangeError(`random config: target ${config.target} ${cost.unit} is below the cheapest architecture of ${space.name} (${min.toFixed(3)} ${cost.unit})`);
    }
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    ctx.signal?.throwIfAborted();
    const s = this.state;
    s.architectures ??= sampleArchitectures(this.space, this.cost, this.config, ctx.seed);
    if (s.results.length >= s.architectures.length) return true;
    const bound = this.bind(ctx);
    const index = s.results.length;
    const current = this.candidate(index, ctx);
    const c = this.config;
    const choices = current.net.layers.map(() => 0);
    if (current.step < c.budgetSteps) {
      const lr = cosineWithWarmup(current.step, c.budgetSteps, Math.round(c.warmupFraction * c.budgetSteps), c.lr);
      const r = await current.net.weightStep({
        mode: 'single',
        choices,
        samples: bound.stream.batch(current.step),
        lr,
        momentum: c.momentum,
        nesterov: c.nesterov,
        weightDecay: c.weightDecay,
        labelSmoothing: c.labelSmoothing,
      });
      ctx.emit({ type: 'step', phase: 'weights', step: index * c.budgetSteps + current.step, loss: r.loss, accuracy: r.correct / r.count });
      current.step++;
      return false;
    }
    const accuracy = await validationAccuracy(current.net, ctx.data, bound.evaluation, choices, c.evalBatchSize);
    const architecture = s.architectures[index];
    const result = { choices: [...architecture], accuracy, cost: architectureCostOf(this.cost, architecture) };
    ctx.emit({ type: 'evaluate', step: (index + 1) * c.budgetSteps, ...result });
    s.results.push(result);
    this.releaseCandidate();
    return s.results.length >= s.architectures.length;
  }

  /** Units: weight steps and evaluations; a resumed candidate's steps count again. */
  /** A candidate in training lives only in memory: checkpoint between candidates. */
  atCheckpointBoundary(): boolean {
    return this.current === null || this.current === undefined;
  }

  progress(): { done: number; total: number } {
    const perCandidate = this.config.budgetSteps + 1;
    return { done: this.state.results.length * perCandidate + (this.current?.step ?? 0), total: this.config.count * perCandidate };
  }

  saveState(): unknown {
    return JSON.parse(JSON.stringify(this.state));
  }

  loadState(state: unknown): void {
    const s = parseState('random', stateSchema, state);
    const layers = layersOf(this.space);
    const fits = (choices: number[]) => choices.length === layers.length && choices.every((j, l) => j < layers[l].candidates.length);
    if (!(s.architectures ?? []).every(fits) || !s.results.every((r) => fits(r.choices)))
      throw new PrunasRangeError(`random state: its architectures are not of ${this.space.name}`);
    this.releaseCandidate();
    this.state = s;
  }

  /** The best validation accuracy so far; ties go to the cheaper architecture, then to the earlier one. */
  derive(): number[] {
    const best = this.results().reduce<CandidateResult | null>((a, r) => (!a || r.accuracy > a.accuracy || (r.accuracy === a.accuracy && r.cost < a.cost) ? r : a), null);
    if (!best) throw new PrunasError('random: no architecture has been evaluated yet');
    return [...best.choices];
  }

  /** The sampled architectures (empty before the first advance). */
  architectures(): number[][] {
    return (this.state.architectures ?? []).map((a) => [...a]);
  }

  results(): CandidateResult[] {
    return this.state.results.map((r) => ({ ...r, choices: [...r.choices] }));
  }

  private candidate(index: number, ctx: SearchContext): { index: number; net: Supernet; step: number } {
    if (this.current?.index === index) return this.current;
    this.releaseCandidate();
    const architecture = architectureOf(this.space, this.state.architectures![index]);
    const net = new Supernet(fixedSpace(this.space, architecture), ctx.seed, { device: ctx.net.device, precision: ctx.net.precision });
    this.current = { index, net, step: 0 };
    return this.current;
  }

  private releaseCandidate(): void {
    this.current?.net.dispose();
    this.current = null;
  }

  private bind(ctx: SearchContext): { stream: BatchStream; evaluation: EvaluationSamples } {
    const c = this.config;
    this.bound ??= {
      stream: new BatchStream(ctx.data.train, ctx.data.trainIndices, c.batchSize, ctx.seed, WEIGHT_STREAM, { pad: ctx.data.pad, hflip: ctx.data.hflip }),
      evaluation: evaluationSamples(ctx.data, c.valSamples, c.recalibrationSamples, ctx.seed),
    };
    return this.bound;
  }
}

/**
 * `count` architectures (supernet-layer choices), each layer's candidate
 * uniform, draw d of layer l at the engine's permutation stream
 * (seed, DRAW_COUNTER + d·layers + l); draws over the target (and repeats,
 * when `distinct`) are rejected.
 */
export function sampleArchitectures(space: SearchSpace, cost: CostModel, config: Pick<RandomConfig, 'count' | 'target' | 'distinct' | 'maxDraws'>, seed: number): number[][] {
  const counts = layersOf(space).map((l) => l.candidates.length);
  const seen = new Set<string>();
  const out: number[][] = [];
  let draw = 0;
  while (out.length < config.count) {
    let accepted: number[] | null = null;
    for (let tries = 0; tries < config.maxDraws && !accepted; tries++, draw++) {
      const choices = counts.map((n, l) => (n === 1 ? 0 : permutation(n, seed, DRAW_COUNTER + draw * counts.length + l)[0]));
      if (config.target !== undefined && architectureCostOf(cost, choices) > config.target) continue;
      if (config.distinct && seen.has(choices.join(','))) continue;
      accepted = choices;
    }
    if (!accepted) {
      const within = config.target === undefined ? '' : ` within the target ${config.target} ${cost.unit}`;
      throw new PrunasRangeError(
        `random: found only ${out.length} of ${config.count} ${config.distinct ? 'distinct ' : ''}architectures${within} after ${config.maxDraws} draws for the next one; lower count, raise target or maxDraws`,
      );
    }
    seen.add(accepted.join(','));
    out.push(accepted);
  }
  return out;
}
