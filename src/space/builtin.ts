// The built-in spaces.
import { integer } from '../kernels/check.js';
import { defineSpace, type Op, type SearchSpace } from './spec.js';

/**
 * MobileNet's channel rounding (make_divisible in the TensorFlow and
 * torchvision MobileNetV2 code): nearest multiple of 8, at least 8, and never
 * more than 10% below the unrounded width.
 */
export function roundWidth(width: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor(width + divisor / 2) - (Math.floor(width + divisor / 2) % divisor));
  if (rounded < 0.9 * width) rounded += divisor;
  return rounded;
}

/** ProxylessNAS candidates: MBConv k ∈ {3,5,7} × e ∈ {3,6}, plus zero where a residual exists. */
export function proxylessCandidates(withZero: boolean): Op[] {
  const ops: Op[] = [];
  for (const kernel of [3, 5, 7]) for (const expand of [3, 6]) ops.push({ kind: 'mbconv', kernel, expand, act: 'relu6' });
  if (withZero) ops.push({ kind: 'zero' });
  return ops;
}

interface StagePlan {
  width: number;
  blocks: number;
  stride: 1 | 2;
}

interface SpacePlan {
  name: string;
  input: { height: number; width: number; channels: number };
  classes: number;
  stem: { kernel: number; stride: 1 | 2; out: number };
  first: number;
  stages: StagePlan[];
  head?: number;
  widthMult: number;
}

// A fixed MBConv(3, 1) after the stem, then searchable stages: the first
// block of a stage changes stride or width, the others may be skipped.
function proxylessStyle(p: SpacePlan): SearchSpace {
  const w = (c: number) => roundWidth(c * p.widthMult);
  let channels = w(p.first);
  const stages = [
    { name: 'first', layers: [{ name: 'first', out: channels, stride: 1 as const, candidates: [{ kind: 'mbconv' as const, kernel: 3, expand: 1, act: 'relu6' as const }] }] },
    ...p.stages.map((s, si) => ({
      name: `stage${si + 1}`,
      layers: Array.from({ length: s.blocks }, (_, bi) => {
        const stride = bi === 0 ? s.stride : 1;
        const out = w(s.width);
        const residual = stride === 1 && out === channels;
        channels = out;
        return { name: `s${si + 1}b${bi + 1}`, out, stride, candidates: proxylessCandidates(residual) };
      }),
    })),
  ];
  return defineSpace({
    name: p.name,
    input: p.input,
    classes: p.classes,
    stem: { kernel: p.stem.kernel, stride: p.stem.stride, out: w(p.stem.out), act: 'relu6' },
    stages,
    head: p.head ? { out: p.widthMult > 1 ? w(p.head) : p.head, act: 'relu6' } : undefined,
  });
}

export interface BuiltinOptions {
  widthMult?: number;
  classes?: number;
  resolution?: number;
}

function options(where: string, o: BuiltinOptions) {
  const widthMult = o.widthMult ?? 1;
  if (typeof widthMult !== 'number' || !(widthMult >= 0.1 && widthMult <= 4))
    throw new RangeError(`${where}: widthMult must be a number in [0.1, 4], got ${String(widthMult)}`);
  return widthMult;
}

/** The ProxylessNAS ImageNet space: 224², 21 mixed layers, widths 24…320, head 1280. */
export function proxylessMobile(o: BuiltinOptions = {}): SearchSpace {
  const resolution = integer('proxylessMobile', 'resolution', o.resolution ?? 224, 32);
  return proxylessStyle({
    name: 'proxyless-mobile',
    input: { height: resolution, width: resolution, channels: 3 },
    classes: integer('proxylessMobile', 'classes', o.classes ?? 1000, 2),
    stem: { kernel: 3, stride: 2, out: 32 },
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
    widthMult: options('proxylessMobile', o),
  });
}

/**
 * CIFAR-sized (32², 3 channels): stem stride 1 and one stride-2 stage fewer,
 * so the last feature map is 4×4; 4 stages of 3 blocks (12 mixed layers).
 */
export function proxylessCifar(o: BuiltinOptions = {}): SearchSpace {
  return proxylessStyle({
    name: 'proxyless-cifar',
    input: { height: 32, width: 32, channels: 3 },
    classes: integer('proxylessCifar', 'classes', o.classes ?? 10, 2),
    stem: { kernel: 3, stride: 1, out: 32 },
    first: 16,
    stages: [
      { width: 24, blocks: 3, stride: 2 },
      { width: 40, blocks: 3, stride: 2 },
      { width: 80, blocks: 3, stride: 2 },
      { width: 96, blocks: 3, stride: 1 },
    ],
    head: 640,
    widthMult: options('proxylessCifar', o),
  });
}

/**
 * Fashion-MNIST-sized (28², 1 channel), for a search on a 2-core CPU: stem
 * 3×3 stride 1 → 16, three stages (24 @14², 32 @7², 64 @4²) of 3, 3 and 2
 * blocks: 8 mixed layers, 7 candidates where a residual exists.
 */
export function proxylessSmall(o: BuiltinOptions = {}): SearchSpace {
  return proxylessStyle({
    name: 'proxyless-small',
    input: { height: 28, width: 28, channels: 1 },
    classes: integer('proxylessSmall', 'classes', o.classes ?? 10, 2),
    stem: { kernel: 3, stride: 1, out: 16 },
    first: 16,
    stages: [
      { width: 24, blocks: 3, stride: 2 },
      { width: 32, blocks: 3, stride: 2 },
      { width: 64, blocks: 2, stride: 2 },
    ],
    head: 256,
    widthMult: options('proxylessSmall', o),
  });
}
