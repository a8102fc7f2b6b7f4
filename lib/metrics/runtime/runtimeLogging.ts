import { logInvocation } from '../../logger/logInvocation.js';
import type { LogContext } from '../../logger/LogContext.js';
import { RUNTIME_LOG_EVENTS } from '../logging/runtimeLogPolicy.js';

/** What the runtime's logged operations read from the runtime. @internal */
export interface LoggedRuntime {
  getStatus(): string;
  getLogContext(): LogContext | null;
}

const state = (self: LoggedRuntime) => ({ state: self.getStatus() });

const recorderIdArg = (_self: LoggedRuntime, [recorderId]: readonly unknown[]) => ({ recorderId });

/** The `create_recorder` invoke payload: the id and the options that shape the recorder (absent = null). */
const createArgs = (_self: LoggedRuntime, [recorderId, options]: readonly unknown[]) => {
  const o = (options !== null && typeof options === 'object' ? options : {}) as Record<string, unknown>;
  return {
    recorderId,
    entityId: o['entityId'] ?? null,
    namespace: o['namespace'] ?? null,
    capacity: o['capacity'] ?? null,
    overflow: o['overflow'] ?? null,
  };
};

/**
 * Method decorators of the runtime's logged operations (shared by `MetricsRuntime` and the main-thread
 * side of `WorkerMetricsRuntime`). Each logs `invoke` then `success`/`failed` under the runtime's
 * `entityId` (its namespace) with a `state` field, through `getLogContext()`; without a log context they
 * are plain calls. Results are never logged; what a method returns or throws is never changed.
 * @internal
 */
export const loggedRuntime = {
  start: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.start, { context: state }),
  shutdown: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.shutdown, { context: state }),
  createRecorder: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.createRecorder, {
    context: state,
    args: createArgs,
  }),
  stopRecorder: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.stopRecorder, {
    context: state,
    args: recorderIdArg,
  }),
  stopAndRemoveRecorder: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, {
    context: state,
    args: recorderIdArg,
  }),
  getRecorder: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.getRecorder, {
    context: state,
    args: recorderIdArg,
  }),
  tryGetRecorder: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.tryGetRecorder, {
    context: state,
    args: recorderIdArg,
  }),
  listRecorderIds: logInvocation<LoggedRuntime>(RUNTIME_LOG_EVENTS.listRecorderIds, { context: state }),
};
