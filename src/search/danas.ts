// DA-NAS, data-adapted pruning (ALGORITHMS.md, "DA-NAS"; the paper's abstract
// gives the idea, the details are ours and configurable): prune weak
// candidates early on a few easy classes, then grow the data to the full
// task while the candidate set shrinks.
//
//   warmup    weight steps on all classes, paths uniform over the candidates
//             (ProxylessNAS's warmup, α frozen)
//   evaluate  `evalPaths` paths drawn uniformly, each evaluated (eval mode) on
//             a fixed seeded subset of the validation split; per-class
//             accuracy = correct / (paths · samples of the class); difficulty
//             = 1 − accuracy, easy classes first (ties by class index; a class
//             absent from the subset counts as hardest). A `classOrder` in
//             the config replaces this phase.
//   stage k   the first max(minClasses, ⌈f_k·C⌉) classes of the order; the
//             training and validation indices filtered to them; ProxylessNAS
//             weight and architecture steps (a ProxylessStrategy over the
//             subset, no warmup of its own) for the stage's weight steps
//   prune     after every stage but the last: per layer keep the ⌈n/2⌉ live
//             candidates of highest p (never fewer than one); where that
//             would make the cheapest remaining architecture cost more than
//             the target, the weakest kept candidate is swapped for the
//             strongest dropped one that keeps it reachable
//   final     the last stage (fraction 1) runs on the full data and the
//             survivors; derive() is argmax p
//
// [ours] α, Adam's moments and the path-draw counter carry over from stage to
// stage (one architecture optimizer over the whole search); each stage
// restarts the cosine weight schedule from `lr` over its own steps and draws
// its batches with a seed derived from (seed, stage). The search's
// `searchSteps` weight steps are split over the stages in proportion to
// their class counts (or given per stage as `stageSteps`).
//
// Cost: every unit's wall time, process CPU time and images (weight,
// architecture and evaluation batches) are summed per stage; after each
// stage an 'epoch' event {epoch: stage, classes, candidatesLeft, weightSteps,
// archSteps, images, seconds, cpuSeconds} and a message; at the end a
// message comparing the total with an estimate for a plain ProxylessNAS run
// of the same weight and architecture steps on the full supernet and data:
// its images times the time per image measured while the supernet was still
// whole (warmup and stage 1 weight steps; stage 1 architecture steps). It is
// an estimate, not a measurement. CPU time is reported beside wall time
// because on a shared machine the wall time of the same work varies by
// multiples.
//
// Each advance() is one unit (a weight step, an architecture step, one
// evaluated path, or one pruning). All randomness is counter-addressed
// (ProxylessStrategy's draws and batch streams, the evaluation paths at
// fixed counters), so a search resumed at any unit ends identical; only the
// measured seconds differ.
import { z } from 'zod';
import { classSubset } from '../data/splits.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import { probabilitiesOf } from './alpha.js';
import { parseConfig, parseState } from './config.js';
import { architectureCostOf, checkCostModelFits, costRange, type CostModel } from './cost-model.js';
import { evaluationSamples } from './evaluation.js';
import { ProxylessStrategy, proxylessConfigSchema, type ProxylessConfigInput, type ProxylessState } from './proxyless.js';
import type { SearchContext, SearchData, SearchEvent, Strategy } from './strategy.js';

export const danasConfigSchema = proxylessConfigSchema
  .extend({
    /** weight steps on all classes before the difficulty evaluation (uniform paths, α frozen) */
    warmupSteps: z.number().int().min(0).default(1000),
    /** weight steps over all stages, split in proportion to the stages' class counts */
    searchSteps: z.number().int().min(1).default(5000),
    /** per stage: the share of the classes it trains on; non-decreasing, the last 1 */
    fractions: z.array(z.number().gt(0).max(1)).min(1).max(64).default([0.25, 0.5, 0.75, 1]),
    /** a stage never trains on fewer classes than this (one class teaches the architecture nothing) */
    minClasses: z.number().int().min(1).default(2),
    /** easy classes first; null: from the warmup's per-class validation accuracy */
    classOrder: z.array(z.number().int().min(0)).nullable().default(null),
    /** weight steps per stage instead of the proportional split of searchSteps */
    stageSteps: z.array(z.number().int().min(1)).nullable().default(null),
    /** paths drawn uniformly and evaluated for the per-class accuracy */
    evalPaths: z.number().int().min(1).max(10000).default(8),
    /** validation samples of the per-class evaluation (a fixed seeded subset) */
    valSamples: z.number().int().min(1).max(1e7).default(1000),
    evalBatchSize: z.number().int().min(1).max(65536).default(500),
  })
  .superRefine((c, ctx) => {
    const f = c.fractions;
    if (f.some((v, i) => i > 0 && v < f[i - 1])) ctx.addIssue({ code: 'custom', path: ['fractions'], message: `must not decrease, got [${f.join(', ')}]` });
    else if (f[f.length - 1] !== 1) ctx.addIssue({ code: 'custom', path: ['fractions'], message: `the last stage trains on all classes (1), got ${f[f.length - 1]}` });
    if (c.stageSteps && c.stageSteps.length !== f.length)
      ctx.addIssue({ code: 'custom', path: ['stageSteps'], message: `${c.stageSteps.length} entries for the ${f.length} stages` });
  });
