// The prunas command end to end: a short training run, its evaluation, and
// bad input failing with one readable line and a non-zero exit code.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { architectureFromIndices, proxylessSmall, searchableLayers } from '../src/space/index.js';
import { prunas } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunas-cli-'));

const space = proxylessSmall();
const archFile = join(dir, 'arch.json');
writeFileSync(archFile, JSON.stringify(architectureFromIndices(space, searchableLayers(space).map(() => 0))));

describe('prunas train / eval', () => {
  it('trains, checkpoints, and eval reproduces the final test accuracy', () => {
    const out = join(dir, 'run');
    const t = prunas('train', '--arch', archFile, '--epochs', '1', '--subset', '256', '--batch-size', '64', '--out', out, '--progress', 'none');
    expect(t.stderr).toMatch(/epoch 1: train loss/);
    expect(t.code).toBe(0);
    const trained = JSON.parse(t.stdout);
    expect(existsSync(join(out, 'checkpoint.pb'))).toBe(true);
    expect(existsSync(join(out, 'log.jsonl'))).toBe(true);
    const e = prunas('eval', '--checkpoint', join(out, 'checkpoint.pb'));
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).testAccuracy).toBe(trained.testAccuracy);
  });

  const bad: [string, string[], RegExp][] = [
    ['a negative epoch count', ['train', '--arch', archFile, '--epochs', '-1'], /--epochs must be a positive integer, got "-1"/],
    ['an unknown space', ['train', '--arch', archFile, '--space', 'nope'], /unknown space "nope"/],
    ['a missing architecture file', ['train', '--arch', join(dir, 'missing.json')], /cannot read architecture .*missing\.json/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a missing checkpoint', ['eval', '--checkpoint', join(dir, 'none.pb')], /none\.pb/],
  ];
  for (const [what, args, message] of bad) {
    it(`fails with one line on ${what}`, () => {
      const r = prunas(...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('fails with one line naming the field of a bad architecture', () => {
    const file = join(dir, 'bad-arch.json');
    writeFileSync(file, JSON.stringify({ space: 'proxyless-small', choices: { s1b1: 'mbconv_k9_e6' } }));
    const r = prunas('train', '--arch', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/s1b1/);
  });
});
