import type { JsonValue, LogEvent, LogEventMeta, LogPayload } from './LogEvent.js';

/**
 * Where completed events go. `log` is synchronous and never awaited on the hot path; a sink neither filters
 * nor normalizes. A sink that throws does not break the caller: the context reports the failure according to
 * its {@link LogErrorHandling}.
 *
 * ## Example
 * ```ts
 * import type { LogSink } from 'mvx-common/logger';
 * const countingSink: LogSink = { log: () => void (count += 1) };
 * ```
 */
export interface LogSink {
  log(event: LogEvent): void;
  /** Optional: deliver anything buffered. */
  flush?(): Promise<void>;
  /** Optional: release resources. */
  close?(): Promise<void>;
}

/**
 * Decides which events are let through ("width"). Sees only metadata, never the payload.
 *
 * ## Example
 * ```ts
 * import type { LogEventPolicy } from 'mvx-common/logger';
 * const onlyErrors: LogEventPolicy = { isEventEnabled: (meta) => meta.eventName.endsWith('.error') };
 * ```
 */
export interface LogEventPolicy {
  isEventEnabled(meta: LogEventMeta): boolean;
}

/**
 * Options of a single normalization call.
 *
 * ## Example
 * ```ts
 * ctx.normalizeValue(bigList, { unbounded: true });
 * ```
 */
export interface NormalizeOptions {
  /** Lift the item cap on collections (strings are still cut). @default false */
  readonly unbounded?: boolean;
}

/**
 * Turns arbitrary values into bounded, JSON-safe data ("depth").
 *
 * ## Example
 * ```ts
 * import { createPayloadNormalizer, type LogPayloadProcessor } from 'mvx-common/logger';
 * const processor: LogPayloadProcessor = createPayloadNormalizer({ maxStringLength: 80 });
 * ```
 */
export interface LogPayloadProcessor {
  normalizePayload(payload: Readonly<Record<string, unknown>>, options?: NormalizeOptions): LogPayload;
  normalizeValue(value: unknown, options?: NormalizeOptions): JsonValue;
}

/**
 * An object that knows its own log representation. The normalizer calls `toLogPayload()` before anything else.
 *
 * ## Example
 * ```ts
 * import type { LogPayloadProvider } from 'mvx-common/logger';
 * class Job implements LogPayloadProvider {
 *   constructor(private readonly id: string) {}
 *   toLogPayload() { return { jobId: this.id }; }
 * }
 * ```
 */
export interface LogPayloadProvider {
  toLogPayload(): Readonly<Record<string, unknown>>;
}

/**
 * What a context does when delivering an event fails (a sink, policy or normalizer throws):
 * - `'ignore'`: drop silently;
 * - `'print-stderr'` (default): print the first failure of a streak through the diagnostic writer, stay quiet
 *   until a delivery succeeds again;
 * - `'raise'`: throw a {@link LogDeliveryError} into the caller (synchronous paths only).
 *
 * ## Example
 * ```ts
 * import { LogContext } from 'mvx-common/logger';
 * const strict = LogContext.root({ errorHandling: 'raise' });
 * ```
 */
export type LogErrorHandling = 'ignore' | 'print-stderr' | 'raise';

/**
 * Every {@link LogErrorHandling} value.
 *
 * ## Example
 * ```ts
 * import { LOG_ERROR_HANDLINGS } from 'mvx-common/logger';
 * LOG_ERROR_HANDLINGS; // ['ignore', 'print-stderr', 'raise']
 * ```
 */
export const LOG_ERROR_HANDLINGS: readonly LogErrorHandling[] = Object.freeze([
  'ignore',
  'print-stderr',
  'raise',
]);