export type DanasConfig = z.infer<typeof danasConfigSchema>;
export type DanasConfigInput = z.input<typeof danasConfigSchema>;

/**
 * What the runner calls. `target` is the search's cost target; the config's
 * own constraint.target wins. With a target, no pruning makes it
 * unreachable (and ProxylessNAS's loss uses it when `constraint` is set).
 */
export function createDanas(rawConfig: unknown, space: SearchSpace, cost: CostModel, target?: number): DanasStrategy {
  const config = parseConfig('danas', danasConfigSchema, rawConfig);
  return new DanasStrategy(config, space, cost, config.constraint?.target ?? target);
}

// ---- the schedule, pure ----

/** Classes per stage: max(minClasses, ⌈f·C⌉), at most C (⌈·⌉ with a 1e-9 slack, so 0.3·10 is 3). */
export function stageClassCounts(fractions: readonly number[], classes: number, minClasses: number): number[] {
  return fractions.map((f) => Math.min(classes, Math.max(minClasses, Math.ceil(f * classes - 1e-9))));
}

/** `total` steps split in proportion to `weights` by cumulative rounding (they sum to `total`). */
export function proportionalSteps(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let before = 0;
  let cumulative = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((total * cumulative) / sum);
    const steps = upTo - before;
    before = upTo;
    return steps;
  });
}

/** Classes by increasing difficulty (ties by index); NaN counts as hardest. */
export function easyFirst(difficulty: readonly number[]): number[] {
  const d = difficulty.map((v) => (Number.isNaN(v) ? Infinity : v));
  return d.map((_, c) => c).sort((a, b) => d[a] - d[b] || a - b);
}

/** Candidates a layer with n live ones keeps after a stage. */
export function keepCount(n: number): number {
  return Math.max(1, Math.ceil(n / 2));
}

export interface Pruning {
  layer: number;
  candidate: number;
  reason: string;
}

/**
 * The live mask after a pruning: per layer the ⌈n/2⌉ live candidates of
 * highest p (ties to the lower index). With a target, layers are taken in
 * order and a layer whose top set would leave the cheapest architecture above
 * it swaps its weakest kept candidate for the strongest dropped one that keeps
 * the target reachable (keeping the layer's cheapest always does, while the
 * target is reachable before the pruning).
 */
export function survivorsOf(
  probabilities: readonly (readonly number[])[],
  live: readonly (readonly boolean[])[],
  cost: CostModel,
  target?: number,
): { live: boolean[][]; removed: Pruning[] } {
  const next = live.map((row) => [...row]);
  const removed: Pruning[] = [];
  if (target !== undefined && costRange(cost, next).min > target)
    throw new PrunasError(`danas: the target ${target} ${cost.unit} is already out of reach of the live candidates`);
  next.forEach((row, l) => {
    const ops = row.flatMap((on, j) => (on ? [j] : []));
    if (ops.length < 2) return;
    const p = probabilities[l];
    const byP = [...ops].sort((a, b) => p[b] - p[a] || a - b);
    const k = keepCount(ops.length);
    const withKept = (kept: readonly number[]) => {
      const mask = next.map((r) => [...r]);
      mask[l] = row.map((_, j) => kept.includes(j));
      return mask;
    };
    let kept = byP.slice(0, k);
    let swapped: number | null = null;
    if (target !== undefined && costRange(cost, withKept(kept)).min > target) {
      const replacement = byP.slice(k).find((j) => costRange(cost, withKept([...byP.slice(0, k - 1), j])).min <= target);
      if (replacement === undefined) throw new PrunasError(`danas: no survivors of layer ${l} keep the target ${target} ${cost.unit} reachable`);
      swapped = byP[k - 1];
      kept = [...byP.slice(0, k - 1), replacement];
    }
    for (const j of ops)
      if (!kept.includes(j)) {
        const why =
          j === swapped
            ? `in the top ${k} of ${ops.length} by p, dropped to keep the target ${target} ${cost.unit} reachable`
            : `outside the top ${k} of ${ops.length} by p`;
        removed.push({ layer: l, candidate: j, reason: `${why} (p = ${p[j].toPrecision(4)})` });
      }
    next[l] = row.map((_, j) => kept.includes(j));
  });
  return { live: next, removed };
}

