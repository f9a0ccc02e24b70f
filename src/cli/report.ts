// prunas report: one self-contained HTML page for a run folder.
import { resolveSpace } from './data.js';

export async function reportCommand(dir: string, flags: { out?: string }): Promise<void> {
  // loaded here, not at startup: vega would add ~0.2 s to every other command
  const { writeReport } = await import('../report/report.js');
  const file = await writeReport(dir, { out: flags.out, resolveSpace });
  process.stdout.write(`${file}\n`);
}
