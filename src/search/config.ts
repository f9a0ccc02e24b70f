// Strategy configs and saved states are zod schemas; a bad value fails with
// one line naming the field. Option groups several strategies share live
// here (the SGD options in train/sgd.ts) so their ranges and defaults cannot
// drift apart.
import { z } from 'zod';
import { PrunasRangeError } from '../errors.js';

export function parseConfig<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : '';
  throw new PrunasRangeError(`${strategy} config: ${field ? `${field}: ` : ''}${issue.message}${keys}`);
}

/** A strategy's saved state (loadState's argument) checked against its schema. */
export function parseState<S extends z.ZodType>(strategy: string, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PrunasRangeError(`${strategy} state: ${issue.path.join('.') || '(state)'}: ${issue.message}`);
}

/** Adam on the architecture parameters; the defaults are ProxylessNAS's (β1 = 0). */
export const archAdamOptions = {
  archLr: z.number().positive().max(100).default(1e-3),
  archBeta1: z.number().min(0).max(0.999999).default(0),
  archBeta2: z.number().min(0).max(0.999999).default(0.999),
  archEps: z.number().positive().max(1).default(1e-8),
};
