import { hasBrandedInstance } from '../internal/brand.js';

/**
 * Thrown into the caller when event delivery fails and the context's error handling is `'raise'`.
 * The original failure is in `cause`.
 *
 * ## Example
 * ```ts
 * import { LogContext, LogDeliveryError } from 'mvx-common/logger';
 * const ctx = LogContext.root({ errorHandling: 'raise', sink: { log() { throw new Error('disk full'); } } });
 * try { ctx.error('app.crash'); } catch (e) { e instanceof LogDeliveryError; } // true
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
  /** Name of the event that could not be delivered. */
  readonly eventName: string;

  constructor(eventName: string, cause: unknown) {
    super(`Could not deliver log event '${eventName}': ${describeCause(cause)}`, { cause });
    this.name = 'LogDeliveryError';
    this.eventName = eventName;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  try {
    return String(cause);
  } catch {
    return '<unprintable>';
  }
}
