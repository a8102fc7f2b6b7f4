import { Observable, type OperatorFunction } from 'rxjs';
import type { TimedValue } from './TimedValue.js';

/**
 * Turns samples of a cumulative counter into its per-second rate between consecutive samples, timed
 * with the later one. A value below the previous one is a counter reset (the source restarted from
 * zero), so the increase is the new value itself, as Prometheus' `rate()` assumes. The first sample
 * only sets the baseline; samples that are not finite, or not later than the previous one (a
 * duplicate after a reconnect), are skipped.
 *
 * ## Example
 * ```ts
 * import { of } from 'rxjs';
 * import { perSecondRate } from 'mvx-common';
 *
 * of({ time: 0, value: 10 }, { time: 2000, value: 30 }, { time: 3000, value: 5 })
 *   .pipe(perSecondRate())
 *   .subscribe((r) => console.log(r.value)); // 10, then 5 (after the reset)
 * ```
 */
export function perSecondRate(): OperatorFunction<TimedValue, TimedValue> {
  return (source) =>
    new Observable<TimedValue>((subscriber) => {
      let prev: TimedValue | undefined;
      return source.subscribe({
        next: (sample) => {
          const { time, value } = sample;
          if (!Number.isFinite(time) || !Number.isFinite(value)) return;
          if (prev !== undefined && time <= prev.time) return;
          const before = prev;
          prev = sample;
          if (before === undefined) return;
          const increase = value >= before.value ? value - before.value : value;
          subscriber.next({ time, value: (increase * 1000) / (time - before.time) });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
