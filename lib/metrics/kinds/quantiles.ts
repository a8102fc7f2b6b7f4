import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { checkPositiveInteger, rangeError, typeError } from '../../internal/validate.js';
import { compileBase, compileValue, finite } from './internals.js';
import {
  binsFrom,
  EMPTY_SKETCH,
  quantilesOf,
  sketchAdd,
  sketchBins,
  sketchParams,
  type Sketch,
} from './sketch.js';
import type { KindOptions, ValueOption } from './types.js';

/**
 * Options of {@link quantiles}.
 *
 * ## Example
 * ```ts
 * const options: QuantilesOptions<SaveAttempt> = { name: 'save.ms.q', on: 'doc.save', value: 'durationMs', quantiles: [0.75] };
 * ```
 */
export interface QuantilesOptions<A extends MetricEvent> extends KindOptions<A> {
  /** The observed value; negative or non-finite values are refused. */
  readonly value: ValueOption<A>;
  /**
   * Guaranteed relative error of every quantile (0 < x < 1).
   * @default 0.01
   */
  readonly relativeAccuracy?: number;
  /**
   * Bound on the number of bins; beyond it the lowest bins collapse (high quantiles stay accurate).
   * @default 2048
   */
  readonly maxBins?: number;
  /** Extra quantiles (each in [0, 1]) reported under `quantiles`, keyed by `String(q)`. */
  readonly quantiles?: readonly number[];
}

/**
 * The mergeable sketch inside a quantiles snapshot: `bins` are sorted `[key, count]` pairs; bin `key`
 * holds values in `(gamma^(key-1), gamma^key]` with `gamma = (1 + relative_accuracy) / (1 - relative_accuracy)`.
 *
 * ## Example
 * ```ts
 * const s: SketchDimensions = { relative_accuracy: 0.01, max_bins: 2048, zero_count: 0, bins: [[116, 3]] };
 * ```
 */
export type SketchDimensions = {
  readonly relative_accuracy: number;
  readonly max_bins: number;
  readonly zero_count: number;
  readonly bins: readonly (readonly [number, number])[];
};

/**
 * Snapshot dimensions of {@link quantiles}; quantiles, `min` and `max` are `null` while empty.
 *
 * ## Example
 * ```ts
 * // { count: 3, sum: 36, min: 10, max: 14, p50: 12.02, p90: 14, p99: 14, p999: 14, quantiles: {}, refused: 0, sketch: {...} }
 * ```
 */
export type QuantilesDimensions = {
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly quantiles: { readonly [q: string]: number | null };
  readonly refused: number;
  readonly sketch: SketchDimensions;
};

/**
 * State of {@link quantiles} (persistent).
 *
 * ## Example
 * ```ts
 * const s: QuantilesState = saveMsQ.init();
 * ```
 */
export interface QuantilesState {
  readonly sketch: Sketch;
  readonly refused: number;
}

/** A {@link quantiles} metric. */
export type QuantilesMetric<A extends MetricEvent = MetricEvent> = Metric<
  A,
  QuantilesState,
  QuantilesDimensions
>;

const FIXED = [0.5, 0.9, 0.99, 0.999] as const;

function dimensionsOf(
  alpha: number,
  maxBins: number,
  requested: readonly number[],
  bins: readonly (readonly [number, number])[],
  s: Omit<Sketch, 'bins' | 'binCount' | 'floorKey'>,
  refused: number,
): QuantilesDimensions {
  const p = sketchParams(alpha, maxBins);
  const qs = quantilesOf(p, bins, s.zero, s.count, s.min, s.max, [...FIXED, ...requested]);
  const extra: Record<string, number | null> = {};
  requested.forEach((q, i) => (extra[String(q)] = qs[FIXED.length + i] ?? null));
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
    refused,
    sketch: {
      relative_accuracy: alpha,
      max_bins: maxBins,
      zero_count: s.zero,
      bins: bins.map(([k, c]) => [k, c]),
    },
  };
}

