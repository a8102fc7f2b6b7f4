import type { JsonValue, LogEvent, LogOutcome, LogPayload } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import { logLevelSeverity } from '../LogLevel.js';

/**
 * The flat, JSON-ready shape the bundled sinks write: event fields at the top, the payload nested under
 * `payload` so it can never overwrite them.
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
 * <!-- runnable -->
 * ```ts
 * import { LogContext, MemorySink, toLogRecord } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * LogContext.root({ namespace: 'app', sink, clock: () => 0 }).info('app.ready', { port: 8080 });
 * console.log(JSON.stringify(toLogRecord(sink.events[0]!)));
 * // → {"time":0,"level":"info","severity":20,"namespace":"app","event":"app.ready","outcome":null,"entityId":null,"payload":{"port":8080}}
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
 * <!-- runnable -->
 * ```ts
 * import { formatLogMessage, LogContext, MemorySink } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * LogContext.root({ namespace: 'app.metrics', sink }).info('metrics_recorder.start', {}, {
 *   entityId: 'rec-1',
 *   outcome: 'invoke',
 * });
 * console.log(formatLogMessage(sink.events[0]!)); // → app.metrics.rec-1.metrics_recorder.start [invoke]
 * ```
 */
export function formatLogMessage(event: LogEvent): string {
  const { namespace, entityId, eventName } = event.meta;
  const head = [namespace, entityId].filter((p): p is string => typeof p === 'string' && p !== '');
  const base = [...head, eventName].join('.');
  return event.outcome === null ? base : `${base} [${event.outcome}]`;
}
