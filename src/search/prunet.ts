// PruNet (ALGORITHMS.md, "PruNet / Prunode"): ProxylessNAS-style binarized
// paths over the layers' candidates, Prunodes that search a block's hidden
// width, and pruning of weak candidates and of whole layers, all during one
// search.
//
//   α     one logit per candidate of each layer; p = softmax(α) over the live
//         candidates. Architecture steps run ProxylessNAS's pair mode: two
//         paths drawn natively, ∂L/∂α from the two gate values (alpha.ts),
//         Adam, then the pair's α shifted so the other candidates keep their
//         probability.
//   β     two logits (big, small) per Prunode. Every step (weights and
//         architecture) draws z = softmax((β + G)/τ), G Gumbel noise, and the
//         Prunode runs with the soft mask (z_big·m_big + z_small·m_small) ⊙ h.
//         ∂L/∂β_i = z_i (g_i − Σ_j z_j g_j)/τ with g the engine's gate
//         gradients (for the Prunode on the step's active path). τ falls
//         exponentially from tauStart to tauEnd over the search steps.
//   cost  E[C] = fixed + Σ_layers Σ_k p_k·C_k, where a Prunode's C_k is the
//         expected cost of its width, q_big·C(c) + q_small·C(c − Δ), q =
//         softmax(β): so the latency or FLOPs term moves α and β. The loss
//         forms are ProxylessNAS's (latency-loss.ts).
//   checks after every architecture step, each needing `patience`
//         consecutive checks:
//         shrink   q_small > shrinkThreshold: c ← c − Δ (the engine slices the
//                  weights and optimizer state), β and its Adam moments reset
//                  to a fresh pair; at the minimum width z = (1, 0)
//         block    p_k < blockThreshold/N (N live candidates of the layer):
//                  the candidate is removed (weights and optimizer state
//                  freed); p renormalises over the survivors. A layer keeps
//                  at least one candidate other than `zero`.
//         layer    p_zero > layerThreshold: the layer becomes its shortcut
//
// One advance() is one weight step or one architecture step with its checks.
// Path draws and Gumbel noise are addressed by counters kept in the state;
// shrinks and removals live in the supernet's state (replayed on load), so
// a search resumed anywhere ends identical to an uninterrupted one.
import { z } from 'zod';
import type { PrunodeGate, Supernet } from '../engine/supernet.js';
import { PrunasRangeError } from '../errors.js';
import { native } from '../native.js';
import { prunodeWidths } from '../space/cost.js';
import { layersOf, type LayerInfo } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import { cosineWithWarmup } from '../train/schedule.js';
import { adamInit, adamStep, gateGradient, probabilitiesOf, rescalePair } from './alpha.js';
import { parseConfig } from './config.js';
import { prunodeCostAt, type CostModel } from './cost-model.js';
import { checkMultiplicativeTarget, lossTerms } from './latency-loss.js';
import { ARCH_BATCH_STREAM, constraintSchema, WEIGHT_BATCH_STREAM } from './proxyless.js';
import { BatchStream, type SearchContext, type SearchData, type Strategy } from './strategy.js';

