import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import {
  checkPositiveInteger,
  checkScheduler,
  orDefault,
  readOptions,
  typeError,
} from '../../internal/validate.js';
import { LogContext } from '../../logger/LogContext.js';
import {
  checkSnapshotSource,
  readSnapshotSource,
  type SnapshotSource,
} from '../../metrics/source/snapshotSource.js';
import {
  CLUSTER_PROTOCOL_VERSION,
  CLUSTER_SNAPSHOTS_MESSAGE,
  toWire,
  type ClusterSnapshotsMessage,
} from './clusterProtocol.js';

/** The IPC side of a cluster worker (Node's `process` in a `cluster` worker or a forked child). */
export interface ClusterProcessLike {
  send?(message: unknown, callback: (error: Error | null) => void): boolean;
  readonly connected?: boolean;
}

/** Options of {@link shareSnapshotsWithPrimary}. */
export interface ShareSnapshotsOptions {
  /**
   * How often the worker reads its source and sends what changed, in ms (an unchanged reading is not
   * sent again).
   * @default 1000
   */
  readonly intervalMs?: number;
  /**
   * The channel to the primary.
   * @default the worker's `process`
   */
  readonly process?: ClusterProcessLike;
  /**
   * Drives the interval (a `TestScheduler` or `VirtualTimeScheduler` makes it deterministic).
   * @default unref'd real timers: sharing never keeps a worker alive
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Where send failures are logged (event `cluster_snapshots.send_failed`, once until a send succeeds).
   * @default null (no logging)
   */
  readonly logContext?: LogContext | null;
}

/** Counters of a {@link ClusterSnapshotSharing}. */
export interface ClusterSharingStats {
  /** Messages the IPC channel accepted. */
  readonly sent: number;
  /** Readings not sent because nothing changed since the last message. */
  readonly unchanged: number;
  /** Sends that failed (channel closed, primary gone, serialization error). */
  readonly failed: number;
}

/** A worker's sharing of its snapshots with the primary: {@link shareSnapshotsWithPrimary}'s handle. */
export interface ClusterSnapshotSharing {
  /** Sends the current readings now (unless unchanged); resolves once the channel took them. Never rejects. */
  flush(): Promise<void>;
  /** Sends a last reading and stops. Idempotent; never rejects. */
  close(): Promise<void>;
  /** Message counters. */
  getStats(): ClusterSharingStats;
}

/** Log event names of the cluster snapshot sharing. */
export const CLUSTER_LOG_EVENTS = Object.freeze({
  sendFailed: 'cluster_snapshots.send_failed',
  invalidMessage: 'cluster_snapshots.invalid_message',
} as const);

const OPTION_KEYS = ['intervalMs', 'process', 'scheduler', 'logContext'] as const;

/**
 * In a `node:cluster` worker: sends the snapshots of `source` (a recorder, a runtime, a worker runtime
 * or any `RecorderReadingsProvider`) to the primary over the cluster IPC channel, where
 * `clusterSnapshotSource()` merges the workers into one source for the exporters. The source is read
 * every `intervalMs` and a message is sent only when the reading changed, one at a time (a reading
 * taken while a message is in flight is coalesced into the next one). Messages carry
 * `type: 'mvx-common:cluster-snapshots'` ({@link CLUSTER_SNAPSHOTS_MESSAGE}), so the application's own
 * messages never clash with them. Never throws into the worker once started: a closed channel is
 * counted in `getStats().failed` and logged.
 *
 * ## Example
 * ```ts
 * import cluster from 'node:cluster';
 * import { MetricsRuntime } from 'mvx-common';
 * import { shareSnapshotsWithPrimary } from 'mvx-common/node';
 *
 * if (cluster.isWorker) {
 *   const runtime = new MetricsRuntime({ namespace: 'http' });
 *   await runtime.start();
 *   const sharing = shareSnapshotsWithPrimary(runtime); // the primary merges them: clusterSnapshotSource()
 *   process.on('SIGTERM', () => void sharing.close().then(() => process.exit(0)));
 * }
 * ```
 * @throws TypeError / RangeError naming the bad argument, or when there is no IPC channel
 *   (`options.process` has no `send`: not a cluster worker).
 */
