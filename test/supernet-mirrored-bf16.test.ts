// The engine's storage kinds without a GPU: the bf16 suites
// (test/helpers/supernet-bf16.ts, test/helpers/supernet-bf16-paths.ts) on
// "cpu-mirrored" in precision bf16, where activations and their gradients
// are stored as 16-bit bf16 and every other buffer as float32, as on a CUDA
// device. A layer that hands a float32 buffer where activations are expected
// (or the reverse) reads garbage there and fails these comparisons with the
// float32 CPU engine.
import { describe, expect, it } from 'vitest';
import type { SupernetPlan } from '../src/engine/plan.js';
import { Supernet } from '../src/engine/supernet.js';
import { supernetBf16PathsSuite } from './helpers/supernet-bf16-paths.js';
import { supernetBf16Suite } from './helpers/supernet-bf16.js';

supernetBf16Suite('cpu-mirrored', false);
supernetBf16PathsSuite('cpu-mirrored', false);

describe('reduced precision off CUDA', () => {
  const plan: SupernetPlan = {
    input: { height: 8, width: 8, channels: 3 },
    classes: 5,
    stem: { kernel: 3, stride: 1, out: 8 },
    layers: [{ name: 'l0', candidates: [{ kind: 'mbconv', kernel: 3, expand: 3, stride: 1, out: 8, act: 'relu6' }, { kind: 'zero' }] }],
  };
  it('refuses bf16 and tf32 on the CPU and tf32 on cpu-mirrored, naming the precision', () => {
    expect(() => new Supernet(plan, 1, { precision: 'bf16' })).toThrow(/precision bf16 needs a CUDA device/);
    expect(() => new Supernet(plan, 1, { precision: 'tf32' })).toThrow(/precision tf32 needs a CUDA device/);
    expect(() => new Supernet(plan, 1, { device: 'cpu-mirrored', precision: 'tf32' })).toThrow(/precision tf32 needs a CUDA device/);
  });
});
