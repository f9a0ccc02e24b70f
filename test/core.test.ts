import { describe, expect, it } from 'vitest';
import { native, setThreads } from '../src/index.js';

const call = (name: string, args: Record<string, unknown>) => (native[name] as (a: unknown) => unknown)(args);

function philoxBlock(counter: number[], key: number[]): number[] {
  const out = new Int32Array(4);
  call('philoxBlock', { words: new Int32Array([...counter, ...key]), out });
  return Array.from(out, (v) => v >>> 0);
}

describe('Philox4x32-10', () => {
  // Known-answer vectors published with Random123 (kat_vectors, philox4x32 10 rounds).
  it('matches the Random123 known-answer vectors', () => {
    expect(philoxBlock([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philoxBlock([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
    ]);
    expect(philoxBlock([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
    ]);
  });

  const fill = (seed: number, stream: number, kind: 0 | 1, n = 200_000) => {
    const out = new Float32Array(n);
    call('philoxFill', { out, seed, stream, kind });
    return out;
  };

  it('uniform draws lie in [0, 1) with the right moments and no empty bins', () => {
    const u = fill(7, 0, 0);
    let sum = 0;
    let sq = 0;
    const bins = new Array(20).fill(0);
    let outside = 0;
    for (const v of u) {
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
      sq += v * v;
      bins[Math.floor(v * 20)]++;
    }
    expect(outside).toBe(0);
    const mean = sum / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sq / u.length - mean * mean - 1 / 12)).toBeLessThan(0.002);
    // chi-square with 19 degrees of freedom: 99.9% quantile is 43.8
    const expected = u.length / 20;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8);
  });

  it('normal draws have mean 0 and variance 1', () => {
    const z = fill(11, 3, 1);
    let sum = 0;
    let sq = 0;
    let nonFinite = 0;
    for (const v of z) {
      if (!Number.isFinite(v)) nonFinite++;
      sum += v;
      sq += v * v;
    }
    expect(nonFinite).toBe(0);
    expect(Math.abs(sum / z.length)).toBeLessThan(0.01);
    expect(Math.abs(sq / z.length - 1)).toBeLessThan(0.02);
  });

  it('same seed and stream repeat exactly; other streams and seeds differ', () => {
    const a = fill(5, 1, 0, 1000);
    expect(fill(5, 1, 0, 1000)).toEqual(a);
    expect(fill(5, 2, 0, 1000)).not.toEqual(a);
    expect(fill(6, 1, 0, 1000)).not.toEqual(a);
  });
});

describe('engine settings', () => {
  it('setThreads sets and reports the pool size', () => {
    expect(setThreads(1)).toBe(1);
    expect(native.buildInfo().threads).toBe(1);
    expect(setThreads(3)).toBe(3);
    expect(setThreads(0)).toBeGreaterThanOrEqual(1);
  });

  it('a sanitized test run really loads the sanitizer build', () => {
    expect(native.buildInfo().sanitized).toBe(process.env.PRUNAS_SANITIZED_RUN === '1');
  });
});
