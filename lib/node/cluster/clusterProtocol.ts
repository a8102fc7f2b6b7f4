import type { RecorderState, RecorderStats } from '../../metrics/recorder/types.js';
import type { RecorderReading } from '../../metrics/source/snapshotSource.js';
import type { MetricSnapshot, MetricSnapshots } from '../../metrics/snapshot.js';
import { deepFreeze } from './deepFreeze.js';

/**
 * The `type` of every message `shareSnapshotsWithPrimary` sends over the cluster IPC channel. An
 * application's own `worker.on('message')` handlers see these messages too: skip them with
 * {@link isClusterSnapshotsMessage}.
 */
export const CLUSTER_SNAPSHOTS_MESSAGE = 'mvx-common:cluster-snapshots';

/** The protocol version this build speaks; messages of other versions are ignored (and counted). */
export const CLUSTER_PROTOCOL_VERSION = 1;

/** One recorder's reading on the wire (JSON: `null` for unknown). */
export interface WireReading {
  readonly recorderId: string;
  readonly entityId: string;
  readonly namespace: string;
  readonly state: RecorderState | null;
  readonly stats: RecorderStats | null;
  readonly startTime: number | null;
  readonly snapshots: MetricSnapshots;
}

/**
 * What a cluster worker sends to the primary: every recorder's reading, numbered per worker.
 */
export interface ClusterSnapshotsMessage {
  readonly type: typeof CLUSTER_SNAPSHOTS_MESSAGE;
  readonly version: number;
  /** 1, 2, 3, ... per worker process. */
  readonly seq: number;
  readonly readings: readonly WireReading[];
}

/**
 * Whether `message` is one of mvx-common's cluster snapshot messages (never throws).
 *
 * ## Example
 * ```ts
 * import cluster from 'node:cluster';
 * import { isClusterSnapshotsMessage } from 'mvx-common/node';
 *
 * declare function handleAppMessage(message: unknown): void;
 *
 * cluster.on('message', (_worker, message: unknown) => {
 *   if (isClusterSnapshotsMessage(message)) return; // mvx-common's own traffic
 *   handleAppMessage(message);
 * });
 * ```
 */
export function isClusterSnapshotsMessage(message: unknown): message is ClusterSnapshotsMessage {
  try {
    return (
      message !== null &&
      typeof message === 'object' &&
      (message as { type?: unknown }).type === CLUSTER_SNAPSHOTS_MESSAGE
    );
  } catch {
    return false;
  }
}

/** A reading as it goes on the wire. @internal */
export function toWire(reading: RecorderReading): WireReading {
  return {
    recorderId: reading.recorderId,
    entityId: reading.entityId,
    namespace: reading.namespace,
    state: reading.state ?? null,
    stats: reading.stats ?? null,
    startTime: reading.startTime ?? null,
    snapshots: reading.snapshots,
  };
}

const isObject = (v: unknown): v is { readonly [k: string]: unknown } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const STAT_FIELDS = [
  'offered',
  'accepted',
  'processed',
  'dropped',
  'rejected',
  'pending',
  'capacity',
  'metricErrors',
] as const;

function readStats(value: unknown): RecorderStats | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, number> = {};
  for (const f of STAT_FIELDS) {
    const v = value[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
    out[f] = v;
  }
  return out as unknown as RecorderStats;
}

/**
 * The readings of a received message, validated: entries that are not readings are left out, as are
 * snapshots that are not objects with a string `name` and an object `dimensions`. The result is deeply
 * frozen. Returns `undefined` for a message of another version or shape.
 * @internal
 */
export function readMessage(message: unknown): { seq: number; readings: RecorderReading[] } | undefined {
  if (!isClusterSnapshotsMessage(message)) return undefined;
  const m = message as unknown as { readonly [k: string]: unknown };
  const seq = m['seq'];
  const readings = m['readings'];
  if (m['version'] !== CLUSTER_PROTOCOL_VERSION || typeof seq !== 'number' || !Array.isArray(readings)) {
    return undefined;
  }
  const out: RecorderReading[] = [];
  const seen = new Set<string>();
  for (const r of readings as unknown[]) {
    if (!isObject(r) || typeof r['recorderId'] !== 'string' || r['recorderId'] === '') continue;
    if (seen.has(r['recorderId']) || !isObject(r['snapshots'])) continue;
    seen.add(r['recorderId']);
    const snapshots: Record<string, MetricSnapshot> = {};
    const raw = r['snapshots'];
    for (const key of Object.keys(raw)) {
      const s = raw[key];
      if (isObject(s) && typeof s['name'] === 'string' && isObject(s['dimensions'])) {
        Object.defineProperty(snapshots, key, {
          value: s,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    const state = r['state'];
    const startTime = r['startTime'];
    out.push(
      deepFreeze({
        recorderId: r['recorderId'],
        entityId: typeof r['entityId'] === 'string' ? r['entityId'] : r['recorderId'],
        namespace: typeof r['namespace'] === 'string' ? r['namespace'] : '',
        state: typeof state === 'string' ? (state as RecorderState) : undefined,
        stats: readStats(r['stats']),
        startTime: typeof startTime === 'number' && Number.isFinite(startTime) ? startTime : undefined,
        snapshots,
      }),
    );
  }
  return { seq, readings: out };
}
