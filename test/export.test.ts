// Export: the ONNX model of a trained architecture, run by ONNX Runtime,
// against the engine's own eval-mode forward; ProxylessNAS's net.config
// layout; `prunas export` end to end on a checkpoint of `trainArchitecture`.
//
// Error measure (oracleError in helpers/onnx.ts): max over logits of
// |engine − ORT| divided by max |ORT logit|; asserted below 1e-4.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../src/data/dataset.js';
import { syntheticImageSet } from '../src/data/synthetic.js';
import { Supernet, type SupernetState } from '../src/engine/supernet.js';
import { PrunasRangeError } from '../src/errors.js';
import { netConfig } from '../src/export/netconfig.js';
import { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET } from '../src/export/onnx.js';
import { architectureFromIndices, defineSpace, layersOf, proxylessSmall, searchableLayers, type Architecture, type SearchSpace } from '../src/space/index.js';
import { fixedSpace } from '../src/train/fixed.js';
import { trainArchitecture } from '../src/train/trainer.js';
import { createSession, nhwcToNchw, oracleError, runSession } from './helpers/onnx.js';
import { TestRandom } from './helpers/random.js';
import { prunas } from './helpers/cli.js';

const TOLERANCE = 1e-4;
const small = proxylessSmall({ widthMult: 0.5 });
// searchable layers: s1b1 (stride 2), s1b2, s1b3, s2b1 (stride 2), s2b2, s2b3, s3b1 (stride 2), s3b2;
// candidates k3e3, k3e6, k5e3, k5e6, k7e3, k7e6 (+ zero where a residual exists)
const mixed = architectureFromIndices(small, [5, 1, 6, 2, 3, 4, 0, 1]);

// Three input channels, a non-square input, odd maps under stride 2, every activation.
const custom = defineSpace({
  name: 'export-custom',
  input: { height: 12, width: 10, channels: 3 },
  classes: 5,
  stem: { kernel: 3, stride: 1, out: 8, act: 'hswish' },
  stages: [
    {
      name: 'a',
      layers: [
        { name: 'a1', op: { kind: 'mbconv', kernel: 5, expand: 2, stride: 1, out: 8, act: 'relu' } },
        { name: 'a2', candidates: [{ kind: 'mbconv', kernel: 3, expand: 4, stride: 2, out: 12, act: 'hswish' }, { kind: 'mbconv', kernel: 7, expand: 1, stride: 2, out: 12 }] },
        { name: 'a3', candidates: [{ kind: 'mbconv', kernel: 3, expand: 3, stride: 1, out: 12, act: 'hswish' }, { kind: 'zero' }] },
        { name: 'a4', candidates: [{ kind: 'mbconv', kernel: 5, expand: 3, stride: 2, out: 16, act: 'relu' }, { kind: 'mbconv', kernel: 3, expand: 6, stride: 2, out: 16 }] },
      ],
    },
  ],
  head: { out: 24, act: 'hswish' },
});

/** A stand-alone net of the architecture after a few SGD steps, with BN statistics and affine parameters far from their initial values. */
function trainedNet(space: SearchSpace, architecture: Architecture, seed: number): { net: Supernet; fixed: SearchSpace } {
  const fixed = fixedSpace(space, architecture);
  const net = new Supernet(fixed, seed);
  const rng = new TestRandom(seed);
  const { height, width, channels } = fixed.input;
  const choices = layersOf(fixed).map(() => 0);
  for (let step = 0; step < 3; step++) {
    const x = rng.floats(8 * height * width * channels);
    const y = Int32Array.from({ length: 8 }, () => rng.int(0, fixed.classes - 1));
    net.trainStepSync({ x, y }, choices, { lr: 0.05 });
  }
  const state = net.saveState();
  for (const p of state.parameters) {
    if (p.name.endsWith('.bn.weight')) p.value = p.value.map(() => 1 + 0.4 * rng.normal());
    if (p.name.endsWith('.bn.bias')) p.value = p.value.map(() => 0.2 * rng.normal());
  }
  for (const bn of state.batchnorm) {
    bn.mean = bn.mean.map((m) => m + 0.3 * rng.normal());
    bn.var = bn.var.map(() => 0.3 + 1.7 * rng.next());
  }
  net.loadState(state);
  return { net, fixed };
}

