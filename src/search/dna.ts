// DNA, block-wise distillation (ALGORITHMS.md, "DNA"). A teacher (a network
// `prunas train` trained, of an architecture of the same space) is cut at
// its stage boundaries; each stage of the space with a searchable layer is a
// student block: a block supernet (engine/plan.ts, blockPlan) whose input is
// the teacher's previous-stage feature map and whose loss is the MSE to the
// teacher's output of the stage.
//
// The stem and stages without a searchable layer are not searched: a block
// starts from the teacher's own features there (the first block reads the
// teacher's stem output, or the output of the fixed `first` stage in the
// proxyless spaces). Fixed layers inside a searchable stage belong to the
// block and are trained with it.
//
//   training  per batch, one teacher forward (BN in train mode by default,
//             as DNA's teacher runs) gives every stage's features; each
//             block then takes one Adam step on a path drawn uniformly per
//             layer (`single`); blocks are independent and share the batch.
//             lr × lrDecay per epoch.
//   ranking   every encoding (one candidate per layer of the block): BN
//             recalibrated on one fixed training batch (statistics reset,
//             momentum 1), then evaluated on fixed validation batches;
//             metrics MSE, MSE/var(Y), mean|Ŷ−Y|/std(Y).
//   assembly  per block, encodings sorted by the chosen metric; a nested
//             traversal in that order with per-block budgets (what is left
//             after the blocks chosen so far, less the cheapest cost of the
//             later blocks) finds the architecture of least Σ block metric
//             within the budget (macs, params or latency).
//
// The block supernets' weights live in memory; after every step the sampled
// path's parameters (with their Adam state) are copied into the search's
// supernet (ctx.net, same layer and candidate indices), which the runner
// checkpoints. A resumed search rebuilds the blocks from it and reloads the
// teacher from its checkpoint file. BN running statistics of the blocks are
// not kept: every evaluation recalibrates them first.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { blockPlan, planOf } from '../engine/plan.js';
import { Supernet, type BlockSamples } from '../engine/supernet.js';
import { PrunasError, PrunasRangeError } from '../errors.js';
import { architectureOps, validateArchitecture } from '../space/architecture.js';
import { layersOf, type LayerInfo } from '../space/shapes.js';
import { validateSpace, type SearchSpace, type Shape } from '../space/spec.js';
import { readCheckpoint } from '../train/checkpoint.js';
import { fixedSpace } from '../train/fixed.js';
import { parseConfig, parseState } from './config.js';
import { checkCostModelFits, flopsCostModel, spaceCosts, type CostModel } from './cost-model.js';
import { BatchStream, type SearchContext, type Strategy } from './strategy.js';

export const DNA_METRICS = ['mse', 'mse_var', 'l1_std'] as const;
export type DnaMetric = (typeof DNA_METRICS)[number];

export const dnaConfigSchema = z.strictObject({
  /** a `prunas train` checkpoint of an architecture of the search space */
  teacher: z.string().min(1),
  /** training epochs (all blocks train on every batch) */
  epochs: z.number().int().min(1).max(10000).default(1),
  /** steps per epoch; default: the training split in whole batches */
  stepsPerEpoch: z.number().int().min(1).max(1e9).optional(),
  batchSize: z.number().int().min(1).max(65536).default(64),
  lr: z.number().positive().max(10).default(2e-3),
  /** lr multiplier per epoch */
  lrDecay: z.number().positive().max(1).default(0.9),
  weightDecay: z.number().min(0).max(1).default(1e-4),
  /** BN of the teacher: batch statistics (DNA) or its running statistics */
  teacherBn: z.enum(['train', 'eval']).default('train'),
  /** fixed validation batches (of batchSize) each encoding is ranked on */
  rankBatches: z.number().int().min(1).max(10000).default(2),
  /** ranking metric; the normalised ones weigh blocks alike in the sum */
  metric: z.enum(DNA_METRICS).default('mse_var'),
  /** what the target bounds; default: the search's cost model */
  budget: z.enum(['macs', 'params', 'latency']).optional(),
  /** in the budget's unit (MMACs, millions of parameters, ms); none: the best Σ block metric */
  target: z.number().positive().optional(),
});
export type DnaConfig = z.infer<typeof dnaConfigSchema>;

/** One student block: the layers of a stage with a searchable layer. */
export interface DnaBlock {
  stage: string;
  /** supernet layer indices, inclusive */
  first: number;
  last: number;
  input: Shape;
  /** candidates per layer of the block (fixed layers: 1) */
  counts: number[];
  encodings: number;
}

