import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { compileBase, compileLabeller, compileValue, finite } from './internals.js';
import { emptySeries, listSeries, mergeSeriesLists, updateSeries, type SeriesStore } from './series.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link gauge}.
 *
 * ## Example
 * ```ts
 * const options: GaugeOptions<PoolEvent> = { name: 'pool.size', on: 'pool.resized', value: 'size' };
 * ```
 */
export interface GaugeOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The observed value; non-finite values are refused. */
  readonly value: ValueOption<A>;
}

/**
 * A gauge reading: last value, min and max since start, update count, and `ctx.now` of the last update.
 *
 * ## Example
 * ```ts
 * const g: GaugeValues = { last: 3, min: 1, max: 7, count: 5, updated_at: 1200 };
 * ```
 */
export type GaugeValues = {
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
  readonly updated_at: number;
};

/**
 * One labelled series of a gauge snapshot.
 *
 * ## Example
 * ```ts
 * const s: GaugeSeries = { labels: { pool: 'db' }, last: 3, min: 1, max: 7, count: 5, updated_at: 1200 };
 * ```
 */
export type GaugeSeries = { readonly labels: SeriesLabels } & GaugeValues;

/**
 * Snapshot dimensions of a {@link gauge}; `last`, `min`, `max`, `updated_at` are `null` before any update.
 * Top-level values cover all series (`last` is the most recent update of any series).
 *
 * ## Example
 * ```ts
 * // { last: 3, min: 1, max: 7, count: 5, updated_at: 1200, refused: 0, overflow: 0, series: [] }
 * ```
 */
export type GaugeDimensions = {
  readonly last: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly count: number;
  readonly updated_at: number | null;
  readonly refused: number;
  readonly overflow: number;
  readonly series: readonly GaugeSeries[];
};

/**
 * State of a {@link gauge} (persistent).
 *
 * ## Example
 * ```ts
 * const s: GaugeState = poolSize.init();
 * ```
 */
export interface GaugeState {
  readonly all: GaugeValues | null;
  readonly refused: number;
  readonly series: SeriesStore<GaugeValues> | null;
}

/** A {@link gauge} metric. */
export type GaugeMetric<A extends MetricEvent = MetricEvent> = Metric<A, GaugeState, GaugeDimensions>;

const setGauge = (cell: GaugeValues | undefined | null, v: number, now: number): GaugeValues =>
  cell === undefined || cell === null
    ? { last: v, min: v, max: v, count: 1, updated_at: now }
    : {
        last: v,
        min: v < cell.min ? v : cell.min,
        max: v > cell.max ? v : cell.max,
        count: cell.count + 1,
        updated_at: now,
      };

/**
 * The gauge merge rule: counts add, min/max combine; `last` comes from the later `updated_at`, and on a tie
 * from the larger value (so merging is commutative and associative).
 * @internal
 */
export function mergeGaugeValues<G extends GaugeValues>(a: G, b: G): G {
  const later = a.updated_at > b.updated_at || (a.updated_at === b.updated_at && a.last >= b.last) ? a : b;
  return {
    ...a,
    last: later.last,
    updated_at: later.updated_at,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    count: a.count + b.count,
  };
}

/** Merges gauge dimensions (see {@link mergeGaugeValues}). @internal */
export function mergeGaugeDimensions(a: GaugeDimensions, b: GaugeDimensions): GaugeDimensions {
  const top = (d: GaugeDimensions): GaugeValues | null =>
    d.last === null
      ? null
      : {
          last: d.last,
          min: d.min ?? d.last,
          max: d.max ?? d.last,
          count: d.count,
          updated_at: d.updated_at ?? 0,
        };
  const ta = top(a);
  const tb = top(b);
  const all = ta === null ? tb : tb === null ? ta : mergeGaugeValues(ta, tb);
  return {
    ...(all ?? { last: null, min: null, max: null, updated_at: null }),
    count: a.count + b.count,
    refused: a.refused + b.refused,
    overflow: a.overflow + b.overflow,
    series: mergeSeriesLists(a.series, b.series, mergeGaugeValues),
  };
}

/**
 * A gauge: last value, with min and max since start and the time of the last update, optionally per
 * label set. Kind `gauge`. Merge rule: the later `updated_at` wins `last` (ties: the larger value);
 * min/max/count combine exactly.
 *
 * ## Example
 * ```ts
 * import { gauge } from 'mvx-common';
 *
 * const poolSize = gauge({ name: 'db.pool.size', on: 'pool.resized', value: 'size', by: ['pool'] });
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function gauge<A extends MetricEvent = MetricEvent>(options: GaugeOptions<A>): GaugeMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, true);
  const labeller = compileLabeller(options.by, options.maxSeries);
  return Object.freeze({
    ...base,
    kind: 'gauge',
    init: (): GaugeState => ({ all: null, refused: 0, series: labeller === null ? null : emptySeries() }),
    reduce(state: GaugeState, event: A, ctx: MetricContext): GaugeState {
      const v = finite(valueOf(event));
      if (v === undefined) return { all: state.all, refused: state.refused + 1, series: state.series };
      const series =
        state.series === null || labeller === null
          ? null
          : updateSeries(state.series, labeller, event, v, ctx.now, setGauge);
      return { all: setGauge(state.all, v, ctx.now), refused: state.refused, series };
    },
    dimensions(state: GaugeState): GaugeDimensions {
      const all = state.all;
      return {
        last: all === null ? null : all.last,
        min: all === null ? null : all.min,
        max: all === null ? null : all.max,
        count: all === null ? 0 : all.count,
        updated_at: all === null ? null : all.updated_at,
        refused: state.refused,
        overflow: state.series === null ? 0 : state.series.overflow,
        series:
          state.series === null ? [] : listSeries(state.series, (labels, cell) => ({ labels, ...cell })),
      };
    },
  });
}
