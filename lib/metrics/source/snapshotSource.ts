import { MetricsRecorder } from '../recorder/MetricsRecorder.js';
import type { RecorderState, RecorderStats } from '../recorder/types.js';
import { RuntimeBase, type RecorderKind, type RegisteredRecorder } from '../runtime/RuntimeBase.js';
import type { MetricSnapshots } from '../snapshot.js';
import { typeError } from '../../internal/validate.js';

/**
 * What a snapshot source needs of a recorder. Every `MetricsRecorder` is one, whatever its event type
 * (and so is a worker-hosted `RemoteRecorder`, whose stats and state are mirrored).
 */
export interface SnapshotRecorder {
  readonly entityId: string;
  readonly namespace: string;
  getMetricSnapshots(): MetricSnapshots;
  getStats(): RecorderStats | undefined;
  getStatus?(): RecorderState | undefined;
  getStartTime?(): number | undefined;
}

/**
 * What adapters (Prometheus, OpenTelemetry, the dashboard) read: a `MetricsRecorder` (or any
 * {@link SnapshotRecorder}), a `MetricsRuntime` or a `WorkerMetricsRuntime` (both runtimes extend the
 * runtime base class), or any {@link RecorderReadingsProvider} (such as the merged cluster view of
 * `mvx-common/node`).
 */
export type SnapshotSource =
  SnapshotRecorder | RuntimeBase<RecorderKind, RegisteredRecorder> | RecorderReadingsProvider;

/**
 * A source that provides its readings itself: an object with a `readRecorders()` method returning one
 * {@link RecorderReading} per recorder, read now. Every adapter accepts it wherever it accepts a recorder
 * or a runtime (`readSnapshotSource` calls it). It is how views that are not a recorder or a runtime
 * (the merged snapshots of a `node:cluster`, `clusterSnapshotSource()` in `mvx-common/node`, or a view of
 * your own) reach the exporters.
 *
 * Contract: `readRecorders()` is synchronous, cheap enough to call at every scrape, and returns current
 * readings (JSON-safe snapshots, treated as immutable by readers). Each `recorderId` appears once, unless
 * readings of one id are told apart by their {@link RecorderReading.labels}. Readers never trust it: a
 * throwing call reads as no recorders, and entries that are not readings (no string `recorderId`, no
 * `snapshots` object) are left out.
 */
export interface RecorderReadingsProvider {
  /** Every recorder's reading, now. */
  readRecorders(): readonly RecorderReading[];
}

/** One recorder of a {@link SnapshotSource}, as read at one moment. */
export interface RecorderReading {
  /** The id the runtime registered the recorder under; a lone recorder's `entityId`. */
  readonly recorderId: string;
  /** The recorder's entity id (its measured scope). */
  readonly entityId: string;
  /** The recorder's namespace. */
  readonly namespace: string;
  /** Lifecycle state (for a worker-hosted recorder: as last mirrored; undefined before the first). */
  readonly state: RecorderState | undefined;
  /** Admission counters (for a worker-hosted recorder: as last mirrored; undefined before the first). */
  readonly stats: RecorderStats | undefined;
  /** Epoch milliseconds of the recorder's first start (its metrics count from about then), if known. */
  readonly startTime: number | undefined;
  /** Every metric's snapshot, keyed by metric name, in registration order. */
  readonly snapshots: MetricSnapshots;
  /**
   * Extra labels for every series of this reading, present only when several readings share one
   * `recorderId` and these labels tell them apart (the cluster view gives each worker's unmergeable
   * custom metrics their own reading labelled `{ worker: '<id>' }`). Exporters add them to their series
   * (Prometheus labels, OpenTelemetry attributes); recorders and runtimes never set it.
   */
  readonly labels?: { readonly [name: string]: string };
}

type ReadableRecorder = SnapshotRecorder;

/** True for a {@link SnapshotRecorder} (read once, never throws). */
function isSnapshotRecorder(value: unknown): value is SnapshotRecorder {
  if (value instanceof MetricsRecorder) return true;
  if (value === null || typeof value !== 'object' || value instanceof RuntimeBase) return false;
  try {
    const v = value as Record<string, unknown>;
    return (
      typeof v['entityId'] === 'string' &&
      typeof v['namespace'] === 'string' &&
      typeof v['getMetricSnapshots'] === 'function' &&
      typeof v['getStats'] === 'function'
    );
  } catch {
    return false;
  }
}