export function shareSnapshotsWithPrimary(
  source: SnapshotSource,
  options?: ShareSnapshotsOptions,
): ClusterSnapshotSharing {
  const checked = checkSnapshotSource('source', source);
  const o = readOptions('options', options, OPTION_KEYS);
  const intervalMs = orDefault(o.intervalMs, 1000, (v) => checkPositiveInteger('options.intervalMs', v));
  const scheduler =
    o.scheduler === undefined ? undefined : checkScheduler<SchedulerLike>('options.scheduler', o.scheduler);
  const logContext = o.logContext ?? null;
  if (logContext !== null && !(logContext instanceof LogContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
  }
  const proc = (o.process ?? globalThis.process) as ClusterProcessLike | undefined;
  if (proc === null || typeof proc !== 'object' || typeof proc.send !== 'function') {
    throw typeError(
      'options.process',
      'a process with an IPC channel (`send`): call shareSnapshotsWithPrimary in a cluster worker',
      proc,
    );
  }
  return new Sharing(checked, proc, intervalMs, scheduler, logContext);
}

class Sharing implements ClusterSnapshotSharing {
  private seq = 0;
  private lastSent: string | undefined;
  private inFlight = false;
  private again = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private failing = false;
  private waiters: (() => void)[] = [];
  private readonly stats = { sent: 0, unchanged: 0, failed: 0 };
  private readonly stop: () => void;

  constructor(
    private readonly source: SnapshotSource,
    private readonly proc: ClusterProcessLike,
    intervalMs: number,
    scheduler: SchedulerLike | undefined,
    private readonly logContext: LogContext | null,
  ) {
    if (scheduler !== undefined) {
      const tick = () => this.tick();
      const sub: Subscription = scheduler.schedule(function (this: SchedulerAction<unknown>) {
        tick();
        this.schedule(undefined, intervalMs);
      }, intervalMs);
      this.stop = () => sub.unsubscribe();
    } else {
      const handle = setInterval(() => this.tick(), intervalMs);
      handle.unref();
      const first = setImmediate(() => this.tick());
      first.unref();
      this.stop = () => {
        clearInterval(handle);
        clearImmediate(first);
      };
    }
  }

  getStats(): ClusterSharingStats {
    return { ...this.stats };
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.tick();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.flush().then(() => {
      this.closed = true;
      this.stop();
      for (const w of this.waiters.splice(0)) w();
    });
    return this.closing;
  }

  private tick(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    let payload: string;
    let message: ClusterSnapshotsMessage;
    try {
      const readings = readSnapshotSource(this.source).map(toWire);
      payload = JSON.stringify(readings);
      if (payload === this.lastSent) {
        this.stats.unchanged++;
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      message = {
        type: CLUSTER_SNAPSHOTS_MESSAGE,
        version: CLUSTER_PROTOCOL_VERSION,
        seq: ++this.seq,
        readings,
      };
    } catch (error) {
      this.failed(error);
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    const waiting = this.waiters.splice(0);
    const done = (error: Error | null | undefined) => {
      this.inFlight = false;
      if (error) this.failed(error);
      else {
        this.stats.sent++;
        this.lastSent = payload;
        this.failing = false;
      }
      for (const w of waiting) w();
      if (this.again) {
        this.again = false;
        this.tick();
      }
    };
    if (this.proc.connected === false) {
      done(new Error('the IPC channel to the primary is closed'));
      return;
    }
    this.inFlight = true;
    try {
      this.proc.send!(message, (error) => done(error));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private failed(error: unknown): void {
    this.stats.failed++;
    if (this.failing || this.logContext === null) return;
    this.failing = true;
    try {
      this.logContext.warning(CLUSTER_LOG_EVENTS.sendFailed, {
        error: this.logContext.buildErrorPayload(error),
      });
    } catch {
      // Logging never throws into the worker.
    }
  }
}
