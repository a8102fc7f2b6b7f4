import { hasBrandedInstance } from '../internal/brand.js';

/**
 * A logging failure: an event could not be delivered because a component of the log context failed (the
 * sink, the event policy, the payload processor, the clock), or because a direct call was malformed. The
 * original failure is in `cause`.
 *
 * Thrown into the caller only by direct calls (`ctx.info(...)`, `ctx.logEvent(...)`, `ctx.emit(...)`,
 * `ctx.isEventEnabled(...)`) on a context whose error handling is `'raise'`. `logInvocation` and the
 * library's own logging never throw it: they hand it to their failure hook (the metrics recorder reports
 * it on `errors$` where supported) and to the context's diagnostics.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, LogDeliveryError } from 'mvx-common/logger';
 *
 * const failing = { log: () => { throw new Error('disk full'); } };
 * const ctx = LogContext.root({ errorHandling: 'raise', sink: failing });
 * try {
 *   ctx.error('app.crash');
 * } catch (error) {
 *   console.log(error instanceof LogDeliveryError, (error as Error).cause instanceof Error); // → true true
 * }
 * ```
 */
export class LogDeliveryError extends Error {
  /** @internal */
  static readonly mvxBrand: string = 'mvx-common/LogDeliveryError';

  /** `instanceof LogDeliveryError`, also for errors made by another copy of the library (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): value is LogDeliveryError {
    return hasBrandedInstance(this, value);
  }

  /** Stable machine-readable code. */
  readonly code = 'LOG_DELIVERY_FAILED' as const;
  /** Name of the event (or of the context helper) whose logging failed. */
  readonly eventName: string;

  /** Never throws, whatever `cause` is. */
  constructor(eventName: string, cause: unknown) {
    const name = typeof eventName === 'string' ? eventName : '<invalid event name>';
    super(`Could not deliver log event '${name}': ${describeCause(cause)}`, { cause });
    this.name = 'LogDeliveryError';
    this.eventName = name;
  }
}

function describeCause(cause: unknown): string {
  const text = describeUnclipped(cause);
  return text.length > 1_000 ? `${text.slice(0, 1_000)}...` : text;
}

function describeUnclipped(cause: unknown): string {
  try {
    if (cause instanceof Error) {
      const name: unknown = cause.name;
      const message: unknown = cause.message;
      return `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : '<no message>'}`;
    }
    if (typeof cause === 'object' && cause !== null && Object.getPrototypeOf(cause) === null)
      return '[object]';
    return String(cause);
  } catch {
    return '<unprintable>';
  }
}