// ---- state ----

const stageCostSchema = z.strictObject({
  weightSteps: z.number().int().min(0),
  archSteps: z.number().int().min(0),
  evaluations: z.number().int().min(0),
  images: z.number().int().min(0),
  seconds: z.number().min(0),
  cpuSeconds: z.number().min(0),
});
type StageCost = z.infer<typeof stageCostSchema>;

const timedImagesSchema = z.strictObject({ images: z.number().min(0), seconds: z.number().min(0), cpuSeconds: z.number().min(0) });
type TimedImages = z.infer<typeof timedImagesSchema>;

const stateSchema = z.strictObject({
  version: z.literal(1),
  phase: z.enum(['warmup', 'evaluate', 'stage', 'prune', 'done']),
  /** the current (or just finished) stage, 0-based */
  stage: z.number().int().min(0),
  classOrder: z.array(z.number().int().min(0)).nullable(),
  /** paths evaluated so far and their correct answers per class */
  evaluated: z.number().int().min(0),
  perClassCorrect: z.array(z.number().int().min(0)),
  /** weight and architecture steps of the finished ProxylessNAS phases (numbers the events) */
  stepsBefore: z.number().int().min(0),
  unitsDone: z.number().int().min(0),
  /** the current ProxylessNAS phase's state (warmup or stage), validated by ProxylessStrategy */
  proxyless: z.unknown(),
  /** [0] warmup and evaluation, [k] stage k (its pruning included) */
  costs: z.array(stageCostSchema),
  /** units run on the whole supernet, for the plain ProxylessNAS estimate */
  whole: z.strictObject({ weights: timedImagesSchema, arch: timedImagesSchema }),
  /** images per weight and architecture step on the full data (fixed at the first advance) */
  fullBatch: z.strictObject({ weights: z.number().int().min(0), arch: z.number().int().min(0) }).nullable(),
});
type DanasState = z.infer<typeof stateSchema>;

export interface DanasCostReport {
  stages: (StageCost & { stage: number; classes: number })[];
  total: TimedImages;
  /** a plain ProxylessNAS run of the same steps on the full supernet and data: its images, and its time estimated at the whole supernet's measured time per image */
  plain: { weightSteps: number; archSteps: number; images: number; estimatedSeconds: number; estimatedCpuSeconds: number };
}

/** Philox sample-stream counters of the evaluation paths, apart from ProxylessNAS's draws (n·L). */
const EVALUATION_PATH_COUNTER = 2 ** 46;

export class DanasStrategy implements Strategy {
  readonly name = 'danas';
  private readonly counts: number[];
  private readonly classCounts: number[];
  private readonly stageSteps: number[];
  private state: DanasState;
  private child: ProxylessStrategy;
  private bound: { data: SearchData; stage: number; stageData: SearchData; stageSeed: number } | null = null;
  private validation: { data: SearchData; indices: Int32Array } | null = null;

