/**
 * MVX Logger: structured log events, a namespace tree of contexts with pluggable sinks, a pattern event
 * policy and `logInvocation`. Entry point `mvx-common/logger`.
 */

// Levels and events
export type { LogLevel } from './LogLevel.js';
export { LOG_LEVELS, logLevelSeverity, isLogLevel } from './LogLevel.js';
export type {
  JsonValue,
  LogPayload,
  LogOutcome,
  LogEventSource,
  LogEventMeta,
  LogEvent,
} from './LogEvent.js';
export { createLogEventMeta, createLogEvent } from './LogEvent.js';

// Contracts
export type {
  LogSink,
  LogEventPolicy,
  LogPayloadProcessor,
  LogPayloadProvider,
  LogErrorHandling,
  NormalizeOptions,
} from './types.js';
export { LOG_ERROR_HANDLINGS } from './types.js';

// Context
export type { LogContextOptions, LogEventOptions } from './LogContextOptions.js';
export { LogContext } from './LogContext.js';
export { LogDeliveryError } from './LogDeliveryError.js';
export { buildErrorPayload, isErrorLogged, markErrorLogged } from './errorPayload.js';
export { getRootLogContext, configureLogContext, getLogContext, resetLogger } from './rootLogContext.js';

// Payload
export type { PayloadNormalizerOptions } from './PayloadNormalizer.js';
export { PayloadNormalizer, createPayloadNormalizer } from './PayloadNormalizer.js';

// Policy
export type {
  PatternLogEventAction,
  PatternLogEventRule,
  PatternLogEventPolicyConfig,
} from './PatternLogEventPolicy.js';
export { PatternLogEventPolicy } from './PatternLogEventPolicy.js';

// Invocation logging
export type {
  LogInvocationOptions,
  LogInvocationLevels,
  LogInvocationWrapper,
  LoggedResult,
} from './logInvocation.js';
export { logInvocation } from './logInvocation.js';

// Sinks
export type { LogRecord } from './sinks/logRecord.js';
export { toLogRecord, formatLogMessage } from './sinks/logRecord.js';
export type { ConsoleJsonSinkOptions } from './sinks/ConsoleJsonSink.js';
export { ConsoleJsonSink } from './sinks/ConsoleJsonSink.js';
export type { LogEventQuery } from './sinks/MemorySink.js';
export { MemorySink } from './sinks/MemorySink.js';
export type { PinoLoggerLike } from './sinks/pinoSink.js';
export { pinoSink, PINO_LEVEL_METHODS } from './sinks/pinoSink.js';
export type { WinstonLoggerLike, WinstonLogEntry } from './sinks/winstonSink.js';
export { winstonSink, WINSTON_LEVELS } from './sinks/winstonSink.js';
