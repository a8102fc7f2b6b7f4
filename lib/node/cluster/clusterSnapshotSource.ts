import cluster from 'node:cluster';
import { readOptions, typeError } from '../../internal/validate.js';
import { LogContext } from '../../logger/LogContext.js';
import type { RecorderReading, RecorderReadingsProvider } from '../../metrics/source/snapshotSource.js';
import { isClusterSnapshotsMessage, readMessage } from './clusterProtocol.js';
import { ClusterView } from './ClusterView.js';
import { CLUSTER_LOG_EVENTS } from './shareSnapshotsWithPrimary.js';

/** A cluster worker as the primary's events carry it. */
export interface ClusterWorkerLike {
  readonly id: number;
}

/** What the primary uses of `node:cluster` (an EventEmitter with `message` and `exit` events). */
export interface ClusterLike {
  readonly isPrimary?: boolean;
  on(event: 'message', listener: (worker: ClusterWorkerLike, message: unknown) => void): unknown;
  on(event: 'exit', listener: (worker: ClusterWorkerLike) => void): unknown;
  off(event: 'message', listener: (worker: ClusterWorkerLike, message: unknown) => void): unknown;
  off(event: 'exit', listener: (worker: ClusterWorkerLike) => void): unknown;
}

/** Options of {@link clusterSnapshotSource}. */
export interface ClusterSnapshotSourceOptions {
  /**
   * The cluster whose workers report.
   * @default `node:cluster`
   */
  readonly cluster?: ClusterLike;
  /**
   * Where invalid messages are logged (event `cluster_snapshots.invalid_message`, once per worker).
   * @default null (no logging)
   */
  readonly logContext?: LogContext | null;
}

/** One worker as the primary knows it. */
export interface ClusterWorkerReport {
  /** The cluster worker id (`worker.id`), as a string: the `worker` label of its per-worker readings. */
  readonly workerId: string;
  /** False once the worker exited (its last counts stay in the merged view). */
  readonly alive: boolean;
  /** The sequence number of its last report. */
  readonly seq: number;
  /** When its last report arrived (epoch ms). */
  readonly reportedAt: number;
}

/** Counters of a {@link ClusterSnapshots}. */
export interface ClusterSnapshotsStats {
  /** Snapshot messages merged. */
  readonly messages: number;
  /** Messages of mvx-common's type that could not be read (another protocol version, bad shape). */
  readonly invalid: number;
}

/**
 * The primary's merged view of the snapshots its cluster workers send (`shareSnapshotsWithPrimary`):
 * a {@link RecorderReadingsProvider}, so every exporter accepts it as a source. Reading it never waits
 * on a worker: it merges the last report of each.
 */
export interface ClusterSnapshots extends RecorderReadingsProvider {
  /**
   * One reading per recorder id across the workers: built-in metrics merged with `mergeSnapshots`,
   * stats summed, state the most telling of the workers' (failure, then running, ...). Metrics that
   * cannot be merged (custom metrics, or settings that differ between workers) come in extra readings
   * of the same recorder id labelled `{ worker: '<id>' }`.
   */
  readRecorders(): readonly RecorderReading[];
  /** Every worker that reported, in order of first report. */
  listWorkers(): readonly ClusterWorkerReport[];
  getStats(): ClusterSnapshotsStats;
  /** Stops listening to the cluster; the view keeps the last reports. Idempotent. */
  close(): void;
}

const OPTION_KEYS = ['cluster', 'logContext'] as const;

function checkCluster(value: unknown): ClusterLike {
  const c = value as { on?: unknown; off?: unknown; isPrimary?: unknown } | null;
  if (c === null || typeof c !== 'object' || typeof c.on !== 'function' || typeof c.off !== 'function') {
    throw typeError('options.cluster', 'a node:cluster-like EventEmitter', value);
  }
  return c as ClusterLike;
}