/** The blocks of a space: every stage holding a searchable layer. */
export function dnaBlocks(space: SearchSpace): DnaBlock[] {
  const layers = layersOf(space);
  return space.stages.flatMap((stage) => {
    const own = layers.filter((l) => l.stage === stage.name);
    if (!own.some((l) => l.searchable)) return [];
    const counts = own.map((l) => l.candidates.length);
    return [{ stage: stage.name, first: own[0].index, last: own[own.length - 1].index, input: own[0].input, counts, encodings: counts.reduce((a, b) => a * b, 1) }];
  });
}

/** Block-local choices of encoding e: layer digits in order, the last layer varying fastest. */
export function decodeEncoding(counts: readonly number[], e: number): number[] {
  const out = new Array<number>(counts.length);
  for (let l = counts.length - 1; l >= 0; l--) {
    out[l] = e % counts[l];
    e = Math.floor(e / counts[l]);
  }
  return out;
}

export function encodeChoices(counts: readonly number[], choices: readonly number[]): number {
  return choices.reduce((e, c, l) => e * counts[l] + c, 0);
}

export interface AssemblyItem {
  score: number;
  cost: number;
}

export interface Assembly {
  /** per block, the chosen item */
  picks: number[];
  score: number;
  cost: number;
  /** partial architectures the traversal visited */
  visited: number;
}

/**
 * The pick per block of least Σ score with Σ cost ≤ budget (null when none
 * fits): DNA's traversal of the per-block lists sorted by score, depth
 * first, skipping an item when the cheapest completion would exceed the
 * budget and leaving a list as soon as its score cannot beat the best found.
 */
export function assemble(blocks: readonly (readonly AssemblyItem[])[], budget = Infinity): Assembly | null {
  const B = blocks.length;
  const order = blocks.map((items) => items.map((_, i) => i).sort((a, b) => items[a].score - items[b].score || items[a].cost - items[b].cost || a - b));
  const minCostAfter = new Array<number>(B + 1).fill(0);
  const minScoreAfter = new Array<number>(B + 1).fill(0);
  for (let b = B - 1; b >= 0; b--) {
    minCostAfter[b] = minCostAfter[b + 1] + Math.min(...blocks[b].map((i) => i.cost));
    minScoreAfter[b] = minScoreAfter[b + 1] + Math.min(...blocks[b].map((i) => i.score));
  }
  let best: Assembly | null = null;
  let visited = 0;
  const picks = new Array<number>(B).fill(-1);
  const visit = (b: number, score: number, cost: number): void => {
    for (const i of order[b]) {
      const item = blocks[b][i];
      const s = score + item.score;
      if (best && s + minScoreAfter[b + 1] >= best.score) return; // sorted: no later item does better
      const c = cost + item.cost;
      if (c + minCostAfter[b + 1] > budget) continue;
      visited++;
      picks[b] = i;
      if (b === B - 1) {
        best = { picks: [...picks], score: s, cost: c, visited: 0 };
        return; // the first that fits is this prefix's best
      }
      visit(b + 1, s, c);
    }
  };
  if (B > 0) visit(0, 0, 0);
  const found = best as Assembly | null;
  return found ? { ...found, visited } : null;
}

/**
 * Kendall's τ-b between two score lists over the same items (ties in either
 * list count as neither concordant nor discordant and shrink the
 * denominator); NaN when either list is constant.
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new PrunasRangeError(`kendallTau: lists of ${a.length} and ${b.length} items`);
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i] - a[j]);
      const y = Math.sign(b[i] - b[j]);
      if (x === 0 && y === 0) continue;
      if (x === 0) tiesA++;
      else if (y === 0) tiesB++;
      else if (x === y) concordant++;
      else discordant++;
    }
  return (concordant - discordant) / Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
}

/** The three metrics from the engine's regression sums. */
export function dnaMetrics(s: { squared: number; absolute: number; target: number; targetSquared: number; values: number }): Record<DnaMetric, number> {
  const mse = s.squared / s.values;
  const mean = s.target / s.values;
  const variance = Math.max(s.targetSquared / s.values - mean * mean, 1e-12);
  return { mse, mse_var: mse / variance, l1_std: s.absolute / s.values / Math.sqrt(variance) };
}

