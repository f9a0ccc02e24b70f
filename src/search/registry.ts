// The strategies `prunas search` and embedding programs can name. Each entry
// validates its own options (zod) and receives the cost model and, when the
// search is constrained, the target in the cost model's unit.
import type { SearchSpace } from '../space/spec.js';
import type { CostModel } from './cost-model.js';
import { createDarts } from './darts.js';
import { createDanas } from './danas.js';
import { createDdpnas } from './ddpnas.js';
import { createDna } from './dna.js';
import { createProxyless } from './proxyless.js';
import { createPrunet } from './prunet.js';
import { createRandom } from './random.js';
import type { Strategy } from './strategy.js';

export interface StrategyInput {
  /** the strategy's own options (JSON from --config), validated by the strategy */
  options: unknown;
  space: SearchSpace;
  /** candidates per supernet layer */
  candidateCounts: readonly number[];
  cost: CostModel;
  /** cost target in cost.unit, when constrained */
  target?: number;
}

export interface StrategyEntry {
  description: string;
  create(input: StrategyInput): Strategy;
  /** whether the strategy reads a cost target */
  constrained: boolean;
  /**
   * Options of the short search `prunas search` runs by default (--preset
   * quick: minutes on a 2-core CPU for proxyless-small); the user's own
   * options override them. --preset full uses the strategy's defaults alone.
   */
  quick?: Record<string, unknown>;
}

// The gradient strategies' quick presets raise archLr from the paper's 1e-3
// (tuned for thousands of architecture steps) to 1e-2: with Adam each step
// moves α by about archLr, so their 300 architecture steps at 1e-3 left the
// probabilities within 0.12–0.18 of uniform and the derived architecture an
// argmax of noise (docs/results.md, second sweep).
const QUICK_ARCH_LR = 0.01;

export const STRATEGIES: Record<string, StrategyEntry> = {
  proxyless: {
    description: 'ProxylessNAS: binarized paths, gate gradients on a held-out split, latency or FLOPs loss',
    constrained: true,
    quick: { warmupSteps: 300, searchSteps: 900, archEvery: 3, archLr: QUICK_ARCH_LR },
    create: (i) => createProxyless(withConstraintTarget(i.options, i.target), i.space, i.cost),
  },
  ddpnas: {
    description: 'DDPNAS: dynamic distribution pruning, one candidate per layer per round',
    constrained: true,
    quick: { iteration: 10, rounds: 1, valSamples: 500 },
    create: (i) => createDdpnas(i.options, i.space, i.cost, i.target),
  },
  random: {
    description: 'random search: architectures drawn under the cost target, each trained with the same budget',
    constrained: true,
    quick: { count: 5, budgetSteps: 150, valSamples: 500 },
    create: (i) => createRandom(i.options, i.space, i.cost, i.target),
  },
  danas: {
    description: 'DA-NAS: class order from a warmup, ProxylessNAS over growing class subsets, the weaker half of each layer pruned after every stage',
    constrained: true,
    quick: { warmupSteps: 300, searchSteps: 900, archEvery: 3, evalPaths: 4, valSamples: 500, archLr: QUICK_ARCH_LR },
    create: (i) => createDanas(withConstraintTarget(i.options, i.target), i.space, i.cost, i.target),
  },
  prunet: {
    description: 'PruNet: binarized paths, Prunode width search (prunet-small), block and layer pruning during the search, latency or FLOPs loss',
    constrained: true,
    quick: { warmupSteps: 300, searchSteps: 900, archEvery: 3, patience: 3, archLr: QUICK_ARCH_LR },
    create: (i) => createPrunet(withConstraintTarget(i.options, i.target), i.space, i.cost, i.target),
  },
  dna: {
    description: 'DNA: block-wise distillation from a trained teacher (options.teacher: a prunas train checkpoint), every block encoding ranked, best sum within the target',
    constrained: true,
    quick: { epochs: 1, stepsPerEpoch: 200, rankBatches: 2 },
    create: (i) => createDna(i.options, i.space, i.cost, i.target),
  },
  darts: {
    description: 'DARTS-style first-order baseline (sum mode: memory grows with the candidates)',
    constrained: false,
    quick: { steps: 150 },
    create: (i) => createDarts(i.options, i.candidateCounts, i.cost),
  },
};

export const STRATEGY_NAMES = Object.keys(STRATEGIES);

/** ProxylessNAS reads its target from options.constraint; a target given apart goes there (the options' own wins). */
function withConstraintTarget(options: unknown, target: number | undefined): unknown {
  if (target === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  const o = options as { constraint?: unknown };
  if (o.constraint === undefined || o.constraint === null) return { ...o, constraint: { target } };
  if (typeof o.constraint === 'object' && !Array.isArray(o.constraint) && !('target' in o.constraint)) return { ...o, constraint: { ...o.constraint, target } };
  return options;
}
