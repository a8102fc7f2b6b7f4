import type { MetricEvent } from '../event.js';
import { counter, type CounterMetric, type CounterOptions } from './counter.js';
import { gauge, type GaugeMetric, type GaugeOptions } from './gauge.js';
import { histogram, type HistogramMetric, type HistogramOptions } from './histogram.js';
import { outcomeCounter, type OutcomeCounterMetric, type OutcomeCounterOptions } from './outcomeCounter.js';
import { quantiles, type QuantilesMetric, type QuantilesOptions } from './quantiles.js';
import { rate, type RateMetric, type RateOptions } from './rate.js';
import type { Narrow } from './types.js';
import { upDownCounter, type UpDownCounterMetric, type UpDownCounterOptions } from './upDownCounter.js';

/**
 * Options of a kind whose `on` is one event type or a list of types of the union `E`, narrowing the event
 * seen by `value`, `by` and `outcome` to the matching members.
 */
export type TypedOptions<O, T extends string> = Omit<O, 'on'> & { readonly on: T | readonly T[] };

/**
 * The built-in kinds typed for one event union (see {@link kindsFor}).
 */
export interface MetricKinds<E extends MetricEvent> {
  counter<const T extends E['type']>(
    options: TypedOptions<CounterOptions<Narrow<E, T>>, T>,
  ): CounterMetric<Narrow<E, T>>;
  upDownCounter<const T extends E['type']>(
    options: TypedOptions<UpDownCounterOptions<Narrow<E, T>>, T>,
  ): UpDownCounterMetric<Narrow<E, T>>;
  gauge<const T extends E['type']>(
    options: TypedOptions<GaugeOptions<Narrow<E, T>>, T>,
  ): GaugeMetric<Narrow<E, T>>;
  histogram<const T extends E['type']>(
    options: TypedOptions<HistogramOptions<Narrow<E, T>>, T>,
  ): HistogramMetric<Narrow<E, T>>;
  quantiles<const T extends E['type']>(
    options: TypedOptions<QuantilesOptions<Narrow<E, T>>, T>,
  ): QuantilesMetric<Narrow<E, T>>;
  rate<const T extends E['type']>(
    options: TypedOptions<RateOptions<Narrow<E, T>>, T>,
  ): RateMetric<Narrow<E, T>>;
  outcomeCounter<const T extends E['type'], const O extends string = 'success' | 'failure'>(
    options: TypedOptions<OutcomeCounterOptions<Narrow<E, T>, O>, T>,
  ): OutcomeCounterMetric<Narrow<E, T>, O>;
}

/**
 * The built-in kinds typed for the event union `E`: `on: 'x'` narrows the event type inside `value`, `by`
 * and `outcome`, and `by` keys / `value` field names are checked against that event's fields. The
 * factories are the same at run time.
 *
 * ## Example
 * ```ts
 * import { kindsFor } from 'mvx-common';
 *
 * type AppEvent =
 *   | { type: 'doc.save'; outcome: 'success' | 'failure'; durationMs: number; region: string }
 *   | { type: 'cache.size'; entries: number };
 *
 * const k = kindsFor<AppEvent>();
 * const saves = k.counter({ name: 'doc.saves', on: 'doc.save', by: ['outcome', 'region'] });
 * const entries = k.gauge({ name: 'cache.entries', on: 'cache.size', value: (e) => e.entries }); // e: cache.size
 * // @ts-expect-error: 'entries' is not a field of doc.save events
 * k.counter({ name: 'doc.bad', on: 'doc.save', by: ['entries'] });
 * ```
 */
export function kindsFor<E extends MetricEvent>(): MetricKinds<E> {
  return KINDS as unknown as MetricKinds<E>;
}

const KINDS = Object.freeze({ counter, upDownCounter, gauge, histogram, quantiles, rate, outcomeCounter });
