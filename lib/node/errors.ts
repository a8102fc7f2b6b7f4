import { describeValue } from '../internal/validate.js';
import { MetricsRuntimeError } from '../metrics/errors/MetricsError.js';

/** `': <cause message>'`, empty without a cause. Never throws (null-prototype objects, revoked proxies). */
function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  try {
    if (cause instanceof Error) return `: ${cause.message}`;
  } catch {
    // a revoked proxy: instanceof throws
  }
  return `: ${describeValue(cause)}`;
}

/** Events lost per recorder: emitted on the main thread, not known to be processed, dropped or rejected. */
export type LostEvents = { readonly [recorderId: string]: number };

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
    /**
     * Per recorder, the events emitted on the main thread that the worker did not process as far as the
     * facade knows: unsent, in flight, waiting in the worker's receiver and pending in its recorder, as
     * last mirrored. Events the hosted recorder dropped or rejected are in its stats instead.
     */
    readonly lostEvents: LostEvents,
    options?: { cause?: unknown },
  ) {
    super(
      `The metrics worker ${exitCode === undefined ? 'crashed' : `exited with code ${exitCode}`}${describeCause(options?.cause)}`,
      options,
    );
  }
}

/**
 * The worker hosting a runtime's recorders did not answer a request (or the heartbeat) within
 * `requestTimeoutMs`: its event loop is blocked (a metric that never returns, say). The runtime
 * terminated it; this is reported on `errors$` and the runtime is in `failure`.
 */
export class WorkerUnresponsiveError extends MetricsRuntimeError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/WorkerUnresponsiveError';

  readonly code = 'WORKER_UNRESPONSIVE';

  constructor(
    /** What went unanswered (`"flush of recorder 'jobs'"`, `'heartbeat'`). */
    readonly operation: string,
    /** The bound that passed, in milliseconds. */
    readonly timeoutMs: number,
    /** Per recorder, the events lost with the worker (as {@link WorkerCrashedError.lostEvents}). */
    readonly lostEvents: LostEvents,
  ) {
    super(`The metrics worker did not answer the ${operation} within ${timeoutMs} ms and was terminated`);
  }
}
