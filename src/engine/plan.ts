// The supernet's plan: the network the native engine builds, as a plain
// object (a search space converts to it with `planOf`; tests and tools write
// one directly), validated here with errors that name the field, and flattened
// into a few integer tables to cross the boundary once.
//
//   input → stem (conv k×k stride s → out, BN, act) → layers → head (1×1 → out,
//   BN, act; optional) → global average pool → linear classifier
//
// A layer is a list of candidates (one candidate: a fixed layer). MBConv(k, e)
// = 1×1 expand (skipped when e = 1) → BN → act → k×k depthwise stride s → BN →
// act → 1×1 project → BN, plus the input when stride 1 and cin = out; `zero`
// (only where that residual exists) makes the layer the identity.
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { layersOf, type Activation, type SearchSpace } from '../space/spec.js';

export type PlanActivation = Activation;

export interface PlanMBConv {
  readonly kind: 'mbconv';
  readonly kernel: number;
  readonly expand: number;
  readonly stride: 1 | 2;
  readonly out: number;
  /** default relu6 */
  readonly act?: PlanActivation;
}

export interface PlanZero {
  readonly kind: 'zero';
}

/**
 * An MBConv of maximal hidden width in·expand whose hidden width shrinks by
 * `step` channels down to `minWidth` during a search (native/nn/prunode.h).
 */
export interface PlanPrunode {
  readonly kind: 'prunode';
  readonly kernel: number;
  readonly expand: number;
  readonly stride: 1 | 2;
  readonly out: number;
  readonly act?: PlanActivation;
  readonly step: number;
  readonly minWidth: number;
}

export type PlanCandidate = PlanMBConv | PlanZero | PlanPrunode;

export interface PlanLayer {
  readonly name: string;
  readonly candidates: readonly PlanCandidate[];
}

export interface SupernetPlan {
  readonly input: { readonly height: number; readonly width: number; readonly channels: number };
  readonly classes: number;
  readonly stem: { readonly kernel: number; readonly stride: 1 | 2; readonly out: number; readonly act?: PlanActivation };
  readonly layers: readonly PlanLayer[];
  readonly head?: { readonly out: number; readonly act?: PlanActivation };
  /**
   * A DNA block (blockPlan): the input is a feature map (input.channels of
   * any width), the stem an identity placeholder (1×1, stride 1, out =
   * input.channels) that is not built, no head, no classifier (classes 0);
   * steps take {x, target} and their loss is the MSE to the target map.
   */
  readonly block?: boolean;
}

/**
 * The plan of a block: `layers` run on an input feature map (a teacher's
 * previous-stage output), the last one's output compared to a target map.
 */
export function blockPlan(input: { height: number; width: number; channels: number }, layers: readonly PlanLayer[]): SupernetPlan {
  return validatePlan({ input: { ...input }, classes: 0, stem: { kernel: 1, stride: 1, out: input.channels }, layers, block: true });
}

/** A layer of a plan with its shapes. */
export interface PlanLayerInfo {
  readonly name: string;
  readonly index: number;
  readonly stride: 1 | 2;
  readonly in: number;
  readonly out: number;
  readonly residual: boolean;
  readonly candidates: readonly PlanCandidate[];
}

/** What crosses into `new native.Supernet(...)`. */
export interface NativePlan {
  height: number;
  width: number;
  channels: number;
  classes: number;
  /** kernel, stride, out, act */
  stem: Int32Array;
  /** out (0: no head), act */
  head: Int32Array;
  /** out, stride, candidate count per layer */
  layers: Int32Array;
  /** zero, kernel, expand, act per candidate */
  candidates: Int32Array;
  /** step, minWidth per candidate (step 0: not a prunode); only when the plan has prunodes */
  prunodes?: Int32Array;
  block: boolean;
}

const ACTIVATION_CODES: Record<PlanActivation | 'none', number> = { none: 0, relu: 1, relu6: 2, hswish: 3 };
const ACTIVATIONS = ['relu6', 'hswish', 'relu'] as const;
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The plan of a validated search space: every layer, fixed ones included, in order. */
export function planOf(space: SearchSpace): SupernetPlan {
  return {
    input: { height: space.input.height, width: space.input.width, channels: space.input.channels },
    classes: space.classes,
    stem: { ...space.stem },
    layers: layersOf(space).map((layer) => ({
      name: layer.name,
      candidates: layer.candidates.map((op): PlanCandidate => {
        if (op.kind === 'zero') return { kind: 'zero' };
        if (op.kind === 'mbconv') return { kind: 'mbconv', kernel: op.kernel, expand: op.expand, stride: op.stride, out: op.out, act: op.act };
        if (op.kind === 'prunode')
          return { kind: 'prunode', kernel: op.kernel, expand: op.expand, stride: op.stride, out: op.out, act: op.act, step: op.step, minWidth: op.minWidth };
        throw new PrunasRangeError(`layer ${layer.name}: op kind ${op.kind} is not supported inside the supernet yet`);
      }),
    })),
    ...(space.head ? { head: { ...space.head } } : {}),
  };
}

