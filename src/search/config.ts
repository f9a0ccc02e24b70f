// Strategy configs are zod schemas; a bad value fails with one line naming the field.
import type { z } from 'zod';
import { PrunasRangeError } from '../errors.js';

export function parseConfig<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : '';
  throw new PrunasRangeError(`${strategy} config: ${field ? `${field}: ` : ''}${issue.message}${keys}`);
}