export const prunetConfigSchema = z.strictObject({
  batchSize: z.number().int().min(1).max(65536).default(64),
  archBatchSize: z.number().int().min(1).max(65536).default(64),
  /** weight steps with α frozen, paths uniform and β = 0 */
  warmupSteps: z.number().int().min(0).default(1000),
  searchSteps: z.number().int().min(0).default(5000),
  /** one architecture step (with its pruning checks) after every archEvery weight steps past warmup */
  archEvery: z.number().int().min(1).default(5),
  lr: z.number().positive().max(100).default(0.025),
  warmupLr: z.number().positive().max(100).default(0.05),
  momentum: z.number().min(0).max(1).default(0.9),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).max(1).default(4e-5),
  labelSmoothing: z.number().min(0).max(1).default(0.1),
  archLabelSmoothing: z.number().min(0).max(1).default(0),
  alphaInitStd: z.number().min(0).max(10).default(1e-3),
  /** Adam on α and β */
  archLr: z.number().positive().max(100).default(1e-3),
  archBeta1: z.number().min(0).max(0.999999).default(0),
  archBeta2: z.number().min(0).max(0.999999).default(0.999),
  archEps: z.number().positive().max(1).default(1e-8),
  /** Gumbel-softmax temperature of the Prunode gates: exponential from tauStart to tauEnd over the search steps */
  tauStart: z.number().positive().max(100).default(5),
  tauEnd: z.number().positive().max(100).default(0.5),
  /** shrink a Prunode when softmax(β)_small exceeds this */
  shrinkThreshold: z.number().min(0).max(1).default(0.6),
  /** remove a candidate when its p is below blockThreshold / (live candidates of the layer) */
  blockThreshold: z.number().min(0).max(1).default(0.1),
  /** remove a layer when its zero candidate's p exceeds this */
  layerThreshold: z.number().min(0).max(1).default(0.9),
  /** K: consecutive checks a condition must hold before it acts */
  patience: z.number().int().min(1).max(1e6).default(5),
  constraint: constraintSchema.nullable().default(null),
  distributionEvery: z.number().int().min(1).default(1),
});
export type PrunetConfig = z.infer<typeof prunetConfigSchema>;
export type PrunetConfigInput = z.input<typeof prunetConfigSchema>;

/** `target`, when given and the config has no constraint, becomes a multiplicative constraint (as for proxyless). */
export function createPrunet(rawConfig: unknown, space: SearchSpace, cost: CostModel, target?: number): PrunetStrategy {
  const raw = rawConfig ?? {};
  const withTarget =
    target !== undefined && typeof raw === 'object' && !Array.isArray(raw) && (raw as { constraint?: unknown }).constraint == null ? { ...raw, constraint: { target } } : raw;
  return new PrunetStrategy(parseConfig('prunet', prunetConfigSchema, withTarget), space, cost);
}

const GUMBEL_STREAM = 0x67756d62;
const ALPHA_INIT_STREAM = 0x616c7068;

const matrix = z.array(z.array(z.number()));
const adamSchema = z.strictObject({ m: matrix, v: matrix, steps: z.number().int().min(0) });
const stateSchema = z.strictObject({
  version: z.literal(1),
  alphas: matrix.nullable(),
  adam: adamSchema,
  /** per Prunode (in `places` order): [β_big, β_small], their Adam state, current width */
  betas: matrix,
  betaAdam: adamSchema,
  widths: z.array(z.number().int()),
  live: z.array(z.array(z.boolean())),
  removedLayers: z.array(z.boolean()),
  /** consecutive checks each condition has held */
  shrinkCounts: z.array(z.number().int().min(0)),
  blockCounts: z.array(z.array(z.number().int().min(0))),
  layerCounts: z.array(z.number().int().min(0)),
  weightSteps: z.number().int().min(0),
  archSteps: z.number().int().min(0),
  draws: z.number().int().min(0),
  gumbelDraws: z.number().int().min(0),
});
export type PrunetState = z.infer<typeof stateSchema>;

type Unit = 'warmup' | 'weights' | 'arch' | 'done';

/** Where the Prunodes are: supernet layer and candidate, with Δ and the minimum width. */
interface Place {
  layer: number;
  candidate: number;
  step: number;
  minWidth: number;
}

export class PrunetStrategy implements Strategy {
  readonly name = 'prunet';
  readonly config: PrunetConfig;
  private readonly counts: number[];
  private readonly zeroOf: number[];
  private readonly layerNames: string[];
  private readonly places: Place[];
  private state: PrunetState;
  private streams: { data: SearchData; seed: number; weights: BatchStream; arch: BatchStream } | null = null;

