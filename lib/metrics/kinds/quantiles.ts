import type { MetricEvent } from '../event.js';
import type { Metric, MetricContext } from '../metric.js';
import { setOwn } from '../../internal/ownProperty.js';
import { checkPositiveInteger, describeValue, rangeError, typeError } from '../../internal/validate.js';
import { compileWindow } from './histogram.js';
import { defineKind } from './internal/defineKind.js';
import { compileValue, finite, readKindOptions } from './internal/kindOptions.js';
import {
  addToKey,
  emptySketch,
  forkSketch,
  quantilesOf,
  sketchAdd,
  sketchBins,
  sketchParams,
  type Sketch,
  type SketchParams,
} from './internal/quantileSketch.js';
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

/** Default relative accuracy of {@link quantiles}. */
export const DEFAULT_RELATIVE_ACCURACY = 0.01;
/** Default bound on the bins of {@link quantiles}. */
export const DEFAULT_MAX_BINS = 2048;
/**
 * The smallest accepted `relativeAccuracy` (a bound below the real one: accuracies needing more than
 * {@link MAX_MAX_BINS} bins for six orders of magnitude, below about 7e-5, are refused too).
 */
export const MIN_RELATIVE_ACCURACY = 1e-6;
/** The largest accepted `maxBins`. */
export const MAX_MAX_BINS = 100_000;
/**
 * The value range (max / min, excluding zeros) a sketch must cover at full accuracy: `maxBins` bins of
 * relative width `gamma` must span at least six orders of magnitude (1 µs to 1 s, say).
 */
export const MIN_SKETCH_RANGE = 1e6;

/**
 * Options of {@link quantiles}.
 */
export interface QuantilesOptions<A extends MetricEvent> extends KindOptions<A> {
  /** The observed value; negative or non-finite values (and values that would overflow the sum) are refused. */
  readonly value: ValueOption<A>;
  /**
   * Guaranteed relative error of every quantile, below 1. Accuracies that a sketch of 100,000 bins cannot
   * honour over six orders of magnitude (below about 7e-5) are refused.
   * @default 0.01
   */
  readonly relativeAccuracy?: number;
  /**
   * Bound on the number of bins (at most 100,000). `maxBins` bins cover values from `x` to
   * `x * gamma^maxBins` at full accuracy; below that range the lowest bins collapse (high quantiles stay
   * accurate, low ones lose accuracy).
   * @default 2048, or more when `relativeAccuracy` needs more bins to cover six orders of magnitude
   */
  readonly maxBins?: number;
  /** Extra quantiles (each in [0, 1]) reported under `quantiles`, keyed by `String(q)`. */
  readonly quantiles?: readonly number[];
  /**
   * Also keep the quantiles of the last `windowMs` milliseconds ("p99 over the last 60 s": the `window`
   * dimension), in `subWindows` rotating sub-windows, as prom-client's summaries do with
   * `maxAgeSeconds` / `ageBuckets`. The top-level values stay cumulative.
   */
  readonly windowMs?: number;
  /**
   * Number of sub-windows of `windowMs`.
   * @default 5
   */
  readonly subWindows?: number;
}

/**
 * The mergeable sketch inside a quantiles snapshot: `bins` are sorted `[key, count]` pairs; bin `key`
 * holds values in `(gamma^(key-1), gamma^key]` with `gamma = (1 + relative_accuracy) / (1 - relative_accuracy)`;
 * `zero_count` counts zeros (and values too small to index). `zero_count + sum(bins counts) = count`.
 */
export type SketchDimensions = {
  readonly relative_accuracy: number;
  readonly max_bins: number;
  readonly zero_count: number;
  readonly bins: readonly (readonly [number, number])[];
};

/** Quantile values of a sketch: count, sum, min, max and the quantiles (null while empty). */
export type QuantileValues = {
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly quantiles: { readonly [q: string]: number | null };
  readonly sketch: SketchDimensions;
};

