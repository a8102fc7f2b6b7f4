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
import { HOST_PROTOCOL, isHostMessage } from './protocol.js';

/** Counters of a {@link RemoteRecorder}'s side of the bridge. */
export interface RemoteRecorderBridgeStats {
  /** Every `emit` on the main thread. */
  readonly emitted: number;
  /** Events posted to the worker. */
  readonly posted: number;
  /** Events in the unsent batch. */
  readonly unsent: number;
  /** Events the worker's recorder has seen (`offered`), as last mirrored. */
  readonly acknowledged: number;
  /** Events emitted after the facade closed (worker gone or recorder removed). */
  readonly dropped: number;
}

/**
 * The main thread's facade of a recorder hosted in a worker: `emit` batches to the worker (never
 * throws), snapshots and stats mirror back. Reads never wait for the worker; `flush()` does.
 *
 * ## Example
 * ```ts
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.emit({ type: 'job.done', outcome: 'success' });
 * await jobs.flush();
 * console.log(jobs.getMetricSnapshot('jobs.done')?.dimensions);
 * ```
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
   * its snapshots and stats are mirrored. Resolves at once (never rejects) once the facade is closed.
   */
  flush(): Promise<void>;
}

/** @internal */
export class RemoteRecorderImpl<E extends MetricEvent = MetricEvent> implements RemoteRecorder<E> {
  readonly emitter: MetricEmitterObserver<E>;
  readonly snapshots$: Observable<MetricSnapshots>;
  private readonly out: PortEmitter<E>;
  private readonly mirror: SnapshotMirror;
  private readonly unlisten: () => void;
  private readonly waiting = new Map<number, () => void>();
  private stats: RecorderStats | undefined;
  private state: RecorderState | undefined;
  private startTime: number | undefined;
  private token = 0;
  private closed = false;

  constructor(
    readonly recorderId: string,
    readonly entityId: string,
    readonly namespace: string,
    private readonly port: MessagePort,
    batching: PortEmitterOptions,
  ) {
    this.out = createPortEmitter<E>(port, batching);
    this.emitter = this.out;
    this.mirror = mirrorSnapshots(port);
    this.snapshots$ = this.mirror.snapshots$;
    this.unlisten = listen(port, (data) => {
      if (!isHostMessage(data)) return;
      if (data.kind === 'stats') {
        this.stats = data.stats;
        this.state = data.state;
        this.startTime = data.startTime;
      } else if (data.kind === 'flushed') {
        this.waiting.get(data.token)?.();
        this.waiting.delete(data.token);
      }
    });
  }

  emit(event: E): void {
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
      emitted: s.emitted,
      posted: s.posted,
      unsent: s.pending,
      acknowledged: this.stats?.offered ?? 0,
      dropped: s.dropped,
    });
  }

  /** Events emitted (and not dropped) that no mirrored stat acknowledges. */
  lostEvents(): number {
    const s = this.getBridgeStats();
    return Math.max(0, s.emitted - s.dropped - s.acknowledged);
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.out.flush();
    const token = ++this.token;
    return new Promise<void>((resolve) => {
      this.waiting.set(token, resolve);
      this.port.postMessage({ mvx: HOST_PROTOCOL, kind: 'flush', token });
    });
  }

  /** Stops the facade: later emits are dropped (counted); waiting flushes resolve. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
    this.unlisten();
    this.mirror.close();
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
    this.port.close();
  }
}
