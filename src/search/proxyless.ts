// ProxylessNAS (Cai, Zhu, Han, ICLR 2019; reference code mit-han-lab/proxylessnas,
// search/): binarized paths over the supernet, α trained by gradient on a
// held-out split, alternating with weight steps on the training split.
//
// A unit of work (one `advance`) is one of:
//   warmup   weight step on a path sampled uniformly from the live candidates; α frozen
//   weights  weight step on a path sampled from p = softmax(α) (`single` mode)
//   arch     after every archEvery weight steps past warmup, one architecture
//            step on a held-out batch:
//            - gradient/pair: two distinct paths drawn natively, the active one
//              from the pair's renormalised p; ∂L/∂α from the two gate values
//              over the pair, plus the cost term's gradient; Adam; then the
//              pair's α shifted so the unsampled paths keep their probability
//            - gradient/echo: gate values of every live candidate, the full
//              softmax gradient, no rescale
//            - reinforce (ProxylessNAS-R): M paths sampled and scored on the
//              batch, reward acc·(T/C)^w, moving-average baseline, Adam on
//              the REINFORCE gradient
// Every random draw is addressed by a counter kept in the state (path draws,
// batch numbers), so saveState + the supernet's state resume exactly.
import { z } from 'zod';
import type { Supernet } from '../engine/supernet.js';
import { describeValue, PrunasRangeError } from '../errors.js';
import { native } from '../native.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import { cosineWithWarmup } from '../train/schedule.js';
import { sgdOptions } from '../train/sgd.js';
import { adamInit, adamStep, argmaxLive, gateGradient, probabilitiesOf, rescalePair } from './alpha.js';
import { nextUnit, totalUnits, type ArchScheduleUnit } from './arch-schedule.js';
import { archAdamOptions, parseConfig, parseState } from './config.js';
import { architectureCostOf, checkCostModelFits, type CostModel } from './cost-model.js';
import { checkMultiplicativeTarget, constraintLoss, type Constraint } from './latency-loss.js';
import { BatchStream, type SearchContext, type SearchData, type Strategy } from './strategy.js';

const target = z.number().positive();
const positive = z.number().positive();
/** The absolute form's β; the error names the value. */
const absoluteBeta = z
  .number({ error: (issue) => `must be a finite number > 0, got ${describeValue(issue.input)}` })
  .refine((v) => v > 0, { error: (issue) => `must be > 0, got ${describeValue(issue.input)}` });

/**
 * A constraint without lossForm is multiplicative (the reference code's default).
 * The absolute form's β defaults to 0.3: a 10-class CE is 2.3 at chance and
 * about 0.3–1 during a search, so missing the target by 10% costs 0.03, a few
 * percent of CE, and accuracy still ranks the architectures near the target;
 * above the target its pull on α equals the additive form's at λ = β, and
 * λ 0.3 outweighed CE far enough to push quick proxyless-small searches well
 * below a 0.2 ms target, so 0.3 holds the target against CE's pull upward.
 */
export const constraintSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('lossForm' in v) ? { ...v, lossForm: 'multiplicative' } : v),
  z.discriminatedUnion(
    'lossForm',
    [
      z.strictObject({ target, lossForm: z.literal('additive'), lambda: positive.default(0.1) }),
      z.strictObject({ target, lossForm: z.literal('multiplicative'), a: positive.default(0.2), beta: positive.default(0.3) }),
      z.strictObject({ target, lossForm: z.literal('paper'), beta: positive.default(0.3) }),
      z.strictObject({ target, lossForm: z.literal('absolute'), beta: absoluteBeta.default(0.3) }),
    ],
    { error: 'lossForm must be one of additive, multiplicative, paper, absolute' },
  ),
);

