import {
  orDefault,
  checkFunction,
  checkNonNegativeNumber,
  checkOptionalString,
  checkPlainObject,
  checkString,
  typeError,
} from '../../internal/validate.js';
import { isLogContext } from '../../logger/isLogContext.js';
import type { LogContext } from '../../logger/LogContext.js';
import { resolveRecorderOptions } from '../recorder/recorderOptions.js';
import type { RecorderOptions } from '../recorder/types.js';
import type { CreateRecorderOptions, RecorderFactory, RuntimeOptions } from './types.js';

/** Default bound on `shutdown()`, in milliseconds. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Runtime options with defaults applied. @internal */
export interface ResolvedRuntimeOptions {
  readonly namespace: string;
  readonly recorderDefaults: Omit<RecorderOptions, 'logContext'>;
  readonly logContext: LogContext | null;
  readonly shutdownTimeoutMs: number;
  readonly recorderFactory: RecorderFactory | undefined;
}

/** Re-throws a recorder-option error under another parameter prefix (`options.recorderDefaults.x`). */
function reprefix<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      const message = error.message.replace('`options', `\`${prefix}`);
      throw error instanceof RangeError ? new RangeError(message) : new TypeError(message);
    }
    throw error;
  }
}

/**
 * Validates {@link RuntimeOptions} (TypeError/RangeError naming the option) and applies defaults.
 * @internal
 */
export function resolveRuntimeOptions(options: RuntimeOptions): ResolvedRuntimeOptions {
  checkPlainObject('options', options);
  const namespace = checkString('options.namespace', options.namespace, { nonEmpty: true }).trim();
  const recorderDefaults = options.recorderDefaults ?? {};
  reprefix('options.recorderDefaults', () => resolveRecorderOptions(recorderDefaults));
  const shutdownTimeoutMs = orDefault(options.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber('options.shutdownTimeoutMs', v),
  );
  const recorderFactory = orDefault(options.recorderFactory, undefined, (v) =>
    checkFunction<RecorderFactory>('options.recorderFactory', v),
  );
  const logContext = options.logContext ?? null;
  if (logContext !== null && !isLogContext(logContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
  }
  return {
    namespace,
    recorderDefaults: { ...recorderDefaults },
    logContext,
    shutdownTimeoutMs,
    recorderFactory,
  };
}

/** Trims a recorder id; TypeError for a non-string, RangeError for a blank one. @internal */
export function normalizeRecorderId(recorderId: unknown): string {
  return checkString('recorderId', recorderId, { nonEmpty: true }).trim();
}

/** A validated create request. @internal */
export interface CreateRequest {
  readonly entityId: string;
  readonly options: RecorderOptions;
  readonly factory: RecorderFactory | undefined;
}

/**
 * Validates per-recorder options and merges them over the runtime's defaults
 * (`namespace` defaults to the runtime namespace, `entityId` to the recorder id).
 * @internal
 */
export function resolveCreateRequest(
  recorderId: string,
  options: CreateRecorderOptions | undefined,
  runtime: ResolvedRuntimeOptions,
): CreateRequest {
  const given = options === undefined ? {} : checkPlainObject('options', options);
  const { entityId, factory, ...recorderOptions } = given as CreateRecorderOptions;
  const checkedEntityId = checkOptionalString('options.entityId', entityId);
  if (factory !== undefined) checkFunction('options.factory', factory);
  const merged: RecorderOptions = {
    ...runtime.recorderDefaults,
    namespace: runtime.namespace,
    logContext: runtime.logContext,
    ...stripUndefined(recorderOptions),
  };
  resolveRecorderOptions(merged);
  return {
    entityId: checkedEntityId === undefined || checkedEntityId.trim() === '' ? recorderId : checkedEntityId,
    options: merged,
    factory: factory ?? runtime.recorderFactory,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}
