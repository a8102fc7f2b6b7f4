import { isObservable, Observable, type TimestampProvider } from 'rxjs';
import type { ListsEvery } from '../../internal/optionKeys.js';
import { checkEmitter } from '../../internal/checkEmitter.js';
import { checkPlainObject, checkString, readOptions, typeError } from '../../internal/validate.js';

/**
 * How a measured piece of work ended.
 */
export type MeasureOutcome = 'success' | 'failure' | 'cancelled';

/**
 * The event {@link measure} emits.
 */
export type MeasuredEvent<T extends string, F extends object = object> = Omit<
  F,
  'type' | 'outcome' | 'durationMs'
> & {
  readonly type: T;
  readonly outcome: MeasureOutcome;
  readonly durationMs: number;
};

/**
 * Options of {@link measure}.
 */
export interface MeasureOptions {
  /**
   * The clock, in ms (a `TestScheduler` works).
   * @default `performance.now()` when available, else `Date.now()`
   */
  readonly clock?: TimestampProvider;
}

/** Every key of {@link MeasureOptions}. */
const MEASURE_OPTION_KEYS = ['clock'] as const;

/** Compile-time check: the keys above are exactly those of `MeasureOptions`. @internal */
export const MEASURE_OPTION_KEYS_COMPLETE: ListsEvery<MeasureOptions, typeof MEASURE_OPTION_KEYS> = true;

/** `options.clock`, checked (an object with a `now` function), or the default clock. */
function readClock(options: unknown): TimestampProvider {
  const { clock } = readOptions('options', options, MEASURE_OPTION_KEYS);
  if (clock === undefined) return defaultClock;
  let now: unknown;
  try {
    now = clock !== null && typeof clock === 'object' ? (clock as { now?: unknown }).now : undefined;
  } catch (cause) {
    throw new TypeError('Reading `options.clock.now` threw', { cause });
  }
  if (typeof now !== 'function')
    throw typeError('options.clock', 'a TimestampProvider (an object with `now()`)', clock);
  return clock as TimestampProvider;
}

/** A copy of `fields`, read once, when `measure` is called (a throwing getter is a TypeError naming it). */
function readFields(fields: unknown): Record<string, unknown> {
  if (fields === undefined) return {};
  checkPlainObject('fields', fields);
  try {
    return { ...(fields as Record<string, unknown>) };
  } catch (cause) {
    throw new TypeError('Reading `fields` threw', { cause });
  }
}

const defaultClock: TimestampProvider = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : new Date().getTime()),
};

/**
 * Runs `work` (a function returning a value, a Promise or an Observable; or a Promise / Observable itself)
 * and emits one event `{ ...fields, type, outcome, durationMs }` when it ends: `success`, `failure`, or
 * `cancelled` (an Observable unsubscribed before it ended). It never changes the work's result, error or
 * return type: a Promise is returned as is, an Observable is wrapped (one event per subscription), a
 * thrown error is rethrown. A throwing emitter never disturbs the work.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { counter, measure, MetricsRecorder } from 'mvx-common';
 *
 * const recorder = new MetricsRecorder('docs');
 * const saves = counter({ name: 'doc.saves', on: 'doc.save', by: ['outcome', 'region'] });
 * recorder.registerMetric(saves);
 *
 * // Emits { region: 'eu', type: 'doc.save', outcome: 'success', durationMs: ... } when the work settles.
 * const saved = await measure(recorder.emitter, 'doc.save', async () => 'doc-1', { region: 'eu' });
 * console.log(saved, JSON.stringify(recorder.getMetricSnapshot(saves)!.dimensions.series));
 * // → doc-1 [{"labels":{"outcome":"success","region":"eu"},"total":1}]
 * ```
 * `fields` are copied when `measure` is called.
 * @throws TypeError/RangeError (synchronously) naming a bad argument: `emitter` without `emit`, `type` not a
 *   non-empty string, `work` not a function, Promise or Observable, `fields` not an object, an unknown or
 *   bad option; otherwise only what `work` throws.
 */
export function measure<T extends string, F extends object, R>(
  emitter: { emit(event: MeasuredEvent<T, F>): void },
  type: T,
  work: Observable<R>,
  fields?: F,
  options?: MeasureOptions,
): Observable<R>;
export function measure<T extends string, F extends object, R>(
  emitter: { emit(event: MeasuredEvent<T, F>): void },
  type: T,
  work: PromiseLike<R>,
  fields?: F,
  options?: MeasureOptions,
): PromiseLike<R>;
export function measure<T extends string, F extends object, R>(
  emitter: { emit(event: MeasuredEvent<T, F>): void },
  type: T,
  work: () => R,
  fields?: F,
  options?: MeasureOptions,
): R;
export function measure<T extends string, F extends object>(
  emitter: { emit(event: MeasuredEvent<T, F>): void },
  type: T,
  work: unknown,
  fields?: F,
  options?: MeasureOptions,
): unknown {
  checkEmitter('emitter', emitter);
  checkString('type', type, { nonEmpty: true });
  const base = readFields(fields);
  const clock = readClock(options);
  const report = (start: number, outcome: MeasureOutcome): void => {
    try {
      emitter.emit({ ...base, type, outcome, durationMs: clock.now() - start } as MeasuredEvent<T, F>);
    } catch {
      // The emitter contract says emit never throws; a broken one must still not disturb the work.
    }
  };
  const wrap = (source: Observable<unknown>): Observable<unknown> =>
    new Observable((subscriber) => {
      const start = clock.now();
      let ended = false;
      const sub = source.subscribe({
        next: (v) => subscriber.next(v),
        error: (err: unknown) => {
          ended = true;
          report(start, 'failure');
          subscriber.error(err);
        },
        complete: () => {
          ended = true;
          report(start, 'success');
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        if (!ended) {
          ended = true;
          report(start, 'cancelled');
        }
      };
    });
  const settle = (start: number, p: PromiseLike<unknown>): PromiseLike<unknown> => {
    p.then(
      () => report(start, 'success'),
      () => report(start, 'failure'),
    );
    return p;
  };
  const isThenable = (v: unknown): v is PromiseLike<unknown> =>
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as PromiseLike<unknown>).then === 'function';
  if (isObservable(work)) return wrap(work);
  if (isThenable(work)) return settle(clock.now(), work);
  if (typeof work !== 'function') throw typeError('work', 'a function, a Promise or an Observable', work);
  const start = clock.now();
  let result: unknown;
  try {
    result = (work as () => unknown)();
  } catch (err) {
    report(start, 'failure');
    throw err;
  }
  if (isObservable(result)) return wrap(result);
  if (isThenable(result)) return settle(start, result);
  report(start, 'success');
  return result;
}
