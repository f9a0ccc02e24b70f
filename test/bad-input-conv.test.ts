// Bad input to the convolution kernels gives a TypeError/RangeError naming the
// kernel, the argument and the bad value: from the TS wrappers, and from the
// native bindings called directly; async variants reject with the same errors.
import { describe, expect, it } from 'vitest';
import * as kernels from '../src/kernels/index.js';
import { native } from '../src/native.js';

const f = (n: number) => new Float32Array(n);
const nativeCall = (name: string) => native[name] as (a: unknown) => unknown;
const nativeAsync = (name: string) => native[`${name}Async`] as (a: unknown) => Promise<unknown>;

// 1×5×5×2 input, 3×3 kernel, pad 1: y is 1×5×5×4 = 100 floats, weights 4·9·2 = 72.
const shape: kernels.Conv2dShape = { n: 1, h: 5, w: 5, cin: 2, cout: 4, kernel: 3 };
const dshape: kernels.DepthwiseShape = { n: 1, h: 5, w: 5, c: 2, kernel: 3 };

describe('bad input: conv2d and depthwise, TS wrappers', () => {
  const badShapes: [string, Partial<kernels.Conv2dShape> | Record<string, unknown>, RegExp][] = [
    ['negative n', { n: -1 }, /conv2dForward: n must be an integer in \[1, 16777216\], got -1/],
    ['zero h', { h: 0 }, /conv2dForward: h must be an integer in \[1, 65536\], got 0/],
    ['fractional w', { w: 2.5 }, /conv2dForward: w must be an integer .* got 2.5/],
    ['NaN h', { h: Number.NaN }, /conv2dForward: h must be an integer .* got NaN/],
    ['Infinity cin', { cin: Number.POSITIVE_INFINITY }, /conv2dForward: cin must be an integer .* got Infinity/],
    ['zero cout', { cout: 0 }, /conv2dForward: cout must be an integer in \[1, 65536\], got 0/],
    ['kernel 8', { kernel: 8 }, /conv2dForward: kernel must be an integer in \[1, 7\], got 8/],
    ['kernel 0 in a pair', { kernel: [3, 0] }, /conv2dForward: kernel\[1\] must be an integer in \[1, 7\], got 0/],
    ['stride 3', { stride: 3 }, /conv2dForward: stride must be an integer in \[1, 2\], got 3/],
    ['stride 0 in a pair', { stride: [0, 1] }, /conv2dForward: stride\[0\] must be an integer in \[1, 2\], got 0/],
    ['negative pad', { pad: -1 }, /conv2dForward: pad must be an integer in \[0, 6\], got -1/],
    ['pad ≥ kernel', { pad: 3 }, /conv2dForward: pad must be below the kernel size, got pad 3×3 for kernel 3×3/],
    ['NaN pad', { pad: [1, Number.NaN] }, /conv2dForward: pad\[1\] must be an integer .* got NaN/],
    ['groups not dividing', { cin: 4, cout: 6, groups: 4 }, /conv2dForward: groups = 4 must divide cin = 4 and cout = 6/],
    ['groups above cin', { groups: 3 }, /conv2dForward: groups must be an integer in \[1, 2\], got 3/],
    ['kernel larger than the padded input', { h: 2, w: 2, kernel: 7, pad: 0 }, /conv2dForward: input 2×2 is smaller than the kernel 7×7 after padding/],
  ];
  for (const [what, patch, message] of badShapes)
    it(`shape: ${what}`, () => {
      expect(() => kernels.conv2dForward({ ...shape, ...patch } as kernels.Conv2dShape, f(50), f(72))).toThrow(message);
    });

  it('shape of the wrong type', () => {
    expect(() => kernels.conv2dForward(null as unknown as kernels.Conv2dShape, f(50), f(72))).toThrow(/conv2dForward: expected an options object, got null/);
    expect(() => kernels.conv2dForward({ ...shape, n: '1' } as unknown as kernels.Conv2dShape, f(50), f(72))).toThrow(TypeError);
    expect(() => kernels.conv2dForward({ ...shape, kernel: [3] } as unknown as kernels.Conv2dShape, f(50), f(72))).toThrow(/kernel must be an integer, got an Array/);
    expect(() => kernels.depthwiseForward({ ...dshape, c: undefined } as unknown as kernels.DepthwiseShape, f(50), f(18))).toThrow(/depthwiseForward: c must be an integer, got undefined/);
  });

  it('arrays of the wrong type or length', () => {
    expect(() => kernels.conv2dForward(shape, f(49), f(72))).toThrow(/conv2dForward: x must have 50 elements, got 49/);
    expect(() => kernels.conv2dForward(shape, f(50), f(71))).toThrow(/conv2dForward: w must have 72 elements, got 71/);
    expect(() => kernels.conv2dForward(shape, f(50), f(72), f(3))).toThrow(/conv2dForward: bias must have 4 elements, got 3/);
    expect(() => kernels.conv2dForward(shape, new Float64Array(50) as unknown as Float32Array, f(72))).toThrow(/conv2dForward: x must be a Float32Array, got a Float64Array/);
    expect(() => kernels.conv2dForward(shape, f(50), Array.from(f(72)) as unknown as Float32Array)).toThrow(/conv2dForward: w must be a Float32Array, got an Array/);
    expect(() => kernels.conv2dBackward(shape, f(50), f(72), f(99))).toThrow(/conv2dBackward: dy must have 100 elements, got 99/);
    expect(() => kernels.conv2dBackward(shape, f(50), f(72), f(100), { bias: 1 } as unknown as { bias: boolean })).toThrow(/conv2dBackward: bias must be a boolean, got 1/);
    expect(() => kernels.conv2dBackward(shape, f(50), f(72), f(100), 'bias' as unknown as { bias: boolean })).toThrow(/conv2dBackward: expected an options object, got "bias"/);
    expect(() => kernels.depthwiseForward(dshape, f(50), f(17))).toThrow(/depthwiseForward: w must have 18 elements, got 17/);
    expect(() => kernels.depthwiseForward(dshape, f(50), f(18), new Int32Array(2) as unknown as Float32Array)).toThrow(/depthwiseForward: bias must be a Float32Array, got a Int32Array/);
    expect(() => kernels.depthwiseBackward(dshape, f(50), f(18), f(51))).toThrow(/depthwiseBackward: dy must have 50 elements, got 51/);
    expect(() => kernels.depthwiseBackward({ ...dshape, stride: 2 }, f(50), f(18), f(50))).toThrow(/depthwiseBackward: dy must have 18 elements, got 50/);
    expect(() => kernels.conv2dOutputSize({ n: 1, h: 3, w: 3, kernel: 5, pad: 0 })).toThrow(/conv2dOutputSize: input 3×3 is smaller than the kernel 5×5/);
  });

  it('errors are RangeError or TypeError as the value is out of range or of the wrong kind', () => {
    expect(() => kernels.conv2dForward({ ...shape, kernel: 9 }, f(50), f(72))).toThrow(RangeError);
    expect(() => kernels.conv2dForward(shape, f(49), f(72))).toThrow(RangeError);
    expect(() => kernels.conv2dForward(shape, 'x' as unknown as Float32Array, f(72))).toThrow(TypeError);
    expect(() => kernels.depthwiseForward({ ...dshape, kernel: 'three' } as unknown as kernels.DepthwiseShape, f(50), f(18))).toThrow(TypeError);
  });

  it('async wrappers reject instead of throwing', async () => {
    const pending = kernels.conv2dForwardAsync(shape, f(50), f(71));
    await expect(pending).rejects.toThrow(/conv2dForwardAsync: w must have 72 elements, got 71/);
    await expect(kernels.conv2dBackwardAsync({ ...shape, stride: 0 }, f(50), f(72), f(100))).rejects.toThrow(RangeError);
    await expect(kernels.depthwiseForwardAsync(dshape, f(50), f(18), f(1))).rejects.toThrow(/depthwiseForwardAsync: bias must have 2 elements, got 1/);
    await expect(kernels.depthwiseBackwardAsync({ ...dshape, pad: 5 }, f(50), f(18), f(50))).rejects.toThrow(/pad must be below the kernel size/);
  });
});

