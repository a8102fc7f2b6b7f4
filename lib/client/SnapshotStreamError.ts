import { MetricsError } from '../metrics/errors/MetricsError.js';

/** Codes of {@link SnapshotStreamError}. */
export type SnapshotStreamErrorCode = 'SNAPSHOT_STREAM_FAILED' | 'UNSUPPORTED_PROTOCOL';

/**
 * How a `snapshotsFromEventSource` stream ends in error: `SNAPSHOT_STREAM_FAILED` after
 * `maxAttempts` consecutive failed connection attempts (the last failure as `cause`),
 * `UNSUPPORTED_PROTOCOL` when the server speaks another protocol version (no retry).
 *
 * ## Example
 * ```ts
 * import { snapshotsFromEventSource, SnapshotStreamError } from 'mvx-common';
 *
 * snapshotsFromEventSource('/dashboard/events', { maxAttempts: 5 }).subscribe({
 *   error: (e: unknown) => {
 *     if (e instanceof SnapshotStreamError) console.log(e.code, e.attempts); // 'SNAPSHOT_STREAM_FAILED' 5
 *   },
 * });
 * ```
 */
export class SnapshotStreamError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/SnapshotStreamError';

  readonly code: SnapshotStreamErrorCode;
  /** Consecutive failed attempts when the stream gave up. */
  readonly attempts: number;

  constructor(
    code: SnapshotStreamErrorCode,
    message: string,
    attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.attempts = attempts;
  }
}
