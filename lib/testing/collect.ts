import type { Observable } from 'rxjs';
import { typeError } from '../internal/validate.js';

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
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder } from 'mvx-common';
 * import { collect } from 'mvx-common/testing';
 *
 * const recorder = new MetricsRecorder('r');
 * const states = collect(recorder.state$);
 * await recorder.start();
 * console.log(states.values.join(' '), states.completed); // → virgin starting running false
 * await recorder.dispose();
 * console.log(states.last, states.completed); // → disposed true
 * ```
 */
export function collect<T>(source$: Observable<T>): Collected<T> {
  let subscribe: unknown;
  try {
    subscribe = source$ !== null && typeof source$ === 'object' ? source$.subscribe : undefined;
  } catch (cause) {
    throw new TypeError('Reading `source$.subscribe` threw', { cause });
  }
  if (typeof subscribe !== 'function') throw typeError('source$', 'an Observable', source$);
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
