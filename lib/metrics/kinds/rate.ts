import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { checkPositiveInteger, rangeError, typeError } from '../../internal/validate.js';
import { compileBase, compileValue } from './internals.js';
import type { KindOptions, ValueOption } from './types.js';

/**
 * Options of {@link rate}.
 *
 * ## Example
 * ```ts
 * const options: RateOptions<Req> = { name: 'http.rps', on: 'http.request', windowMs: 10_000 };
 * ```
 */
export interface RateOptions<A extends MetricEvent> extends KindOptions<A> {
  /**
   * The sliding window, in ms.
   * @default 1000
   */
  readonly windowMs?: number;
  /**
   * Time resolution of the window, in ms (positive integer): times are bucketed to it.
   * @default max(1, floor(windowMs / 100))
   */
  readonly resolutionMs?: number;
  /**
   * What to add per event (negative or non-finite values are refused).
   * @default each accepted event adds 1
   */
  readonly value?: ValueOption<A>;
}

/**
 * Snapshot dimensions of {@link rate}, as of `updated_at` (the `ctx.now` of the last accepted event):
 * `in_window` is the sum in the window `(updated_at - window_ms, updated_at]` (bucketed to `resolution_ms`),
 * `rate` is `in_window` per second. `buckets` are `[bucket_start_ms, sum]` pairs still in the window.
 *
 * ## Example
 * ```ts
 * // { rate: 3, in_window: 3, total: 5, window_ms: 1000, resolution_ms: 10, updated_at: 2500, refused: 0, buckets: [[2000, 1], [2500, 2]] }
 * ```
 */
export type RateDimensions = {
  readonly rate: number;
  readonly in_window: number;
  readonly total: number;
  readonly window_ms: number;
  readonly resolution_ms: number;
  readonly updated_at: number | null;
  readonly refused: number;
  readonly buckets: readonly (readonly [number, number])[];
};

/**
 * State of {@link rate} (persistent): the newest bucket, older buckets still in the window.
 *
 * ## Example
 * ```ts
 * const s: RateState = rps.init();
 * ```
 */
export interface RateState {
  readonly total: number;
  readonly refused: number;
  readonly updatedAt: number | null;
  /** Newest bucket index and its sum. */
  readonly head: number;
  readonly headSum: number;
  /** Older `[bucket index, sum]` pairs, ascending, all in the window of `head`. */
  readonly older: readonly (readonly [number, number])[];
}

/** A {@link rate} metric. */
export type RateMetric<A extends MetricEvent = MetricEvent> = Metric<A, RateState, RateDimensions>;

function dims(
  windowMs: number,
  resolutionMs: number,
  total: number,
  refused: number,
  updatedAt: number | null,
  buckets: readonly (readonly [number, number])[],
): RateDimensions {
  const inWindow = buckets.reduce((a, [, s]) => a + s, 0);
  return {
    rate: (inWindow * 1000) / windowMs,
    in_window: inWindow,
    total,
    window_ms: windowMs,
    resolution_ms: resolutionMs,
    updated_at: updatedAt,
    refused,
    buckets: buckets.map(([b, s]) => [b * resolutionMs, s]),
  };
}

/**
 * Merges rate dimensions exactly: bucket sums add, `updated_at` is the later one, and buckets outside
 * its window are dropped (same window and resolution required).
 * @internal
 */
export function mergeRateDimensions(a: RateDimensions, b: RateDimensions): RateDimensions {
  if (a.window_ms !== b.window_ms || a.resolution_ms !== b.resolution_ms) {
    throw new RangeError('Expected rate snapshots with the same `window_ms` and `resolution_ms`');
  }
  const r = a.resolution_ms;
  const at =
    a.updated_at === null
      ? b.updated_at
      : b.updated_at === null
        ? a.updated_at
        : Math.max(a.updated_at, b.updated_at);
  const span = Math.ceil(a.window_ms / r);
  const head = at === null ? 0 : Math.floor(at / r);
  const sums = new Map<number, number>();
  for (const [start, s] of [...a.buckets, ...b.buckets]) {
    const idx = Math.round(start / r);
    if (idx > head - span) sums.set(idx, (sums.get(idx) ?? 0) + s);
  }
  const buckets = [...sums.entries()].sort((x, y) => x[0] - y[0]);
  return dims(a.window_ms, r, a.total + b.total, a.refused + b.refused, at, buckets);
}

/**
 * Events (or summed values) per second over a sliding window, computed from `ctx.now`, so it is exact
 * under a `TestScheduler` (`aggregate(metric, testScheduler)`). Kind `gauge`. The value is as of the
 * last accepted event: a metric only runs when events arrive. Snapshots merge exactly (bucket sums).
 *
 * ## Example
 * ```ts
 * import { rate } from 'mvx-common';
 *
 * const rps = rate({ name: 'http.rps', on: 'http.request', windowMs: 10_000 });
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function rate<A extends MetricEvent = MetricEvent>(options: RateOptions<A>): RateMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, false);
  const windowMs = options.windowMs ?? 1000;
  if (typeof windowMs !== 'number') throw typeError('windowMs', 'a positive finite number', windowMs);
  if (!Number.isFinite(windowMs) || windowMs <= 0)
    throw rangeError('windowMs', 'a positive finite number', windowMs);
  const resolutionMs =
    options.resolutionMs === undefined
      ? Math.max(1, Math.floor(windowMs / 100))
      : checkPositiveInteger('resolutionMs', options.resolutionMs);
  const span = Math.ceil(windowMs / resolutionMs);
  return Object.freeze({
    ...base,
    kind: 'gauge',
    init: (): RateState => ({ total: 0, refused: 0, updatedAt: null, head: 0, headSum: 0, older: [] }),
    reduce(s: RateState, event: A, ctx: MetricContext): RateState {
      let v = 1;
      if (valueOf !== undefined) {
        const raw = valueOf(event);
        if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0)
          return {
            total: s.total,
            refused: s.refused + 1,
            updatedAt: s.updatedAt,
            head: s.head,
            headSum: s.headSum,
            older: s.older,
          };
        v = raw;
      }
      const b = Math.floor(ctx.now / resolutionMs);
      if (s.updatedAt === null)
        return { total: v, refused: s.refused, updatedAt: ctx.now, head: b, headSum: v, older: [] };
      if (b <= s.head) {
        const updatedAt = ctx.now > s.updatedAt ? ctx.now : s.updatedAt;
        return {
          total: s.total + v,
          refused: s.refused,
          updatedAt,
          head: s.head,
          headSum: s.headSum + v,
          older: s.older,
        };
      }
      const older: (readonly [number, number])[] = [];
      for (const pair of s.older) if (pair[0] > b - span) older.push(pair);
      if (s.head > b - span) older.push([s.head, s.headSum]);
      return { total: s.total + v, refused: s.refused, updatedAt: ctx.now, head: b, headSum: v, older };
    },
    dimensions: (s: RateState): RateDimensions =>
      dims(
        windowMs,
        resolutionMs,
        s.total,
        s.refused,
        s.updatedAt,
        s.updatedAt === null ? [] : [...s.older, [s.head, s.headSum]],
      ),
  });
}
