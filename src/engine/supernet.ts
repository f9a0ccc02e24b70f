// The supernet handle: weights, BN state and optimizer state of every
// candidate live in native memory. A step names its paths in one of five
// modes (ALGORITHMS.md, "Shared vocabulary"):
//
//   single / fixed  one path per layer: only it runs, keeps activations and
//                   receives gradients, momentum, Adam moments and weight decay
//   pair            one active path a and a second path b per layer: y = o_a(x),
//                   and gates returns g_k = ⟨o_k(x), ∂L/∂y⟩ for k ∈ {a, b}
//   echo            one active path; gates returns g_k for every candidate
//                   (the others re-run on the saved input, nothing stored)
//   sum             y = Σ_k w_k·o_k(x) (+ x where the layer has a residual):
//                   every candidate runs and keeps activations; gates returns
//                   ∂L/∂w_k = ⟨o_k, ∂L/∂y⟩ (the DARTS baseline)
//
// g_k is ∂L/∂z_k of a gate z_k multiplying o_k, at the step's z (one-hot for
// single/pair/echo). Everything is validated here, before the native call;
// the native side checks again.
import type { Dataset } from '../data/dataset.js';
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { boolean, finite, float32, int32, integer, oneOf, options } from '../kernels/check.js';
import { native } from '../native.js';
import type { SearchSpace } from '../space/spec.js';
import { parseDevice, parsePrecision, type Device, type Precision } from './device.js';
import { nativePlan, planLayers, planOf, validatePlan, type PlanLayerInfo, type SupernetPlan } from './plan.js';

export type PathMode = 'single' | 'pair' | 'echo' | 'sum' | 'fixed';
export const PATH_MODES: readonly PathMode[] = ['single', 'pair', 'echo', 'sum', 'fixed'];

/** A batch as arrays: NHWC float images and their labels. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
}

/** Samples of a native dataset, assembled (and augmented) natively inside the job. */
export interface DatasetSamples {
  dataset: Dataset;
  indices: Int32Array;
  /** random crop with padding and horizontal flip; sample i draws from Philox(seed, augment stream, counter + i) */
  augment?: { pad?: number; hflip?: boolean; seed: number; counter?: number };
}

/** A block plan's samples: input feature maps and the target maps of its output (NHWC); features need no target. */
export interface BlockSamples {
  x: Float32Array;
  target?: Float32Array;
}

export type Samples = Batch | DatasetSamples | BlockSamples;

/** Per-layer probabilities to draw the paths from, natively (Philox sample stream at (seed, counter)). */
export interface PathSampling {
  probabilities: readonly ArrayLike<number>[];
  seed: number;
  counter: number;
}

/**
 * The paths of a step. `choices` names the active candidate per layer;
 * `others` pair's second path (−1: none); `sample` draws them instead
 * (pair: two distinct paths from p, then the active one from the pair's
 * renormalised p, as ProxylessNAS does); `weights` are sum's gates.
 */
export type PathSpec =
  | { mode: 'single' | 'fixed' | 'echo'; choices: ArrayLike<number> }
  | { mode: 'pair'; choices: ArrayLike<number>; others: ArrayLike<number> }
  | { mode: 'single' | 'fixed' | 'pair' | 'echo'; sample: PathSampling }
  | { mode: 'sum'; weights: readonly ArrayLike<number>[] };

/**
 * The gates (z_big, z_small) of Prunodes for one call (native/nn/prunode.h):
 * the Prunode at (layer, candidate) computes (z_big·m_big + z_small·m_small)
 * ⊙ h on its hidden activation. Prunodes not listed run with (1, 0), their
 * full current width.
 */
export interface PrunodeGate {
  layer: number;
  candidate: number;
  big: number;
  small: number;
}

export interface PrunodeGates {
  prunodeGates?: readonly PrunodeGate[];
}

/** A live Prunode's hidden widths: current, step Δ, minimum and maximum (H). */
export interface PrunodeInfo {
  layer: number;
  candidate: number;
  width: number;
  step: number;
  minWidth: number;
  maxWidth: number;
}

export interface OptimizerSettings {
  lr: number;
  /** default 'sgd' */
  optimizer?: 'sgd' | 'adam';
  /** SGD; default 0.9 */
  momentum?: number;
  /** SGD; default true */
  nesterov?: boolean;
  /** L2 added to the gradient (AdamW-style decay when `decoupled`); default 4e-5 (ProxylessNAS) */
  weightDecay?: number;
  /** Adam; defaults 0.9, 0.999, 1e-8 */
  beta1?: number;
  beta2?: number;
  eps?: number;
  decoupled?: boolean;
}

export type WeightStepOptions = PathSpec &
  PrunodeGates &
  OptimizerSettings & {
    samples: Samples;
    /** default 0.1 */
    labelSmoothing?: number;
  };

export type ArchStepOptions = PathSpec & PrunodeGates & {
  samples: Samples;
  /** default 0 */
  labelSmoothing?: number;
  /** update the active paths' BN running statistics; default false */
  updateRunningStats?: boolean;
};

export type EvaluatePaths = { mode?: 'single' | 'fixed'; choices: ArrayLike<number> } | { mode: 'sum'; weights: readonly ArrayLike<number>[] };

export type EvaluateOptions = EvaluatePaths & PrunodeGates & {
  samples: Samples;
  /** samples per forward; default all at once */
  batchSize?: number;
  /** filled with the logits, samples × classes */
  logits?: Float32Array;
};

export type RecalibrateOptions = EvaluatePaths & { samples: Samples; batchSize?: number };

export interface StepResult {
  /** mean loss over the samples */
  loss: number;
  correct: number;
}

export interface StepOutcome extends StepResult {
  count: number;
  /** the active path per layer (sampled ones included; −1 for a removed layer); absent in sum mode */
  choices?: Int32Array;
  /** pair's second path per layer, −1 where none */
  others?: Int32Array;
  /** per layer, per candidate: ∂L/∂z_k; NaN where the step did not evaluate it */
  gates: Float64Array[];
  /** ∂L/∂z_big and ∂L/∂z_small of every Prunode the step ran with a backward */
  prunodeGrads: PrunodeGate[];
}

