import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { checkPositiveInteger, rangeError } from '../../internal/validate.js';
import { bucketIndex, checkBuckets, DEFAULT_MS_BUCKETS } from './buckets.js';
import { defineKind } from './internal/defineKind.js';
import {
  checkOptionalMs,
  compileLabelled,
  compileValue,
  finite,
  LABELLED_KEYS,
  readKindOptions,
} from './internal/kindOptions.js';
import { mergeSeriesLists } from './internal/mergeSeries.js';
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
import {
  advanceRing,
  currentCell,
  emptyRing,
  windowSumsStayFinite,
  forEachInWindow,
  forkRing,
  ringExpiry,
  windowShape,
  type WindowRing,
  type WindowShape,
} from './internal/windowRing.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/** Default number of sub-windows of a windowed histogram or quantiles metric. */
export const DEFAULT_SUB_WINDOWS = 5;

/**
 * Options of {@link histogram}.
 */
export interface HistogramOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The observed value; non-finite values (and values that would overflow the sum) are refused. */
  readonly value: ValueOption<A>;
  /**
   * Upper bounds (inclusive) of the buckets, strictly increasing, finite, at most 1,000; a last `+Inf`
   * bucket is implicit.
   * @default DEFAULT_MS_BUCKETS
   */
  readonly buckets?: readonly number[];
  /**
   * Also keep the observations of the last `windowMs` milliseconds (the `window` dimension: "the
   * distribution over the last 60 s"), in `subWindows` rotating sub-windows, as prom-client's
   * `maxAgeSeconds` / `ageBuckets` do. The top-level values stay cumulative.
   */
  readonly windowMs?: number;
  /**
   * Number of sub-windows of `windowMs` (the window slides by `windowMs / subWindows`).
   * @default 5
   */
  readonly subWindows?: number;
}

/**
 * Histogram values: `counts[i]` counts values `v` with `bounds[i-1] < v <= bounds[i]`; the last entry
 * (index `bounds.length`) counts values above the last bound. `min`/`max` are `null` while empty.
 */
export type HistogramValues = {
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly counts: readonly number[];
};

/** One labelled series of a histogram snapshot. */
export type HistogramSeries = { readonly labels: SeriesLabels } & HistogramValues;

/** The window of a windowed histogram: the values observed in the last `window_ms` (per sub-window). */
export type HistogramWindow = { readonly window_ms: number } & HistogramValues;

/**
 * Snapshot dimensions of a {@link histogram}: the bounds, cumulative values over all series, the
 * series, and the `window` (null unless `windowMs` is set).
 */
export type HistogramDimensions = { readonly bounds: readonly number[] } & HistogramValues & {
    readonly refused: number;
    readonly overflow: number;
    readonly evicted: number;
    readonly series: readonly HistogramSeries[];
    readonly window: HistogramWindow | null;
  };

/** A histogram cell (owner token first: copy-on-write). */
interface HistogramCell {
  o: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  readonly counts: number[];
}

/** State of a {@link histogram}. */
export interface HistogramState {
  /** Owner token (copy-on-write). */
  o: number;
  /** Every observation of every series. */
  all: HistogramCell;
  refused: number;
  series: Series<HistogramCell> | null;
  window: WindowRing<HistogramCell> | null;
}

/** A {@link histogram} metric. */
export type HistogramMetric<A extends MetricEvent = MetricEvent> = Metric<
  A,
  HistogramState,
  HistogramDimensions
>;

const isFiniteNumber = Number.isFinite;
/** The `series` of an unlabelled histogram's snapshots. */
const NO_SERIES: HistogramDimensions['series'] = Object.freeze([]);

function valuesOf(c: HistogramCell): HistogramValues {
  const empty = c.count === 0;
  return {
    count: c.count,
    sum: c.sum,
    min: empty ? null : c.min,
    max: empty ? null : c.max,
    counts: Object.freeze(c.counts.slice()),
  };
}

function mergeValues<H extends HistogramValues>(a: H, b: H): H {
  const min = a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min);
  const max = a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max);
  return {
    ...a,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min,
    max,
    counts: a.counts.map((x, i) => x + (b.counts[i] ?? 0)),
  };
}

/** Merges histogram dimensions exactly (same bounds required; windows of the same width merge too). @internal */
export function mergeHistogramDimensions(
  a: HistogramDimensions,
  b: HistogramDimensions,
): HistogramDimensions {
  if (a.bounds.length !== b.bounds.length || a.bounds.some((x, i) => x !== b.bounds[i])) {
    throw new RangeError('Expected histogram snapshots with the same `bounds`');
  }
  const wa = a.window ?? null;
  const wb = b.window ?? null;
  if (wa !== null && wb !== null && wa.window_ms !== wb.window_ms) {
    throw new RangeError('Expected histogram snapshots with the same `window_ms`');
  }
  const merged = mergeValues(a, b);
  return {
    ...merged,
    bounds: [...a.bounds],
    refused: a.refused + b.refused,
    overflow: a.overflow + b.overflow,
    evicted: (a.evicted ?? 0) + (b.evicted ?? 0),
    series: mergeSeriesLists(a.series, b.series, mergeValues),
    window: wa === null ? wb : wb === null ? wa : mergeValues(wa, wb),
  };
}

