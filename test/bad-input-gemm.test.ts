// Bad input to sgemm, linear, pointwise and the FMA peak: a TypeError or
// RangeError naming the kernel, the argument and the value, from the TS layer
// and from the native binding called directly (sync and async).
import { describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';

const f = (n: number) => new Float32Array(n);
const nativeCall = (name: string) => native[name] as (args: unknown) => unknown;
const nativeAsync = (name: string) => native[`${name}Async`] as (args: unknown) => Promise<unknown>;

describe('bad input: sgemm', () => {
  const ok = { m: 2, n: 3, k: 4, a: f(8), b: f(12), c: f(6) };

  it('TS layer', () => {
    expect(() => kernels.sgemm(undefined as never)).toThrow(/sgemm: expected an options object, got undefined/);
    expect(() => kernels.sgemm({ ...ok, m: -1 })).toThrow(/sgemm: m must be an integer in \[1, .*\], got -1/);
    expect(() => kernels.sgemm({ ...ok, n: 0 })).toThrow(RangeError);
    expect(() => kernels.sgemm({ ...ok, k: 2.5 })).toThrow(/k must be an integer .* got 2.5/);
    expect(() => kernels.sgemm({ ...ok, m: Number.NaN })).toThrow(/m must be an integer .* got NaN/);
    expect(() => kernels.sgemm({ ...ok, m: '2' as unknown as number })).toThrow(TypeError);
    expect(() => kernels.sgemm({ ...ok, a: [1, 2] as unknown as Float32Array })).toThrow(/sgemm: a must be a Float32Array, got an Array/);
    expect(() => kernels.sgemm({ ...ok, b: new Float64Array(12) as unknown as Float32Array })).toThrow(/b must be a Float32Array, got a Float64Array/);
    expect(() => kernels.sgemm({ ...ok, a: f(7) })).toThrow(/a must have 8 elements, got 7/);
    expect(() => kernels.sgemm({ ...ok, transA: true, a: f(8), lda: 1 })).toThrow(/lda must be an integer in \[2,/);
    expect(() => kernels.sgemm({ ...ok, ldb: 2 })).toThrow(/ldb must be an integer in \[3,/);
    expect(() => kernels.sgemm({ ...ok, ldc: 4 })).toThrow(/c must have 7 elements, got 6/);
    expect(() => kernels.sgemm({ ...ok, transB: 1 as unknown as boolean })).toThrow(/transB must be a boolean, got 1/);
    expect(() => kernels.sgemm({ ...ok, alpha: Number.NaN })).toThrow(/alpha must be a finite number .* got NaN/);
    expect(() => kernels.sgemm({ ...ok, beta: Number.POSITIVE_INFINITY })).toThrow(/beta must be a finite number .* got Infinity/);
    const shared = f(20);
    expect(() => kernels.sgemm({ ...ok, a: shared.subarray(0, 8), c: shared.subarray(5, 11) })).toThrow(/sgemm: c must not share memory with a/);
    expect(() => kernels.sgemm({ ...ok, b: shared.subarray(0, 12), c: shared.subarray(12, 18) })).not.toThrow();
  });

  it('native layer', async () => {
    const call = nativeCall('sgemm');
    expect(() => call(undefined)).toThrow(/sgemm: expected an options object, got undefined/);
    expect(() => call({ ...ok, m: -2 })).toThrow(/sgemm: m must be in \[1, .*\], got -2/);
    expect(() => call({ ...ok, k: Number.NaN })).toThrow(/k must be an integer, got NaN/);
    expect(() => call({ ...ok, n: 'three' })).toThrow(/n must be an integer, got a string/);
    expect(() => call({ ...ok, a: new Float64Array(8) })).toThrow(/sgemm: a must be a Float32Array, got a Float64Array/);
    expect(() => call({ ...ok, c: [0, 0, 0, 0, 0, 0] })).toThrow(/c must be a Float32Array, got an Array/);
    expect(() => call({ ...ok, b: f(11) })).toThrow(/sgemm: b must have 12 elements, got 11/);
    expect(() => call({ ...ok, lda: 3 })).toThrow(/lda must be in \[4,/);
    expect(() => call({ ...ok, ldc: 1 })).toThrow(/ldc must be in \[3,/);
    expect(() => call({ ...ok, transA: 'yes' })).toThrow(/transA must be a boolean, got a string/);
    expect(() => call({ ...ok, alpha: Number.NaN })).toThrow(/alpha must be a finite number .* got NaN/);
    expect(() => call({ ...ok, beta: 1e31 })).toThrow(RangeError);
    const shared = f(20);
    expect(() => call({ ...ok, b: shared.subarray(0, 12), c: shared.subarray(10, 16) })).toThrow(/sgemm: c must not share memory with b/);
    // the async binding checks its arguments before queueing the job, so it throws at once
    expect(() => nativeAsync('sgemm')({ ...ok, a: f(9) })).toThrow(/sgemmAsync: a must have 8 elements, got 9/);
    await expect(kernels.sgemmAsync({ ...ok, m: 0 })).rejects.toThrow(/sgemmAsync: m must be an integer/);
  });
});

describe('bad input: linear and pointwise', () => {
  const lin = { rows: 2, in: 3, out: 4 };
  const pw = { n: 1, h: 2, w: 1, cin: 3, cout: 4 };

  it('TS layer', async () => {
    expect(() => kernels.linearForward({ ...lin, rows: -1 }, f(6), f(12))).toThrow(/linearForward: rows must be an integer in \[1, .*\], got -1/);
    expect(() => kernels.linearForward({ ...lin, in: Number.NaN }, f(6), f(12))).toThrow(/in must be an integer .* got NaN/);
    expect(() => kernels.linearForward(lin, f(5), f(12))).toThrow(/linearForward: x must have 6 elements, got 5/);
    expect(() => kernels.linearForward(lin, f(6), f(12), f(3))).toThrow(/bias must have 4 elements, got 3/);
    expect(() => kernels.linearForward(lin, f(6), 'w' as unknown as Float32Array)).toThrow(/w must be a Float32Array, got "w"/);
    expect(() => kernels.linearForward(null as never, f(6), f(12))).toThrow(/linearForward: expected an options object, got null/);
    expect(() => kernels.linearBackward(lin, f(6), f(12), f(7))).toThrow(/linearBackward: dy must have 8 elements, got 7/);
    expect(() => kernels.linearBackward(lin, f(6), f(12), f(8), { bias: 'yes' as unknown as boolean })).toThrow(/bias must be a boolean, got "yes"/);
    expect(() => kernels.pointwiseForward({ ...pw, h: 0 }, f(6), f(12))).toThrow(/pointwiseForward: h must be an integer in \[1,/);
    expect(() => kernels.pointwiseForward({ ...pw, cout: 2.5 }, f(6), f(12))).toThrow(/cout must be an integer .* got 2.5/);
    expect(() => kernels.pointwiseForward(pw, f(6), f(11))).toThrow(/w must have 12 elements, got 11/);
    expect(() => kernels.pointwiseForward({ ...pw, n: 2 ** 20, h: 2 ** 10, w: 2 }, f(6), f(12))).toThrow(/pointwiseForward: n·h·w = 1048576·1024·2 exceeds/);
    expect(() => kernels.pointwiseBackward(pw, new Int32Array(6) as unknown as Float32Array, f(12), f(8))).toThrow(/pointwiseBackward: x must be a Float32Array, got a Int32Array/);
    await expect(kernels.linearForwardAsync(lin, f(6), f(13))).rejects.toThrow(/linearForwardAsync: w must have 12 elements, got 13/);
    await expect(kernels.pointwiseBackwardAsync(pw, f(6), f(12), f(9))).rejects.toThrow(/pointwiseBackwardAsync: dy must have 8 elements, got 9/);
  });

  it('native layer', () => {
    const fwd = { ...lin, x: f(6), weight: f(12), y: f(8) };
    expect(() => nativeCall('linearForward')({ ...fwd, out: 0 })).toThrow(/linearForward: out must be in \[1,/);
    expect(() => nativeCall('linearForward')({ ...fwd, x: f(5) })).toThrow(/x must have 6 elements, got 5/);
    expect(() => nativeCall('linearForward')({ ...fwd, bias: new Float64Array(4) })).toThrow(/bias must be a Float32Array, got a Float64Array/);
    expect(() => nativeCall('linearForward')({ ...fwd, y: undefined })).toThrow(/y must be a Float32Array, got undefined/);
    const bwd = { ...lin, x: f(6), weight: f(12), dy: f(8), dx: f(6), dw: f(12), db: f(4) };
    expect(() => nativeCall('linearBackward')({ ...bwd, db: f(5) })).toThrow(/linearBackward: db must have 4 elements, got 5/);
    expect(() => nativeCall('linearBackward')({ ...bwd, rows: -3 })).toThrow(/rows must be in \[1,/);
    expect(() => nativeCall('linearBackward')({ ...bwd, dx: bwd.x })).toThrow(/linearBackward: dx must not share memory with x/);
    const pool = f(30);
    expect(() => nativeCall('linearBackward')({ ...bwd, dw: pool.subarray(0, 12), db: pool.subarray(8, 12) })).toThrow(/dw must not share memory with db/);

    const pfwd = { ...pw, x: f(6), weight: f(12), y: f(8) };
    expect(() => nativeCall('pointwiseForward')({ ...pfwd, w: Number.NaN })).toThrow(/pointwiseForward: w must be an integer, got NaN/);
    expect(() => nativeCall('pointwiseForward')({ ...pfwd, cin: -1 })).toThrow(/cin must be in \[1,/);
    expect(() => nativeCall('pointwiseForward')({ ...pfwd, n: 2 ** 20, h: 2 ** 20 })).toThrow(/pointwiseForward: n·h·w = 1048576·1048576·1 exceeds/);
    expect(() => nativeCall('pointwiseForward')({ ...pfwd, y: pfwd.x.subarray(0, 0) })).toThrow(/y must have 8 elements, got 0/);
    expect(() => nativeCall('pointwiseForward')({ ...pfwd, y: pool.subarray(0, 8), x: pool.subarray(7, 13) })).toThrow(/y must not share memory with x/);
    const pbwd = { ...pw, x: f(6), weight: f(12), dy: f(8), dx: f(6) };
    expect(() => nativeCall('pointwiseBackward')({ ...pbwd, dy: 'dy' })).toThrow(/pointwiseBackward: dy must be a Float32Array, got a string/);
    expect(() => nativeCall('pointwiseBackward')({ ...pbwd, dw: f(11) })).toThrow(/dw must have 12 elements, got 11/);
    expect(() => nativeAsync('pointwiseBackward')({ ...pbwd, dx: f(7) })).toThrow(/pointwiseBackwardAsync: dx must have 6 elements, got 7/);
    expect(() => nativeAsync('linearForward')({ ...fwd, in: 1.5 })).toThrow(RangeError);
  });
});

describe('bad input: FMA peak', () => {
  it('TS and native layers', () => {
    expect(() => kernels.fmaPeakGflops(Number.NaN)).toThrow(/fmaPeakGflops: seconds must be a finite number .* got NaN/);
    expect(() => kernels.fmaPeakGflops(-1)).toThrow(/seconds must be a finite number in \[0.001, 60\], got -1/);
    expect(() => kernels.fmaPeakGflops('1' as unknown as number)).toThrow(TypeError);
    expect(() => kernels.fmaPeakGflops(0.01, { allThreads: 1 as unknown as boolean })).toThrow(/allThreads must be a boolean, got 1/);
    expect(() => nativeCall('fmaPeakGflops')({ seconds: 1000 })).toThrow(/fmaPeakGflops: seconds must be a finite number in \[0.001, 60\], got 1000/);
    expect(() => nativeCall('fmaPeakGflops')({ seconds: 0.01, allThreads: 'all' })).toThrow(/allThreads must be a boolean, got a string/);
    expect(() => nativeAsync('fmaPeakGflops')({ seconds: Number.NaN })).toThrow(/fmaPeakGflopsAsync: seconds must be a finite number/);
  });
});
