// Reads a run folder for the report: a search's (config.json, log.jsonl,
// architecture.json, checkpoint.pb) or a training run's (log.jsonl with
// start/epoch events, checkpoint.pb). Only log.jsonl is required; every
// known event is checked, unknown event types are skipped (the log may hold
// more kinds than the report shows), and a bad line fails naming the file
// and the line number.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PrunasError } from '../errors.js';
import { validateArchitecture, validateSpace, type Architecture, type SearchSpace } from '../space/index.js';
import { readCheckpoint } from '../train/checkpoint.js';

const finite = z.number().finite();
/** a diverged loss is written as null (JSON has no NaN) */
const metric = finite.nullable();
const index = z.number().int().min(-1);

const eventSchemas = {
  start: z.looseObject({}),
  step: z.looseObject({ phase: z.string(), step: finite, loss: metric, accuracy: metric }),
  distribution: z.looseObject({ step: finite, probabilities: z.array(z.array(finite)) }),
  prune: z.looseObject({ step: finite, layer: index, candidate: z.union([index, z.literal('layer')]), reason: z.string() }),
  evaluate: z.looseObject({ step: finite, choices: z.array(index), accuracy: finite, cost: finite }),
  epoch: z.looseObject({ epoch: finite }),
  message: z.looseObject({ text: z.string() }),
  done: z.looseObject({ choices: z.array(index).optional(), architecture: z.unknown().optional(), cost: finite.optional(), seconds: finite.optional() }),
};

type Schemas = typeof eventSchemas;
/** A logged event of a kind the report reads, with its line in log.jsonl. */
export type RunEvent = { [K in keyof Schemas]: z.infer<Schemas[K]> & { type: K; line: number; time?: string } }[keyof Schemas];
export type EventOf<K extends RunEvent['type']> = Extract<RunEvent, { type: K }>;

export interface Run {
  dir: string;
  /** config.json of a search; a training run's config comes from its checkpoint */
  config?: Record<string, unknown>;
  events: RunEvent[];
  /** architecture.json, the 'done' event's, or a training checkpoint's */
  architecture?: Architecture;
  /** the space, when it could be resolved (built-in name, the training checkpoint's copy, or a search's derived space.json) */
  space?: SearchSpace;
}

export interface ReadRunOptions {
  /** space name → space (e.g. the CLI's built-in lookup); undefined or a throw: unknown space */
  resolveSpace?: (name: string) => SearchSpace | undefined | Promise<SearchSpace | undefined>;
}

export async function readRun(dir: string, options: ReadRunOptions = {}): Promise<Run> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PrunasError(`run folder ${dir} does not exist`);
  const logFile = join(dir, 'log.jsonl');
  if (!existsSync(logFile)) throw new PrunasError(`${dir} holds no log.jsonl: not a run folder`);
  const events = parseLog(await readFile(logFile, 'utf8'), logFile);

  const configFile = join(dir, 'config.json');
  const configValue = existsSync(configFile) ? await readJsonFile(configFile) : undefined;
  if (configValue !== undefined && (typeof configValue !== 'object' || configValue === null || Array.isArray(configValue)))
    throw new PrunasError(`${configFile}: expected a JSON object`);
  let config = configValue as Record<string, unknown> | undefined;

  const architectureFile = join(dir, 'architecture.json');
  const done = events.filter((e): e is EventOf<'done'> => e.type === 'done').pop();
  let architectureValue: unknown = existsSync(architectureFile) ? await readJsonFile(architectureFile) : done?.architecture;
  let architectureSource = existsSync(architectureFile) ? architectureFile : `${logFile}:${done?.line}`;
  let checkpointSpace: string | undefined;
  const checkpointFile = join(dir, 'checkpoint.pb');
  // a search checkpoint holds the whole supernet: read it only for a training run, whose checkpoint names its architecture
  if (architectureValue === undefined && existsSync(checkpointFile)) {
    const c = await readCheckpoint(checkpointFile);
    if (c.architectureJson) {
      architectureValue = JSON.parse(c.architectureJson);
      architectureSource = checkpointFile;
      checkpointSpace = c.spaceJson;
      config ??= { training: JSON.parse(c.configJson) as unknown };
    }
  }

  const spaceName = (architectureValue as { space?: unknown } | undefined)?.space ?? config?.space;
  let space: SearchSpace | undefined;
  const resolve = options.resolveSpace;
  if (typeof spaceName === 'string' && resolve) space = await (async () => resolve(spaceName))().catch(() => undefined);
  if (!space && checkpointSpace) space = validateSpace(JSON.parse(checkpointSpace));
  // a search over Prunodes writes the space of its derived architecture beside it
  const derivedFile = join(dir, 'space.json');
  if (!space && existsSync(derivedFile)) {
    const derived = validateSpace(await readJsonFile(derivedFile));
    if (derived.name === spaceName) space = derived;
  }

  let architecture: Architecture | undefined;
  if (architectureValue !== undefined) {
    try {
      architecture = space ? validateArchitecture(space, architectureValue) : plainArchitecture(architectureValue);
    } catch (e) {
      throw new PrunasError(`${architectureSource}: ${(e as Error).message}`);
    }
  }
  return { dir, config, events, architecture, space };
}

/** One event per line; blank lines are skipped, and so is an unfinished last line (a run still writing). */
export function parseLog(text: string, file: string): RunEvent[] {
  const lines = text.split('\n');
  const events: RunEvent[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      if (i === lines.length - 1) return;
      throw new PrunasError(`${file}:${line}: not valid JSON (${(e as Error).message})`);
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof type !== 'string')
      throw new PrunasError(`${file}:${line}: expected an event object with a string "type"`);
    if (!Object.hasOwn(eventSchemas, type)) return;
    const parsed = eventSchemas[type as keyof Schemas].safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PrunasError(`${file}:${line}: ${type} event: ${issue.path.join('.') || '(event)'} ${issue.message}`);
    }
    events.push({ ...parsed.data, type, line } as RunEvent);
  });
  return events;
}

async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new PrunasError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Without its space an architecture can only be checked for shape. */
function plainArchitecture(value: unknown): Architecture {
  const parsed = z.strictObject({ space: z.string(), choices: z.record(z.string(), z.string()) }).safeParse(value);
  if (!parsed.success) throw new PrunasError(`architecture: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`);
  return parsed.data;
}
