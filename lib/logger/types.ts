import type { JsonValue, LogEvent, LogEventMeta, LogPayload } from './LogEvent.js';

/**
 * Where completed events go. `log` is synchronous and never awaited on the hot path; a sink neither filters
 * nor normalizes. A sink that throws does not break the caller: the context reports the failure according to
 * its {@link LogErrorHandling}.
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
 */
export interface LogEventPolicy {
  isEventEnabled(meta: LogEventMeta): boolean;
}

/**
 * Options of a single normalization call.
 */
export interface NormalizeOptions {
  /** Lift the item cap on collections (strings are still cut). @default false */
  readonly unbounded?: boolean;
}

/**
 * Turns arbitrary values into bounded, JSON-safe data ("depth").
 */
export interface LogPayloadProcessor {
  normalizePayload(payload: Readonly<Record<string, unknown>>, options?: NormalizeOptions): LogPayload;
  normalizeValue(value: unknown, options?: NormalizeOptions): JsonValue;
}

/**
 * An object that knows its own log representation. The normalizer calls `toLogPayload()` before anything else.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { PayloadNormalizer, type LogPayloadProvider } from 'mvx-common/logger';
 *
 * class Job implements LogPayloadProvider {
 *   constructor(
 *     private readonly id: string,
 *     private readonly secret: string,
 *   ) {}
 *   toLogPayload() {
 *     return { jobId: this.id }; // the secret stays out of the logs
 *   }
 * }
 * const payload = new PayloadNormalizer().normalizePayload({ job: new Job('j1', 'hunter2') });
 * console.log(JSON.stringify(payload)); // → {"job":{"jobId":"j1"}}
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
 */
export type LogErrorHandling = 'ignore' | 'print-stderr' | 'raise';

/**
 * Every {@link LogErrorHandling} value.
 */
export const LOG_ERROR_HANDLINGS: readonly LogErrorHandling[] = Object.freeze([
  'ignore',
  'print-stderr',
  'raise',
]);
