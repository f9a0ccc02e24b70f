// Batches assembled on the GPU from a dataset resident there, against
// Dataset.batch on the CPU (whose crops, flips and normalisation
// test/dataset.test.ts checks): the same Philox draws per sample, so the
// same crop offsets and flips, and the same two roundings of v·scale + shift.
// The values must be bit-identical where the host build does not fuse that
// multiply-add into an FMA (x86-64: dataset.cc is built without -mfma), and
// within 1 ulp elsewhere. Then a supernet step on the GPU from a native
// dataset against the same step on the CPU (loss and logits within 1e-4
// relative, as test/gpu/supernet.test.ts argues) and against the GPU step
// from the host-assembled arrays (bit for bit where the batches are).
//
// `emulate` runs the kernel's own per-sample and per-element functions on
// the host: it checks the draw and index logic in every CUDA build, with or
// without a device. Without a GPU the device parts skip with a printed
// reason; PRUNAS_GPU_TEST_DEVICE=cpu runs the supernet part CPU against CPU.
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../src/data/dataset.js';
import type { PlanMBConv, SupernetPlan } from '../../src/engine/plan.js';
import { Supernet } from '../../src/engine/supernet.js';
import { datasetBatch, gpuInfo, gpuMemoryStats } from '../../src/gpu/kernels.js';
import { native } from '../../src/native.js';
import { TestRandom } from '../helpers/random.js';
import { announceSkip, noGpu, relativeError } from './gpu-skip.js';

const DEVICE = process.env.PRUNAS_GPU_TEST_DEVICE ?? 'cuda:0';
if (DEVICE !== 'cpu') announceSkip('test/gpu/dataset.test.ts');
const noKernel = typeof native.cudaFillBatch !== 'function';
if (noKernel) console.warn(`[gpu tests] test/gpu/dataset.test.ts emulation skipped: ${gpuInfo().reason ?? 'no cudaFillBatch in this addon'}`);
const BIT_EXACT = process.arch === 'x64';

function randomSet(count: number, height: number, width: number, channels: number, classes: number, seed: number): Dataset {
  const rng = new TestRandom(seed);
  const images = new Uint8Array(count * height * width * channels).map(() => rng.int(0, 255));
  const labels = Int32Array.from({ length: count }, () => rng.int(0, classes - 1));
  const mean = Array.from({ length: channels }, (_, c) => 0.3 + 0.1 * c);
  const std = Array.from({ length: channels }, (_, c) => 0.2 + 0.05 * c);
  return new Dataset({ images, labels, height, width, channels, classes }, { mean, std });
}