/** Merges quantiles dimensions exactly (same relative accuracy required). @internal */
export function mergeQuantilesDimensions(
  a: QuantilesDimensions,
  b: QuantilesDimensions,
): QuantilesDimensions {
  const alpha = a.sketch.relative_accuracy;
  if (alpha !== b.sketch.relative_accuracy) {
    throw new RangeError('Expected quantile snapshots with the same `relative_accuracy`');
  }
  const maxBins = Math.min(a.sketch.max_bins, b.sketch.max_bins);
  const byKey = new Map<number, number>();
  for (const [k, c] of [...a.sketch.bins, ...b.sketch.bins]) byKey.set(k, (byKey.get(k) ?? 0) + c);
  const pairs = [...byKey.entries()].sort((x, y) => x[0] - y[0]);
  const p = sketchParams(alpha, maxBins);
  const bins = sketchBins(p, { ...EMPTY_SKETCH, ...binsFrom(p, pairs) });
  const requested = [...new Set([...Object.keys(a.quantiles), ...Object.keys(b.quantiles)])].map(Number);
  const count = a.count + b.count;
  const min = Math.min(a.min ?? Infinity, b.min ?? Infinity);
  const max = Math.max(a.max ?? -Infinity, b.max ?? -Infinity);
  const zero = a.sketch.zero_count + b.sketch.zero_count;
  return dimensionsOf(
    alpha,
    maxBins,
    requested,
    bins,
    { zero, count, sum: a.sum + b.sum, min, max },
    a.refused + b.refused,
  );
}

function checkFraction(param: string, value: unknown, open: boolean): number {
  const expected = open ? 'a number between 0 and 1 (exclusive)' : 'a number between 0 and 1';
  if (typeof value !== 'number') throw typeError(param, expected, value);
  if (!(open ? value > 0 && value < 1 : value >= 0 && value <= 1)) throw rangeError(param, expected, value);
  return value;
}

/**
 * A mergeable relative-error quantile sketch (DDSketch-like): p50/p90/p99/p999 and any requested quantile,
 * each within `relativeAccuracy` of the exact value, in bounded memory (`maxBins`). Kind `summary`.
 * Non-negative values only (durations, sizes). Snapshots carry the sketch and merge exactly.
 *
 * ## Example
 * ```ts
 * import { quantiles } from 'mvx-common';
 *
 * const saveMsQ = quantiles({ name: 'doc.save.ms.q', on: 'doc.save', value: 'durationMs' });
 * // dimensions.p99 is within 1% of the exact p99
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function quantiles<A extends MetricEvent = MetricEvent>(
  options: QuantilesOptions<A>,
): QuantilesMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, true);
  const alpha =
    options.relativeAccuracy === undefined
      ? 0.01
      : checkFraction('relativeAccuracy', options.relativeAccuracy, true);
  const maxBins = options.maxBins === undefined ? 2048 : checkPositiveInteger('maxBins', options.maxBins);
  if (options.quantiles !== undefined && !Array.isArray(options.quantiles)) {
    throw typeError('quantiles', 'a list of numbers between 0 and 1', options.quantiles);
  }
  const requested = Object.freeze(
    (options.quantiles ?? []).map((q, i) => checkFraction(`quantiles[${i}]`, q, false)),
  );
  const p = sketchParams(alpha, maxBins);
  return Object.freeze({
    ...base,
    kind: 'summary',
    init: (): QuantilesState => ({ sketch: EMPTY_SKETCH, refused: 0 }),
    reduce(state: QuantilesState, event: A): QuantilesState {
      const v = finite(valueOf(event));
      if (v === undefined || v < 0) return { sketch: state.sketch, refused: state.refused + 1 };
      return { sketch: sketchAdd(p, state.sketch, v), refused: state.refused };
    },
    dimensions: (state: QuantilesState): QuantilesDimensions =>
      dimensionsOf(alpha, maxBins, requested, sketchBins(p, state.sketch), state.sketch, state.refused),
  });
}

/**
 * Any quantile of a quantiles snapshot (also of a merged one), from its sketch; `null` when empty.
 *
 * ## Example
 * ```ts
 * import { sketchQuantile } from 'mvx-common';
 * const p75 = sketchQuantile(snapshot.dimensions, 0.75);
 * ```
 * @throws RangeError when `q` is not in [0, 1].
 */
export function sketchQuantile(dimensions: QuantilesDimensions, q: number): number | null {
  checkFraction('q', q, false);
  const s = dimensions.sketch;
  const p = sketchParams(s.relative_accuracy, s.max_bins);
  const min = dimensions.min ?? 0;
  const max = dimensions.max ?? 0;
  return quantilesOf(p, s.bins, s.zero_count, dimensions.count, min, max, [q])[0] ?? null;
}
