/** A value at a time (epoch ms): what the chart operators consume and produce. */
export interface TimedValue<T = number> {
  readonly time: number;
  readonly value: T;
}