/**
 * In the primary of a `node:cluster`: collects the snapshots every worker sends with
 * `shareSnapshotsWithPrimary` and merges them into one source for the exporters. A worker that exits
 * keeps its last counts in the merged view (counters, histograms, quantile sketches and outcome counters
 * never go backwards; its last pending events count as dropped), while its gauges, up-down counters and
 * rates, which describe a live process, leave it. Messages of other types are ignored, so the
 * application's own IPC traffic is untouched.
 *
 * ## Example
 * ```ts
 * import cluster from 'node:cluster';
 * import { createServer } from 'node:http';
 * import { Registry } from 'prom-client';
 * import { clusterSnapshotSource } from 'mvx-common/node';
 * import { exposeToPrometheus } from 'mvx-common/prometheus';
 *
 * if (cluster.isPrimary) {
 *   const merged = clusterSnapshotSource(); // what the workers share with shareSnapshotsWithPrimary
 *   const registry = new Registry();
 *   exposeToPrometheus(merged, { registry });
 *   createServer(async (_req, res) => res.end(await registry.metrics())).listen(9464);
 *   for (let i = 0; i < 4; i++) cluster.fork();
 * }
 * ```
 * @throws TypeError naming the bad option, or when called in a cluster worker.
 */
export function clusterSnapshotSource(options?: ClusterSnapshotSourceOptions): ClusterSnapshots {
  const o = readOptions('options', options, OPTION_KEYS);
  const nodeCluster: ClusterLike = cluster;
  const target = o.cluster === undefined ? nodeCluster : checkCluster(o.cluster);
  if (target.isPrimary === false) {
    throw typeError(
      'options.cluster',
      'the cluster primary (clusterSnapshotSource runs in the primary)',
      'a worker',
    );
  }
  const logContext = o.logContext ?? null;
  if (logContext !== null && !(logContext instanceof LogContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
  }
  return new Snapshots(target, logContext);
}

class Snapshots implements ClusterSnapshots {
  private readonly view = new ClusterView();
  private readonly workers = new Map<
    string,
    { seq: number; reportedAt: number; alive: boolean; warned: boolean }
  >();
  private readonly stats = { messages: 0, invalid: 0 };
  private closed = false;
  private readonly onMessage = (worker: ClusterWorkerLike, message: unknown) => this.receive(worker, message);
  private readonly onExit = (worker: ClusterWorkerLike) => this.exit(worker);

  constructor(
    private readonly cluster: ClusterLike,
    private readonly logContext: LogContext | null,
  ) {
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
  }

  readRecorders(): readonly RecorderReading[] {
    return this.view.read();
  }

  listWorkers(): readonly ClusterWorkerReport[] {
    return Object.freeze(
      [...this.workers].map(([workerId, w]) =>
        Object.freeze({ workerId, alive: w.alive, seq: w.seq, reportedAt: w.reportedAt }),
      ),
    );
  }

  getStats(): ClusterSnapshotsStats {
    return { ...this.stats };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.cluster.off('message', this.onMessage);
      this.cluster.off('exit', this.onExit);
    } catch {
      // close() never throws.
    }
  }

  private receive(worker: ClusterWorkerLike, message: unknown): void {
    if (!isClusterSnapshotsMessage(message)) return;
    try {
      const workerId = String(worker.id);
      const known = this.workers.get(workerId);
      const read = readMessage(message);
      if (read === undefined) {
        this.stats.invalid++;
        this.warn(workerId, known);
        return;
      }
      if (known !== undefined && (!known.alive || read.seq <= known.seq)) return; // late or replayed
      this.workers.set(workerId, {
        seq: read.seq,
        reportedAt: Date.now(),
        alive: true,
        warned: known?.warned ?? false,
      });
      this.view.update(workerId, read.readings);
      this.stats.messages++;
    } catch {
      this.stats.invalid++;
    }
  }

  private exit(worker: ClusterWorkerLike): void {
    try {
      const workerId = String(worker.id);
      const known = this.workers.get(workerId);
      if (known !== undefined) known.alive = false;
      this.view.retire(workerId);
    } catch {
      // A listener never throws into the cluster's event loop.
    }
  }

  private warn(workerId: string, known: { warned: boolean } | undefined): void {
    if (this.logContext === null || known?.warned) return;
    if (known) known.warned = true;
    try {
      this.logContext.warning(CLUSTER_LOG_EVENTS.invalidMessage, { workerId });
    } catch {
      // Logging never throws.
    }
  }
}
