import type { PatternLogEventPolicy } from '../../logger/PatternLogEventPolicy.js';
import type { MetricsLogMode } from './logMode.js';
import { presetPolicy } from './logMode.js';

/**
 * Event names the metrics runtime logs (a public contract).
 */
export const RUNTIME_LOG_EVENTS = Object.freeze({
  start: 'metrics_runtime.start',
  shutdown: 'metrics_runtime.shutdown',
  createRecorder: 'metrics_runtime.create_recorder',
  stopRecorder: 'metrics_runtime.stop_recorder',
  stopAndRemoveRecorder: 'metrics_runtime.stop_and_remove_recorder',
  getRecorder: 'metrics_runtime.get_recorder',
  tryGetRecorder: 'metrics_runtime.try_get_recorder',
  listRecorderIds: 'metrics_runtime.list_recorder_ids',
} as const);

/**
 * Runtime events enabled in `'normal'` mode.
 */
export const RUNTIME_NORMAL_LOG_EVENTS: readonly string[] = Object.freeze([
  RUNTIME_LOG_EVENTS.start,
  RUNTIME_LOG_EVENTS.shutdown,
  RUNTIME_LOG_EVENTS.createRecorder,
  RUNTIME_LOG_EVENTS.stopRecorder,
  RUNTIME_LOG_EVENTS.stopAndRemoveRecorder,
]);

/**
 * Runtime events that `'inspection'` mode adds to the normal ones.
 */
export const RUNTIME_INSPECTION_LOG_EVENTS: readonly string[] = Object.freeze([
  RUNTIME_LOG_EVENTS.getRecorder,
  RUNTIME_LOG_EVENTS.tryGetRecorder,
  RUNTIME_LOG_EVENTS.listRecorderIds,
]);

/**
 * The event policy preset for a runtime's log context; matches on event names only (any namespace).
 *
 * ## Example
 * ```ts
 * import { configureLogContext, MetricsRuntime, runtimeLogPolicy } from 'mvx-common';
 *
 * const logContext = configureLogContext('my_app.metrics', { eventPolicy: runtimeLogPolicy('normal') });
 * const runtime = new MetricsRuntime({ namespace: 'my_app', logContext });
 * ```
 * @param mode - @default 'normal'
 * @throws TypeError when `mode` is not a string; RangeError when it is not a {@link MetricsLogMode}
 */
export function runtimeLogPolicy(mode: MetricsLogMode = 'normal'): PatternLogEventPolicy {
  return presetPolicy(mode, RUNTIME_NORMAL_LOG_EVENTS, RUNTIME_INSPECTION_LOG_EVENTS);
}
