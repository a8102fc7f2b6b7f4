import { isObservable, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { MetricEvent } from '../metrics/event.js';
import type { AnyMetric } from '../metrics/metric.js';
import { RECORDER_OPTION_KEYS, type ListsEvery } from '../internal/optionKeys.js';
import { checkScheduler, readOptions, typeError } from '../internal/validate.js';
import { MetricsRecorder } from '../metrics/recorder/MetricsRecorder.js';
import type { RecorderOptions } from '../metrics/recorder/types.js';
import { checkArray } from '../internal/checkArray.js';

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
 * `events$` (if given) piped into its emitter until the recorder is disposed. A bad argument (an unknown option key included) is a
 * TypeError/RangeError naming it.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { counter } from 'mvx-common';
 * import { createTestRecorder, createTestScheduler, dimensionsOf } from 'mvx-common/testing';
 *
 * const saves = counter({ name: 'saves', on: 'save' });
 * const scheduler = createTestScheduler();
 * scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
 *   const events$ = cold('  -a-b|', { a: { type: 'save' }, b: { type: 'save' } });
 *   const expected = '      xy-z';
 *   const subs = '          ^---!';
 *   const recorder = createTestRecorder(scheduler, [saves], { events$ });
 *   expectObservable(recorder.snapshot$(saves).pipe(dimensionsOf())).toBe(expected, {
 *     x: { total: 0, refused: 0, overflow: 0, evicted: 0, series: [] },
 *     y: { total: 1, refused: 0, overflow: 0, evicted: 0, series: [] },
 *     z: { total: 2, refused: 0, overflow: 0, evicted: 0, series: [] },
 *   });
 *   expectSubscriptions(events$.subscriptions).toBe(subs);
 * });
 * console.log('marbles ok'); // → marbles ok
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
  if (events$ !== undefined) {
    const piped = events$.subscribe(recorder.emitter);
    // The recorder's streams complete on dispose(): the piped source is let go then, not leaked.
    recorder.state$.subscribe({ complete: () => piped.unsubscribe() });
  }
  return recorder;
}