/**
 * Throws a `TypeError` naming `param` unless `value` is a {@link SnapshotSource}.
 * @internal
 */
export function checkSnapshotSource(param: string, value: unknown): SnapshotSource {
  if (value instanceof RuntimeBase || isSnapshotRecorder(value)) return value as SnapshotSource;
  if (isReadingsProvider(value)) return value;
  throw typeError(
    param,
    'a MetricsRecorder, a MetricsRuntime, a WorkerMetricsRuntime or an object with a `readRecorders()` method',
    value,
  );
}

/** Whether `value` has a callable `readRecorders` (never throws: a throwing getter or Proxy is "no"). */
function isReadingsProvider(value: unknown): value is RecorderReadingsProvider {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as { readRecorders?: unknown }).readRecorders === 'function';
  } catch {
    return false;
  }
}

/**
 * Reads every recorder of `source` now: one {@link RecorderReading} per recorder, in creation order (a
 * lone recorder gives one reading; a {@link RecorderReadingsProvider} gives its own). Snapshots are read through the recorders' public getters, so a running
 * recorder first processes what is pending (read-your-writes). A runtime that is not running has no
 * recorders to read. Never throws: a recorder that cannot be read is left out.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { counter, MetricsRuntime, readSnapshotSource } from 'mvx-common';
 *
 * const runtime = new MetricsRuntime({ namespace: 'app' });
 * await runtime.start();
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.registerMetric(counter({ name: 'jobs.done', on: 'job.done' }));
 * jobs.emit({ type: 'job.done' });
 * for (const r of readSnapshotSource(runtime)) {
 *   console.log(r.recorderId, r.state, r.stats?.processed, Object.keys(r.snapshots).join()); // → jobs running 1 jobs.done
 * }
 * await runtime.shutdown();
 * ```
 */
export function readSnapshotSource(source: SnapshotSource): readonly RecorderReading[] {
  if (!(source instanceof RuntimeBase) && !isSnapshotRecorder(source)) {
    return isReadingsProvider(source) ? readProvider(source) : [];
  }
  if (isSnapshotRecorder(source)) {
    let id: string;
    try {
      id = source.entityId;
    } catch {
      return [];
    }
    const reading = readRecorder(id, source);
    return reading === undefined ? [] : [reading];
  }
  if (!(source instanceof RuntimeBase) || source.getStatus() !== 'running') return [];
  const out: RecorderReading[] = [];
  let ids: readonly string[];
  try {
    ids = source.listRecorderIds();
  } catch {
    return [];
  }
  for (const id of ids) {
    let recorder: unknown;
    try {
      recorder = source.tryGetRecorder(id);
    } catch {
      continue;
    }
    if (recorder === undefined) continue;
    const reading = readRecorder(id, recorder as ReadableRecorder);
    if (reading !== undefined) out.push(reading);
  }
  return out;
}

function readProvider(provider: RecorderReadingsProvider): readonly RecorderReading[] {
  let readings: unknown;
  try {
    readings = provider.readRecorders();
    if (!Array.isArray(readings)) return [];
    return readings.filter(isReading);
  } catch {
    return [];
  }
}

function isReading(value: unknown): value is RecorderReading {
  if (value === null || typeof value !== 'object') return false;
  const r = value as { recorderId?: unknown; snapshots?: unknown };
  return typeof r.recorderId === 'string' && r.snapshots !== null && typeof r.snapshots === 'object';
}

function readRecorder(recorderId: string, recorder: ReadableRecorder): RecorderReading | undefined {
  try {
    const snapshots = recorder.getMetricSnapshots();
    return Object.freeze({
      recorderId,
      entityId: recorder.entityId,
      namespace: recorder.namespace,
      state: typeof recorder.getStatus === 'function' ? recorder.getStatus() : undefined,
      stats: recorder.getStats(),
      startTime: typeof recorder.getStartTime === 'function' ? recorder.getStartTime() : undefined,
      snapshots,
    });
  } catch {
    return undefined;
  }
}
