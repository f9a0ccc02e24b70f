// Search spaces: validation messages, the built-ins' exact shapes, architectures.
import { describe, expect, it } from 'vitest';
import { PrunasRangeError, PrunasTypeError } from '../src/errors.js';
import {
  architectureFromIndices,
  architectureIndices,
  architectureOps,
  defineSpace,
  layersOf,
  opKey,
  proxylessCandidates,
  proxylessCifar,
  proxylessMobile,
  proxylessSmall,
  roundWidth,
  searchableLayers,
  validateArchitecture,
  validateSpace,
  type SearchSpace,
} from '../src/space/index.js';

/** A small valid space; tests break one field at a time. */
function custom() {
  const mb = (kernel: number, expand: number, stride: number, out: number) => ({ kind: 'mbconv', kernel, expand, stride, out });
  return {
    name: 'custom',
    input: { height: 28, width: 28, channels: 1 },
    classes: 10,
    stem: { kernel: 3, stride: 1, out: 8 },
    stages: [
      { name: 'a', layers: [{ name: 'a1', op: { kind: 'conv', kernel: 3, stride: 2, out: 16 } }] },
      {
        name: 'b',
        layers: [
          { name: 'b1', candidates: [mb(3, 3, 1, 16), mb(5, 6, 1, 16), { kind: 'zero' }] },
          { name: 'b2', candidates: [mb(3, 3, 2, 24), mb(5, 3, 2, 24)] },
          { name: 'b3', candidates: [mb(3, 3, 1, 24), mb(7, 6, 1, 24), { kind: 'zero' }] },
        ],
      },
    ],
    head: { out: 64 },
  } as { [key: string]: any };
}

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('validateSpace', () => {
  it('accepts a valid space, fills defaults and freezes the result', () => {
    const space = validateSpace(custom());
    expect(space.stem.act).toBe('relu6');
    expect(layersOf(space).map((l) => [l.name, l.searchable, l.candidates.length])).toEqual([
      ['a1', false, 1],
      ['b1', true, 3],
      ['b2', true, 2],
      ['b3', true, 3],
    ]);
    expect(Object.isFrozen(space) && Object.isFrozen(space.stages[1].layers[0])).toBe(true);
    expect(validateSpace(JSON.parse(JSON.stringify(space)))).toEqual(space);
  });

  it('names the field path and the bad value', () => {
    const spec = custom();
    spec.stages[1].layers[2].candidates[0].kernel = 4;
    const e = thrown(() => validateSpace(spec));
    expect(e).toBeInstanceOf(PrunasRangeError);
    expect(e.code).toBe('ERR_PRUNAS_OUT_OF_RANGE');
    expect(e.message).toBe('search space custom: stages[1].layers[2].candidates[0].kernel must be an odd integer in [1, 7], got 4');
  });

  it('tells a wrong type (PrunasTypeError) from a bad number (PrunasRangeError)', () => {
    const e = thrown(() => validateSpace({ ...custom(), classes: 'ten' }));
    expect(e).toBeInstanceOf(PrunasTypeError);
    expect(e.message).toMatch(/classes must be an integer in \[1, 2147483647\], got "ten"/);
    expect(thrown(() => validateSpace({ ...custom(), input: { height: 28, width: Number.NaN, channels: 1 } }))).toBeInstanceOf(PrunasRangeError);
    expect(thrown(() => validateSpace({ ...custom(), input: { height: 28, width: 28, channels: 0 } })).message).toMatch(/input\.channels must be an integer .*, got 0/);
    expect(thrown(() => validateSpace(7)).message).toMatch(/\(the value itself\) must be an object, got 7/);
  });

  it('rejects unknown fields, unknown ops and bad strides, expansions and activations', () => {
    const typo = custom();
    typo.stages[1].layers[0].candidates[0].expnad = 6;
    expect(thrown(() => validateSpace(typo)).message).toMatch(/stages\[1\]\.layers\[0\]\.candidates\[0\] has unknown field expnad/);
    const kind = custom();
    kind.stages[1].layers[0].candidates[1].kind = 'transformer';
    expect(thrown(() => validateSpace(kind)).message).toMatch(/stages\[1\]\.layers\[0\]\.candidates\[1\] kind must be one of mbconv, conv, zero, prunode, got "transformer"/);
    const stride = custom();
    stride.stem.stride = 3;
    expect(thrown(() => validateSpace(stride)).message).toMatch(/stem\.stride must be 1 or 2, got 3/);
    const expand = custom();
    expand.stages[1].layers[1].candidates[1].expand = 0;
    expect(thrown(() => validateSpace(expand)).message).toMatch(/stages\[1\]\.layers\[1\]\.candidates\[1\]\.expand must be an integer in \[1, 64\], got 0/);
    const act = custom();
    act.head.act = 'gelu';
    expect(thrown(() => validateSpace(act)).message).toMatch(/head\.act must be one of relu6, hswish, relu, got "gelu"/);
  });

  it('explains layers that are neither fixed nor searchable', () => {
    const both = custom();
    both.stages[0].layers[0].candidates = [];
    expect(thrown(() => validateSpace(both)).message).toMatch(/stages\[0\]\.layers\[0\] must be a fixed layer \{ name, op \} or a searchable layer \{ name, candidates \}/);
    const one = custom();
    one.stages[1].layers[1].candidates.pop();
    expect(thrown(() => validateSpace(one)).message).toMatch(/stages\[1\]\.layers\[1\]\.candidates must list at least 2 ops \(write a fixed layer as \{ name, op \}\)/);
    const fixedZero = custom();
    fixedZero.stages[0].layers[0].op = { kind: 'zero' };
    expect(thrown(() => validateSpace(fixedZero)).message).toMatch(/stages\[0\]\.layers\[0\]\.op kind must be mbconv or conv \(a fixed layer cannot be zero\)/);
    const deep = custom();
    deep.stages[1].layers[0].candidates[1].out = -1;
    expect(thrown(() => validateSpace(deep)).message).toMatch(/stages\[1\]\.layers\[0\]\.candidates\[1\]\.out must be an integer/);
  });

  it('allows zero only where a residual exists', () => {
    const spec = custom();
    spec.stages[1].layers[1].candidates.push({ kind: 'zero' });
    expect(thrown(() => validateSpace(spec)).message).toMatch(
      /stages\[1\]\.layers\[1\]\.candidates\[2\] zero needs a residual \(stride 1 and as many channels out as in\), but the layer has stride 2 and 16 → 24 channels/,
    );
    const width = custom();
    width.stages[1].layers[0].candidates = [
      { kind: 'mbconv', kernel: 3, expand: 3, stride: 1, out: 32 },
      { kind: 'zero' },
    ];
    expect(thrown(() => validateSpace(width)).message).toMatch(/candidates\[1\] zero needs a residual .* stride 1 and 16 → 32 channels/);
  });

  it('requires the candidates of a layer to share stride and width, and to differ', () => {
    const s = custom();
    s.stages[1].layers[1].candidates[1].stride = 1;
    expect(thrown(() => validateSpace(s)).message).toMatch(/stages\[1\]\.layers\[1\]\.candidates\[1\]\.stride must equal candidates\[0\]\.stride \(2\).*got 1/);
    const w = custom();
    w.stages[1].layers[1].candidates[1].out = 32;
    expect(thrown(() => validateSpace(w)).message).toMatch(/candidates\[1\]\.out must equal candidates\[0\]\.out \(24\).*got 32/);
    const dup = custom();
    dup.stages[1].layers[1].candidates[1].kernel = 3;
    expect(thrown(() => validateSpace(dup)).message).toMatch(/stages\[1\]\.layers\[1\]\.candidates\[1\] repeats candidates\[0\] \(mbconv_k3_e3\)/);
    const zeros = custom();
    zeros.stages[1].layers[0].candidates = [{ kind: 'zero' }, { kind: 'zero' }];
    expect(thrown(() => validateSpace(zeros)).message).toMatch(/stages\[1\]\.layers\[0\]\.candidates must hold at least one op other than zero/);
  });

  it('requires unique names and feature maps that survive every stride', () => {
    const names = custom();
    names.stages[1].layers[2].name = 'b1';
    expect(thrown(() => validateSpace(names)).message).toMatch(/stages\[1\]\.layers\[2\]\.name "b1" is already the name of stages\[1\]\.layers\[0\]/);
    const stages = custom();
    stages.stages[1].name = 'a';
    expect(thrown(() => validateSpace(stages)).message).toMatch(/stages\[1\]\.name "a" is already the name of stages\[0\]/);
    const tiny = custom();
    tiny.input = { height: 2, width: 2, channels: 1 };
    expect(thrown(() => validateSpace(tiny)).message).toMatch(/stages\[1\]\.layers\[1\]\.stride is 2 on a 1×1 feature map/);
    const badName = custom();
    badName.stages[0].layers[0].name = 'a b';
    expect(thrown(() => validateSpace(badName)).message).toMatch(/stages\[0\]\.layers\[0\]\.name must be 1 to 64 letters, digits, _ \. or -, got "a b"/);
  });

  it('reports several problems in one message', () => {
    const spec = custom();
    spec.classes = 0;
    spec.stem.kernel = 2;
    const message = thrown(() => validateSpace(spec)).message;
    expect(message).toMatch(/classes must be .*; stem\.kernel must be an odd integer/);
  });

  it('defineSpace is validateSpace for specs written in TypeScript', () => {
    const space = defineSpace({
      name: 'plain',
      input: { height: 8, width: 8, channels: 3 },
      classes: 2,
      stem: { kernel: 3, stride: 1, out: 8 },
      stages: [{ name: 's', layers: [{ name: 'c1', op: { kind: 'conv', kernel: 3, stride: 2, out: 16, act: 'hswish' } }] }],
    });
    expect(space.head).toBeUndefined();
    expect(opKey(layersOf(space)[0].candidates[0])).toBe('conv_k3_hswish');
    expect(layersOf(space)[0].output).toEqual({ height: 4, width: 4, channels: 16 });
  });
});

