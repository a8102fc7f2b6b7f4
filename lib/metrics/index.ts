/**
 * `mvx-common/metrics`: events, metrics, metric kinds, recorder, runtime, thread bridge, errors and
 * the logging presets of the recorder and runtime.
 */

// Events and metrics
export type { MetricEvent, AnyMetricEvent, EmittedEvent } from './event.js';
export { isMetricEvent, InvalidMetricEventError } from './event.js';
export type {
  Metric,
  MetricContext,
  MetricDefinition,
  MetricKind,
  AnyMetric,
  InPlaceUpdate,
} from './metric.js';
export { defineMetric, METRIC_KINDS } from './metric.js';
export { aggregate } from './aggregate.js';

// Snapshots
export type { DimensionValue, Dimensions, MetricSnapshot, MetricSnapshots } from './snapshot.js';

// Errors
export { MetricsError, MetricsRecorderError, MetricsRuntimeError } from './errors/MetricsError.js';
export {
  RecorderInvalidStateError,
  RecorderOverflowError,
  RecorderHookError,
  RecorderStopTimeoutError,
  MetricFailedError,
  RecorderUnexpectedError,
} from './errors/recorderErrors.js';
export type { RecorderHookPhase } from './errors/recorderErrors.js';
export {
  RuntimeInvalidStateError,
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  RuntimeShutdownError,
} from './errors/runtimeErrors.js';
export type { RecorderErrorSummary } from './errors/runtimeErrors.js';

// Emitters
export type { MetricEmitter, MetricEmitterObserver } from './emitter.js';
export { noopEmitter } from './emitter.js';

// Recorder
export { MetricsRecorder } from './recorder/MetricsRecorder.js';
export type { MetricFor } from './recorder/MetricsRecorder.js';
export type {
  RecorderState,
  OverflowPolicy,
  MetricErrorPolicy,
  RecorderOptions,
  OpResult,
  RecorderStats,
  MetricChange,
} from './recorder/types.js';
export {
  DEFAULT_RECORDER_NAMESPACE,
  DEFAULT_RECORDER_CAPACITY,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
} from './recorder/recorderOptions.js';

// Snapshot sources (what adapters read)
export { readSnapshotSource } from './source/snapshotSource.js';
export type {
  SnapshotSource,
  SnapshotRecorder,
  RecorderReading,
  RecorderReadingsProvider,
} from './source/snapshotSource.js';

// ---- the folder barrels, re-exported by name (spec/index.spec.ts pins the list) ----

// Metric kinds
export {
  OVERFLOW_LABELS,
  DEFAULT_MAX_SERIES,
  counter,
  upDownCounter,
  gauge,
  histogram,
  DEFAULT_MS_BUCKETS,
  linearBuckets,
  exponentialBuckets,
  quantiles,
  sketchQuantile,
  rate,
  outcomeCounter,
  mergeSnapshots,
  builtinKindOf,
  DEFAULT_MAX_LABEL_LENGTH,
  DEFAULT_SUB_WINDOWS,
  DEFAULT_RELATIVE_ACCURACY,
  DEFAULT_MAX_BINS,
  MIN_RELATIVE_ACCURACY,
  measure,
  kindsFor,
} from './kinds/index.js';
export type {
  EventGuard,
  On,
  Narrow,
  FieldOf,
  NumericFieldOf,
  ValueOption,
  LabelInput,
  LabelsOption,
  SeriesLabels,
  KindOptions,
  LabelledOptions,
  SumState,
  CounterOptions,
  CounterSeries,
  CounterDimensions,
  CounterState,
  CounterMetric,
  UpDownCounterOptions,
  UpDownCounterSeries,
  UpDownCounterDimensions,
  UpDownCounterState,
  UpDownCounterMetric,
  GaugeOptions,
  GaugeValues,
  GaugeSeries,
  GaugeDimensions,
  GaugeState,
  GaugeMetric,
  HistogramOptions,
  HistogramWindow,
  HistogramValues,
  HistogramSeries,
  HistogramDimensions,
  HistogramState,
  HistogramMetric,
  QuantilesOptions,
  QuantileValues,
  QuantilesWindow,
  SketchDimensions,
  QuantilesDimensions,
  QuantilesState,
  QuantilesMetric,
  RateOptions,
  RateDimensions,
  RateState,
  RateMetric,
  OutcomeCounterOptions,
  OutcomeCounterDimensions,
  OutcomeCounterState,
  OutcomeCounterMetric,
  MeasureOutcome,
  MeasuredEvent,
  MeasureOptions,
  MetricKinds,
  TypedOptions,
  BuiltinKind,
} from './kinds/index.js';

// Runtime
export { MetricsRuntime, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './runtime/index.js';
export type {
  RuntimeState,
  RuntimeOptions,
  CreateRecorderOptions,
  RecorderFactory,
  RuntimeSnapshots,
} from './runtime/index.js';

// Thread bridge
export {
  BRIDGE_PROTOCOL,
  createPortEmitter,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_FLUSH_INTERVAL_MS,
  receiveEvents,
  postSnapshots,
  mirrorSnapshots,
} from './bridge/index.js';
export type {
  MessagePortLike,
  BridgeMessage,
  EventBatchMessage,
  SnapshotsMessage,
  PortEmitter,
  PortEmitterOptions,
  PortEmitterStats,
  EventReceiver,
  EventReceiverStats,
  ReceiveEventsOptions,
  SnapshotMirror,
} from './bridge/index.js';

// Logging presets
export {
  METRICS_LOG_MODES,
  RECORDER_LOG_EVENTS,
  RECORDER_NORMAL_LOG_EVENTS,
  RECORDER_INSPECTION_LOG_EVENTS,
  recorderLogPolicy,
  RUNTIME_LOG_EVENTS,
  RUNTIME_NORMAL_LOG_EVENTS,
  RUNTIME_INSPECTION_LOG_EVENTS,
  runtimeLogPolicy,
} from './logging/index.js';
export type { MetricsLogMode } from './logging/index.js';
