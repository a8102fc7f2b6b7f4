import { checkFunction, checkOneOf, readOptions } from '../../internal/validate.js';
import type { LogEvent } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import { LOG_LEVELS, logLevelSeverity } from '../LogLevel.js';
import type { LogSink } from '../types.js';
import { toLogRecord } from './logRecord.js';

/**
 * Options of a {@link ConsoleJsonSink}.
 */
export interface ConsoleJsonSinkOptions {
  /** Receives one JSON line (no trailing newline) per event. @default globalThis.console.error */
  readonly write?: (line: string) => void;
  /** Events below this level are dropped. @default 'info' */
  readonly minLevel?: LogLevel;
}

/**
 * Writes one JSON line per event ({@link LogRecord} shape). Browser-safe: by default it writes through
 * `globalThis.console.error` (stderr in Node, so stdout stays free for program output). It is the default
 * sink of a root {@link LogContext}; like Python's stream sink, it drops `debug` events unless told otherwise.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { ConsoleJsonSink, LogContext } from 'mvx-common/logger';
 *
 * const ctx = LogContext.root({
 *   namespace: 'app',
 *   sink: new ConsoleJsonSink({ minLevel: 'info', write: (line) => console.log(line) }), // default: console.error
 *   clock: () => 1_700_000_000_000,
 * });
 * ctx.debug('app.starting'); // below minLevel: not written
 * ctx.info('app.ready', { port: 8080 });
 * // → {"time":1700000000000,"level":"info","severity":20,"namespace":"app","event":"app.ready","outcome":null,"entityId":null,"payload":{"port":8080}}
 * ```
 */
export class ConsoleJsonSink implements LogSink {
  readonly minLevel: LogLevel;
  private readonly write: (line: string) => void;
  private readonly minSeverity: number;

  /** @throws TypeError for an unknown option or a non-function `write`; RangeError for a bad `minLevel` */
  constructor(options: ConsoleJsonSinkOptions = {}) {
    const o = readOptions('options', options, ['write', 'minLevel']);
    this.write =
      o.write === undefined
        ? (line) => globalThis.console.error(line)
        : checkFunction<(line: string) => void>('options.write', o.write);
    this.minLevel =
      o.minLevel === undefined ? 'info' : checkOneOf('options.minLevel', o.minLevel, LOG_LEVELS);
    this.minSeverity = logLevelSeverity(this.minLevel);
  }

  /** Serializes and writes the event; throws if the writer throws (the context handles that). */
  log(event: LogEvent): void {
    if (logLevelSeverity(event.level) < this.minSeverity) return;
    this.write(JSON.stringify(toLogRecord(event)));
  }
}
