import { createLogEvent, createLogEventMeta, formatLogMessage, toLogRecord } from 'mvx-common/logger';
import { sampleEvent } from './helpers.js';

describe('toLogRecord', () => {
  it('flattens event fields and nests the payload', () => {
    expect(toLogRecord(sampleEvent('warning', 'invoke'))).toEqual({
      time: 1_700_000_000_000,
      level: 'warning',
      severity: 30,
      namespace: 'app',
      event: 'store.save',
      outcome: 'invoke',
      entityId: 'rec-1',
      payload: { docId: 'd1' },
    });
  });

  it('includes the source only when present', () => {
    const e = createLogEvent({
      level: 'info',
      meta: createLogEventMeta({ eventName: 'x', source: { line: 3 } }),
      timestamp: 0,
    });
    expect(toLogRecord(e).source).toEqual({ line: 3 });
    expect('source' in toLogRecord(sampleEvent())).toBe(false);
  });
});

describe('formatLogMessage', () => {
  it('renders namespace[.entityId].event[ [outcome]]', () => {
    expect(formatLogMessage(sampleEvent('info', 'failed'))).toBe('app.rec-1.store.save [failed]');
    const bare = createLogEvent({
      level: 'info',
      meta: createLogEventMeta({ eventName: 'x', namespace: '' }),
      timestamp: 0,
    });
    expect(formatLogMessage(bare)).toBe('x');
  });
});