  constructor(
    config: PrunetConfigInput,
    space: SearchSpace,
    private readonly cost: CostModel,
  ) {
    this.config = parseConfig('prunet', prunetConfigSchema, config);
    const layers = layersOf(space);
    this.counts = layers.map((l) => l.candidates.length);
    this.zeroOf = layers.map((l) => l.candidates.findIndex((op) => op.kind === 'zero'));
    this.layerNames = layers.map((l) => l.name);
    this.places = layers.flatMap((l, layer) =>
      l.candidates.flatMap((op, candidate) => (op.kind === 'prunode' ? [{ layer, candidate, step: op.step, minWidth: op.minWidth }] : [])),
    );
    if (cost.candidates.length !== this.counts.length || cost.candidates.some((row, l) => row.length !== this.counts[l]))
      throw new PrunasRangeError(`prunet: the cost model's rows (${cost.candidates.map((r) => r.length).join(', ')}) do not match the candidates of ${space.name} (${this.counts.join(', ')})`);
    checkWidthsHaveMBConvs(layers);
    if (this.places.length > 0 && !cost.prunodes) throw new PrunasRangeError(`prunet: the cost model (${cost.source}) has no prunode widths; profile the latency table again`);
    const c = this.config;
    if (c.tauEnd > c.tauStart) throw new PrunasRangeError(`prunet config: tauEnd (${c.tauEnd}) must not exceed tauStart (${c.tauStart})`);
    checkMultiplicativeTarget('prunet', c.constraint, cost);
    const pairs = this.places.map(() => [0, 0]);
    this.state = {
      version: 1,
      alphas: null,
      adam: adamInit(this.counts.map((n) => new Array<number>(n).fill(0))),
      betas: pairs,
      betaAdam: adamInit(pairs),
      widths: this.places.map((p) => layers[p.layer].input.channels * (layers[p.layer].candidates[p.candidate] as { expand: number }).expand),
      live: this.counts.map((n) => new Array<boolean>(n).fill(true)),
      removedLayers: this.counts.map(() => false),
      shrinkCounts: this.places.map(() => 0),
      blockCounts: this.counts.map((n) => new Array<number>(n).fill(0)),
      layerCounts: this.counts.map(() => 0),
      weightSteps: 0,
      archSteps: 0,
      draws: 0,
      gumbelDraws: 0,
    };
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    this.attach(ctx);
    const unit = this.next();
    if (unit === 'arch') {
      await this.archStep(ctx);
      this.checks(ctx);
      if (this.state.archSteps % this.config.distributionEvery === 0) ctx.emit({ type: 'distribution', step: this.done(), probabilities: this.probabilities() });
    } else if (unit !== 'done') await this.weightStep(ctx, unit);
    const finished = this.next() === 'done';
    if (finished && unit !== 'done' && this.places.length) ctx.emit({ type: 'message', text: `prunode widths: ${this.describeWidths()}` });
    return finished;
  }

  progress(): { done: number; total: number } {
    const { warmupSteps, searchSteps, archEvery } = this.config;
    return { done: this.done(), total: warmupSteps + searchSteps + Math.floor(searchSteps / archEvery) };
  }

  /** argmax p per layer over the live candidates (fixed layers 0, removed layers −1). */
  derive(): number[] {
    return this.probabilities().map((p, l) => {
      if (this.state.removedLayers[l]) return -1;
      let best = this.state.live[l].indexOf(true);
      p.forEach((v, k) => {
        if (this.state.live[l][k] && v > p[best]) best = k;
      });
      return best;
    });
  }

  /** Every Prunode's current hidden width. */
  widths(): { layer: number; candidate: number; width: number }[] {
    return this.places.map((p, j) => ({ layer: p.layer, candidate: p.candidate, width: this.state.widths[j] }));
  }

  probabilities(): number[][] {
    return probabilitiesOf(this.alphas(), this.liveRows());
  }