/** The window of a windowed quantiles metric: the values of the last `window_ms`. */
export type QuantilesWindow = { readonly window_ms: number } & QuantileValues;

/**
 * Snapshot dimensions of {@link quantiles}: cumulative values, `refused`, and the `window` (null unless
 * `windowMs` is set).
 */
export type QuantilesDimensions = QuantileValues & {
  readonly refused: number;
  readonly window: QuantilesWindow | null;
};

/** State of {@link quantiles}. */
export interface QuantilesState {
  /** Owner token (copy-on-write). */
  o: number;
  sketch: Sketch;
  refused: number;
  window: WindowRing<Sketch> | null;
}

/** A {@link quantiles} metric. */
export type QuantilesMetric<A extends MetricEvent = MetricEvent> = Metric<
  A,
  QuantilesState,
  QuantilesDimensions
>;

const FIXED = [0.5, 0.9, 0.99, 0.999] as const;
const isFiniteNumber = Number.isFinite;

function valuesOf(
  p: SketchParams,
  requested: readonly number[],
  bins: readonly (readonly [number, number])[],
  s: {
    readonly zero: number;
    readonly count: number;
    readonly sum: number;
    readonly min: number;
    readonly max: number;
  },
): QuantileValues {
  const qs = quantilesOf(p, bins, s.zero, s.count, s.min, s.max, [...FIXED, ...requested]);
  const extra: Record<string, number | null> = {};
  requested.forEach((q, i) => setOwn(extra, String(q), qs[FIXED.length + i] ?? null));
  const empty = s.count === 0;
  return {
    count: s.count,
    sum: s.sum,
    min: empty ? null : s.min,
    max: empty ? null : s.max,
    p50: qs[0] ?? null,
    p90: qs[1] ?? null,
    p99: qs[2] ?? null,
    p999: qs[3] ?? null,
    quantiles: extra,
    sketch: Object.freeze({
      relative_accuracy: p.alpha,
      max_bins: p.maxBins,
      zero_count: s.zero,
      bins, // frozen pairs, shared with the previous snapshot where unchanged
    }),
  };
}

function mergeValues(a: QuantileValues, b: QuantileValues): QuantileValues {
  const alpha = a.sketch.relative_accuracy;
  if (alpha !== b.sketch.relative_accuracy) {
    throw new RangeError('Expected quantile snapshots with the same `relative_accuracy`');
  }
  const p = sketchParams(alpha, Math.min(a.sketch.max_bins, b.sketch.max_bins));
  const s = emptySketch(0);
  for (const [k, c] of [...a.sketch.bins, ...b.sketch.bins]) addToKey(p, s, k, c);
  s.zero = a.sketch.zero_count + b.sketch.zero_count;
  s.count = a.count + b.count;
  s.sum = a.sum + b.sum;
  s.min = Math.min(a.min ?? Infinity, b.min ?? Infinity);
  s.max = Math.max(a.max ?? -Infinity, b.max ?? -Infinity);
  const requested = [...new Set([...Object.keys(a.quantiles), ...Object.keys(b.quantiles)])].map(Number);
  return valuesOf(p, requested, sketchBins(s), s);
}

/** Merges quantiles dimensions exactly (same relative accuracy required). @internal */
export function mergeQuantilesDimensions(
  a: QuantilesDimensions,
  b: QuantilesDimensions,
): QuantilesDimensions {
  const wa = a.window ?? null;
  const wb = b.window ?? null;
  if (wa !== null && wb !== null && wa.window_ms !== wb.window_ms) {
    throw new RangeError('Expected quantile snapshots with the same `window_ms`');
  }
  return {
    ...mergeValues(a, b),
    refused: a.refused + b.refused,
    window: wa === null ? wb : wb === null ? wa : { window_ms: wa.window_ms, ...mergeValues(wa, wb) },
  };
}

