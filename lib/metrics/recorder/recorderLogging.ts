import type { LogContext } from '../../logger/LogContext.js';
import type { LogDeliveryError } from '../../logger/LogDeliveryError.js';
import { dataProperty, loggedOperation } from '../logging/loggedOperation.js';
import { RECORDER_LOG_EVENTS } from '../logging/recorderLogPolicy.js';

/**
 * Method decorators of the recorder's logged operations. Each logs `invoke` then `success`/`failed`
 * with the recorder's `entityId` and a `state` field, through `getLogContext()`; without a log context
 * they are plain calls. The per-event path (`emit`, `registerEvent`) is never logged.
 * @internal
 */
export const logged = {
  start: loggedOperation(RECORDER_LOG_EVENTS.start),
  stop: loggedOperation(RECORDER_LOG_EVENTS.stop),
  dispose: loggedOperation(RECORDER_LOG_EVENTS.dispose),
  registerMetric: loggedOperation(RECORDER_LOG_EVENTS.registerMetric, (_self, [metric]) => ({
    metricName: dataProperty(metric, 'name'),
  })),
  getMetricSnapshots: loggedOperation(RECORDER_LOG_EVENTS.getMetricSnapshots),
  getMetricSnapshot: loggedOperation(RECORDER_LOG_EVENTS.getMetricSnapshot, (_self, [name]) => ({ name })),
  iterMetrics: loggedOperation(RECORDER_LOG_EVENTS.iterMetrics),
};

/**
 * Logs a processing-side failure (`dispatch_error`, `cleanup.failed`) at error level. Never throws,
 * whatever the error or the log context (`'raise'` cannot reach the processing side: it is printed like
 * `'print-stderr'`); `onFailure` (e.g. the recorder's `errors$`) also receives each logging failure unless
 * the context ignores failures.
 * @internal
 */
export function logRecorderError(
  context: LogContext | null,
  eventName: string,
  entityId: string,
  error: unknown,
  onFailure?: (failure: LogDeliveryError) => void,
): void {
  if (context === null) return;
  try {
    const path = { raise: false, onFailure };
    context.logQuietly(
      'error',
      eventName,
      context.errorPayloadFor(eventName, error, path),
      { entityId },
      onFailure,
    );
  } catch {
    // unreachable: the quiet path never throws
  }
}
