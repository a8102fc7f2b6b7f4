import { LOG_ERROR_HANDLINGS } from 'mvx-common/logger';
import type { LogEventPolicy, LogSink } from 'mvx-common/logger';

describe('logger contracts', () => {
  it('lists the error handling modes', () => {
    expect(LOG_ERROR_HANDLINGS).toEqual(['ignore', 'print-stderr', 'raise']);
  });

  it('lets plain objects implement sinks and policies structurally', () => {
    const seen: string[] = [];
    const sink: LogSink = { log: (e) => void seen.push(e.meta.eventName) };
    const policy: LogEventPolicy = { isEventEnabled: (m) => m.eventName !== 'x' };
    sink.log({
      level: 'info',
      meta: { namespace: null, eventName: 'y', entityId: null, source: null },
      outcome: null,
      timestamp: 0,
      payload: {},
    });
    expect(seen).toEqual(['y']);
    expect(policy.isEventEnabled({ namespace: null, eventName: 'x', entityId: null, source: null })).toBe(
      false,
    );
  });
});
