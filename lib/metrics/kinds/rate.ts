import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { checkPositiveInteger, rangeError } from '../../internal/validate.js';
import { defineKind } from './internal/defineKind.js';
import { checkOptionalMs, compileValue, finite, readKindOptions } from './internal/kindOptions.js';
import {
  advanceRing,
  currentCell,
  emptyRing,
  forEachInWindow,
  forkRing,
  peekCell,
  ringExpiry,
  type WindowRing,
  type WindowShape,
} from './internal/windowRing.js';
import type { KindOptions, ValueOption } from './types.js';

/**
 * Options of {@link rate}.
 */
export interface RateOptions<A extends MetricEvent> extends KindOptions<A> {
  /**
   * The sliding window, in ms.
   * @default 1000
   */
  readonly windowMs?: number;
  /**
   * Time resolution of the window, in ms (positive integer, at most `windowMs`; at most 10,000 buckets):
   * times are bucketed to it.
   * @default max(1, floor(windowMs / 100))
   */
  readonly resolutionMs?: number;
  /**
   * What to add per event (negative or non-finite values, and overflowing sums, are refused).
   * @default each accepted event adds 1
   */
  readonly value?: ValueOption<A>;
}

/**
 * Snapshot dimensions of {@link rate}, as of `as_of` (the latest `ctx.now` seen: an event or, while a
 * recorder runs, a refresh, so the rate decays to 0 when events stop): `in_window` is the sum of the
 * window ending at `as_of` (bucketed to `resolution_ms`), `rate` is `in_window` per second, `total` is
 * cumulative, `updated_at` is the `ctx.now` of the last accepted event. `buckets` are
 * `[bucket_start_ms, sum]` pairs still in the window.
 */
export type RateDimensions = {
  readonly rate: number;
  readonly in_window: number;
  readonly total: number;
  readonly window_ms: number;
  readonly resolution_ms: number;
  readonly updated_at: number | null;
  readonly as_of: number | null;
  readonly refused: number;
  readonly buckets: readonly (readonly [number, number])[];
};

/** One bucket of a rate window (owner token first: copy-on-write). */
interface RateCell {
  o: number;
  sum: number;
}

/** State of {@link rate}. */
export interface RateState {
  /** Owner token (copy-on-write). */
  o: number;
  total: number;
  refused: number;
  updatedAt: number | null;
  window: WindowRing<RateCell>;
}

/** A {@link rate} metric. */
export type RateMetric<A extends MetricEvent = MetricEvent> = Metric<A, RateState, RateDimensions>;

const isFiniteNumber = Number.isFinite;

function dims(
  shape: WindowShape,
  windowMs: number,
  total: number,
  refused: number,
  updatedAt: number | null,
  asOf: number | null,
  buckets: readonly (readonly [number, number])[],
): RateDimensions {
  const inWindow = buckets.reduce((a, [, s]) => a + s, 0);
  return {
    rate: (inWindow * 1000) / windowMs,
    in_window: inWindow,
    total,
    window_ms: windowMs,
    resolution_ms: shape.span,
    updated_at: updatedAt,
    as_of: asOf,
    refused,
    buckets: buckets.map(([k, s]) => [k * shape.span, s] as const),
  };
}

/**
 * Merges rate dimensions exactly: bucket sums add, the window ends at the later `as_of`, and buckets
 * outside it are dropped (same window and resolution required).
 * @internal
 */
export function mergeRateDimensions(a: RateDimensions, b: RateDimensions): RateDimensions {
  if (a.window_ms !== b.window_ms || a.resolution_ms !== b.resolution_ms) {
    throw new RangeError('Expected rate snapshots with the same `window_ms` and `resolution_ms`');
  }
  const r = a.resolution_ms;
  const later = (x: number | null | undefined, y: number | null | undefined): number | null =>
    x === null || x === undefined ? (y ?? null) : y === null || y === undefined ? x : Math.max(x, y);
  const updatedAt = later(a.updated_at, b.updated_at);
  const asOf = later(a.as_of ?? a.updated_at, b.as_of ?? b.updated_at);
  const size = Math.ceil(a.window_ms / r);
  const newest = asOf === null ? 0 : Math.floor(asOf / r);
  const sums = new Map<number, number>();
  for (const [start, s] of [...a.buckets, ...b.buckets]) {
    const k = Math.round(start / r);
    if (k > newest - size && k <= newest) sums.set(k, (sums.get(k) ?? 0) + s);
  }
  const buckets = [...sums.entries()].sort((x, y) => x[0] - y[0]);
  const shape = { windowMs: size * r, size, span: r };
  return dims(shape, a.window_ms, a.total + b.total, a.refused + b.refused, updatedAt, asOf, buckets);
}

