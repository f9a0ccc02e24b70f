// prunas report: one self-contained HTML page for a run folder.
import { writeReport } from '../report/report.js';
import { resolveSpace } from './data.js';

export async function reportCommand(dir: string, flags: { out?: string }): Promise<void> {
  const file = await writeReport(dir, { out: flags.out, resolveSpace });
  process.stdout.write(`${file}\n`);
}
