import { dataProperty, loggedOperation, type LoggedComponent } from '../logging/loggedOperation.js';
import { RUNTIME_LOG_EVENTS } from '../logging/runtimeLogPolicy.js';

/** What the runtime's logged operations read from the runtime. @internal */
export type LoggedRuntime = LoggedComponent;

const recorderIdArg = (_self: LoggedRuntime, [recorderId]: readonly unknown[]) => ({ recorderId });

/**
 * The `create_recorder` invoke payload: the id and the options that shape the recorder (absent = null).
 * Only own data properties are read: logging never invokes an options getter the runtime would not.
 */
const createArgs = (_self: LoggedRuntime, [recorderId, options]: readonly unknown[]) => ({
  recorderId,
  entityId: dataProperty(options, 'entityId'),
  namespace: dataProperty(options, 'namespace'),
  capacity: dataProperty(options, 'capacity'),
  overflow: dataProperty(options, 'overflow'),
});

/**
 * Method decorators of the runtime's logged operations (shared by `MetricsRuntime` and the main-thread
 * side of `WorkerMetricsRuntime`). Each logs `invoke` then `success`/`failed` under the runtime's
 * `entityId` (its namespace) with a `state` field, through `getLogContext()`; without a log context they
 * are plain calls. Results are never logged; what a method returns or throws is never changed.
 * @internal
 */
export const loggedRuntime = {
  start: loggedOperation(RUNTIME_LOG_EVENTS.start),
  shutdown: loggedOperation(RUNTIME_LOG_EVENTS.shutdown),
  createRecorder: loggedOperation(RUNTIME_LOG_EVENTS.createRecorder, createArgs),
  stopRecorder: loggedOperation(RUNTIME_LOG_EVENTS.stopRecorder, recorderIdArg),
  stopAndRemoveRecorder: loggedOperation(RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, recorderIdArg),
  getRecorder: loggedOperation(RUNTIME_LOG_EVENTS.getRecorder, recorderIdArg),
  tryGetRecorder: loggedOperation(RUNTIME_LOG_EVENTS.tryGetRecorder, recorderIdArg),
  listRecorderIds: loggedOperation(RUNTIME_LOG_EVENTS.listRecorderIds),
};
