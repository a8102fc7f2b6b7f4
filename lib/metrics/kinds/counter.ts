import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { compileBase, compileLabeller, compileValue } from './internals.js';
import { sumParts, type SumState } from './sumInternals.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link counter}.
 *
 * ## Example
 * ```ts
 * const options: CounterOptions<SaveAttempt> = { name: 'doc.bytes', on: 'doc.save', value: 'bytes' };
 * ```
 */
export interface CounterOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /**
   * What to add per event: a numeric field name or a function. Negative or non-finite values are
   * refused (counted in `refused`, never summed).
   * @default each accepted event adds 1
   */
  readonly value?: ValueOption<A>;
}

/**
 * One labelled series of a counter snapshot.
 *
 * ## Example
 * ```ts
 * const s: CounterSeries = { labels: { outcome: 'success' }, total: 3 };
 * ```
 */
export type CounterSeries = { readonly labels: SeriesLabels; readonly total: number };

/**
 * Snapshot dimensions of a {@link counter}.
 *
 * ## Example
 * ```ts
 * // { total: 3, refused: 0, overflow: 0, series: [{ labels: { outcome: 'success' }, total: 3 }] }
 * ```
 */
export type CounterDimensions = {
  /** Sum over all series (events counted, or values summed). */
  readonly total: number;
  /** Events whose value was negative, non-finite or not a number. */
  readonly refused: number;
  /** Events folded into the overflow series because `maxSeries` was reached. */
  readonly overflow: number;
  /** One entry per label set, sorted by labels, overflow last; `[]` when unlabelled. */
  readonly series: readonly CounterSeries[];
};

/** State of a {@link counter} (persistent). */
export type CounterState = SumState;

/** A {@link counter} metric. */
export type CounterMetric<A extends MetricEvent = MetricEvent> = Metric<A, CounterState, CounterDimensions>;

/**
 * A monotonic counter: counts accepted events, or sums a non-negative `value`; optionally one series
 * per label set (`by`). Kind `counter`.
 *
 * ## Example
 * ```ts
 * import { counter } from 'mvx-common';
 *
 * const saves = counter({ name: 'doc.saves', on: 'doc.save', by: ['outcome'] });
 * // dimensions: { total: 2, refused: 0, overflow: 0, series: [{ labels: { outcome: 'success' }, total: 2 }] }
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function counter<A extends MetricEvent = MetricEvent>(options: CounterOptions<A>): CounterMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, false);
  const labeller = compileLabeller(options.by, options.maxSeries);
  const parts = sumParts('total', valueOf, (v) => v >= 0, labeller);
  return Object.freeze({
    ...base,
    kind: 'counter',
    init: parts.init,
    reduce: parts.reduce,
    dimensions: parts.dimensions,
  });
}
