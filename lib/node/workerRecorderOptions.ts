import { typeError, readOptions } from '../internal/validate.js';
import { RECORDER_OPTION_KEYS, type ListsEvery } from '../internal/optionKeys.js';
import { resolveRecorderOptions } from '../metrics/recorder/recorderOptions.js';
import type { WorkerRecorderOptions } from './protocol.js';

/** Recorder options that cannot cross a thread boundary (functions and objects with behaviour). */
const THREAD_BOUND_KEYS = ['scheduler', 'logContext'] as const;

/** Every key of a hosted recorder's options except `entityId`. @internal */
export const WORKER_RECORDER_OPTION_KEYS = Object.freeze(
  RECORDER_OPTION_KEYS.filter(
    (k): k is Exclude<(typeof RECORDER_OPTION_KEYS)[number], (typeof THREAD_BOUND_KEYS)[number]> =>
      !(THREAD_BOUND_KEYS as readonly string[]).includes(k),
  ),
);

/** Compile-time check: the keys above plus `entityId` are exactly those of `WorkerRecorderOptions`. @internal */
export const WORKER_RECORDER_OPTION_KEYS_COMPLETE: ListsEvery<
  WorkerRecorderOptions,
  [...typeof WORKER_RECORDER_OPTION_KEYS, 'entityId']
> = true;

/**
 * Reads and validates a hosted recorder's options (`withEntityId`: the per-recorder options of
 * `createRecorder`, else the runtime's `recorderDefaults`): unknown keys, `scheduler` and `logContext`
 * (which cannot cross threads) and bad values are a TypeError/RangeError naming `param.key`. Returns a
 * plain, structured-clone friendly copy holding the given values only.
 * @internal
 */
export function readWorkerRecorderOptions(
  param: string,
  value: unknown,
  withEntityId: boolean,
): WorkerRecorderOptions {
  const keys: readonly string[] = withEntityId
    ? [...WORKER_RECORDER_OPTION_KEYS, 'entityId']
    : WORKER_RECORDER_OPTION_KEYS;
  refuseThreadBound(param, value, keys);
  const read: Record<string, unknown> = { ...readOptions(param, value, keys) };
  const { entityId, ...recorderOptions } = read;
  if (entityId !== undefined && typeof entityId !== 'string') {
    throw typeError(`${param}.entityId`, 'a string', entityId);
  }
  underParam(param, () => resolveRecorderOptions(recorderOptions));
  return read as WorkerRecorderOptions;
}

/** A clearer message than "unknown option" for the options a hosted recorder cannot have. */
function refuseThreadBound(param: string, value: unknown, accepted: readonly string[]): void {
  let present: string | undefined;
  try {
    present = THREAD_BOUND_KEYS.find(
      (k) => value !== null && typeof value === 'object' && Object.hasOwn(value, k),
    );
  } catch {
    return; // a throwing Proxy trap: readOptions reports it, naming the parameter
  }
  if (present === undefined) return;
  throw new TypeError(
    `Unknown option "${present}" in \`${param}\` (a recorder hosted in a worker has no ${present}: ` +
      `it cannot cross threads); accepted options: ${accepted.map((k) => `\`${k}\``).join(', ')}`,
  );
}

/** Runs a recorder-options check, reporting its errors under `param` (`options.x` -> `param.x`). */
function underParam<T>(param: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (param === 'options' || !(error instanceof TypeError || error instanceof RangeError)) throw error;
    const message = error.message.replace(/`options(?=[.`])/, `\`${param}`);
    const options = { cause: error.cause };
    throw error instanceof RangeError ? new RangeError(message, options) : new TypeError(message, options);
  }
}
