/** Log policy presets and event names of the metrics recorder and runtime. */

export type { MetricsLogMode } from './logMode.js';
export { METRICS_LOG_MODES } from './logMode.js';
export {
  RECORDER_LOG_EVENTS,
  RECORDER_NORMAL_LOG_EVENTS,
  RECORDER_INSPECTION_LOG_EVENTS,
  recorderLogPolicy,
} from './recorderLogPolicy.js';
export {
  RUNTIME_LOG_EVENTS,
  RUNTIME_NORMAL_LOG_EVENTS,
  RUNTIME_INSPECTION_LOG_EVENTS,
  runtimeLogPolicy,
} from './runtimeLogPolicy.js';
