/**
 * The browser-safe side of the live dashboard: the snapshot-stream client, its wire protocol types,
 * and the operators a chart needs over snapshot streams. Imports no Node module.
 */
export { SNAPSHOT_STREAM_PROTOCOL, SNAPSHOT_STREAM_EVENTS } from './protocol.js';
export type {
  SnapshotStreamEventName,
  WireHello,
  WireMetricDefinition,
  WireRecorderDefinition,
  WireDefinitions,
  WireRecorderValues,
  WireSnapshot,
  WireHeartbeat,
} from './protocol.js';
export { snapshotsFromEventSource } from './snapshotsFromEventSource.js';
export type {
  MessageEventLike,
  EventSourceLike,
  EventSourceConstructor,
  ConnectionState,
  ConnectionStatus,
  SnapshotUpdate,
  SnapshotEventSourceOptions,
  LiveSnapshotStream,
} from './snapshotsFromEventSource.js';
export { SnapshotStreamError } from './SnapshotStreamError.js';
export type { SnapshotStreamErrorCode } from './SnapshotStreamError.js';
export type { TimedValue } from './TimedValue.js';
export { selectMetric } from './selectMetric.js';
export { perSecondRate } from './perSecondRate.js';
export { rollingWindow } from './rollingWindow.js';
export type { RollingWindowOptions } from './rollingWindow.js';
export { histogramQuantile } from './histogramQuantile.js';
export { histogramQuantiles } from './histogramQuantiles.js';
export type { BucketCounts } from './histogramQuantiles.js';
export { sketchQuantiles } from './sketchQuantiles.js';
export type { SketchSample } from './sketchQuantiles.js';
export type { QuantilesOverTimeOptions, QuantileEstimate } from './quantileOptions.js';
export { seriesRates } from './seriesRates.js';
export type { SeriesRate, LabelledSeries } from './seriesRates.js';
export { topSeries } from './topSeries.js';
