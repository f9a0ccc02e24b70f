// The result of a PruNet search as a fixed network at the widths it found
// (src/search/derived.ts): a search that shrinks writes space.json and an
// architecture.json naming each chosen Prunode's MBConv at its final width;
// their costs are the Prunodes' costs at those widths; the derived network
// computes what the searched Prunodes compute (engine against engine, the
// weights carried over); it trains, and its ONNX export matches ONNX Runtime;
// end to end through `prunas search`, `prunas train` and `prunas export`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { Supernet, type SupernetState } from '../src/engine/supernet.js';
import { exportOnnx } from '../src/export/onnx.js';
import { native } from '../src/native.js';
import { flopsCostModel } from '../src/search/cost-model.js';
import { derivePrunodeArchitecture } from '../src/search/derived.js';
import { createPrunet } from '../src/search/prunet.js';
import { runSearch } from '../src/search/runner.js';
import type { SearchEvent } from '../src/search/strategy.js';
import { architectureCost, architectureOps, defineSpace, layersOf, opCost, prunodeCandidates, validateArchitecture, validateSpace, type SearchSpace } from '../src/space/index.js';
import { fixedSpace } from '../src/train/fixed.js';
import { trainArchitecture } from '../src/train/trainer.js';
import { createSession, nhwcToNchw, oracleError, runSession } from './helpers/onnx.js';
import { CONFIG, mb, pn, tinyData, ZERO } from './helpers/prunet-fixture.js';
import { TestRandom } from './helpers/random.js';

native.setThreads(1);

