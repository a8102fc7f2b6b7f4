import { rangeError } from '../internal/validate.js';
import type { LogEventSource, LogOutcome } from './LogEvent.js';
import type { LogErrorHandling, LogEventPolicy, LogPayloadProcessor, LogSink } from './types.js';

/**
 * Components of a {@link LogContext}. On a child, an omitted `sink`, `payloadProcessor`, `errorHandling`,
 * `clock` or `diagnostics` is inherited from the parent; `eventPolicy` is **local only** (no policy = every
 * event enabled).
 */
export interface LogContextOptions {
  /** Root only: the namespace, dotted segments of `[A-Za-z][A-Za-z0-9_-]*`. @default '' */
  readonly namespace?: string;
  /** Where events go. @default new ConsoleJsonSink() on a root */
  readonly sink?: LogSink;
  /** Payload normalizer. @default new PayloadNormalizer() on a root */
  readonly payloadProcessor?: LogPayloadProcessor;
  /** Reaction to delivery failures. @default 'print-stderr' on a root */
  readonly errorHandling?: LogErrorHandling;
  /** Local event policy (not inherited). `null` removes it. @default null */
  readonly eventPolicy?: LogEventPolicy | null;
  /** Epoch-milliseconds clock for event timestamps. @default () => Date.now() on a root */
  readonly clock?: () => number;
  /** Last-resort writer used by `'print-stderr'`. @default globalThis.console.error */
  readonly diagnostics?: (line: string) => void;
}

/**
 * Per-call options of {@link LogContext.logEvent} and the level helpers.
 */
export interface LogEventOptions {
  /** @default null */
  readonly outcome?: LogOutcome;
  /** @default null */
  readonly entityId?: string | null;
  /** Overrides the namespace put in the metadata. @default this context's namespace */
  readonly namespace?: string | null;
  /** @default null */
  readonly source?: LogEventSource | null;
  /** Use the payload as is (it must already be JSON-safe). @default false */
  readonly skipNormalization?: boolean;
}

const SEGMENT = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Checks a dotted namespace. @internal */
export function checkNamespace(param: string, ns: string): void {
  if (!ns.split('.').every((s) => SEGMENT.test(s))) {
    throw rangeError(param, 'dotted segments of [A-Za-z][A-Za-z0-9_-]*', ns);
  }
}

/** Accepted keys of {@link LogContextOptions}. @internal */
export const LOG_CONTEXT_OPTION_KEYS = [
  'namespace',
  'sink',
  'payloadProcessor',
  'errorHandling',
  'eventPolicy',
  'clock',
  'diagnostics',
] as const;

/** Accepted keys of `configure()` and `child()` options (the namespace is fixed). @internal */
export const LOG_CONTEXT_CONFIGURE_KEYS = [
  'sink',
  'payloadProcessor',
  'errorHandling',
  'eventPolicy',
  'clock',
  'diagnostics',
] as const;

/** Accepted keys of {@link LogEventOptions}. @internal */
export const LOG_EVENT_OPTION_KEYS = [
  'outcome',
  'entityId',
  'namespace',
  'source',
  'skipNormalization',
] as const;

/** Accepted keys of {@link LogEventSource}. @internal */
export const LOG_EVENT_SOURCE_KEYS = ['path', 'line', 'func'] as const;