/**
 * An explicit-bucket histogram with count, sum, min and max, optionally per label set (series cap,
 * bounded label values, expiry, removal) and over a sliding window. Kind `histogram`. Snapshots merge
 * exactly (bucket counts, count and min/max; sums up to floating-point rounding).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { exponentialBuckets, histogram, MetricsRecorder } from 'mvx-common';
 *
 * const saveMs = histogram({ name: 'doc.save.ms', on: 'doc.save', value: 'durationMs', buckets: exponentialBuckets(1, 10, 3) });
 * const recorder = new MetricsRecorder('docs');
 * recorder.registerMetric(saveMs);
 * for (const durationMs of [0.5, 3, 42, 420]) recorder.emit({ type: 'doc.save', durationMs });
 * const { bounds, counts, sum } = recorder.getMetricSnapshot(saveMs)!.dimensions;
 * console.log(JSON.stringify(bounds), JSON.stringify(counts), sum); // → [1,10,100] [1,1,1,1] 465.5
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function histogram<A extends MetricEvent = MetricEvent>(
  options: HistogramOptions<A>,
): HistogramMetric<A> {
  const { values, base } = readKindOptions(options, [
    ...LABELLED_KEYS,
    'value',
    'buckets',
    'windowMs',
    'subWindows',
  ]);
  const valueOf = compileValue('value', values.value, true);
  const bounds = values.buckets === undefined ? DEFAULT_MS_BUCKETS : checkBuckets('buckets', values.buckets);
  const { rules, removeOn } = compileLabelled(values);
  const shape = compileWindow(values.windowMs, values.subWindows);
  const width = bounds.length + 1;
  /** The bounds as every snapshot shows them (they never change: one frozen copy). */
  const frozenBounds: readonly number[] = Object.freeze(bounds.slice());
  const fresh = (owner: number): HistogramCell => ({
    o: owner,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    counts: new Array<number>(width).fill(0),
  });
  const clone = (c: HistogramCell, owner: number): HistogramCell => ({
    o: owner,
    count: c.count,
    sum: c.sum,
    min: c.min,
    max: c.max,
    counts: c.counts.slice(),
  });
  const writable = (c: HistogramCell, owner: number): HistogramCell => (c.o === owner ? c : clone(c, owner));
  const observe = (c: HistogramCell, v: number, b: number): void => {
    c.count++;
    c.sum += v;
    if (v < c.min) c.min = v;
    if (v > c.max) c.max = v;
    c.counts[b] = (c.counts[b] as number) + 1;
  };
  const onEvent = base.accepts;
  const accepts = removeOn === undefined ? undefined : (e: MetricEvent): e is A => onEvent(e) || removeOn(e);

  const update = (s: HistogramState, event: A, ctx: MetricContext): boolean => {
    const series = s.series;
    if (removeOn !== undefined && series !== null && rules !== null && removeOn(event)) {
      return removeSeriesOf(series, rules, event);
    }
    const v = finite(valueOf(event));
    const now = ctx.now;
    // Every sum this observation adds to must stay finite; check them all before changing anything.
    if (
      v === undefined ||
      !isFiniteNumber(s.all.sum + v) ||
      (s.window !== null && shape !== null && !windowSumsFinite(s, shape, now, v))
    ) {
      s.refused++;
      return true;
    }
    const b = bucketIndex(bounds, v);
    if (series !== null && rules !== null) {
      const slot = seriesSlot(series, rules, event, now);
      if (slot === REFUSED) {
        s.refused++;
        return true;
      }
      if (slot === OVERFLOW) {
        const current = series.overflowCell;
        if (current !== undefined && !isFiniteNumber(current.sum + v)) {
          s.refused++;
          return true;
        }
        const o = writable(current ?? fresh(series.o), series.o);
        observe(o, v, b);
        series.overflowCell = o;
        series.overflow++;
      } else {
        const cell = cellAt(series, slot);
        if (cell !== undefined && !isFiniteNumber(cell.sum + v)) {
          s.refused++;
          return true;
        }
        const w = cell === undefined ? fresh(series.o) : writable(cell, series.o);
        observe(w, v, b);
        if (w !== cell) setCell(series, slot, w, now);
        else touch(series, slot, now);
      }
    }
    if (s.all.o !== s.o) s.all = clone(s.all, s.o);
    observe(s.all, v, b);
    if (s.window !== null && shape !== null) observe(currentCell(s.window, shape, now, fresh, clone), v, b);
    return true;
  };

  const timeAware = shape !== null || rules?.ttlMs !== undefined;
  return defineKind<A, HistogramState, HistogramDimensions>({
    base,
    kind: 'histogram',
    ...(accepts === undefined ? {} : { accepts }),
    init: (owner) => ({
      o: owner,
      all: fresh(owner),
      refused: 0,
      series: rules === null ? null : createSeries<HistogramCell>(owner, rules),
      window: shape === null ? null : emptyRing<HistogramCell>(owner, shape),
    }),
    update,
    fork: (s, owner) => ({
      o: owner,
      all: s.all,
      refused: s.refused,
      series: s.series === null ? null : forkSeries(s.series, owner),
      window: s.window === null ? null : forkRing(s.window, owner),
    }),
    dimensions(s: HistogramState): HistogramDimensions {
      const all = s.all;
      const empty = all.count === 0;
      // Field by field rather than a spread of valuesOf: this runs once per snapshot (per event in aggregate).
      return {
        bounds: frozenBounds,
        count: all.count,
        sum: all.sum,
        min: empty ? null : all.min,
        max: empty ? null : all.max,
        counts: Object.freeze(all.counts.slice()),
        refused: s.refused,
        overflow: s.series === null ? 0 : s.series.overflow,
        evicted: s.series === null ? 0 : s.series.evicted,
        series:
          s.series === null
            ? NO_SERIES
            : listSeries(
                s.series,
                (labels, cell) => ({
                  labels,
                  count: cell.count,
                  sum: cell.sum,
                  min: cell.count === 0 ? null : cell.min,
                  max: cell.count === 0 ? null : cell.max,
                  counts: Object.freeze(cell.counts.slice()),
                }),
                (cell) => cell.count,
              ),
        window: s.window === null || shape === null ? null : windowValues(s.window, shape, fresh),
      };
    },
    ...(!timeAware
      ? {}
      : {
          refresh(s: HistogramState, ctx: MetricContext): boolean {
            let changed = false;
            if (s.window !== null && shape !== null && advanceRing(s.window, shape, ctx.now)) changed = true;
            if (
              s.series !== null &&
              rules !== null &&
              rules.ttlMs !== undefined &&
              sweepExpired(s.series, rules, ctx.now) > 0
            ) {
              changed = true;
            }
            return changed;
          },
          nextRefresh(s: HistogramState): number | undefined {
            const a = s.window === null || shape === null ? undefined : ringExpiry(s.window, shape);
            const b = s.series?.sweepAt;
            return a === undefined ? b : b === undefined ? a : Math.min(a, b);
          },
        }),
  });
}

