import {
  orDefault,
  checkFunction,
  checkNonNegativeNumber,
  checkOptionalString,
  checkString,
  readOptions,
  typeError,
} from '../../internal/validate.js';
import { isLogContext } from '../../logger/isLogContext.js';
import type { LogContext } from '../../logger/LogContext.js';
import { RECORDER_OPTION_KEYS } from '../../internal/optionKeys.js';
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

const RUNTIME_OPTION_KEYS = [
  'namespace',
  'recorderDefaults',
  'logContext',
  'shutdownTimeoutMs',
  'recorderFactory',
] as const;
/** Recorder defaults of a runtime: every recorder option but `logContext` (the runtime's own is the default). */
const RECORDER_DEFAULT_KEYS = RECORDER_OPTION_KEYS.filter((k) => k !== 'logContext');
const CREATE_OPTION_KEYS = [...RECORDER_OPTION_KEYS, 'entityId', 'factory'] as const;

/**
 * Validates {@link RuntimeOptions} (TypeError/RangeError naming the option; unknown keys refused, in
 * `recorderDefaults` too) and applies defaults.
 * @internal
 */
export function resolveRuntimeOptions(options: RuntimeOptions): ResolvedRuntimeOptions {
  if (options === undefined) {
    throw new TypeError(
      'Expected `options` with a `namespace` (required): `new MetricsRuntime({ namespace })`',
    );
  }
  const o = readOptions('options', options, RUNTIME_OPTION_KEYS);
  if (o.namespace === undefined) {
    throw new TypeError('Expected `options.namespace` (required) to be a non-blank string, got `undefined`');
  }
  if (typeof o.namespace !== 'string') {
    throw typeError('options.namespace', 'a non-blank string (required)', o.namespace);
  }
  const namespace = o.namespace.trim();
  if (namespace === '') {
    throw new RangeError(
      'Expected `options.namespace` (required) to be a non-blank string, got a blank string',
    );
  }
  const recorderDefaults = (o.recorderDefaults ?? {}) as Omit<RecorderOptions, 'logContext'>;
  const defaults = readOptions('options.recorderDefaults', recorderDefaults, RECORDER_DEFAULT_KEYS);
  resolveRecorderOptions(defaults as RecorderOptions, 'options.recorderDefaults', RECORDER_DEFAULT_KEYS);
  const shutdownTimeoutMs = orDefault(o.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber('options.shutdownTimeoutMs', v),
  );
  const recorderFactory = orDefault(o.recorderFactory, undefined, (v) =>
    checkFunction<RecorderFactory>('options.recorderFactory', v),
  );
  const logContext = o.logContext ?? null;
  if (logContext !== null && !isLogContext(logContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
  }
  return {
    namespace,
    recorderDefaults: { ...defaults } as Omit<RecorderOptions, 'logContext'>,
    logContext: logContext as LogContext | null,
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
  const given = readOptions('options', options, CREATE_OPTION_KEYS) as CreateRecorderOptions;
  const { entityId, factory, ...recorderOptions } = given;
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
