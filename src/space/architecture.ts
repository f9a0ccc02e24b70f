// An architecture: one op per searchable layer, as a JSON file can hold it.
//
//   { "space": "proxyless-small",
//     "choices": { "s1b1": "mbconv_k3_e6", "s1b2": "zero", ... } }
//
// Choices name the layer and the op's key (opKey), not positions, so a file
// stays readable and fails loudly rather than silently picking another op if
// the space's candidate lists are reordered. Strategies work with indices
// (one per searchable layer, in order); architectureFromIndices and
// architectureIndices convert.
import { z } from 'zod';
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import { layersOf, searchableLayers } from './shapes.js';
import { fromZod, type Op, type SearchSpace } from './spec.js';

export interface Architecture {
  /** The name of the space the choices refer to. */
  readonly space: string;
  /** For every searchable layer, by name, the key of its chosen op. */
  readonly choices: Readonly<Record<string, string>>;
}

/** Validates any value (e.g. parsed JSON) as an architecture of this space; returns a frozen copy, choices in layer order. */
export function validateArchitecture(space: SearchSpace, value: unknown): Architecture {
  const parsed = architectureSchema.safeParse(value);
  if (!parsed.success) {
    const issue = fromZod(value, parsed.error.issues[0])[0];
    const message = `architecture: ${issue.path} ${issue.message}${issue.value === undefined ? '' : `, got ${issue.value}`}`;
    throw issue.type ? new PrunasTypeError(message) : new PrunasRangeError(message);
  }
  const indices = architectureIndices(space, parsed.data);
  return architectureFromIndices(space, indices);
}

/** The index of each searchable layer's chosen op, in layer order; checks the architecture against the space. */
export function architectureIndices(space: SearchSpace, architecture: Architecture): number[] {
  if (architecture.space !== space.name)
    throw new PrunasRangeError(`architecture: space must be "${space.name}", the space it is applied to, got ${describeValue(architecture.space)}`);
  const layers = searchableLayers(space);
  const known = new Set(layers.map((l) => l.name));
  for (const name of Object.keys(architecture.choices))
    if (!known.has(name)) throw new PrunasRangeError(`architecture: choices.${name} names no searchable layer of ${space.name}`);
  return layers.map((l) => {
    if (!Object.hasOwn(architecture.choices, l.name)) throw new PrunasRangeError(`architecture: choices.${l.name} is missing: every searchable layer needs a choice`);
    const key = architecture.choices[l.name];
    const index = l.keys.indexOf(key);
    if (index < 0) throw new PrunasRangeError(`architecture: choices.${l.name} must be one of ${l.keys.join(', ')}, got ${describeValue(key)}`);
    return index;
  });
}

/** An architecture from one candidate index per searchable layer, in layer order. */
export function architectureFromIndices(space: SearchSpace, indices: ArrayLike<number>): Architecture {
  const layers = searchableLayers(space);
  if (indices?.length !== layers.length)
    throw new PrunasRangeError(`architecture: indices must hold one index per searchable layer of ${space.name} (${layers.length}), got ${describeValue(indices?.length)}`);
  const choices = layers.map((l, i) => {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= l.keys.length)
      throw new PrunasRangeError(`architecture: indices[${i}] (layer ${l.name}) must be an integer in [0, ${l.keys.length - 1}], got ${describeValue(j)}`);
    return [l.name, l.keys[j]] as const;
  });
  return Object.freeze({ space: space.name, choices: Object.freeze(Object.fromEntries(choices)) });
}

/** Every layer's op under this architecture, in order: the chosen candidate, or the fixed op. */
export function architectureOps(space: SearchSpace, architecture: Architecture): Op[] {
  const indices = architectureIndices(space, architecture);
  let next = 0;
  return layersOf(space).map((l) => (l.searchable ? l.candidates[indices[next++]] : l.candidates[0]));
}

const architectureSchema = z.strictObject({
  space: z.string({ error: 'must be a string' }),
  choices: z.record(z.string(), z.string({ error: 'must be an op key string' }), { error: 'must be an object of layer name → op key' }),
});
