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

/**
 * Bucket counts are materialized once every `CHAIN_MAX` observations. In between, each state records only
 * the bucket of its own observation and points to the state before it, so an observation allocates one
 * small object instead of copying the counts; a state retains at most `CHAIN_MAX` earlier states.
 */
const CHAIN_MAX = 16;

/**
 * State of a {@link histogram} (persistent: never mutated; old states keep their values). Also the cell
 * of each labelled series.
 *
 * ## Example
 * ```ts
 * const s: HistogramState = saveMs.init();
 * ```
 */
export interface HistogramState {
  /** Observations (unlabelled; `0` at the top of a labelled state, see `series`). */
  readonly count: number;
  readonly sum: number;
  /** `Infinity` while empty. */
  readonly min: number;
  /** `-Infinity` while empty. */
  readonly max: number;
  readonly refused: number;
  /** @internal bucket counts as of `depth` observations ago (shared, never mutated) */
  readonly base: readonly number[];
  /** @internal bucket of the latest observation not in `base` */
  readonly bucket: number;
  /** @internal the state before the latest observation not in `base` */
  readonly prev: HistogramState | null;
  /** @internal observations not in `base` (0 to `CHAIN_MAX`) */
  readonly depth: number;
  readonly series: SeriesStore<HistogramState> | null;
}

type Cell = HistogramState;

/** The bucket counts of a cell: its base plus the observations chained after it. */
function countsOf(cell: Cell): number[] {
  const counts = cell.base.slice();
  let node: Cell = cell;
  for (let d = cell.depth; d > 0; d--) {
    counts[node.bucket] = (counts[node.bucket] as number) + 1;
    node = node.prev as Cell;
  }
  return counts;
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
  counts: countsOf(c),
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
  // Packed, never-frozen arrays (copies of frozen arrays lose their packed element kind).
  const zeros: number[] = [];
  for (let i = 0; i <= bounds.length; i++) zeros.push(0);
  const node = (
    count: number,
    sum: number,
    min: number,
    max: number,
    refused: number,
    base: readonly number[],
    bucket: number,
    prev: Cell | null,
    depth: number,
    series: SeriesStore<Cell> | null,
  ): Cell => ({ count, sum, min, max, refused, base, bucket, prev, depth, series });
  const emptyCell = node(0, 0, Infinity, -Infinity, 0, zeros, 0, null, 0, null);
  const observe = (cell: Cell | undefined, v: number): Cell => {
    const c = cell ?? emptyCell;
    const b = bucketIndex(bounds, v);
    const min = v < c.min ? v : c.min;
    const max = v > c.max ? v : c.max;
    if (c.depth < CHAIN_MAX) {
      return node(c.count + 1, c.sum + v, min, max, c.refused, c.base, b, c, c.depth + 1, c.series);
    }
    const base = countsOf(c);
    base[b] = (base[b] as number) + 1;
    return node(c.count + 1, c.sum + v, min, max, c.refused, base, 0, null, 0, c.series);
  };
  const empty: HistogramValues = { count: 0, sum: 0, min: null, max: null, counts: zeros.slice() };
  return Object.freeze({
    ...base,
    kind: 'histogram',
    init: (): HistogramState =>
      labeller === null ? emptyCell : node(0, 0, Infinity, -Infinity, 0, zeros, 0, null, 0, emptySeries()),
    reduce(state: HistogramState, event: A, ctx: MetricContext): HistogramState {
      const v = finite(valueOf(event));
      const s = state;
      if (v === undefined) {
        return node(s.count, s.sum, s.min, s.max, s.refused + 1, s.base, s.bucket, s.prev, s.depth, s.series);
      }
      if (s.series === null || labeller === null) return observe(s, v);
      const series = updateSeries(s.series, labeller, event, v, ctx.now, observe);
      return node(s.count, s.sum, s.min, s.max, s.refused, s.base, s.bucket, s.prev, s.depth, series);
    },
    dimensions(state: HistogramState): HistogramDimensions {
      const cells = state.series === null ? (state.count === 0 ? [] : [state]) : allCells(state.series);
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