export interface EvaluateOutcome extends StepResult {
  count: number;
  perClassCorrect: Int32Array;
  /** block plans: sums over every output value, d = output − target, y = target */
  regression?: RegressionSums;
}

export interface RegressionSums {
  /** Σd² */
  squared: number;
  /** Σ|d| */
  absolute: number;
  /** Σy */
  target: number;
  /** Σy² */
  targetSquared: number;
  values: number;
}

export interface FeaturesOptions {
  samples: Samples;
  mode?: 'single' | 'fixed';
  choices: ArrayLike<number>;
  /** layer indices (−1: the stem's output) whose outputs to return, NHWC */
  layers: readonly number[];
  /** BN on batch statistics (running statistics untouched) instead of running statistics; default false */
  trainBn?: boolean;
  /** samples per forward; default all at once (train-mode BN statistics depend on it) */
  batchSize?: number;
}

export interface MemoryStats {
  /** activation bytes held now (0 between steps) */
  currentBytes: number;
  /** activation bytes at the peak of the last call */
  peakBytes: number;
  /** released activation buffers kept for the next step (not in use) */
  cachedBytes: number;
  /** parameters, their gradients and optimizer state */
  parameterBytes: number;
  /**
   * how many times the host has waited for the device so far (0 on the CPU;
   * on CUDA every synchronization of the device's stream, shared by the nets
   * on that device): a step waits once, at its end, for its results
   */
  hostWaits: number;
}

/** One op of a profiled supernet: calls and milliseconds since the last reset. */
export interface OpTime {
  /** e.g. "conv depthwise backward", "batchnorm+act forward", "optimizer", "read results" */
  op: string;
  calls: number;
  ms: number;
}

export interface ParameterState {
  name: string;
  value: Float32Array;
  momentum: Float32Array;
  momentumStarted: boolean;
  adamM?: Float32Array;
  adamV?: Float32Array;
  adamSteps?: number;
}

export interface SupernetState {
  parameters: ParameterState[];
  batchnorm: { name?: string; mean: Float32Array; var: Float32Array }[];
  /** removed candidates ([layer, index]) and layers, applied before the tensors on load */
  removed?: { candidates: [number, number][]; layers: number[] };
  /** hidden widths of shrunk Prunodes ([layer, candidate, width]), applied (as shrinks) before the tensors on load */
  prunodeWidths?: [number, number, number][];
}

/** The settings of `trainStep` (SGD). */
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

interface NativeOutcome {
  loss: number;
  correct: number;
  count: number;
  choices?: Int32Array;
  others?: Int32Array;
  gates?: Float64Array;
  prunodeGrads?: Float64Array;
  perClassCorrect?: Int32Array;
  regression?: RegressionSums;
  features?: Float32Array[];
}

interface NativeSupernet {
  weightStep(a: unknown): NativeOutcome;
  weightStepAsync(a: unknown): Promise<NativeOutcome>;
  archStep(a: unknown): NativeOutcome;
  archStepAsync(a: unknown): Promise<NativeOutcome>;
  evaluate(a: unknown): NativeOutcome;
  evaluateAsync(a: unknown): Promise<NativeOutcome>;
  recalibrateBn(a: unknown): NativeOutcome;
  recalibrateBnAsync(a: unknown): Promise<NativeOutcome>;
  gradients(a: unknown): NativeOutcome;
  features(a: unknown): NativeOutcome;
  featuresAsync(a: unknown): Promise<NativeOutcome>;
  samplePaths(a: unknown): { choices: Int32Array; others: Int32Array };
  removeCandidate(a: unknown): void;
  removeLayer(a: unknown): void;
  shrinkPrunode(a: unknown): void;
  prunodeWidths(): Int32Array;
  structure(): { live: Uint8Array; removedLayers: Uint8Array; residual: Uint8Array };
  parameters(): { name: string; size: number }[];
  parameterCount(): number;
  readParameter(a: unknown): { momentumStarted: boolean; adamSteps: number };
  writeParameter(a: unknown): void;
  bnUnits(): string[];
  runningStats(a: unknown): number;
  memoryStats(): MemoryStats;
  releaseCache(): void;
  opTimes(): OpTime[];
  resetOpTimes(): void;
  dispose(): void;
}

export class Supernet {
  readonly plan: SupernetPlan;
  /** the space it was built from, when it was */
  readonly space: SearchSpace | undefined;
  readonly layers: readonly PlanLayerInfo[];
  private handle: NativeSupernet | null;
  private readonly offsets: number[];
  private readonly liveCandidates: boolean[][];
  private readonly removedLayers: boolean[];
  private readonly removedCandidates: [number, number][] = [];

  /** "cpu" or "cuda:N": where the weights, activations and optimizer state live and the steps run */
  readonly device: Device;
  /** "fp32" (strict float32, the default); CUDA only: "tf32" (TF32 tensor cores) or "bf16" (bf16 activations, float32 master weights) */
  readonly precision: Precision;

