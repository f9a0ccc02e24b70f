// The supernet handle: weights, BN state and optimizer state of every
// candidate live in native memory; a step names one candidate per layer.
import { PrunasRangeError } from '../errors.js';
import { finite, float32, int32, integer } from '../kernels/check.js';
import { native } from '../native.js';
import { layersOf, type SearchSpace } from '../space/spec.js';
import { planOf } from './plan.js';

export interface StepResult {
  loss: number;
  correct: number;
}

export interface Batch {
  /** NHWC float images */
  x: Float32Array;
  y: Int32Array;
}

export interface SupernetState {
  parameters: { name: string; value: Float32Array; momentum: Float32Array; momentumStarted: boolean }[];
  batchnorm: { mean: Float32Array; var: Float32Array }[];
}

export interface SgdSettings {
  lr: number;
  /** default 0.9 */
  momentum?: number;
  /** default true */
  nesterov?: boolean;
  /** default 4e-5 (ProxylessNAS) */
  weightDecay?: number;
  /** default 0.1 */
  labelSmoothing?: number;
}

interface NativeSupernet {
  trainStep(a: unknown): StepResult;
  trainStepAsync(a: unknown): Promise<StepResult>;
  evaluate(a: unknown): StepResult;
  evaluateAsync(a: unknown): Promise<StepResult>;
  gradients(a: unknown): StepResult;
  recalibrate(a: unknown): StepResult;
  parameters(): { name: string; size: number }[];
  readParameter(a: unknown): boolean;
  writeParameter(a: unknown): void;
  runningStats(a: unknown): number;
  memoryStats(): { currentBytes: number; peakBytes: number };
  dispose(): void;
}

export class Supernet {
  readonly space: SearchSpace;
  private handle: NativeSupernet | null;
  private readonly candidateCounts: number[];

  constructor(space: SearchSpace, seed: number) {
    this.space = space;
    this.candidateCounts = layersOf(space).map((l) => l.candidates.length);
    const Native = native.Supernet as unknown as new (a: unknown) => NativeSupernet;
    this.handle = new Native({ ...planOf(space), seed: integer('Supernet', 'seed', seed, 0, Number.MAX_SAFE_INTEGER) });
  }

  get layerCount(): number {
    return this.candidateCounts.length;
  }

  /** One SGD step on the path `choices` (one candidate index per layer). */
  trainStep(batch: Batch, choices: ArrayLike<number>, sgd: SgdSettings): Promise<StepResult> {
    return this.live().trainStepAsync(this.stepArgs('Supernet.trainStep', batch, choices, sgd));
  }

  trainStepSync(batch: Batch, choices: ArrayLike<number>, sgd: SgdSettings): StepResult {
    return this.live().trainStep(this.stepArgs('Supernet.trainStepSync', batch, choices, sgd));
  }

  /** Eval-mode loss (no smoothing) and correct predictions on a batch. */
  evaluate(batch: Batch, choices: ArrayLike<number>): Promise<StepResult> {
    return this.live().evaluateAsync(this.batchArgs('Supernet.evaluate', batch, choices));
  }

  evaluateSync(batch: Batch, choices: ArrayLike<number>): StepResult {
    return this.live().evaluate(this.batchArgs('Supernet.evaluateSync', batch, choices));
  }

  /** BN recalibration: this batch's statistics become the running statistics of the path's BNs. */
  recalibrateBn(batch: Batch, choices: ArrayLike<number>): StepResult {
    return this.live().recalibrate(this.batchArgs('Supernet.recalibrateBn', batch, choices));
  }

  /** Train-mode loss with gradients left in the parameters; no update. */
  gradients(batch: Batch, choices: ArrayLike<number>, labelSmoothing = 0): StepResult {
    return this.live().gradients({ ...this.batchArgs('Supernet.gradients', batch, choices), labelSmoothing: finite('Supernet.gradients', 'labelSmoothing', labelSmoothing, 0, 1) });
  }

  parameters(): { name: string; size: number }[] {
    return this.live().parameters();
  }

