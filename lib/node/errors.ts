import { MetricsRuntimeError } from '../metrics/errors/MetricsError.js';
import { describeCause } from '../metrics/errors/recorderErrors.js';

/** A worker-hosted runtime could not start its worker (nothing is left running). */
export class WorkerStartupError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/WorkerStartupError';

  readonly code = 'WORKER_STARTUP_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}${describeCause(options?.cause)}`, options);
  }
}

/** The worker hosting a runtime's recorders crashed or exited unexpectedly. */
export class WorkerCrashedError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/WorkerCrashedError';

  readonly code = 'WORKER_CRASHED';

  constructor(
    /** The worker's exit code, when it exited. */
    readonly exitCode: number | undefined,
    /** Events emitted on the main thread that never showed up in a mirrored recorder stat, per recorder. */
    readonly lostEvents: { readonly [recorderId: string]: number },
    options?: { cause?: unknown },
  ) {
    super(
      `The metrics worker ${exitCode === undefined ? 'crashed' : `exited with code ${exitCode}`}${describeCause(options?.cause)}`,
      options,
    );
  }
}