  /**
   * Builds every candidate of a search space (or of a plan) in native memory, initialised from `seed`
   * (the same weights on every device), on `options.device` ("cpu" by default, or "cuda:N"), in
   * `options.precision` ("fp32" by default; "tf32" or "bf16" on CUDA). `options.profile` times every
   * op (see opTimes; on a device each op then waits for the device, so steps run slower).
   */
  constructor(spaceOrPlan: SearchSpace | SupernetPlan, seed: number, options: { device?: string; precision?: string; profile?: boolean } = {}) {
    if (options === null || typeof options !== 'object') throw new PrunasTypeError(`Supernet: options must be an object, got ${describeValue(options)}`);
    if (options.profile !== undefined && typeof options.profile !== 'boolean') throw new PrunasTypeError(`Supernet: options.profile must be a boolean, got ${describeValue(options.profile)}`);
    this.device = parseDevice('Supernet', options.device);
    this.precision = parsePrecision('Supernet', options.precision, this.device);
    const isSpace = typeof spaceOrPlan === 'object' && spaceOrPlan !== null && 'stages' in spaceOrPlan;
    this.space = isSpace ? (spaceOrPlan as SearchSpace) : undefined;
    this.plan = isSpace ? planOf(spaceOrPlan as SearchSpace) : validatePlan(spaceOrPlan);
    this.layers = planLayers(this.plan);
    this.offsets = [0];
    for (const l of this.layers) this.offsets.push(this.offsets[this.offsets.length - 1] + l.candidates.length);
    this.liveCandidates = this.layers.map((l) => l.candidates.map(() => true));
    this.removedLayers = this.layers.map(() => false);
    const Native = native.Supernet as unknown as new (a: unknown) => NativeSupernet;
    this.handle = new Native({ ...nativePlan(this.plan), seed: integer('Supernet', 'seed', seed, 0, Number.MAX_SAFE_INTEGER), device: this.device, precision: this.precision, profile: options.profile ?? false });
  }

  get layerCount(): number {
    return this.layers.length;
  }

  /** Candidates per layer (removed ones keep their index). */
  get candidateCounts(): number[] {
    return this.layers.map((l) => l.candidates.length);
  }

  // ---- steps ----

  /** One weight step: forward along the paths, label-smoothed CE, backward, optimizer on the touched parameters. */
  async weightStep(o: WeightStepOptions): Promise<StepOutcome> {
    return this.outcome(await this.alive().weightStepAsync(this.weightArgs('Supernet.weightStep', o)));
  }

  weightStepSync(o: WeightStepOptions): StepOutcome {
    return this.outcome(this.alive().weightStep(this.weightArgs('Supernet.weightStepSync', o)));
  }

  /** Gate gradients without touching the weights (BN in train mode). */
  async archStep(o: ArchStepOptions): Promise<StepOutcome> {
    return this.outcome(await this.alive().archStepAsync(this.archArgs('Supernet.archStep', o)));
  }

  archStepSync(o: ArchStepOptions): StepOutcome {
    return this.outcome(this.alive().archStep(this.archArgs('Supernet.archStepSync', o)));
  }

  /** Eval-mode loss (no smoothing), correct predictions overall and per class. */
  evaluate(o: EvaluateOptions): Promise<EvaluateOutcome>;
  /** Shorthand: one batch on one path. */
  evaluate(batch: Batch, choices: ArrayLike<number>): Promise<EvaluateOutcome>;
  async evaluate(o: EvaluateOptions | Batch, choices?: ArrayLike<number>): Promise<EvaluateOutcome> {
    const args = this.evaluateArgs('Supernet.evaluate', choices === undefined ? (o as EvaluateOptions) : { samples: o as Batch, choices });
    return evaluation(await this.alive().evaluateAsync(args));
  }

  evaluateSync(o: EvaluateOptions): EvaluateOutcome;
  evaluateSync(batch: Batch, choices: ArrayLike<number>): EvaluateOutcome;
  evaluateSync(o: EvaluateOptions | Batch, choices?: ArrayLike<number>): EvaluateOutcome {
    const args = this.evaluateArgs('Supernet.evaluateSync', choices === undefined ? (o as EvaluateOptions) : { samples: o as Batch, choices });
    return evaluation(this.alive().evaluate(args));
  }

  /**
   * BN recalibration: resets the running statistics of every BN on the paths,
   * then averages the batch statistics of the samples (in batches of batchSize).
   */
  recalibrateBn(o: RecalibrateOptions): Promise<StepResult>;
  recalibrateBn(batch: Batch, choices: ArrayLike<number>): Promise<StepResult>;
  async recalibrateBn(o: RecalibrateOptions | Batch, choices?: ArrayLike<number>): Promise<StepResult> {
    const args = this.recalibrateArgs('Supernet.recalibrateBn', choices === undefined ? (o as RecalibrateOptions) : { samples: o as Batch, choices });
    const { loss, correct } = await this.alive().recalibrateBnAsync(args);
    return { loss, correct };
  }

  recalibrateBnSync(o: RecalibrateOptions): StepResult;
  recalibrateBnSync(batch: Batch, choices: ArrayLike<number>): StepResult;
  recalibrateBnSync(o: RecalibrateOptions | Batch, choices?: ArrayLike<number>): StepResult {
    const args = this.recalibrateArgs('Supernet.recalibrateBnSync', choices === undefined ? (o as RecalibrateOptions) : { samples: o as Batch, choices });
    const { loss, correct } = this.alive().recalibrateBn(args);
    return { loss, correct };
  }

  /** Shorthand for a `single`-path SGD weight step on one batch (the trainer's step). */
  async trainStep(batch: Batch, choices: ArrayLike<number>, sgd: SgdSettings): Promise<StepOutcome> {
    return this.weightStep({ samples: batch, mode: 'single', choices, ...sgd });
  }

  trainStepSync(batch: Batch, choices: ArrayLike<number>, sgd: SgdSettings): StepOutcome {
    return this.weightStepSync({ samples: batch, mode: 'single', choices, ...sgd });
  }

  /** Train-mode loss with the parameter gradients left in place; no update, no running-statistics update. */
  gradients(batch: Samples, choices: ArrayLike<number>, labelSmoothing = 0, prunodeGates?: readonly PrunodeGate[]): StepOutcome {
    const where = 'Supernet.gradients';
    return this.outcome(
      this.alive().gradients({
        ...this.samplesArgs(where, batch),
        ...this.pathArgs(where, { mode: 'single', choices, prunodeGates }, false),
        labelSmoothing: finite(where, 'labelSmoothing', labelSmoothing, 0, 1),
      }),
    );
  }

  /**
   * The activations at the end of the given layers along one path (a
   * teacher's stage outputs for DNA), one NHWC Float32Array per entry of
   * `layers`. BN uses running statistics, or batch statistics with trainBn.
   */
  async features(o: FeaturesOptions): Promise<Float32Array[]> {
    return (await this.alive().featuresAsync(this.featuresArgs('Supernet.features', o))).features ?? [];
  }

