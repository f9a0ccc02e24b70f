// ONNX export of a trained architecture: the stand-alone network
// `trainArchitecture` builds (fixedSpace: a chosen `zero` removes its layer)
// with the weights and BN running statistics of its state.
//
//   input [N, C, H, W] → stem Conv → act → per layer: (1×1 expand Conv → act)
//   → depthwise Conv (group = C) → act → 1×1 project Conv (+ input where the
//   layer has a residual) → head 1×1 Conv → act → GlobalAveragePool → Flatten
//   → Gemm → logits [N, classes]
//
// The model is NCHW at its interface with OIHW weights; the engine is NHWC with
// OHWI (dense), [KH][KW][C] (depthwise) and [Cout][Cin] (pointwise) weights,
// converted here. BN runs in eval mode: folded into the conv before it by
// default (W·γ/√(σ²+ε), β − μ·γ/√(σ²+ε), computed in double), or kept as
// BatchNormalization nodes. ReLU6 is Clip(x, 0, 6) with its bounds as inputs;
// h-swish is x·HardSigmoid(x) with α = 1/6, β = 1/2 (HardSwish needs opset 14).
// The input is the image as the engine sees it: normalised by the dataset's
// mean and standard deviation.
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';
import type { SupernetState } from '../engine/supernet.js';
import { layersOf, type Activation, type Architecture, type SearchSpace } from '../space/index.js';
import { fixedSpace } from '../train/fixed.js';
import { AttributeType, DataType, encodeModel, type AttributeMessage, type NodeMessage, type TensorMessage } from './onnx-proto.js';

/** Opset 13 (ONNX 1.8) and the IR version that release writes. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;
/** The engine's BN epsilon (native/nn/conv_bn.cc), as float32 like the engine's. */
const BN_EPS = Math.fround(1e-5);

export interface OnnxExportOptions {
  /** fold every BN into the conv before it (default true); false keeps BatchNormalization nodes */
  foldBatchNorm?: boolean;
  /** a fixed batch size; default: a dynamic first dimension named `batch` */
  batch?: number;
}

type ConvKind = 'dense' | 'depthwise' | 'pointwise';

/** One conv → BN → activation unit of the engine, named as the engine names its parameters. */
export interface ConvUnit {
  name: string;
  kind: ConvKind;
  cin: number;
  cout: number;
  kernel: number;
  stride: number;
  act: Activation | 'none';
}

/** One layer of the exported network: its units in order, and whether its input is added to its output. */
interface ExportLayer {
  name: string;
  units: ConvUnit[];
  residual: boolean;
}

/**
 * The ONNX model (serialised ModelProto) of an architecture of `space` with
 * the state of its stand-alone network (`trainArchitecture`'s net, or a
 * checkpoint's state). Input `input` [N, C, H, W] float32, output `logits`
 * [N, classes]. Throws PrunasRangeError when the state does not belong to the
 * architecture's network, naming the first parameter that differs.
 */
