// ONNX Runtime as an outside oracle and a CPU peer: small ONNX graphs built
// in memory (protobufjs messages from onnx-proto, opset 17) and run with
// onnxruntime-node.
//
// ONNX is NCHW with OIHW weights; prunas is NHWC with OHWI (dense) and
// [KH][KW][C] (depthwise) weights. The converters at the end map our data and
// weights onto ONNX's layouts, so both engines compute on the same numbers.
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export const OPSET = 17;

/** Attribute values: an int, a list of ints, or a float. */
export type Attr = number | number[] | { f: number };

export interface ValueInfo {
  name: string;
  dims: number[];
}

/** Eval-mode batch normalisation parameters, one value per channel. */
export interface BnParams {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

export interface ConvOptions {
  /** default 1 */
  group?: number;
  /** [sh, sw]; default [1, 1] */
  strides?: [number, number];
  /** [top, left, bottom, right]; default floor(k/2) on every side */
  pads?: [number, number, number, number];
  /** [cout] */
  bias?: Float32Array;
}

export class OnnxGraph {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;

  /** A float32 initializer (weights, BN statistics, clip bounds); returns its name. */
  constant(dims: number[], data: Float32Array, name = `const${this.counter++}`): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new RangeError(`constant ${name}: dims [${dims}] hold ${size} values, got ${data.length}`);
    const rawData = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push({ name, dims, dataType: FLOAT, rawData });
    return name;
  }

  /** Adds one node with one output; returns the output's name. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, output = `t${this.counter++}`): string {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
      if (typeof v === 'number') return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
      return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.f };
    });
    this.nodes.push({ opType, input: inputs, output: [output], attribute, name: `n${this.nodes.length}` });
    return output;
  }

  /** Conv with OIHW weights [cout][cin/group][kh][kw] given as `dims`. */
  conv(x: string, weight: Float32Array, dims: [number, number, number, number], o: ConvOptions = {}): string {
    const [cout, , kh, kw] = dims;
    const inputs = [x, this.constant(dims, weight)];
    if (o.bias) inputs.push(this.constant([cout], o.bias));
    const [ph, pw] = [kh >> 1, kw >> 1];
    return this.node('Conv', inputs, {
      kernel_shape: [kh, kw],
      strides: o.strides ?? [1, 1],
      pads: o.pads ?? [ph, pw, ph, pw],
      group: o.group ?? 1,
    });
  }

  /** BatchNormalization in inference mode (running statistics). */
  batchNorm(x: string, bn: BnParams, epsilon = 1e-5): string {
    const c = [bn.gamma.length];
    const inputs = [bn.gamma, bn.beta, bn.runningMean, bn.runningVar].map((p) => this.constant(c, p));
    return this.node('BatchNormalization', [x, ...inputs], { epsilon: { f: epsilon } });
  }

  relu(x: string): string {
    return this.node('Relu', [x]);
  }

  /** ReLU6 as Clip(x, 0, 6) (bounds as inputs, opset ≥ 11). */
  relu6(x: string): string {
    return this.node('Clip', [x, this.constant([], new Float32Array([0])), this.constant([], new Float32Array([6]))]);
  }

  /** x · relu6(x + 3) / 6 (opset ≥ 14). */
  hardSwish(x: string): string {
    return this.node('HardSwish', [x]);
  }

  add(a: string, b: string): string {
    return this.node('Add', [a, b]);
  }

  /** [n, c, h, w] → [n, c, 1, 1]. */
  globalAveragePool(x: string): string {
    return this.node('GlobalAveragePool', [x]);
  }

  /** [n, c, 1, 1] → [n, c]. */
  flatten(x: string): string {
    return this.node('Flatten', [x], { axis: 1 });
  }

  /** x [rows, in] · Wᵀ + b with W [out][in], as our linear layer stores it. */
  gemm(x: string, weight: Float32Array, dims: [number, number], bias?: Float32Array): string {
    const inputs = [x, this.constant(dims, weight)];
    if (bias) inputs.push(this.constant([dims[0]], bias));
    return this.node('Gemm', inputs, { transB: 1 });
  }

  /** x [rows, in] · W with W given as [in][out]. */
  matMul(x: string, weight: Float32Array, dims: [number, number]): string {
    return this.node('MatMul', [x, this.constant(dims, weight)]);
  }

