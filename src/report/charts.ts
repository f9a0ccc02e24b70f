// The report's charts: vega-lite specs built from a run's events, rendered
// to SVG strings in Node (vega's headless view; no canvas, no browser).
// Long runs are thinned before plotting so a page stays a few megabytes:
// step curves are averaged over equal windows, distribution snapshots are
// sampled evenly (first and last kept).
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { layersOf } from '../space/shapes.js';
import type { SearchSpace } from '../space/spec.js';
import type { EventOf } from './run.js';

export const MAX_POINTS_PER_CURVE = 500;
export const MAX_DISTRIBUTION_SNAPSHOTS = 150;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Probability of each candidate over steps, one small multiple per searchable layer. */
export function distributionChart(events: EventOf<'distribution'>[], space: SearchSpace | undefined): TopLevelSpec | undefined {
  const layers = space ? layersOf(space) : undefined;
  const values = evenly(events, MAX_DISTRIBUTION_SNAPSHOTS).flatMap((e) =>
    e.probabilities.flatMap((row, i) =>
      row.length < 2 ? [] : row.map((p, j) => ({ layer: layers?.[i]?.name ?? `layer ${i}`, order: i, candidate: layers?.[i]?.keys[j] ?? `candidate ${j}`, step: e.step, p })),
    ),
  );
  if (values.length === 0) return undefined;
  return {
    data: { values },
    facet: { field: 'layer', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } },
    columns: 4,
    spec: {
      width: 170,
      height: 100,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } },
        y: { field: 'p', type: 'quantitative', title: 'probability', scale: { domain: [0, 1] } },
        color: { field: 'candidate', type: 'nominal', title: 'candidate' },
      },
    },
  };
}

/** Loss or accuracy of the step events, one line per phase. */
export function stepChart(events: EventOf<'step'>[], metric: 'loss' | 'accuracy'): TopLevelSpec | undefined {
  const phases = [...new Set(events.map((e) => e.phase))];
  const values = phases.flatMap((phase) =>
    windowMeans(
      events.filter((e) => e.phase === phase && e[metric] !== null).map((e) => [e.step, e[metric] as number] as const),
      MAX_POINTS_PER_CURVE,
    ).map(([step, value]) => ({ phase, step, value })),
  );
  if (values.length === 0) return undefined;
  return lineChart(values, 'step', metric, 'phase');
}

/** The numeric fields of epoch events whose name matches (loss or accuracy), one line per field. */
export function epochChart(events: EventOf<'epoch'>[], metric: 'loss' | 'accuracy'): TopLevelSpec | undefined {
  const pattern = metric === 'loss' ? /loss/i : /acc/i;
  const values = events.flatMap((e) =>
    Object.entries(e)
      .filter(([key, value]) => pattern.test(key) && typeof value === 'number' && Number.isFinite(value))
      .map(([series, value]) => ({ epoch: e.epoch, value: value as number, series })),
  );
  if (values.length === 0) return undefined;
  return lineChart(values, 'epoch', metric, 'series');
}

/** Cost against accuracy of every evaluated architecture, the chosen one drawn as a red diamond. */
export function costAccuracyChart(points: { cost: number; accuracy: number; step: number; chosen: boolean }[], unit: string): TopLevelSpec | undefined {
  if (points.length === 0) return undefined;
  const x = { field: 'cost', type: 'quantitative', title: `cost (${unit})`, scale: { zero: false } } as const;
  const y = { field: 'accuracy', type: 'quantitative', title: 'validation accuracy', axis: { format: '%' }, scale: { zero: false } } as const;
  return {
    data: { values: points },
    width: 520,
    height: 340,
    layer: [
      { mark: { type: 'point', filled: true, opacity: 0.75, size: 40 }, encoding: { x, y, color: { field: 'step', type: 'quantitative', title: 'step', scale: { scheme: 'viridis' } } } },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', shape: 'diamond', size: 240, filled: true, color: '#d62728', stroke: 'black', strokeWidth: 1 }, encoding: { x, y } },
    ],
  };
}

function lineChart(values: object[], x: string, metric: 'loss' | 'accuracy', series: string): TopLevelSpec {
  return {
    data: { values },
    width: 520,
    height: 260,
    mark: { type: 'line', strokeWidth: 1.5, point: values.length <= 60 },
    encoding: {
      x: { field: x, type: 'quantitative', title: x, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, ...(metric === 'accuracy' ? { axis: { format: '%' } } : { scale: { zero: false } }) },
      color: { field: series, type: 'nominal', title: series },
    },
  };
}

/** At most `max` items, evenly spaced, first and last included. */
export function evenly<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))]);
}

/** At most `max` points: consecutive windows of equal size, each replaced by its mean x and y. */
export function windowMeans(points: (readonly [number, number])[], max: number): [number, number][] {
  const size = Math.ceil(points.length / max);
  const out: [number, number][] = [];
  for (let start = 0; start < points.length; start += size) {
    const window = points.slice(start, start + size);
    out.push([mean(window.map((p) => p[0])), mean(window.map((p) => p[1]))]);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