export function exportOnnx(space: SearchSpace, architecture: Architecture, state: SupernetState, options: OnnxExportOptions = {}): Uint8Array {
  const fold = options.foldBatchNorm ?? true;
  if (typeof fold !== 'boolean') throw new PrunasTypeError(`exportOnnx: foldBatchNorm must be a boolean, got ${describeValue(fold)}`);
  if (options.batch !== undefined && (!Number.isInteger(options.batch) || options.batch < 1))
    throw new PrunasRangeError(`exportOnnx: batch must be a positive integer, got ${describeValue(options.batch)}`);
  const fixed = fixedSpace(space, architecture);
  const { stem, layers, head } = networkUnits(fixed);
  const units = [stem, ...layers.flatMap((l) => l.units), ...(head ? [head] : [])];
  const tensors = stateTensors(fixed, state, units);

  const g = new GraphBuilder();
  let x = 'input';
  x = g.convUnit(x, stem, tensors, fold);
  for (const layer of layers) {
    let h = x;
    for (const unit of layer.units) h = g.convUnit(h, unit, tensors, fold);
    x = layer.residual ? g.node('Add', [h, x], `${layer.name}.add`) : h;
  }
  if (head) x = g.convUnit(x, head, tensors, fold);
  x = g.node('GlobalAveragePool', [x], 'pool');
  x = g.node('Flatten', [x], 'flatten', [intAttr('axis', 1)]);
  const features = units[units.length - 1].cout;
  const w = g.initializer('classifier.weight', [fixed.classes, features], tensors.parameter('classifier.weight'));
  const b = g.initializer('classifier.bias', [fixed.classes], tensors.parameter('classifier.bias'));
  g.node('Gemm', [x, w, b], 'classifier', [intAttr('transB', 1)], 'logits');

  const batch = options.batch === undefined ? { dimParam: 'batch' } : { dimValue: options.batch };
  const { channels, height, width } = fixed.input;
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    producerName: 'prunas',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    metadataProps: [
      { key: 'prunas.space', value: space.name },
      { key: 'prunas.architecture', value: JSON.stringify(architecture) },
      { key: 'prunas.input', value: 'NCHW float32, normalised as the training data was' },
    ],
    graph: {
      name: fixed.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [tensorInfo('input', [batch, { dimValue: channels }, { dimValue: height }, { dimValue: width }])],
      output: [tensorInfo('logits', [batch, { dimValue: fixed.classes }])],
    },
  });
}

/**
 * The engine's units of a fixed network (a space whose layers each hold one
 * op), in the engine's construction order: the order of its parameters and
 * of its BN units (native/nn/supernet.cc, mbconv.cc).
 */
export function networkUnits(fixed: SearchSpace): { stem: ConvUnit; layers: ExportLayer[]; head?: ConvUnit } {
  const stem: ConvUnit = { name: 'stem', kind: 'dense', cin: fixed.input.channels, cout: fixed.stem.out, kernel: fixed.stem.kernel, stride: fixed.stem.stride, act: fixed.stem.act };
  const infos = layersOf(fixed);
  const layers = infos.map((info, l): ExportLayer => {
    if (info.candidates.length !== 1) throw new PrunasRangeError(`exportOnnx: layer ${info.name} has ${info.candidates.length} candidates; export takes a fixed network`);
    const op = info.candidates[0];
    if (op.kind !== 'mbconv')
      throw new PrunasRangeError(`exportOnnx: layer ${info.name} is a ${op.kind} op, which the engine cannot build, so no trained weights exist for it`);
    const name = `layers.${l}.op0`;
    const cin = info.input.channels;
    const hidden = cin * op.expand;
    const units: ConvUnit[] = [];
    if (op.expand !== 1) units.push({ name: `${name}.expand`, kind: 'pointwise', cin, cout: hidden, kernel: 1, stride: 1, act: op.act });
    units.push({ name: `${name}.depthwise`, kind: 'depthwise', cin: hidden, cout: hidden, kernel: op.kernel, stride: op.stride, act: op.act });
    units.push({ name: `${name}.project`, kind: 'pointwise', cin: hidden, cout: op.out, kernel: 1, stride: 1, act: 'none' });
    return { name: `layers.${l}`, units, residual: info.residual };
  });
  const last = infos.length ? infos[infos.length - 1].output.channels : fixed.stem.out;
  const head: ConvUnit | undefined = fixed.head ? { name: 'head', kind: 'pointwise', cin: last, cout: fixed.head.out, kernel: 1, stride: 1, act: fixed.head.act } : undefined;
  return { stem, layers, ...(head ? { head } : {}) };
}

// ---- the state's tensors, checked against the network ----

