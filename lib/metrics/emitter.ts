import type { Observer } from 'rxjs';
import type { MetricEvent } from './event.js';

/**
 * The capability production code holds: report what happened, never how it is measured.
 *
 * `emit` never throws into the caller; refusals are counted by the recorder and reported on its `errors$`.
 */
export interface MetricEmitter<E extends MetricEvent = MetricEvent> {
  emit(event: E): void;
}

/** An emitter that is also an RxJS `Observer`, so any event stream can be piped in. */
export type MetricEmitterObserver<E extends MetricEvent = MetricEvent> = MetricEmitter<E> & Observer<E>;

/**
 * An emitter for "metrics disabled": `emit` (and the Observer methods) do nothing.
 *
 * ## Example
 * ```ts
 * class DocumentStorage {
 *   constructor(private readonly metrics: MetricEmitter<SaveAttempt> = noopEmitter) {}
 * }
 * ```
 */
export const noopEmitter: MetricEmitterObserver<MetricEvent> = Object.freeze({
  emit(): void {},
  next(): void {},
  error(): void {},
  complete(): void {},
});
