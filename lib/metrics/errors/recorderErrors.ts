import { formatStates, MetricsRecorderError } from './MetricsError.js';

/** An operation was attempted in a recorder state that does not allow it. */
export class RecorderInvalidStateError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderInvalidStateError';

  readonly code = 'INVALID_RECORDER_STATE';

  constructor(
    /** The recorder's state when the operation was refused. */
    readonly state: string,
    /** The states in which the operation is allowed. */
    readonly expectedStates: readonly string[],
    operation: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot ${operation}: recorder is '${state}', expected ${formatStates(expectedStates)}`, options);
  }
}

/** The recorder's pending buffer is full and its overflow policy is `'error'`. */
export class RecorderOverflowError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderOverflowError';

  readonly code = 'QUEUE_OVERFLOW';

  constructor(
    /** The recorder's capacity (maximum pending events). */
    readonly capacity: number,
  ) {
    super(`Recorder buffer is full: ${capacity} events are pending (overflow policy 'error')`);
  }
}

/** Lifecycle phase of a failing recorder hook. */
export type RecorderHookPhase = 'starting' | 'stopped';

/** A recorder's `onStarting` or `onStopped` hook threw or rejected. */
export class RecorderHookError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderHookError';

  readonly code: 'ON_STARTING_HOOK_FAILED' | 'ON_STOPPED_HOOK_FAILED';

  constructor(
    /** Which hook failed. */
    readonly phase: RecorderHookPhase,
    options?: { cause?: unknown },
  ) {
    super(
      `The recorder's ${phase === 'starting' ? 'onStarting' : 'onStopped'} hook failed${describeCause(options?.cause)}`,
      options,
    );
    this.code = phase === 'starting' ? 'ON_STARTING_HOOK_FAILED' : 'ON_STOPPED_HOOK_FAILED';
  }
}

/** `stop()` did not drain and run `onStopped` within `stopTimeoutMs`. */
export class RecorderStopTimeoutError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderStopTimeoutError';

  readonly code = 'STOP_TIMEOUT';

  constructor(
    /** The bound that was exceeded, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`The recorder did not stop within ${timeoutMs} ms`);
  }
}

/** A metric's `accepts`, `reduce` or `dimensions` (or the `onMetricChanged` hook for it) threw. */
export class MetricFailedError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/MetricFailedError';

  readonly code = 'METRIC_FAILED';

  constructor(
    /** The name of the failing metric. */
    readonly metricName: string,
    options?: { cause?: unknown },
  ) {
    super(`Metric '${metricName}' failed${describeCause(options?.cause)}`, options);
  }
}

/** A failure the recorder did not expect (wraps foreign errors). */
export class RecorderUnexpectedError extends MetricsRecorderError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderUnexpectedError';

  readonly code = 'UNEXPECTED_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}${describeCause(options?.cause)}`, options);
  }
}

/** `': <cause message>'` for readable messages; empty when there is no cause. Never throws. */
export function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  try {
    if (cause instanceof Error) return `: ${String(cause.message)}`;
    if (typeof cause === 'string') return `: ${cause}`;
    return `: ${String(cause)}`;
  } catch {
    return ': (an unprintable value)';
  }
}
