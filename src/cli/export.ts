// prunas export: a training checkpoint as an ONNX model and/or ProxylessNAS's
// net.config JSON. The checkpoint holds the space and the architecture it was
// trained for; --arch, when given, must name the same architecture.
import { existsSync } from 'node:fs';
import { exportOnnx } from '../export/onnx.js';
import { netConfig } from '../export/netconfig.js';
import { architectureIndices, searchableLayers, validateArchitecture, validateSpace, type Architecture, type SearchSpace } from '../space/index.js';
import { readCheckpoint, writeAtomically } from '../train/checkpoint.js';
import { readJson, UsageError } from './util.js';

interface ExportFlags {
  checkpoint: string;
  arch?: string;
  onnx?: string;
  netConfig?: string;
  batch?: number;
  foldBn: boolean;
}

export async function exportCommand(flags: ExportFlags): Promise<void> {
  if (flags.onnx === undefined && flags.netConfig === undefined) throw new UsageError('nothing to write: pass --onnx <file> and/or --net-config <file>');
  if (!existsSync(flags.checkpoint)) throw new UsageError(`cannot read checkpoint ${flags.checkpoint}`);
  const c = await readCheckpoint(flags.checkpoint);
  const space = validateSpace(JSON.parse(c.spaceJson));
  const trained = validateArchitecture(space, JSON.parse(c.architectureJson));
  const architecture = flags.arch === undefined ? trained : await sameArchitecture(flags.arch, space, trained);
  const written: Record<string, string | number> = {};
  if (flags.onnx !== undefined) {
    const model = exportOnnx(space, architecture, c.state, { foldBatchNorm: flags.foldBn, ...(flags.batch ? { batch: flags.batch } : {}) });
    await writeAtomically(flags.onnx, model);
    Object.assign(written, { onnx: flags.onnx, bytes: model.length });
  }
  if (flags.netConfig !== undefined) {
    await writeAtomically(flags.netConfig, `${JSON.stringify(netConfig(space, architecture), null, 2)}\n`);
    written.netConfig = flags.netConfig;
  }
  process.stdout.write(`${JSON.stringify({ space: space.name, epochs: c.epochsDone, ...written })}\n`);
}

/** The --arch file, which must choose what the checkpoint's architecture chose. */
async function sameArchitecture(file: string, space: SearchSpace, trained: Architecture): Promise<Architecture> {
  const json = await readJson(file, 'architecture');
  const given = validateArchitecture(space, json);
  const a = architectureIndices(space, given);
  const b = architectureIndices(space, trained);
  const layers = searchableLayers(space);
  const differs = layers.findIndex((_, i) => a[i] !== b[i]);
  if (differs >= 0) {
    const l = layers[differs];
    throw new UsageError(`${file}: layer ${l.name} is ${l.keys[a[differs]]} there, ${l.keys[b[differs]]} in the checkpoint's architecture`);
  }
  return given;
}
