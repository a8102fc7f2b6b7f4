/**
 * The metrics runtime: owns recorders (registry, defaults, lifecycle, shutdown).
 */
export { MetricsRuntime } from './MetricsRuntime.js';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './runtimeOptions.js';
export type {
  RuntimeState,
  RuntimeOptions,
  CreateRecorderOptions,
  RecorderFactory,
  RuntimeSnapshots,
} from './types.js';