  featuresSync(o: FeaturesOptions): Float32Array[] {
    return this.alive().features(this.featuresArgs('Supernet.featuresSync', o)).features ?? [];
  }

  /** Height, width and channels of the last layer's output (a block's target map per sample). */
  get outputShape(): { height: number; width: number; channels: number } {
    let height = Math.ceil(this.plan.input.height / this.plan.stem.stride);
    let width = Math.ceil(this.plan.input.width / this.plan.stem.stride);
    for (const l of this.layers) {
      height = Math.ceil(height / l.stride);
      width = Math.ceil(width / l.stride);
    }
    return { height, width, channels: this.layers.length ? this.layers[this.layers.length - 1].out : this.plan.stem.out };
  }

  /** The paths a step with `sample` would draw (Philox sample stream at (seed, counter)), without the step. */
  samplePaths(mode: 'single' | 'fixed' | 'pair' | 'echo', sample: PathSampling): { choices: Int32Array; others: Int32Array } {
    const where = 'Supernet.samplePaths';
    const { choices, others } = this.alive().samplePaths(this.pathArgs(where, { mode, sample }, true));
    return { choices, others };
  }

  // ---- structure ----

  /** Frees a candidate's weights, BN state and optimizer state; choosing it afterwards is an error. */
  removeCandidate(layer: number | string, index: number): void {
    const where = 'Supernet.removeCandidate';
    const l = this.layerIndex(where, layer);
    const i = integer(where, 'index', index, 0, this.layers[l].candidates.length - 1);
    if (this.removedLayers[l]) throw new PrunasRangeError(`${where}: layer ${this.layers[l].name} was removed`);
    if (!this.liveCandidates[l][i]) throw new PrunasRangeError(`${where}: candidate ${i} of layer ${this.layers[l].name} was already removed`);
    if (this.liveCandidates[l].filter(Boolean).length === 1)
      throw new PrunasRangeError(`${where}: candidate ${i} is the last one of layer ${this.layers[l].name}; remove the layer instead (where it has a residual)`);
    this.alive().removeCandidate({ layer: l, index: i });
    this.liveCandidates[l][i] = false;
    this.removedCandidates.push([l, i]);
  }

  /** The layer becomes the identity (only where it has a residual); all its candidates are freed. */
  removeLayer(layer: number | string): void {
    const where = 'Supernet.removeLayer';
    const l = this.layerIndex(where, layer);
    if (this.removedLayers[l]) throw new PrunasRangeError(`${where}: layer ${this.layers[l].name} was already removed`);
    if (!this.layers[l].residual)
      throw new PrunasRangeError(`${where}: layer ${this.layers[l].name} has no residual (stride ${this.layers[l].stride}, in ${this.layers[l].in}, out ${this.layers[l].out}): it cannot become the identity`);
    this.alive().removeLayer({ layer: l });
    this.removedLayers[l] = true;
    this.liveCandidates[l].fill(false);
  }

  /**
   * The Prunode at (layer, candidate) loses its last Δ hidden channels: expand
   * rows, depthwise and BN channels, project columns, with their optimizer
   * state and BN statistics, freed (native/nn/prunode.h).
   */
  shrinkPrunode(layer: number | string, candidate: number): void {
    const where = 'Supernet.shrinkPrunode';
    const l = this.layerIndex(where, layer);
    const k = integer(where, 'candidate', candidate, 0, this.layers[l].candidates.length - 1);
    const info = this.prunodes().find((p) => p.layer === l && p.candidate === k);
    if (!info) throw new PrunasRangeError(`${where}: candidate ${k} of layer ${this.layers[l].name} is not a live prunode`);
    if (info.width - info.step < info.minWidth)
      throw new PrunasRangeError(`${where}: the prunode at layer ${this.layers[l].name}, candidate ${k} has width ${info.width}; one step of ${info.step} would go below its minimum width ${info.minWidth}`);
    this.alive().shrinkPrunode({ layer: l, index: k });
  }

  /** Every live Prunode with its widths. */
  prunodes(): PrunodeInfo[] {
    const rows = this.alive().prunodeWidths();
    const out: PrunodeInfo[] = [];
    this.layers.forEach((layer, l) =>
      layer.candidates.forEach((_, k) => {
        const j = 4 * (this.offsets[l] + k);
        if (rows[j] > 0) out.push({ layer: l, candidate: k, width: rows[j], step: rows[j + 1], minWidth: rows[j + 2], maxWidth: rows[j + 3] });
      }),
    );
    return out;
  }

  /** Which candidates are live, per layer, and which layers were removed. */
  structure(): { live: boolean[][]; removedLayers: boolean[] } {
    return { live: this.liveCandidates.map((l) => [...l]), removedLayers: [...this.removedLayers] };
  }

  // ---- parameters and state ----

  parameters(): { name: string; size: number }[] {
    return this.alive().parameters();
  }

  /** Scalars in the live parameters (weights, BN γ and β, classifier). */
  parameterCount(): number {
    return this.alive().parameterCount();
  }

  readParameter(index: number, field: 'value' | 'grad' | 'momentum' | 'adamM' | 'adamV' = 'value'): Float32Array {
    const params = this.parameters();
    const size = params[integer('Supernet.readParameter', 'index', index, 0, params.length - 1)].size;
    const out = new Float32Array(size);
    this.alive().readParameter({ index, [oneOf('Supernet.readParameter', 'field', field, ['value', 'grad', 'momentum', 'adamM', 'adamV'])]: out });
    return out;
  }

  writeParameter(index: number, value: Float32Array): void {
    const params = this.parameters();
    integer('Supernet.writeParameter', 'index', index, 0, params.length - 1);
    this.alive().writeParameter({ index, value: float32('Supernet.writeParameter', 'value', value, params[index].size) });
  }

