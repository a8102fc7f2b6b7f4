import type { MessagePort } from 'node:worker_threads';
import type { Observable } from 'rxjs';
import type { MetricEmitter, MetricEmitterObserver } from '../metrics/emitter.js';
import type { MetricEvent } from '../metrics/event.js';
import { listen } from '../metrics/bridge/MessagePortLike.js';
import { mirrorSnapshots, type SnapshotMirror } from '../metrics/bridge/mirrorSnapshots.js';
import {
  createPortEmitter,
  type PortEmitter,
  type PortEmitterOptions,
} from '../metrics/bridge/PortEmitter.js';
import type { RecorderState, RecorderStats } from '../metrics/recorder/types.js';
import type { MetricSnapshot, MetricSnapshots } from '../metrics/snapshot.js';
import { RuntimeInvalidStateError } from '../metrics/errors/runtimeErrors.js';
import { isChannelMessage, type RecorderRequest } from './protocol.js';
import type { RequestChannel } from './RequestChannel.js';
import { fromWire } from './wireErrors.js';

/** Counters of a {@link RemoteRecorder}'s side of the bridge. */
export interface RemoteRecorderBridgeStats {
  /** Every `emit` on the main thread. */
  readonly emitted: number;
  /** Events posted to the worker. */
  readonly posted: number;
  /** Events in the unsent batch. */
  readonly unsent: number;
  /** Events the worker has received, as last mirrored. `posted - acknowledged` are in flight. */
  readonly acknowledged: number;
  /** Of the acknowledged events, those waiting in the worker for room in its recorder, as last mirrored. */
  readonly queued: number;
  /** Events emitted after the facade closed (worker gone or recorder removed). */
  readonly dropped: number;
  /**
   * Events dropped because `maxInFlightEvents` events were already on their way to the worker (emitted
   * here, not yet received there): the bound that keeps a worker that falls behind, or a flood, from
   * growing memory without limit.
   */
  readonly shed: number;
  /** Events that could not be posted (not structured-clone friendly: a function inside, say). */
  readonly failed: number;
}

/**
 * The main thread's facade of a recorder hosted in a worker: `emit` batches to the worker (never
 * throws), snapshots and stats mirror back. Reads never wait for the worker; `flush()` does, within
 * the runtime's `requestTimeoutMs`. At most `maxInFlightEvents` events are on their way to the worker:
 * beyond, `emit` drops and counts them (`getBridgeStats().shed`). After the facade closed (recorder
 * removed, worker gone), `emit` drops and counts (`dropped`) and the last mirrored snapshots and stats
 * stay readable.
 */
export interface RemoteRecorder<E extends MetricEvent = MetricEvent> extends MetricEmitter<E> {
  /** The id the runtime registered it under. */
  readonly recorderId: string;
  /** The hosted recorder's entity id. */
  readonly entityId: string;
  /** The hosted recorder's namespace. */
  readonly namespace: string;
  /** The capability to hand to production code (an RxJS Observer too). */
  readonly emitter: MetricEmitterObserver<E>;
  /** Mirrored snapshots; replays the latest; completes when the facade closes. */
  readonly snapshots$: Observable<MetricSnapshots>;
  /** The latest mirrored snapshots. */
  getMetricSnapshots(): MetricSnapshots;
  /** The latest mirrored snapshot of one metric. */
  getMetricSnapshot(name: string): MetricSnapshot | undefined;
  /** The hosted recorder's stats, as last mirrored (undefined before the first). */
  getStats(): RecorderStats | undefined;
  /** The hosted recorder's lifecycle state, as last mirrored (undefined before the first). */
  getStatus(): RecorderState | undefined;
  /** Epoch milliseconds of the hosted recorder's first start, as last mirrored. */
  getStartTime(): number | undefined;
  /** This side's bridge counters. */
  getBridgeStats(): RemoteRecorderBridgeStats;
  /**
   * Posts the unsent batch and resolves once the worker processed everything emitted before the call and
   * its snapshots and stats are mirrored. Bounded: a worker that cannot finish within half of the
   * runtime's `requestTimeoutMs` answers anyway (`getStats().pending` and `getBridgeStats().queued` then
   * show what is left), and one that does not answer at all within `requestTimeoutMs` is terminated
   * (`WorkerUnresponsiveError`). Never rejects; resolves at once once the facade is closed.
   */
  flush(): Promise<void>;
}

/**
 * What a {@link WorkerMetricsRuntime} holds of each facade it handed out: the facade plus the operations
 * only the runtime performs. Not exported from the package entry points, but kept in the published
 * declarations (the runtime's declaration names it), so it is not marked internal.
 */
export interface HostedRemoteRecorder<E extends MetricEvent = MetricEvent> extends RemoteRecorder<E> {
  /** Events emitted here that the worker's recorder did not process, drop or reject (as last mirrored). */
  lostEvents(): number;
  /** Stops the hosted recorder (after the events emitted before), bounded by its stop timeout. */
  stop(): Promise<void>;
  /** Stops and removes the hosted recorder, then closes the facade. */
  stopAndRemove(): Promise<void>;
  /** Stops the facade: later emits are dropped (counted); waiting flushes resolve. */
  close(error?: Error): void;
}

