import { logInvocation } from '../../logger/logInvocation.js';
import type { LogContext } from '../../logger/LogContext.js';
import { RECORDER_LOG_EVENTS } from '../logging/recorderLogPolicy.js';

/** What the recorder's logged operations read from the recorder. @internal */
interface LoggedRecorder {
  getStatus(): string;
  getLogContext(): LogContext | null;
}

const state = (self: LoggedRecorder) => ({ state: self.getStatus() });

/**
 * Method decorators of the recorder's logged operations. Each logs `invoke` then `success`/`failed`
 * with the recorder's `entityId` and a `state` field, through `getLogContext()`; without a log context
 * they are plain calls. The per-event path (`emit`, `registerEvent`) is never logged.
 * @internal
 */
export const logged = {
  start: logInvocation<LoggedRecorder>(RECORDER_LOG_EVENTS.start, { context: state }),
  stop: logInvocation<LoggedRecorder>(RECORDER_LOG_EVENTS.stop, { context: state }),
  dispose: logInvocation<LoggedRecorder>(RECORDER_LOG_EVENTS.dispose, { context: state }),
  registerMetric: logInvocation<LoggedRecorder, [unknown]>(RECORDER_LOG_EVENTS.registerMetric, {
    context: state,
    args: (_self, [metric]) => ({ metricName: (metric as { name?: unknown } | null)?.name ?? null }),
  }),
  getMetricSnapshots: logInvocation<LoggedRecorder>(RECORDER_LOG_EVENTS.getMetricSnapshots, {
    context: state,
  }),
  getMetricSnapshot: logInvocation<LoggedRecorder, [unknown]>(RECORDER_LOG_EVENTS.getMetricSnapshot, {
    context: state,
    args: (_self, [name]) => ({ name }),
  }),
  iterMetrics: logInvocation<LoggedRecorder>(RECORDER_LOG_EVENTS.iterMetrics, { context: state }),
};

/** Logs a processing-side failure (`dispatch_error`, `cleanup.failed`) at error level. @internal */
export function logRecorderError(
  context: LogContext | null,
  eventName: string,
  entityId: string,
  error: unknown,
): void {
  if (context === null) return;
  context.error(eventName, context.buildErrorPayload(error), { entityId });
}
