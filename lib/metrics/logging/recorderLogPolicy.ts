import type { PatternLogEventPolicy } from '../../logger/PatternLogEventPolicy.js';
import type { MetricsLogMode } from './logMode.js';
import { presetPolicy } from './logMode.js';

/**
 * Event names the metrics recorder logs (a public contract: policies and dashboards rely on them).
 */
export const RECORDER_LOG_EVENTS = Object.freeze({
  start: 'metrics_recorder.start',
  stop: 'metrics_recorder.stop',
  dispose: 'metrics_recorder.dispose',
  registerMetric: 'metrics_recorder.register_metric',
  dispatchError: 'metrics_recorder.dispatch_error',
  cleanupFailed: 'metrics_recorder.cleanup.failed',
  getMetricSnapshots: 'metrics_recorder.get_metric_snapshots',
  getMetricSnapshot: 'metrics_recorder.get_metric_snapshot',
  iterMetrics: 'metrics_recorder.iter_metrics',
} as const);

/**
 * Recorder events enabled in `'normal'` mode (lifecycle and errors).
 */
export const RECORDER_NORMAL_LOG_EVENTS: readonly string[] = Object.freeze([
  RECORDER_LOG_EVENTS.start,
  RECORDER_LOG_EVENTS.stop,
  RECORDER_LOG_EVENTS.dispose,
  RECORDER_LOG_EVENTS.registerMetric,
  RECORDER_LOG_EVENTS.dispatchError,
  RECORDER_LOG_EVENTS.cleanupFailed,
]);

/**
 * Recorder events that `'inspection'` mode adds to the normal ones (read-only calls).
 */
export const RECORDER_INSPECTION_LOG_EVENTS: readonly string[] = Object.freeze([
  RECORDER_LOG_EVENTS.getMetricSnapshots,
  RECORDER_LOG_EVENTS.getMetricSnapshot,
  RECORDER_LOG_EVENTS.iterMetrics,
]);

/**
 * The event policy preset for a recorder's log context. It matches on event names only, so it works on any
 * namespace. Attach it yourself: `ctx.configure({ eventPolicy: recorderLogPolicy('normal') })`.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, MemorySink, MetricsRecorder, recorderLogPolicy } from 'mvx-common';
 *
 * const sink = new MemorySink();
 * const ctx = LogContext.root({ namespace: 'my_app', sink }).child('metrics', {
 *   eventPolicy: recorderLogPolicy('normal'), // start, stop, dispose and failures; 'inspection' adds reads
 * });
 * const recorder = new MetricsRecorder('jobs', { logContext: ctx });
 * await recorder.start();
 * console.log([...new Set(sink.events.map((e) => e.meta.eventName))].join(' ')); // → metrics_recorder.start
 * ```
 * @param mode - @default 'normal'
 * @throws TypeError when `mode` is not a string; RangeError when it is not a {@link MetricsLogMode}
 */
export function recorderLogPolicy(mode: MetricsLogMode = 'normal'): PatternLogEventPolicy {
  return presetPolicy(mode, RECORDER_NORMAL_LOG_EVENTS, RECORDER_INSPECTION_LOG_EVENTS);
}
