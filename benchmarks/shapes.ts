// Layer shapes of a MobileNetV2-style network, for kernel benchmarks.
// MobileNetV2 (t, c, n, s) table; the CIFAR/Fashion-MNIST-sized variants keep
// the widths, start at stride 1 and stop after the 96-channel stage.

export type LayerShape =
  | { kind: 'conv'; name: string; n: number; h: number; w: number; cin: number; cout: number; k: number; s: number }
  | { kind: 'depthwise'; name: string; n: number; h: number; w: number; c: number; k: number; s: number }
  | { kind: 'pointwise'; name: string; n: number; h: number; w: number; cin: number; cout: number }
  | { kind: 'linear'; name: string; rows: number; in: number; out: number };

const TABLE: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

interface NetOptions {
  label: string;
  batch: number;
  resolution: number;
  channels: number;
  stemStride: number;
  /** stages of TABLE to use */
  stages: number;
  /** stride of the first stages replaced by 1 (small inputs) */
  strideOneStages: number;
  head?: number;
  classes: number;
}

export function mobilenetV2Layers(o: NetOptions): LayerShape[] {
  const layers: LayerShape[] = [];
  const seen = new Set<string>();
  const add = (l: LayerShape) => {
    const { name, ...key } = l;
    const k = JSON.stringify(key);
    if (!seen.has(k)) {
      seen.add(k);
      layers.push(l);
    }
  };
  let h = Math.floor((o.resolution + 2 - 3) / o.stemStride) + 1;
  add({ kind: 'conv', name: `${o.label} stem 3×3 s${o.stemStride}`, n: o.batch, h: o.resolution, w: o.resolution, cin: o.channels, cout: 32, k: 3, s: o.stemStride });
  let cin = 32;
  TABLE.slice(0, o.stages).forEach(([t, c, n, s], stage) => {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 && stage >= o.strideOneStages ? s : 1;
      const mid = cin * t;
      if (t !== 1) add({ kind: 'pointwise', name: `${o.label} expand ${cin}→${mid} @${h}`, n: o.batch, h, w: h, cin, cout: mid });
      add({ kind: 'depthwise', name: `${o.label} dw 3×3 s${stride} ${mid} @${h}`, n: o.batch, h, w: h, c: mid, k: 3, s: stride });
      const ho = Math.floor((h + 2 - 3) / stride) + 1;
      add({ kind: 'pointwise', name: `${o.label} project ${mid}→${c} @${ho}`, n: o.batch, h: ho, w: ho, cin: mid, cout: c });
      h = ho;
      cin = c;
    }
  });
  // the search space's larger depthwise kernels at one representative shape
  add({ kind: 'depthwise', name: `${o.label} dw 5×5 s1 ${cin * 6} @${h}`, n: o.batch, h, w: h, c: cin * 6, k: 5, s: 1 });
  add({ kind: 'depthwise', name: `${o.label} dw 7×7 s1 ${cin * 6} @${h}`, n: o.batch, h, w: h, c: cin * 6, k: 7, s: 1 });
  const last = o.head ?? cin;
  if (o.head) add({ kind: 'pointwise', name: `${o.label} head ${cin}→${o.head} @${h}`, n: o.batch, h, w: h, cin, cout: o.head });
  add({ kind: 'linear', name: `${o.label} classifier ${last}→${o.classes}`, rows: o.batch, in: last, out: o.classes });
  return layers;
}

export const SHAPE_SETS = {
  imagenet224: () => mobilenetV2Layers({ label: '224²×1', batch: 1, resolution: 224, channels: 3, stemStride: 2, stages: 7, strideOneStages: 0, head: 1280, classes: 1000 }),
  cifar32: () => mobilenetV2Layers({ label: '32²×64', batch: 64, resolution: 32, channels: 3, stemStride: 1, stages: 5, strideOneStages: 1, classes: 10 }),
  fashion28: () => mobilenetV2Layers({ label: '28²×64', batch: 64, resolution: 28, channels: 1, stemStride: 1, stages: 4, strideOneStages: 1, classes: 10 }),
};

export function layerMacs(l: LayerShape): number {
  switch (l.kind) {
    case 'conv': {
      const ho = Math.floor((l.h + 2 * (l.k >> 1) - l.k) / l.s) + 1;
      return l.n * ho * ho * l.k * l.k * l.cin * l.cout;
    }
    case 'depthwise': {
      const ho = Math.floor((l.h + 2 * (l.k >> 1) - l.k) / l.s) + 1;
      return l.n * ho * ho * l.k * l.k * l.c;
    }
    case 'pointwise':
      return l.n * l.h * l.w * l.cin * l.cout;
    case 'linear':
      return l.rows * l.in * l.out;
  }
}

/** The tensor shape of a layer as text: NHWC input → output channels, kernel and stride. */
export function shapeOf(l: LayerShape): string {
  switch (l.kind) {
    case 'conv':
      return `${l.n}×${l.h}×${l.w}×${l.cin}→${l.cout} k${l.k} s${l.s}`;
    case 'depthwise':
      return `${l.n}×${l.h}×${l.w}×${l.c} k${l.k} s${l.s}`;
    case 'pointwise':
      return `${l.n}×${l.h}×${l.w}×${l.cin}→${l.cout}`;
    case 'linear':
      return `${l.rows}×${l.in}→${l.out}`;
  }
}
