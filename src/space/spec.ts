// A search space: a plain object, validated with zod. Layers are grouped in
// stages; a searchable layer lists its candidate ops, a fixed layer has one.
import { z } from 'zod';
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';

const positiveInt = z.number().int().min(1);
const oddKernel = z.number().int().min(1).max(7).refine((k) => k % 2 === 1, { message: 'must be an odd integer in [1, 7]' });
const stride = z.union([z.literal(1), z.literal(2)]);
export const activationSchema = z.enum(['relu6', 'hswish', 'relu']);

export const mbconvSchema = z.object({
  kind: z.literal('mbconv'),
  kernel: oddKernel,
  expand: positiveInt,
  act: activationSchema.default('relu6'),
});
export const zeroSchema = z.object({ kind: z.literal('zero') });
export const convSchema = z.object({ kind: z.literal('conv'), kernel: oddKernel, act: activationSchema.default('relu6') });
export const opSchema = z.discriminatedUnion('kind', [mbconvSchema, zeroSchema, convSchema]);

export const layerSchema = z.object({
  name: z.string().min(1),
  out: positiveInt,
  stride,
  candidates: z.array(opSchema).min(1),
});

export const spaceSchema = z.object({
  name: z.string().min(1),
  input: z.object({ height: positiveInt, width: positiveInt, channels: positiveInt }),
  classes: positiveInt,
  stem: z.object({ kernel: oddKernel, stride, out: positiveInt, act: activationSchema.default('relu6') }),
  stages: z.array(z.object({ name: z.string().min(1), layers: z.array(layerSchema).min(1) })).min(1),
  head: z.object({ out: positiveInt, act: activationSchema.default('relu6') }).optional(),
});

export type Activation = z.infer<typeof activationSchema>;
export type Op = z.infer<typeof opSchema>;
export type Layer = z.infer<typeof layerSchema>;
export type SearchSpace = z.infer<typeof spaceSchema>;
export type SearchSpaceInput = z.input<typeof spaceSchema>;

/** A stable name for an op: `mbconv_k5_e6`, `zero`, `conv_k3`. */
export function opKey(op: Op): string {
  switch (op.kind) {
    case 'mbconv':
      return `mbconv_k${op.kernel}_e${op.expand}${op.act === 'relu6' ? '' : `_${op.act}`}`;
    case 'conv':
      return `conv_k${op.kernel}${op.act === 'relu6' ? '' : `_${op.act}`}`;
    case 'zero':
      return 'zero';
  }
}

function path(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') || '(space)';
}

function valueAt(obj: unknown, p: readonly PropertyKey[]): unknown {
  let v: unknown = obj;
  for (const k of p) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Validates a space and checks what a schema cannot: shapes, residuals, names. */
export function defineSpace(input: unknown): SearchSpace {
  const parsed = spaceSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = path(issue.path);
    const got = describeValue(valueAt(input, issue.path));
    const message = `search space: ${where} ${issue.message.replace(/^Invalid input: /, '')}, got ${got}`;
    throw issue.code === 'invalid_type' ? new PrunasTypeError(message) : new PrunasRangeError(message);
  }
  const space = parsed.data;
  const names = new Set<string>();
  let size = { h: space.input.height, w: space.input.width };
  const shrink = (s: number, where: string) => {
    if (s === 2 && (size.h < 2 || size.w < 2))
      throw new PrunasRangeError(`search space: ${where}.stride 2 would shrink a ${size.h}×${size.w} feature map below 1 pixel`);
    size = { h: Math.ceil(size.h / s), w: Math.ceil(size.w / s) };
  };
  shrink(space.stem.stride, 'stem');
  let channels = space.stem.out;
  space.stages.forEach((stage, si) =>
    stage.layers.forEach((layer, li) => {
      const where = `stages[${si}].layers[${li}]`;
      if (names.has(layer.name)) throw new PrunasRangeError(`search space: ${where}.name "${layer.name}" is used twice`);
      names.add(layer.name);
      const residual = layer.stride === 1 && channels === layer.out;
      layer.candidates.forEach((op, ci) => {
        if (op.kind === 'zero' && !residual)
          throw new PrunasRangeError(`search space: ${where}.candidates[${ci}] zero needs a residual (stride 1 and in = out channels), got stride ${layer.stride}, ${channels} → ${layer.out} channels`);
      });
      shrink(layer.stride, where);
      channels = layer.out;
    }),
  );
  return space;
}

/** All layers in order, with their stage. */
export function layersOf(space: SearchSpace): Layer[] {
  return space.stages.flatMap((s) => s.layers);
}

/** Layers with more than one candidate. */
export function searchableLayers(space: SearchSpace): Layer[] {
  return layersOf(space).filter((l) => l.candidates.length > 1);
}
