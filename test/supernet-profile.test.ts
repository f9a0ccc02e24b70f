// A profiled supernet (profile: true) times every op and changes nothing it
// computes: the same losses, gates and weights as an unprofiled twin, op
// counts that follow the network's structure, and times that add up to
// (most of) the step.
import { describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { PrunasTypeError } from '../src/errors.js';
import type { SupernetPlan } from '../src/engine/plan.js';
import { TestRandom } from './helpers/random.js';

// stem 3×3 → [mbconv e3 (expand, depthwise, project), zero] → [mbconv e1 (no expand), mbconv e3] → head → 4 classes
const PLAN: SupernetPlan = {
  input: { height: 8, width: 8, channels: 2 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  layers: [
    { name: 'l0', candidates: [{ kind: 'mbconv', kernel: 3, expand: 3, stride: 1, out: 8, act: 'relu6' }, { kind: 'zero' }] },
    { name: 'l1', candidates: [{ kind: 'mbconv', kernel: 5, expand: 1, stride: 2, out: 16, act: 'hswish' }, { kind: 'mbconv', kernel: 3, expand: 3, stride: 2, out: 16, act: 'relu' }] },
  ],
  head: { out: 32 },
};

function batch(n: number, seed: number) {
  const rng = new TestRandom(seed);
  return { x: rng.floats(n * 8 * 8 * 2), y: Int32Array.from({ length: n }, () => rng.int(0, 3)) };
}

describe('a profiled supernet', () => {
  it('computes exactly what an unprofiled one does, and counts every op of a step by its structure', () => {
    const plain = new Supernet(PLAN, 5);
    const profiled = new Supernet(PLAN, 5, { profile: true });
    try {
      expect(plain.opTimes()).toEqual([]);
      const steps = [
        { samples: batch(6, 1), mode: 'single' as const, choices: [0, 1], lr: 0.05 },
        { samples: batch(6, 2), mode: 'pair' as const, choices: [0, 0], others: [1, 1], lr: 0.05 },
      ];
      for (const o of steps) {
        const a = plain.weightStepSync(o);
        const b = profiled.weightStepSync(o);
        expect(b.loss).toBe(a.loss);
        expect(b.gates).toEqual(a.gates);
      }
      const pa = plain.saveState().parameters, pb = profiled.saveState().parameters;
      pa.forEach((p, i) => expect(Buffer.from(pb[i].value.buffer).equals(Buffer.from(p.value.buffer))).toBe(true));

      // One single weight step on [mbconv e3, mbconv e3 (relu)]: 1 stem conv, 3 + 3 units in the
      // layers, 1 head unit; every unit one BN+activation forward and backward.
      profiled.resetOpTimes();
      profiled.weightStepSync({ samples: batch(6, 3), mode: 'single', choices: [0, 1], lr: 0.05 });
      const calls = Object.fromEntries(profiled.opTimes().map((t) => [t.op, t.calls]));
      expect(calls['conv dense forward']).toBe(1);
      expect(calls['conv dense backward']).toBe(1);
      expect(calls['conv pointwise forward']).toBe(5); // 2 expand + 2 project + head
      expect(calls['conv depthwise forward']).toBe(2);
      expect(calls['batchnorm+act forward']).toBe(8);
      expect(calls['batchnorm+act backward']).toBe(8);
      expect(calls['linear forward']).toBe(1);
      expect(calls['loss']).toBe(1);
      expect(calls['optimizer']).toBe(1);
      expect(calls['read results']).toBe(1);
      expect(calls['residual add']).toBe(2); // l0's shortcut, forward and backward
      const times = profiled.opTimes();
      for (const t of times) expect(t.ms).toBeGreaterThanOrEqual(0);
      expect(times.map((t) => t.ms)).toEqual([...times.map((t) => t.ms)].sort((x, y) => y - x)); // slowest first
      profiled.resetOpTimes();
      expect(profiled.opTimes()).toEqual([]);
    } finally {
      plain.dispose();
      profiled.dispose();
    }
  });

  it('profile must be a boolean', () => {
    expect(() => new Supernet(PLAN, 5, { profile: 'yes' as unknown as boolean })).toThrow(PrunasTypeError);
    expect(() => new Supernet(PLAN, 5, { profile: 'yes' as unknown as boolean })).toThrow(/options\.profile must be a boolean, got/);
  });
});
