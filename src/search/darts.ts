// The DARTS-style baseline (first order): every layer's output is the
// softmax(α)-weighted sum of all its candidates (`sum` mode, memory growing
// with the candidate count), weights trained on the training split, α by
// Adam on the held-out split with the gate gradients the engine returns:
// ∂L/∂α_i = Σ_k ∂L/∂w_k · p_k(δ_ik − p_i). It exists to measure what path
// binarization saves, not to compete. α starts at 0 (uniform) [ours; the
// DARTS code draws 1e-3·N(0,1)].
import { z } from 'zod';
import { cosineWithWarmup } from '../train/schedule.js';
import type { CostModel } from './cost-model.js';
import { parseConfig } from './config.js';
import { BatchStream, softmaxLive, type SearchContext, type Strategy } from './strategy.js';

export const dartsConfigSchema = z.strictObject({
  batchSize: z.number().int().min(1).max(65536).default(64),
  /** weight steps, each followed by one architecture step */
  steps: z.number().int().min(1).max(1e9).default(600),
  lr: z.number().positive().max(10).default(0.025),
  weightDecay: z.number().min(0).max(1).default(3e-4),
  archLr: z.number().positive().max(10).default(3e-4),
  archWeightDecay: z.number().min(0).max(1).default(1e-3),
  /** steps between 'distribution' events */
  reportEvery: z.number().int().min(1).default(20),
});
export type DartsConfig = z.infer<typeof dartsConfigSchema>;

interface DartsState {
  step: number;
  phase: 'weights' | 'arch';
  alpha: number[][];
  adamM: number[][];
  adamV: number[][];
}

export class DartsStrategy implements Strategy {
  readonly name = 'darts';
  private state: DartsState;
  private streams: { train: BatchStream; val: BatchStream } | null = null;

  constructor(
    readonly config: DartsConfig,
    candidateCounts: readonly number[],
  ) {
    const zeros = () => candidateCounts.map((n) => new Array<number>(n).fill(0));
    this.state = { step: 0, phase: 'weights', alpha: zeros(), adamM: zeros(), adamV: zeros() };
  }

  probabilities(live: readonly (readonly boolean[])[]): number[][] {
    return this.state.alpha.map((a, l) => softmaxLive(a, live[l]));
  }

  async advance(ctx: SearchContext): Promise<boolean> {
    const c = this.config;
    this.streams ??= {
      train: new BatchStream(ctx.data.train, ctx.data.trainIndices, c.batchSize, ctx.seed, 1, { pad: ctx.data.pad, hflip: ctx.data.hflip }),
      val: new BatchStream(ctx.data.train, ctx.data.valIndices, c.batchSize, ctx.seed, 2, null),
    };
    const live = ctx.net.structure().live;
    const p = this.probabilities(live);
    const s = this.state;
    if (s.phase === 'weights') {
      const lr = cosineWithWarmup(s.step, c.steps, 0, c.lr);
      const r = await ctx.net.weightStep({ mode: 'sum', weights: p, samples: this.streams.train.batch(s.step), lr, weightDecay: c.weightDecay });
      ctx.emit({ type: 'step', phase: 'weights', step: s.step, loss: r.loss, accuracy: r.correct / r.count });
      s.phase = 'arch';
      return false;
    }
    const r = await ctx.net.archStep({ mode: 'sum', weights: p, samples: this.streams.val.batch(s.step) });
    ctx.emit({ type: 'step', phase: 'arch', step: s.step, loss: r.loss, accuracy: r.correct / r.count });
    this.adamStep(r.gates, p, live);
    s.phase = 'weights';
    s.step++;
    if (s.step % c.reportEvery === 0 || s.step === c.steps) ctx.emit({ type: 'distribution', step: s.step, probabilities: this.probabilities(live) });
    return s.step >= c.steps;
  }

  private adamStep(gates: readonly Float64Array[], p: number[][], live: readonly (readonly boolean[])[]): void {
    const s = this.state;
    const t = s.step + 1;
    const [b1, b2, eps] = [0.5, 0.999, 1e-8];
    s.alpha.forEach((alpha, l) => {
      if (alpha.length < 2) return;
      let inner = 0;
      for (let k = 0; k < alpha.length; k++) if (live[l][k]) inner += gates[l][k] * p[l][k];
      for (let i = 0; i < alpha.length; i++) {
        if (!live[l][i]) continue;
        const g = p[l][i] * (gates[l][i] - inner) + this.config.archWeightDecay * alpha[i];
        s.adamM[l][i] = b1 * s.adamM[l][i] + (1 - b1) * g;
        s.adamV[l][i] = b2 * s.adamV[l][i] + (1 - b2) * g * g;
        const mHat = s.adamM[l][i] / (1 - b1 ** t);
        const vHat = s.adamV[l][i] / (1 - b2 ** t);
        alpha[i] -= (this.config.archLr * mHat) / (Math.sqrt(vHat) + eps);
      }
    });
  }

  progress(): { done: number; total: number } {
    return { done: this.state.step, total: this.config.steps };
  }

  saveState(): unknown {
    return structuredClone(this.state);
  }

  loadState(state: unknown): void {
    this.state = structuredClone(state as DartsState);
  }

  derive(): number[] {
    return this.state.alpha.map((a) => a.indexOf(Math.max(...a)));
  }
}

export function createDarts(raw: unknown, counts: readonly number[], _cost: CostModel): DartsStrategy {
  return new DartsStrategy(parseConfig('darts', dartsConfigSchema, raw), counts);
}
