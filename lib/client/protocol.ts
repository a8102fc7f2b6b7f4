/**
 * The snapshot-stream wire protocol (`mvx.dashboard/1`): what `snapshotEventStream` (in
 * `mvx-common/dashboard`) writes as Server-Sent Events and `snapshotsFromEventSource` reads. Every
 * payload is one line of JSON in the event's `data:` field. docs/dashboard.md describes the protocol.
 */
import type { BuiltinKind } from '../metrics/kinds/builtinKindOf.js';
import type { MetricKind } from '../metrics/metric.js';
import type { RecorderState, RecorderStats } from '../metrics/recorder/types.js';
import type { Dimensions } from '../metrics/snapshot.js';

/** The protocol name and version carried by every `hello` event (a client refuses any other). */
export const SNAPSHOT_STREAM_PROTOCOL = 'mvx.dashboard/1';

/**
 * The SSE event names of the protocol, in the order a connection sees them: `hello` and `definitions`
 * first, then `snapshot` per tick (with `definitions` again whenever recorders or metrics change), and
 * `heartbeat` while nothing else is sent.
 */
export const SNAPSHOT_STREAM_EVENTS = Object.freeze({
  hello: 'hello',
  definitions: 'definitions',
  snapshot: 'snapshot',
  heartbeat: 'heartbeat',
} as const);

/** One of {@link SNAPSHOT_STREAM_EVENTS}. */
export type SnapshotStreamEventName = (typeof SNAPSHOT_STREAM_EVENTS)[keyof typeof SNAPSHOT_STREAM_EVENTS];

/** `event: hello`: the first event of every connection (no `id:`). */
export interface WireHello {
  /** Always {@link SNAPSHOT_STREAM_PROTOCOL}. */
  readonly protocol: typeof SNAPSHOT_STREAM_PROTOCOL;
  /** Identifies this stream (one server handler in one process); event ids are `<stream>:<seq>`. */
  readonly stream: string;
  /** The tick interval: at most one `snapshot` per interval. */
  readonly intervalMs: number;
  /** A `heartbeat` follows when nothing was sent for this long. */
  readonly heartbeatMs: number;
  /** How many ticks the server keeps for new and resuming connections. */
  readonly history: number;
  /**
   * True when the connection resumed from a `Last-Event-ID` (or `lastEventId` query parameter) the
   * server still had: only the ticks after it follow. False: the whole retained history follows.
   */
  readonly resumed: boolean;
  /**
   * The `seq` of the latest tick when the connection was accepted (0 before the first tick): the
   * `snapshot` events up to it are history being replayed, later ones are live.
   */
  readonly latest: number;
  /** Server time (epoch ms) when the connection was accepted. */
  readonly time: number;
}

/** A metric as announced by `definitions`: everything of its snapshot except the values. */
export interface WireMetricDefinition {
  readonly name: string;
  readonly kind: MetricKind;
  /** The built-in factory that produced it (see `builtinKindOf`), or null for a custom metric. */
  readonly builtin: BuiltinKind | null;
  readonly description?: string;
  readonly unit?: string;
}

/** A recorder as announced by `definitions`. */
export interface WireRecorderDefinition {
  readonly recorderId: string;
  /**
   * Present only when several readings share `recorderId` (a cluster view's per-worker readings) and
   * these labels tell them apart: a recorder is identified by `recorderId` and `labels` together.
   */
  readonly labels?: { readonly [name: string]: string };
  readonly entityId: string;
  readonly namespace: string;
  /** In registration order. */
  readonly metrics: readonly WireMetricDefinition[];
}

/**
 * `event: definitions` (no `id:`): every recorder and metric the source has now. Sent after `hello`
 * and again, before the next `snapshot`, whenever a recorder or metric appears, disappears or changes
 * its name, kind, description, unit or built-in kind. Each replaces the previous one.
 */
export interface WireDefinitions {
  /** Increases with every change (per stream). */
  readonly version: number;
  readonly recorders: readonly WireRecorderDefinition[];
}

/** One recorder's values in a `snapshot`. */
export interface WireRecorderValues {
  readonly recorderId: string;
  /** As in its definition (present only when readings share `recorderId`). */
  readonly labels?: { readonly [name: string]: string };
  /** Lifecycle state, or null when unknown (a worker-hosted recorder before its first mirror). */
  readonly state: RecorderState | null;
  /** Admission counters, or null when unknown. */
  readonly stats: RecorderStats | null;
  /** Epoch ms of the recorder's first start, or null. */
  readonly startTime: number | null;
  /** Each metric's snapshot dimensions, keyed by metric name. */
  readonly values: { readonly [metricName: string]: Dimensions };
}

/**
 * `event: snapshot`, `id: <stream>:<seq>`: the full state at one tick. Self-contained: a client needs
 * only the latest `definitions` and this event to rebuild every snapshot.
 */
export interface WireSnapshot {
  /** Tick number, from 1, increasing by one per tick of this stream. */
  readonly seq: number;
  /** Server time (epoch ms) of the tick. */
  readonly time: number;
  /** The `definitions` version these values belong to. */
  readonly definitions: number;
  readonly recorders: readonly WireRecorderValues[];
}

/** `event: heartbeat` (no `id:`): sent when nothing else was written for `heartbeatMs`. */
export interface WireHeartbeat {
  readonly time: number;
}
