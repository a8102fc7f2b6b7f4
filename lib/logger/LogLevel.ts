import { checkOneOf } from '../internal/validate.js';

/**
 * Severity of a log event. A string-literal union on the Python `logging` scale
 * (see {@link logLevelSeverity} for the numbers).
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/**
 * Every {@link LogLevel}, from the least to the most severe.
 */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  'debug',
  'info',
  'warning',
  'error',
  'critical',
]);

const SEVERITY: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
});

/**
 * Numeric severity of a level: debug 10, info 20, warning 30, error 40, critical 50 (the Python
 * `logging` scale). Use it to compare levels; never hand these numbers to pino or winston, whose scales differ.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { logLevelSeverity } from 'mvx-common/logger';
 *
 * console.log(logLevelSeverity('warning'), logLevelSeverity('error') > logLevelSeverity('warning')); // → 30 true
 * ```
 * @param level - a {@link LogLevel}
 * @returns 10, 20, 30, 40 or 50
 * @throws RangeError (or TypeError) when `level` is not a {@link LogLevel}
 */
export function logLevelSeverity(level: LogLevel): number {
  return SEVERITY[checkOneOf('level', level, LOG_LEVELS)];
}

/**
 * Type guard: is `value` one of the {@link LOG_LEVELS}?
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { isLogLevel } from 'mvx-common/logger';
 *
 * console.log(isLogLevel('warning'), isLogLevel('warn')); // → true false
 * ```
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SEVERITY, value);
}