/**
 * Checks a plan (any value, e.g. parsed JSON) and returns it unchanged.
 * Throws PrunasTypeError for a wrong kind of value, PrunasRangeError for a
 * bad value or a broken rule, naming the field: `plan.layers[2].candidates[0].kernel`.
 */
export function validatePlan(value: unknown): SupernetPlan {
  const p = object('plan', value);
  if (p.block !== undefined && typeof p.block !== 'boolean') throw new PrunasTypeError(`plan.block must be a boolean, got ${describeValue(p.block)}`);
  const block = p.block === true;
  const input = object('plan.input', p.input);
  int('plan.input.height', input.height, 1, 16384);
  int('plan.input.width', input.width, 1, 16384);
  int('plan.input.channels', input.channels, 1, block ? 65536 : 4);
  int('plan.classes', p.classes, block ? 0 : 1, block ? 0 : 1 << 20);
  const stem = object('plan.stem', p.stem);
  if (block && (stem.kernel !== 1 || stem.stride !== 1 || stem.out !== input.channels || p.head !== undefined))
    throw new PrunasRangeError(`plan: a block has no stem (write stem as { kernel: 1, stride: 1, out: input.channels }) and no head`);
  kernel('plan.stem.kernel', stem.kernel);
  stride('plan.stem.stride', stem.stride);
  int('plan.stem.out', stem.out, 1, 65536);
  act('plan.stem.act', stem.act);
  if (!Array.isArray(p.layers)) throw new PrunasTypeError(`plan.layers must be an array, got ${describeValue(p.layers)}`);
  if (p.head !== undefined) {
    const head = object('plan.head', p.head);
    int('plan.head.out', head.out, 1, 65536);
    act('plan.head.act', head.act);
  }
  const names = new Set<string>();
  let channels = stem.out as number;
  let height = Math.ceil((input.height as number) / (stem.stride as number));
  let width = Math.ceil((input.width as number) / (stem.stride as number));
  (p.layers as unknown[]).forEach((layerValue, l) => {
    const at = `plan.layers[${l}]`;
    const layer = object(at, layerValue);
    if (typeof layer.name !== 'string' || !NAME.test(layer.name))
      throw new PrunasRangeError(`${at}.name must match ${NAME.source}, got ${describeValue(layer.name)}`);
    if (names.has(layer.name)) throw new PrunasRangeError(`${at}.name ${JSON.stringify(layer.name)} is used twice`);
    names.add(layer.name);
    if (!Array.isArray(layer.candidates) || layer.candidates.length < 1 || layer.candidates.length > 64)
      throw new PrunasRangeError(`${at}.candidates must be an array of 1 to 64 candidates, got ${describeValue(layer.candidates)}`);
    const ops = (layer.candidates as unknown[]).map((c, k) => object(`${at}.candidates[${k}]`, c));
    const real = ops.filter((op) => op.kind !== 'zero');
    const shape = real[0] ?? { stride: 1, out: channels };
    ops.forEach((op, k) => {
      const ct = `${at}.candidates[${k}]`;
      if (op.kind === 'zero') {
        const extra = Object.keys(op).filter((key) => key !== 'kind');
        if (extra.length) throw new PrunasRangeError(`${ct}: zero takes no fields, got ${extra.join(', ')}`);
        return;
      }
      if (op.kind !== 'mbconv' && op.kind !== 'prunode') throw new PrunasRangeError(`${ct}.kind must be one of mbconv, prunode, zero, got ${describeValue(op.kind)}`);
      kernel(`${ct}.kernel`, op.kernel);
      int(`${ct}.expand`, op.expand, 1, 64);
      stride(`${ct}.stride`, op.stride);
      int(`${ct}.out`, op.out, 1, 65536);
      act(`${ct}.act`, op.act);
      if (op.kind === 'prunode') validatePrunode(ct, op, channels);
      if (op.stride !== shape.stride || op.out !== shape.out)
        throw new PrunasRangeError(`${ct}: candidates of a layer must agree on stride and out, got stride ${op.stride} out ${op.out} after stride ${shape.stride} out ${shape.out}`);
    });
    const s = shape.stride as number;
    if (s === 2 && (height < 2 || width < 2)) throw new PrunasRangeError(`${at}: stride 2 on a ${height}×${width} map`);
    const residual = s === 1 && shape.out === channels;
    if (!residual && ops.some((op) => op.kind === 'zero'))
      throw new PrunasRangeError(`${at}: zero needs a residual (stride 1 and in = out), this layer has stride ${s}, in ${channels}, out ${shape.out as number}`);
    channels = shape.out as number;
    height = Math.ceil(height / s);
    width = Math.ceil(width / s);
  });
  return value as SupernetPlan;
}