  constructor(
    readonly config: DanasConfig,
    private readonly space: SearchSpace,
    private readonly cost: CostModel,
    readonly target?: number,
  ) {
    this.counts = layersOf(space).map((l) => l.candidates.length);
    checkCostModelFits('danas', cost, this.counts, space.name);
    const classes = space.classes;
    const order = config.classOrder;
    if (order && (order.length !== classes || new Set(order).size !== classes || order.some((c) => c >= classes)))
      throw new PrunasRangeError(`danas config: classOrder: must be a permutation of the ${classes} classes 0..${classes - 1} of ${space.name}, got [${order.join(', ')}]`);
    if (target !== undefined && target < costRange(cost).min)
      throw new PrunasRangeError(`danas config: target ${target} ${cost.unit} is below the cheapest architecture of ${space.name} (${costRange(cost).min.toFixed(3)} ${cost.unit})`);
    this.classCounts = stageClassCounts(config.fractions, classes, config.minClasses);
    this.stageSteps = config.stageSteps ?? proportionalSteps(config.searchSteps, this.classCounts);
    const empty = this.stageSteps.findIndex((n) => n < 1);
    if (empty >= 0)
      throw new PrunasRangeError(`danas config: searchSteps: ${config.searchSteps} weight steps leave stage ${empty + 1} of ${this.stageSteps.length} without any (split ${this.stageSteps.join(', ')})`);
    this.state = {
      version: 1,
      phase: config.warmupSteps > 0 ? 'warmup' : order ? 'stage' : 'evaluate',
      stage: 0,
      classOrder: order ? [...order] : null,
      evaluated: 0,
      perClassCorrect: new Array<number>(classes).fill(0),
      stepsBefore: 0,
      unitsDone: 0,
      proxyless: null,
      costs: Array.from({ length: config.fractions.length + 1 }, () => ({ weightSteps: 0, archSteps: 0, evaluations: 0, images: 0, seconds: 0, cpuSeconds: 0 })),
      whole: { weights: { images: 0, seconds: 0, cpuSeconds: 0 }, arch: { images: 0, seconds: 0, cpuSeconds: 0 } },
      fullBatch: null,
    };
    this.child = this.proxylessFor(this.state.phase === 'stage' ? 0 : 'warmup');
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    ctx.signal?.throwIfAborted();
    const s = this.state;
    if (s.phase === 'done') return true;
    this.checkNet(ctx);
    s.fullBatch ??= { weights: Math.min(this.config.batchSize, ctx.data.trainIndices.length), arch: this.archImages(ctx.data.valIndices.length) };
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const record = s.costs[s.phase === 'warmup' || s.phase === 'evaluate' ? 0 : s.stage + 1];
    const whole = s.phase === 'warmup' || (s.phase === 'stage' && s.stage === 0);
    let unit: { kind: 'weights' | 'arch' | 'evaluate' | 'prune'; images: number };
    if (s.phase === 'evaluate') unit = await this.evaluate(ctx);
    else if (s.phase === 'prune') unit = this.prune(ctx);
    else unit = await this.proxylessUnit(ctx);
    const cpu = process.cpuUsage(cpuStarted);
    const spent = { images: unit.images, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    addTimed(record, spent);
    if (unit.kind === 'weights') record.weightSteps++;
    if (unit.kind === 'arch') record.archSteps++;
    if (unit.kind === 'evaluate') record.evaluations++;
    if (whole && (unit.kind === 'weights' || unit.kind === 'arch')) addTimed(s.whole[unit.kind === 'weights' ? 'weights' : 'arch'], spent);
    s.unitsDone++;
    this.transition(ctx);
    return this.finished();
  }

  finished(): boolean {
    return this.state.phase === 'done';
  }

  progress(): { done: number; total: number } {
    const c = this.config;
    const evaluations = c.classOrder ? 0 : c.evalPaths;
    const stages = this.stageSteps.reduce((sum, n) => sum + n + Math.floor(n / c.archEvery), 0);
    return { done: this.state.unitsDone, total: c.warmupSteps + evaluations + stages + this.stageSteps.length - 1 };
  }

  /** argmax p per layer over the live candidates (the survivors once the search is done). */
  derive(): number[] {
    return this.child.derive();
  }

  /** p per layer now (removed candidates 0). */
  probabilities(): number[][] {
    return this.child.probabilities();
  }

  /** The class order (easy first), once known. */
  classOrder(): number[] | null {
    return this.state.classOrder ? [...this.state.classOrder] : null;
  }

  /** Classes and weight steps of every stage. */
  schedule(): { classes: number; weightSteps: number }[] {
    return this.classCounts.map((classes, k) => ({ classes, weightSteps: this.stageSteps[k] }));
  }

  costReport(): DanasCostReport {
    const s = this.state;
    const stages = s.costs.map((c, k) => ({ stage: k, classes: k === 0 ? this.space.classes : this.classCounts[k - 1], ...c }));
    const weightSteps = stages.reduce((sum, c) => sum + c.weightSteps, 0);
    const archSteps = stages.reduce((sum, c) => sum + c.archSteps, 0);
    const batch = s.fullBatch ?? { weights: 0, arch: 0 };
    const plainWeightImages = weightSteps * batch.weights;
    const plainArchImages = archSteps * batch.arch;
    // time per image on the whole supernet; architecture steps at the weight steps' rate if none ran on it
    const estimate = (field: 'seconds' | 'cpuSeconds') => {
      const { weights, arch } = s.whole;
      const weightRate = weights.images > 0 ? weights[field] / weights.images : 0;
      const archRate = arch.images > 0 ? arch[field] / arch.images : weightRate;
      return plainWeightImages * weightRate + plainArchImages * archRate;
    };
    const total = { images: 0, seconds: 0, cpuSeconds: 0 };
    for (const c of stages) addTimed(total, c);
    return {
      stages,
      total,
      plain: { weightSteps, archSteps, images: plainWeightImages + plainArchImages, estimatedSeconds: estimate('seconds'), estimatedCpuSeconds: estimate('cpuSeconds') },
    };
  }

  saveState(): DanasState {
    return { ...structuredClone(this.state), proxyless: this.child.saveState() };
  }

  loadState(value: unknown): void {
    const s = parseState('danas', stateSchema, value);
    const stages = this.config.fractions.length;
    if (s.stage >= stages || s.costs.length !== stages + 1 || s.perClassCorrect.length !== this.space.classes)
      throw new PrunasRangeError(`danas state: its stages or classes are not those of this config (${stages} stages, ${this.space.classes} classes)`);
    const child = this.proxylessFor(s.phase === 'warmup' || s.phase === 'evaluate' ? 'warmup' : s.stage);
    if (s.proxyless !== null) child.loadState(s.proxyless);
    this.state = structuredClone({ ...s, proxyless: null });
    this.child = child;
    this.bound = null;
  }

  // ---- units ----

  /** One ProxylessNAS unit of the warmup or of the current stage, its events numbered over the whole search. */
  private async proxylessUnit(ctx: SearchContext): Promise<{ kind: 'weights' | 'arch'; images: number }> {
    const s = this.state;
    const { data, seed } = s.phase === 'warmup' ? { data: ctx.data, seed: ctx.seed } : this.stageData(ctx);
    let phase = 'weights';
    const emit = (e: SearchEvent) => {
      if (e.type === 'step') phase = e.phase;
      ctx.emit(e.type === 'step' || e.type === 'distribution' ? { ...e, step: e.step + s.stepsBefore } : e);
    };
    await this.child.advance({ ...ctx, data, seed, emit });
    return phase === 'arch' ? { kind: 'arch', images: this.archImages(data.valIndices.length) } : { kind: 'weights', images: Math.min(this.config.batchSize, data.trainIndices.length) };
  }

  /** One path drawn uniformly over the live candidates, evaluated on the fixed validation subset; correct answers added per class. */
  private async evaluate(ctx: SearchContext): Promise<{ kind: 'evaluate'; images: number }> {
    const s = this.state;
    const indices = this.validationSubset(ctx);
    const live = ctx.net.structure().live;
    const uniform = probabilitiesOf(live.map((row) => row.map(() => 0)), live);
    const choices = Array.from(ctx.net.samplePaths('single', { probabilities: uniform, seed: ctx.seed, counter: EVALUATION_PATH_COUNTER + s.evaluated * this.counts.length }).choices);
    const r = await ctx.net.evaluate({ samples: { dataset: ctx.data.train, indices }, choices, batchSize: this.config.evalBatchSize });
    r.perClassCorrect.forEach((n, c) => {
      if (c < s.perClassCorrect.length) s.perClassCorrect[c] += n;
    });
    s.evaluated++;
    ctx.emit({ type: 'evaluate', step: s.stepsBefore, choices, accuracy: r.correct / r.count, cost: architectureCostOf(this.cost, choices) });
    return { kind: 'evaluate', images: indices.length };
  }

  /** Removes the weaker half of every layer's live candidates (by the stage's p), within the target. */
  private prune(ctx: SearchContext): { kind: 'prune'; images: number } {
    const s = this.state;
    const { live, removedLayers } = ctx.net.structure();
    const current = live.map((row, l) => row.map((on) => on && !removedLayers[l]));
    const { live: next, removed } = survivorsOf(this.child.probabilities(), current, this.cost, this.target);
    const names = layersOf(this.space).map((l) => l.name);
    for (const { layer, candidate, reason } of removed) {
      ctx.net.removeCandidate(layer, candidate);
      ctx.emit({ type: 'prune', step: s.stepsBefore, layer, candidate, reason: `${reason} in layer ${names[layer]} after stage ${s.stage + 1}` });
    }
    const alphas = this.child.saveState().alphas ?? this.counts.map((n) => new Array<number>(n).fill(0));
    ctx.emit({ type: 'distribution', step: s.stepsBefore, probabilities: probabilitiesOf(alphas, next) });
    return { kind: 'prune', images: 0 };
  }

  /** Phase changes after a unit: the class order after the evaluations, stage reports, the next stage's ProxylessNAS with α carried over. */
  private transition(ctx: SearchContext): void {
    const s = this.state;
    const c = this.config;
    const lastStage = s.stage === c.fractions.length - 1;
    if (s.phase === 'warmup' && this.childDone()) {
      this.finishPhase();
      if (s.classOrder) {
        this.report(ctx, 0);
        this.startStage(ctx, 0);
      } else s.phase = 'evaluate';
    } else if (s.phase === 'evaluate' && s.evaluated >= c.evalPaths) {
      s.classOrder = this.orderFromEvaluation(ctx);
      this.report(ctx, 0);
      this.startStage(ctx, 0);
    } else if (s.phase === 'stage' && this.childDone()) {
      this.finishPhase();
      if (lastStage) {
        s.phase = 'done';
        this.report(ctx, s.stage + 1);
        this.summary(ctx);
      } else s.phase = 'prune';
    } else if (s.phase === 'prune') {
      this.report(ctx, s.stage + 1);
      this.startStage(ctx, s.stage + 1);
    }
  }

  private childDone(): boolean {
    const p = this.child.progress();
    return p.done >= p.total;
  }

  private finishPhase(): void {
    this.state.stepsBefore += this.child.progress().done;
  }

  /** A stage's ProxylessNAS from the previous phase's state: α, Adam and draw counter kept, the supernet's live mask, step counters and baseline reset. */
  private startStage(ctx: SearchContext, stage: number): void {
    const s = this.state;
    const previous: ProxylessState = this.child.saveState();
    const { live, removedLayers } = ctx.net.structure();
    this.child = this.proxylessFor(stage);
    this.child.loadState({ ...previous, live: live.map((row, l) => row.map((on) => on && !removedLayers[l])), weightSteps: 0, archSteps: 0, baseline: null });
    s.stage = stage;
    s.phase = 'stage';
    this.bound = null;
  }

  private orderFromEvaluation(ctx: SearchContext): number[] {
    const s = this.state;
    const labels = ctx.data.train.labels;
    const perClass = new Array<number>(this.space.classes).fill(0);
    for (const i of this.validationSubset(ctx)) if (labels[i] < perClass.length) perClass[labels[i]]++;
    const accuracy = perClass.map((n, k) => (n > 0 ? s.perClassCorrect[k] / (n * s.evaluated) : NaN));
    const order = easyFirst(accuracy.map((a) => 1 - a));
    ctx.emit({
      type: 'message',
      text: `danas: class order, easy first: ${order.join(', ')} (per-class validation accuracy of ${s.evaluated} uniform paths after warmup: ${order.map((k) => `${k}: ${Number.isNaN(accuracy[k]) ? 'no samples' : accuracy[k].toFixed(3)}`).join(', ')})`,
    });
    return order;
  }

  // ---- reports ----

  private report(ctx: SearchContext, stage: number): void {
    const c = this.state.costs[stage];
    const classes = stage === 0 ? this.space.classes : this.classCounts[stage - 1];
    const live = ctx.net.structure().live;
    const candidatesLeft = live.reduce((sum, row, l) => (this.counts[l] > 1 ? sum + row.filter(Boolean).length : sum), 0);
    ctx.emit({ type: 'epoch', epoch: stage, classes, candidatesLeft, weightSteps: c.weightSteps, archSteps: c.archSteps, images: c.images, seconds: c.seconds, cpuSeconds: c.cpuSeconds });
    const name = stage === 0 ? 'warmup' : `stage ${stage}/${this.classCounts.length}`;
    const work = `${c.weightSteps} weight and ${c.archSteps} architecture steps${c.evaluations > 0 ? `, ${c.evaluations} evaluations` : ''}`;
    ctx.emit({ type: 'message', text: `danas: ${name} on ${classes} classes: ${work}, ${c.images} images in ${c.seconds.toFixed(2)} s (CPU ${c.cpuSeconds.toFixed(2)} s); ${candidatesLeft} candidates left` });
  }

  private summary(ctx: SearchContext): void {
    const { total, plain } = this.costReport();
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
    ctx.emit({
      type: 'message',
      text:
        `danas: ${total.images} images in ${total.seconds.toFixed(2)} s (CPU ${total.cpuSeconds.toFixed(2)} s) over warmup and ${this.classCounts.length} stages; ` +
        `a plain ProxylessNAS run of the same ${plain.weightSteps} weight and ${plain.archSteps} architecture steps on the full supernet and data: ` +
        `${plain.images} images, estimated ${plain.estimatedSeconds.toFixed(2)} s (CPU ${plain.estimatedCpuSeconds.toFixed(2)} s) at the whole supernet's measured time per image ` +
        `(an estimate, not a run); DA-NAS / plain: ${ratio(total.seconds, plain.estimatedSeconds)} wall, ${ratio(total.cpuSeconds, plain.estimatedCpuSeconds)} CPU`,
    });
  }

  // ---- helpers ----

  private proxylessFor(phase: 'warmup' | number): ProxylessStrategy {
    const { fractions: _f, minClasses: _m, classOrder: _o, stageSteps: _s, evalPaths: _p, valSamples: _v, evalBatchSize: _b, warmupSteps, searchSteps: _t, ...proxyless } = this.config;
    const config: ProxylessConfigInput = phase === 'warmup' ? { ...proxyless, warmupSteps, searchSteps: 0 } : { ...proxyless, warmupSteps: 0, searchSteps: this.stageSteps[phase] };
    try {
      return new ProxylessStrategy(config, this.space, this.cost);
    } catch (e) {
      if (e instanceof PrunasRangeError) throw new PrunasRangeError(e.message.replace(/^proxyless config:/, 'danas config:'));
      throw e;
    }
  }

  /** Images of an architecture step on a validation split of `size` (REINFORCE scores `samples` paths on the batch). */
  private archImages(size: number): number {
    const c = this.config;
    return Math.min(c.archBatchSize, size) * (c.variant === 'reinforce' ? c.reinforce.samples : 1);
  }

  /** The current stage's classes, its filtered indices and batch seed (cached per data and stage). */
  private stageData(ctx: SearchContext): { data: SearchData; seed: number } {
    const s = this.state;
    if (!this.bound || this.bound.data !== ctx.data || this.bound.stage !== s.stage) {
      const classes = s.classOrder!.slice(0, this.classCounts[s.stage]);
      const labels = ctx.data.train.labels;
      const stageData = { ...ctx.data, trainIndices: classSubset(ctx.data.trainIndices, labels, classes), valIndices: classSubset(ctx.data.valIndices, labels, classes) };
      const where = `danas: stage ${s.stage + 1} (classes ${classes.join(', ')})`;
      if (stageData.trainIndices.length === 0) throw new PrunasError(`${where} has no training samples`);
      if (stageData.valIndices.length === 0) throw new PrunasError(`${where} has no validation samples`);
      this.bound = { data: ctx.data, stage: s.stage, stageData, stageSeed: stageSeed(ctx.seed, s.stage + 1) };
    }
    return { data: this.bound.stageData, seed: this.bound.stageSeed };
  }

  private validationSubset(ctx: SearchContext): Int32Array {
    if (!this.validation || this.validation.data !== ctx.data)
      this.validation = { data: ctx.data, indices: evaluationSamples(ctx.data, this.config.valSamples, 0, ctx.seed).validation };
    return this.validation.indices;
  }

  private checkNet(ctx: SearchContext): void {
    const n = ctx.net.candidateCounts;
    if (n.length !== this.counts.length || n.some((k, l) => k !== this.counts[l]))
      throw new PrunasRangeError(`danas: the supernet's layers (${n.join(', ')} candidates) are not those of ${this.space.name} (${this.counts.join(', ')})`);
  }
}

function addTimed(into: TimedImages, spent: TimedImages): void {
  into.images += spent.images;
  into.seconds += spent.seconds;
  into.cpuSeconds += spent.cpuSeconds;
}

const MASK64 = (1n << 64n) - 1n;

/** A stage's batch seed: splitmix64 of (seed, stage), 53 bits. */
export function stageSeed(seed: number, stage: number): number {
  let z = (BigInt(seed) + BigInt(stage) * 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return Number((z ^ (z >> 31n)) >> 11n);
}
