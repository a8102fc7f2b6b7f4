import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { compileLabelled, compileValue, LABELLED_KEYS, readKindOptions } from './internal/kindOptions.js';
import { sumKind, type SumState } from './internal/sumKind.js';
import type { KindOptions, LabelledOptions, SeriesLabels, ValueOption } from './types.js';

/**
 * Options of {@link counter}.
 */
export interface CounterOptions<A extends MetricEvent> extends KindOptions<A>, LabelledOptions<A> {
  /**
   * What to add per event: a numeric field name or a function. Negative or non-finite values (and values
   * that would overflow the sum) are refused: counted in `refused`, never summed.
   * @default each accepted event adds 1
   */
  readonly value?: ValueOption<A>;
}

/** One labelled series of a counter snapshot. */
export type CounterSeries = { readonly labels: SeriesLabels; readonly total: number };

/**
 * Snapshot dimensions of a {@link counter}.
 */
export type CounterDimensions = {
  /** Sum over every event (cumulative: removed and expired series included). */
  readonly total: number;
  /** Events whose value was negative, non-finite, not a number, would overflow, or had unusable labels. */
  readonly refused: number;
  /** Events folded into the overflow series because `maxSeries` live series existed. */
  readonly overflow: number;
  /** Series removed (`removeOn`) or expired (`ttlMs`). */
  readonly evicted: number;
  /** One entry per live label set, sorted by labels, overflow last; `[]` when unlabelled. */
  readonly series: readonly CounterSeries[];
};

/** State of a {@link counter}. */
export type CounterState = SumState;

/** A {@link counter} metric. */
export type CounterMetric<A extends MetricEvent = MetricEvent> = Metric<A, CounterState, CounterDimensions>;

/**
 * A monotonic counter: counts accepted events, or sums a non-negative `value`; optionally one series
 * per label set (`by`), with a series cap, bounded label values, expiry (`ttlMs`) and removal
 * (`removeOn`). Kind `counter`.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { counter, MetricsRecorder } from 'mvx-common';
 *
 * const saves = counter({ name: 'doc.saves', on: 'doc.save', by: ['outcome'] });
 * const recorder = new MetricsRecorder('docs');
 * recorder.registerMetric(saves);
 * recorder.emit({ type: 'doc.save', outcome: 'success' });
 * recorder.emit({ type: 'doc.save', outcome: 'success' });
 * recorder.emit({ type: 'doc.save', outcome: 'failure' });
 * const { total, series } = recorder.getMetricSnapshot(saves)!.dimensions;
 * console.log(total, JSON.stringify(series));
 * // → 3 [{"labels":{"outcome":"failure"},"total":1},{"labels":{"outcome":"success"},"total":2}]
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function counter<A extends MetricEvent = MetricEvent>(options: CounterOptions<A>): CounterMetric<A> {
  const { values, base } = readKindOptions(options, [...LABELLED_KEYS, 'value']);
  const valueOf = compileValue('value', values.value, false);
  return sumKind<A, 'total'>(base, 'counter', 'total', valueOf, (v) => v >= 0, compileLabelled(values));
}