describe('proxylessMobile', () => {
  const space = proxylessMobile();
  const mixed = searchableLayers(space);

  it('is ProxylessNAS’s space: 21 mixed layers, 6 candidates on a stage’s first block and 7 elsewhere', () => {
    expect(space.name).toBe('proxyless-mobile');
    expect(space.input).toEqual({ height: 224, width: 224, channels: 3 });
    expect(space.stem).toEqual({ kernel: 3, stride: 2, out: 32, act: 'relu6' });
    expect(space.head).toEqual({ out: 1280, act: 'relu6' });
    expect(space.classes).toBe(1000);
    expect(mixed.length).toBe(21);
    expect(mixed.map((l) => l.candidates.length)).toEqual([6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6]);
    expect(mixed.map((l) => l.out)).toEqual([24, 24, 24, 24, 40, 40, 40, 40, 80, 80, 80, 80, 96, 96, 96, 96, 192, 192, 192, 192, 320]);
    expect(mixed.map((l) => l.stride)).toEqual([2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(mixed.every((l) => l.residual === (l.candidates.length === 7))).toBe(true);
  });

  it('has a fixed MBConv(3, 1) → 16 after the stem, and the right feature maps', () => {
    const [first] = layersOf(space);
    expect([first.name, first.searchable, first.candidates[0]]).toEqual(['first', false, { kind: 'mbconv', kernel: 3, expand: 1, stride: 1, out: 16, act: 'relu6' }]);
    expect(first.input).toEqual({ height: 112, width: 112, channels: 32 });
    const firstOfStage = mixed.filter((l, i) => i % 4 === 0).map((l) => `${l.input.height}→${l.output.height}`);
    expect(firstOfStage).toEqual(['112→56', '56→28', '28→14', '14→14', '14→7', '7→7']);
    expect(layersOf(space).at(-1)?.output).toEqual({ height: 7, width: 7, channels: 320 });
  });

  it('lists candidates k-major as the reference does, zero last, with stable keys', () => {
    expect(mixed[0].keys).toEqual(['mbconv_k3_e3', 'mbconv_k3_e6', 'mbconv_k5_e3', 'mbconv_k5_e6', 'mbconv_k7_e3', 'mbconv_k7_e6']);
    expect(mixed[1].keys).toEqual([...mixed[0].keys, 'zero']);
    expect(proxylessCandidates(2, 24, false).map(opKey)).toEqual(mixed[0].keys);
  });

  it('rounds widths × multiplier to multiples of 8 (make_divisible); the head only grows', () => {
    const widths = (s: SearchSpace) => [s.stem.out, layersOf(s)[0].out, ...new Set(searchableLayers(s).map((l) => l.out)), s.head?.out];
    expect(widths(proxylessMobile({ widthMult: 1.4 }))).toEqual([48, 24, 32, 56, 112, 136, 272, 448, 1792]);
    expect(widths(proxylessMobile({ widthMult: 0.5 }))).toEqual([16, 8, 16, 24, 40, 48, 96, 160, 1280]);
    expect([roundWidth(10), roundWidth(3), roundWidth(12), roundWidth(33.6), roundWidth(134.4), roundWidth(1.5, 8)]).toEqual([16, 8, 16, 32, 136, 8]);
    // the 10% rule: 0.75·88 = 66 → 64 would drop 3%, kept; 0.35·32 = 11.2 → 8 would drop 29%, so 16
    expect([roundWidth(66), roundWidth(11.2)]).toEqual([64, 16]);
  });

  it('takes resolution, classes and channels; rejects bad and unknown options', () => {
    const s = proxylessMobile({ resolution: 192, classes: 100, channels: 1 });
    expect(layersOf(s).at(-1)?.output.height).toBe(6);
    expect([s.classes, s.input.channels]).toEqual([100, 1]);
    expect(() => proxylessMobile({ widthMult: Number.NaN })).toThrow(/proxylessMobile: widthMult must be a finite number in \[0.1, 4\], got NaN/);
    expect(() => proxylessMobile({ classes: 0 })).toThrow(PrunasRangeError);
    expect(() => proxylessMobile({ widthMul: 1.4 } as never)).toThrow(/proxylessMobile: unknown option widthMul/);
    expect(() => proxylessMobile(null as never)).toThrow(PrunasTypeError);
  });
});

describe('proxylessCifar and proxylessSmall', () => {
  it('proxyless-cifar: 32² × 3, stem stride 1, 12 mixed layers, last map 4×4', () => {
    const s = proxylessCifar();
    expect([s.input, s.classes, s.stem.stride, s.head?.out]).toEqual([{ height: 32, width: 32, channels: 3 }, 10, 1, 1280]);
    const mixed = searchableLayers(s);
    expect(mixed.length).toBe(12);
    expect(mixed.map((l) => `${l.input.height}:${l.out}`)).toEqual(['32:24', '16:24', '16:40', '8:40', '8:40', '8:80', '8:80', '8:80', '8:96', '8:96', '8:192', '4:192']);
    expect(mixed.map((l) => l.candidates.length)).toEqual([6, 7, 6, 7, 7, 6, 7, 7, 6, 7, 6, 7]);
    expect(layersOf(s).at(-1)?.output).toEqual({ height: 4, width: 4, channels: 192 });
  });

  it('proxyless-small: 28² × 1, stem 3×3 s1 → 16, 8 mixed layers, last map 4×4', () => {
    const s = proxylessSmall();
    expect([s.input, s.classes, s.stem, s.head?.out]).toEqual([{ height: 28, width: 28, channels: 1 }, 10, { kernel: 3, stride: 1, out: 16, act: 'relu6' }, 256]);
    const mixed = searchableLayers(s);
    expect(mixed.map((l) => `${l.input.height}→${l.output.height}:${l.out}`)).toEqual(['28→14:24', '14→14:24', '14→14:24', '14→7:32', '7→7:32', '7→7:32', '7→4:64', '4→4:64']);
    expect(mixed.map((l) => l.candidates.length)).toEqual([6, 7, 7, 6, 7, 7, 6, 7]);
    expect(layersOf(s)[0].residual).toBe(true);
  });
});

describe('architectures', () => {
  const space = proxylessSmall();

  it('round-trip through JSON with layer names and op keys', () => {
    const arch = architectureFromIndices(space, [0, 6, 3, 5, 6, 1, 2, 6]);
    expect(arch.space).toBe('proxyless-small');
    expect(arch.choices.s1b2).toBe('zero');
    expect(arch.choices.s1b1).toBe('mbconv_k3_e3');
    const back = validateArchitecture(space, JSON.parse(JSON.stringify(arch)));
    expect(back).toEqual(arch);
    expect(architectureIndices(space, back)).toEqual([0, 6, 3, 5, 6, 1, 2, 6]);
    const ops = architectureOps(space, back);
    expect(ops.length).toBe(layersOf(space).length);
    expect(ops.map((op) => opKey(op))).toEqual(['mbconv_k3_e1', 'mbconv_k3_e3', 'zero', 'mbconv_k5_e6', 'mbconv_k7_e6', 'zero', 'mbconv_k3_e6', 'mbconv_k5_e3', 'zero']);
  });

  it('name what is wrong with an architecture', () => {
    const arch = architectureFromIndices(space, [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => validateArchitecture(space, { ...arch, space: 'proxyless-mobile' })).toThrow(/space must be "proxyless-small", the space it is applied to, got "proxyless-mobile"/);
    const { s2b1: _, ...missing } = arch.choices;
    expect(() => validateArchitecture(space, { ...arch, choices: missing })).toThrow(/choices\.s2b1 is missing/);
    expect(() => validateArchitecture(space, { ...arch, choices: { ...arch.choices, extra: 'zero' } })).toThrow(/choices\.extra names no searchable layer/);
    expect(() => validateArchitecture(space, { ...arch, choices: { ...arch.choices, s1b1: 'zero' } })).toThrow(
      /choices\.s1b1 must be one of mbconv_k3_e3, mbconv_k3_e6, mbconv_k5_e3, mbconv_k5_e6, mbconv_k7_e3, mbconv_k7_e6, got "zero"/,
    );
    expect(() => validateArchitecture(space, { ...arch, choices: { ...arch.choices, s1b1: 3 } })).toThrow(PrunasTypeError);
    expect(() => validateArchitecture(space, { ...arch, extra: 1 })).toThrow(/has unknown field extra/);
    expect(() => architectureFromIndices(space, [0, 0, 0, 0, 0, 0, 0, 7])).toThrow(/indices\[7\] \(layer s3b2\) must be an integer in \[0, 6\], got 7/);
    expect(() => architectureFromIndices(space, [0])).toThrow(/one index per searchable layer of proxyless-small \(8\), got 1/);
  });
});
