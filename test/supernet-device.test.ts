// The supernet's device option, checked before anything is built: a bad or
// missing device is one error naming it, on any machine (test/gpu holds the
// GPU runs themselves).
import { describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasRangeError, PrunasTypeError } from '../src/errors.js';
import { gpuInfo } from '../src/gpu/kernels.js';
import { proxylessSmall } from '../src/space/builtin.js';

const space = proxylessSmall();

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('Supernet device option', () => {
  it('defaults to the CPU and accepts "cpu"', () => {
    for (const options of [undefined, {}, { device: undefined }, { device: 'cpu' }]) {
      const net = new Supernet(space, 0, options);
      expect(net.device).toBe('cpu');
      net.dispose();
    }
  });

  it('a device that does not exist is a PrunasRangeError naming it', () => {
    const e = thrown(() => new Supernet(space, 0, { device: 'cuda:99' }));
    expect(e).toBeInstanceOf(PrunasRangeError);
    expect(e.message).toMatch(/cuda:99/);
    // without CUDA in the addon, or without a device, cuda:0 is named the same way
    if (gpuInfo().devices.length === 0) {
      const e0 = thrown(() => new Supernet(space, 0, { device: 'cuda:0' }));
      expect(e0).toBeInstanceOf(PrunasRangeError);
      expect(e0.message).toMatch(/cuda:0/);
    }
  });

  it('a malformed device string is a PrunasRangeError naming it', () => {
    for (const device of ['gpu', 'cuda', 'cuda:', 'CUDA:0', 'cuda:-1', 'cuda:0 ', 'cuda:1.5', 'cuda:1234', '']) {
      const e = thrown(() => new Supernet(space, 0, { device }));
      expect(e, device).toBeInstanceOf(PrunasRangeError);
      expect(e.message, device).toContain(JSON.stringify(device));
      expect(e.message, device).toMatch(/"cpu" or "cuda:N"/);
    }
  });

  it('a device that is not a string, and options that are not an object, are PrunasTypeErrors naming the value', () => {
    for (const [device, named] of [
      [3, '3'],
      [null, 'null'],
      [true, 'true'],
      [['cuda:0'], 'Array'],
    ] as const) {
      const e = thrown(() => new Supernet(space, 0, { device: device as unknown as string }));
      expect(e, String(device)).toBeInstanceOf(PrunasTypeError);
      expect(e.message).toMatch(/device must be a string/);
      expect(e.message).toContain(named);
    }
    const e = thrown(() => new Supernet(space, 0, 'cuda:0' as unknown as { device: string }));
    expect(e).toBeInstanceOf(PrunasTypeError);
    expect(e.message).toMatch(/options must be an object/);
  });
});
