import { createLogEvent, createLogEventMeta } from 'mvx-common/logger';

describe('createLogEventMeta', () => {
  it('fills omitted fields with null and freezes the result', () => {
    const meta = createLogEventMeta({ eventName: 'job.run' });
    expect(meta).toEqual({ namespace: null, eventName: 'job.run', entityId: null, source: null });
    expect(Object.isFrozen(meta)).toBe(true);
  });

  it('copies and freezes the source', () => {
    const source = { path: 'a.ts', line: 3 };
    const meta = createLogEventMeta({ eventName: 'x', namespace: 'app', entityId: 'e1', source });
    source.line = 4;
    expect(meta.source).toEqual({ path: 'a.ts', line: 3 });
    expect(Object.isFrozen(meta.source)).toBe(true);
  });
});

describe('createLogEvent', () => {
  it('builds a frozen event with null outcome and empty payload by default', () => {
    const meta = createLogEventMeta({ eventName: 'x' });
    const event = createLogEvent({ level: 'info', meta, timestamp: 1_700_000_000_000 });
    expect(event).toEqual({ level: 'info', meta, outcome: null, timestamp: 1_700_000_000_000, payload: {} });
    expect(Object.isFrozen(event)).toBe(true);
  });

  it('keeps the given outcome and payload', () => {
    const meta = createLogEventMeta({ eventName: 'x' });
    const event = createLogEvent({
      level: 'error',
      meta,
      outcome: 'failed',
      timestamp: 1,
      payload: { a: 1 },
    });
    expect(event.outcome).toBe('failed');
    expect(event.payload).toEqual({ a: 1 });
  });
});
