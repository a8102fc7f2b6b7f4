import type { SchedulerLike } from 'rxjs';
import {
  checkNonNegativeNumber,
  checkOneOf,
  checkPlainObject,
  checkPositiveInteger,
  checkString,
  typeError,
} from '../../internal/validate.js';
import { LogContext } from '../../logger/LogContext.js';
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
  const capacity =
    options.capacity === undefined
      ? DEFAULT_RECORDER_CAPACITY
      : checkPositiveInteger('options.capacity', options.capacity);
  const overflow =
    options.overflow === undefined
      ? 'drop-newest'
      : checkOneOf('options.overflow', options.overflow, OVERFLOW_POLICIES);
  const metricErrors =
    options.metricErrors === undefined
      ? 'isolate'
      : checkOneOf('options.metricErrors', options.metricErrors, METRIC_ERROR_POLICIES);
  const startTimeoutMs =
    options.startTimeoutMs === undefined
      ? DEFAULT_START_TIMEOUT_MS
      : checkNonNegativeNumber('options.startTimeoutMs', options.startTimeoutMs);
  const stopTimeoutMs =
    options.stopTimeoutMs === undefined
      ? DEFAULT_STOP_TIMEOUT_MS
      : checkNonNegativeNumber('options.stopTimeoutMs', options.stopTimeoutMs);
  const scheduler = options.scheduler;
  if (
    scheduler !== undefined &&
    (scheduler === null ||
      typeof scheduler !== 'object' ||
      typeof scheduler.schedule !== 'function' ||
      typeof scheduler.now !== 'function')
  ) {
    throw typeError('options.scheduler', 'an RxJS SchedulerLike (with `schedule` and `now`)', scheduler);
  }
  const logContext = options.logContext ?? null;
  if (logContext !== null && !(logContext instanceof LogContext)) {
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
