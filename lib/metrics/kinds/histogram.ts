import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { bucketIndex, checkBuckets, DEFAULT_MS_BUCKETS } from './buckets.js';
import { compileBase, compileLabeller, compileValue, finite } from './internals.js';
import {
  allCells,
  emptySeries,
  listSeries,
  mergeSeriesLists,
  updateSeries,
  type SeriesStore,
} from './series.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link histogram}.
 *
 * ## Example
 * ```ts
 * const options: HistogramOptions<SaveAttempt> = { name: 'save.ms', on: 'doc.save', value: 'durationMs' };
 * ```
 */
export interface HistogramOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The observed value; non-finite values are refused. */
  readonly value: ValueOption<A>;
  /**
   * Upper bounds (inclusive) of the buckets, strictly increasing; a last `+Inf` bucket is implicit.
   * @default DEFAULT_MS_BUCKETS
   */
  readonly buckets?: readonly number[];
}

/**
 * Histogram values: `counts[i]` counts values `v` with `bounds[i-1] < v <= bounds[i]`; the last entry
 * (index `bounds.length`) counts values above the last bound. `min`/`max` are `null` while empty.
 *
 * ## Example
 * ```ts
 * const h: HistogramValues = { count: 2, sum: 12, min: 4, max: 8, counts: [0, 0, 1, 1, 0] };
 * ```
 */
export type HistogramValues = {
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly counts: readonly number[];
};

/**
 * One labelled series of a histogram snapshot.
 *
 * ## Example
 * ```ts
 * const s: HistogramSeries = { labels: { route: '/a' }, count: 1, sum: 4, min: 4, max: 4, counts: [0, 1] };
 * ```
 */
export type HistogramSeries = { readonly labels: SeriesLabels } & HistogramValues;

/**
 * Snapshot dimensions of a {@link histogram}: the bounds, values over all series, and the series.
 *
 * ## Example
 * ```ts
 * // { bounds: [10, 100], count: 2, sum: 60, min: 5, max: 55, counts: [1, 1, 0], refused: 0, overflow: 0, series: [] }
 * ```
 */
export type HistogramDimensions = { readonly bounds: readonly number[] } & HistogramValues & {
    readonly refused: number;
    readonly overflow: number;
    readonly series: readonly HistogramSeries[];
  };

interface Cell {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly counts: readonly number[];
}

/**
 * State of a {@link histogram} (persistent).
 *
 * ## Example
 * ```ts
 * const s: HistogramState = saveMs.init();
 * ```
 */
export interface HistogramState {
  /** The unlabelled cell (`null` while empty or when labelled). */
  readonly cell: Cell | null;
  readonly refused: number;
  readonly series: SeriesStore<Cell> | null;
}

/** A {@link histogram} metric. */
export type HistogramMetric<A extends MetricEvent = MetricEvent> = Metric<
  A,
  HistogramState,
  HistogramDimensions
>;

const sumCounts = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x + (b[i] ?? 0));

function mergeValues<H extends HistogramValues>(a: H, b: H): H {
  const min = a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min);
  const max = a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max);
  return {
    ...a,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min,
    max,
    counts: sumCounts(a.counts, b.counts),
  };
}

/** Merges histogram dimensions exactly (same bounds required). @internal */
export function mergeHistogramDimensions(
  a: HistogramDimensions,
  b: HistogramDimensions,
): HistogramDimensions {
  if (a.bounds.length !== b.bounds.length || a.bounds.some((x, i) => x !== b.bounds[i])) {
    throw new RangeError('Expected histogram snapshots with the same `bounds`');
  }
  const merged = mergeValues(a, b);
  return {
    ...merged,
    bounds: [...a.bounds],
    refused: a.refused + b.refused,
    overflow: a.overflow + b.overflow,
    series: mergeSeriesLists(a.series, b.series, mergeValues),
  };
}

const values = (c: Cell): HistogramValues => ({
  count: c.count,
  sum: c.sum,
  min: c.min,
  max: c.max,
  counts: [...c.counts],
});

/**
 * An explicit-bucket histogram with count, sum, min and max, optionally per label set. Kind `histogram`.
 * Snapshots merge exactly (bucket counts, count and min/max; sums up to floating-point rounding).
 *
 * ## Example
 * ```ts
 * import { histogram, exponentialBuckets } from 'mvx-common';
 *
 * const saveMs = histogram({ name: 'doc.save.ms', on: 'doc.save', value: 'durationMs', buckets: exponentialBuckets(1, 2, 12) });
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function histogram<A extends MetricEvent = MetricEvent>(
  options: HistogramOptions<A>,
): HistogramMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, true);
  const bounds =
    options.buckets === undefined ? DEFAULT_MS_BUCKETS : checkBuckets('buckets', options.buckets);
  const labeller = compileLabeller(options.by, options.maxSeries);
  const zeros: readonly number[] = Object.freeze(new Array<number>(bounds.length + 1).fill(0));
  const observe = (cell: Cell | undefined | null, v: number): Cell => {
    const counts = (cell ?? { counts: zeros }).counts.slice();
    const i = bucketIndex(bounds, v);
    counts[i] = (counts[i] as number) + 1;
    if (cell === undefined || cell === null) return { count: 1, sum: v, min: v, max: v, counts };
    return {
      count: cell.count + 1,
      sum: cell.sum + v,
      min: v < cell.min ? v : cell.min,
      max: v > cell.max ? v : cell.max,
      counts,
    };
  };
  const empty: HistogramValues = { count: 0, sum: 0, min: null, max: null, counts: zeros };
  return Object.freeze({
    ...base,
    kind: 'histogram',
    init: (): HistogramState => ({
      cell: null,
      refused: 0,
      series: labeller === null ? null : emptySeries(),
    }),
    reduce(state: HistogramState, event: A, ctx: MetricContext): HistogramState {
      const v = finite(valueOf(event));
      if (v === undefined) return { cell: state.cell, refused: state.refused + 1, series: state.series };
      if (state.series === null || labeller === null) {
        return { cell: observe(state.cell, v), refused: state.refused, series: null };
      }
      const series = updateSeries(state.series, labeller, event, v, ctx.now, observe);
      return { cell: null, refused: state.refused, series };
    },
    dimensions(state: HistogramState): HistogramDimensions {
      const cells =
        state.series === null ? (state.cell === null ? [] : [state.cell]) : allCells(state.series);
      const all = cells.map(values).reduce(mergeValues, empty);
      return {
        bounds: [...bounds],
        ...all,
        counts: [...all.counts],
        refused: state.refused,
        overflow: state.series === null ? 0 : state.series.overflow,
        series:
          state.series === null
            ? []
            : listSeries(state.series, (labels, cell) => ({ labels, ...values(cell) })),
      };
    },
  });
}
