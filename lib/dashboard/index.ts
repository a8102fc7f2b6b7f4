/**
 * `mvx-common/dashboard` (Node): snapshot streams over HTTP as Server-Sent Events, and a live
 * dashboard server. The browser side (`snapshotsFromEventSource` and the chart operators) is in the
 * package root.
 */
export { snapshotEventStream } from './snapshotEventStream.js';
export type { SnapshotEventStreamHandler } from './snapshotEventStream.js';
export type { SnapshotEventStreamOptions } from './streamOptions.js';
export type { SnapshotStreamStats } from './SnapshotHub.js';
export { serveDashboard } from './serveDashboard.js';
export type { DashboardOptions, DashboardServer } from './serveDashboard.js';
export type { PrometheusRegistryLike } from './prometheusEndpoint.js';
export { SNAPSHOT_STREAM_PROTOCOL, SNAPSHOT_STREAM_EVENTS } from '../client/protocol.js';
export type {
  SnapshotStreamEventName,
  WireHello,
  WireMetricDefinition,
  WireRecorderDefinition,
  WireDefinitions,
  WireRecorderValues,
  WireSnapshot,
  WireHeartbeat,
} from '../client/protocol.js';