/** What a facade needs from its runtime. @internal */
export interface FacadeLink {
  /** The runtime's request correlation. */
  readonly requests: RequestChannel;
  /** Deadline of a flush. */
  readonly requestTimeoutMs: number;
  /** Deadline of a stop (the hosted recorder's own bounds, with room to answer). */
  readonly stopRequestTimeoutMs: number;
  /** Bound on events emitted here and not yet received by the worker. */
  readonly maxInFlightEvents: number;
}

/** @internal */
export class RemoteRecorderImpl<E extends MetricEvent = MetricEvent> implements HostedRemoteRecorder<E> {
  readonly emitter: MetricEmitterObserver<E>;
  readonly snapshots$: Observable<MetricSnapshots>;
  private readonly out: PortEmitter<E>;
  private readonly mirror: SnapshotMirror;
  private readonly unlisten: () => void;
  private stats: RecorderStats | undefined;
  private state: RecorderState | undefined;
  private startTime: number | undefined;
  private received = 0;
  private queued = 0;
  /** Events handed to the port emitter while open (sent or unsent). */
  private sent = 0;
  private shed = 0;
  private closed = false;

  constructor(
    readonly recorderId: string,
    readonly entityId: string,
    readonly namespace: string,
    private readonly port: MessagePort,
    batching: PortEmitterOptions,
    private readonly link: FacadeLink,
  ) {
    this.out = createPortEmitter<E>(port, batching);
    const out = this.out;
    const emit = (event: E): void => this.emit(event);
    this.emitter = Object.freeze({
      emit,
      next: emit,
      error: (cause: unknown) => out.error(cause),
      complete: () => undefined,
    });
    this.mirror = mirrorSnapshots(port);
    this.snapshots$ = this.mirror.snapshots$;
    this.unlisten = listen(port, (data) => {
      if (!isChannelMessage(data)) return;
      if (data.kind === 'stats') {
        this.stats = data.stats;
        this.state = data.state;
        this.startTime = data.startTime;
        this.received = data.received;
        this.queued = data.queued;
      } else if (data.kind === 'response') {
        this.link.requests.settle(data.id, data.ok, undefined, data.error && fromWire(data.error));
      }
    });
  }

  emit(event: E): void {
    if (!this.closed && this.sent - this.received >= this.link.maxInFlightEvents) {
      this.shed++; // bounded memory: the worker is that far behind (or the producer floods)
      return;
    }
    this.sent++;
    this.out.emit(event);
  }

  getMetricSnapshots(): MetricSnapshots {
    return this.mirror.getMetricSnapshots();
  }

  getMetricSnapshot(name: string): MetricSnapshot | undefined {
    return this.mirror.getMetricSnapshot(name);
  }

  getStats(): RecorderStats | undefined {
    return this.stats;
  }

  getStatus(): RecorderState | undefined {
    return this.state;
  }

  getStartTime(): number | undefined {
    return this.startTime;
  }

  getBridgeStats(): RemoteRecorderBridgeStats {
    const s = this.out.getStats();
    return Object.freeze({
      emitted: s.emitted + this.shed,
      posted: s.posted,
      unsent: s.pending,
      acknowledged: this.received,
      queued: this.queued,
      dropped: s.dropped,
      shed: this.shed,
      failed: s.failed,
    });
  }

  /**
   * Events emitted here that the worker is not known to have processed, dropped or rejected (as last
   * mirrored): the unsent batch, events in flight, waiting in the worker's receiver or pending in its
   * recorder. Excludes events this facade dropped (after it closed, or beyond `maxInFlightEvents`) and
   * events that could not be posted (all in {@link getBridgeStats}).
   */
  lostEvents(): number {
    const s = this.out.getStats();
    const st = this.stats;
    const settled = st ? st.processed + st.dropped + st.rejected : 0;
    return Math.max(0, s.emitted - s.dropped - s.failed - settled);
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.out.flush();
    return this.request('flush', this.link.requestTimeoutMs).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Stops the hosted recorder, behind every event emitted before (rejects with the worker's error). */
  stop(): Promise<void> {
    return this.stopping('stop');
  }

  /** Stops and removes the hosted recorder, behind every event emitted before; then closes the facade. */
  stopAndRemove(): Promise<void> {
    return this.stopping('stopAndRemove').finally(() => this.close());
  }

  /**
   * Stops the facade: later emits are dropped (counted), waiting flushes resolve and other requests
   * reject with `error` (default: the facade was closed).
   */
  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
    this.unlisten();
    this.mirror.close();
    this.link.requests.rejectAll(
      error ?? new RuntimeInvalidStateError('closed', ['running'], `reach recorder '${this.recorderId}'`),
      this,
    );
    this.port.close();
  }

  private async stopping(op: 'stop' | 'stopAndRemove'): Promise<void> {
    this.out.flush();
    await this.request(op, this.link.stopRequestTimeoutMs);
  }

  private request(op: RecorderRequest['op'], timeoutMs: number): Promise<unknown> {
    if (this.closed) {
      return Promise.reject(
        new RuntimeInvalidStateError('closed', ['running'], `reach recorder '${this.recorderId}'`),
      );
    }
    const what = op === 'stopAndRemove' ? 'stop and removal' : op;
    return this.link.requests.send(
      this.port,
      { op },
      { timeoutMs, operation: `${what} of recorder '${this.recorderId}'`, owner: this },
    );
  }
}
