import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Supernet } from '../src/engine/supernet.js';
import { proxylessSmall } from '../src/space/index.js';
import { readCheckpoint, writeCheckpoint } from '../src/train/checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(n: number, seed: number) {
  const x = new Float32Array(n * 28 * 28);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37 + seed);
  return { x, y: Int32Array.from({ length: n }, (_, i) => (i + seed) % 10) };
}

describe('checkpoint files', () => {
  it('carry Adam moments, removals and a strategy state, so a loaded supernet continues identically', async () => {
    const space = proxylessSmall({ widthMult: 0.5 });
    const a = new Supernet(space, 3);
    a.removeCandidate(1, 2);
    a.removeLayer(5);
    const choices = a.layers.map((_, l) => (l === 5 ? 0 : l === 1 ? 1 : l % 3));
    await a.weightStep({ mode: 'single', choices, samples: batch(4, 1), lr: 0.01, optimizer: 'adam' });
    const file = join(dir, 'a.pb');
    await writeCheckpoint(file, { spaceJson: '{}', architectureJson: '', configJson: '{}', epochsDone: 0, stepsDone: 1, state: a.saveState(), history: [], strategy: { alpha: [[0.5, -1]], counter: 7 }, unitsDone: 42 });
    const c = await readCheckpoint(file);
    expect(c.strategy).toEqual({ alpha: [[0.5, -1]], counter: 7 });
    expect(c.unitsDone).toBe(42);
    expect(c.state.removed).toEqual({ candidates: [[1, 2]], layers: [5] });
    expect(c.state.parameters.some((p) => (p.adamSteps ?? 0) > 0)).toBe(true);

    const b = new Supernet(space, 99);
    b.loadState(c.state);
    expect(b.structure().removedLayers[5]).toBe(true);
    expect(b.structure().live[1][2]).toBe(false);
    const next = batch(4, 2);
    const ra = await a.weightStep({ mode: 'single', choices, samples: next, lr: 0.01, optimizer: 'adam' });
    const rb = await b.weightStep({ mode: 'single', choices, samples: next, lr: 0.01, optimizer: 'adam' });
    expect(rb.loss).toBe(ra.loss);
    const sa = a.saveState();
    const sb = b.saveState();
    sa.parameters.forEach((p, i) => {
      expect(sb.parameters[i].value).toEqual(p.value);
      expect(sb.parameters[i].adamV).toEqual(p.adamV);
    });
    a.dispose();
    b.dispose();
  });
});
