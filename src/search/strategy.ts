// The contract between a search strategy and the runner that drives it.
//
// A strategy owns its small state (α, distributions, pruning decisions,
// counters) and decides; the engine (Supernet) does every tensor operation.
// The runner calls `advance` repeatedly; each call does one unit of work (a
// weight step, an architecture step, an evaluation, a pruning decision) and
// says whether the search is finished. Between two calls, `saveState()` plus
// the supernet's own state are everything needed to continue: the runner
// checkpoints them, and a resumed search calls `loadState` and goes on,
// ending identical to an uninterrupted one. So a strategy draws every random
// number from seeded, counter-addressed streams (BatchStream, Philox path
// sampling at a counter it keeps in its state), never from a generator's
// running state.
import type { Dataset } from '../data/dataset.js';
import { permutation } from '../data/dataset.js';
import type { DatasetSamples, Supernet } from '../engine/supernet.js';
import { PrunasRangeError } from '../errors.js';
import { architectureFromIndices, architectureIndices, type Architecture } from '../space/architecture.js';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import type { CostModel } from './cost-model.js';

/** The data of a search: weight steps on `trainIndices`, architecture decisions on the held-out `valIndices`. */
export interface SearchData {
  train: Dataset;
  trainIndices: Int32Array;
  valIndices: Int32Array;
  /** random-crop padding and flip for weight steps (architecture steps and evaluations are not augmented) */
  pad: number;
  hflip: boolean;
}

/** Progress events: the CLI's bar, the JSONL log and the HTML report all read these. */
export type SearchEvent =
  /** a weight or architecture step (phase names it: 'warmup', 'weights', 'arch', …) */
  | { type: 'step'; phase: string; step: number; loss: number; accuracy: number }
  /** the architecture distribution now: per layer, per candidate (removed ones 0) */
  | { type: 'distribution'; step: number; probabilities: number[][] }
  /** a removal, or a Prunode shrink (`width`: its hidden width after it) */
  | { type: 'prune'; step: number; layer: number; candidate: number | 'layer'; reason: string; width?: number }
  /** an architecture evaluated (validation accuracy and its cost in the cost model's unit) */
  | { type: 'evaluate'; step: number; choices: number[]; accuracy: number; cost: number }
  | { type: 'epoch'; epoch: number; [metric: string]: number | string }
  | { type: 'message'; text: string };

export interface SearchContext {
  readonly space: SearchSpace;
  readonly net: Supernet;
  readonly data: SearchData;
  readonly cost: CostModel;
  readonly seed: number;
  readonly signal?: AbortSignal;
  emit(e: SearchEvent): void;
}

export interface Strategy {
  readonly name: string;
  /** Does one unit of work; resolves true once the search is finished. */
  advance(ctx: SearchContext): Promise<boolean>;
  /** Work done and planned, in the strategy's units (for the progress bar and ETA). */
  progress(): { done: number; total: number };
  /** The strategy's whole state, JSON-serialisable. */
  saveState(): unknown;
  /** Restores `saveState()`'s value (the supernet's state is restored by the runner). */
  loadState(state: unknown): void;
  /**
   * False while the strategy holds work in progress that saveState() does
   * not capture (random search's candidate network being trained); the
   * runner then defers its checkpoint to the next unit. Absent: always true.
   */
  atCheckpointBoundary?(): boolean;
  /**
   * The architecture found so far: one candidate index per supernet layer
   * (the supernet's order, fixed layers included with index 0; −1 for a
   * removed layer). `architectureOf` turns it into an Architecture.
   */
  derive(): number[];
  /**
   * Strategies that search Prunode widths: every Prunode's hidden width now
   * (removed ones at their width when removed). The runner derives the
   * architecture at these widths (derived.ts); absent: maximal widths.
   */
  widths?(): PrunodeWidth[];
}

/** A Prunode's hidden width: supernet layer, candidate, channels. */
export interface PrunodeWidth {
  readonly layer: number;
  readonly candidate: number;
  readonly width: number;
}

/** Supernet-layer choices (as `derive` returns them) → the space's Architecture; a removed layer becomes its `zero` candidate. */
export function architectureOf(space: SearchSpace, choices: readonly number[]): Architecture {
  const layers = layersOf(space);
  if (choices.length !== layers.length) throw new PrunasRangeError(`architectureOf: ${choices.length} choices for the ${layers.length} layers of ${space.name}`);
  const indices: number[] = [];
  layers.forEach((l, i) => {
    if (!l.searchable) return;
    const j = choices[i] >= 0 ? choices[i] : l.candidates.findIndex((op) => op.kind === 'zero');
    if (j < 0) throw new PrunasRangeError(`architectureOf: layer ${l.name} was removed but has no zero candidate`);
    indices.push(j);
  });
  return architectureFromIndices(space, indices);
}

/** The inverse of architectureOf: supernet-layer choices of an Architecture. */
export function choicesOf(space: SearchSpace, architecture: Architecture): number[] {
  const searchable = architectureIndices(space, architecture);
  let k = 0;
  return layersOf(space).map((l) => (l.searchable ? searchable[k++] : 0));
}

/**
 * Batches of a fixed index set, addressed by number: batch k is the
 * (k mod stepsPerEpoch)-th slice of a seeded permutation for epoch
 * ⌊k / stepsPerEpoch⌋, with augmentation drawn at counter k·batchSize. Being
 * a pure function of k, it needs no state to resume. `stream` separates
 * uses of the same seed (weights vs architecture batches).
 */
export class BatchStream {
  readonly stepsPerEpoch: number;
  private cachedEpoch = -1;
  private order = new Int32Array(0);

  constructor(
    private readonly dataset: Dataset,
    private readonly indices: Int32Array,
    readonly batchSize: number,
    private readonly seed: number,
    private readonly stream: number,
    private readonly augment: { pad: number; hflip: boolean } | null,
  ) {
    this.stepsPerEpoch = Math.max(1, Math.floor(indices.length / batchSize));
  }

  batch(k: number): DatasetSamples {
    const epoch = Math.floor(k / this.stepsPerEpoch);
    if (epoch !== this.cachedEpoch) {
      const p = permutation(this.indices.length, this.seed, this.stream * 2 ** 24 + epoch);
      this.order = p.map((i) => this.indices[i]);
      this.cachedEpoch = epoch;
    }
    const start = (k % this.stepsPerEpoch) * this.batchSize;
    const indices = this.order.slice(start, Math.min(start + this.batchSize, this.order.length));
    const samples: DatasetSamples = { dataset: this.dataset, indices };
    if (this.augment) samples.augment = { pad: this.augment.pad, hflip: this.augment.hflip, seed: this.seed, counter: k * this.batchSize + this.stream * 2 ** 40 };
    return samples;
  }
}

/** softmax over the live entries of `logits` (dead ones: probability 0). */
export function softmaxLive(logits: ArrayLike<number>, live: readonly boolean[]): number[] {
  let max = -Infinity;
  for (let i = 0; i < live.length; i++) if (live[i]) max = Math.max(max, logits[i]);
  const out = new Array<number>(live.length).fill(0);
  let sum = 0;
  for (let i = 0; i < live.length; i++)
    if (live[i]) {
      out[i] = Math.exp(logits[i] - max);
      sum += out[i];
    }
  for (let i = 0; i < live.length; i++) out[i] /= sum;
  return out;
}