  /** Every live weight with its optimizer state, every BN running statistic and the removals: a checkpoint's content. */
  saveState(): SupernetState {
    const h = this.alive();
    const parameters = h.parameters().map(({ name, size }, index): ParameterState => {
      const value = new Float32Array(size);
      const momentum = new Float32Array(size);
      const adamM = new Float32Array(size);
      const adamV = new Float32Array(size);
      const { momentumStarted, adamSteps } = h.readParameter({ index, value, momentum, adamM, adamV });
      return adamSteps > 0 ? { name, value, momentum, momentumStarted, adamM, adamV, adamSteps } : { name, value, momentum, momentumStarted };
    });
    const names = h.bnUnits();
    const batchnorm = names.map((name, index) => {
      const channels = h.runningStats({ index });
      const mean = new Float32Array(channels);
      const variance = new Float32Array(channels);
      h.runningStats({ index, mean, var: variance });
      return { name, mean, var: variance };
    });
    return {
      parameters,
      batchnorm,
      removed: { candidates: this.removedCandidates.map(([l, i]) => [l, i] as [number, number]), layers: this.removedLayers.flatMap((r, l) => (r ? [l] : [])) },
      prunodeWidths: this.prunodes().flatMap((p) => (p.width < p.maxWidth ? [[p.layer, p.candidate, p.width] as [number, number, number]] : [])),
    };
  }

  /** Restores a state saved from a supernet of the same plan (its removals first, then the tensors). */
  loadState(state: SupernetState): void {
    const where = 'Supernet.loadState';
    options(where, state);
    for (const l of state.removed?.layers ?? []) if (!this.removedLayers[l]) this.removeLayer(l);
    for (const [l, i] of state.removed?.candidates ?? []) if (!this.removedLayers[l] && this.liveCandidates[l]?.[i]) this.removeCandidate(l, i);
    this.shrinkTo(where, state.prunodeWidths ?? []);
    const h = this.alive();
    const params = h.parameters();
    if (state.parameters.length !== params.length)
      throw new PrunasRangeError(`${where}: the state holds ${state.parameters.length} parameters, this supernet ${params.length}`);
    state.parameters.forEach((p, index) => {
      if (p.name !== params[index].name) throw new PrunasRangeError(`${where}: parameter ${index} is ${p.name} in the state, ${params[index].name} here`);
      const size = params[index].size;
      h.writeParameter({
        index,
        value: float32(where, `parameters[${index}].value`, p.value, size),
        momentum: float32(where, `parameters[${index}].momentum`, p.momentum, size),
        momentumStarted: boolean(where, `parameters[${index}].momentumStarted`, p.momentumStarted),
        ...(p.adamM || p.adamV
          ? { adamM: float32(where, `parameters[${index}].adamM`, p.adamM, size), adamV: float32(where, `parameters[${index}].adamV`, p.adamV, size), adamSteps: integer(where, `parameters[${index}].adamSteps`, p.adamSteps ?? 0, 0, Number.MAX_SAFE_INTEGER) }
          : {}),
      });
    });
    const names = h.bnUnits();
    if (state.batchnorm.length !== names.length) throw new PrunasRangeError(`${where}: the state holds ${state.batchnorm.length} BN units, this supernet ${names.length}`);
    state.batchnorm.forEach((bn, index) => {
      if (bn.name !== undefined && bn.name !== names[index]) throw new PrunasRangeError(`${where}: BN unit ${index} is ${bn.name} in the state, ${names[index]} here`);
      h.runningStats({ index, mean: bn.mean, var: bn.var, write: true });
    });
  }

  /** The parameters whose names pass `keep`, with their optimizer state (a part of saveState()). */
  saveParameters(keep: (name: string) => boolean): ParameterState[] {
    const h = this.alive();
    return h.parameters().flatMap(({ name, size }, index): ParameterState[] => {
      if (!keep(name)) return [];
      const value = new Float32Array(size);
      const momentum = new Float32Array(size);
      const adamM = new Float32Array(size);
      const adamV = new Float32Array(size);
      const { momentumStarted, adamSteps } = h.readParameter({ index, value, momentum, adamM, adamV });
      return [adamSteps > 0 ? { name, value, momentum, momentumStarted, adamM, adamV, adamSteps } : { name, value, momentum, momentumStarted }];
    });
  }

  /** Overwrites some parameters (by name) with their value and optimizer state; the others stay. */
  loadParameters(parameters: readonly ParameterState[]): void {
    const where = 'Supernet.loadParameters';
    const h = this.alive();
    const index = new Map(h.parameters().map((p, i) => [p.name, { i, size: p.size }]));
    for (const p of parameters) {
      const at = index.get(p.name);
      if (!at) throw new PrunasRangeError(`${where}: this supernet has no parameter ${p.name}`);
      h.writeParameter({
        index: at.i,
        value: float32(where, `${p.name}.value`, p.value, at.size),
        momentum: float32(where, `${p.name}.momentum`, p.momentum, at.size),
        momentumStarted: p.momentumStarted,
        ...(p.adamM && p.adamV ? { adamM: float32(where, `${p.name}.adamM`, p.adamM, at.size), adamV: float32(where, `${p.name}.adamV`, p.adamV, at.size), adamSteps: p.adamSteps ?? 0 } : {}),
      });
    }
  }

