import { Subject, type Observable } from 'rxjs';
import { describeValue } from '../../internal/validate.js';
import { checkEmitter } from '../../internal/checkEmitter.js';
import type { MetricEmitter } from '../emitter.js';
import type { MetricEvent } from '../event.js';
import { checkPort, listen, type MessagePortLike } from './MessagePortLike.js';
import { BRIDGE_PROTOCOL, isEnvelope } from './protocol.js';

/** Counters of an {@link EventReceiver}. */
export interface EventReceiverStats {
  /** Every message that arrived. */
  readonly messages: number;
  /** Event batches handed to the target. */
  readonly batches: number;
  /** Events handed to the target (valid or not: the target counts and rejects invalid ones). */
  readonly events: number;
  /** Messages that are not bridge envelopes, or event batches without an events array. */
  readonly malformed: number;
}

/** The receiving side of a port bridge: feeds each arriving batch into a target emitter. */
export interface EventReceiver {
  /** Current counters. */
  getStats(): EventReceiverStats;
  /** One TypeError per malformed message (hot). */
  readonly errors$: Observable<Error>;
  /** Stops listening (the port itself is left open). Idempotent. */
  close(): void;
}

/**
 * Feeds every event batch arriving on `port` into `target` (normally a recorder), in order, through
 * `target.emit`: what arrives is counted in the recorder's stats like any other emit (`offered`,
 * `accepted`, `rejected` for invalid events). A malformed message never crashes the receiver: it is
 * counted (`malformed`), reported on `errors$`, and offered to the target as one invalid event so the
 * recorder counts it as rejected. Envelopes of other kinds (snapshots, control messages sharing the
 * port) are ignored.
 *
 * ## Example
 * ```ts
 * import { MessageChannel, Worker } from 'node:worker_threads';
 * import { MetricsRecorder, receiveEvents } from 'mvx-common';
 *
 * const recorder = new MetricsRecorder('jobs');
 * const { port1, port2 } = new MessageChannel();
 * const worker = new Worker('./job-worker.js', { workerData: { port: port2 }, transferList: [port2] });
 * const receiver = receiveEvents(port1, recorder);
 * ```
 */
export function receiveEvents<E extends MetricEvent = MetricEvent>(
  port: MessagePortLike,
  target: MetricEmitter<E>,
): EventReceiver {
  checkPort('port', port);
  checkEmitter('target', target);
  const errors = new Subject<Error>();
  let messages = 0;
  let batches = 0;
  let events = 0;
  let malformed = 0;

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

  const unlisten = listen(port, (data) => {
    messages++;
    if (!isEnvelope(data)) return reject(data, 'not a bridge envelope');
    if (data.mvx !== BRIDGE_PROTOCOL || data.kind !== 'events') return;
    const list = (data as { events?: unknown }).events;
    if (!Array.isArray(list)) return reject(data, 'an events batch without an events array');
    batches++;
    events += list.length;
    for (let i = 0; i < list.length; i++) {
      try {
        target.emit(list[i] as E);
      } catch {
        // emit never throws by contract; a foreign target that does is contained here
      }
    }
  });

  let closed = false;
  return Object.freeze({
    getStats: (): EventReceiverStats => Object.freeze({ messages, batches, events, malformed }),
    errors$: errors.asObservable(),
    close: () => {
      if (closed) return;
      closed = true;
      unlisten();
      errors.complete();
    },
  });
}
