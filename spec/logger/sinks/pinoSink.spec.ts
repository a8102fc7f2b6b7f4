import pino from 'pino';
import { LogContext, PINO_LEVEL_METHODS, pinoSink } from 'mvx-common/logger';
import type { PinoLoggerLike } from 'mvx-common/logger';

function memoryPino(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('pinoSink (real pino)', () => {
  it('maps levels by name: debug/info/warn/error/fatal', () => {
    const { logger, lines } = memoryPino();
    const ctx = LogContext.root({ namespace: 'app', sink: pinoSink(logger) });
    ctx.debug('e');
    ctx.info('e');
    ctx.warning('e');
    ctx.error('e');
    ctx.critical('e');
    expect(lines.map((l) => l.level)).toEqual([20, 30, 40, 50, 60]);
    expect(PINO_LEVEL_METHODS).toEqual({
      debug: 'debug',
      info: 'info',
      warning: 'warn',
      error: 'error',
      critical: 'fatal',
    });
  });

  it('writes the event fields, the nested payload and a readable msg', () => {
    const { logger, lines } = memoryPino();
    const ctx = LogContext.root({ namespace: 'app', sink: pinoSink(logger.child({ svc: 'api' })) });
    ctx.warning('cache.miss', { key: 'a' }, { entityId: 'c1', outcome: 'failed' });
    expect(lines[0]).toMatchObject({
      level: 40,
      svc: 'api',
      namespace: 'app',
      event: 'cache.miss',
      outcome: 'failed',
      entityId: 'c1',
      payload: { key: 'a' },
      msg: 'app.c1.cache.miss [failed]',
    });
    expect(typeof lines[0]?.time).toBe('number');
  });

  it("respects pino's own threshold", () => {
    const { logger, lines } = memoryPino('info');
    LogContext.root({ sink: pinoSink(logger) }).debug('dropped');
    expect(lines).toHaveLength(0);
  });

  it('accepts any structural logger and refuses non-loggers', () => {
    const calls: string[] = [];
    const fake: PinoLoggerLike = {
      debug: () => calls.push('debug'),
      info: () => calls.push('info'),
      warn: () => calls.push('warn'),
      error: () => calls.push('error'),
      fatal: () => calls.push('fatal'),
    };
    LogContext.root({ sink: pinoSink(fake) }).critical('x');
    expect(calls).toEqual(['fatal']);
    expect(() => pinoSink(null as never)).toThrow(/Expected `logger` to be a pino logger/);
  });
});