/**
 * Events (or summed values) per second over a sliding window, computed from `ctx.now`, so it is exact
 * under a `TestScheduler`. Kind `gauge`. Time-aware: while a recorder runs (or `aggregate` is subscribed)
 * the window moves on without events, so the rate decays to 0 when traffic stops. Snapshots merge
 * exactly (bucket sums).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder, rate } from 'mvx-common';
 *
 * const rps = rate({ name: 'http.rps', on: 'http.request', windowMs: 10_000 });
 * const recorder = new MetricsRecorder('http');
 * recorder.registerMetric(rps);
 * for (let i = 0; i < 50; i++) recorder.emit({ type: 'http.request' });
 * const { in_window, total } = recorder.getMetricSnapshot(rps)!.dimensions;
 * // `rate` is events per second over the last 10 s; it decays as time passes without events.
 * console.log(in_window, total); // → 50 50
 * await recorder.dispose();
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function rate<A extends MetricEvent = MetricEvent>(options: RateOptions<A>): RateMetric<A> {
  const { values, base } = readKindOptions(options, ['windowMs', 'resolutionMs', 'value']);
  const valueOf = compileValue('value', values.value, false);
  const windowMs = checkOptionalMs('windowMs', values.windowMs) ?? 1000;
  const resolutionMs =
    values.resolutionMs === undefined
      ? Math.max(1, Math.floor(windowMs / 100))
      : checkPositiveInteger('resolutionMs', values.resolutionMs);
  const size = Math.ceil(windowMs / resolutionMs);
  if (resolutionMs > windowMs || size > 10_000) {
    throw rangeError(
      'resolutionMs',
      `a positive integer between windowMs / 10000 and windowMs (${windowMs})`,
      resolutionMs,
    );
  }
  const shape: WindowShape = { windowMs: size * resolutionMs, size, span: resolutionMs };
  const fresh = (owner: number): RateCell => ({ o: owner, sum: 0 });
  const clone = (c: RateCell, owner: number): RateCell => ({ o: owner, sum: c.sum });
  return defineKind<A, RateState, RateDimensions>({
    base,
    kind: 'gauge',
    heavyDimensions: true,
    init: (owner) => ({
      o: owner,
      total: 0,
      refused: 0,
      updatedAt: null,
      window: emptyRing<RateCell>(owner, shape),
    }),
    update(s: RateState, event: A, ctx: MetricContext): boolean {
      let v = 1;
      const now = ctx.now;
      if (valueOf !== undefined) {
        const raw = finite(valueOf(event));
        if (raw === undefined || raw < 0) {
          s.refused++;
          return true;
        }
        v = raw;
      }
      if (!isFiniteNumber(s.total + v) || !isFiniteNumber((peekCell(s.window, shape, now)?.sum ?? 0) + v)) {
        s.refused++;
        return true;
      }
      currentCell(s.window, shape, now, fresh, clone).sum += v;
      advanceRing(s.window, shape, now);
      s.total += v;
      if (s.updatedAt === null || now > s.updatedAt) s.updatedAt = now;
      return true;
    },
    fork: (s, owner) => ({
      o: owner,
      total: s.total,
      refused: s.refused,
      updatedAt: s.updatedAt,
      window: forkRing(s.window, owner),
    }),
    dimensions(s: RateState): RateDimensions {
      const buckets: [number, number][] = [];
      forEachInWindow(s.window, shape, (c, k) => buckets.push([k, c.sum]));
      buckets.sort((x, y) => x[0] - y[0]);
      const asOf = s.window.asOf === -Infinity ? null : s.window.asOf;
      return dims(shape, windowMs, s.total, s.refused, s.updatedAt, asOf, buckets);
    },
    refresh: (s: RateState, ctx: MetricContext) => advanceRing(s.window, shape, ctx.now),
    nextRefresh: (s: RateState) => ringExpiry(s.window, shape),
  });
}
