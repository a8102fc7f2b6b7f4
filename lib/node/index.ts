/**
 * `mvx-common/node`: Node-only parts of MVX Metrics (worker-hosted runtime over `worker_threads`;
 * snapshots of `node:cluster` workers merged in the primary).
 */
export { WorkerMetricsRuntime } from './WorkerMetricsRuntime.js';
export type { WorkerRuntimeOptions } from './workerRuntimeOptions.js';
export type { RemoteRecorder, RemoteRecorderBridgeStats } from './RemoteRecorder.js';
export type { WorkerRecorderOptions } from './protocol.js';
export type { WorkerMetricsModule } from './workerHost.js';
export { WorkerStartupError, WorkerCrashedError } from './errors.js';
export { shareSnapshotsWithPrimary, CLUSTER_LOG_EVENTS } from './cluster/shareSnapshotsWithPrimary.js';
export type {
  ShareSnapshotsOptions,
  ClusterSnapshotSharing,
  ClusterSharingStats,
  ClusterProcessLike,
} from './cluster/shareSnapshotsWithPrimary.js';
export { clusterSnapshotSource } from './cluster/clusterSnapshotSource.js';
export type {
  ClusterSnapshots,
  ClusterSnapshotSourceOptions,
  ClusterWorkerReport,
  ClusterSnapshotsStats,
  ClusterLike,
  ClusterWorkerLike,
} from './cluster/clusterSnapshotSource.js';
export {
  CLUSTER_SNAPSHOTS_MESSAGE,
  CLUSTER_PROTOCOL_VERSION,
  isClusterSnapshotsMessage,
} from './cluster/clusterProtocol.js';
export type { ClusterSnapshotsMessage, WireReading } from './cluster/clusterProtocol.js';
