import type { SchedulerLike } from 'rxjs';
import {
  checkScheduler,
  orDefault,
  checkNonNegativeNumber,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  readOptions,
  typeError,
} from '../../internal/validate.js';
import { isLogContext } from '../../logger/isLogContext.js';
import type { LogContext } from '../../logger/LogContext.js';
import { RECORDER_OPTION_KEYS } from '../../internal/optionKeys.js';
import type { MetricErrorPolicy, OverflowPolicy, RecorderOptions } from './types.js';

/** Default namespace of recorders. */
export const DEFAULT_RECORDER_NAMESPACE = 'mvx.metrics.recorder';
/** Default capacity (maximum pending events). */
export const DEFAULT_RECORDER_CAPACITY = 10_000;
/** Default bound on the `onStarting` hook, in milliseconds. */
export const DEFAULT_START_TIMEOUT_MS = 5_000;
/** Default bound on `stop()`, in milliseconds. */
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = Object.freeze([
  'drop-newest',
  'drop-oldest',
  'error',
]);
export const METRIC_ERROR_POLICIES: readonly MetricErrorPolicy[] = Object.freeze([
  'isolate',
  'fail-recorder',
]);

/** Options with defaults applied. @internal */
export interface ResolvedRecorderOptions {
  readonly namespace: string;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  readonly scheduler: SchedulerLike | undefined;
  readonly metricErrors: MetricErrorPolicy;
  readonly stopTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly logContext: LogContext | null;
}

/**
 * Validates recorder options (a TypeError/RangeError naming the option) and applies defaults.
 * @internal
 */
export function resolveRecorderOptions(
  options: RecorderOptions | undefined,
  param = 'options',
  keys: readonly string[] = RECORDER_OPTION_KEYS,
): ResolvedRecorderOptions {
  const o = readOptions(param, options, keys) as { readonly [K in keyof RecorderOptions]?: unknown };
  const namespace =
    o.namespace === undefined || o.namespace === ''
      ? DEFAULT_RECORDER_NAMESPACE
      : checkString(`${param}.namespace`, o.namespace).trim() || DEFAULT_RECORDER_NAMESPACE;
  const capacity = orDefault(o.capacity, DEFAULT_RECORDER_CAPACITY, (v) =>
    checkPositiveInteger(`${param}.capacity`, v),
  );
  const overflow = orDefault(o.overflow, 'drop-newest', (v) =>
    checkOneOf(`${param}.overflow`, v, OVERFLOW_POLICIES),
  );
  const metricErrors = orDefault(o.metricErrors, 'isolate', (v) =>
    checkOneOf(`${param}.metricErrors`, v, METRIC_ERROR_POLICIES),
  );
  const startTimeoutMs = orDefault(o.startTimeoutMs, DEFAULT_START_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber(`${param}.startTimeoutMs`, v),
  );
  const stopTimeoutMs = orDefault(o.stopTimeoutMs, DEFAULT_STOP_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber(`${param}.stopTimeoutMs`, v),
  );
  const scheduler = orDefault(o.scheduler, undefined, (v) =>
    checkScheduler<SchedulerLike>(`${param}.scheduler`, v),
  );
  const logContext = o.logContext ?? null;
  if (logContext !== null && !isLogContext(logContext)) {
    throw typeError(`${param}.logContext`, 'a LogContext or null', logContext);
  }
  return {
    namespace,
    capacity,
    overflow,
    scheduler,
    metricErrors,
    stopTimeoutMs,
    startTimeoutMs,
    logContext,
  };
}

/** Trims `entityId`; a blank id becomes a random 8-hex id. @internal */
export function normalizeEntityId(entityId: unknown): string {
  const trimmed = checkString('entityId', entityId).trim();
  return trimmed === '' ? randomHexId() : trimmed;
}

function randomHexId(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}