interface BnStats {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

interface StateTensors {
  parameter(name: string): Float32Array;
  bn(unit: ConvUnit): BnStats;
}

function weightSize(u: ConvUnit): number {
  if (u.kind === 'depthwise') return u.kernel * u.kernel * u.cout;
  return u.cout * u.kernel * u.kernel * u.cin;
}

function stateTensors(fixed: SearchSpace, state: SupernetState, units: ConvUnit[]): StateTensors {
  if (typeof state !== 'object' || state === null || !Array.isArray(state.parameters) || !Array.isArray(state.batchnorm))
    throw new PrunasTypeError(`exportOnnx: state must be a supernet state { parameters, batchnorm }, got ${describeValue(state)}`);
  if ((state.removed?.candidates.length ?? 0) + (state.removed?.layers.length ?? 0) > 0)
    throw new PrunasRangeError('exportOnnx: the state has removed candidates or layers: it is a supernet\'s state, not a trained architecture\'s');
  const features = units.at(-1)!.cout;
  const expected: [string, number][] = [
    ...units.flatMap((u): [string, number][] => [
      [`${u.name}.weight`, weightSize(u)],
      [`${u.name}.bn.weight`, u.cout],
      [`${u.name}.bn.bias`, u.cout],
    ]),
    ['classifier.weight', fixed.classes * features],
    ['classifier.bias', fixed.classes],
  ];
  if (state.parameters.length !== expected.length)
    throw new PrunasRangeError(`exportOnnx: the state holds ${state.parameters.length} parameters, the network of this architecture ${expected.length}`);
  const values = new Map<string, Float32Array>();
  expected.forEach(([name, size], i) => {
    const p = state.parameters[i];
    if (p.name !== name) throw new PrunasRangeError(`exportOnnx: parameter ${i} is ${describeValue(p.name)} in the state, ${name} in the network of this architecture`);
    if (!(p.value instanceof Float32Array) || p.value.length !== size)
      throw new PrunasRangeError(`exportOnnx: parameter ${name} must hold ${size} floats, got ${describeValue(p.value)} of length ${describeValue(p.value?.length)}`);
    values.set(name, p.value);
  });
  if (state.batchnorm.length !== units.length)
    throw new PrunasRangeError(`exportOnnx: the state holds ${state.batchnorm.length} BN units, the network of this architecture ${units.length}`);
  const stats = new Map<string, { mean: Float32Array; variance: Float32Array }>();
  units.forEach((u, i) => {
    const bn = state.batchnorm[i];
    if (bn.name !== undefined && bn.name !== u.name) throw new PrunasRangeError(`exportOnnx: BN unit ${i} is ${describeValue(bn.name)} in the state, ${u.name} in the network`);
    if (bn.mean?.length !== u.cout || bn.var?.length !== u.cout)
      throw new PrunasRangeError(`exportOnnx: BN unit ${i} (${u.name}) must hold ${u.cout} running means and variances, got ${describeValue(bn.mean?.length)} and ${describeValue(bn.var?.length)}`);
    stats.set(u.name, { mean: bn.mean, variance: bn.var });
  });
  return {
    parameter: (name) => values.get(name)!,
    bn: (u) => ({ gamma: values.get(`${u.name}.bn.weight`)!, beta: values.get(`${u.name}.bn.bias`)!, ...stats.get(u.name)! }),
  };
}

// ---- graph ----

class GraphBuilder {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private readonly constants = new Map<number, string>();

  node(opType: string, input: string[], name: string, attribute: AttributeMessage[] = [], output = name): string {
    this.nodes.push({ name, opType, input, output: [output], attribute });
    return output;
  }

