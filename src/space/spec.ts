// A search space: a plain object, validated once (zod for the fields, then the
// rules that need the whole network: shapes, residuals, unique names) and
// frozen. Everything else in src/space/ derives facts from a validated space.
//
//   input → stem (conv k×k stride s, BN, act) → stages of layers → head (1×1
//   conv, BN, act; optional) → global average pool → linear classifier
//
// A layer is fixed ({ name, op }) or searchable ({ name, candidates: [...] },
// at least 2 distinct ops). Every op but `zero` carries its own stride and
// output width, so an op plus its input shape says exactly what it computes;
// the candidates of one layer must agree on both.
import { z } from 'zod';
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { walkLayers } from './shapes.js';

// Every layer with its shapes; re-exported here, where a space's readers look first.
export { layersOf } from './shapes.js';

/** Validates a space written in TypeScript; same as `validateSpace`, with the input typed. */
export function defineSpace(spec: SearchSpaceInput): SearchSpace {
  return validateSpace(spec);
}

/**
 * Validates any value (e.g. parsed JSON) as a search space and returns a
 * frozen copy with defaults filled in. Throws PrunasTypeError (wrong kind of
 * value) or PrunasRangeError (value out of range, or a rule of the network
 * broken) whose message names each bad field by its path and its value.
 */
export function validateSpace(value: unknown): SearchSpace {
  const parsed = spaceSchema.safeParse(value);
  if (!parsed.success) throw spaceError(value, parsed.error.issues.flatMap((issue) => fromZod(value, issue)));
  const space = parsed.data;
  const issues: SpaceIssue[] = [];
  const report = (path: string, message: string, type = false) => issues.push({ path, message, type });
  checkNames(space, report);
  walkLayers(space, report);
  if (issues.length > 0) throw spaceError(value, issues);
  return deepFreeze(space);
}

// ---- types (what validation returns: defaults filled in, frozen) ----

export type Activation = 'relu6' | 'hswish' | 'relu';

/** 1×1 expand to cin·expand (skipped when expand = 1), BN, act → k×k depthwise, BN, act → 1×1 project, BN; residual when stride 1 and cin = out. */
export interface MBConvOp {
  readonly kind: 'mbconv';
  readonly kernel: number;
  readonly expand: number;
  readonly stride: 1 | 2;
  readonly out: number;
  readonly act: Activation;
}

/** Dense k×k conv, BN, act (no residual). */
export interface ConvOp {
  readonly kind: 'conv';
  readonly kernel: number;
  readonly stride: 1 | 2;
  readonly out: number;
  readonly act: Activation;
}

/**
 * PruNet's Prunode: an MBConv of maximal hidden width cin·expand whose
 * hidden width a search shrinks by `step` channels at a time, down to
 * `minWidth` channels (src/search/prunet.ts). Outside a search it is the
 * MBConv at its maximal width.
 */
export interface PrunodeOp {
  readonly kind: 'prunode';
  readonly kernel: number;
  readonly expand: number;
  readonly stride: 1 | 2;
  readonly out: number;
  readonly act: Activation;
  readonly step: number;
  readonly minWidth: number;
}

/** Skip the layer: the output is the residual branch alone (the identity). */
export interface ZeroOp {
  readonly kind: 'zero';
}

export type Op = MBConvOp | ConvOp | ZeroOp | PrunodeOp;

export interface FixedLayer {
  readonly name: string;
  readonly op: MBConvOp | ConvOp;
}

export interface SearchableLayer {
  readonly name: string;
  readonly candidates: readonly Op[];
}

export type Layer = FixedLayer | SearchableLayer;

export interface Shape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface SearchSpace {
  readonly name: string;
  readonly input: Shape;
  readonly classes: number;
  readonly stem: { readonly kernel: number; readonly stride: 1 | 2; readonly out: number; readonly act: Activation };
  readonly stages: readonly { readonly name: string; readonly layers: readonly Layer[] }[];
  readonly head?: { readonly out: number; readonly act: Activation };
}

/** What a user writes: as SearchSpace, with every `act` optional (default relu6). */
export type SearchSpaceInput = z.input<typeof spaceSchema>;

// ---- schema ----

const INT32_MAX = 2 ** 31 - 1;

/** A number schema with one message for every way it can fail. */
function numberWhere(message: string, ok: (v: number) => boolean) {
  return z.number({ error: message }).refine(ok, { error: message });
}

const count = numberWhere(`must be an integer in [1, ${INT32_MAX}]`, (v) => Number.isInteger(v) && v >= 1 && v <= INT32_MAX);
const kernel = numberWhere('must be an odd integer in [1, 7]', (v) => Number.isInteger(v) && v >= 1 && v <= 7 && v % 2 === 1);
const expand = numberWhere('must be an integer in [1, 64]', (v) => Number.isInteger(v) && v >= 1 && v <= 64);
const stride = z.literal([1, 2], { error: 'must be 1 or 2' });
const act = z.enum(['relu6', 'hswish', 'relu'], { error: 'must be one of relu6, hswish, relu' }).default('relu6');
const name = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, _ . or -' });

