import type { EmittedEvent, MetricEvent } from './event.js';

/**
 * The capability production code holds: report what happened, never how it is measured.
 *
 * `emit` never throws into the caller; refusals are counted by the recorder and reported on its `errors$`.
 */
export interface MetricEmitter<E extends MetricEvent = MetricEvent> {
  emit(event: EmittedEvent<E>): void;
}

/**
 * An emitter that is also an RxJS `Observer`, so any event stream can be piped in
 * (`events$.subscribe(recorder.emitter)`). `error` reports the stream's error (on the recorder's
 * `errors$`) and never throws; `complete` does nothing.
 */
export interface MetricEmitterObserver<E extends MetricEvent = MetricEvent> extends MetricEmitter<E> {
  next(event: EmittedEvent<E>): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * An emitter for "metrics disabled": `emit` (and the Observer methods) do nothing.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { noopEmitter, type MetricEmitter } from 'mvx-common';
 *
 * type SaveAttempt = { type: 'document_storage.save.attempt'; outcome: 'success' | 'failure' };
 *
 * class DocumentStorage {
 *   constructor(private readonly metrics: MetricEmitter<SaveAttempt> = noopEmitter) {}
 *   save(): void {
 *     this.metrics.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
 *   }
 * }
 * new DocumentStorage().save(); // metrics disabled: nothing is recorded, nothing is thrown
 * ```
 */
export const noopEmitter: MetricEmitterObserver<MetricEvent> = Object.freeze({
  emit(): void {},
  next(): void {},
  error(): void {},
  complete(): void {},
});