describe('bad input: conv2d and depthwise, native bindings called directly', () => {
  const conv = { n: 1, h: 5, w: 5, cin: 2, cout: 4, kh: 3, kw: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, x: f(50), weight: f(72) };
  const dw = { n: 1, h: 5, w: 5, c: 2, kh: 3, kw: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, x: f(50), weight: f(18) };

  it('the well-formed calls work (so the failures below are the bad field)', () => {
    expect(nativeCall('conv2dForward')({ ...conv, y: f(100) })).toBeUndefined();
    expect(nativeCall('conv2dBackward')({ ...conv, dy: f(100), dx: f(50), dw: f(72), db: f(4) })).toBeUndefined();
    expect(nativeCall('depthwiseForward')({ ...dw, y: f(50) })).toBeUndefined();
    expect(nativeCall('depthwiseBackward')({ ...dw, dy: f(50), dx: f(50), dw: f(18), db: f(2) })).toBeUndefined();
  });

  // [what, kernel, arguments, the message after "<kernel>: " as a regular expression]
  const cases: [string, string, unknown, string][] = [
    ['no options object', 'conv2dForward', undefined, 'expected an options object, got (nothing|undefined)'],
    ['missing n', 'conv2dForward', { ...conv, n: undefined, y: f(100) }, 'n must be an integer, got undefined'],
    ['negative h', 'conv2dForward', { ...conv, h: -5, y: f(100) }, 'h must be in \\[1, 16777216\\], got -5'],
    ['NaN w', 'conv2dForward', { ...conv, w: Number.NaN, y: f(100) }, 'w must be an integer, got NaN'],
    ['string cin', 'conv2dForward', { ...conv, cin: '2', y: f(100) }, 'cin must be an integer, got a string'],
    ['kernel 8', 'conv2dForward', { ...conv, kh: 8, y: f(100) }, 'kh must be in \\[1, 7\\], got 8'],
    ['stride 3', 'conv2dForward', { ...conv, strideW: 3, y: f(100) }, 'strideW must be in \\[1, 2\\], got 3'],
    ['pad ≥ kernel', 'conv2dForward', { ...conv, padH: 5, y: f(100) }, 'padH must be in \\[0, 2\\], got 5'],
    ['fractional pad', 'conv2dForward', { ...conv, padW: 0.5, y: f(100) }, 'padW must be an integer, got 0.5'],
    ['groups not dividing', 'conv2dForward', { ...conv, cout: 3, groups: 2, weight: f(27), y: f(75) }, 'groups = 2 must divide cin = 2 and cout = 3'],
    ['kernel larger than the padded input', 'conv2dForward', { ...conv, kh: 7, kw: 7, padH: 0, padW: 0, weight: f(392), y: f(4) }, 'input 5×5 is smaller than the kernel 7×7 after padding'],
    ['sizes whose product overflows', 'conv2dForward', { ...conv, n: 2 ** 24, h: 2 ** 16, w: 2 ** 16, cin: 2 ** 16, x: f(0), y: f(0) }, 'x would have more than 2\\^40 elements'],
    ['short y', 'conv2dForward', { ...conv, y: f(99) }, 'y must have 100 elements, got 99'],
    ['weight as a string', 'conv2dForward', { ...conv, weight: 'w', y: f(100) }, 'weight must be a Float32Array, got a string'],
    ['x as a Float64Array', 'conv2dForward', { ...conv, x: new Float64Array(50), y: f(100) }, 'x must be a Float32Array, got a Float64Array'],
    ['bias of the wrong length', 'conv2dForward', { ...conv, bias: f(5), y: f(100) }, 'bias must have 4 elements, got 5'],
    ['short dy', 'conv2dBackward', { ...conv, dy: f(99), dx: f(50) }, 'dy must have 100 elements, got 99'],
    ['long dx', 'conv2dBackward', { ...conv, dy: f(100), dx: f(51) }, 'dx must have 50 elements, got 51'],
    ['dw as an Array', 'conv2dBackward', { ...conv, dy: f(100), dw: [] }, 'dw must be a Float32Array, got an Array'],
    ['short db', 'conv2dBackward', { ...conv, dy: f(100), db: f(3) }, 'db must have 4 elements, got 3'],
    ['missing c', 'depthwiseForward', { ...dw, c: undefined, y: f(50) }, 'c must be an integer, got undefined'],
    ['Infinity kw', 'depthwiseForward', { ...dw, kw: Number.POSITIVE_INFINITY, y: f(50) }, 'kw must be an integer, got inf'],
    ['pad ≥ kernel', 'depthwiseForward', { ...dw, padW: 3, y: f(50) }, 'padW must be in \\[0, 2\\], got 3'],
    ['short weight', 'depthwiseForward', { ...dw, weight: f(17), y: f(50) }, 'weight must have 18 elements, got 17'],
    ['sizes whose product overflows', 'depthwiseForward', { ...dw, n: 2 ** 24, h: 2 ** 16, w: 2 ** 16, c: 2 ** 16, x: f(0), y: f(0), weight: f(9 * 2 ** 16) }, 'x would have more than 2\\^40 elements'],
    ['short dy', 'depthwiseBackward', { ...dw, dy: f(49) }, 'dy must have 50 elements, got 49'],
    ['long dw', 'depthwiseBackward', { ...dw, dy: f(50), dw: f(19) }, 'dw must have 18 elements, got 19'],
    ['db of the wrong type', 'depthwiseBackward', { ...dw, dy: f(50), db: new Uint8Array(2) }, 'db must be a Float32Array, got a Uint8Array'],
  ];
  for (const [what, kernel, args, message] of cases) {
    it(`${kernel}: ${what}`, () => {
      expect(() => nativeCall(kernel)(args)).toThrow(new RegExp(`^${kernel}: ${message}`));
      // the async binding checks on the calling thread and throws the same error under its own name
      expect(() => nativeAsync(kernel)(args)).toThrow(new RegExp(`^${kernel}Async: ${message}`));
    });
  }

  it('outputs must not share memory with inputs or with each other', () => {
    const pool = f(400);
    expect(() => nativeCall('conv2dForward')({ ...conv, x: pool.subarray(0, 50), y: pool.subarray(49, 149) })).toThrow(/^conv2dForward: y must not share memory with x/);
    expect(() => nativeCall('conv2dForward')({ ...conv, weight: pool.subarray(99, 171), y: pool.subarray(0, 100) })).toThrow(/^conv2dForward: y must not share memory with weight/);
    expect(() => nativeCall('conv2dForward')({ ...conv, bias: pool.subarray(99, 103), y: pool.subarray(0, 100) })).toThrow(/^conv2dForward: y must not share memory with bias/);
    expect(() => nativeCall('conv2dBackward')({ ...conv, dy: f(100), dx: conv.x })).toThrow(/^conv2dBackward: dx must not share memory with x/);
    expect(() => nativeCall('conv2dBackward')({ ...conv, dy: pool.subarray(0, 100), dw: pool.subarray(50, 122) })).toThrow(/^conv2dBackward: dw must not share memory with dy/);
    expect(() => nativeCall('conv2dBackward')({ ...conv, dy: f(100), dw: pool.subarray(0, 72), db: pool.subarray(71, 75) })).toThrow(/^conv2dBackward: dw must not share memory with db/);
    expect(() => nativeCall('depthwiseForward')({ ...dw, y: dw.x })).toThrow(/^depthwiseForward: y must not share memory with x/);
    expect(() => nativeCall('depthwiseBackward')({ ...dw, dy: f(50), dx: pool.subarray(0, 50), db: pool.subarray(49, 51) })).toThrow(/^depthwiseBackward: dx must not share memory with db/);
    expect(() => nativeCall('depthwiseBackwardAsync')({ ...dw, dy: f(50), dw: dw.weight })).toThrow(/^depthwiseBackwardAsync: dw must not share memory with weight/);
    // adjacent, not overlapping: allowed
    expect(nativeCall('conv2dForward')({ ...conv, x: pool.subarray(0, 50), y: pool.subarray(50, 150) })).toBeUndefined();
  });

  it('error classes: TypeError for the wrong kind of value, RangeError for a bad size', () => {
    expect(() => nativeCall('conv2dForward')({ ...conv, x: 'x', y: f(100) })).toThrow(TypeError);
    expect(() => nativeCall('conv2dForward')({ ...conv, y: f(1) })).toThrow(RangeError);
    expect(() => nativeCall('depthwiseForward')({ ...dw, kh: 0, y: f(50) })).toThrow(RangeError);
    expect(() => nativeCall('depthwiseBackward')(42)).toThrow(TypeError);
  });
});