const mbconv = z.strictObject({ kind: z.literal('mbconv'), kernel, expand, stride, out: count, act });
const conv = z.strictObject({ kind: z.literal('conv'), kernel, stride, out: count, act });
const zero = z.strictObject({ kind: z.literal('zero') });
const prunode = z.strictObject({ kind: z.literal('prunode'), kernel, expand, stride, out: count, act, step: count, minWidth: count });
const op = z.discriminatedUnion('kind', [mbconv, conv, zero, prunode], { error: 'kind must be one of mbconv, conv, zero, prunode' });
const fixedOp = z.discriminatedUnion('kind', [mbconv, conv], { error: 'kind must be mbconv or conv (a fixed layer cannot be zero)' });

const layer = z.union(
  [
    z.strictObject({ name, op: fixedOp }),
    z.strictObject({ name, candidates: z.array(op, { error: 'must be an array of ops' }).min(2, { error: 'must list at least 2 ops (write a fixed layer as { name, op })' }) }),
  ],
  { error: 'must be a fixed layer { name, op } or a searchable layer { name, candidates }' },
);

const spaceSchema = z.strictObject({
  name,
  input: z.strictObject({ height: count, width: count, channels: count }),
  classes: count,
  stem: z.strictObject({ kernel, stride, out: count, act }),
  stages: z
    .array(z.strictObject({ name, layers: z.array(layer, { error: 'must be an array of layers' }).min(1, { error: 'must hold at least one layer' }) }), {
      error: 'must be an array of stages',
    })
    .min(1, { error: 'must hold at least one stage' }),
  head: z.strictObject({ out: count, act }).optional(),
});

// Compile-time check that the schema produces the documented types.
const _schemaMatchesTypes: z.ZodType<SearchSpace> = spaceSchema;
void _schemaMatchesTypes;

// ---- errors ----

export interface SpaceIssue {
  path: string;
  message: string;
  type: boolean;
  value?: string;
}

const MAX_ISSUES = 5;

function spaceError(input: unknown, issues: SpaceIssue[]): Error {
  const named = typeof input === 'object' && input !== null && typeof (input as { name?: unknown }).name === 'string' ? ` ${(input as { name: string }).name}` : '';
  const lines = issues.slice(0, MAX_ISSUES).map((i) => `${i.path} ${i.message}${i.value === undefined ? '' : `, got ${i.value}`}`);
  if (issues.length > MAX_ISSUES) lines.push(`and ${issues.length - MAX_ISSUES} more`);
  const message = `search space${named}: ${lines.join('; ')}`;
  return issues[0].type ? new PrunasTypeError(message) : new PrunasRangeError(message);
}

/** A zod issue as paths, messages and bad values (internal to src/space). */
export function fromZod(input: unknown, issue: z.core.$ZodIssue, base: readonly PropertyKey[] = []): SpaceIssue[] {
  const full = [...base, ...issue.path];
  const value = valueAt(input, full);
  switch (issue.code) {
    case 'invalid_union': {
      // Several shapes were allowed (fixed or searchable layer): explain the
      // one the value was closest to, or, if none stands out, the union's own message.
      const branch = closestBranch(input, full, issue.errors);
      if (branch) return branch.flatMap((i) => fromZod(input, i, full));
      // A discriminated union's message names its field (`kind ...`): report it at the parent.
      const at = full.at(-1) === 'kind' ? full.slice(0, -1) : full;
      return [{ path: pathString(at), message: issue.message, type: false, value: describeValue(value) }];
    }
    case 'unrecognized_keys':
      return [{ path: pathString(full), message: `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`, type: true }];
    case 'invalid_type': {
      const message = issue.message.startsWith('Invalid input') ? `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}` : issue.message;
      // NaN and ±Infinity are numbers: out of range, not of the wrong type.
      return [{ path: pathString(full), message, type: !(issue.expected === 'number' && typeof value === 'number'), value: describeValue(value) }];
    }
    default:
      return [{ path: pathString(full), message: issue.message, type: false, value: describeValue(value) }];
  }
}

/** The union branch with strictly the fewest structural misses (unknown or missing fields at its top), if any. */
function closestBranch(input: unknown, at: readonly PropertyKey[], branches: readonly z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const misses = branches.map(
    (issues) =>
      issues.filter((i) => (i.code === 'unrecognized_keys' && i.path.length === 0) || (i.code === 'invalid_type' && i.path.length === 1 && valueAt(input, [...at, ...i.path]) === undefined)).length,
  );
  const best = Math.min(...misses);
  return misses.filter((m) => m === best).length === 1 ? branches[misses.indexOf(best)] : undefined;
}

function pathString(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') || '(the value itself)';
}

/** The value at `path` inside `obj` (own properties only), undefined where there is none. */
export function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function checkNames(space: SearchSpace, report: (path: string, message: string) => void): void {
  const stages = new Map<string, number>();
  const layers = new Map<string, string>();
  space.stages.forEach((stage, si) => {
    const seen = stages.get(stage.name);
    if (seen !== undefined) report(`stages[${si}].name`, `"${stage.name}" is already the name of stages[${seen}]`);
    stages.set(stage.name, si);
    stage.layers.forEach((l, li) => {
      const where = `stages[${si}].layers[${li}]`;
      const other = layers.get(l.name);
      if (other !== undefined) report(`${where}.name`, `"${l.name}" is already the name of ${other}`);
      layers.set(l.name, where);
    });
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
