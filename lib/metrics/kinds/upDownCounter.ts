import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { compileLabelled, compileValue, LABELLED_KEYS, readKindOptions } from './internal/kindOptions.js';
import { sumKind, type SumState } from './internal/sumKind.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link upDownCounter}.
 */
export interface UpDownCounterOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /** The delta per event (positive or negative); non-finite values (and overflowing sums) are refused. */
  readonly value: ValueOption<A>;
}

/** One labelled series of an up-down counter snapshot. */
export type UpDownCounterSeries = { readonly labels: SeriesLabels; readonly value: number };

/**
 * Snapshot dimensions of an {@link upDownCounter}.
 */
export type UpDownCounterDimensions = {
  /** Sum of all deltas (cumulative: removed and expired series included). */
  readonly value: number;
  /** Events whose value was non-finite, not a number, would overflow, or had unusable labels. */
  readonly refused: number;
  /** Events folded into the overflow series. */
  readonly overflow: number;
  /** Series removed (`removeOn`) or expired (`ttlMs`). */
  readonly evicted: number;
  /** One entry per live label set, sorted by labels, overflow last; `[]` when unlabelled. */
  readonly series: readonly UpDownCounterSeries[];
};

/** State of an {@link upDownCounter}. */
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
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder, upDownCounter } from 'mvx-common';
 *
 * const inFlight = upDownCounter({ name: 'http.in_flight', on: 'http.flight', value: 'delta', by: ['route'] });
 * const recorder = new MetricsRecorder('http');
 * recorder.registerMetric(inFlight);
 * recorder.emit({ type: 'http.flight', route: '/a', delta: 1 });
 * recorder.emit({ type: 'http.flight', route: '/a', delta: 1 });
 * recorder.emit({ type: 'http.flight', route: '/a', delta: -1 });
 * console.log(recorder.getMetricSnapshot(inFlight)!.dimensions.value); // → 1
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function upDownCounter<A extends MetricEvent = MetricEvent>(
  options: UpDownCounterOptions<A>,
): UpDownCounterMetric<A> {
  const { values, base } = readKindOptions(options, [...LABELLED_KEYS, 'value']);
  const valueOf = compileValue('value', values.value, true);
  return sumKind<A, 'value'>(base, 'gauge', 'value', valueOf, () => true, compileLabelled(values));
}