  /** Serialises a model with one float input and one float output. */
  build(input: ValueInfo, output: ValueInfo): Uint8Array {
    const valueInfo = (v: ValueInfo) => ({
      name: v.name,
      type: { tensorType: { elemType: FLOAT, shape: { dim: v.dims.map((d) => ({ dimValue: d })) } } },
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'prunas-tests',
      graph: { name: 'g', node: this.nodes, initializer: this.initializers, input: [valueInfo(input)], output: [valueInfo(output)] },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

export interface SessionOptions {
  /** intra-op threads; default 1 */
  threads?: number;
  /** default 'all' */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

export async function createSession(model: Uint8Array, o: SessionOptions | number = {}): Promise<ort.InferenceSession> {
  const opts = typeof o === 'number' ? { threads: o } : o;
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: opts.threads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: opts.optimization ?? 'all',
    executionMode: 'sequential',
  });
}

/** Runs a one-input session; returns its first output. */
export async function runSession(session: ort.InferenceSession, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
  return result[session.outputNames[0]].data as Float32Array;
}

/** Creates a session, runs it once, releases it. */
export async function runOnnx(model: Uint8Array, input: Float32Array, dims: number[], o: SessionOptions | number = {}): Promise<Float32Array> {
  const session = await createSession(model, o);
  try {
    return await runSession(session, input, dims);
  } finally {
    await session.release();
  }
}

export interface OracleError {
  /** max |ours − ort| / max |ort|: the tolerance the oracle tests assert */
  relative: number;
  /** max over elements of |ours − ort| / max(|ort_i|, 1e-3 · max |ort|): reported, not asserted */
  elementwise: number;
  /** max |ours − ort| */
  absolute: number;
  /** max |ort| */
  scale: number;
}

export function oracleError(ours: ArrayLike<number>, ort: ArrayLike<number>): OracleError {
  if (ours.length !== ort.length) throw new RangeError(`oracleError: ${ours.length} values vs ${ort.length}`);
  let scale = 0;
  for (let i = 0; i < ort.length; i++) scale = Math.max(scale, Math.abs(ort[i]));
  const floor = 1e-3 * scale || 1e-30;
  let absolute = 0;
  let elementwise = 0;
  let nan = false;
  for (let i = 0; i < ort.length; i++) {
    const d = Math.abs(ours[i] - ort[i]);
    if (Number.isNaN(d)) nan = true;
    absolute = Math.max(absolute, d);
    elementwise = Math.max(elementwise, d / Math.max(Math.abs(ort[i]), floor));
  }
  if (nan) return { relative: NaN, elementwise: NaN, absolute: NaN, scale };
  return { relative: absolute / (scale || 1), elementwise, absolute, scale };
}

// Layout converters. n, h, w, c name the NHWC extents in every signature.

export function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const y = new Float32Array(x.length);
  const hw = h * w;
  for (let i = 0; i < n; i++) for (let p = 0; p < hw; p++) for (let k = 0; k < c; k++) y[(i * c + k) * hw + p] = x[(i * hw + p) * c + k];
  return y;
}

export function nchwToNhwc(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const y = new Float32Array(x.length);
  const hw = h * w;
  for (let i = 0; i < n; i++) for (let p = 0; p < hw; p++) for (let k = 0; k < c; k++) y[(i * hw + p) * c + k] = x[(i * c + k) * hw + p];
  return y;
}

/** OHWI [cout][kh][kw][cin] → OIHW [cout][cin][kh][kw] (cin per group for grouped convs). */
export function ohwiToOihw(w: Float32Array, cout: number, kh: number, kw: number, cin: number): Float32Array {
  const y = new Float32Array(w.length);
  const k = kh * kw;
  for (let o = 0; o < cout; o++) for (let p = 0; p < k; p++) for (let i = 0; i < cin; i++) y[(o * cin + i) * k + p] = w[(o * k + p) * cin + i];
  return y;
}

/** Depthwise [kh][kw][c] → OIHW [c][1][kh][kw] (a Conv with group = c). */
export function depthwiseToOihw(w: Float32Array, kh: number, kw: number, c: number): Float32Array {
  const y = new Float32Array(w.length);
  const k = kh * kw;
  for (let p = 0; p < k; p++) for (let ch = 0; ch < c; ch++) y[ch * k + p] = w[p * c + ch];
  return y;
}

/** Linear [out][in] → [in][out] (a MatMul's right operand). */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = w[r * cols + c];
  return y;
}
