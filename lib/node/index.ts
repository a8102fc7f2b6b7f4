/**
 * `mvx-common/node`: Node-only parts of MVX Metrics (worker-hosted runtime over `worker_threads`, Node
 * process metrics, snapshots of `node:cluster` workers merged in the primary).
 */
export { WorkerMetricsRuntime } from './WorkerMetricsRuntime.js';
export { DEFAULT_MAX_IN_FLIGHT_EVENTS } from './workerRuntimeOptions.js';
export type { WorkerRuntimeOptions } from './workerRuntimeOptions.js';
export type { RemoteRecorder, RemoteRecorderBridgeStats } from './RemoteRecorder.js';
export type { WorkerRecorderOptions } from './protocol.js';
export type { WorkerMetricsModule } from './workerHost.js';
export { WorkerStartupError, WorkerCrashedError, WorkerUnresponsiveError } from './errors.js';
export type { LostEvents } from './errors.js';
export { processMetrics, DEFAULT_PROCESS_METRICS_INTERVAL_MS } from './processMetrics/processMetrics.js';
export type { ProcessMetricsOptions, ProcessMetricsSampler } from './processMetrics/processMetrics.js';
export {
  processMetricDefinitions,
  DEFAULT_GC_DURATION_BUCKETS,
} from './processMetrics/processMetricDefinitions.js';
export type { ProcessMetricDefinitionOptions } from './processMetrics/processMetricDefinitions.js';
export type {
  ProcessReaders,
  MemoryReading,
  EventLoopDelayReading,
  GcPause,
} from './processMetrics/processReaders.js';
export type {
  ProcessMetricEvent,
  ProcessMemoryEvent,
  ProcessCpuEvent,
  EventLoopDelayEvent,
  EventLoopUtilizationEvent,
  GcPauseEvent,
  ActiveResourcesEvent,
} from './processMetrics/processMetricEvents.js';
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
