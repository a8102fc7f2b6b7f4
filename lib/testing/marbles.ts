import { isObservable, map, type Observable, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MetricEvent } from '../metrics/event.js';
import { checkMetric, type AnyMetric, type Metric } from '../metrics/metric.js';
import { RECORDER_OPTION_KEYS, type ListsEvery } from '../internal/optionKeys.js';
import { checkFunction, checkScheduler, readOptions, typeError } from '../internal/validate.js';
import { MetricsRecorder } from '../metrics/recorder/MetricsRecorder.js';
import type { RecorderOptions } from '../metrics/recorder/types.js';
import type { Dimensions, MetricSnapshot } from '../metrics/snapshot.js';
import { checkArray } from '../internal/checkArray.js';
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
  if (assertEqual !== undefined) checkFunction('assertEqual', assertEqual);
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
 * Options of {@link createTestRecorder}: the recorder's options (without `scheduler`, which is the
 * first argument), its `entityId`, and an event stream to pipe into it.
 */
export type TestRecorderOptions<E extends MetricEvent = MetricEvent> = Omit<RecorderOptions, 'scheduler'> & {
  /** @default 'test' */
  entityId?: string;
  /** Piped into the recorder's emitter when given. */
  events$?: Observable<E>;
};

const TEST_RECORDER_OPTION_KEYS = [
  ...RECORDER_OPTION_KEYS.filter((k): k is Exclude<typeof k, 'scheduler'> => k !== 'scheduler'),
  'entityId',
  'events$',
] as const;

/** Compile-time check: the keys above are exactly those of `TestRecorderOptions`. @internal */
export const TEST_RECORDER_OPTION_KEYS_COMPLETE: ListsEvery<
  TestRecorderOptions,
  typeof TEST_RECORDER_OPTION_KEYS
> = true;

/**
 * A recorder processing on `scheduler` (normally a `TestScheduler`) with `metrics` registered, and
 * `events$` (if given) piped into its emitter. A bad argument (an unknown option key included) is a
 * TypeError/RangeError naming it.
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
  options: TestRecorderOptions<E> = {},
): MetricsRecorder<E> {
  checkScheduler('scheduler', scheduler);
  const list = checkArray<AnyMetric>('metrics', metrics);
  const {
    entityId = 'test',
    events$,
    ...recorderOptions
  } = readOptions('options', options, TEST_RECORDER_OPTION_KEYS) as TestRecorderOptions<E>;
  if (events$ !== undefined && !isObservable(events$)) {
    throw typeError('options.events$', 'an Observable of events', events$);
  }
  const recorder = new MetricsRecorder<E>(entityId, { ...recorderOptions, scheduler });
  const untyped = recorder as unknown as MetricsRecorder<MetricEvent>;
  for (const metric of list) untyped.registerMetric(metric);
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
  checkMetric('metric', metric);
  const list = checkArray<E | MetricEvent>('events', events);
  if (typeof now !== 'function' && (typeof now !== 'number' || !Number.isFinite(now))) {
    throw typeError('now', 'a finite number or a function of the event index', now);
  }
  let state = metric.init();
  list.forEach((event, index) => {
    if (metric.accepts(event))
      state = metric.reduce(state, event, { now: typeof now === 'number' ? now : now(index) });
  });
  return metric.dimensions(state);
}
