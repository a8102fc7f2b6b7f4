import { Subject, type Observable, type Unsubscribable } from 'rxjs';
import { describeValue, checkPositiveInteger, readOptions } from '../../internal/validate.js';
import { checkEmitter } from '../../internal/checkEmitter.js';
import { monotonicNow, scheduleMacrotask } from '../../internal/timers.js';
import type { MetricEmitter } from '../emitter.js';
import type { MetricEvent } from '../event.js';
import { checkPort, listen, type MessagePortLike } from './MessagePortLike.js';
import { BRIDGE_PROTOCOL, isEnvelope } from './protocol.js';
import type { FlowControl } from './FlowControl.js';
import { flowControlOf } from './FlowControl.js';

/** Options of {@link receiveEvents}. Every field is optional. */
export interface ReceiveEventsOptions {
  /**
   * With a recorder as the target: at most this many received events wait in the receiver for room in
   * the recorder (a positive integer). Beyond it, events are handed to the recorder at once, where its
   * overflow policy decides them and counts them (`dropped`): `drop-newest` and `'error'` refuse the
   * newest, `drop-oldest` evicts its oldest pending events. Order is preserved either way.
   * @default the recorder's capacity
   */
  maxQueuedEvents?: number;
}

/** Counters of an {@link EventReceiver}. */
export interface EventReceiverStats {
  /** Every message that arrived. */
  readonly messages: number;
  /** Event batches received. */
  readonly batches: number;
  /** Events received in batches (valid or not: the target counts and rejects invalid ones). */
  readonly events: number;
  /** Received events waiting in the receiver for room in the target (a recorder); 0 for other targets. */
  readonly queued: number;
  /** Messages that are not bridge envelopes, or event batches without an events array. */
  readonly malformed: number;
}

/** The receiving side of a port bridge: feeds each arriving batch into a target emitter. */
export interface EventReceiver {
  /** Current counters. */
  getStats(): EventReceiverStats;
  /** One TypeError per malformed message (hot). */
  readonly errors$: Observable<Error>;
  /**
   * Resolves once every event received before the call has been handed to the target and, when the
   * target is a recorder, processed by it (its `flush()`). Never rejects.
   */
  flush(): Promise<void>;
  /**
   * Hands every waiting event to the target now, room or not (a recorder applies its overflow policy and
   * counts what it refuses). Call it before stopping a recorder the receiver feeds, so that its stop
   * drains them; events still waiting when the recorder stops are refused (counted as rejected).
   */
  handOver(): void;
  /**
   * Stops listening (the port itself is left open) and hands every waiting event to the target (which
   * counts what it refuses). Idempotent.
   */
  close(): void;
}

/** Default bound of the receiver's queue when the target's capacity cannot be read. */
const FALLBACK_MAX_QUEUED = 10_000;

/**
 * Feeds every event batch arriving on `port` into `target` (normally a recorder), in order, through
 * `target.emit`: what arrives is counted in the recorder's stats like any other emit (`offered`,
 * `accepted`, `rejected` for invalid events). A malformed message never crashes the receiver: it is
 * counted (`malformed`), reported on `errors$`, and offered to the target as one invalid event so the
 * recorder counts it as rejected. Envelopes of other kinds (snapshots, control messages sharing the
 * port) are ignored.
 *
 * **Flow control.** When the target is a `MetricsRecorder` (anything with `getStats`, `getStatus`,
 * `getMetricSnapshots`, `flush` and `stats$`), the receiver admits events into it only as fast as it
 * processes them: it hands a recorder at most what the recorder can process in one batch budget
 * (about 4 ms, learnt from the time its drains take), processes synchronously what the recorder holds
 * when it has no room (as a snapshot read does), and keeps the rest, in order, in a queue of at most
 * `maxQueuedEvents`, fed to the recorder as it drains. So a queue of port messages (which Node delivers
 * back to back, before any macrotask) never starves the recorder's drain into dropping events it could
 * process. Events beyond the queue bound meet the recorder's overflow policy and are counted there
 * (`drop-newest` and `'error'` refuse the newest, `drop-oldest` evicts the oldest); nothing is dropped
 * silently and nothing is reordered.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MessageChannel } from 'node:worker_threads';
 * import { filter, firstValueFrom } from 'rxjs';
 * import { counter, createPortEmitter, MetricsRecorder, receiveEvents } from 'mvx-common';
 *
 * const { port1, port2 } = new MessageChannel(); // port1 would be a worker's parentPort
 * const recorder = new MetricsRecorder('jobs');
 * const done = counter({ name: 'jobs.done', on: 'job.done' });
 * recorder.registerMetric(done);
 * const receiver = receiveEvents(port2, recorder);
 *
 * const emitter = createPortEmitter(port1); // in the worker
 * emitter.emit({ type: 'job.done' });
 * emitter.emit({ type: 'job.done' });
 * emitter.flush();
 *
 * await firstValueFrom(recorder.snapshot$(done).pipe(filter((s) => s.dimensions.total === 2)));
 * console.log(receiver.getStats().events); // → 2
 * emitter.close();
 * receiver.close();
 * port1.close();
 * await recorder.dispose();
 * ```
 */