/** Distance in units in the last place between two float32 values of one sign (Infinity across signs or NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  if (a === b) return 0;
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  if ((i[0] < 0) !== (i[1] < 0)) return Infinity;
  return Math.abs(i[0] - i[1]);
}

function maxUlps(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, ulps(a[k], b[k]));
  return worst;
}

// Settings that reach every branch: no augmentation, crop only, flip only,
// both, a pad as large as the image, counters and seeds above 2^32 (both
// halves of Philox's 64-bit counter and key), repeated indices.
const SETTINGS = [
  { pad: 0, hflip: false, seed: 1, counter: 0 },
  { pad: 2, hflip: false, seed: 7, counter: 3 },
  { pad: 0, hflip: true, seed: 11, counter: 40 },
  { pad: 4, hflip: true, seed: 2 ** 40 + 5, counter: 2 ** 33 + 17 },
  { pad: 6, hflip: true, seed: 123456789, counter: 2 ** 32 - 3 },
];
// (height, width, channels): a grey non-square image and an RGB one
const SHAPES: [number, number, number][] = [
  [6, 9, 1],
  [8, 8, 3],
];

function indicesFor(size: number, n: number, seed: number): Int32Array {
  const rng = new TestRandom(seed);
  const out = Int32Array.from({ length: n }, () => rng.int(0, size - 1));
  out[n - 1] = out[0];  // a repeated sample draws its own augmentation
  return out;
}

function compareWithCpu(emulate: boolean): void {
  for (const [h, w, c] of SHAPES) {
    const ds = randomSet(40, h, w, c, 5, 100 * h + c);
    try {
      const indices = indicesFor(ds.size, 33, h * w);
      for (const s of SETTINGS) {
        const cpu = ds.batch(indices, s);
        const gpu = datasetBatch(ds, indices, { ...s, emulate });
        expect(Array.from(gpu.y)).toEqual(Array.from(cpu.y));
        const worst = maxUlps(gpu.x, cpu.x);
        expect(worst, `${h}×${w}×${c} ${JSON.stringify(s)}: ${worst} ulps`).toBeLessThanOrEqual(BIT_EXACT ? 0 : 1);
      }
      // the settings augment for real: crops and flips change the batch
      const plain = ds.batch(indices, SETTINGS[0]).x;
      expect(maxUlps(ds.batch(indices, SETTINGS[1]).x, plain)).toBeGreaterThan(0);
      expect(maxUlps(ds.batch(indices, SETTINGS[2]).x, plain)).toBeGreaterThan(0);
    } finally {
      ds.dispose();
    }
  }
}

describe.skipIf(noKernel)('batch assembly emulated on the host (the kernel\'s functions)', () => {
  it('equals Dataset.batch for every augmentation setting', () => compareWithCpu(true));

  it('names a bad index', () => {
    const ds = randomSet(4, 3, 3, 1, 2, 1);
    expect(() => datasetBatch(ds, new Int32Array([0, 4]), { seed: 1, emulate: true })).toThrow(/indices\[1\] = 4 is outside \[0, 4\)/);
    ds.dispose();
  });
});

describe.skipIf(DEVICE === 'cpu' || noGpu)('batch assembly on the device', () => {
  it('equals Dataset.batch for every augmentation setting', () => compareWithCpu(false));

  it('uploads the dataset once, keeps it for later batches and frees it with the dataset', () => {
    // the allocator's classes below 1 MiB; exact sizes on the emulated device
    const sizeClass = (bytes: number) => (gpuInfo().emulated ? bytes : Math.ceil(bytes / 512) * 512);
    const ds = randomSet(50, 10, 12, 3, 4, 9);
    const indices = indicesFor(ds.size, 16, 3);
    const before = gpuMemoryStats();
    const first = datasetBatch(ds, indices, { pad: 2, hflip: true, seed: 5 });
    const afterFirst = gpuMemoryStats();
    expect(afterFirst.inUse - before.inUse).toBe(sizeClass(50 * 10 * 12 * 3) + sizeClass(50 * 4));
    const second = datasetBatch(ds, indices, { pad: 2, hflip: true, seed: 5 });
    const afterSecond = gpuMemoryStats();
    expect(afterSecond.inUse).toBe(afterFirst.inUse);
    expect(afterSecond.driverAllocations).toBe(afterFirst.driverAllocations);  // the batch's buffers come from the cache
    expect(Buffer.compare(Buffer.from(second.x.buffer), Buffer.from(first.x.buffer))).toBe(0);
    ds.dispose();
    expect(gpuMemoryStats().inUse).toBe(before.inUse);
  });
});

// ---- a supernet step from a native dataset ----

const mb = (kernel: number, expand: number, stride: 1 | 2, out: number): PlanMBConv => ({ kind: 'mbconv', kernel, expand, stride, out, act: 'relu6' });
const PLAN: SupernetPlan = {
  input: { height: 12, width: 12, channels: 3 },
  classes: 4,
  stem: { kernel: 3, stride: 1, out: 8 },
  layers: [
    { name: 'l0', candidates: [mb(3, 3, 1, 8), mb(5, 1, 1, 8), { kind: 'zero' }] },
    { name: 'l1', candidates: [mb(3, 3, 2, 16), mb(5, 6, 2, 16)] },
  ],
  head: { out: 24 },
};
const TOL = 1e-4;

describe.skipIf(DEVICE !== 'cpu' && noGpu)(`a supernet step on ${DEVICE} from a native dataset`, () => {
  const ds = randomSet(30, 12, 12, 3, 4, 77);
  afterAll(() => ds.dispose());
  const indices = indicesFor(ds.size, 16, 8);
  const augment = { pad: 3, hflip: true, seed: 2 ** 36 + 9, counter: 1000 };

  function twins(): { cpu: Supernet; gpu: Supernet } {
    const cpu = new Supernet(PLAN, 21);
    const gpu = new Supernet(PLAN, 22, { device: DEVICE });
    gpu.loadState(cpu.saveState());
    return { cpu, gpu };
  }

  it('trains as the CPU does, and as the GPU does from the host-assembled batch', () => {
    const { cpu, gpu } = twins();
    const fromArrays = new Supernet(PLAN, 23, { device: DEVICE });
    fromArrays.loadState(cpu.saveState());
    try {
      const step = { mode: 'single' as const, choices: [1, 0], lr: 0.05 };
      const samples = { dataset: ds, indices, augment };
      for (let s = 0; s < 2; s++) {
        const a = { ...samples, augment: { ...augment, counter: augment.counter + 16 * s } };
        const onCpu = cpu.weightStepSync({ ...step, samples: a });
        const onGpu = gpu.weightStepSync({ ...step, samples: a });
        const arrays = fromArrays.weightStepSync({ ...step, samples: ds.batch(indices, a.augment) });
        expect(Math.abs(onGpu.loss - onCpu.loss) / Math.abs(onCpu.loss), `step ${s}`).toBeLessThanOrEqual(TOL);
        if (BIT_EXACT) expect(onGpu.loss).toBe(arrays.loss);
        else expect(Math.abs(onGpu.loss - arrays.loss) / Math.abs(arrays.loss)).toBeLessThanOrEqual(TOL);
      }
    } finally {
      cpu.dispose();
      gpu.dispose();
      fromArrays.dispose();
    }
  });

  it('evaluates in chunks (each chunk draws from counter + its offset) as the CPU does', () => {
    const { cpu, gpu } = twins();
    try {
      const logitsCpu = new Float32Array(indices.length * PLAN.classes);
      const logitsGpu = new Float32Array(indices.length * PLAN.classes);
      const samples = { dataset: ds, indices, augment };
      const onCpu = cpu.evaluateSync({ samples, choices: [0, 1], batchSize: 5, logits: logitsCpu });
      const onGpu = gpu.evaluateSync({ samples, choices: [0, 1], batchSize: 5, logits: logitsGpu });
      expect(relativeError(logitsGpu, logitsCpu)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(onGpu.loss - onCpu.loss) / Math.abs(onCpu.loss)).toBeLessThanOrEqual(TOL);
      expect(onGpu.count).toBe(indices.length);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });
});
