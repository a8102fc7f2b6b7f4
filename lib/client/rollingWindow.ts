import { Observable, type OperatorFunction } from 'rxjs';
import { checkPositiveInteger, orDefault, rangeError, readOptions, typeError } from '../internal/validate.js';

/** Options of {@link rollingWindow}. */
export interface RollingWindowOptions {
  /** Most points kept. @default 1000 */
  readonly maxPoints?: number;
  /** Oldest point kept, relative to the newest point's time (`Infinity`: no bound). @default Infinity */
  readonly maxAgeMs?: number;
}

/**
 * Collects timed points into a bounded window (like Grafana's streaming frames: `maxLength` and
 * `maxDelta`): emits, for each point, a frozen array of the points kept, oldest first. The window
 * holds at most `maxPoints` points, none older than `maxAgeMs` before the newest. A point that is not
 * later than the newest one (a duplicate or a replay after a reconnect) is ignored.
 *
 * ## Example
 * ```ts
 * import { rollingWindow, type TimedValue } from 'mvx-common';
 * import type { Observable } from 'rxjs';
 *
 * declare const rate$: Observable<TimedValue>; // e.g. from perSecondRate()
 * declare const chart: { setData(points: readonly TimedValue[]): void };
 * rate$.pipe(rollingWindow({ maxPoints: 900, maxAgeMs: 15 * 60_000 })).subscribe((points) => chart.setData(points));
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function rollingWindow<T extends { readonly time: number }>(
  options?: RollingWindowOptions,
): OperatorFunction<T, readonly T[]> {
  const o = readOptions('options', options, ['maxPoints', 'maxAgeMs']);
  const maxPoints = orDefault(o.maxPoints, 1000, (v) => checkPositiveInteger('options.maxPoints', v));
  const maxAgeMs = orDefault(o.maxAgeMs, Infinity, (v) => {
    if (typeof v !== 'number') throw typeError('options.maxAgeMs', 'a non-negative number', v);
    if (Number.isNaN(v) || v < 0) throw rangeError('options.maxAgeMs', 'a non-negative number', v);
    return v;
  });
  return (source) =>
    new Observable<readonly T[]>((subscriber) => {
      let points: T[] = [];
      return source.subscribe({
        next: (point) => {
          const time = point?.time;
          if (typeof time !== 'number' || Number.isNaN(time)) return;
          const newest = points[points.length - 1];
          if (newest !== undefined && time <= newest.time) return;
          points.push(point);
          let drop = Math.max(0, points.length - maxPoints);
          while (drop < points.length - 1 && time - points[drop]!.time > maxAgeMs) drop++;
          if (drop > 0) points = points.slice(drop);
          subscriber.next(Object.freeze(points.slice()));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