  /** softmax(β) per Prunode: [q_big, q_small]. */
  widthProbabilities(): number[][] {
    return this.state.betas.map(softmax);
  }

  saveState(): PrunetState {
    return structuredClone(this.state);
  }

  loadState(value: unknown): void {
    const parsed = stateSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PrunasRangeError(`prunet state: ${issue.path.join('.') || '(state)'}: ${issue.message}`);
    }
    const s = parsed.data;
    const rows = (name: string, m: unknown[][] | null, expected: number[]) => {
      if (m && (m.length !== expected.length || m.some((r, i) => r.length !== expected[i])))
        throw new PrunasRangeError(`prunet state: ${name} has rows of ${m.map((r) => r.length).join(', ')} entries, expected ${expected.join(', ')}`);
    };
    rows('alphas', s.alphas, this.counts);
    rows('live', s.live, this.counts);
    rows('blockCounts', s.blockCounts, this.counts);
    rows('betas', s.betas, this.places.map(() => 2));
    if (s.widths.length !== this.places.length) throw new PrunasRangeError(`prunet state: widths has ${s.widths.length} entries for ${this.places.length} prunodes`);
    this.state = structuredClone(s);
  }

  // ---- units ----

  private next(): Unit {
    const { warmupSteps, searchSteps, archEvery } = this.config;
    const s = this.state;
    if (s.weightSteps < warmupSteps) return 'warmup';
    const searched = s.weightSteps - warmupSteps;
    if (s.archSteps < Math.floor(searched / archEvery)) return 'arch';
    return searched < searchSteps ? 'weights' : 'done';
  }

  private done(): number {
    return this.state.weightSteps + this.state.archSteps;
  }

  private tau(): number {
    const { tauStart, tauEnd, searchSteps, warmupSteps } = this.config;
    const t = searchSteps === 0 ? 0 : Math.min(1, Math.max(0, this.state.weightSteps - warmupSteps) / searchSteps);
    return tauStart * (tauEnd / tauStart) ** t;
  }

  private async weightStep(ctx: SearchContext, phase: 'warmup' | 'weights'): Promise<void> {
    const c = this.config;
    const s = this.state;
    const lr = phase === 'warmup' ? cosineWithWarmup(s.weightSteps, c.warmupSteps, 0, c.warmupLr) : cosineWithWarmup(s.weightSteps - c.warmupSteps, c.searchSteps, 0, c.lr);
    const probabilities = phase === 'warmup' ? probabilitiesOf(this.counts.map((n) => new Array<number>(n).fill(0)), this.liveRows()) : this.probabilities();
    const { gates } = this.drawGates(ctx, phase === 'warmup');
    const r = await ctx.net.weightStep({
      samples: this.streams!.weights.batch(s.weightSteps),
      mode: 'single',
      sample: this.sampling(ctx, probabilities),
      prunodeGates: gates,
      lr,
      momentum: c.momentum,
      nesterov: c.nesterov,
      weightDecay: c.weightDecay,
      labelSmoothing: c.labelSmoothing,
    });
    s.weightSteps += 1;
    ctx.emit({ type: 'step', phase, step: this.done(), loss: r.loss, accuracy: r.correct / r.count });
  }

  private async archStep(ctx: SearchContext): Promise<void> {
    const c = this.config;
    const s = this.state;
    const alphas = this.alphas();
    const live = this.liveRows();
    const tau = this.tau();
    const { gates, z } = this.drawGates(ctx, false);
    const r = await ctx.net.archStep({
      samples: this.streams!.arch.batch(s.archSteps),
      mode: 'pair',
      sample: this.sampling(ctx, probabilitiesOf(alphas, live)),
      prunodeGates: gates,
      labelSmoothing: c.archLabelSmoothing,
    });
    // cost: E[C] with every Prunode at its expected width
    const p = probabilitiesOf(alphas, live);
    const q = this.widthProbabilities();
    const C = this.cost.candidates.map((row) => [...row]);
    const widthCosts = this.places.map((place, j) => {
      const big = prunodeCostAt(this.cost, place.layer, place.candidate, s.widths[j]);
      const small = this.canShrink(j) ? prunodeCostAt(this.cost, place.layer, place.candidate, s.widths[j] - place.step) : big;
      C[place.layer][place.candidate] = this.canShrink(j) ? q[j][0] * big + q[j][1] * small : big;
      return [big, small];
    });
    const layerCost = C.map((row, l) => row.reduce((sum, v, k) => sum + p[l][k] * v, 0));
    const expected = layerCost.reduce((sum, v) => sum + v, this.cost.fixed);
    const { loss, dLossDCe, dLossDCost } = lossTerms(c.constraint, r.loss, expected);

    const update = live.map((row) => (row.filter(Boolean).length >= 2 ? [...row] : row.map(() => false)));
    const gradAlpha = C.map((row, l) => row.map((v, k) => (update[l][k] ? dLossDCost * p[l][k] * (v - layerCost[l]) : 0)));
    const pairs = update.map((row, l) => (row.some(Boolean) ? [r.choices![l], r.others![l]].filter((k) => k >= 0) : []));
    pairs.forEach((pair, l) => {
      if (pair.length === 2) gateGradient(alphas[l], pair, r.gates[l]).forEach((g, k) => (gradAlpha[l][k] += dLossDCe * g));
    });
    const before = alphas.map((row) => [...row]);
    adamStep(alphas, gradAlpha, s.adam, this.adamSettings(), update);
    pairs.forEach((pair, l) => {
      if (pair.length === 2) alphas[l] = rescalePair(before[l], alphas[l], pair);
    });

    const betaUpdate = this.places.map((place, j) => {
      const on = live[place.layer][place.candidate] && this.canShrink(j);
      return [on, on];
    });
    const gradBeta = this.places.map((place, j) => {
      if (!betaUpdate[j][0]) return [0, 0];
      const [big, small] = widthCosts[j];
      const mean = q[j][0] * big + q[j][1] * small;
      const g = [0, 1].map((i) => dLossDCost * p[place.layer][place.candidate] * q[j][i] * ([big, small][i] - mean));
      const ran = r.prunodeGrads.find((e) => e.layer === place.layer && e.candidate === place.candidate);
      if (ran) {
        const zj = z[j];
        const zg = zj[0] * ran.big + zj[1] * ran.small;
        g[0] += (dLossDCe * zj[0] * (ran.big - zg)) / tau;
        g[1] += (dLossDCe * zj[1] * (ran.small - zg)) / tau;
      }
      return g;
    });
    adamStep(s.betas, gradBeta, s.betaAdam, this.adamSettings(), betaUpdate);
    s.archSteps += 1;
    ctx.emit({ type: 'step', phase: 'arch', step: this.done(), loss, accuracy: r.correct / r.count });
  }

  /** Shrinks, block pruning and layer pruning, each after `patience` consecutive checks. */
  private checks(ctx: SearchContext): void {
    const c = this.config;
    const s = this.state;
    const step = this.done();
    const q = this.widthProbabilities();
    this.places.forEach((place, j) => {
      if (!this.liveRows()[place.layer][place.candidate] || !this.canShrink(j)) return;
      s.shrinkCounts[j] = q[j][1] > c.shrinkThreshold ? s.shrinkCounts[j] + 1 : 0;
      if (s.shrinkCounts[j] < c.patience) return;
      ctx.net.shrinkPrunode(place.layer, place.candidate);
      const from = s.widths[j];
      s.widths[j] = from - place.step;
      s.betas[j] = [0, 0];
      s.betaAdam.m[j] = [0, 0];
      s.betaAdam.v[j] = [0, 0];
      s.shrinkCounts[j] = 0;
      ctx.emit({ type: 'prune', step, layer: place.layer, candidate: place.candidate, reason: `shrink ${from} → ${s.widths[j]} hidden channels (p_small ${q[j][1].toFixed(3)})`, width: s.widths[j] });
    });
    const p = this.probabilities();
    p.forEach((row, l) => {
      const live = this.liveRows()[l];
      const n = live.filter(Boolean).length;
      if (n < 2) return;
      const zero = this.zeroOf[l];
      if (zero >= 0 && live[zero]) {
        s.layerCounts[l] = row[zero] > c.layerThreshold ? s.layerCounts[l] + 1 : 0;
        if (s.layerCounts[l] >= c.patience) {
          ctx.net.removeLayer(l);
          s.removedLayers[l] = true;
          s.live[l] = live.map(() => false);
          ctx.emit({ type: 'prune', step, layer: l, candidate: 'layer', reason: `p(zero) ${row[zero].toFixed(3)} > ${c.layerThreshold} for ${c.patience} checks` });
          return;
        }
      }
      const threshold = c.blockThreshold / n;
      let weakest = -1;
      row.forEach((v, k) => {
        if (!live[k]) return;
        s.blockCounts[l][k] = v < threshold ? s.blockCounts[l][k] + 1 : 0;
        if (s.blockCounts[l][k] >= c.patience && (weakest < 0 || v < row[weakest])) weakest = k;
      });
      const ops = live.filter((on, k) => on && k !== zero).length;
      if (weakest < 0 || (weakest !== zero && ops <= 1)) return;
      ctx.net.removeCandidate(l, weakest);
      s.live[l][weakest] = false;
      s.blockCounts[l][weakest] = 0;
      ctx.emit({ type: 'prune', step, layer: l, candidate: weakest, reason: `p ${row[weakest].toFixed(4)} < ${threshold.toFixed(4)} for ${c.patience} checks` });
    });
  }

  // ---- helpers ----

  /** Binds the run's batches, draws α on first use, and checks the supernet against the state (removals, widths). */
  private attach(ctx: SearchContext): void {
    checkNet(ctx.net, this.counts);
    const { live, removedLayers } = ctx.net.structure();
    const s = this.state;
    const here = live.map((row, l) => row.map((on) => on && !removedLayers[l]));
    if (JSON.stringify(here) !== JSON.stringify(this.liveRows()) || JSON.stringify(removedLayers) !== JSON.stringify(s.removedLayers))
      throw new PrunasRangeError('prunet: the supernet\'s removals differ from the strategy state\'s; resume with the supernet state saved with it');
    const widths = new Map(ctx.net.prunodes().map((p) => [`${p.layer}#${p.candidate}`, p.width]));
    this.places.forEach((place, j) => {
      const w = widths.get(`${place.layer}#${place.candidate}`);
      if (w !== undefined && w !== s.widths[j])
        throw new PrunasRangeError(`prunet: the prunode at layer ${this.layerNames[place.layer]}, candidate ${place.candidate} is ${w} wide in the supernet, ${s.widths[j]} in the strategy state`);
    });
    if (s.alphas === null) s.alphas = initialAlphas(this.counts, ctx.seed, this.config.alphaInitStd);
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

  private liveRows(): boolean[][] {
    return this.state.live.map((row, l) => row.map((on) => on && !this.state.removedLayers[l]));
  }

  private alphas(): number[][] {
    return this.state.alphas ?? this.counts.map((n) => new Array<number>(n).fill(0));
  }

  private canShrink(j: number): boolean {
    return this.state.widths[j] - this.places[j].step >= this.places[j].minWidth;
  }

  /**
   * z = softmax((β + G)/τ) per live Prunode that can still shrink (β = 0 in
   * warmup), G = −log(−log u) with u from Philox(seed, GUMBEL_STREAM) at
   * draw number `gumbelDraws`; (1, 0) at the minimum width.
   */
  private drawGates(ctx: SearchContext, warmup: boolean): { gates: PrunodeGate[]; z: number[][] } {
    const P = this.places.length;
    if (P === 0) return { gates: [], z: [] };
    const blocks = Math.ceil((2 * P) / 4);
    const u = new Float32Array(4 * blocks);
    (native.philoxFill as (a: unknown) => void)({ out: u, seed: ctx.seed, stream: GUMBEL_STREAM, offset: this.state.gumbelDraws * blocks, kind: 0 });
    this.state.gumbelDraws += 1;
    const tau = warmup ? this.config.tauStart : this.tau();
    const live = this.liveRows();
    const z: number[][] = [];
    const gates: PrunodeGate[] = [];
    this.places.forEach((place, j) => {
      const g = [0, 1].map((i) => -Math.log(-Math.log(Math.min(Math.max(u[2 * j + i], 1e-12), 1 - 1e-7))));
      const beta = warmup ? [0, 0] : this.state.betas[j];
      const zj = this.canShrink(j) ? softmax([(beta[0] + g[0]) / tau, (beta[1] + g[1]) / tau]) : [1, 0];
      z.push(zj);
      if (live[place.layer][place.candidate]) gates.push({ layer: place.layer, candidate: place.candidate, big: zj[0], small: zj[1] });
    });
    return { gates, z };
  }

  private sampling(ctx: SearchContext, probabilities: number[][]) {
    const counter = this.state.draws * this.counts.length;
    this.state.draws += 1;
    return { probabilities, seed: ctx.seed, counter };
  }

  private adamSettings() {
    const c = this.config;
    return { lr: c.archLr, beta1: c.archBeta1, beta2: c.archBeta2, eps: c.archEps };
  }

  private describeWidths(): string {
    return this.places
      .map((place, j) => (this.liveRows()[place.layer][place.candidate] ? `${this.layerNames[place.layer]}#${place.candidate} ${this.state.widths[j]}` : null))
      .filter((t) => t !== null)
      .join(', ');
  }
}