/** `target`, when given, is the search's cost target in the cost model's unit (the config's own `target` wins). */
export function createDna(rawConfig: unknown, space: SearchSpace, cost: CostModel, target?: number): DnaStrategy {
  const config = parseConfig('dna', dnaConfigSchema, rawConfig);
  if (!existsSync(config.teacher)) throw new PrunasRangeError(`dna config: teacher: no file ${config.teacher}`);
  const table = budgetTable(config, space, cost);
  if (config.target === undefined && target !== undefined && table.unit !== cost.unit)
    throw new PrunasRangeError(`dna config: the target ${target} is in ${cost.unit}, the budget ${config.budget} in ${table.unit}; give target in the config`);
  return new DnaStrategy({ ...config, target: config.target ?? target }, space, table);
}

interface CostTable {
  unit: string;
  fixed: number;
  candidates: readonly (readonly number[])[];
}

function budgetTable(config: DnaConfig, space: SearchSpace, cost: CostModel): CostTable {
  switch (config.budget) {
    case undefined:
      return cost;
    case 'macs':
      return cost.unit === 'MMACs' ? cost : flopsCostModel(space);
    case 'latency':
      if (cost.unit !== 'ms') throw new PrunasRangeError(`dna config: budget latency needs a latency cost model (a latency table), the search has ${cost.source}`);
      return cost;
    case 'params':
      return { unit: 'M params', ...spaceCosts(space, 'params') };
  }
}

const stateSchema = z.strictObject({
  stepsPerEpoch: z.number().int().min(1).nullable(),
  /** training steps done (every block stepped on each) */
  step: z.number().int().min(0),
  /** per block, the sum of its step losses in the current epoch */
  epochLoss: z.array(z.number()),
  /** per block, per encoding ranked so far: [mse, mse_var, l1_std] */
  rankings: z.array(z.array(z.array(z.number()).length(3))),
  assembled: z.strictObject({ choices: z.array(z.number().int()), score: z.number(), cost: z.number(), visited: z.number() }).nullable(),
});
type DnaState = z.infer<typeof stateSchema>;

/** Stream addresses of the batches: training, the recalibration batch, the ranking batches. */
const TRAIN_STREAM = 1;
const RECALIBRATION_STREAM = 3;
const RANK_STREAM = 4;

interface Bound {
  teacher: Supernet;
  /** per stage boundary the blocks need: teacher layer index (−1: stem output) */
  inputs: number[];
  outputs: number[];
  nets: Supernet[];
  train: BatchStream;
  /** per block: the recalibration batch's input maps, the ranking batches' inputs and targets */
  rank: { recalibration: Float32Array; x: Float32Array; target: Float32Array }[];
}

export class DnaStrategy implements Strategy {
  readonly name = 'dna';
  readonly blocks: DnaBlock[];
  private state: DnaState;
  private bound: Bound | null = null;
  private clock: { block: number; started: number; count: number } | null = null;

  constructor(
    readonly config: DnaConfig,
    private readonly space: SearchSpace,
    private readonly table: CostTable,
  ) {
    const layers = layersOf(space);
    checkCostModelFits('dna', table, layers.map((l) => l.candidates.length), space.name);
    this.blocks = dnaBlocks(space);
    if (this.blocks.length === 0) throw new PrunasRangeError(`dna: ${space.name} has no searchable layer`);
    if (config.target !== undefined) {
      const min = this.blocks.reduce((sum, b) => sum + this.minBlockCost(b), this.outsideCost());
      if (config.target < min) throw new PrunasRangeError(`dna config: target ${config.target} ${table.unit} is below the cheapest architecture of ${space.name} (${min.toFixed(3)} ${table.unit})`);
    }
    this.state = { stepsPerEpoch: config.stepsPerEpoch ?? null, step: 0, epochLoss: this.blocks.map(() => 0), rankings: this.blocks.map(() => []), assembled: null };
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    ctx.signal?.throwIfAborted();
    const s = this.state;
    if (s.assembled) return true;
    const bound = await this.bind(ctx);
    if (s.step < this.trainSteps()) {
      await this.trainStep(ctx, bound);
      return false;
    }
    const b = s.rankings.findIndex((r, i) => r.length < this.blocks[i].encodings);
    if (b >= 0) {
      await this.rankOne(ctx, bound, b);
      return false;
    }
    this.assembleArchitecture(ctx);
    return true;
  }

