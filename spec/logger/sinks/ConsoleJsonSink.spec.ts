import { ConsoleJsonSink, LogContext } from 'mvx-common/logger';
import { sampleEvent } from './helpers.js';

describe('ConsoleJsonSink', () => {
  it('writes one JSON line per event through the injected writer', () => {
    const lines: string[] = [];
    const sink = new ConsoleJsonSink({ write: (l) => lines.push(l) });
    sink.log(sampleEvent('info'));
    sink.log(sampleEvent('error', 'failed'));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(JSON.parse(lines[1] as string)).toMatchObject({
      level: 'error',
      severity: 40,
      outcome: 'failed',
      payload: { docId: 'd1' },
    });
  });

  it("drops events below minLevel (default 'info')", () => {
    const lines: string[] = [];
    new ConsoleJsonSink({ write: (l) => lines.push(l) }).log(sampleEvent('debug'));
    new ConsoleJsonSink({ write: (l) => lines.push(l), minLevel: 'debug' }).log(sampleEvent('debug'));
    new ConsoleJsonSink({ write: (l) => lines.push(l), minLevel: 'error' }).log(sampleEvent('warning'));
    expect(lines).toHaveLength(1);
  });

  it('writes to console.error by default', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      LogContext.root({ namespace: 'app' }).info('app.ready', { port: 8080 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(spy.mock.calls[0]?.[0] as string)).toMatchObject({
        event: 'app.ready',
        payload: { port: 8080 },
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('validates options', () => {
    expect(() => new ConsoleJsonSink({ write: 'stdout' as never })).toThrow(
      /Expected `options.write` to be a function/,
    );
    expect(() => new ConsoleJsonSink({ minLevel: 'warn' as never })).toThrow(RangeError);
    expect(() => new ConsoleJsonSink({ writer: () => {} } as never)).toThrow(
      /Unknown option "writer" in `options`/,
    );
  });
});