const HALF_MAX = Number.MAX_VALUE / 2;
const cellSum = (c: HistogramCell): number => c.sum;

/** True when observing `v` keeps every sum over `s.window` finite (see `windowSumsStayFinite`). */
function windowSumsFinite(s: HistogramState, shape: WindowShape, now: number, v: number): boolean {
  // Fast path: no sum of observations exceeds (count + 1) * max |value| (every one is in `s.all`).
  const all = s.all;
  const largest = Math.max(
    Math.abs(all.count === 0 ? v : Math.min(all.min, v)),
    Math.abs(Math.max(all.max, v)),
  );
  if ((all.count + 1) * largest <= HALF_MAX) return true;
  return windowSumsStayFinite(s.window as WindowRing<HistogramCell>, shape, now, v, cellSum);
}

function windowValues(
  ring: WindowRing<HistogramCell>,
  shape: WindowShape,
  fresh: (owner: number) => HistogramCell,
): HistogramWindow {
  const total = fresh(0);
  forEachInWindow(ring, shape, (c) => {
    total.count += c.count;
    total.sum += c.sum;
    if (c.min < total.min) total.min = c.min;
    if (c.max > total.max) total.max = c.max;
    for (let i = 0; i < c.counts.length; i++)
      total.counts[i] = (total.counts[i] as number) + (c.counts[i] as number);
  });
  return { window_ms: shape.windowMs, ...valuesOf(total) };
}

/** The window of `windowMs` / `subWindows`, or null without `windowMs`. @internal */
export function compileWindow(windowMs: unknown, subWindows: unknown): WindowShape | null {
  const ms = checkOptionalMs('windowMs', windowMs);
  if (ms === undefined) {
    if (subWindows !== undefined) throw new TypeError('Expected `subWindows` only with `windowMs`');
    return null;
  }
  const n = subWindows === undefined ? DEFAULT_SUB_WINDOWS : checkPositiveInteger('subWindows', subWindows);
  if (n > 1000) throw rangeError('subWindows', 'a positive integer up to 1000', n);
  return windowShape(ms, n);
}