  readParameter(index: number, field: 'value' | 'grad' | 'momentum' = 'value'): Float32Array {
    const size = this.parameters()[integer('Supernet.readParameter', 'index', index, 0, this.parameters().length - 1)].size;
    const out = new Float32Array(size);
    this.live().readParameter({ index, [field]: out });
    return out;
  }

  writeParameter(index: number, value: Float32Array): void {
    this.live().writeParameter({ index, value: float32('Supernet.writeParameter', 'value', value) });
  }

  /** Every weight, its optimizer state and every BN running statistic: a checkpoint's content. */
  saveState(): SupernetState {
    const h = this.live();
    const parameters = h.parameters().map(({ name, size }, index) => {
      const value = new Float32Array(size);
      const momentum = new Float32Array(size);
      const momentumStarted = h.readParameter({ index, value, momentum });
      return { name, value, momentum, momentumStarted };
    });
    const batchnorm = Array.from({ length: h.runningStats({}) }, (_, index) => {
      const channels = h.runningStats({ index });
      const mean = new Float32Array(channels);
      const variance = new Float32Array(channels);
      h.runningStats({ index, mean, var: variance });
      return { mean, var: variance };
    });
    return { parameters, batchnorm };
  }

  /** Restores a state saved from a supernet of the same space. */
  loadState(state: SupernetState): void {
    const h = this.live();
    const params = h.parameters();
    if (state.parameters.length !== params.length)
      throw new PrunasRangeError(`Supernet.loadState: the state holds ${state.parameters.length} parameters, this supernet ${params.length}`);
    state.parameters.forEach((p, index) => {
      if (p.name !== params[index].name) throw new PrunasRangeError(`Supernet.loadState: parameter ${index} is ${p.name} in the state, ${params[index].name} here`);
      h.writeParameter({ index, value: p.value, momentum: p.momentum, momentumStarted: p.momentumStarted });
    });
    const units = h.runningStats({});
    if (state.batchnorm.length !== units) throw new PrunasRangeError(`Supernet.loadState: the state holds ${state.batchnorm.length} BN units, this supernet ${units}`);
    state.batchnorm.forEach((bn, index) => h.runningStats({ index, mean: bn.mean, var: bn.var, write: true }));
  }

  /** Activation bytes held now and at the peak of the last step (the engine's own accounting). */
  memoryStats(): { currentBytes: number; peakBytes: number } {
    return this.live().memoryStats();
  }

  dispose(): void {
    this.handle?.dispose();
    this.handle = null;
  }

  private live(): NativeSupernet {
    if (!this.handle) throw new PrunasRangeError('Supernet: used after dispose()');
    return this.handle;
  }

  private batchArgs(where: string, batch: Batch, choices: ArrayLike<number>) {
    const y = int32(where, 'y', batch?.y);
    const size = this.space.input.height * this.space.input.width * this.space.input.channels;
    const x = float32(where, 'x', batch.x, y.length * size);
    if (!choices || choices.length !== this.layerCount)
      throw new PrunasRangeError(`${where}: choices must have ${this.layerCount} entries, got ${choices?.length}`);
    const c = Int32Array.from(choices, (v, i) => integer(where, `choices[${i}]`, v, 0, this.candidateCounts[i] - 1));
    return { x, y, choices: c };
  }

  private stepArgs(where: string, batch: Batch, choices: ArrayLike<number>, sgd: SgdSettings) {
    return {
      ...this.batchArgs(where, batch, choices),
      lr: finite(where, 'lr', sgd?.lr, 0, 1000),
      momentum: finite(where, 'momentum', sgd.momentum ?? 0.9, 0, 1),
      nesterov: sgd.nesterov ?? true,
      weightDecay: finite(where, 'weightDecay', sgd.weightDecay ?? 4e-5, 0, 1),
      labelSmoothing: finite(where, 'labelSmoothing', sgd.labelSmoothing ?? 0.1, 0, 1),
    };
  }
}
