import type { MetricEvent } from '../event.js';
import { MetricsRecorder } from '../recorder/MetricsRecorder.js';
import type { RecorderState, RecorderStats } from '../recorder/types.js';
import { RuntimeBase, type RecorderKind, type RegisteredRecorder } from '../runtime/RuntimeBase.js';
import type { MetricSnapshots } from '../snapshot.js';
import { typeError } from '../../internal/validate.js';

/**
 * A `MetricsRecorder` of any event type, as readers see it. (A `MetricsRecorder<E>` is not assignable
 * to `MetricsRecorder<MetricEvent>`: its emitter makes it invariant in `E`. Readers never use the
 * event side, so they take the read members only.)
 */
export type AnyMetricsRecorder = Pick<
  MetricsRecorder<MetricEvent>,
  | 'entityId'
  | 'namespace'
  | 'getMetricSnapshots'
  | 'getMetricSnapshot'
  | 'getStats'
  | 'getStatus'
  | 'getStartTime'
>;

/**
 * What adapters (Prometheus, OpenTelemetry, the dashboard) read: a `MetricsRecorder` (of any event
 * type), a `MetricsRuntime` or a `WorkerMetricsRuntime` (both runtimes extend the runtime base class).
 * Checked at run time by {@link checkSnapshotSource}: other objects of the same shape are refused.
 */
export type SnapshotSource = AnyMetricsRecorder | RuntimeBase<RecorderKind, RegisteredRecorder>;

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
}

/** What a reader needs of a hosted recorder (a `MetricsRecorder` or a worker-hosted facade). */
interface ReadableRecorder {
  readonly entityId: string;
  readonly namespace: string;
  getMetricSnapshots(): MetricSnapshots;
  getStats(): RecorderStats | undefined;
  getStatus?(): RecorderState | undefined;
  getStartTime?(): number | undefined;
}

/**
 * Throws a `TypeError` naming `param` unless `value` is a {@link SnapshotSource}.
 * @internal
 */
export function checkSnapshotSource(param: string, value: unknown): SnapshotSource {
  if (value instanceof MetricsRecorder || value instanceof RuntimeBase) return value as SnapshotSource;
  throw typeError(param, 'a MetricsRecorder, a MetricsRuntime or a WorkerMetricsRuntime', value);
}

/**
 * Reads every recorder of `source` now: one {@link RecorderReading} per recorder, in creation order (a
 * lone recorder gives one reading). Snapshots are read through the recorders' public getters, so a running
 * recorder first processes what is pending (read-your-writes). A runtime that is not running has no
 * recorders to read. Never throws: a recorder that cannot be read is left out.
 *
 * ## Example
 * ```ts
 * import { readSnapshotSource } from 'mvx-common';
 *
 * for (const r of readSnapshotSource(runtime)) {
 *   console.log(r.recorderId, r.stats?.dropped, Object.keys(r.snapshots));
 * }
 * ```
 */
export function readSnapshotSource(source: SnapshotSource): readonly RecorderReading[] {
  if (source instanceof MetricsRecorder) {
    const reading = readRecorder(source.entityId, source as ReadableRecorder);
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