export const proxylessConfigSchema = z.strictObject({
  /** weight-step batch (training split) */
  batchSize: z.number().int().min(1).max(65536).default(64),
  /** architecture-step batch (held-out split) */
  archBatchSize: z.number().int().min(1).max(65536).default(64),
  /** weight steps with α frozen and paths uniform */
  warmupSteps: z.number().int().min(0).default(1000),
  /** weight steps after warmup (architecture steps come on top) */
  searchSteps: z.number().int().min(0).default(5000),
  /** one architecture step after every archEvery weight steps past warmup */
  archEvery: z.number().int().min(1).default(5),
  /** cosine from lr over the search steps */
  lr: z.number().positive().max(100).default(0.025),
  /** cosine from warmupLr over the warmup steps (the reference code's warm_up uses 0.05) */
  warmupLr: z.number().positive().max(100).default(0.05),
  ...sgdOptions(4e-5),
  labelSmoothing: z.number().min(0).max(1).default(0.1),
  /** the reference code's architecture loss is plain CE */
  archLabelSmoothing: z.number().min(0).max(1).default(0),
  /** α ~ N(0, alphaInitStd²) */
  alphaInitStd: z.number().min(0).max(10).default(1e-3),
  ...archAdamOptions,
  archMode: z.enum(['pair', 'echo']).default('pair'),
  variant: z.enum(['gradient', 'reinforce']).default('gradient'),
  /** ProxylessNAS-R; defaults from the reference code (rl_batch_size, rl_baseline_decay_weight, rl_tradeoff_ratio) */
  reinforce: z
    .strictObject({
      samples: z.number().int().min(1).max(1000).default(10),
      baselineDecay: z.number().min(0).max(1).default(0.99),
      tradeoff: z.number().min(0).max(10).default(0.1),
    })
    .prefault({}),
  /** none (null), or a target cost in the cost model's unit with the loss form */
  constraint: constraintSchema.nullable().default(null),
  /** a 'distribution' event after every this many architecture steps */
  distributionEvery: z.number().int().min(1).default(1),
});
export type ProxylessConfig = z.infer<typeof proxylessConfigSchema>;
export type ProxylessConfigInput = z.input<typeof proxylessConfigSchema>;

export function parseProxylessConfig(value: unknown): ProxylessConfig {
  return parseConfig('proxyless', proxylessConfigSchema, value);
}

/** What the runner calls: validates the raw options (PrunasRangeError naming the field) and builds the strategy. */
export function createProxyless(rawConfig: unknown, space: SearchSpace, cost: CostModel): ProxylessStrategy {
  return new ProxylessStrategy(parseProxylessConfig(rawConfig), space, cost);
}

/** Batches of the two splits and of the augmentation draws are separated by these stream ids. */
export const WEIGHT_BATCH_STREAM = 1;
export const ARCH_BATCH_STREAM = 2;
/** Philox stream of α's initial draw. */
const ALPHA_INIT_STREAM = 0x616c7068;

const stateSchema = z.strictObject({
  version: z.literal(1),
  alphas: z.array(z.array(z.number())).nullable(),
  adam: z.strictObject({ m: z.array(z.array(z.number())), v: z.array(z.array(z.number())), steps: z.number().int().min(0) }),
  live: z.array(z.array(z.boolean())),
  weightSteps: z.number().int().min(0),
  archSteps: z.number().int().min(0),
  draws: z.number().int().min(0),
  baseline: z.number().nullable(),
});
export type ProxylessState = z.infer<typeof stateSchema>;

export class ProxylessStrategy implements Strategy {
  readonly name = 'proxyless';
  readonly config: ProxylessConfig;
  private readonly counts: number[];
  private state: ProxylessState;
  private streams: { data: SearchData; seed: number; weights: BatchStream; arch: BatchStream } | null = null;

  constructor(
    config: ProxylessConfigInput,
    space: SearchSpace,
    private readonly cost: CostModel,
  ) {
    this.config = parseProxylessConfig(config);
    this.counts = layersOf(space).map((l) => l.candidates.length);
    checkCostModelFits('proxyless', cost, this.counts, space.name);
    checkMultiplicativeTarget('proxyless', this.config.constraint, cost);
    this.state = {
      version: 1,
      alphas: null,
      adam: adamInit(this.counts.map((n) => new Array<number>(n).fill(0))),
      live: this.counts.map((n) => new Array<boolean>(n).fill(true)),
      weightSteps: 0,
      archSteps: 0,
      draws: 0,
      baseline: null,
    };
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    this.attach(ctx);
    const unit = this.next();
    if (unit === 'arch') {
      if (this.config.variant === 'reinforce') await this.reinforceStep(ctx);
      else await this.gradientStep(ctx);
      if (this.state.archSteps % this.config.distributionEvery === 0)
        ctx.emit({ type: 'distribution', step: this.done(), probabilities: this.probabilities() });
    } else if (unit !== 'done') await this.weightStep(ctx, unit);
    return this.next() === 'done';
  }

  progress(): { done: number; total: number } {
    return { done: this.done(), total: totalUnits(this.config) };
  }

  /** argmax p per layer over the live candidates (fixed layers 0, removed layers −1). */
  derive(): number[] {
    return this.probabilities().map((p, l) => argmaxLive(p, this.state.live[l]));
  }

