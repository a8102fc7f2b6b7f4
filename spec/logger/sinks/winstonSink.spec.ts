import { Writable } from 'node:stream';
import winston from 'winston';
import { LogContext, WINSTON_LEVELS, winstonSink } from 'mvx-common/logger';
import { tick } from '../../helpers/wait.js';

function memoryWinston(levels?: winston.config.AbstractConfigSetLevels) {
  const entries: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      entries.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    ...(levels ? { levels, level: 'debug' } : {}),
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, entries };
}

describe('winstonSink (real winston)', () => {
  it('maps levels by name: debug/info/warn/error/error', async () => {
    const { logger, entries } = memoryWinston();
    const ctx = LogContext.root({ namespace: 'app', sink: winstonSink(logger) });
    ctx.debug('e');
    ctx.info('e');
    ctx.warning('e');
    ctx.error('e');
    ctx.critical('e');
    await tick();
    expect(entries.map((e) => e.level)).toEqual(['debug', 'info', 'warn', 'error', 'error']);
    expect(WINSTON_LEVELS.critical).toBe('error');
  });

  it('writes message, event fields and the nested payload', async () => {
    const { logger, entries } = memoryWinston();
    LogContext.root({ namespace: 'app', sink: winstonSink(logger) }).info(
      'job.done',
      { n: 1n },
      { entityId: 'w1' },
    );
    await tick();
    expect(entries[0]).toEqual({
      level: 'info',
      message: 'app.w1.job.done',
      namespace: 'app',
      event: 'job.done',
      outcome: null,
      entityId: 'w1',
      payload: { n: '1' },
    });
  });

  it('supports custom level names (e.g. syslog crit)', async () => {
    const { logger, entries } = memoryWinston(winston.config.syslog.levels);
    LogContext.root({
      sink: winstonSink(logger, { levels: { critical: 'crit', warning: 'warning' } }),
    }).critical('x');
    await tick();
    expect(entries[0]?.level).toBe('crit');
  });

  it('refuses non-loggers', () => {
    expect(() => winstonSink({} as never)).toThrow(/Expected `logger` to be a winston logger/);
  });
});
