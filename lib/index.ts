/**
 * mvx-common: MVX Metrics (metric events, metrics, recorder, runtime) and MVX Logger.
 *
 * This file is the package's public door; every public name is exported here explicitly.
 */

// Events and metrics
export type { MetricEvent } from './metrics/event.js';
export { isMetricEvent } from './metrics/event.js';
export type { Metric, MetricContext, MetricDefinition, MetricKind, AnyMetric } from './metrics/metric.js';
export { defineMetric, METRIC_KINDS } from './metrics/metric.js';
export { aggregate } from './metrics/aggregate.js';

// Snapshots
export type { DimensionValue, Dimensions, MetricSnapshot, MetricSnapshots } from './metrics/snapshot.js';

// Errors
export { MetricsError, MetricsRecorderError, MetricsRuntimeError } from './metrics/errors/MetricsError.js';
export {
  RecorderInvalidStateError,
  RecorderOverflowError,
  RecorderHookError,
  RecorderStopTimeoutError,
  MetricFailedError,
  RecorderUnexpectedError,
} from './metrics/errors/recorderErrors.js';
export type { RecorderHookPhase } from './metrics/errors/recorderErrors.js';
export {
  RuntimeInvalidStateError,
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  RuntimeShutdownError,
} from './metrics/errors/runtimeErrors.js';
export type { RecorderErrorSummary } from './metrics/errors/runtimeErrors.js';

// Emitters
export type { MetricEmitter, MetricEmitterObserver } from './metrics/emitter.js';
export { noopEmitter } from './metrics/emitter.js';

// Recorder
export { MetricsRecorder } from './metrics/recorder/MetricsRecorder.js';
export type {
  RecorderState,
  OverflowPolicy,
  MetricErrorPolicy,
  RecorderOptions,
  OpResult,
  RecorderStats,
  MetricChange,
} from './metrics/recorder/types.js';
export {
  DEFAULT_RECORDER_NAMESPACE,
  DEFAULT_RECORDER_CAPACITY,
  DEFAULT_STOP_TIMEOUT_MS,
} from './metrics/recorder/recorderOptions.js';
