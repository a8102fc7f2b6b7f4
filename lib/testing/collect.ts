import type { Observable } from 'rxjs';

/** What {@link collect} has seen of an observable so far. */
export interface Collected<T> {
  /** Values in arrival order. */
  readonly values: T[];
  /** The error, once the observable errored. */
  readonly error: unknown;
  /** True once the observable errored. */
  readonly errored: boolean;
  /** True once the observable completed. */
  readonly completed: boolean;
  /** The last value, or undefined. */
  readonly last: T | undefined;
  /** Stops collecting. */
  unsubscribe(): void;
}

/**
 * Subscribes to `source$` and records everything it emits: the shortest way to assert on recorder
 * streams in plain (non-marble) tests.
 *
 * ## Example
 * ```ts
 * import { collect } from 'mvx-common/testing';
 * const states = collect(recorder.state$);
 * await recorder.start();
 * expect(states.values).toEqual(['virgin', 'starting', 'running']);
 * ```
 */
export function collect<T>(source$: Observable<T>): Collected<T> {
  const values: T[] = [];
  let error: unknown;
  let errored = false;
  let completed = false;
  const subscription = source$.subscribe({
    next: (value) => values.push(value),
    error: (err: unknown) => {
      error = err;
      errored = true;
    },
    complete: () => {
      completed = true;
    },
  });
  return {
    values,
    get error() {
      return error;
    },
    get errored() {
      return errored;
    },
    get completed() {
      return completed;
    },
    get last() {
      return values[values.length - 1];
    },
    unsubscribe: () => subscription.unsubscribe(),
  };
}