  progress(): { done: number; total: number } {
    const s = this.state;
    const ranked = s.rankings.reduce((n, r) => n + r.length, 0);
    const encodings = this.blocks.reduce((n, b) => n + b.encodings, 0);
    return { done: s.step + ranked + (s.assembled ? 1 : 0), total: this.trainSteps() + encodings + 1 };
  }

  saveState(): unknown {
    return JSON.parse(JSON.stringify(this.state));
  }

  loadState(state: unknown): void {
    const p = parseState('dna', stateSchema, state);
    if (p.rankings.length !== this.blocks.length || p.rankings.some((r, b) => r.length > this.blocks[b].encodings) || p.epochLoss.length !== this.blocks.length)
      throw new PrunasRangeError(`dna state: its blocks are not those of ${this.space.name}`);
    this.release(); // the blocks are rebuilt from the search supernet the runner restored
    this.state = p;
  }

  /** The assembled architecture (supernet-layer choices). */
  derive(): number[] {
    if (!this.state.assembled) throw new PrunasError('dna: the architecture is assembled once every block is ranked');
    return [...this.state.assembled.choices];
  }

  /** Per block, per encoding: the three metrics (complete once the ranking phase is done). */
  rankings(): Record<DnaMetric, number>[][] {
    return this.state.rankings.map((r) => r.map(([mse, mse_var, l1_std]) => ({ mse, mse_var, l1_std })));
  }

  /** DNA's score of an architecture (supernet-layer choices): Σ over blocks of its encoding's metric. */
  scoreOf(choices: readonly number[], metric: DnaMetric = this.config.metric): number {
    const m = DNA_METRICS.indexOf(metric);
    return this.blocks.reduce((sum, block, b) => {
      const e = encodeChoices(block.counts, choices.slice(block.first, block.last + 1));
      const row = this.state.rankings[b][e];
      if (!row) throw new PrunasError(`dna: block ${block.stage} has not ranked encoding ${e} yet`);
      return sum + row[m];
    }, 0);
  }

  /** Releases the teacher and the block supernets (they are rebuilt on the next advance). */
  release(): void {
    this.bound?.teacher.dispose();
    this.bound?.nets.forEach((n) => n.dispose());
    this.bound = null;
    this.clock = null;
  }

  // ---- phases ----

  private trainSteps(): number {
    return this.config.epochs * (this.state.stepsPerEpoch ?? 0);
  }

  private async trainStep(ctx: SearchContext, bound: Bound): Promise<void> {
    const s = this.state;
    const c = this.config;
    const k = s.step;
    const epoch = Math.floor(k / s.stepsPerEpoch!);
    const features = await bound.teacher.features({ samples: bound.train.batch(k), choices: bound.teacher.layers.map(() => 0), layers: [...bound.inputs, ...bound.outputs], trainBn: c.teacherBn === 'train' });
    const B = this.blocks.length;
    for (const [b, block] of this.blocks.entries()) {
      const net = bound.nets[b];
      const r = await net.weightStep({
        samples: { x: features[b], target: features[B + b] },
        mode: 'single',
        sample: { probabilities: block.counts.map((n) => new Array<number>(n).fill(1 / n)), seed: ctx.seed, counter: k * B + b },
        optimizer: 'adam',
        lr: c.lr * c.lrDecay ** epoch,
        weightDecay: c.weightDecay,
        labelSmoothing: 0,
      });
      this.keepPath(ctx.net, net, block, r.choices!);
      s.epochLoss[b] += r.loss;
      ctx.emit({ type: 'step', phase: `block:${block.stage}`, step: k, loss: r.loss, accuracy: 0 });
    }
    s.step++;
    if (s.step % s.stepsPerEpoch! === 0) {
      const losses = Object.fromEntries(this.blocks.map((block, b) => [block.stage, s.epochLoss[b] / s.stepsPerEpoch!]));
      ctx.emit({ type: 'epoch', epoch, phase: 'train', ...losses });
      s.epochLoss = this.blocks.map(() => 0);
    }
  }