/** Every layer with its stride, widths and residual flag. */
export function planLayers(plan: SupernetPlan): PlanLayerInfo[] {
  let channels = plan.stem.out;
  return plan.layers.map((layer, index) => {
    const op = layer.candidates.find((c): c is PlanMBConv | PlanPrunode => c.kind !== 'zero');
    const stride = op?.stride ?? 1;
    const out = op?.out ?? channels;
    const info = { name: layer.name, index, stride, in: channels, out, residual: stride === 1 && out === channels, candidates: layer.candidates };
    channels = out;
    return info;
  });
}

/**
 * The plan of the stand-alone network one path of the supernet computes:
 * every layer keeps only its chosen candidate (a chosen `zero` stays, as the
 * identity, so layer indices and names do not shift).
 */
export function pathPlan(plan: SupernetPlan, choices: ArrayLike<number>): SupernetPlan {
  if (choices.length !== plan.layers.length)
    throw new PrunasRangeError(`pathPlan: choices must have ${plan.layers.length} entries, got ${choices.length}`);
  return {
    ...plan,
    layers: plan.layers.map((layer, l) => {
      const c = choices[l];
      if (!Number.isInteger(c) || c < 0 || c >= layer.candidates.length)
        throw new PrunasRangeError(`pathPlan: choices[${l}] must be an integer in [0, ${layer.candidates.length - 1}], got ${describeValue(c)}`);
      return { name: layer.name, candidates: [layer.candidates[c]] };
    }),
  };
}

/** The integer tables the native constructor reads. */
export function nativePlan(plan: SupernetPlan): NativePlan {
  const layers: number[] = [];
  const candidates: number[] = [];
  const prunodes: number[] = [];
  for (const info of planLayers(plan)) {
    layers.push(info.out, info.stride, info.candidates.length);
    for (const op of info.candidates) {
      if (op.kind === 'zero') candidates.push(1, 0, 0, 0);
      else candidates.push(0, op.kernel, op.expand, ACTIVATION_CODES[op.act ?? 'relu6']);
      prunodes.push(...(op.kind === 'prunode' ? [op.step, op.minWidth] : [0, 0]));
    }
  }
  return {
    height: plan.input.height,
    width: plan.input.width,
    channels: plan.input.channels,
    classes: plan.classes,
    stem: Int32Array.from([plan.stem.kernel, plan.stem.stride, plan.stem.out, ACTIVATION_CODES[plan.stem.act ?? 'relu6']]),
    head: Int32Array.from(plan.head ? [plan.head.out, ACTIVATION_CODES[plan.head.act ?? 'relu6']] : [0, 0]),
    layers: Int32Array.from(layers),
    candidates: Int32Array.from(candidates),
    ...(prunodes.some((v) => v !== 0) ? { prunodes: Int32Array.from(prunodes) } : {}),
    block: plan.block === true,
  };
}

// ---- field checks ----

/** A prunode needs expand ≥ 2 (an expand unit to cut), 1 ≤ step < H and 1 ≤ minWidth ≤ H, H = in·expand. */
function validatePrunode(at: string, op: Record<string, unknown>, channels: number): void {
  if ((op.expand as number) < 2) throw new PrunasRangeError(`${at}.expand must be at least 2 for a prunode, got ${op.expand as number}`);
  const hidden = channels * (op.expand as number);
  int(`${at}.step`, op.step, 1, hidden - 1);
  int(`${at}.minWidth`, op.minWidth, 1, hidden);
}

function object(at: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PrunasTypeError(`${at} must be an object, got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function int(at: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number') throw new PrunasTypeError(`${at} must be an integer, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new PrunasRangeError(`${at} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
}

function kernel(at: string, value: unknown): void {
  int(at, value, 1, 7);
  if ((value as number) % 2 === 0) throw new PrunasRangeError(`${at} must be an odd integer in [1, 7], got ${value as number}`);
}

function stride(at: string, value: unknown): void {
  if (value !== 1 && value !== 2) throw new PrunasRangeError(`${at} must be 1 or 2, got ${describeValue(value)}`);
}

function act(at: string, value: unknown): void {
  if (value !== undefined && !ACTIVATIONS.includes(value as PlanActivation))
    throw new PrunasRangeError(`${at} must be one of ${ACTIVATIONS.join(', ')}, got ${describeValue(value)}`);
}
