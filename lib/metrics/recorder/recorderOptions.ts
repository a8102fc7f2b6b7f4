import type { SchedulerLike } from 'rxjs';
import {
  checkScheduler,
  orDefault,
  checkNonNegativeNumber,
  checkOneOf,
  checkPlainObject,
  checkPositiveInteger,
  checkString,
  typeError,
} from '../../internal/validate.js';
import { isLogContext } from '../../logger/isLogContext.js';
import type { LogContext } from '../../logger/LogContext.js';
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
export function resolveRecorderOptions(options: RecorderOptions | undefined): ResolvedRecorderOptions {
  if (options === undefined) options = {};
  checkPlainObject('options', options);
  const namespace =
    options.namespace === undefined || options.namespace === ''
      ? DEFAULT_RECORDER_NAMESPACE
      : checkString('options.namespace', options.namespace).trim() || DEFAULT_RECORDER_NAMESPACE;
  const capacity = orDefault(options.capacity, DEFAULT_RECORDER_CAPACITY, (v) =>
    checkPositiveInteger('options.capacity', v),
  );
  const overflow = orDefault(options.overflow, 'drop-newest', (v) =>
    checkOneOf('options.overflow', v, OVERFLOW_POLICIES),
  );
  const metricErrors = orDefault(options.metricErrors, 'isolate', (v) =>
    checkOneOf('options.metricErrors', v, METRIC_ERROR_POLICIES),
  );
  const startTimeoutMs = orDefault(options.startTimeoutMs, DEFAULT_START_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber('options.startTimeoutMs', v),
  );
  const stopTimeoutMs = orDefault(options.stopTimeoutMs, DEFAULT_STOP_TIMEOUT_MS, (v) =>
    checkNonNegativeNumber('options.stopTimeoutMs', v),
  );
  const scheduler = orDefault(options.scheduler, undefined, (v) =>
    checkScheduler<SchedulerLike>('options.scheduler', v),
  );
  const logContext = options.logContext ?? null;
  if (logContext !== null && !isLogContext(logContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
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