  /**
   * The stand-alone network of one path: a plan with only the chosen
   * candidate per layer (a removed layer becomes `zero`, the identity) and a
   * state holding this supernet's weights, optimizer state and BN statistics
   * for it, to load into `new Supernet(plan, seed)`.
   */
  extractPath(choices: ArrayLike<number>): { plan: SupernetPlan; state: SupernetState } {
    const where = 'Supernet.extractPath';
    const picked = this.indices(where, 'choices', choices, false);
    const plan: SupernetPlan = {
      ...this.plan,
      layers: this.plan.layers.map((layer, l) => ({ name: layer.name, candidates: [this.removedLayers[l] ? { kind: 'zero' } : layer.candidates[picked[l]]] })),
    };
    // layers.<l>.op<k>.<rest>: keep the chosen k, renamed to op0 (the one candidate of the path's layer)
    const rename = (name: string): string | null => {
      const m = /^layers\.(\d+)\.op(\d+)\.(.*)$/.exec(name);
      if (!m) return name;
      return Number(m[2]) === picked[Number(m[1])] ? `layers.${m[1]}.op0.${m[3]}` : null;
    };
    const state = this.saveState();
    const prunodeWidths = (state.prunodeWidths ?? []).flatMap(([l, k, w]) => (k === picked[l] && !this.removedLayers[l] ? [[l, 0, w] as [number, number, number]] : []));
    return {
      plan,
      state: {
        ...(prunodeWidths.length ? { prunodeWidths } : {}),
        parameters: state.parameters.flatMap((p) => {
          const name = rename(p.name);
          return name === null ? [] : [{ ...p, name }];
        }),
        batchnorm: state.batchnorm.flatMap((b) => {
          const name = rename(b.name ?? '');
          return name === null ? [] : [{ ...b, name }];
        }),
      },
    };
  }

  /** Shrinks Prunodes to the given widths (a state's); a width above the current one or off the steps is an error. */
  private shrinkTo(where: string, widths: readonly (readonly [number, number, number])[]): void {
    for (const [l, k, width] of widths) {
      const at = () => this.prunodes().find((p) => p.layer === l && p.candidate === k);
      const p = at();
      if (!p) throw new PrunasRangeError(`${where}: prunodeWidths names layer ${l}, candidate ${k}, which is not a live prunode here`);
      if (width > p.width || (p.width - width) % p.step !== 0 || width < p.minWidth)
        throw new PrunasRangeError(`${where}: prunode at layer ${l}, candidate ${k} cannot go from width ${p.width} to ${width} in steps of ${p.step} (minimum ${p.minWidth})`);
      while (at()!.width > width) this.alive().shrinkPrunode({ layer: l, index: k });
    }
  }

  // ---- memory ----

  /** Activation bytes (current, peak of the last call, cached) by the engine's own accounting, and parameter bytes. */
  memoryStats(): MemoryStats {
    return this.alive().memoryStats();
  }

  /** Frees the activation buffers kept for reuse between steps. */
  releaseCache(): void {
    this.alive().releaseCache();
  }

  /**
   * Where the steps' time went, per op, slowest first (a net made with `profile: true`; empty
   * otherwise): the compute's own clock around each op (the host's on the CPU, device events on
   * CUDA). What a step takes beyond their sum is host work between the ops.
   */
  opTimes(): OpTime[] {
    return this.alive().opTimes().sort((a, b) => b.ms - a.ms);
  }

  resetOpTimes(): void {
    this.alive().resetOpTimes();
  }

  dispose(): void {
    this.handle?.dispose();
    this.handle = null;
  }

  // ---- argument checks ----

  private alive(): NativeSupernet {
    if (!this.handle) throw new PrunasRangeError('Supernet: used after dispose()');
    return this.handle;
  }

  private layerIndex(where: string, layer: number | string): number {
    if (typeof layer === 'string') {
      const l = this.layers.findIndex((info) => info.name === layer);
      if (l < 0) throw new PrunasRangeError(`${where}: no layer named ${JSON.stringify(layer)}`);
      return l;
    }
    return integer(where, 'layer', layer, 0, this.layers.length - 1);
  }

  private outcome(r: NativeOutcome): StepOutcome {
    const gates = r.gates ?? new Float64Array(this.offsets[this.offsets.length - 1]).fill(Number.NaN);
    return {
      loss: r.loss,
      correct: r.correct,
      count: r.count,
      ...(r.choices ? { choices: r.choices, others: r.others } : {}),
      gates: this.layers.map((_, l) => gates.subarray(this.offsets[l], this.offsets[l + 1])),
      prunodeGrads: prunodeGradsOf(r.prunodeGrads, this.layers, this.offsets),
    };
  }

  private samplesArgs(where: string, samples: Samples): Record<string, unknown> {
    options(`${where}: samples`, samples);
    if (this.plan.block) {
      if ('dataset' in samples || 'y' in samples) throw new PrunasRangeError(`${where}: a block takes feature maps {x, target}`);
      const { height, width, channels } = this.plan.input;
      const perSample = height * width * channels;
      const x = float32(where, 'x', (samples as BlockSamples).x);
      if (x.length < 1 || x.length % perSample !== 0) throw new PrunasRangeError(`${where}: x must hold whole ${height}×${width}×${channels} feature maps, got ${x.length} values`);
      const target = (samples as BlockSamples).target;
      if (target === undefined) return { x };
      const out = this.outputShape;
      return { x, target: float32(where, 'target', target, (x.length / perSample) * out.height * out.width * out.channels) };
    }
    if ('dataset' in samples) {
      const d = samples.dataset;
      const { height, width, channels } = this.plan.input;
      if (d.height !== height || d.width !== width || d.channels !== channels)
        throw new PrunasRangeError(`${where}: the dataset holds ${d.height}×${d.width}×${d.channels} images, the supernet takes ${height}×${width}×${channels}`);
      if (d.classes !== this.plan.classes) throw new PrunasRangeError(`${where}: the dataset has ${d.classes} classes, the supernet ${this.plan.classes}`);
      const indices = int32(where, 'indices', samples.indices);
      if (indices.length < 1) throw new PrunasRangeError(`${where}: indices must not be empty`);
      for (let i = 0; i < indices.length; i++)
        if (indices[i] < 0 || indices[i] >= d.size) throw new PrunasRangeError(`${where}: indices[${i}] = ${indices[i]} is outside [0, ${d.size})`);
      const a = samples.augment === undefined ? undefined : options(`${where}: augment`, samples.augment);
      return {
        dataset: d.nativeHandle(),
        indices,
        mean: d.mean,
        std: d.std,
        pad: integer(where, 'augment.pad', a?.pad ?? 0, 0, Math.min(height, width)),
        hflip: boolean(where, 'augment.hflip', a?.hflip ?? false),
        augmentSeed: integer(where, 'augment.seed', a ? a.seed : 0, 0, Number.MAX_SAFE_INTEGER),
        augmentCounter: integer(where, 'augment.counter', a?.counter ?? 0, 0, Number.MAX_SAFE_INTEGER),
      };
    }
    const y = int32(where, 'y', (samples as Batch).y);
    if (y.length < 1) throw new PrunasRangeError(`${where}: y must not be empty`);
    const { height, width, channels } = this.plan.input;
    const x = float32(where, 'x', (samples as Batch).x, y.length * height * width * channels);
    for (let i = 0; i < y.length; i++)
      if (y[i] < 0 || y[i] >= this.plan.classes) throw new PrunasRangeError(`${where}: y[${i}] = ${y[i]} is outside [0, ${this.plan.classes})`);
    return { x, y };
  }

