import type { LogEvent } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import type { LogSink } from '../types.js';
import { formatLogMessage } from './logRecord.js';
import { checkLoggerMethods } from './checkLoggerMethods.js';

/**
 * The few pino methods {@link pinoSink} calls. Any `pino()` logger (or child) fits; pino itself stays an
 * optional dependency of your app, not of this package.
 */
export interface PinoLoggerLike {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  fatal(obj: object, msg?: string): void;
}

/**
 * Level mapping used by {@link pinoSink}, by **name** (pino's numbers 20..60 differ from ours 10..50).
 */
export const PINO_LEVEL_METHODS: Readonly<Record<LogLevel, keyof PinoLoggerLike>> = Object.freeze({
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
});

/**
 * A sink that forwards events to a pino logger: `logger[method]({ namespace, event, outcome, entityId,
 * payload }, message)` where `message` is {@link formatLogMessage}. pino adds its own `time` and applies its
 * own level threshold (pino's default `'info'` drops our debug events).
 *
 * ## Example
 * ```ts
 * import pino from 'pino';
 * import { LogContext, pinoSink } from 'mvx-common/logger';
 *
 * const ctx = LogContext.root({ namespace: 'app', sink: pinoSink(pino({ level: 'debug' })) });
 * ctx.warning('cache.miss', { key: 'a' });
 * // pino writes: {"level":40,"time":...,"namespace":"app","event":"cache.miss",...,"msg":"app.cache.miss"}
 * ```
 * @throws TypeError when `logger` lacks one of the five methods (read safely: a throwing getter is a TypeError)
 */
export function pinoSink(logger: PinoLoggerLike): LogSink {
  checkLoggerMethods(
    logger,
    ['debug', 'info', 'warn', 'error', 'fatal'],
    'a pino logger (an object with debug/info/warn/error/fatal methods)',
  );
  return {
    log(event: LogEvent): void {
      const method = PINO_LEVEL_METHODS[event.level];
      const { meta } = event;
      logger[method](
        {
          namespace: meta.namespace,
          event: meta.eventName,
          outcome: event.outcome,
          entityId: meta.entityId,
          payload: event.payload,
        },
        formatLogMessage(event),
      );
    },
  };
}
