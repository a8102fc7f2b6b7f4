import { Observable, type OperatorFunction } from 'rxjs';
import type { MetricSnapshot } from '../metrics/snapshot.js';
import { checkString } from '../internal/validate.js';
import type { SnapshotUpdate } from './snapshotsFromEventSource.js';
import type { TimedValue } from './TimedValue.js';

/**
 * Picks one metric of one recorder out of a stream of {@link SnapshotUpdate}s: emits its snapshot as
 * a {@link TimedValue} (the tick's time), for every update that has it (updates without it are skipped).
 *
 * ## Example
 * ```ts
 * import { perSecondRate, selectMetric, snapshotsFromEventSource } from 'mvx-common';
 * import { map } from 'rxjs';
 *
 * snapshotsFromEventSource('/events').pipe(
 *   selectMetric('http', 'http.requests'),
 *   map(({ time, value }) => ({ time, value: value.dimensions['total'] as number })),
 *   perSecondRate(),
 * );
 * ```
 * @throws TypeError naming `recorderId` or `metricName` unless they are strings.
 */
export function selectMetric(
  recorderId: string,
  metricName: string,
): OperatorFunction<SnapshotUpdate, TimedValue<MetricSnapshot>> {
  checkString('recorderId', recorderId);
  checkString('metricName', metricName);
  return (source) =>
    new Observable((subscriber) =>
      source.subscribe({
        next: (update) => {
          const reading = update.recorders.find((r) => r.recorderId === recorderId);
          if (reading === undefined || !Object.hasOwn(reading.snapshots, metricName)) return;
          const snapshot = reading.snapshots[metricName];
          if (snapshot !== undefined) subscriber.next({ time: update.time, value: snapshot });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
