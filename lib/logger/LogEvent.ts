import type { LogLevel } from './LogLevel.js';

/**
 * A JSON-safe value: what survives `JSON.stringify` unchanged. Every {@link LogEvent} payload is made of these.
 */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A normalized, JSON-safe event payload (a flat record of {@link JsonValue}s).
 */
export type LogPayload = { readonly [key: string]: JsonValue };

/**
 * The lifecycle tag of an event. `logInvocation` uses the four named values; manual events usually use `null`.
 */
export type LogOutcome = 'invoke' | 'success' | 'failed' | 'cancelled' | null | (string & {});

/**
 * Optional code location of an event. `logInvocation` never fills it.
 */
export interface LogEventSource {
  readonly path?: string;
  readonly line?: number;
  readonly func?: string;
}

/**
 * The selection layer of an event: everything an event policy may look at. It is built before any payload
 * work, so a rejected event costs no normalization. Instances are frozen.
 */
export interface LogEventMeta {
  /** Logical area, normally the log context's namespace. `null` never matches a namespace pattern. */
  readonly namespace: string | null;
  /** Stable event identifier, e.g. `metrics_recorder.start`. */
  readonly eventName: string;
  /** Id of the runtime/domain object involved (recorder, connection, request...), or `null`. */
  readonly entityId: string | null;
  /** Optional code location, or `null`. */
  readonly source: LogEventSource | null;
}

/**
 * The delivery layer: a complete event handed to a sink. Created only after the policy accepted the event.
 * Instances are frozen.
 */
export interface LogEvent {
  readonly level: LogLevel;
  readonly meta: LogEventMeta;
  readonly outcome: LogOutcome;
  /** Epoch **milliseconds** (like `Date.now()`), not seconds as in the Python original. */
  readonly timestamp: number;
  /** Normalized, JSON-safe payload. */
  readonly payload: LogPayload;
}

/**
 * Builds a frozen {@link LogEventMeta}; omitted fields become `null`.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { createLogEventMeta } from 'mvx-common/logger';
 *
 * const meta = createLogEventMeta({ eventName: 'job.run' });
 * console.log(meta.eventName, meta.namespace, meta.entityId, meta.source); // → job.run null null null
 * ```
 */
export function createLogEventMeta(fields: {
  eventName: string;
  namespace?: string | null;
  entityId?: string | null;
  source?: LogEventSource | null;
}): LogEventMeta {
  return Object.freeze({
    namespace: fields.namespace ?? null,
    eventName: fields.eventName,
    entityId: fields.entityId ?? null,
    source: fields.source ? Object.freeze({ ...fields.source }) : null,
  });
}

/**
 * Builds a frozen {@link LogEvent}. The payload is taken as is (it must already be normalized).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { createLogEvent, createLogEventMeta, toLogRecord } from 'mvx-common/logger';
 *
 * const event = createLogEvent({
 *   level: 'info',
 *   meta: createLogEventMeta({ namespace: 'app', eventName: 'app.ready' }),
 *   outcome: null,
 *   timestamp: 0,
 *   payload: { port: 8080 },
 * });
 * console.log(JSON.stringify(toLogRecord(event)));
 * // → {"time":0,"level":"info","severity":20,"namespace":"app","event":"app.ready","outcome":null,"entityId":null,"payload":{"port":8080}}
 * ```
 */
export function createLogEvent(fields: {
  level: LogLevel;
  meta: LogEventMeta;
  outcome?: LogOutcome;
  timestamp: number;
  payload?: LogPayload;
}): LogEvent {
  return Object.freeze({
    level: fields.level,
    meta: fields.meta,
    outcome: fields.outcome ?? null,
    timestamp: fields.timestamp,
    payload: fields.payload ?? EMPTY_PAYLOAD,
  });
}

const EMPTY_PAYLOAD: LogPayload = Object.freeze({});
