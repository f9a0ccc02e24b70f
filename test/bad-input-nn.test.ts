// Bad input to batch norm, global average pooling, the losses and the
// optimizers: a TypeError or RangeError naming the kernel, the argument and
// the value, from the TS wrappers (sync and async) and from the native
// bindings called directly (sync and async); the process survives.
import { describe, expect, it } from 'vitest';
import { kernels, native } from '../src/index.js';

const f = (n: number) => new Float32Array(n);
const i32 = (...v: number[]) => Int32Array.from(v);
const nativeCall = (name: string) => native[name] as (args: unknown) => unknown;
const nativeAsync = (name: string) => native[`${name}Async`] as (args: unknown) => Promise<unknown>;

type ErrorClass = typeof TypeError | typeof RangeError;
type Case = [ErrorClass, RegExp, () => unknown];

function expectThrows(cases: Case[]) {
  for (const [type, message, fn] of cases) {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error, `expected ${type.name} ${message}`).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  }
}

async function expectRejects(type: ErrorClass, message: RegExp, fn: () => Promise<unknown>) {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a rejection with ${type.name} ${message}`).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
}

describe('bad input: batchnorm', () => {
  const shape = { rows: 2, channels: 3 };
  const bn = () => ({ gamma: f(3), beta: f(3), runningMean: f(3), runningVar: f(3).fill(1) });
  const train = { training: true };
  const evalMode = { training: false };
  const saved = { training: true, saveMean: f(3), saveInvStd: f(3) };

  it('TS layer', async () => {
    expectThrows([
      [TypeError, /batchnormForward: expected an options object, got undefined/, () => kernels.batchnormForward(undefined as never, f(6), bn(), train)],
      [RangeError, /batchnormForward: rows must be an integer in \[2, .*\], got -1/, () => kernels.batchnormForward({ ...shape, rows: -1 }, f(6), bn(), train)],
      [RangeError, /batchnormForward: rows must be an integer in \[2, .*\], got 1/, () => kernels.batchnormForward({ rows: 1, channels: 3 }, f(3), bn(), train)],
      [RangeError, /channels must be an integer .* got NaN/, () => kernels.batchnormForward({ ...shape, channels: Number.NaN }, f(6), bn(), train)],
      [RangeError, /rows must be an integer .* got 2.5/, () => kernels.batchnormForward({ ...shape, rows: 2.5 }, f(6), bn(), evalMode)],
      [TypeError, /batchnormForward: x must be a Float32Array, got an Array/, () => kernels.batchnormForward(shape, [0, 0, 0, 0, 0, 0] as never, bn(), train)],
      [RangeError, /batchnormForward: x must have 6 elements, got 5/, () => kernels.batchnormForward(shape, f(5), bn(), train)],
      [TypeError, /gamma must be a Float32Array, got a Float64Array/, () => kernels.batchnormForward(shape, f(6), { ...bn(), gamma: new Float64Array(3) as never }, train)],
      [RangeError, /runningMean must have 3 elements, got 2/, () => kernels.batchnormForward(shape, f(6), { ...bn(), runningMean: f(2) }, train)],
      [TypeError, /training must be a boolean, got "yes"/, () => kernels.batchnormForward(shape, f(6), bn(), { training: 'yes' as never })],
      [TypeError, /batchnormForward: expected an options object, got null/, () => kernels.batchnormForward(shape, f(6), bn(), null as never)],
      [RangeError, /momentum must be a finite number in \[0, 1\], got NaN/, () => kernels.batchnormForward(shape, f(6), bn(), { training: true, momentum: Number.NaN })],
      [RangeError, /momentum must be a finite number in \[0, 1\], got 1.5/, () => kernels.batchnormForward(shape, f(6), bn(), { training: true, momentum: 1.5 })],
      [RangeError, /momentum must be a finite number in \[0, 1\], got -0.1/, () => kernels.batchnormForward(shape, f(6), bn(), { training: true, momentum: -0.1 })],
      [RangeError, /eps must be a finite number .* got 0/, () => kernels.batchnormForward(shape, f(6), bn(), { training: true, eps: 0 })],
      [RangeError, /eps must be a finite number .* got NaN/, () => kernels.batchnormForward(shape, f(6), bn(), { training: false, eps: Number.NaN })],
      [RangeError, /batchnormForward: runningVar\[1\] must be >= 0, got -1/, () => kernels.batchnormForward(shape, f(6), { ...bn(), runningVar: Float32Array.of(1, -1, 1) }, evalMode)],
      [RangeError, /runningVar\[2\] must be >= 0, got NaN/, () => kernels.batchnormForward(shape, f(6), { ...bn(), runningVar: Float32Array.of(1, 1, Number.NaN) }, evalMode)],
      [TypeError, /batchnormBackward: saveMean must be a Float32Array, got undefined/, () => kernels.batchnormBackward(shape, f(6), f(6), bn(), train)],
      [RangeError, /batchnormBackward: saveInvStd must have 3 elements, got 4/, () => kernels.batchnormBackward(shape, f(6), f(6), bn(), { ...saved, saveInvStd: f(4) })],
      [RangeError, /batchnormBackward: dy must have 6 elements, got 7/, () => kernels.batchnormBackward(shape, f(6), f(7), bn(), saved)],
      [RangeError, /batchnormBackward: rows must be an integer in \[2,/, () => kernels.batchnormBackward({ rows: 1, channels: 3 }, f(3), f(3), bn(), saved)],
      [RangeError, /batchnormBackward: runningVar\[0\] must be >= 0, got -2/, () => kernels.batchnormBackward(shape, f(6), f(6), { ...bn(), runningVar: Float32Array.of(-2, 1, 1) }, evalMode)],
    ]);
    // rows = 1 is fine in eval mode
    expect(kernels.batchnormForward({ rows: 1, channels: 3 }, f(3), bn(), evalMode).y).toHaveLength(3);
    await expectRejects(RangeError, /batchnormForwardAsync: x must have 6 elements, got 4/, () => kernels.batchnormForwardAsync(shape, f(4), bn(), train));
    await expectRejects(TypeError, /batchnormBackwardAsync: dy must be a Float32Array, got "dy"/, () => kernels.batchnormBackwardAsync(shape, f(6), 'dy' as never, bn(), saved));
  });

  it('native layer', async () => {
    const base = { rows: 2, channels: 3, x: f(6), gamma: f(3), beta: f(3) };
    const trainArgs = { ...base, y: f(6), saveMean: f(3), saveInvStd: f(3), runningMean: f(3), runningVar: f(3) };
    const evalArgs = { ...base, y: f(6), runningMean: f(3), runningVar: f(3) };
    const backArgs = { ...base, dy: f(6), saveMean: f(3), saveInvStd: f(3), dx: f(6), dgamma: f(3), dbeta: f(3) };
    const shared = f(32);
    expectThrows([
      [TypeError, /batchnormForwardTrain: expected an options object, got undefined/, () => nativeCall('batchnormForwardTrain')(undefined)],
      [TypeError, /batchnormForwardTrain: expected an options object, got an Array/, () => nativeCall('batchnormForwardTrain')([])],
      [RangeError, /batchnormForwardTrain: rows must be in \[2, .*\], got 1/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, rows: 1, x: f(3), y: f(3) })],
      [RangeError, /batchnormForwardTrain: channels must be in \[1, .*\], got -3/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, channels: -3 })],
      [RangeError, /rows must be an integer, got NaN/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, rows: Number.NaN })],
      [TypeError, /channels must be an integer, got a string/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, channels: '3' })],
      [TypeError, /batchnormForwardTrain: x must be a Float32Array, got a Float64Array/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, x: new Float64Array(6) })],
      [RangeError, /batchnormForwardTrain: y must have 6 elements, got 5/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, y: f(5) })],
      [TypeError, /saveMean must be a Float32Array, got undefined/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, saveMean: undefined })],
      [RangeError, /momentum must be a finite number in \[0, 1\], got NaN/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, momentum: Number.NaN })],
      [TypeError, /momentum must be a number, got a string/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, momentum: '0.1' })],
      [RangeError, /eps must be a finite number .* got -1/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, eps: -1 })],
      [RangeError, /batchnormForwardTrain: runningVar is missing: runningMean and runningVar go together/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, runningVar: undefined })],
      [RangeError, /batchnormForwardTrain: saveMean must not share memory with gamma/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, gamma: shared.subarray(0, 3), saveMean: shared.subarray(2, 5) })],
      [RangeError, /batchnormForwardTrain: y must not share memory with x/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, x: shared.subarray(0, 6), y: shared.subarray(1, 7) })],
      [RangeError, /batchnormForwardTrain: runningMean must not share memory with runningVar/, () => nativeCall('batchnormForwardTrain')({ ...trainArgs, runningMean: shared.subarray(0, 3), runningVar: shared.subarray(0, 3) })],
      [RangeError, /batchnormForwardEval: runningVar\[0\] must be >= 0, got -1/, () => nativeCall('batchnormForwardEval')({ ...evalArgs, runningVar: Float32Array.of(-1, 1, 1) })],
      [RangeError, /batchnormForwardEval: runningVar\[1\] must be >= 0, got nan/, () => nativeCall('batchnormForwardEval')({ ...evalArgs, runningVar: Float32Array.of(1, Number.NaN, 1) })],
      [TypeError, /batchnormForwardEval: runningMean must be a Float32Array, got undefined/, () => nativeCall('batchnormForwardEval')({ ...evalArgs, runningMean: undefined })],
      [RangeError, /batchnormBackwardTrain: dx must have 6 elements, got 8/, () => nativeCall('batchnormBackwardTrain')({ ...backArgs, dx: f(8) })],
      [RangeError, /batchnormBackwardTrain: dgamma must not share memory with dbeta/, () => nativeCall('batchnormBackwardTrain')({ ...backArgs, dgamma: shared.subarray(0, 3), dbeta: shared.subarray(0, 3) })],
      [RangeError, /batchnormBackwardTrain: dx must not share memory with x/, () => nativeCall('batchnormBackwardTrain')({ ...backArgs, x: shared.subarray(0, 6), dx: shared.subarray(0, 6) })],
      [RangeError, /batchnormBackwardEval: eps must be a finite number .* got NaN/, () => nativeCall('batchnormBackwardEval')({ ...backArgs, runningMean: f(3), runningVar: f(3), eps: Number.NaN })],
      // the async binding checks its arguments before queueing the job, so it throws at once
      [RangeError, /batchnormForwardTrainAsync: x must have 6 elements, got 7/, () => nativeAsync('batchnormForwardTrain')({ ...trainArgs, x: f(7) })],
      [TypeError, /batchnormBackwardEvalAsync: runningVar must be a Float32Array, got null/, () => nativeAsync('batchnormBackwardEval')({ ...backArgs, runningMean: f(3), runningVar: null })],
    ]);
    // good calls still work after all that, in place included
    const x = f(6).map((_, i) => i);
    nativeCall('batchnormForwardTrain')({ ...trainArgs, x, y: x });
    expect(x.every(Number.isFinite)).toBe(true);
    await expect(nativeAsync('batchnormForwardEval')(evalArgs)).resolves.toBeUndefined();
  });
});

describe('bad input: global average pool', () => {
  const shape = { n: 1, h: 2, w: 2, c: 3 };

  it('TS layer', async () => {
    expectThrows([
      [TypeError, /globalAvgPoolForward: expected an options object, got 7/, () => kernels.globalAvgPoolForward(7 as never, f(12))],
      [RangeError, /globalAvgPoolForward: n must be an integer in \[1, .*\], got 0/, () => kernels.globalAvgPoolForward({ ...shape, n: 0 }, f(12))],
      [RangeError, /h must be an integer .* got -2/, () => kernels.globalAvgPoolForward({ ...shape, h: -2 }, f(12))],
      [RangeError, /w must be an integer .* got NaN/, () => kernels.globalAvgPoolForward({ ...shape, w: Number.NaN }, f(12))],
      [TypeError, /c must be an integer, got undefined/, () => kernels.globalAvgPoolForward({ n: 1, h: 2, w: 2 } as never, f(12))],
      [RangeError, /globalAvgPoolForward: x must have 12 elements, got 11/, () => kernels.globalAvgPoolForward(shape, f(11))],
      [TypeError, /x must be a Float32Array, got an Array/, () => kernels.globalAvgPoolForward(shape, [] as never)],
      [RangeError, /globalAvgPoolBackward: dy must have 3 elements, got 12/, () => kernels.globalAvgPoolBackward(shape, f(12))],
    ]);
    await expectRejects(RangeError, /globalAvgPoolBackwardAsync: dy must have 3 elements, got 2/, () => kernels.globalAvgPoolBackwardAsync(shape, f(2)));
  });

  it('native layer', () => {
    const fwd = { n: 1, hw: 4, c: 3, x: f(12), y: f(3) };
    const bwd = { n: 1, hw: 4, c: 3, dy: f(3), dx: f(12) };
    const shared = f(16);
    expectThrows([
      [RangeError, /globalAvgPoolBackward: n must be in \[1, .*\], got -2/, () => nativeCall('globalAvgPoolBackward')({ ...bwd, n: -2 })],
      [RangeError, /globalAvgPoolForward: hw must be an integer, got 2.5/, () => nativeCall('globalAvgPoolForward')({ ...fwd, hw: 2.5 })],
      [RangeError, /globalAvgPoolForward: n·hw·c = 65537·65536·65536 is more than 2\^48 elements/, () => nativeCall('globalAvgPoolForward')({ ...fwd, n: 65537, hw: 65536, c: 65536 })],
      [TypeError, /globalAvgPoolForward: x must be a Float32Array, got a Int32Array/, () => nativeCall('globalAvgPoolForward')({ ...fwd, x: new Int32Array(12) })],
      [RangeError, /globalAvgPoolForward: y must have 3 elements, got 4/, () => nativeCall('globalAvgPoolForward')({ ...fwd, y: f(4) })],
      [RangeError, /globalAvgPoolForward: y must not share memory with x/, () => nativeCall('globalAvgPoolForward')({ ...fwd, x: shared.subarray(0, 12), y: shared.subarray(10, 13) })],
      [RangeError, /globalAvgPoolBackward: dx must not share memory with dy/, () => nativeCall('globalAvgPoolBackward')({ ...bwd, dy: shared.subarray(0, 3), dx: shared.subarray(2, 14) })],
      [RangeError, /globalAvgPoolBackwardAsync: dx must have 12 elements, got 3/, () => nativeAsync('globalAvgPoolBackward')({ ...bwd, dx: f(3) })],
    ]);
  });
});

describe('bad input: losses', () => {
  it('TS layer', async () => {
    expectThrows([
      [RangeError, /softmaxCrossEntropy: classes must be an integer in \[1, .*\], got 0/, () => kernels.softmaxCrossEntropy(f(6), i32(0, 1), 0)],
      [TypeError, /softmaxCrossEntropy: classes must be an integer, got "3"/, () => kernels.softmaxCrossEntropy(f(6), i32(0, 1), '3' as never)],
      [TypeError, /softmaxCrossEntropy: labels must be an Int32Array, got a Float32Array/, () => kernels.softmaxCrossEntropy(f(6), f(2) as never, 3)],
      [RangeError, /softmaxCrossEntropy: labels must not be empty/, () => kernels.softmaxCrossEntropy(f(0), i32(), 3)],
      [RangeError, /softmaxCrossEntropy: logits must have 6 elements, got 5/, () => kernels.softmaxCrossEntropy(f(5), i32(0, 1), 3)],
      [TypeError, /logits must be a Float32Array, got a Float64Array/, () => kernels.softmaxCrossEntropy(new Float64Array(6) as never, i32(0, 1), 3)],
      [RangeError, /smoothing must be a finite number in \[0, 1\], got NaN/, () => kernels.softmaxCrossEntropy(f(6), i32(0, 1), 3, Number.NaN)],
      [RangeError, /smoothing must be a finite number in \[0, 1\], got -0.1/, () => kernels.softmaxCrossEntropy(f(6), i32(0, 1), 3, -0.1)],
      [RangeError, /softmaxCrossEntropy: labels\[1\] = 3 is outside \[0, 3\)/, () => kernels.softmaxCrossEntropy(f(6), i32(0, 3), 3)],
      [RangeError, /labels\[0\] = -1 is outside \[0, 3\)/, () => kernels.softmaxCrossEntropy(f(6), i32(-1, 0), 3)],
      [TypeError, /mseLoss: a must be a Float32Array, got undefined/, () => kernels.mseLoss(undefined as never, f(3))],
      [RangeError, /mseLoss: a must not be empty/, () => kernels.mseLoss(f(0), f(0))],
      [RangeError, /mseLoss: b must have 3 elements, got 4/, () => kernels.mseLoss(f(3), f(4))],
    ]);
    await expectRejects(RangeError, /softmaxCrossEntropyAsync: labels\[0\] = 5 is outside \[0, 3\)/, () => kernels.softmaxCrossEntropyAsync(f(3), i32(5), 3));
    await expectRejects(RangeError, /mseLossAsync: b must have 2 elements, got 1/, () => kernels.mseLossAsync(f(2), f(1)));
  });

  it('native layer', async () => {
    const ce = { n: 2, k: 3, logits: f(6), labels: i32(0, 2), dlogits: f(6), correct: new Int32Array(1) };
    const buffer = new ArrayBuffer(64);
    expectThrows([
      [RangeError, /softmaxCrossEntropy: n must be in \[1, .*\], got 0/, () => nativeCall('softmaxCrossEntropy')({ ...ce, n: 0 })],
      [RangeError, /softmaxCrossEntropy: k must be an integer, got NaN/, () => nativeCall('softmaxCrossEntropy')({ ...ce, k: Number.NaN })],
      [RangeError, /softmaxCrossEntropy: labels must have 2 elements, got 3/, () => nativeCall('softmaxCrossEntropy')({ ...ce, labels: i32(0, 1, 2) })],
      [TypeError, /softmaxCrossEntropy: labels must be a Int32Array, got a Uint8Array/, () => nativeCall('softmaxCrossEntropy')({ ...ce, labels: new Uint8Array(2) })],
      [RangeError, /softmaxCrossEntropy: correct must have 1 elements, got 2/, () => nativeCall('softmaxCrossEntropy')({ ...ce, correct: new Int32Array(2) })],
      [RangeError, /smoothing must be a finite number in \[0, 1\], got 2/, () => nativeCall('softmaxCrossEntropy')({ ...ce, smoothing: 2 })],
      [RangeError, /softmaxCrossEntropy: labels\[1\] = 3 is outside \[0, 3\)/, () => nativeCall('softmaxCrossEntropy')({ ...ce, labels: i32(0, 3) })],
      [RangeError, /softmaxCrossEntropy: dlogits must not share memory with logits/, () => nativeCall('softmaxCrossEntropy')({ ...ce, dlogits: ce.logits })],
      [RangeError, /softmaxCrossEntropy: correct must not share memory with labels/, () => nativeCall('softmaxCrossEntropy')({ ...ce, labels: new Int32Array(buffer, 0, 2), correct: new Int32Array(buffer, 4, 1) })],
      [RangeError, /softmaxCrossEntropy: correct must not share memory with logits/, () => nativeCall('softmaxCrossEntropy')({ ...ce, logits: new Float32Array(buffer, 8, 6), correct: new Int32Array(buffer, 28, 1) })],
      [RangeError, /mseLoss: a must not be empty/, () => nativeCall('mseLoss')({ a: f(0), b: f(0) })],
      [RangeError, /mseLoss: b must have 2 elements, got 3/, () => nativeCall('mseLoss')({ a: f(2), b: f(3) })],
      [RangeError, /mseLoss: da must not share memory with b/, () => nativeCall('mseLoss')({ a: f(2), b: new Float32Array(buffer, 0, 2), da: new Float32Array(buffer, 4, 2) })],
      [TypeError, /mseLossAsync: a must be a Float32Array, got null/, () => nativeAsync('mseLoss')({ a: null, b: f(2) })],
    ]);
    // a bad label is found by the job itself: the Promise rejects
    await expectRejects(RangeError, /softmaxCrossEntropyAsync: labels\[1\] = 7 is outside \[0, 3\)/, () => nativeAsync('softmaxCrossEntropy')({ ...ce, labels: i32(0, 7) }));
    // disjoint views of one buffer are fine
    expect(nativeCall('softmaxCrossEntropy')({ ...ce, labels: new Int32Array(buffer, 0, 2), correct: new Int32Array(buffer, 8, 1) })).toBeCloseTo(Math.log(3), 6);
  });
});

describe('bad input: optimizers', () => {
  it('TS layer', async () => {
    const adamState = () => ({ m: f(3), v: f(3), step: 1 });
    expectThrows([
      [RangeError, /sgdStep: lr must be a finite number .* got NaN/, () => kernels.sgdStep(f(3), f(3), { lr: Number.NaN })],
      [RangeError, /sgdStep: lr must be a finite number in \[0, Infinity\], got -1/, () => kernels.sgdStep(f(3), f(3), { lr: -1 })],
      [TypeError, /sgdStep: lr must be a number, got undefined/, () => kernels.sgdStep(f(3), f(3), {} as never)],
      [RangeError, /sgdStep: momentum must be a finite number in \[0, 1\], got 1.5/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 1.5 }, { buffer: f(3) })],
      [RangeError, /sgdStep: momentum must be a finite number .* got NaN/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: Number.NaN })],
      [RangeError, /sgdStep: weightDecay must be a finite number .* got -0.0001/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, weightDecay: -1e-4 })],
      [TypeError, /sgdStep: nesterov must be a boolean, got "yes"/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 0.9, nesterov: 'yes' as never }, { buffer: f(3) })],
      [RangeError, /sgdStep: nesterov needs momentum > 0/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, nesterov: true })],
      [TypeError, /sgdStep: buffer must be a Float32Array, got undefined/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 0.9 })],
      [RangeError, /sgdStep: buffer must have 3 elements, got 2/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 0.9 }, { buffer: f(2) })],
      [TypeError, /sgdStep: first must be a boolean, got 1/, () => kernels.sgdStep(f(3), f(3), { lr: 0.1, momentum: 0.9 }, { buffer: f(3), first: 1 as never })],
      [TypeError, /sgdStep: param must be a Float32Array, got an Array/, () => kernels.sgdStep([1, 2, 3] as never, f(3), { lr: 0.1 })],
      [RangeError, /sgdStep: grad must have 3 elements, got 4/, () => kernels.sgdStep(f(3), f(4), { lr: 0.1 })],
      [RangeError, /sgdStep: param must not share memory with buffer/, () => {
        const p = f(3);
        kernels.sgdStep(p, f(3), { lr: 0.1, momentum: 0.9 }, { buffer: p });
      }],
      [RangeError, /adamStep: step must be an integer in \[1, .*\], got 0/, () => kernels.adamStep(f(3), f(3), { ...adamState(), step: 0 }, { lr: 1e-3 })],
      [RangeError, /adamStep: step must be an integer .* got 1.5/, () => kernels.adamStep(f(3), f(3), { ...adamState(), step: 1.5 }, { lr: 1e-3 })],
      [RangeError, /adamStep: beta1 must be a finite number in \[0, 0.999999\], got 1/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: 1e-3, beta1: 1 })],
      [RangeError, /adamStep: beta2 must be a finite number .* got NaN/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: 1e-3, beta2: Number.NaN })],
      [RangeError, /adamStep: eps must be a finite number .* got 0/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: 1e-3, eps: 0 })],
      [RangeError, /adamStep: lr must be a finite number .* got Infinity/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: Number.POSITIVE_INFINITY })],
      [RangeError, /adamStep: weightDecay must be a finite number .* got -1/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: 1e-3, weightDecay: -1 })],
      [RangeError, /adamStep: m must have 3 elements, got 2/, () => kernels.adamStep(f(3), f(3), { ...adamState(), m: f(2) }, { lr: 1e-3 })],
      [TypeError, /adamStep: v must be a Float32Array, got a Float64Array/, () => kernels.adamStep(f(3), f(3), { ...adamState(), v: new Float64Array(3) as never }, { lr: 1e-3 })],
      [TypeError, /adamStep: decoupled must be a boolean, got 1/, () => kernels.adamStep(f(3), f(3), adamState(), { lr: 1e-3, decoupled: 1 as never })],
      [TypeError, /adamStep: expected an options object, got undefined/, () => kernels.adamStep(f(3), f(3), undefined as never, { lr: 1e-3 })],
    ]);
    await expectRejects(RangeError, /sgdStepAsync: lr must be a finite number .* got NaN/, () => kernels.sgdStepAsync(f(3), f(3), { lr: Number.NaN }));
    await expectRejects(RangeError, /adamStepAsync: step must be an integer/, () => kernels.adamStepAsync(f(3), f(3), { m: f(3), v: f(3), step: -1 }, { lr: 1e-3 }));
  });

  it('native layer', () => {
    const sgd = { param: f(3), grad: f(3), lr: 0.1 };
    const adam = { param: f(3), grad: f(3), m: f(3), v: f(3), step: 1, lr: 1e-3 };
    const shared = f(8);
    expectThrows([
      [RangeError, /sgdStep: lr must be a finite number .* got NaN/, () => nativeCall('sgdStep')({ ...sgd, lr: Number.NaN })],
      [TypeError, /sgdStep: lr must be a number, got undefined/, () => nativeCall('sgdStep')({ ...sgd, lr: undefined })],
      [RangeError, /sgdStep: lr must be a finite number .* got -0.5/, () => nativeCall('sgdStep')({ ...sgd, lr: -0.5 })],
      [RangeError, /sgdStep: momentum must be a finite number in \[0, 1\], got 2/, () => nativeCall('sgdStep')({ ...sgd, momentum: 2 })],
      [RangeError, /sgdStep: nesterov needs momentum > 0/, () => nativeCall('sgdStep')({ ...sgd, nesterov: true })],
      [TypeError, /sgdStep: buffer must be a Float32Array, got undefined/, () => nativeCall('sgdStep')({ ...sgd, momentum: 0.9 })],
      [TypeError, /sgdStep: first must be a boolean, got a string/, () => nativeCall('sgdStep')({ ...sgd, first: 'true' })],
      [RangeError, /sgdStep: grad must have 3 elements, got 2/, () => nativeCall('sgdStep')({ ...sgd, grad: f(2) })],
      [RangeError, /sgdStep: param must not share memory with grad/, () => nativeCall('sgdStep')({ ...sgd, param: shared.subarray(0, 3), grad: shared.subarray(2, 5) })],
      [RangeError, /sgdStep: buffer must not share memory with grad/, () => nativeCall('sgdStep')({ ...sgd, momentum: 0.9, grad: shared.subarray(0, 3), buffer: shared.subarray(1, 4) })],
      [RangeError, /adamStep: step must be in \[1, .*\], got 0/, () => nativeCall('adamStep')({ ...adam, step: 0 })],
      [TypeError, /adamStep: step must be an integer, got undefined/, () => nativeCall('adamStep')({ ...adam, step: undefined })],
      [RangeError, /adamStep: beta1 must be a finite number .* got 1/, () => nativeCall('adamStep')({ ...adam, beta1: 1 })],
      [RangeError, /adamStep: beta2 must be a finite number .* got -0.9/, () => nativeCall('adamStep')({ ...adam, beta2: -0.9 })],
      [RangeError, /adamStep: eps must be a finite number .* got 0/, () => nativeCall('adamStep')({ ...adam, eps: 0 })],
      [RangeError, /adamStep: weightDecay must be a finite number .* got NaN/, () => nativeCall('adamStep')({ ...adam, weightDecay: Number.NaN })],
      [RangeError, /adamStep: v must have 3 elements, got 2/, () => nativeCall('adamStep')({ ...adam, v: f(2) })],
      [RangeError, /adamStep: m must not share memory with v/, () => nativeCall('adamStep')({ ...adam, m: shared.subarray(0, 3), v: shared.subarray(0, 3) })],
      [TypeError, /adamStepAsync: m must be a Float32Array, got an Array/, () => nativeAsync('adamStep')({ ...adam, m: [0, 0, 0] })],
    ]);
  });
});
