import { isObservable, Observable, type TimestampProvider } from 'rxjs';
import { checkString, typeError } from '../../internal/validate.js';

/**
 * How a measured piece of work ended.
 *
 * ## Example
 * ```ts
 * const o: MeasureOutcome = 'cancelled';
 * ```
 */
export type MeasureOutcome = 'success' | 'failure' | 'cancelled';

/**
 * The event {@link measure} emits.
 *
 * ## Example
 * ```ts
 * const e: MeasuredEvent<'doc.save', { region: string }> = { type: 'doc.save', outcome: 'success', durationMs: 12, region: 'eu' };
 * ```
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
 *
 * ## Example
 * ```ts
 * measure(emitter, 'job.run', work, {}, { clock: testScheduler });
 * ```
 */
export interface MeasureOptions {
  /**
   * The clock, in ms (a `TestScheduler` works).
   * @default `performance.now()` when available, else `Date.now()`
   */
  readonly clock?: TimestampProvider;
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
 * ```ts
 * import { measure } from 'mvx-common';
 *
 * const doc = await measure(recorder.emitter, 'doc.save', () => storage.save(d), { region: 'eu' });
 * // emits { region: 'eu', type: 'doc.save', outcome: 'success', durationMs: 12.3 }
 * ```
 * @throws TypeError (synchronously) when `type` is not a non-empty string or `work` is not a function,
 *   Promise or Observable; otherwise only what `work` throws.
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
  checkString('type', type, { nonEmpty: true });
  const clock = options?.clock ?? defaultClock;
  const report = (start: number, outcome: MeasureOutcome): void => {
    try {
      emitter.emit({ ...(fields as F), type, outcome, durationMs: clock.now() - start } as MeasuredEvent<
        T,
        F
      >);
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
