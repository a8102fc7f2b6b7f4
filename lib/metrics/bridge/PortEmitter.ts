import { asyncScheduler, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import {
  checkScheduler,
  orDefault,
  checkNonNegativeNumber,
  checkPositiveInteger,
  readOptions,
} from '../../internal/validate.js';
import type { ListsEvery } from '../../internal/optionKeys.js';
import type { MetricEmitterObserver } from '../emitter.js';
import type { MetricEvent } from '../event.js';
import { checkPort, type MessagePortLike } from './MessagePortLike.js';
import { BRIDGE_PROTOCOL, type EventBatchMessage } from './protocol.js';

/** Default maximum events per posted batch. */
export const DEFAULT_MAX_BATCH_SIZE = 512;
/** Default delay, in milliseconds, before a partial batch is posted. */
export const DEFAULT_FLUSH_INTERVAL_MS = 10;

/** Options of {@link createPortEmitter}. Every field is optional. */
export interface PortEmitterOptions {
  /**
   * A batch is posted as soon as it holds this many events (a positive integer).
   * @default 512
   */
  maxBatchSize?: number;
  /**
   * A partial batch is posted this many milliseconds after its first event.
   * @default 10
   */
  flushIntervalMs?: number;
  /**
   * Scheduler of the time-based flush (a `TestScheduler` makes it deterministic).
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/** Every key of {@link PortEmitterOptions}. */
const PORT_EMITTER_OPTION_KEYS = ['maxBatchSize', 'flushIntervalMs', 'scheduler'] as const;

/** Compile-time check: the keys above are exactly those of `PortEmitterOptions`. @internal */
export const PORT_EMITTER_OPTION_KEYS_COMPLETE: ListsEvery<
  PortEmitterOptions,
  typeof PORT_EMITTER_OPTION_KEYS
> = true;

/** Counters of a {@link PortEmitter}. */
export interface PortEmitterStats {
  /** Every `emit` call. */
  readonly emitted: number;
  /** Events posted over the port. */
  readonly posted: number;
  /** Batches posted over the port. */
  readonly batches: number;
  /** Events waiting in the unsent batch. */
  readonly pending: number;
  /** Events emitted after `close()`. */
  readonly dropped: number;
  /** Events whose batch could not be posted (e.g. not structured-clone friendly). */
  readonly failed: number;
}

/**
 * The worker-side emitter: batches events in an array and posts each batch over a port. Per event it
 * only pushes into the array; the flush timer is scheduled once per batch.
 */
export interface PortEmitter<E extends MetricEvent = MetricEvent> extends MetricEmitterObserver<E> {
  /** Posts the unsent batch now (no-op when empty). */
  flush(): void;
  /** Posts the unsent batch and stops: later events are counted as dropped. Idempotent. */
  close(): void;
  /** True once closed. */
  readonly closed: boolean;
  /** Current counters. */
  getStats(): PortEmitterStats;
  /** Batches that failed to post, and piped streams that errored (hot). */
  readonly errors$: Observable<Error>;
}

/**
 * Creates a {@link PortEmitter} posting batches of events over `port`. A batch is posted when it holds
 * `maxBatchSize` events, `flushIntervalMs` after its first event, on `flush()` and on `close()`.
 * `emit` never throws. Throws a TypeError/RangeError naming a bad argument (an unknown option key
 * included).
 *
 * ## Example
 * ```ts
 * // worker.ts
 * import { parentPort } from 'node:worker_threads';
 * import { createPortEmitter } from 'mvx-common';
 *
 * const metrics = createPortEmitter(parentPort!, { maxBatchSize: 256, flushIntervalMs: 5 });
 * metrics.emit({ type: 'job.done', outcome: 'success' });
 * // main thread: receiveEvents(port, recorder) on the other end of that port
 * ```
 */
export function createPortEmitter<E extends MetricEvent = MetricEvent>(
  port: MessagePortLike,
  options: PortEmitterOptions = {},
): PortEmitter<E> {
  checkPort('port', port);
  const o = readOptions('options', options, PORT_EMITTER_OPTION_KEYS);
  const maxBatchSize = orDefault(o.maxBatchSize, DEFAULT_MAX_BATCH_SIZE, (v) =>
    checkPositiveInteger('options.maxBatchSize', v),
  );
  const flushIntervalMs = orDefault(o.flushIntervalMs, DEFAULT_FLUSH_INTERVAL_MS, (v) =>
    checkNonNegativeNumber('options.flushIntervalMs', v),
  );
  const scheduler = orDefault(o.scheduler, asyncScheduler, (v) =>
    checkScheduler<SchedulerLike>('options.scheduler', v),
  );
  const errors = new Subject<Error>();

  let batch: E[] = [];
  let timer: Subscription | undefined;
  let closed = false;
  let emitted = 0;
  let posted = 0;
  let batches = 0;
  let dropped = 0;
  let failed = 0;

  const flush = (): void => {
    if (timer) {
      timer.unsubscribe();
      timer = undefined;
    }
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    const message: EventBatchMessage = { mvx: BRIDGE_PROTOCOL, kind: 'events', events };
    try {
      port.postMessage(message);
      posted += events.length;
      batches++;
    } catch (cause) {
      failed += events.length;
      errors.next(cause instanceof Error ? cause : new Error(String(cause)));
    }
  };

  const emit = (event: E): void => {
    emitted++;
    if (closed) {
      dropped++;
      return;
    }
    batch.push(event);
    if (batch.length >= maxBatchSize) flush();
    else if (timer === undefined) timer = scheduler.schedule(flush, flushIntervalMs);
  };

  return Object.freeze({
    emit,
    next: emit,
    error: (cause: unknown) =>
      errors.next(
        cause instanceof Error ? cause : new Error(`A piped event stream errored: ${String(cause)}`),
      ),
    complete: () => undefined,
    flush,
    close: () => {
      if (closed) return;
      flush();
      closed = true;
      errors.complete();
    },
    get closed() {
      return closed;
    },
    getStats: (): PortEmitterStats =>
      Object.freeze({ emitted, posted, batches, pending: batch.length, dropped, failed }),
    errors$: errors.asObservable(),
  });
}