  private async rankOne(ctx: SearchContext, bound: Bound, b: number): Promise<void> {
    const block = this.blocks[b];
    const net = bound.nets[b];
    const data = bound.rank[b];
    const ranked = this.state.rankings[b];
    if (this.clock?.block !== b) this.clock = { block: b, started: performance.now(), count: 0 };
    const choices = decodeEncoding(block.counts, ranked.length);
    await net.recalibrateBn({ samples: { x: data.recalibration }, choices });
    const r = await net.evaluate({ samples: { x: data.x, target: data.target }, choices, batchSize: this.config.batchSize });
    const m = dnaMetrics(r.regression!);
    ranked.push([m.mse, m.mse_var, m.l1_std]);
    this.clock.count++;
    if (ranked.length === block.encodings) {
      const seconds = (performance.now() - this.clock.started) / 1000;
      const metric = DNA_METRICS.indexOf(this.config.metric);
      const best = ranked.reduce((a, row, e) => (row[metric] < ranked[a][metric] ? e : a), 0);
      ctx.emit({ type: 'epoch', epoch: b, phase: 'rank', block: block.stage, encodings: block.encodings, seconds, encodingsPerSecond: this.clock.count / seconds, best: decodeEncoding(block.counts, best).join(','), bestScore: ranked[best][metric] });
      this.clock = null;
    }
  }

  private assembleArchitecture(ctx: SearchContext): void {
    const metric = DNA_METRICS.indexOf(this.config.metric);
    const lists = this.blocks.map((block, b) => this.state.rankings[b].map((row, e) => ({ score: row[metric], cost: this.encodingCost(block, e) })));
    const outside = this.outsideCost();
    const started = performance.now();
    const found = assemble(lists, this.config.target === undefined ? Infinity : this.config.target - outside);
    const seconds = (performance.now() - started) / 1000;
    if (!found) throw new PrunasRangeError(`dna: no architecture fits the target ${this.config.target} ${this.table.unit}`);
    const choices = layersOf(this.space).map(() => 0);
    this.blocks.forEach((block, b) => decodeEncoding(block.counts, found.picks[b]).forEach((c, l) => (choices[block.first + l] = c)));
    this.state.assembled = { choices, score: found.score, cost: outside + found.cost, visited: found.visited };
    ctx.emit({ type: 'epoch', epoch: 0, phase: 'assemble', score: found.score, cost: outside + found.cost, visited: found.visited, seconds });
    ctx.emit({ type: 'message', text: `dna: assembled ${choices.join(',')}: Σ ${this.config.metric} ${found.score.toFixed(4)}, ${(outside + found.cost).toFixed(3)} ${this.table.unit}, ${found.visited} partial architectures visited` });
  }

  // ---- costs ----

  private encodingCost(block: DnaBlock, e: number): number {
    return decodeEncoding(block.counts, e).reduce((sum, c, l) => sum + this.table.candidates[block.first + l][c], 0);
  }

  private minBlockCost(block: DnaBlock): number {
    return block.counts.reduce((sum, _, l) => sum + Math.min(...this.table.candidates[block.first + l]), 0);
  }

  /** The fixed part and the layers outside every block. */
  private outsideCost(): number {
    const inside = new Set(this.blocks.flatMap((b) => Array.from({ length: b.last - b.first + 1 }, (_, l) => b.first + l)));
    return this.table.candidates.reduce((sum, row, l) => (inside.has(l) ? sum : sum + row[0]), this.table.fixed);
  }

  // ---- engine ----

  /** Copies the parameters of the block path just stepped into the search supernet. */
  private keepPath(into: Supernet, net: Supernet, block: DnaBlock, choices: ArrayLike<number>): void {
    const onPath = (name: string) => {
      const m = /^layers\.(\d+)\.op(\d+)\./.exec(name);
      return m !== null && Number(m[2]) === choices[Number(m[1])];
    };
    into.loadParameters(net.saveParameters(onPath).map((p) => ({ ...p, name: shiftLayer(p.name, block.first) })));
  }