const tiny = defineSpace({
  name: 'tiny-prunet',
  input: { height: 8, width: 8, channels: 1 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  stages: [
    {
      name: 's',
      layers: [
        { name: 'first', op: mb(3, 1, 1, 8) },
        { name: 'a', candidates: [pn(3, 1, 8, 8), mb(5, 3, 1, 8)] },
        { name: 'b', candidates: [pn(3, 2, 12, 8), mb(5, 3, 2, 12)] },
        { name: 'c', candidates: [mb(3, 3, 1, 12), mb(5, 1, 1, 12), ZERO] },
      ],
    },
  ],
  head: { out: 16 },
});

const datasets: Dataset[] = [];
const nets: Supernet[] = [];
const root = mkdtempSync(join(tmpdir(), 'prunas-prunet-derive-'));
afterAll(() => {
  datasets.forEach((d) => d.dispose());
  nets.forEach((n) => n.dispose());
  rmSync(root, { recursive: true, force: true });
});
const data = tinyData();
const train = data.train;
datasets.push(train);

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

describe('the derived architecture of a PruNet search', () => {
  it('names each chosen Prunode as the MBConv at its final width, at the cost of the Prunode at that width; the network is the searched one, trains, and exports', async () => {
    const dir = join(root, 'search');
    const net = new Supernet(tiny, 6);
    nets.push(net);
    const cost = flopsCostModel(tiny);
    const events: SearchEvent[] = [];
    const strategy = createPrunet(CONFIG, tiny, cost);
    const result = await runSearch({ strategy, space: tiny, net, data, cost, seed: 5, config: { strategy: 'prunet', options: CONFIG }, dir, onEvent: (e) => events.push(e as SearchEvent) });

    // widths: the strategy's, the supernet's, in the done event and the shrink events
    expect(result.widths).toEqual(strategy.widths());
    const shrinks = events.filter((e): e is Extract<SearchEvent, { type: 'prune' }> => e.type === 'prune' && e.reason.startsWith('shrink'));
    expect(shrinks.length).toBeGreaterThan(0);
    for (const w of result.widths!) {
      const last = shrinks.filter((e) => e.layer === w.layer && e.candidate === w.candidate).at(-1);
      expect(last?.width ?? 32).toBe(w.width);
    }
    const done = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
    expect(done.widths).toEqual(result.widths);

    // the files: space.json validates, architecture.json names it and no Prunode
    const space = validateSpace(readJson(join(dir, 'space.json')));
    expect(space.name).toBe('tiny-prunet-derived');
    const architecture = validateArchitecture(space, readJson(join(dir, 'architecture.json')));
    expect(architecture).toEqual(result.architecture);
    expect(done.architecture).toEqual(result.architecture);
    const ops = architectureOps(space, architecture);
    expect(ops.some((op) => op.kind === 'prunode')).toBe(false);

    // every chosen Prunode: the MBConv (k, width/cin), and at least one of them shrunk
    const layers = layersOf(tiny);
    const chosen = result.choices.flatMap((k, l) => (k >= 0 && layers[l].candidates[k].kind === 'prunode' ? [{ l, k }] : []));
    expect(chosen.length).toBeGreaterThan(0);
    let shrunk = 0;
    for (const { l, k } of chosen) {
      const prunode = layers[l].candidates[k];
      if (prunode.kind !== 'prunode') throw new Error('expected a prunode');
      const width = result.widths!.find((w) => w.layer === l && w.candidate === k)!.width;
      if (width < 32) shrunk++;
      const op = ops[l];
      expect(op).toEqual({ kind: 'mbconv', kernel: prunode.kernel, expand: width / layers[l].input.channels, stride: prunode.stride, out: prunode.out, act: prunode.act });
      // cost.ts on the MBConv = the cost model's Prunode entry at that width
      const entry = cost.prunodes![l][k]!;
      expect(opCost(op, layers[l].input).macs / 1e6).toBeCloseTo(entry.costs[entry.widths.indexOf(width)], 12);
    }
    expect(shrunk).toBeGreaterThan(0);
    // the whole network: cost.ts on the derived space = the runner's cost (cost model, Prunodes at their widths)
    expect(architectureCost(space, architecture).macs / 1e6).toBeCloseTo(result.cost, 12);
    expect(done.cost).toBeCloseTo(result.cost, 12);

    // the derived network computes what the searched path computes: the supernet's weights (Prunodes at their widths) in both
    const path = net.extractPath(result.choices);
    const searched = new Supernet(path.plan, 1);
    nets.push(searched);
    searched.loadState(path.state);
    const fixed = fixedSpace(space, architecture);
    const derivedNet = new Supernet(fixed, 1);
    nets.push(derivedNet);
    derivedNet.loadState(withFixedLayerNames(path.state, result.choices.map((k, l) => k >= 0 && ops[l].kind !== 'zero')));
    const rng = new TestRandom(3);
    const n = 4;
    const x = rng.floats(n * 64);
    const logits = (model: Supernet, count: number) => {
      const out = new Float32Array(n * 4);
      model.evaluateSync({ samples: { x, y: new Int32Array(n) }, choices: new Array<number>(count).fill(0), logits: out });
      return out;
    };
    const a = logits(searched, layers.length);
    const b = logits(derivedNet, layersOf(fixed).length);
    expect(oracleError(b, a).relative).toBeLessThan(1e-6);

    // trains one tiny epoch; the ONNX export runs in ONNX Runtime as in the engine
    const trained = await trainArchitecture({ space, architecture, train, test: train, config: { epochs: 1, batchSize: 16, seed: 2 } });
    nets.push(trained.net);
    const model = exportOnnx(space, architecture, trained.net.saveState());
    const expandDims = onnxProto.onnx.ModelProto.decode(model)
      .graph!.initializer.filter((t) => /^layers\.\d+\.op0\.expand\.weight$/.test(t.name!))
      .map((t) => Number(t.dims![0]));
    expect(expandDims).toEqual(layersOf(fixed).filter((l) => l.candidates[0].kind === 'mbconv' && l.candidates[0].expand > 1).map((l) => l.input.channels * (l.candidates[0] as { expand: number }).expand));
    const session = await createSession(model);
    try {
      const ort = await runSession(session, nhwcToNchw(x, n, 8, 8, 1), [n, 1, 8, 8]);
      const err = oracleError(logits(trained.net, layersOf(fixed).length), ort);
      expect(err.scale).toBeGreaterThan(0.01);
      expect(err.relative, JSON.stringify(err)).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  }, 60_000);

  it('reuses an identical candidate, turns a Prunode left at full width into its MBConv, and fails on a width no MBConv has, naming the layer (PruNet before it searches)', () => {
    const same = defineSpace({
      ...tiny,
      name: 'tiny-same',
      stages: [{ name: 's', layers: [{ name: 'first', op: mb(3, 1, 1, 8) }, { name: 'a', candidates: [pn(3, 1, 8, 8), mb(3, 3, 1, 8), ZERO] }] }],
    });
    const reused = derivePrunodeArchitecture(same, [0, 0], [{ layer: 1, candidate: 0, width: 24 }]);
    expect(reused.choices).toEqual([0, 1]);
    expect(reused.architecture).toEqual({ space: 'tiny-same-derived', choices: { a: 'mbconv_k3_e3' } });
    expect(searchableCandidates(reused.space)).toEqual(searchableCandidates(same));

    const full = derivePrunodeArchitecture(tiny, [0, 0, 0, 2], []);
    expect(full.architecture.choices).toEqual({ a: 'mbconv_k3_e4', b: 'mbconv_k3_e4', c: 'zero' });
    expect(full.choices).toEqual([0, 2, 2, 2]);
    // a removed layer and an unchosen Prunode need no MBConv
    expect(derivePrunodeArchitecture(tiny, [0, 1, 1, -1], []).architecture.choices).toEqual({ a: 'mbconv_k5_e3', b: 'mbconv_k5_e3', c: 'zero' });

    const loose = defineSpace({ ...tiny, name: 'tiny-loose', stages: [{ name: 's', layers: [{ name: 'first', op: mb(3, 1, 1, 8) }, { name: 'a', candidates: [{ ...pn(3, 1, 8, 8), step: 4, minWidth: 8 }, ZERO] }] }] });
    expect(() => derivePrunodeArchitecture(loose, [0, 0], [{ layer: 1, candidate: 0, width: 20 }])).toThrow(/prunode chosen at layer a ends at 20 hidden channels, which no MBConv has \(its hidden width is expand·8 with expand ≥ 2\)/);
    expect(() => derivePrunodeArchitecture(loose, [0, 0], [{ layer: 1, candidate: 0, width: 8 }])).toThrow(/layer a ends at 8 hidden channels/);
    expect(derivePrunodeArchitecture(loose, [0, 1], [{ layer: 1, candidate: 0, width: 20 }]).architecture.choices).toEqual({ a: 'zero' });
    // a PruNet search refuses such a Prunode before it starts
    expect(() => createPrunet({}, loose, flopsCostModel(loose))).toThrow(
      /prunet: the prunode at layer a, candidate 0 \(step 4, minWidth 8\) can shrink to 28 hidden channels, which no MBConv has \(expand·8, expand ≥ 2\).*use a step that is a multiple of 8 and a minWidth of at least 16/,
    );
    const toCin = defineSpace({ ...loose, name: 'tiny-to-cin', stages: [{ name: 's', layers: [{ name: 'first', op: mb(3, 1, 1, 8) }, { name: 'a', candidates: [{ ...pn(3, 1, 8, 8), minWidth: 8 }, ZERO] }] }] });
    expect(() => createPrunet({}, toCin, flopsCostModel(toCin))).toThrow(/can shrink to 8 hidden channels/);
  });
});

describe('prunas search → train → export with Prunodes', () => {
  const BIN = resolve(__dirname, '../bin/prunas.js');
  const prunas = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('trains the architecture a prunet search wrote at its widths, and exports it', () => {
    // prunet-small in miniature: 28² × 1 input, Prunodes k3/k5/k7 of expand 6, step cin, minimum 2·cin
    const space = defineSpace({
      name: 'prunet-mini',
      input: { height: 28, width: 28, channels: 1 },
      classes: 10,
      stem: { kernel: 3, stride: 2, out: 8 },
      stages: [
        { name: 'first', layers: [{ name: 'first', op: mb(3, 1, 1, 8) }] },
        { name: 'stage1', layers: [{ name: 's1b1', candidates: prunodeCandidates(2, 8, 8, false) }, { name: 's1b2', candidates: prunodeCandidates(1, 8, 8, true) }] },
      ],
      head: { out: 16 },
    });
    const dir = join(root, 'cli');
    mkdirSync(dir);
    const spaceFile = join(dir, 'prunet-mini.json');
    writeFileSync(spaceFile, JSON.stringify(space));
    const configFile = join(dir, 'prunet.json');
    writeFileSync(configFile, JSON.stringify({ batchSize: 16, archBatchSize: 16, warmupSteps: 2, searchSteps: 12, archEvery: 1, patience: 1, archLr: 0.3, constraint: { target: 0.05, lossForm: 'additive', lambda: 3 } }));
    const run = join(dir, 'search');
    const s = prunas('search', '--strategy', 'prunet', '--space', spaceFile, '--config', configFile, '--subset', '300', '--val-size', '60', '--threads', '1', '--progress', 'none', '--out', run);
    expect(s.code, s.stderr).toBe(0);
    const printed = JSON.parse(s.stdout);
    expect(printed.space).toBe(`${run}/space.json`);
    const log = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.some((e) => e.type === 'prune' && typeof e.width === 'number')).toBe(true);
    const derived = validateSpace(readJson(join(run, 'space.json')));
    const architecture = validateArchitecture(derived, readJson(join(run, 'architecture.json')));
    expect(Object.values(architecture.choices).every((key) => !key.startsWith('prunode'))).toBe(true);
    expect(printed.cost).toBeCloseTo(architectureCost(derived, architecture).macs / 1e6, 4);
    // the report finds the derived space beside the run and prices the chosen ops
    const r = prunas('report', run);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('Chosen architecture (prunet-mini-derived)');

    const out = join(dir, 'train');
    const t = prunas('train', '--arch', join(run, 'architecture.json'), '--epochs', '1', '--subset', '128', '--batch-size', '32', '--threads', '1', '--progress', 'none', '--out', out);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/training prunet-mini-derived architecture for 1 epochs/);
    const e = prunas('export', '--checkpoint', join(out, 'checkpoint.pb'), '--onnx', join(out, 'model.onnx'), '--arch', join(run, 'architecture.json'));
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).space).toBe('prunet-mini-derived');
    // the exported expand convs are the derived widths
    const fixed = fixedSpace(derived, architecture);
    const expandDims = onnxProto.onnx.ModelProto.decode(readFileSync(join(out, 'model.onnx')))
      .graph!.initializer.filter((i) => /^layers\.\d+\.op0\.expand\.weight$/.test(i.name!))
      .map((i) => Number(i.dims![0]));
    expect(expandDims).toEqual(layersOf(fixed).filter((l) => l.candidates[0].kind === 'mbconv' && l.candidates[0].expand > 1).map((l) => l.input.channels * (l.candidates[0] as { expand: number }).expand));

    // without its space.json the architecture's space cannot be found: one line, exit code ≠ 0
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    copyFileSync(join(run, 'architecture.json'), join(alone, 'architecture.json'));
    const missing = prunas('train', '--arch', join(alone, 'architecture.json'), '--epochs', '1', '--out', join(dir, 'never'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/space "prunet-mini-derived" is neither built in .* nor a file, and no space.json lies beside it; pass --space/);
    writeFileSync(join(alone, 'space.json'), JSON.stringify(space));
    const other = prunas('train', '--arch', join(alone, 'architecture.json'), '--epochs', '1', '--out', join(dir, 'never'));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/names space "prunet-mini-derived", but .*space\.json holds "prunet-mini"; pass --space/);
  }, 120_000);
});

/** A path's state (layers.<l>.op0.…, zero layers included) renamed for the stand-alone network, where zero layers are gone. */
function withFixedLayerNames(state: SupernetState, kept: readonly boolean[]): SupernetState {
  const index = kept.map((_, l) => kept.slice(0, l).filter(Boolean).length);
  const rename = (name: string) => name.replace(/^layers\.(\d+)\./, (_, l: string) => `layers.${index[Number(l)]}.`);
  return {
    parameters: state.parameters.map((p) => ({ ...p, name: rename(p.name) })),
    batchnorm: state.batchnorm.map((b) => ({ ...b, ...(b.name ? { name: rename(b.name) } : {}) })),
  };
}

function searchableCandidates(space: SearchSpace): string[][] {
  return layersOf(space)
    .filter((l) => l.searchable)
    .map((l) => [...l.keys]);
}