function checkFraction(param: string, value: unknown, open: boolean): number {
  const expected = open ? 'a number between 0 and 1 (exclusive)' : 'a number between 0 and 1';
  if (typeof value !== 'number') throw typeError(param, expected, value);
  if (!(open ? value > 0 && value < 1 : value >= 0 && value <= 1)) throw rangeError(param, expected, value);
  return value;
}

/** Bins a sketch of accuracy `alpha` needs to cover {@link MIN_SKETCH_RANGE} at full accuracy. */
function binsNeeded(alpha: number): number {
  return Math.ceil(Math.log(MIN_SKETCH_RANGE) * sketchParams(alpha, 1).multiplier);
}

/** Validates the accuracy and bin bound together (see {@link QuantilesOptions.relativeAccuracy}). @internal */
export function checkSketchParams(alphaRaw: unknown, maxBinsRaw: unknown): SketchParams {
  const alpha =
    alphaRaw === undefined ? DEFAULT_RELATIVE_ACCURACY : checkFraction('relativeAccuracy', alphaRaw, true);
  const needed = binsNeeded(alpha);
  if (alpha < MIN_RELATIVE_ACCURACY || needed > MAX_MAX_BINS) {
    throw new RangeError(
      `Expected \`relativeAccuracy\` that a sketch of at most ${MAX_MAX_BINS} bins can honour over six orders ` +
        `of magnitude (at least about 7e-5), got ${describeValue(alpha)}`,
    );
  }
  if (maxBinsRaw === undefined) return sketchParams(alpha, Math.max(DEFAULT_MAX_BINS, needed));
  const maxBins = checkPositiveInteger('maxBins', maxBinsRaw);
  if (maxBins > MAX_MAX_BINS)
    throw rangeError('maxBins', `a positive integer up to ${MAX_MAX_BINS}`, maxBins);
  return sketchParams(alpha, maxBins);
}

