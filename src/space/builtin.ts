// The built-in spaces: ProxylessNAS's ImageNet space and two smaller ones of
// the same shape for 32² and 28² inputs.
//
// All three are built the way ProxylessNAS's SuperProxylessNASNets builds its
// supernet (mit-han-lab/proxylessnas, search/models/super_nets/super_proxyless.py):
// stem conv 3×3 → BN → ReLU6; one fixed MBConv(k3, e1); stages whose first
// block takes the stage's stride and width and whose other blocks are stride
// 1; every block searchable over MBConv k ∈ {3,5,7} × e ∈ {3,6} (in that
// order, k-major, as the reference lists them), plus `zero` last where a
// residual exists (stride 1 and cin = cout, i.e. every block but the first
// of a stage); head 1×1 conv → BN → ReLU6; average pool; linear.
import { finite, integer, options as optionsObject } from '../kernels/check.js';
import { PrunasRangeError } from '../errors.js';
import { defineSpace, type Op, type SearchSpace } from './spec.js';
import { layersOf } from './shapes.js';

export interface BuiltinOptions {
  /** Multiplies every width (rounded by roundWidth); the head only grows, as in ProxylessNAS. Default 1. */
  widthMult?: number;
  /** Classifier outputs. Default: 1000 (mobile), 10 (cifar, small). */
  classes?: number;
  /** Input height and width. Default: 224 (mobile), 32 (cifar), 28 (small). */
  resolution?: number;
  /** Input channels. Default: 3 (mobile, cifar), 1 (small). */
  channels?: number;
}

/**
 * ProxylessNAS's ImageNet space (`proxyless-mobile`): 224² × 3 input;
 * stem 3×3 s2 → 32; fixed MBConv(3,1) → 16; six stages of widths 24, 40, 80,
 * 96, 192, 320, with 4, 4, 4, 4, 4, 1 blocks and first strides 2, 2, 2, 1, 2, 1
 * (21 searchable layers: 6 candidates on a stage's first block, 7 elsewhere);
 * feature maps 112², 56², 28², 14², 14², 7², 7²; head 1×1 → 1280; 1000 classes.
 * An architecture costs 102.5M to 606.6M multiply-adds.
 */
export function proxylessMobile(options: BuiltinOptions = {}): SearchSpace {
  return proxylessStyle('proxylessMobile', options, {
    name: 'proxyless-mobile',
    defaults: { classes: 1000, resolution: 224, channels: 3 },
    stem: { stride: 2, out: 32 },
    first: 16,
    stages: [
      { width: 24, blocks: 4, stride: 2 },
      { width: 40, blocks: 4, stride: 2 },
      { width: 80, blocks: 4, stride: 2 },
      { width: 96, blocks: 4, stride: 1 },
      { width: 192, blocks: 4, stride: 2 },
      { width: 320, blocks: 1, stride: 1 },
    ],
    head: 1280,
  });
}

/**
 * A CIFAR-sized space (`proxyless-cifar`, 32² × 3, 10 classes). The mobile
 * space's total stride of 32 would leave a 1×1 map at 32², so two of its
 * stride-2 steps become stride 1 (total stride 8, last map 4×4): the stem,
 * as every CIFAR port of MobileNetV2 does, and the 80-wide stage's, so that
 * no searchable layer runs at the full 32² (the common port keeps the
 * 24-wide stage at 32² instead, which costs ~1.5× the MACs). Stages are fewer
 * and shorter, sized for a search on a CPU: stem 3×3 s1 → 32 @32²; fixed
 * MBConv(3,1) → 16 @32²; widths 24, 40, 80, 96, 192 with 2, 3, 3, 2, 2
 * blocks and first strides 2, 2, 1, 1, 2 (maps 16², 8², 8², 8², 4²): 12
 * searchable layers; head 1×1 → 1280. An architecture costs 14M (all
 * smallest ops) to 63M (all largest) multiply-adds.
 */
export function proxylessCifar(options: BuiltinOptions = {}): SearchSpace {
  return proxylessStyle('proxylessCifar', options, {
    name: 'proxyless-cifar',
    defaults: { classes: 10, resolution: 32, channels: 3 },
    stem: { stride: 1, out: 32 },
    first: 16,
    stages: [
      { width: 24, blocks: 2, stride: 2 },
      { width: 40, blocks: 3, stride: 2 },
      { width: 80, blocks: 3, stride: 1 },
      { width: 96, blocks: 2, stride: 1 },
      { width: 192, blocks: 2, stride: 2 },
    ],
    head: 1280,
  });
}

/**
 * A space for 28² × 1 inputs (`proxyless-small`, Fashion-MNIST, 10 classes),
 * sized so a whole search runs on a 2-core CPU: stem 3×3 s1 → 16 @28²;
 * fixed MBConv(3,1) → 16 @28² (with a residual: 16 → 16); three stages of
 * widths 24, 32, 64 with 3, 3, 2 blocks, all first strides 2 (feature maps
 * 14², 7², 4²): 8 searchable layers; head 1×1 → 256 (4× the last width, as
 * 1280 is 4× 320 in the mobile space). An architecture costs 2.3M to
 * 13.9M multiply-adds.
 */
