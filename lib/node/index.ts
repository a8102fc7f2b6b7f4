/**
 * `mvx-common/node`: Node-only parts of MVX Metrics (worker-hosted runtime over `worker_threads`).
 */
export { WorkerMetricsRuntime } from './WorkerMetricsRuntime.js';
export { DEFAULT_MAX_IN_FLIGHT_EVENTS } from './workerRuntimeOptions.js';
export type { WorkerRuntimeOptions } from './workerRuntimeOptions.js';
export type { RemoteRecorder, RemoteRecorderBridgeStats } from './RemoteRecorder.js';
export type { WorkerRecorderOptions } from './protocol.js';
export type { WorkerMetricsModule } from './workerHost.js';
export { WorkerStartupError, WorkerCrashedError, WorkerUnresponsiveError } from './errors.js';
export type { LostEvents } from './errors.js';
