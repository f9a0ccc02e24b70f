// Bad input reaches a JS error that names the argument, from the TS layer and
// from the native layer directly; the process survives.
import { describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';

describe('bad input: activations', () => {
  it('TS layer names the argument', () => {
    expect(() => kernels.activationForward('relu6', [1, 2] as unknown as Float32Array)).toThrow(
      /activationForward: x must be a Float32Array, got an Array/,
    );
    expect(() => kernels.activationForward('gelu' as 'relu', new Float32Array(1))).toThrow(RangeError);
    expect(() => kernels.activationBackward('relu', new Float32Array(3), new Float32Array(2))).toThrow(
      /dy must have 3 elements, got 2/,
    );
  });

  it('native layer checks on its own', async () => {
    const call = native.relu6Forward as (a: unknown) => unknown;
    expect(() => call(undefined)).toThrow(TypeError);
    expect(() => call({ x: new Float64Array(2), y: new Float32Array(2) })).toThrow(
      /relu6Forward: x must be a Float32Array, got a Float64Array/,
    );
    expect(() => call({ x: new Float32Array(4), y: new Float32Array(3) })).toThrow(RangeError);
    const callAsync = native.relu6ForwardAsync as (a: unknown) => Promise<unknown>;
    expect(() => callAsync({ x: 'nope' })).toThrow(/x must be a Float32Array, got a string/);
  });

  it('setThreads rejects NaN and negatives', () => {
    expect(() => native.setThreads(Number.NaN)).toThrow(/got NaN/);
    expect(() => native.setThreads(-1)).toThrow(RangeError);
  });
});

const f = (n: number) => new Float32Array(n);
const nativeCall = (name: string) => native[name] as (a: unknown) => unknown;

describe('bad input: convolutions', () => {
  const shape = { n: 1, h: 5, w: 5, cin: 2, cout: 4, kernel: 3 };
  it('TS layer names the argument and the value', () => {
    expect(() => kernels.conv2dForward({ ...shape, n: -1 }, f(50), f(72))).toThrow(/conv2dForward: n must be an integer in \[1, .*\], got -1/);
    expect(() => kernels.conv2dForward({ ...shape, kernel: 9 }, f(50), f(72))).toThrow(/kernel must be an integer in \[1, 7\], got 9/);
    expect(() => kernels.conv2dForward({ ...shape, stride: 3 }, f(50), f(72))).toThrow(/stride must be an integer in \[1, 2\], got 3/);
    expect(() => kernels.conv2dForward({ ...shape, cin: 4, cout: 6, groups: 4 }, f(100), f(54))).toThrow(/groups = 4 must divide cin = 4 and cout = 6/);
    expect(() => kernels.conv2dForward(shape, f(49), f(72))).toThrow(/x must have 50 elements, got 49/);
    expect(() => kernels.conv2dForward(shape, f(50), new Float64Array(72) as unknown as Float32Array)).toThrow(TypeError);
    expect(() => kernels.conv2dForward({ ...shape, h: Number.NaN }, f(50), f(72))).toThrow(/h must be an integer .* got NaN/);
    expect(() => kernels.depthwiseForward({ n: 1, h: 2, w: 2, c: 3, kernel: 7, pad: 0 }, f(12), f(147))).toThrow(/smaller than the kernel/);
    expect(() => kernels.conv2dBackward(shape, f(50), f(72), f(99))).toThrow(/dy must have 100 elements, got 99/);
  });

  it('native layer checks on its own', () => {
    const args = { n: 1, h: 5, w: 5, cin: 2, cout: 4, kh: 3, kw: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, x: f(50), weight: f(72), y: f(100) };
    expect(() => nativeCall('conv2dForward')({ ...args, padH: 5 })).toThrow(/conv2dForward: padH must be in \[0, 6\]|padH must be in \[0, 2\]/);
    expect(() => nativeCall('conv2dForward')({ ...args, groups: 3 })).toThrow(RangeError);
    expect(() => nativeCall('conv2dForward')({ ...args, y: f(99) })).toThrow(/conv2dForward: y must have 100 elements, got 99/);
    expect(() => nativeCall('conv2dForward')({ ...args, weight: 'w' })).toThrow(/weight must be a Float32Array, got a string/);
    expect(() => nativeCall('depthwiseBackward')({ n: 1, h: 5, w: 5, c: 2, kh: 3, kw: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, x: f(50), weight: f(18), dy: f(49) })).toThrow(/dy must have 50 elements, got 49/);
  });
});

describe('bad input: GEMM, linear, norm, pool, losses, optimizers', () => {
  it('TS layer', () => {
    expect(() => kernels.sgemm({ m: 2, n: 2, k: 2, a: f(4), b: f(4), c: f(3) })).toThrow(/sgemm: c must have 4 elements, got 3/);
    expect(() => kernels.sgemm({ m: 2, n: 2, k: 2, a: f(4), b: f(4), c: f(4), lda: 1 })).toThrow(/lda must be an integer in \[2,/);
    expect(() => kernels.sgemm({ m: 2, n: 2, k: 2, a: f(4), b: f(4), c: f(4), alpha: Number.NaN })).toThrow(/alpha must be a finite number .* got NaN/);
    expect(() => kernels.linearForward({ rows: 2, in: 3, out: 0 }, f(6), f(0))).toThrow(/out must be an integer in \[1,/);
    expect(() => kernels.batchnormForward({ rows: 2, channels: 3 }, f(6), { gamma: f(3), beta: f(3), runningMean: f(2), runningVar: f(3) }, { training: true })).toThrow(/runningMean must have 3 elements, got 2/);
    expect(() => kernels.batchnormForward({ rows: 2, channels: 3 }, f(6), { gamma: f(3), beta: f(3), runningMean: f(3), runningVar: f(3) }, { training: true, momentum: Number.NaN })).toThrow(/momentum must be a finite number .* got NaN/);
    expect(() => kernels.globalAvgPoolForward({ n: 1, h: 2, w: 2, c: 3 }, f(11))).toThrow(/x must have 12 elements, got 11/);
    expect(() => kernels.softmaxCrossEntropy(f(6), new Int32Array([0, 3]), 3)).toThrow(/labels\[1\] = 3 is outside \[0, 3\)/);
    expect(() => kernels.softmaxCrossEntropy(f(6), new Int32Array([0, 1]), 3, 1.5)).toThrow(/smoothing must be a finite number in \[0, 1\], got 1.5/);
    expect(() => kernels.mseLoss(f(3), f(4))).toThrow(/b must have 3 elements, got 4/);
    expect(() => kernels.sgdStep(f(3), f(3), { lr: Number.NaN })).toThrow(/sgdStep: lr must be a finite number .* got NaN/);
    expect(() => kernels.sgdStep(f(3), f(3), { lr: -1 })).toThrow(/lr must be a finite number in \[0, Infinity\], got -1/);
    expect(() => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 0.9 })).toThrow(/buffer must be a Float32Array, got undefined/);
    expect(() => kernels.adamStep(f(3), f(3), { m: f(3), v: f(3), step: 0 }, { lr: 1e-3 })).toThrow(/step must be an integer in \[1,/);
  });

  it('native layer', () => {
    expect(() => nativeCall('sgemm')({ m: 2, n: 2, k: 2, a: f(4), b: f(4), c: f(4), ldc: 1 })).toThrow(/sgemm: ldc must be in \[2,/);
    expect(() => nativeCall('linearBackward')({ rows: 2, in: 3, out: 2, x: f(6), weight: f(6), dy: f(4), dw: f(5) })).toThrow(/dw must have 6 elements, got 5/);
    expect(() => nativeCall('batchnormForwardTrain')({ rows: 2, channels: 3, x: f(6), gamma: f(3), beta: f(3), y: f(6), saveMean: f(3), saveInvStd: f(3), eps: -1 })).toThrow(/eps must be a finite number/);
    expect(() => nativeCall('globalAvgPoolBackward')({ n: -2, hw: 1, c: 1, dy: f(1), dx: f(1) })).toThrow(/n must be in \[1,/);
    expect(() => nativeCall('softmaxCrossEntropy')({ n: 2, k: 3, logits: f(6), labels: new Int32Array([0, -1]) })).toThrow(/labels\[1\] = -1 is outside \[0, 3\)/);
    expect(() => nativeCall('sgdStep')({ param: f(3), grad: f(3), lr: Number.NaN })).toThrow(/lr must be a finite number/);
    expect(() => nativeCall('sgdStep')({ param: f(3), grad: f(3), lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => nativeCall('adamStep')({ param: f(3), grad: f(3), m: f(3), v: f(2), step: 1, lr: 1 })).toThrow(/v must have 3 elements, got 2/);
  });

  it('async kernels reject with the same errors', async () => {
    await expect(kernels.conv2dForwardAsync({ n: 1, h: 5, w: 5, cin: 2, cout: 4, kernel: 3 }, f(50), f(71))).rejects.toThrow(/w must have 72 elements/);
    const softmax = nativeCall('softmaxCrossEntropyAsync') as (a: unknown) => Promise<unknown>;
    await expect(softmax({ n: 2, k: 3, logits: f(6), labels: new Int32Array([0, 7]) })).rejects.toThrow(RangeError);
  });
});