/** The engine's eval-mode logits for NHWC images. */
function engineLogits(net: Supernet, fixed: SearchSpace, x: Float32Array, n: number): Float32Array {
  const logits = new Float32Array(n * fixed.classes);
  net.evaluateSync({ samples: { x, y: new Int32Array(n) }, choices: layersOf(fixed).map(() => 0), logits });
  return logits;
}

async function ortLogits(model: Uint8Array, fixed: SearchSpace, x: Float32Array, n: number): Promise<Float32Array> {
  const { height, width, channels } = fixed.input;
  const session = await createSession(model);
  try {
    return await runSession(session, nhwcToNchw(x, n, height, width, channels), [n, channels, height, width]);
  } finally {
    await session.release();
  }
}

const nets: Supernet[] = [];
afterAll(() => nets.forEach((n) => n.dispose()));

describe('ONNX export against ONNX Runtime', () => {
  const cases: [string, SearchSpace, Architecture][] = [
    ['proxyless-small ×0.5, k3/k5/k7, e1/e3/e6, a zero, ReLU6', small, mixed],
    ['a custom space: 3 channels, 12×10 input, h-swish and ReLU', custom, architectureFromIndices(custom, [0, 0, 0])],
    ['the custom space with its other candidates (e1 k7, zero, ReLU6)', custom, architectureFromIndices(custom, [1, 1, 1])],
  ];
  for (const [what, space, architecture] of cases) {
    it(`${what}: ORT's logits equal the engine's within ${TOLERANCE}, BN folded or not, batches 2 and 3`, async () => {
      const { net, fixed } = trainedNet(space, architecture, 11);
      nets.push(net);
      const state = net.saveState();
      const { height, width, channels } = fixed.input;
      const rng = new TestRandom(5);
      for (const foldBatchNorm of [true, false]) {
        const model = exportOnnx(space, architecture, state, { foldBatchNorm });
        for (const n of [2, 3]) {
          const x = rng.floats(n * height * width * channels);
          const ours = engineLogits(net, fixed, x, n);
          const theirs = await ortLogits(model, fixed, x, n);
          const err = oracleError(ours, theirs);
          expect(err.scale).toBeGreaterThan(0.01); // logits that are not all near zero
          expect(err.relative, `fold ${foldBatchNorm}, batch ${n}: ${JSON.stringify(err)}`).toBeLessThan(TOLERANCE);
        }
      }
    });
  }

  it('the model: opset 13, IR 7, input NCHW with a dynamic or fixed batch, logits, initializers named as the engine\'s parameters', () => {
    const { net } = trainedNet(small, mixed, 2);
    nets.push(net);
    const { onnx } = onnxProto;
    const dynamic = onnx.ModelProto.decode(exportOnnx(small, mixed, net.saveState()));
    expect(Number(dynamic.irVersion)).toBe(ONNX_IR_VERSION);
    expect(dynamic.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    const graph = dynamic.graph as onnxProto.onnx.GraphProto;
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(graph.input.map((v) => v.name)).toEqual(['input']);
    expect(dims(graph.input[0])).toEqual(['batch', 1, 28, 28]);
    expect(graph.output.map((v) => v.name)).toEqual(['logits']);
    expect(dims(graph.output[0])).toEqual(['batch', 10]);
    const ops = graph.node.map((n) => n.opType);
    // stem + the fixed first layer (no expand) + 7 chosen MBConvs (the zero is dropped) + head
    expect(ops.filter((o) => o === 'Conv').length).toBe(1 + 2 + 3 * 7 + 1);
    expect(ops.filter((o) => o === 'BatchNormalization').length).toBe(0);
    // residual layers: the fixed first layer and s1b2, s2b2, s2b3, s3b2
    expect(ops.filter((o) => o === 'Add').length).toBe(5);
    expect(ops.slice(-3)).toEqual(['GlobalAveragePool', 'Flatten', 'Gemm']);
    const names = new Set(graph.initializer.map((t) => t.name));
    expect(names.has('layers.1.op0.depthwise.weight') && names.has('classifier.bias')).toBe(true);
    const fixedBatch = onnx.ModelProto.decode(exportOnnx(small, mixed, net.saveState(), { batch: 4, foldBatchNorm: false }));
    const fixedGraph = fixedBatch.graph as onnxProto.onnx.GraphProto;
    expect(dims(fixedGraph.input[0])).toEqual([4, 1, 28, 28]);
    expect(fixedGraph.node.filter((n) => n.opType === 'BatchNormalization').length).toBe(1 + 2 + 3 * 7 + 1);
  });

  it('rejects a state that is not the architecture\'s network, naming what differs', () => {
    const { net } = trainedNet(small, mixed, 3);
    nets.push(net);
    const state = net.saveState();
    const other = architectureFromIndices(small, [0, 1, 6, 2, 3, 4, 0, 1]); // s1b1 k3e3 instead of k7e6
    expect(() => exportOnnx(small, other, state)).toThrow(/parameter layers\.1\.op0\.expand\.weight must hold 192 floats, got a Float32Array of length 384/);
    const withZero = architectureFromIndices(small, [5, 6, 6, 2, 3, 4, 0, 1]);
    expect(() => exportOnnx(small, withZero, state)).toThrow(PrunasRangeError);
    const noBn: SupernetState = { ...state, batchnorm: state.batchnorm.slice(1) };
    expect(() => exportOnnx(small, mixed, noBn)).toThrow(/holds 24 BN units, the network of this architecture 25/);
    const removed: SupernetState = { ...state, removed: { candidates: [], layers: [2] } };
    expect(() => exportOnnx(small, mixed, removed)).toThrow(/removed candidates or layers/);
    expect(() => exportOnnx(small, mixed, state, { batch: 0 })).toThrow(/batch must be a positive integer, got 0/);
    const supernet = new Supernet(small, 1);
    nets.push(supernet);
    expect(() => exportOnnx(small, mixed, supernet.saveState())).toThrow(/the state holds \d+ parameters/);
  });
});

describe('ProxylessNAS net.config layout', () => {
  it('one block per layer of the space, zero as ZeroLayer with an identity shortcut, shortcuts exactly on residual layers', () => {
    const config = netConfig(small, mixed);
    const layers = layersOf(small);
    expect(config.name).toBe('ProxylessNASNets');
    expect(config.bn).toEqual({ momentum: 0.1, eps: 1e-5 });
    expect(config.first_conv).toMatchObject({ name: 'ConvLayer', kernel_size: 3, stride: 1, in_channels: 1, out_channels: small.stem.out, act_func: 'relu6', use_bn: true, bias: false });
    expect(config.blocks.length).toBe(layers.length);
    const chosen = [null, 'mbconv_k7_e6', 'mbconv_k3_e6', 'zero', 'mbconv_k5_e3', 'mbconv_k5_e6', 'mbconv_k7_e3', 'mbconv_k3_e3', 'mbconv_k3_e6'];
    config.blocks.forEach((block, l) => {
      const layer = layers[l];
      expect(block.name).toBe('MobileInvertedResidualBlock');
      expect(block.shortcut === null).toBe(!layer.residual);
      if (block.shortcut) expect(block.shortcut).toMatchObject({ name: 'IdentityLayer', in_channels: layer.input.channels, out_channels: layer.out });
      const conv = block.mobile_inverted_conv;
      if (chosen[l] === 'zero') {
        expect(conv).toEqual({ name: 'ZeroLayer', stride: 1 });
        return;
      }
      const key = chosen[l] ?? 'mbconv_k3_e1';
      const [, k, e] = /k(\d)_e(\d)/.exec(key)!.map(Number);
      expect(conv).toEqual({ name: 'MBInvertedConvLayer', in_channels: layer.input.channels, out_channels: layer.out, kernel_size: k, stride: layer.stride, expand_ratio: e });
    });
    expect(config.feature_mix_layer).toMatchObject({ name: 'ConvLayer', kernel_size: 1, in_channels: layers.at(-1)!.out, out_channels: small.head!.out });
    expect(config.classifier).toMatchObject({ name: 'LinearLayer', in_features: small.head!.out, out_features: 10, bias: true });
  });

  it('other activations as Once-for-All names them', () => {
    const config = netConfig(custom, architectureFromIndices(custom, [0, 0, 0]));
    expect(config.first_conv.act_func).toBe('h_swish');
    expect(config.blocks[0].mobile_inverted_conv).toMatchObject({ act_func: 'relu', expand_ratio: 2 });
    expect(config.feature_mix_layer?.act_func).toBe('h_swish');
  });
});

describe('prunas export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prunas-export-'));
  const archFile = join(dir, 'arch.json');
  writeFileSync(archFile, JSON.stringify(mixed));
  const run = join(dir, 'run');
  const checkpoint = join(run, 'checkpoint.pb');
  let trained: Supernet;

  it('exports a trainArchitecture checkpoint: the ONNX model reproduces the trained net, net.config matches', async () => {
    const set = (count: number, seed: number) => new Dataset(syntheticImageSet({ count, height: 28, width: 28, channels: 1, classes: 10, seed, noise: 0.6 }), { mean: [0.5], std: [0.3] });
    const train = set(128, 1);
    const test = set(32, 2);
    const config = { epochs: 1, batchSize: 32, lr: 0.05, warmupEpochs: 0, seed: 3, evalBatchSize: 32, pad: 0, hflip: false };
    const result = await trainArchitecture({ space: small, architecture: mixed, train, test, config, dir: run });
    trained = result.net;
    nets.push(trained);
    train.dispose();
    test.dispose();

    const onnxFile = join(dir, 'model.onnx');
    const configFile = join(dir, 'net.config');
    const r = prunas('export', '--arch', archFile, '--checkpoint', checkpoint, '--onnx', onnxFile, '--net-config', configFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ onnx: onnxFile, netConfig: configFile, epochs: 1 });
    const fixed = fixedSpace(small, mixed);
    const x = new TestRandom(9).floats(3 * 28 * 28);
    const err = oracleError(engineLogits(trained, fixed, x, 3), await ortLogits(new Uint8Array(readFileSync(onnxFile)), fixed, x, 3));
    expect(err.relative, JSON.stringify(err)).toBeLessThan(TOLERANCE);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual(netConfig(small, mixed));

    // without --arch: the checkpoint's architecture; unfolded BN, fixed batch
    const unfolded = join(dir, 'unfolded.onnx');
    const u = prunas('export', '--checkpoint', checkpoint, '--onnx', unfolded, '--no-fold-bn', '--batch', '3');
    expect(u.code).toBe(0);
    const err2 = oracleError(engineLogits(trained, fixed, x, 3), await ortLogits(new Uint8Array(readFileSync(unfolded)), fixed, x, 3));
    expect(err2.relative).toBeLessThan(TOLERANCE);
  });

  const otherArch = join(dir, 'other.json');
  writeFileSync(otherArch, JSON.stringify(architectureFromIndices(small, searchableLayers(small).map(() => 0))));
  const notCheckpoint = join(dir, 'garbage.pb');
  writeFileSync(notCheckpoint, 'not a checkpoint');
  const bad: [string, string[], RegExp][] = [
    ['a missing checkpoint', ['export', '--checkpoint', join(dir, 'none.pb'), '--onnx', join(dir, 'x.onnx')], /cannot read checkpoint .*none\.pb/],
    ['an architecture other than the checkpoint\'s', ['export', '--arch', otherArch, '--checkpoint', checkpoint, '--onnx', join(dir, 'x.onnx')], /layer s1b1 is mbconv_k3_e3 there, mbconv_k7_e6 in the checkpoint/],
    ['a missing architecture file', ['export', '--arch', join(dir, 'nope.json'), '--checkpoint', checkpoint, '--onnx', join(dir, 'x.onnx')], /cannot read architecture .*nope\.json/],
    ['a file that is no checkpoint', ['export', '--checkpoint', notCheckpoint, '--onnx', join(dir, 'x.onnx')], /garbage\.pb: not a prunas checkpoint/],
    ['no output', ['export', '--checkpoint', checkpoint], /nothing to write/],
    ['a bad batch size', ['export', '--checkpoint', checkpoint, '--onnx', join(dir, 'x.onnx'), '--batch', '0'], /--batch must be a positive integer, got "0"/],
  ];
  for (const [what, args, message] of bad) {
    it(`fails with one line on ${what}`, () => {
      const r = prunas(...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