function softmax(v: readonly number[]): number[] {
  const max = Math.max(...v);
  const e = v.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

function initialAlphas(counts: readonly number[], seed: number, std: number): number[][] {
  const draws = new Float32Array(counts.reduce((s, n) => s + n, 0));
  (native.philoxFill as (a: unknown) => void)({ out: draws, seed, stream: ALPHA_INIT_STREAM, kind: 1 });
  let at = 0;
  return counts.map((n) => Array.from({ length: n }, () => std * draws[at++]));
}

/**
 * The search's result is trained and exported with each chosen Prunode as the
 * MBConv of its final width (derived.ts): refuse, before searching, a Prunode
 * that could end at a width no MBConv has (expand·cin with expand ≥ 2).
 */
function checkWidthsHaveMBConvs(layers: readonly LayerInfo[]): void {
  layers.forEach((l) =>
    l.candidates.forEach((op, k) => {
      if (op.kind !== 'prunode') return;
      const cin = l.input.channels;
      const bad = prunodeWidths(op, l.input).find((w) => w % cin !== 0 || w < 2 * cin);
      if (bad !== undefined)
        throw new PrunasRangeError(
          `prunet: the prunode at layer ${l.name}, candidate ${k} (step ${op.step}, minWidth ${op.minWidth}) can shrink to ${bad} hidden channels, which no MBConv has (expand·${cin}, expand ≥ 2), so the result could not be trained; use a step that is a multiple of ${cin} and a minWidth of at least ${2 * cin}`,
        );
    }),
  );
}

function checkNet(net: Supernet, counts: readonly number[]): void {
  const netCounts = net.candidateCounts;
  if (netCounts.length !== counts.length || netCounts.some((n, l) => n !== counts[l]))
    throw new PrunasRangeError(`prunet: the supernet's layers (${netCounts.join(', ')} candidates) are not those of the strategy's space (${counts.join(', ')})`);
}