  private async bind(ctx: SearchContext): Promise<Bound> {
    if (this.bound) return this.bound;
    const c = this.config;
    this.state.stepsPerEpoch ??= Math.max(1, Math.floor(ctx.data.trainIndices.length / c.batchSize));
    const device = { device: ctx.net.device, precision: ctx.net.precision };
    const { net: teacher, stageEnds } = await loadTeacher(c.teacher, this.space, ctx.seed, device);
    const ends = this.blocks.map((block) => ({ input: stageEnds[stageIndex(this.space, block.stage) - 1] ?? -1, output: stageEnds[stageIndex(this.space, block.stage)] }));
    const plan = planOf(this.space);
    const nets = this.blocks.map((block) => {
      const net = new Supernet(blockPlan(block.input, plan.layers.slice(block.first, block.last + 1)), ctx.seed, device);
      const inBlock = (name: string) => {
        const l = layerOf(name);
        return l !== null && l >= block.first && l <= block.last;
      };
      net.loadParameters(ctx.net.saveParameters(inBlock).map((p) => ({ ...p, name: shiftLayer(p.name, -block.first) })));
      return net;
    });
    const bound: Bound = {
      teacher,
      inputs: ends.map((e) => e.input),
      outputs: ends.map((e) => e.output),
      nets,
      train: new BatchStream(ctx.data.train, ctx.data.trainIndices, c.batchSize, ctx.seed, TRAIN_STREAM, { pad: ctx.data.pad, hflip: ctx.data.hflip }),
      rank: [],
    };
    try {
      bound.rank = await this.rankingData(ctx, bound);
    } catch (e) {
      teacher.dispose();
      nets.forEach((n) => n.dispose());
      throw e;
    }
    this.bound = bound;
    return bound;
  }

  /** Teacher features of the fixed recalibration batch and ranking batches, per block. */
  private async rankingData(ctx: SearchContext, bound: Bound): Promise<Bound['rank']> {
    const c = this.config;
    if (ctx.data.valIndices.length < 1) throw new PrunasRangeError('search data: valIndices is empty; DNA ranks on a held-out validation split');
    const choices = bound.teacher.layers.map(() => 0);
    const at = [...bound.inputs, ...bound.outputs];
    const run = (samples: ReturnType<BatchStream['batch']>) => bound.teacher.features({ samples, choices, layers: at, trainBn: c.teacherBn === 'train' });
    const recalibration = await run(new BatchStream(ctx.data.train, ctx.data.trainIndices, c.batchSize, ctx.seed, RECALIBRATION_STREAM, null).batch(0));
    const rankStream = new BatchStream(ctx.data.train, ctx.data.valIndices, c.batchSize, ctx.seed, RANK_STREAM, null);
    const batches: Float32Array[][] = [];
    for (let k = 0; k < c.rankBatches; k++) batches.push(await run(rankStream.batch(k)));
    const B = this.blocks.length;
    return this.blocks.map((_, b): BlockSamples & { recalibration: Float32Array; target: Float32Array } => ({
      recalibration: recalibration[b],
      x: concat(batches.map((f) => f[b])),
      target: concat(batches.map((f) => f[B + b])),
    }));
  }
}

/**
 * The teacher network of a `prunas train` checkpoint, which must hold an
 * architecture of `space`, and the teacher layer that ends each stage of
 * the space (−1: the stem; a stage whose layers all chose `zero` ends where
 * the previous one did).
 */
export async function loadTeacher(file: string, space: SearchSpace, seed: number, device: { device?: string; precision?: string } = {}): Promise<{ net: Supernet; stageEnds: number[] }> {
  const c = await readCheckpoint(file);
  let teacherSpace: SearchSpace;
  try {
    teacherSpace = validateSpace(JSON.parse(c.spaceJson));
  } catch (e) {
    throw new PrunasRangeError(`dna config: teacher ${file} holds no valid search space (${(e as Error).message})`);
  }
  if (JSON.stringify(teacherSpace) !== JSON.stringify(space))
    throw new PrunasRangeError(`dna config: teacher ${file} was trained in space ${teacherSpace.name}, which is not the search space ${space.name}${teacherSpace.name === space.name ? ' (same name, other layers or widths)' : ''}`);
  const architecture = validateArchitecture(space, JSON.parse(c.architectureJson));
  const net = new Supernet(fixedSpace(space, architecture), seed, device);
  try {
    net.loadState(c.state);
  } catch (e) {
    net.dispose();
    throw new PrunasRangeError(`dna config: teacher ${file}: ${(e as Error).message}`);
  }
  const ops = architectureOps(space, architecture);
  const layers = layersOf(space);
  let kept = 0;
  const stageEnds = space.stages.map((stage) => {
    layers.forEach((l: LayerInfo) => {
      if (l.stage === stage.name && ops[l.index].kind !== 'zero') kept++;
    });
    return kept - 1;
  });
  return { net, stageEnds };
}

function stageIndex(space: SearchSpace, stage: string): number {
  return space.stages.findIndex((s) => s.name === stage);
}

function layerOf(name: string): number | null {
  const m = /^layers\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
}

function shiftLayer(name: string, by: number): string {
  return name.replace(/^layers\.(\d+)\./, (_, l: string) => `layers.${Number(l) + by}.`);
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
