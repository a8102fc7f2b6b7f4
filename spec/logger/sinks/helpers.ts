import { createLogEvent, createLogEventMeta } from 'mvx-common/logger';
import type { LogEvent, LogLevel, LogOutcome } from 'mvx-common/logger';

/** Builds a small event for sink tests. */
export function sampleEvent(level: LogLevel = 'info', outcome: LogOutcome = null): LogEvent {
  return createLogEvent({
    level,
    meta: createLogEventMeta({ namespace: 'app', eventName: 'store.save', entityId: 'rec-1' }),
    outcome,
    timestamp: 1_700_000_000_000,
    payload: { docId: 'd1' },
  });
}