  private pathArgs(where: string, spec: (PathSpec | EvaluatePaths) & PrunodeGates, sampling: boolean): Record<string, unknown> {
    const o = options(where, spec) as Record<string, unknown>;
    const mode = oneOf(where, 'mode', o.mode ?? 'single', PATH_MODES);
    const L = this.layers.length;
    if (!sampling && mode !== 'single' && mode !== 'fixed' && mode !== 'sum')
      throw new PrunasRangeError(`${where}: mode must be one of single, fixed, sum, got ${JSON.stringify(mode)}`);
    const gates = this.prunodeGateArgs(where, o.prunodeGates);
    if (mode === 'sum') {
      const weights = this.perCandidate(where, 'weights', o.weights, (w, name, l, k) => {
        finite(where, name, w);
        if (!this.liveCandidates[l][k] && w !== 0) throw new PrunasRangeError(`${where}: ${name} must be 0: that candidate was removed`);
      });
      return { mode, weights, ...gates };
    }
    if (o.sample !== undefined) {
      if (!sampling) throw new PrunasRangeError(`${where}: paths cannot be sampled here; pass choices`);
      if (o.choices !== undefined) throw new PrunasRangeError(`${where}: pass either choices or sample, not both`);
      const s = options(`${where}: sample`, o.sample);
      const probabilities = this.perCandidate(where, 'sample.probabilities', s.probabilities, (p, name, l, k) => {
        finite(where, name, p, 0);
        if (!this.liveCandidates[l][k] && p !== 0) throw new PrunasRangeError(`${where}: ${name} must be 0: that candidate was removed`);
      });
      for (let l = 0; l < L; l++) {
        if (this.removedLayers[l]) continue;
        let sum = 0;
        for (let k = this.offsets[l]; k < this.offsets[l + 1]; k++) sum += probabilities[k];
        if (Math.abs(sum - 1) > 1e-3) throw new PrunasRangeError(`${where}: sample.probabilities[${l}] must sum to 1, got ${sum}`);
      }
      return {
        ...gates,
        mode,
        probabilities,
        sampleSeed: integer(where, 'sample.seed', s.seed, 0, Number.MAX_SAFE_INTEGER),
        sampleCounter: integer(where, 'sample.counter', s.counter, 0, Number.MAX_SAFE_INTEGER),
      };
    }
    const choices = this.indices(where, 'choices', o.choices, false);
    if (mode !== 'pair') return { mode, choices, ...gates };
    const others = this.indices(where, 'others', o.others, true);
    for (let l = 0; l < L; l++)
      if (!this.removedLayers[l] && others[l] !== -1 && others[l] === choices[l])
        throw new PrunasRangeError(`${where}: others[${l}] = ${others[l]} equals choices[${l}]: a pair needs two different paths`);
    return { mode, choices, others, ...gates };
  }

  /** (z_big, z_small) per candidate, (1, 0) where not given; only live Prunodes may be named. */
  private prunodeGateArgs(where: string, value: unknown): { prunodeGates?: Float32Array } {
    if (value === undefined) return {};
    if (!Array.isArray(value)) throw new PrunasTypeError(`${where}: prunodeGates must be an array of {layer, candidate, big, small}, got ${describeValue(value)}`);
    const out = new Float32Array(2 * this.offsets[this.offsets.length - 1]);
    for (let j = 0; j < out.length; j += 2) out[j] = 1;
    const live = new Set(this.prunodes().map((p) => `${p.layer}#${p.candidate}`));
    value.forEach((g: unknown, i) => {
      const o = options(`${where}: prunodeGates[${i}]`, g) as Record<string, unknown>;
      const l = integer(where, `prunodeGates[${i}].layer`, o.layer, 0, this.layers.length - 1);
      const k = integer(where, `prunodeGates[${i}].candidate`, o.candidate, 0, this.layers[l].candidates.length - 1);
      if (!live.has(`${l}#${k}`)) throw new PrunasRangeError(`${where}: prunodeGates[${i}] names layer ${l}, candidate ${k}, which is not a live prunode`);
      out[2 * (this.offsets[l] + k)] = finite(where, `prunodeGates[${i}].big`, o.big);
      out[2 * (this.offsets[l] + k) + 1] = finite(where, `prunodeGates[${i}].small`, o.small);
    });
    return { prunodeGates: out };
  }

