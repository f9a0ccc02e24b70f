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
