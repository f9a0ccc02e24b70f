// prunas eval: evaluates a training checkpoint on the test split.
import { Supernet } from '../engine/supernet.js';
import { setThreads } from '../index.js';
import { layersOf, validateArchitecture, validateSpace } from '../space/index.js';
import { readCheckpoint } from '../train/checkpoint.js';
import { fixedSpace } from '../train/fixed.js';
import { evaluateDataset } from '../train/trainer.js';
import { openData } from './data.js';

export async function evalCommand(flags: { checkpoint: string; data?: string; threads?: number }): Promise<void> {
  if (flags.threads) setThreads(flags.threads);
  const c = await readCheckpoint(flags.checkpoint);
  const space = validateSpace(JSON.parse(c.spaceJson));
  const architecture = validateArchitecture(space, JSON.parse(c.architectureJson));
  const fixed = fixedSpace(space, architecture);
  const net = new Supernet(fixed, 0);
  net.loadState(c.state);
  const data = await openData(flags.data, (line) => process.stderr.write(`${line}\n`));
  try {
    const r = await evaluateDataset(net, data.test, layersOf(fixed).map(() => 0), 500);
    process.stdout.write(`${JSON.stringify({ testAccuracy: r.accuracy, testLoss: r.loss, epochs: c.epochsDone, images: data.test.size })}\n`);
  } finally {
    net.dispose();
    data.train.dispose();
    data.test.dispose();
  }
}