/**
 * A mergeable relative-error quantile sketch (DDSketch-like): p50/p90/p99/p999 and any requested quantile,
 * each within `relativeAccuracy` of the exact value of its rank, in bounded memory (`maxBins`), optionally
 * also over a sliding window. Kind `summary`. Non-negative values only (durations, sizes). Snapshots
 * carry the sketch and merge exactly.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder, quantiles } from 'mvx-common';
 *
 * const saveMsQ = quantiles({ name: 'doc.save.ms.q', on: 'doc.save', value: 'durationMs', windowMs: 60_000 });
 * const recorder = new MetricsRecorder('docs');
 * recorder.registerMetric(saveMsQ);
 * for (let ms = 1; ms <= 1_000; ms++) recorder.emit({ type: 'doc.save', durationMs: ms });
 * const { p50, p99, window } = recorder.getMetricSnapshot(saveMsQ)!.dimensions;
 * // Within 1% of the exact values since start; `window` holds the same over the last minute.
 * console.log(Math.abs(p50! - 500) <= 5, Math.abs(p99! - 990) <= 9.9, window?.count); // → true true 1000
 * await recorder.dispose();
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function quantiles<A extends MetricEvent = MetricEvent>(
  options: QuantilesOptions<A>,
): QuantilesMetric<A> {
  const { values, base } = readKindOptions(options, [
    'value',
    'relativeAccuracy',
    'maxBins',
    'quantiles',
    'windowMs',
    'subWindows',
  ]);
  const valueOf = compileValue('value', values.value, true);
  const p = checkSketchParams(values.relativeAccuracy, values.maxBins);
  const rawQuantiles = values.quantiles;
  if (rawQuantiles !== undefined && !Array.isArray(rawQuantiles)) {
    throw typeError('quantiles', 'a list of numbers between 0 and 1', rawQuantiles);
  }
  const requested = Object.freeze(
    ((rawQuantiles ?? []) as unknown[]).map((q, i) => checkFraction(`quantiles[${i}]`, q, false)),
  );
  const shape: WindowShape | null = compileWindow(values.windowMs, values.subWindows);
  const cloneSketch = (s: Sketch, owner: number): Sketch => forkSketch(s, owner);
  const update = (s: QuantilesState, event: A, ctx: MetricContext): boolean => {
    const v = finite(valueOf(event));
    const now = ctx.now;
    if (
      v === undefined ||
      v < 0 ||
      !isFiniteNumber(s.sketch.sum + v) ||
      (s.window !== null && shape !== null && !isFiniteNumber((peekCell(s.window, shape, now)?.sum ?? 0) + v))
    ) {
      s.refused++;
      return true;
    }
    if (s.sketch.o !== s.o) s.sketch = forkSketch(s.sketch, s.o);
    sketchAdd(p, s.sketch, v);
    if (s.window !== null && shape !== null)
      sketchAdd(p, currentCell(s.window, shape, now, emptySketch, cloneSketch), v);
    return true;
  };
  return defineKind<A, QuantilesState, QuantilesDimensions>({
    base,
    kind: 'summary',
    heavyDimensions: true,
    init: (owner) => ({
      o: owner,
      sketch: emptySketch(owner),
      refused: 0,
      window: shape === null ? null : emptyRing<Sketch>(owner, shape),
    }),
    update,
    fork: (s, owner) => ({
      o: owner,
      sketch: s.sketch,
      refused: s.refused,
      window: s.window === null ? null : forkRing(s.window, owner),
    }),
    dimensions(s: QuantilesState): QuantilesDimensions {
      let window: QuantilesWindow | null = null;
      if (s.window !== null && shape !== null) {
        const total = emptySketch(0);
        forEachInWindow(s.window, shape, (w) => {
          for (const [k, c] of sketchBins(w)) addToKey(p, total, k, c);
          total.zero += w.zero;
          total.count += w.count;
          total.sum += w.sum;
          if (w.min < total.min) total.min = w.min;
          if (w.max > total.max) total.max = w.max;
        });
        window = { window_ms: shape.windowMs, ...valuesOf(p, requested, sketchBins(total), total) };
      }
      return { ...valuesOf(p, requested, sketchBins(s.sketch), s.sketch), refused: s.refused, window };
    },
    ...(shape === null
      ? {}
      : {
          refresh: (s: QuantilesState, ctx: MetricContext) =>
            s.window !== null && advanceRing(s.window, shape, ctx.now),
          nextRefresh: (s: QuantilesState) => (s.window === null ? undefined : ringExpiry(s.window, shape)),
        }),
  });
}

/**
 * Any quantile of a quantiles snapshot (also of a merged one, or of its `window`), from its sketch;
 * `null` when empty.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { quantiles, sketchQuantile } from 'mvx-common';
 * import { reduceEvents } from 'mvx-common/testing';
 *
 * const latency = quantiles({ name: 'latency', on: 'req', value: 'ms' });
 * const dimensions = reduceEvents(latency, [10, 20, 30, 40].map((ms) => ({ type: 'req', ms })));
 * const p75 = sketchQuantile(dimensions, 0.75); // any quantile, not only those configured
 * console.log(Math.abs(p75! - 30) <= 0.3); // → true
 * ```
 * @throws RangeError when `q` is not in [0, 1]; TypeError when `dimensions` carry no sketch.
 */
export function sketchQuantile(dimensions: QuantileValues, q: number): number | null {
  checkFraction('q', q, false);
  const s = (dimensions as { sketch?: SketchDimensions } | null)?.sketch;
  if (s === undefined || s === null || typeof s !== 'object') {
    throw typeError('dimensions', 'quantiles dimensions with a `sketch`', dimensions);
  }
  const p = sketchParams(s.relative_accuracy, s.max_bins);
  const min = dimensions.min ?? 0;
  const max = dimensions.max ?? 0;
  return quantilesOf(p, s.bins, s.zero_count, dimensions.count, min, max, [q])[0] ?? null;
}