export function receiveEvents<E extends MetricEvent = MetricEvent>(
  port: MessagePortLike,
  target: MetricEmitter<E>,
  options: ReceiveEventsOptions = {},
): EventReceiver {
  checkPort('port', port);
  checkEmitter('target', target);
  const o = readOptions('options', options, ['maxQueuedEvents']);
  const maxQueued =
    o.maxQueuedEvents === undefined
      ? undefined
      : checkPositiveInteger('options.maxQueuedEvents', o.maxQueuedEvents);

  const errors = new Subject<Error>();
  let messages = 0;
  let batches = 0;
  let events = 0;
  let malformed = 0;
  let closed = false;

  /** Hands `list[from..to)` to the target, in order. A read or an emit that throws is contained. */
  const handOver = (list: ArrayLike<unknown>, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      let event: unknown;
      try {
        event = list[i];
      } catch {
        event = undefined; // an unreadable element: the target counts it as an invalid event
      }
      try {
        target.emit(event as E);
      } catch {
        // emit never throws by contract; a foreign target that does is contained here
      }
    }
  };

  const flow: FlowControl | undefined = flowControlOf(target, {
    maxQueued: maxQueued ?? FALLBACK_MAX_QUEUED,
    maxQueuedFromCapacity: maxQueued === undefined,
    handOver,
    now: monotonicNow,
    schedule: scheduleMacrotask,
  });

  const reject = (data: unknown, why: string): void => {
    malformed++;
    try {
      target.emit(null as unknown as E); // counted by the recorder as one rejected (invalid) event
    } catch {
      // a strict target must not crash the receiver
    }
    if (errors.observed)
      errors.next(new TypeError(`Malformed bridge message (${why}): ${describeValue(data)}`));
  };

  const onMessage = (data: unknown): void => {
    messages++;
    let list: unknown;
    try {
      if (!isEnvelope(data)) return reject(data, 'not a bridge envelope');
      if (data.mvx !== BRIDGE_PROTOCOL || data.kind !== 'events') return;
      list = (data as { events?: unknown }).events;
      if (!Array.isArray(list)) return reject(data, 'an events batch without an events array');
    } catch {
      return reject(data, 'unreadable');
    }
    const batch = list as unknown[];
    let length: number;
    try {
      length = batch.length;
    } catch {
      return reject(data, 'an unreadable events array');
    }
    batches++;
    events += length;
    if (flow) flow.receive(batch, length);
    else handOver(batch, 0, length);
  };

  const unlisten = listen(port, (data) => {
    if (closed) return;
    try {
      onMessage(data);
    } catch (error) {
      // Nothing above throws by design; a listener must never throw into the port's dispatch.
      if (errors.observed) errors.next(error instanceof Error ? error : new Error(String(error)));
    }
  });

  let subscription: Unsubscribable | undefined = flow?.start();

  return Object.freeze({
    getStats: (): EventReceiverStats =>
      Object.freeze({ messages, batches, events, queued: flow?.queued ?? 0, malformed }),
    errors$: errors.asObservable(),
    flush: (): Promise<void> => (flow && !closed ? flow.flush() : Promise.resolve()),
    handOver: (): void => flow?.handOver(),
    close: () => {
      if (closed) return;
      closed = true;
      unlisten();
      subscription?.unsubscribe();
      subscription = undefined;
      flow?.close();
      errors.complete();
    },
  });
}