  /** One candidate index per layer (−1 allowed for `others` and removed layers); live candidates only, removed layers ignored. */
  private indices(where: string, name: string, value: unknown, allowNone: boolean): Int32Array {
    if (value === undefined || value === null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number')
      throw new PrunasTypeError(`${where}: ${name} must be an array of integers, got ${describeValue(value)}`);
    const a = value as ArrayLike<number>;
    if (a.length !== this.layers.length) throw new PrunasRangeError(`${where}: ${name} must have ${this.layers.length} entries, got ${a.length}`);
    return Int32Array.from({ length: a.length }, (_, l) => {
      const c = integer(where, `${name}[${l}]`, a[l], allowNone || this.removedLayers[l] ? -1 : 0, this.layers[l].candidates.length - 1);
      if (this.removedLayers[l] || c === -1) return c;
      if (!this.liveCandidates[l][c]) throw new PrunasRangeError(`${where}: ${name}[${l}] = ${c} names a removed candidate of layer ${this.layers[l].name}`);
      return c;
    });
  }

  /** Per-layer arrays, one number per candidate, concatenated. */
  private perCandidate(where: string, name: string, value: unknown, check: (v: number, name: string, layer: number, k: number) => void): Float32Array {
    if (!Array.isArray(value)) throw new PrunasTypeError(`${where}: ${name} must be an array with one array per layer, got ${describeValue(value)}`);
    if (value.length !== this.layers.length) throw new PrunasRangeError(`${where}: ${name} must have ${this.layers.length} entries (one per layer), got ${value.length}`);
    const out = new Float32Array(this.offsets[this.offsets.length - 1]);
    value.forEach((row: unknown, l) => {
      const n = this.layers[l].candidates.length;
      if (row === null || typeof row !== 'object' || typeof (row as ArrayLike<number>).length !== 'number')
        throw new PrunasTypeError(`${where}: ${name}[${l}] must be an array of numbers, got ${describeValue(row)}`);
      const r = row as ArrayLike<number>;
      if (r.length !== n) throw new PrunasRangeError(`${where}: ${name}[${l}] must have ${n} entries (one per candidate), got ${r.length}`);
      for (let k = 0; k < n; k++) {
        check(r[k], `${name}[${l}][${k}]`, l, k);
        out[this.offsets[l] + k] = r[k];
      }
    });
    return out;
  }

  private sampleCount(samples: Record<string, unknown>): number {
    if (this.plan.block) return (samples.x as Float32Array).length / (this.plan.input.height * this.plan.input.width * this.plan.input.channels);
    return samples.y ? (samples.y as Int32Array).length : (samples.indices as Int32Array).length;
  }

  private featuresArgs(where: string, o: FeaturesOptions): Record<string, unknown> {
    options(where, o);
    const samples = this.samplesArgs(where, o.samples);
    if (!Array.isArray(o.layers) || o.layers.length < 1) throw new PrunasTypeError(`${where}: layers must be a non-empty array of layer indices, got ${describeValue(o.layers)}`);
    const first = this.plan.block ? 0 : -1;
    const layers = Int32Array.from(o.layers, (l, i) => integer(where, `layers[${i}]`, l, first, this.layers.length - 1));
    return {
      ...samples,
      ...this.pathArgs(where, { mode: o.mode ?? 'single', choices: o.choices }, false),
      layers,
      trainBn: boolean(where, 'trainBn', o.trainBn ?? false),
      ...(o.batchSize !== undefined ? { batchSize: integer(where, 'batchSize', o.batchSize, 1) } : {}),
    };
  }

  private weightArgs(where: string, o: WeightStepOptions): Record<string, unknown> {
    options(where, o);
    const optimizer = oneOf(where, 'optimizer', o.optimizer ?? 'sgd', ['sgd', 'adam'] as const);
    return {
      ...this.samplesArgs(where, o.samples),
      ...this.pathArgs(where, o, true),
      optimizer,
      lr: finite(where, 'lr', o.lr, 0, 1000),
      momentum: finite(where, 'momentum', o.momentum ?? 0.9, 0, 1),
      nesterov: boolean(where, 'nesterov', o.nesterov ?? true),
      weightDecay: finite(where, 'weightDecay', o.weightDecay ?? 4e-5, 0, 1),
      beta1: finite(where, 'beta1', o.beta1 ?? 0.9, 0, 0.999999),
      beta2: finite(where, 'beta2', o.beta2 ?? 0.999, 0, 0.999999),
      eps: finite(where, 'eps', o.eps ?? 1e-8, 1e-30, 1),
      decoupled: boolean(where, 'decoupled', o.decoupled ?? false),
      labelSmoothing: finite(where, 'labelSmoothing', o.labelSmoothing ?? 0.1, 0, 1),
    };
  }

  private archArgs(where: string, o: ArchStepOptions): Record<string, unknown> {
    options(where, o);
    return {
      ...this.samplesArgs(where, o.samples),
      ...this.pathArgs(where, o, true),
      labelSmoothing: finite(where, 'labelSmoothing', o.labelSmoothing ?? 0, 0, 1),
      updateRunningStats: boolean(where, 'updateRunningStats', o.updateRunningStats ?? false),
    };
  }

  private evaluateArgs(where: string, o: EvaluateOptions): Record<string, unknown> {
    options(where, o);
    const samples = this.samplesArgs(where, o.samples);
    const count = this.sampleCount(samples);
    return {
      ...samples,
      ...this.pathArgs(where, o, false),
      batchSize: integer(where, 'batchSize', o.batchSize ?? count, 1),
      ...(o.logits !== undefined ? { logits: float32(where, 'logits', o.logits, count * this.plan.classes) } : {}),
    };
  }

  private recalibrateArgs(where: string, o: RecalibrateOptions): Record<string, unknown> {
    options(where, o);
    const samples = this.samplesArgs(where, o.samples);
    const count = this.sampleCount(samples);
    return { ...samples, ...this.pathArgs(where, o, false), batchSize: integer(where, 'batchSize', o.batchSize ?? count, 1) };
  }
}

function prunodeGradsOf(grads: Float64Array | undefined, layers: readonly PlanLayerInfo[], offsets: readonly number[]): PrunodeGate[] {
  if (!grads) return [];
  const out: PrunodeGate[] = [];
  layers.forEach((layer, l) =>
    layer.candidates.forEach((_, k) => {
      const j = 2 * (offsets[l] + k);
      if (!Number.isNaN(grads[j])) out.push({ layer: l, candidate: k, big: grads[j], small: grads[j + 1] });
    }),
  );
  return out;
}

function evaluation(r: NativeOutcome): EvaluateOutcome {
  return { loss: r.loss, correct: r.correct, count: r.count, perClassCorrect: r.perClassCorrect ?? new Int32Array(0), ...(r.regression ? { regression: r.regression } : {}) };
}
