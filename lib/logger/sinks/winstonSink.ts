import { checkString, readOptions } from '../../internal/validate.js';
import { LOG_LEVELS } from '../LogLevel.js';
import type { LogEvent, LogOutcome, LogPayload } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import type { LogSink } from '../types.js';
import { checkLoggerMethods } from './checkLoggerMethods.js';
import { formatLogMessage } from './logRecord.js';

/**
 * The entry {@link winstonSink} passes to `logger.log(entry)`.
 */
export interface WinstonLogEntry {
  readonly level: string;
  readonly message: string;
  readonly namespace: string | null;
  readonly event: string;
  readonly outcome: LogOutcome;
  readonly entityId: string | null;
  readonly payload: LogPayload;
}

/**
 * The one winston method {@link winstonSink} calls. Any `winston.createLogger()` logger fits; winston stays an
 * optional dependency of your app.
 */
export interface WinstonLoggerLike {
  log(entry: WinstonLogEntry): unknown;
}

/**
 * Default level mapping used by {@link winstonSink}, by **name** (winston's npm levels are numbered in
 * reverse: error 0 ... silly 6). `critical` goes to `error` unless overridden.
 */
export const WINSTON_LEVELS: Readonly<Record<LogLevel, string>> = Object.freeze({
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
});

/**
 * A sink that forwards events to a winston logger as `logger.log({ level, message, namespace, event, outcome,
 * entityId, payload })`. Add `winston.format.timestamp()` to your logger for a time field.
 *
 * ## Example
 * ```ts
 * import winston from 'winston';
 * import { LogContext, winstonSink } from 'mvx-common/logger';
 *
 * const logger = winston.createLogger({
 *   level: 'debug',
 *   levels: winston.config.syslog.levels,
 *   transports: [new winston.transports.Console()],
 * });
 * const ctx = LogContext.root({ sink: winstonSink(logger, { levels: { critical: 'crit', warning: 'warning' } }) });
 * ctx.critical('db.down'); // winston level 'crit'
 * ```
 * @param options.levels - per-level overrides of {@link WINSTON_LEVELS} (e.g. for syslog levels)
 * @throws TypeError when `logger` has no `log` method, for an unknown option or level key, or a non-string level
 */
export function winstonSink(
  logger: WinstonLoggerLike,
  options: { readonly levels?: Partial<Record<LogLevel, string>> } = {},
): LogSink {
  checkLoggerMethods(logger, ['log'], 'a winston logger (an object with a log method)');
  const o = readOptions('options', options, ['levels']);
  const levels: Record<LogLevel, string> = { ...WINSTON_LEVELS };
  if (o.levels !== undefined) {
    const given = readOptions('options.levels', o.levels, LOG_LEVELS);
    for (const level of LOG_LEVELS) {
      const name = given[level];
      if (name !== undefined)
        levels[level] = checkString(`options.levels.${level}`, name, { nonEmpty: true });
    }
  }
  return {
    log(event: LogEvent): void {
      const { meta } = event;
      logger.log({
        level: levels[event.level],
        message: formatLogMessage(event),
        namespace: meta.namespace,
        event: meta.eventName,
        outcome: event.outcome,
        entityId: meta.entityId,
        payload: event.payload,
      });
    },
  };
}