  /** p per layer now (uniform over the live candidates before α is drawn). */
  probabilities(): number[][] {
    return probabilitiesOf(this.alphas(), this.state.live);
  }

  saveState(): ProxylessState {
    return structuredClone(this.state);
  }

  loadState(value: unknown): void {
    const s = parseState('proxyless', stateSchema, value);
    const shaped = (name: string, rows: unknown[][] | null) => {
      if (rows && (rows.length !== this.counts.length || rows.some((r, l) => r.length !== this.counts[l])))
        throw new PrunasRangeError(`proxyless state: ${name} has rows of ${rows.map((r) => r.length).join(', ')} entries, the space's layers ${this.counts.join(', ')}`);
    };
    shaped('alphas', s.alphas);
    shaped('adam.m', s.adam.m);
    shaped('adam.v', s.adam.v);
    shaped('live', s.live);
    this.state = structuredClone(s);
  }

  // ---- units ----

  private next(): ArchScheduleUnit {
    return nextUnit(this.config, this.state.weightSteps, this.state.archSteps);
  }

  private done(): number {
    return this.state.weightSteps + this.state.archSteps;
  }

  private async weightStep(ctx: SearchContext, phase: 'warmup' | 'weights'): Promise<void> {
    const c = this.config;
    const s = this.state;
    const lr =
      phase === 'warmup' ? cosineWithWarmup(s.weightSteps, c.warmupSteps, 0, c.warmupLr) : cosineWithWarmup(s.weightSteps - c.warmupSteps, c.searchSteps, 0, c.lr);
    const probabilities = phase === 'warmup' ? probabilitiesOf(this.counts.map((n) => new Array<number>(n).fill(0)), s.live) : this.probabilities();
    const r = await ctx.net.weightStep({
      samples: this.streams!.weights.batch(s.weightSteps),
      mode: 'single',
      sample: this.sampling(ctx, probabilities),
      lr,
      momentum: c.momentum,
      nesterov: c.nesterov,
      weightDecay: c.weightDecay,
      labelSmoothing: c.labelSmoothing,
    });
    s.weightSteps += 1;
    ctx.emit({ type: 'step', phase, step: this.done(), loss: r.loss, accuracy: r.correct / r.count });
  }

  private async gradientStep(ctx: SearchContext): Promise<void> {
    const c = this.config;
    const alphas = this.alphas();
    const live = this.state.live;
    const r = await ctx.net.archStep({
      samples: this.streams!.arch.batch(this.state.archSteps),
      mode: c.archMode,
      sample: this.sampling(ctx, probabilitiesOf(alphas, live)),
      labelSmoothing: c.archLabelSmoothing,
    });
    const constrained = constraintLoss(this.cost, alphas, live, c.constraint, r.loss);
    const grads = constrained.gradAlpha;
    const update = this.updatable();
    // the candidates whose gates the step evaluated, per layer (none where α does not move)
    const involved = update.map((row, l) => {
      if (!row.some(Boolean)) return [];
      return c.archMode === 'pair' ? [r.choices![l], r.others![l]].filter((k) => k >= 0) : liveIndices(live[l]);
    });
    involved.forEach((set, l) => {
      if (set.length >= 2) gateGradient(alphas[l], set, r.gates[l]).forEach((g, k) => (grads[l][k] += constrained.dLossDCe * g));
    });
    const before = alphas.map((row) => [...row]);
    adamStep(alphas, grads, this.state.adam, this.adamSettings(), update);
    if (c.archMode === 'pair')
      involved.forEach((pair, l) => {
        if (pair.length === 2) alphas[l] = rescalePair(before[l], alphas[l], pair);
      });
    this.state.archSteps += 1;
    ctx.emit({ type: 'step', phase: 'arch', step: this.done(), loss: constrained.loss, accuracy: r.correct / r.count });
  }

