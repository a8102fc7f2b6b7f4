/**
 * `mvx-common/node`: Node-only parts of MVX Metrics (worker-hosted runtime over `worker_threads`, Node
 * process metrics).
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