  initializer(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.byteLength);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: bytes });
    return name;
  }

  /** A float scalar shared by every node that reads it (Clip's bounds). */
  scalar(value: number): string {
    let name = this.constants.get(value);
    if (!name) {
      name = this.initializer(`const.${value}`, [], Float32Array.of(value));
      this.constants.set(value, name);
    }
    return name;
  }

  /** conv → BN (folded or not) → activation, reading the unit's tensors from the state. */
  convUnit(x: string, u: ConvUnit, tensors: StateTensors, fold: boolean): string {
    const weight = oihw(u, tensors.parameter(`${u.name}.weight`));
    const dims = [u.cout, u.kind === 'depthwise' ? 1 : u.cin, u.kernel, u.kernel];
    const bn = tensors.bn(u);
    const pad = u.kernel >> 1;
    const attrs = [
      intsAttr('kernel_shape', [u.kernel, u.kernel]),
      intsAttr('strides', [u.stride, u.stride]),
      intsAttr('pads', [pad, pad, pad, pad]),
      intAttr('group', u.kind === 'depthwise' ? u.cout : 1),
    ];
    let y: string;
    if (fold) {
      const { weight: w, bias } = foldBn(weight, bn, u.cout);
      y = this.node('Conv', [x, this.initializer(`${u.name}.weight`, dims, w), this.initializer(`${u.name}.bias`, [u.cout], bias)], `${u.name}.conv`, attrs);
    } else {
      y = this.node('Conv', [x, this.initializer(`${u.name}.weight`, dims, weight)], `${u.name}.conv`, attrs);
      const c = [u.cout];
      const inputs = [
        this.initializer(`${u.name}.bn.weight`, c, bn.gamma),
        this.initializer(`${u.name}.bn.bias`, c, bn.beta),
        this.initializer(`${u.name}.bn.running_mean`, c, bn.mean),
        this.initializer(`${u.name}.bn.running_var`, c, bn.variance),
      ];
      y = this.node('BatchNormalization', [y, ...inputs], `${u.name}.bn`, [floatAttr('epsilon', BN_EPS)]);
    }
    switch (u.act) {
      case 'none':
        return y;
      case 'relu':
        return this.node('Relu', [y], `${u.name}.act`);
      case 'relu6':
        return this.node('Clip', [y, this.scalar(0), this.scalar(6)], `${u.name}.act`);
      case 'hswish': {
        const gate = this.node('HardSigmoid', [y], `${u.name}.act.gate`, [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)]);
        return this.node('Mul', [y, gate], `${u.name}.act`);
      }
    }
  }
}

/** The engine's weight layout → OIHW ([Cout][Cin/groups][KH][KW]). */
function oihw(u: ConvUnit, w: Float32Array): Float32Array {
  const taps = u.kernel * u.kernel;
  const y = new Float32Array(w.length);
  if (u.kind === 'depthwise') {
    // [KH][KW][C] → [C][1][KH][KW]
    for (let p = 0; p < taps; p++) for (let c = 0; c < u.cout; c++) y[c * taps + p] = w[p * u.cout + c];
  } else {
    // OHWI [Cout][KH][KW][Cin] → OIHW (pointwise [Cout][Cin] is both)
    for (let o = 0; o < u.cout; o++) for (let p = 0; p < taps; p++) for (let i = 0; i < u.cin; i++) y[(o * u.cin + i) * taps + p] = w[(o * taps + p) * u.cin + i];
  }
  return y;
}

/** conv(x, W) then eval BN = conv(x, W·s) + (β − μ·s), s = γ/√(σ² + ε) per output channel. */
function foldBn(weight: Float32Array, bn: BnStats, cout: number): { weight: Float32Array; bias: Float32Array } {
  const per = weight.length / cout;
  const w = new Float32Array(weight.length);
  const bias = new Float32Array(cout);
  for (let c = 0; c < cout; c++) {
    const scale = bn.gamma[c] / Math.sqrt(bn.variance[c] + BN_EPS);
    for (let i = c * per; i < (c + 1) * per; i++) w[i] = weight[i] * scale;
    bias[c] = bn.beta[c] - bn.mean[c] * scale;
  }
  return { weight: w, bias };
}

function intAttr(name: string, i: number): AttributeMessage {
  return { name, type: AttributeType.INT, i };
}

function intsAttr(name: string, ints: number[]): AttributeMessage {
  return { name, type: AttributeType.INTS, ints };
}

function floatAttr(name: string, f: number): AttributeMessage {
  return { name, type: AttributeType.FLOAT, f };
}

function tensorInfo(name: string, dim: ({ dimValue: number } | { dimParam: string })[]) {
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}
