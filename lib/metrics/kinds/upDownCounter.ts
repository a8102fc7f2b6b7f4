import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { compileBase, compileLabeller, compileValue } from './internals.js';
import { sumParts, type SumState } from './sumInternals.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link upDownCounter}.
 *
 * ## Example
 * ```ts
 * const options: UpDownCounterOptions<QueueEvent> = { name: 'queue.depth', on: 'queue.change', value: 'delta' };
 * ```
 */
export interface UpDownCounterOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The delta per event (positive or negative); non-finite values are refused. */
  readonly value: ValueOption<A>;
}

/**
 * One labelled series of an up-down counter snapshot.
 *
 * ## Example
 * ```ts
 * const s: UpDownCounterSeries = { labels: { queue: 'mail' }, value: 4 };
 * ```
 */
export type UpDownCounterSeries = { readonly labels: SeriesLabels; readonly value: number };

/**
 * Snapshot dimensions of an {@link upDownCounter}.
 *
 * ## Example
 * ```ts
 * // { value: 4, refused: 0, overflow: 0, series: [] }
 * ```
 */
export type UpDownCounterDimensions = {
  /** Sum of all deltas over all series. */
  readonly value: number;
  /** Events whose value was non-finite or not a number. */
  readonly refused: number;
  /** Events folded into the overflow series. */
  readonly overflow: number;
  /** One entry per label set, sorted by labels, overflow last; `[]` when unlabelled. */
  readonly series: readonly UpDownCounterSeries[];
};

/** State of an {@link upDownCounter} (persistent). */
export type UpDownCounterState = SumState;

/** An {@link upDownCounter} metric. */
export type UpDownCounterMetric<A extends MetricEvent = MetricEvent> = Metric<
  A,
  UpDownCounterState,
  UpDownCounterDimensions
>;

/**
 * Sums positive and negative deltas (in-flight requests, queue depth), optionally per label set.
 * Kind `gauge`; snapshots merge by summing.
 *
 * ## Example
 * ```ts
 * import { upDownCounter } from 'mvx-common';
 *
 * const inFlight = upDownCounter({ name: 'http.in_flight', on: 'http.flight', value: 'delta', by: ['route'] });
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function upDownCounter<A extends MetricEvent = MetricEvent>(
  options: UpDownCounterOptions<A>,
): UpDownCounterMetric<A> {
  const base = compileBase(options);
  const valueOf = compileValue('value', options.value, true);
  const labeller = compileLabeller(options.by, options.maxSeries);
  const parts = sumParts('value', valueOf, () => true, labeller);
  return Object.freeze({
    ...base,
    kind: 'gauge',
    init: parts.init,
    reduce: parts.reduce,
    dimensions: parts.dimensions,
  });
}
