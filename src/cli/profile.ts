// prunas profile: builds a latency table of a space on this CPU or a CUDA
// device, shows a table as JSON, or validates a table against end-to-end
// timings.
//
//   prunas profile --space S [--device cpu|cuda:N] [--precision fp32|tf32|bf16] [--graph] [--batch B] [--threads T] [--warmup N] [--repeats N] --out table.pb [--json]
//   prunas profile --json table.pb
//   prunas profile --validate table.pb [--device D] [--space S] [--count 50] [--seed N] [--json]
import { checkTableMatchesSpace, describeDevice, latencyCostModel, profileSpace, readTable, tableJson, timingDeviceFor, validateTable, writeTable, type LatencyTable } from '../latency/index.js';
import { costRange } from '../search/cost-model.js';
import { validateSpace, type SearchSpace } from '../space/index.js';
import { resolveSpace } from './data.js';
import { UsageError } from './util.js';

export interface ProfileFlags {
  space?: string;
  out?: string;
  /** "cpu" (default) or "cuda:N"; with --validate: default the table's */
  device?: string;
  precision?: string;
  batch?: number;
  threads?: number;
  warmup?: number;
  repeats?: number;
  seed?: number;
  /** CUDA: each repeat one launch of the op captured as a CUDA graph */
  graph?: boolean;
  /** true: print the JSON view; a file: print that table's JSON view */
  json?: boolean | string;
  validate?: string;
  count?: number;
}

export async function profileCommand(flags: ProfileFlags): Promise<void> {
  if (flags.validate !== undefined) return validateCommand(flags.validate, flags);
  if (typeof flags.json === 'string') {
    if (flags.space !== undefined) throw new UsageError('--json takes no file when profiling: use --space S --out table.pb --json');
    if (flags.graph) throw new UsageError('--graph is for profiling: --json table.pb prints a table as it was timed');
    return printJson(tableJson(await readTable(flags.json)));
  }
  if (flags.space === undefined) throw new UsageError('profile needs --space S --out table.pb, --validate table.pb, or --json table.pb');
  if (flags.out === undefined && !flags.json) throw new UsageError('profile needs --out table.pb (or --json to print the table)');
  const space = await resolveSpace(flags.space);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const options = { device: flags.device, precision: flags.precision, batch: flags.batch, threads: flags.threads, warmup: flags.warmup, repeats: flags.repeats, seed: flags.seed, graph: flags.graph };
  const table = await profileSpace(space, options, (done, total, entry) => {
    if (done === 1) log(`profiling ${total} ops of ${space.name} at batch ${flags.batch ?? 1} on ${flags.device ?? 'cpu'}...`);
    if (done === total) log(`last: ${entry.key}: ${entry.medianMs.toFixed(4)} ms`);
  });
  const seconds = (performance.now() - started) / 1000;
  noteLoad(table, table.loadAverage, log);
  if (flags.out !== undefined) await writeTable(flags.out, table);
  if (flags.json) return printJson(tableJson(table));
  printJson(summary(table, space, flags.out, seconds));
}

async function validateCommand(file: string, flags: ProfileFlags): Promise<void> {
  if (flags.graph) throw new UsageError('--graph is for profiling: validation times the way the table was timed');
  const table = await readTable(file);
  const space = flags.space !== undefined ? await resolveSpace(flags.space) : spaceOf(table, file);
  checkTableMatchesSpace(table, space);
  timingDeviceFor(table, flags.device, 'validate options');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`validating ${file} (${table.spaceName}, batch ${table.batch}, measured on ${describeDevice(table.device)}) on ${flags.count ?? 50} sampled architectures`);
  const report = await validateTable(table, space, { count: flags.count, seed: flags.seed, warmup: flags.warmup, repeats: flags.repeats, device: flags.device }, (done, total, a) =>
    log(`${String(done).padStart(3)}/${total}: predicted ${a.predictedMs.toFixed(4)} ms, measured ${a.measuredMs.toFixed(4)} ms (±${a.spreadMs.toFixed(4)}), ${(100 * a.relativeError).toFixed(1)}%`),
  );
  noteLoad(table, report.loadAverage, log);
  if (flags.json) return printJson(report);
  const { architectures: _, ...shares } = report;
  printJson({ table: file, ...shares });
}

function spaceOf(table: LatencyTable, file: string): SearchSpace {
  try {
    return validateSpace(JSON.parse(table.spaceJson));
  } catch (e) {
    throw new UsageError(`${file}: its space does not validate (${(e as Error).message.split('\n')[0]})`);
  }
}

function summary(table: LatencyTable, space: SearchSpace, out: string | undefined, seconds: number): Record<string, unknown> {
  const model = latencyCostModel(table, space);
  const range = costRange(model);
  return { table: out, space: table.spaceName, entries: table.entries.length, seconds: Number(seconds.toFixed(2)), device: table.device, fixedMs: model.fixed, rangeMs: [range.min, range.max] };
}

function noteLoad(table: LatencyTable, loadAverage: number, log: (line: string) => void): void {
  const cpus = table.device.logicalCpus;
  // a GPU pass is launched by one host thread: only a CPU table's timings suffer from a loaded machine
  if (table.device.kind === 'cpu' && loadAverage >= cpus)
    log(`note: load average ${loadAverage.toFixed(1)} on ${cpus} logical CPUs: other processes preempt long passes, so their times run high`);
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
