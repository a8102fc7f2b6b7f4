/**
 * A value at a time (epoch ms): what the chart operators consume and produce.
 *
 * ## Example
 * ```ts
 * const sample: TimedValue = { time: Date.now(), value: 42 };
 * ```
 */
export interface TimedValue<T = number> {
  readonly time: number;
  readonly value: T;
}
