import { map, type Observable, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MetricEvent } from '../metrics/event.js';
import type { AnyMetric, Metric } from '../metrics/metric.js';
import { MetricsRecorder } from '../metrics/recorder/MetricsRecorder.js';
import type { RecorderOptions } from '../metrics/recorder/types.js';
import type { Dimensions, MetricSnapshot } from '../metrics/snapshot.js';
import { deepEqual } from './deepEqual.js';

/**
 * A `TestScheduler` whose assertion compares structurally. Pass your test framework's assertion
 * (`(a, e) => expect(a).toEqual(e)`) for richer diffs.
 *
 * ## Example
 * ```ts
 * const scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(({ cold, expectObservable }) => {
 *   expectObservable(cold('a-b', events).pipe(aggregate(metric, scheduler), dimensionsOf())).toBe('x-y', dims);
 * });
 * ```
 */
export function createTestScheduler(
  assertEqual?: (actual: unknown, expected: unknown) => void,
): TestScheduler {
  return new TestScheduler(
    assertEqual ??
      ((actual, expected) => {
        if (!deepEqual(actual, expected)) {
          throw new Error(
            `Marble mismatch:\n  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`,
          );
        }
      }),
  );
}

/** Maps snapshots to their dimensions: marble expectations stay short. */
export function dimensionsOf<D extends Dimensions>(): OperatorFunction<MetricSnapshot<D>, D> {
  return map((snapshot) => snapshot.dimensions);
}

/**
 * A recorder processing on `scheduler` (normally a `TestScheduler`) with `metrics` registered, and
 * `events$` (if given) piped into its emitter.
 *
 * ## Example
 * ```ts
 * scheduler.run(({ cold, expectObservable }) => {
 *   const recorder = createTestRecorder(scheduler, [saves], { events$: cold('a-b|', events) });
 *   expectObservable(recorder.snapshot$('saves').pipe(dimensionsOf())).toBe('x-y', dims);
 * });
 * ```
 */
export function createTestRecorder<E extends MetricEvent = MetricEvent>(
  scheduler: TestScheduler,
  metrics: readonly AnyMetric[],
  options: Omit<RecorderOptions, 'scheduler'> & { entityId?: string; events$?: Observable<E> } = {},
): MetricsRecorder<E> {
  const { entityId = 'test', events$, ...recorderOptions } = options;
  const recorder = new MetricsRecorder<E>(entityId, { ...recorderOptions, scheduler });
  const untyped = recorder as unknown as MetricsRecorder<MetricEvent>;
  for (const metric of metrics) untyped.registerMetric(metric);
  events$?.subscribe(recorder.emitter);
  return recorder;
}

/**
 * Folds `events` through `metric` synchronously (no recorder, no scheduler) and returns the final
 * snapshot's dimensions: the shortest unit test of a reducer.
 */
export function reduceEvents<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  events: readonly (E | MetricEvent)[],
  now: number | ((index: number) => number) = 0,
): D {
  let state = metric.init();
  events.forEach((event, index) => {
    if (metric.accepts(event))
      state = metric.reduce(state, event, { now: typeof now === 'number' ? now : now(index) });
  });
  return metric.dimensions(state);
}
