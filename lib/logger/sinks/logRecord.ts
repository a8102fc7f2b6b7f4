import type { JsonValue, LogEvent, LogOutcome, LogPayload } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import { logLevelSeverity } from '../LogLevel.js';

/**
 * The flat, JSON-ready shape the bundled sinks write: event fields at the top, the payload nested under
 * `payload` so it can never overwrite them.
 *
 * ## Example
 * ```ts
 * import type { LogRecord } from 'mvx-common/logger';
 * // {"time":1700000000000,"level":"info","severity":20,"namespace":"app","event":"app.ready",
 * //  "outcome":null,"entityId":null,"payload":{"port":8080}}
 * ```
 */
export interface LogRecord {
  readonly time: number;
  readonly level: LogLevel;
  readonly severity: number;
  readonly namespace: string | null;
  readonly event: string;
  readonly outcome: LogOutcome;
  readonly entityId: string | null;
  readonly source?: { readonly [key: string]: JsonValue };
  readonly payload: LogPayload;
}

/**
 * Converts an event to a {@link LogRecord}.
 *
 * ## Example
 * ```ts
 * import { toLogRecord } from 'mvx-common/logger';
 * JSON.stringify(toLogRecord(event));
 * ```
 */
export function toLogRecord(event: LogEvent): LogRecord {
  const { meta } = event;
  const record: LogRecord = {
    time: event.timestamp,
    level: event.level,
    severity: logLevelSeverity(event.level),
    namespace: meta.namespace,
    event: meta.eventName,
    outcome: event.outcome,
    entityId: meta.entityId,
    payload: event.payload,
  };
  return meta.source ? { ...record, source: { ...meta.source } } : record;
}

/**
 * The human-readable message the pino and winston adapters use:
 * `namespace[.entityId].eventName[ [outcome]]`.
 *
 * ## Example
 * ```ts
 * import { formatLogMessage } from 'mvx-common/logger';
 * formatLogMessage(event); // 'app.metrics.rec-1.metrics_recorder.start [invoke]'
 * ```
 */
export function formatLogMessage(event: LogEvent): string {
  const { namespace, entityId, eventName } = event.meta;
  const head = [namespace, entityId].filter((p): p is string => typeof p === 'string' && p !== '');
  const base = [...head, eventName].join('.');
  return event.outcome === null ? base : `${base} [${event.outcome}]`;
}
