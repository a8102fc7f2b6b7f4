import { formatStates, MetricsRuntimeError } from './MetricsError.js';
import { describeCause } from './recorderErrors.js';

/** A runtime operation was attempted in a runtime state that does not allow it. */
export class RuntimeInvalidStateError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RuntimeInvalidStateError';

  readonly code = 'INVALID_RUNTIME_STATE';

  constructor(
    readonly state: string,
    readonly expectedStates: readonly string[],
    operation: string,
  ) {
    super(`Cannot ${operation}: runtime is '${state}', expected ${formatStates(expectedStates)}`);
  }
}

/** A recorder with this id already exists (or is being created) in the runtime. */
export class RecorderAlreadyExistsError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderAlreadyExistsError';

  readonly code = 'RECORDER_ALREADY_EXISTS';

  constructor(readonly recorderId: string) {
    super(`A recorder with id '${recorderId}' already exists`);
  }
}

/** No recorder with this id is registered in the runtime (or it is being removed). */
export class RecorderNotFoundError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderNotFoundError';

  readonly code = 'RECORDER_NOT_FOUND';

  constructor(readonly recorderId: string) {
    super(`No recorder with id '${recorderId}'`);
  }
}

/** A recorder could not be created or started by the runtime. */
export class RecorderStartupError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderStartupError';

  readonly code = 'RECORDER_STARTUP_ERROR';

  constructor(
    readonly recorderId: string,
    options?: { cause?: unknown },
  ) {
    super(`Recorder '${recorderId}' failed to start${describeCause(options?.cause)}`, options);
  }
}

/** A recorder could not be stopped by the runtime. */
export class RecorderStopError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RecorderStopError';

  readonly code = 'RECORDER_STOP_ERROR';

  constructor(
    readonly recorderId: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(
      `Recorder '${recorderId}' failed to stop${options?.reason ? `: ${options.reason}` : describeCause(options?.cause)}`,
      options,
    );
  }
}

/** One recorder's failure, as listed by {@link RuntimeShutdownError.recorderErrors}. */
export interface RecorderErrorSummary {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/** `shutdown()` could not stop one or more recorders cleanly (they were removed all the same). */
export class RuntimeShutdownError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/RuntimeShutdownError';

  readonly code = 'SHUTDOWN_ERROR';

  constructor(
    /** Ids of the recorders that failed to stop, in creation order. */
    readonly failedRecorderIds: readonly string[],
    /** Each failed recorder's error, by recorder id. */
    readonly recorderErrors: { readonly [recorderId: string]: RecorderErrorSummary },
    options?: { cause?: unknown },
  ) {
    super(
      `Runtime shutdown failed for ${failedRecorderIds.length} recorder(s): ${failedRecorderIds.join(', ')}`,
      options,
    );
  }
}