  private async reinforceStep(ctx: SearchContext): Promise<void> {
    const c = this.config;
    const { samples: M, baselineDecay, tradeoff } = c.reinforce;
    const alphas = this.alphas();
    const live = this.state.live;
    const p = probabilitiesOf(alphas, live);
    const batch = this.streams!.arch.batch(this.state.archSteps);
    const drawn: { choices: number[]; reward: number }[] = [];
    let lossSum = 0;
    let accuracySum = 0;
    for (let m = 0; m < M; m++) {
      const choices = Array.from(ctx.net.samplePaths('single', this.sampling(ctx, p)).choices);
      const r = await ctx.net.archStep({ samples: batch, mode: 'single', choices, labelSmoothing: c.archLabelSmoothing });
      const accuracy = r.correct / r.count;
      drawn.push({ choices, reward: reinforceReward(accuracy, architectureCostOf(this.cost, choices), c.constraint, tradeoff) });
      lossSum += r.loss;
      accuracySum += accuracy;
    }
    const meanReward = drawn.reduce((s, d) => s + d.reward, 0) / M;
    const b = this.state.baseline === null ? meanReward : this.state.baseline + baselineDecay * (meanReward - this.state.baseline);
    this.state.baseline = b;
    const update = this.updatable();
    // ∂(−log π(choices))/∂α_i = p_i − δ_{i,choice}, weighted by the advantage
    const grads = p.map((row, l) =>
      row.map((pi, i) => (update[l][i] ? drawn.reduce((s, d) => s + (d.reward - b) * (pi - (d.choices[l] === i ? 1 : 0)), 0) / M : 0)),
    );
    adamStep(alphas, grads, this.state.adam, this.adamSettings(), update);
    this.state.archSteps += 1;
    ctx.emit({ type: 'step', phase: 'arch', step: this.done(), loss: lossSum / M, accuracy: accuracySum / M });
  }

  // ---- helpers ----

  /** Binds the run's data and seed (batch streams), draws α on first use, and reads the supernet's removals. */
  private attach(ctx: SearchContext): void {
    checkNet(ctx.net, this.counts);
    const { live, removedLayers } = ctx.net.structure();
    this.state.live = live.map((row, l) => row.map((on) => on && !removedLayers[l]));
    if (this.state.alphas === null) this.state.alphas = initialAlphas(this.counts, ctx.seed, this.config.alphaInitStd);
    if (!this.streams || this.streams.data !== ctx.data || this.streams.seed !== ctx.seed) {
      const d = ctx.data;
      this.streams = {
        data: d,
        seed: ctx.seed,
        weights: new BatchStream(d.train, d.trainIndices, this.config.batchSize, ctx.seed, WEIGHT_BATCH_STREAM, { pad: d.pad, hflip: d.hflip }),
        arch: new BatchStream(d.train, d.valIndices, this.config.archBatchSize, ctx.seed, ARCH_BATCH_STREAM, null),
      };
    }
  }

  private alphas(): number[][] {
    return this.state.alphas ?? this.counts.map((n) => new Array<number>(n).fill(0));
  }

  /** Path draw number `draws` at Philox counter draws·L: a draw takes at most 3 uniforms per layer, under L blocks of 4. */
  private sampling(ctx: SearchContext, probabilities: number[][]) {
    const counter = this.state.draws * this.counts.length;
    this.state.draws += 1;
    return { probabilities, seed: ctx.seed, counter };
  }

  /** α entries an architecture step moves: live candidates of layers with two or more of them. */
  private updatable(): boolean[][] {
    return this.state.live.map((row) => (row.filter(Boolean).length >= 2 ? [...row] : row.map(() => false)));
  }

  private adamSettings() {
    const c = this.config;
    return { lr: c.archLr, beta1: c.archBeta1, beta2: c.archBeta2, eps: c.archEps };
  }
}

/** ProxylessNAS-R's reward: accuracy, times (T/C)^w under a constraint. */
export function reinforceReward(accuracy: number, cost: number, constraint: Constraint | null, tradeoff: number): number {
  return constraint === null ? accuracy : accuracy * (constraint.target / cost) ** tradeoff;
}

function liveIndices(row: readonly boolean[]): number[] {
  return row.flatMap((on, k) => (on ? [k] : []));
}

function initialAlphas(counts: readonly number[], seed: number, std: number): number[][] {
  const draws = new Float32Array(counts.reduce((s, n) => s + n, 0));
  (native.philoxFill as (a: unknown) => void)({ out: draws, seed, stream: ALPHA_INIT_STREAM, kind: 1 });
  let at = 0;
  return counts.map((n) => Array.from({ length: n }, () => std * draws[at++]));
}

function checkNet(net: Supernet, counts: readonly number[]): void {
  const netCounts = net.candidateCounts;
  if (netCounts.length !== counts.length || netCounts.some((n, l) => n !== counts[l]))
    throw new PrunasRangeError(`proxyless: the supernet's layers (${netCounts.join(', ')} candidates) are not those of the strategy's space (${counts.join(', ')})`);
}
