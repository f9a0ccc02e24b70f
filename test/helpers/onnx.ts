// Builds small ONNX graphs in memory (protobufjs messages from onnx-proto)
// and runs them with ONNX Runtime: the outside oracle for our forwards.
// ONNX is NCHW with OIHW weights; the converters below map our NHWC data
// and weight layouts onto it.
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

const { onnx } = onnxProto;

type Attr = number | number[] | { f: number };

export class OnnxGraph {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;

  /** A float32 constant (weights, BN statistics, clip bounds). */
  constant(dims: number[], data: Float32Array, name = `const${this.counter++}`): string {
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  /** Adds a node; returns its output name. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, output = `t${this.counter++}`): string {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
      if (typeof v === 'number') return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
      return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.f };
    });
    this.nodes.push({ opType, input: inputs, output: [output], attribute });
    return output;
  }

  /** Serialises a model with one float input and one float output. */
  build(input: { name: string; dims: number[] }, output: { name: string; dims: number[] }): Uint8Array {
    const valueInfo = (v: { name: string; dims: number[] }) => ({
      name: v.name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: v.dims.map((d) => ({ dimValue: d })) } } },
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'prunas-tests',
      graph: { name: 'g', node: this.nodes, initializer: this.initializers, input: [valueInfo(input)], output: [valueInfo(output)] },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

export async function createSession(model: Uint8Array, threads = 1): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
}

export async function runSession(session: ort.InferenceSession, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
  return result[session.outputNames[0]].data as Float32Array;
}

export async function runOnnx(model: Uint8Array, input: Float32Array, dims: number[], threads = 1): Promise<Float32Array> {
  const session = await createSession(model, threads);
  try {
    return await runSession(session, input, dims);
  } finally {
    await session.release();
  }
}

export function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) y[(i * c + k) * h * w + p] = x[(i * h * w + p) * c + k];
  return y;
}

export function nchwToNhwc(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) y[(i * h * w + p) * c + k] = x[(i * c + k) * h * w + p];
  return y;
}

/** OHWI [cout][kh][kw][cin] → OIHW [cout][cin][kh][kw]. */
export function ohwiToOihw(w: Float32Array, cout: number, kh: number, kw: number, cin: number): Float32Array {
  const y = new Float32Array(w.length);
  for (let o = 0; o < cout; o++) for (let p = 0; p < kh * kw; p++) for (let i = 0; i < cin; i++) y[(o * cin + i) * kh * kw + p] = w[(o * kh * kw + p) * cin + i];
  return y;
}

/** Depthwise [kh][kw][c] → OIHW [c][1][kh][kw]. */
export function depthwiseToOihw(w: Float32Array, kh: number, kw: number, c: number): Float32Array {
  const y = new Float32Array(w.length);
  for (let p = 0; p < kh * kw; p++) for (let k = 0; k < c; k++) y[k * kh * kw + p] = w[p * c + k];
  return y;
}
