// Kendall τ between DNA's ranking and stand-alone accuracy: the DNA score
// (Σ block losses from a finished `prunas search --strategy dna` run) of
// every architecture trained from scratch in one or more sweeps, against its
// final test accuracy. A lower loss should mean a higher accuracy, so a good
// ranking gives τ near +1 between −score and accuracy.
//
//   node --import tsx benchmarks/dna-tau.ts DNA_RUN_DIR SWEEP_DIR [SWEEP_DIR…]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSpace } from '../src/cli/data.js';
import { flopsCostModel } from '../src/search/cost-model.js';
import { createDna, DNA_METRICS, kendallTau } from '../src/search/dna.js';
import { choicesOf } from '../src/search/strategy.js';
import { validateArchitecture } from '../src/space/index.js';
import type { SweepSummary } from '../src/sweep/summary.js';
import { readCheckpoint } from '../src/train/checkpoint.js';

const [dnaRun, ...sweeps] = process.argv.slice(2);
if (!dnaRun || sweeps.length === 0) {
  process.stderr.write('usage: dna-tau.ts DNA_RUN_DIR SWEEP_DIR [SWEEP_DIR…]\n');
  process.exit(2);
}

const config = JSON.parse(await readFile(join(dnaRun, 'config.json'), 'utf8')) as { space: string; options: Record<string, unknown> };
const space = await resolveSpace(config.space);
const checkpoint = await readCheckpoint(join(dnaRun, 'checkpoint.pb'));
// scores need only the rankings: the budget that picked DNA's own architecture does not matter here
const { budget: _budget, target: _target, ...options } = config.options;
const dna = createDna(options, space, flopsCostModel(space));
dna.loadState(checkpoint.strategy);

const rows: { id: string; accuracy: number; scores: Record<string, number> }[] = [];
for (const dir of sweeps) {
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as SweepSummary;
  for (const job of summary.jobs) {
    if (job.testAccuracy === undefined || !job.choices) continue;
    let choices: number[];
    try {
      choices = choicesOf(space, validateArchitecture(space, { space: space.name, choices: job.choices }));
    } catch {
      continue; // an architecture of a derived space (PruNet widths) has no DNA encoding
    }
    rows.push({ id: job.id, accuracy: job.testAccuracy, scores: Object.fromEntries(DNA_METRICS.map((m) => [m, dna.scoreOf(choices, m)])) });
  }
}
const distinct = new Map(rows.map((r) => [JSON.stringify(r.scores), r]));
console.log(`${rows.length} architectures trained from scratch (${distinct.size} distinct)`);
for (const r of rows) console.log(`  ${r.id.padEnd(28)} acc ${(100 * r.accuracy).toFixed(2)}%  ${DNA_METRICS.map((m) => `${m} ${r.scores[m].toFixed(4)}`).join('  ')}`);
for (const m of DNA_METRICS)
  console.log(`Kendall τ(−${m}, accuracy) = ${kendallTau(rows.map((r) => -r.scores[m]), rows.map((r) => r.accuracy)).toFixed(3)}`);