export function proxylessSmall(options: BuiltinOptions = {}): SearchSpace {
  return proxylessStyle('proxylessSmall', options, {
    name: 'proxyless-small',
    defaults: { classes: 10, resolution: 28, channels: 1 },
    stem: { stride: 1, out: 16 },
    first: 16,
    stages: [
      { width: 24, blocks: 3, stride: 2 },
      { width: 32, blocks: 3, stride: 2 },
      { width: 64, blocks: 2, stride: 2 },
    ],
    head: 256,
  });
}

/**
 * proxyless-small with Prunodes (`prunet-small`, PruNet): at every searchable
 * layer the MBConv pairs (k, e3) and (k, e6) become one Prunode of kernel k
 * and maximal expansion 6, whose hidden width H = 6·cin shrinks in steps of
 * Δ = cin (H/6) down to 2·cin; plus `zero` where a residual exists. A
 * Prunode at width e·cin is the MBConv (k, e), so widths 6, 5, 4, 3, 2 ×
 * cin cover the original e3 and e6 and the widths between and below.
 */
export function prunetSmall(options: BuiltinOptions = {}): SearchSpace {
  const base = proxylessSmall(options);
  const inputs = new Map(layersOf(base).map((l) => [l.name, l.input.channels]));
  const stages = base.stages.map((stage) => ({
    name: stage.name,
    layers: stage.layers.map((layer) => {
      if ('op' in layer) return layer;
      const ops = layer.candidates.filter((op) => op.kind === 'mbconv');
      const { stride, out } = ops[0] as { stride: 1 | 2; out: number };
      return { name: layer.name, candidates: prunodeCandidates(stride, out, inputs.get(layer.name)!, layer.candidates.some((op) => op.kind === 'zero')) };
    }),
  }));
  return defineSpace({ ...base, name: 'prunet-small', stages });
}

/** Prunodes k ∈ {3, 5, 7}, maximal expansion 6, step cin, minimum width 2·cin; then `zero` if asked. */
export function prunodeCandidates(stride: 1 | 2, out: number, cin: number, withZero: boolean): Op[] {
  const ops: Op[] = [3, 5, 7].map((kernel) => ({ kind: 'prunode', kernel, expand: 6, stride, out, act: 'relu6', step: cin, minWidth: 2 * cin }));
  if (withZero) ops.push({ kind: 'zero' });
  return ops;
}

/**
 * MobileNet's channel rounding, `make_divisible` in ProxylessNAS's code
 * (taken from TensorFlow's research/slim/nets/mobilenet/mobilenet.py, and the
 * same as torchvision's `_make_divisible`): the nearest multiple of `divisor`
 * (halves round up), never below `divisor`, and never more than 10% below
 * the unrounded width (one divisor is added back if it would be).
 */
export function roundWidth(width: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((width + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * width) rounded += divisor;
  return rounded;
}

/** The ProxylessNAS candidates at a layer: MBConv k ∈ {3,5,7} × e ∈ {3,6}, then `zero` if asked. */
export function proxylessCandidates(stride: 1 | 2, out: number, withZero: boolean): Op[] {
  const ops: Op[] = [];
  for (const kernel of [3, 5, 7]) for (const expand of [3, 6]) ops.push({ kind: 'mbconv', kernel, expand, stride, out, act: 'relu6' });
  if (withZero) ops.push({ kind: 'zero' });
  return ops;
}

interface Plan {
  name: string;
  defaults: Required<Omit<BuiltinOptions, 'widthMult'>>;
  stem: { stride: 1 | 2; out: number };
  first: number;
  stages: { width: number; blocks: number; stride: 1 | 2 }[];
  head: number;
}

const OPTION_NAMES = new Set(['widthMult', 'classes', 'resolution', 'channels']);

function proxylessStyle(where: string, given: BuiltinOptions, plan: Plan): SearchSpace {
  const o = optionsObject(where, given);
  for (const key of Object.keys(o)) if (!OPTION_NAMES.has(key)) throw new PrunasRangeError(`${where}: unknown option ${key} (options: ${[...OPTION_NAMES].join(', ')})`);
  const widthMult = finite(where, 'widthMult', o.widthMult ?? 1, 0.1, 4);
  const classes = integer(where, 'classes', o.classes ?? plan.defaults.classes, 1);
  const resolution = integer(where, 'resolution', o.resolution ?? plan.defaults.resolution, 1);
  const channels = integer(where, 'channels', o.channels ?? plan.defaults.channels, 1);
  const width = (c: number) => roundWidth(c * widthMult);

  let cin = width(plan.first);
  const first = { name: 'first', layers: [{ name: 'first', op: { kind: 'mbconv' as const, kernel: 3, expand: 1, stride: 1 as const, out: cin, act: 'relu6' as const } }] };
  const stages = plan.stages.map((s, si) => ({
    name: `stage${si + 1}`,
    layers: Array.from({ length: s.blocks }, (_, bi) => {
      const stride = bi === 0 ? s.stride : 1;
      const out = width(s.width);
      const candidates = proxylessCandidates(stride, out, stride === 1 && out === cin);
      cin = out;
      return { name: `s${si + 1}b${bi + 1}`, candidates };
    }),
  }));
  return defineSpace({
    name: plan.name,
    input: { height: resolution, width: resolution, channels },
    classes,
    stem: { kernel: 3, stride: plan.stem.stride, out: width(plan.stem.out), act: 'relu6' },
    stages: [first, ...stages],
    // ProxylessNAS: last_channel = make_divisible(1280 * width_mult, 8) if width_mult > 1.0 else 1280.
    head: { out: widthMult > 1 ? width(plan.head) : plan.head, act: 'relu6' },
  });
}
