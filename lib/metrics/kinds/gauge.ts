import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { defineKind } from './internal/defineKind.js';
import {
  compileLabelled,
  compileValue,
  finite,
  LABELLED_KEYS,
  readKindOptions,
} from './internal/kindOptions.js';
import {
  cellAt,
  createSeries,
  forkSeries,
  listSeries,
  OVERFLOW,
  REFUSED,
  removeSeriesOf,
  seriesSlot,
  setCell,
  sweepExpired,
  touch,
  type Series,
} from './internal/seriesTable.js';
import { mergeSeriesLists } from './internal/mergeSeries.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link gauge}.
 */
export interface GaugeOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The observed value; non-finite values are refused. */
  readonly value: ValueOption<A>;
}

/** A gauge reading: last value, min and max since start, update count, and `ctx.now` of the last update. */
export type GaugeValues = {
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
  readonly updated_at: number;
};

/** One labelled series of a gauge snapshot. */
export type GaugeSeries = { readonly labels: SeriesLabels } & GaugeValues;

/**
 * Snapshot dimensions of a {@link gauge}; `last`, `min`, `max`, `updated_at` are `null` before any update.
 * Top-level values cover every update of every series (`last` is the most recent update of any series).
 */
export type GaugeDimensions = {
  readonly last: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly count: number;
  readonly updated_at: number | null;
  readonly refused: number;
  readonly overflow: number;
  readonly evicted: number;
  readonly series: readonly GaugeSeries[];
};

/** A gauge cell (owner token first: copy-on-write). */
interface GaugeCell {
  o: number;
  last: number;
  min: number;
  max: number;
  count: number;
  updatedAt: number;
}

/** State of a {@link gauge}. */
export interface GaugeState {
  /** Owner token (copy-on-write). */
  o: number;
  /** Every update of every series (`null` before the first). */
  all: GaugeCell | null;
  refused: number;
  series: Series<GaugeCell> | null;
}

/** A {@link gauge} metric. */
export type GaugeMetric<A extends MetricEvent = MetricEvent> = Metric<A, GaugeState, GaugeDimensions>;

const newCell = (owner: number, v: number, now: number): GaugeCell => ({
  o: owner,
  last: v,
  min: v,
  max: v,
  count: 1,
  updatedAt: now,
});

/** `cell` for writing by `owner` (a copy when it is foreign), updated with `v` at `now`. */
function observe(cell: GaugeCell, owner: number, v: number, now: number): GaugeCell {
  const c: GaugeCell =
    cell.o === owner
      ? cell
      : {
          o: owner,
          last: cell.last,
          min: cell.min,
          max: cell.max,
          count: cell.count,
          updatedAt: cell.updatedAt,
        };
  c.last = v;
  if (v < c.min) c.min = v;
  if (v > c.max) c.max = v;
  c.count++;
  c.updatedAt = now;
  return c;
}

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
    evicted: (a.evicted ?? 0) + (b.evicted ?? 0),
    series: mergeSeriesLists(a.series, b.series, mergeGaugeValues),
  };
}

/**
 * A gauge: last value, with min and max since start and the time of the last update, optionally per
 * label set (with a series cap, bounded label values, expiry and removal). Kind `gauge`. Merge rule: the
 * later `updated_at` wins `last` (ties: the larger value); min/max/count combine exactly.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { gauge, MetricsRecorder } from 'mvx-common';
 *
 * const poolSize = gauge({ name: 'db.pool.size', on: 'pool.resized', value: 'size' });
 * const recorder = new MetricsRecorder('db');
 * recorder.registerMetric(poolSize);
 * for (const size of [4, 9, 2]) recorder.emit({ type: 'pool.resized', size });
 * const { last, min, max, count } = recorder.getMetricSnapshot(poolSize)!.dimensions;
 * console.log(last, min, max, count); // → 2 2 9 3
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function gauge<A extends MetricEvent = MetricEvent>(options: GaugeOptions<A>): GaugeMetric<A> {
  const { values, base } = readKindOptions(options, [...LABELLED_KEYS, 'value']);
  const valueOf = compileValue('value', values.value, true);
  const { rules, removeOn } = compileLabelled(values);
  const onEvent = base.accepts;
  const accepts = removeOn === undefined ? undefined : (e: MetricEvent): e is A => onEvent(e) || removeOn(e);
  const update = (s: GaugeState, event: A, ctx: MetricContext): boolean => {
    const series = s.series;
    if (removeOn !== undefined && series !== null && rules !== null && removeOn(event)) {
      return removeSeriesOf(series, rules, event);
    }
    const v = finite(valueOf(event));
    if (v === undefined) {
      s.refused++;
      return true;
    }
    const now = ctx.now;
    if (series !== null && rules !== null) {
      const slot = seriesSlot(series, rules, event, now);
      if (slot === REFUSED) {
        s.refused++;
        return true;
      }
      if (slot === OVERFLOW) {
        const o = series.overflowCell;
        series.overflowCell = o === undefined ? newCell(series.o, v, now) : observe(o, series.o, v, now);
        series.overflow++;
      } else {
        const cell = cellAt(series, slot);
        if (cell === undefined) setCell(series, slot, newCell(series.o, v, now), now);
        else {
          const next = observe(cell, series.o, v, now);
          if (next !== cell) setCell(series, slot, next, now);
          else touch(series, slot, now);
        }
      }
    }
    s.all = s.all === null ? newCell(s.o, v, now) : observe(s.all, s.o, v, now);
    return true;
  };
  const ttl = rules?.ttlMs;
  return defineKind<A, GaugeState, GaugeDimensions>({
    base,
    kind: 'gauge',
    ...(accepts === undefined ? {} : { accepts }),
    init: (owner) => ({
      o: owner,
      all: null,
      refused: 0,
      series: rules === null ? null : createSeries<GaugeCell>(owner, rules),
    }),
    update,
    fork: (s, owner) => ({
      o: owner,
      all: s.all,
      refused: s.refused,
      series: s.series === null ? null : forkSeries(s.series, owner),
    }),
    dimensions(s: GaugeState): GaugeDimensions {
      const all = s.all;
      return {
        last: all === null ? null : all.last,
        min: all === null ? null : all.min,
        max: all === null ? null : all.max,
        count: all === null ? 0 : all.count,
        updated_at: all === null ? null : all.updatedAt,
        refused: s.refused,
        overflow: s.series === null ? 0 : s.series.overflow,
        evicted: s.series === null ? 0 : s.series.evicted,
        series:
          s.series === null
            ? []
            : listSeries(
                s.series,
                (labels, cell) => ({
                  labels,
                  last: cell.last,
                  min: cell.min,
                  max: cell.max,
                  count: cell.count,
                  updated_at: cell.updatedAt,
                }),
                (cell) => cell.count,
              ),
      };
    },
    ...(ttl === undefined || rules === null
      ? {}
      : {
          refresh: (s: GaugeState, ctx: MetricContext) =>
            s.series !== null && sweepExpired(s.series, rules, ctx.now) > 0,
          nextRefresh: (s: GaugeState) => s.series?.sweepAt,
        }),
  });
}
