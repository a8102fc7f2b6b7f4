/**
 * Base class of every error MVX Metrics raises, returns or reports. Never thrown itself.
 *
 * Every concrete subclass has a stable string {@link MetricsError.code} so callers can branch on it
 * without `instanceof` (which breaks across duplicated package copies), and carries the underlying
 * failure in the standard `cause` property.
 */
export abstract class MetricsError extends Error {
  /** Stable machine-readable code, e.g. `'QUEUE_OVERFLOW'`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** Base class of the errors raised or reported by a {@link MetricsRecorder}. Never thrown itself. */
export abstract class MetricsRecorderError extends MetricsError {}

/** Base class of the errors raised by a {@link MetricsRuntime}. Never thrown itself. */
export abstract class MetricsRuntimeError extends MetricsError {}

/** Formats a list of states for messages: `'running' or 'stopped'`. */
export function formatStates(states: readonly string[]): string {
  const quoted = states.map((s) => `'${s}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
