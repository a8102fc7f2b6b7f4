import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { MetricEvent } from './event.js';
import type { Metric } from './metric.js';
import { buildSnapshot } from './snapshots/buildSnapshot.js';
import type { Dimensions, MetricSnapshot } from './snapshot.js';

/**
 * The pure-RxJS path: folds an event stream through one metric, without a recorder.
 *
 * Emits one snapshot per event that changed the state (like `scan`: no initial emission). Events the
 * metric does not accept are skipped. `ctx.now` is read from `scheduler` (default `asyncScheduler`, which
 * `TestScheduler.run` virtualizes). An error thrown by the metric errors the output.
 *
 * ## Example
 * ```ts
 * import { aggregate } from 'mvx-common';
 * events$.pipe(aggregate(saves)).subscribe((s) => console.log(s.dimensions.total));
 * ```
 */
export function aggregate<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<MetricEvent, MetricSnapshot<D>> {
  return (source) =>
    new Observable<MetricSnapshot<D>>((subscriber) => {
      let state = metric.init();
      return source.subscribe({
        next(event) {
          let snapshot: MetricSnapshot<D>;
          try {
            if (!metric.accepts(event)) return;
            const next = metric.reduce(state, event, { now: scheduler.now() });
            if (next === state) return;
            state = next;
            snapshot = buildSnapshot<D>(metric, state);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          subscriber.next(snapshot);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
