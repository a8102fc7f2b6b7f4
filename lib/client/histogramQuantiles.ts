import { Observable, type OperatorFunction } from 'rxjs';
import { bucketQuantile } from './histogramQuantile.js';
import { readQuantileArgs, type QuantileEstimate, type QuantilesOverTimeOptions } from './quantileOptions.js';
import { IncrementWindow } from './timeWindow.js';
import type { TimedValue } from './TimedValue.js';

/** What {@link histogramQuantiles} reads of each sample: histogram dimensions, or one series with the bounds. */
export interface BucketCounts {
  readonly bounds: readonly number[];
  /** Per bucket (not cumulative), `bounds.length + 1` entries. */
  readonly counts: readonly number[];
}

/**
 * Quantiles over time from samples of a cumulative bucketed histogram (the `histogram` kind's
 * dimensions): each point is the distribution of the observations made since the previous sample, or
 * within `windowMs`, interpolated like Prometheus' `histogram_quantile`. Bucket counts that decrease
 * are a reset (the source restarted): the new counts are the increase. A change of bounds starts
 * over. The first sample only sets the baseline; malformed samples are skipped.
 *
 * ## Example
 * ```ts
 * import { histogramQuantiles, type MetricSnapshot, type TimedValue } from 'mvx-common';
 * import { map, type Observable } from 'rxjs';
 *
 * declare const latency$: Observable<TimedValue<MetricSnapshot>>; // samples of a histogram's snapshot
 * latency$.pipe(
 *   map(({ time, value }) => ({ time, value: value.dimensions as { bounds: number[]; counts: number[] } })),
 *   histogramQuantiles([0.5, 0.9, 0.99], { windowMs: 10_000 }),
 * ).subscribe(({ time, value }) => console.log(time, value.values)); // [p50, p90, p99]
 * ```
 * @throws TypeError / RangeError naming `qs` or the bad option.
 */
export function histogramQuantiles(
  qs: readonly number[],
  options?: QuantilesOverTimeOptions,
): OperatorFunction<TimedValue<BucketCounts>, TimedValue<QuantileEstimate>> {
  const args = readQuantileArgs(qs, options);
  return (source) =>
    new Observable<TimedValue<QuantileEstimate>>((subscriber) => {
      let bounds: readonly number[] | undefined;
      let prev: readonly number[] | undefined;
      let prevTime = -Infinity;
      let sum: number[] = [];
      const window = new IncrementWindow<number[]>(
        args.windowMs,
        (inc) => inc.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + c)),
        (inc) => inc.forEach((c, i) => (sum[i] = (sum[i] ?? 0) - c)),
      );
      return source.subscribe({
        next: ({ time, value }) => {
          const counts = value?.counts;
          const b = value?.bounds;
          if (!Number.isFinite(time) || time <= prevTime || !validBuckets(b, counts)) return;
          prevTime = time;
          if (bounds === undefined || prev === undefined || !sameBounds(bounds, b)) {
            bounds = b.slice();
            prev = counts.slice();
            sum = counts.map(() => 0);
            window.clear();
            return;
          }
          const reset = counts.some((c, i) => c < (prev![i] ?? 0));
          const inc = counts.map((c, i) => (reset ? c : c - (prev![i] ?? 0)));
          prev = counts.slice();
          window.push(time, inc);
          const total = sum.reduce((a, c) => a + c, 0);
          const values = args.qs.map((q) => bucketQuantile(q, bounds!, sum));
          subscriber.next({ time, value: Object.freeze({ count: total, values: Object.freeze(values) }) });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

function validBuckets(bounds: unknown, counts: unknown): counts is readonly number[] {
  if (!Array.isArray(bounds) || !Array.isArray(counts) || counts.length !== bounds.length + 1) return false;
  return counts.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0);
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
