import { checkOneOf, checkString, describeValue, readOptions, typeError } from '../internal/validate.js';
import { copyJsonRecord, copyJsonSafe } from './copyJsonSafe.js';
import {
  checkNamespace,
  LOG_CONTEXT_CONFIGURE_KEYS,
  LOG_CONTEXT_OPTION_KEYS,
  LOG_EVENT_OPTION_KEYS,
  LOG_EVENT_SOURCE_KEYS,
} from './LogContextOptions.js';
import type { LogContextOptions, LogEventOptions } from './LogContextOptions.js';
import { buildErrorPayload, isErrorLogged, markErrorLogged } from './errorPayload.js';
import { LogDeliveryError } from './LogDeliveryError.js';
import { isLogContext } from './isLogContext.js';
import { createLogEvent, createLogEventMeta } from './LogEvent.js';
import type {
  JsonValue,
  LogEvent,
  LogEventMeta,
  LogEventSource,
  LogOutcome,
  LogPayload,
} from './LogEvent.js';
import type { LogLevel } from './LogLevel.js';
import { LOG_LEVELS } from './LogLevel.js';
import { isTrustedNormalizer, PayloadNormalizer } from './PayloadNormalizer.js';
import { ConsoleJsonSink } from './sinks/ConsoleJsonSink.js';
import { LOG_ERROR_HANDLINGS } from './types.js';
import type {
  LogErrorHandling,
  LogEventPolicy,
  LogPayloadProcessor,
  LogSink,
  NormalizeOptions,
} from './types.js';

type Local = {
  sink?: LogSink;
  payloadProcessor?: LogPayloadProcessor;
  errorHandling?: LogErrorHandling;
  clock?: () => number;
  diagnostics?: (line: string) => void;
};
type Inherited = keyof Local;

/**
 * How one path reacts to a logging failure: `raise` lets `'raise'` throw into the caller (direct calls
 * only); `onFailure` also receives the failure (unless the error handling is `'ignore'`).
 * @internal
 */
export interface FailurePath {
  readonly raise: boolean;
  readonly onFailure?: ((error: LogDeliveryError) => void) | undefined;
}

/** Direct calls: `'raise'` throws. */
const DIRECT: FailurePath = Object.freeze({ raise: true });
/** Helpers and the library's own logging: never throws. */
const QUIET: FailurePath = Object.freeze({ raise: false });

/** Used when the configured processor fails: it never throws and its output is JSON-safe. */
const FALLBACK_NORMALIZER = new PayloadNormalizer();

const defaultClock = (): number => Date.now();
const defaultDiagnostics = (line: string): void => globalThis.console?.error?.(line);

/** The validated per-call options of `logEvent`. */
interface EventOptions {
  readonly outcome: LogOutcome;
  readonly entityId: string | null;
  readonly namespace: string | null | undefined;
  readonly source: LogEventSource | null;
  readonly skipNormalization: boolean;
}

/**
 * A node in the namespace tree of the logger. It checks the local event policy, normalizes the payload,
 * stamps the event and hands it to the (possibly inherited) sink.
 *
 * Logging never breaks the caller: whatever a component does (the sink, policy, payload processor, clock
 * or diagnostics writer throws, returns garbage or is a revoked Proxy) and whatever the payload, the level
 * helpers return `false` instead of throwing, unless the effective error handling is `'raise'`: then a
 * direct call throws a {@link LogDeliveryError} (and nothing else). Every failure is counted in
 * {@link LogContext.failureCount}.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, MemorySink } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * const root = LogContext.root({ namespace: 'app', sink });
 * const store = root.child('store'); // namespace 'app.store', inherits the sink
 * store.info('store.save', { docId: 'd1' }, { entityId: 'primary' });
 * const [event] = sink.events;
 * console.log(event?.meta.namespace, event?.meta.entityId, JSON.stringify(event?.payload)); // → app.store primary {"docId":"d1"}
 * ```
 */
export class LogContext {
  /** @internal */
  static readonly mvxBrand: string = 'mvx-common/LogContext';

  /** `instanceof LogContext`, also for contexts made by another copy of the library (ESM and CommonJS builds). */
  static [Symbol.hasInstance](value: unknown): value is LogContext {
    return isLogContext(value);
  }

  readonly namespace: string;
  readonly parent: LogContext | null;
  private readonly local: Local = {};
  private policy: LogEventPolicy | null = null;
  private failing = false;
  private failures = 0;

  /**
   * Creates a root context (use {@link LogContext.child} for children).
   * @throws TypeError for an unknown option or a malformed component, RangeError for a bad namespace or
   *   error handling; messages name the option (`options.sink`...)
   */
  constructor(options: LogContextOptions = {}, /** @internal */ parent: LogContext | null = null) {
    if (parent !== null && !(parent instanceof LogContext)) {
      throw typeError('parent', 'a LogContext or null (use ctx.child() for children)', parent);
    }
    const o = readOptions('options', options, LOG_CONTEXT_OPTION_KEYS);
    this.parent = parent;
    const ns = o.namespace === undefined ? '' : checkString('options.namespace', o.namespace);
    if (ns !== '' || parent !== null) checkNamespace('options.namespace', ns);
    this.namespace = ns;
    this.apply(o);
    if (parent === null) {
      this.local.sink ??= new ConsoleJsonSink();
      this.local.payloadProcessor ??= new PayloadNormalizer();
      this.local.errorHandling ??= 'print-stderr';
      this.local.clock ??= defaultClock;
      this.local.diagnostics ??= defaultDiagnostics;
    }
  }

  /** Creates a root context. Same as `new LogContext(options)`. */
  static root(options: LogContextOptions = {}): LogContext {
    return new LogContext(options);
  }

  /**
   * Creates a child whose namespace is `<this namespace>.<namespace>` (`namespace` alone under an empty root).
   * @param namespace - relative, possibly dotted (`'store'`, `'db.pool'`)
   * @throws RangeError when `namespace` is not dotted `[A-Za-z][A-Za-z0-9_-]*` segments; TypeError when not a
   *   string, or for an unknown or malformed option
   */
  child(namespace: string, options: Omit<LogContextOptions, 'namespace'> = {}): LogContext {
    checkNamespace('namespace', checkString('namespace', namespace));
    const o = readOptions('options', options, LOG_CONTEXT_CONFIGURE_KEYS);
    const full = this.namespace === '' ? namespace : `${this.namespace}.${namespace}`;
    return new LogContext({ ...o, namespace: full } as LogContextOptions, this);
  }

  get isRoot(): boolean {
    return this.parent === null;
  }

  /** Effective sink (local or inherited). */
  get sink(): LogSink {
    return this.inherited('sink') as LogSink;
  }

  /** Effective payload processor (local or inherited). */
  get payloadProcessor(): LogPayloadProcessor {
    return this.inherited('payloadProcessor') as LogPayloadProcessor;
  }

  /** Effective error handling (local or inherited). */
  get errorHandling(): LogErrorHandling {
    return this.inherited('errorHandling') as LogErrorHandling;
  }

  /** Local event policy, or `null` (every event enabled). Never inherited. */
  get eventPolicy(): LogEventPolicy | null {
    return this.policy;
  }

  /**
   * Logging failures seen by this context since it was created, in every error-handling mode (a failing
   * sink, policy, processor or clock; a malformed direct call). Children count their own.
   */
  get failureCount(): number {
    return this.failures;
  }

  /**
   * Updates the components that are passed; `undefined` leaves a component as is. On a child, `null` for an
   * inherited component returns it to inheritance; on the root that is a TypeError (a root needs them all).
   * `eventPolicy: null` removes the local policy. Atomic: a bad option changes nothing.
   * @throws TypeError for an unknown option (`namespace` included: namespaces are fixed) or a malformed one
   */
  configure(options: {
    readonly [K in keyof Omit<LogContextOptions, 'namespace'>]?: LogContextOptions[K] | null;
  }): this {
    this.apply(readOptions('options', options, LOG_CONTEXT_CONFIGURE_KEYS));
    return this;
  }

  /**
   * Current time from the effective clock (epoch milliseconds). Never throws: a clock that throws or returns
   * anything but a finite number is a logging failure (counted, reported, never raised), and `Date.now()`
   * is used instead.
   */
  now(): number {
    return this.timestampFor('now', QUIET);
  }

  /**
   * Asks the local policy (true when there is none). A policy that throws or returns anything but a boolean
   * is a logging failure: `false`, or a {@link LogDeliveryError} under `'raise'`.
   */
  isEventEnabled(meta: LogEventMeta): boolean {
    return this.enabledFor(meta, DIRECT);
  }

  /**
   * Policy check, normalization, timestamp, delivery. Returns whether the event was delivered.
   *
   * Never throws unless the effective error handling is `'raise'`; then any logging failure throws a
   * {@link LogDeliveryError} whose `cause` is the failure (for a malformed call: a TypeError/RangeError
   * naming the argument, e.g. `options.entityId`) and nothing is delivered. Otherwise a failing policy
   * drops the event, a failing processor is replaced by the built-in {@link PayloadNormalizer} and a failing
   * clock by `Date.now()`, a failing sink loses the event; each failure is counted and reported.
   * @param level - a {@link LogLevel}
   * @param eventName - stable event identifier (non-empty)
   * @param payload - any value; normalized unless `options.skipNormalization`
   */
  logEvent(
    level: LogLevel,
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.record(level, eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} (alias). */
  log(
    level: LogLevel,
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.record(level, eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} at `'debug'`. */
  debug(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.record('debug', eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} at `'info'`. */
  info(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.record('info', eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} at `'warning'`. */
  warning(
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.record('warning', eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.warning} (alias, as in `console.warn`). */
  warn(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.record('warning', eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} at `'error'`. */
  error(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.record('error', eventName, payload, options, DIRECT);
  }

  /** {@link LogContext.logEvent} at `'critical'`. */
  critical(
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.record('critical', eventName, payload, options, DIRECT);
  }

  /**
   * Hands a complete event to the effective sink: no policy check, no normalization (the event is yours:
   * make it JSON-safe). A throwing sink is a logging failure (see {@link LogContext.logEvent}). Returns
   * whether the sink accepted the event.
   */
  emit(event: LogEvent): boolean {
    return this.deliver(event, DIRECT, this.failures);
  }

  /**
   * The effective processor's `normalizePayload`. Never throws: a processor that throws or returns anything
   * but a JSON-safe record is a logging failure (counted, reported, never raised), and the built-in
   * {@link PayloadNormalizer} normalizes the payload instead.
   */
  normalizePayload(payload: Readonly<Record<string, unknown>>, options?: NormalizeOptions): LogPayload {
    return this.payloadFor('normalizePayload', payload, options, QUIET);
  }

  /** The effective processor's `normalizeValue`; never throws (see {@link LogContext.normalizePayload}). */
  normalizeValue(value: unknown, options?: NormalizeOptions): JsonValue {
    return this.valueFor('normalizeValue', value, options, QUIET);
  }

  /** {@link buildErrorPayload} using this context's normalizer. Never throws, whatever the error. */
  buildErrorPayload(error: unknown): LogPayload {
    return this.errorPayloadFor('buildErrorPayload', error, QUIET);
  }

  /** {@link isErrorLogged}. */
  isErrorLogged(error: unknown): boolean {
    return isErrorLogged(error);
  }

  /** {@link markErrorLogged}. */
  markErrorLogged(error: unknown): void {
    markErrorLogged(error);
  }

  // ------------------------------------------------------------------ internal pipeline

  /**
   * {@link LogContext.logEvent} for the library's own logging: never throws, whatever the error handling
   * (`'raise'` behaves as `'print-stderr'`); `onFailure` also receives each failure unless it is ignored.
   * @internal
   */
  logQuietly(
    level: LogLevel,
    eventName: string,
    payload: unknown,
    options?: LogEventOptions,
    onFailure?: (error: LogDeliveryError) => void,
  ): boolean {
    try {
      return this.record(level, eventName, payload, options, quietPath(onFailure));
    } catch {
      return false; // unreachable: a quiet path never throws
    }
  }

  /**
   * Counts a logging failure and applies the effective error handling: `'ignore'` stops there; `'raise'`
   * throws a {@link LogDeliveryError} when `path.raise`; otherwise `path.onFailure` receives it and the first
   * failure of a streak is printed through the diagnostics writer. Never throws on a quiet path.
   * @internal
   */
  reportFailure(eventName: unknown, cause: unknown, path: FailurePath = DIRECT): void {
    this.failures++;
    const handling = this.errorHandling;
    if (handling === 'ignore') return;
    const error = new LogDeliveryError(safeName(eventName), cause);
    if (handling === 'raise' && path.raise) throw error;
    if (path.onFailure) {
      try {
        path.onFailure(error);
      } catch {
        // A failing failure hook has nowhere left to report to.
      }
    }
    if (this.failing) return;
    this.failing = true;
    try {
      const writer = this.inherited('diagnostics') as (line: string) => void;
      writer(`[mvx-logger] ${error.message} (namespace '${this.namespace}')`);
    } catch {
      // The last resort failed too; nothing more can be done without throwing into the caller.
    }
  }

  /** The local policy's verdict; a failing (throwing, non-boolean) policy is a failure and disables the event. @internal */
  enabledFor(meta: LogEventMeta, path: FailurePath): boolean {
    const policy = this.policy;
    if (policy === null) return true;
    let cause: unknown;
    try {
      const verdict: unknown = policy.isEventEnabled(meta);
      if (typeof verdict === 'boolean') return verdict;
      cause = new TypeError(`Expected the event policy to return a boolean, got ${describeValue(verdict)}`);
    } catch (err) {
      cause = err;
    }
    this.reportFailure(metaName(meta), cause, path);
    return false;
  }

  /** The processor's record for `payload`, checked (and copied) to be JSON-safe. @internal */
  payloadFor(
    eventName: string,
    payload: unknown,
    options: NormalizeOptions | undefined,
    path: FailurePath,
  ): LogPayload {
    const input = payload as Readonly<Record<string, unknown>>;
    let failure: unknown;
    try {
      const processor = this.payloadProcessor;
      if (isTrustedNormalizer(processor)) return processor.normalizePayload(input, options);
      const copy = copyJsonRecord(processor.normalizePayload(input, options));
      if (copy !== undefined) return copy;
      failure = new TypeError(NOT_A_RECORD);
    } catch (cause) {
      failure = cause;
    }
    this.reportFailure(eventName, failure, path);
    return FALLBACK_NORMALIZER.normalizePayload(input, options);
  }

  /** The processor's value for `value`, checked (and copied) to be JSON-safe. @internal */
  valueFor(
    eventName: string,
    value: unknown,
    options: NormalizeOptions | undefined,
    path: FailurePath,
  ): JsonValue {
    let failure: unknown;
    try {
      const processor = this.payloadProcessor;
      if (isTrustedNormalizer(processor)) return processor.normalizeValue(value, options);
      const copy = copyJsonSafe(processor.normalizeValue(value, options));
      if (copy !== undefined) return copy;
      failure = new TypeError(NOT_JSON_SAFE);
    } catch (cause) {
      failure = cause;
    }
    this.reportFailure(eventName, failure, path);
    return FALLBACK_NORMALIZER.normalizeValue(value, options);
  }

  /** {@link buildErrorPayload} through {@link LogContext.valueFor}. @internal */
  errorPayloadFor(eventName: string, error: unknown, path: FailurePath): LogPayload {
    return buildErrorPayload(error, (v) => this.valueFor(eventName, v, undefined, path));
  }

  /** The clock's time; a failing clock is a failure and `Date.now()` stands in. @internal */
  timestampFor(eventName: string, path: FailurePath): number {
    let cause: unknown;
    try {
      const clock = this.inherited('clock') as () => number;
      const time: unknown = clock();
      if (typeof time === 'number' && Number.isFinite(time)) return time;
      cause = new TypeError(`Expected the clock to return a finite number, got ${describeValue(time)}`);
    } catch (err) {
      cause = err;
    }
    this.reportFailure(eventName, cause, path);
    return Date.now();
  }

  /**
   * Hands `event` to the sink. A delivery with no failure since `failuresBefore` ends a failure streak.
   * @internal
   */
  deliver(event: LogEvent, path: FailurePath, failuresBefore: number): boolean {
    try {
      this.sink.log(event);
    } catch (cause) {
      this.reportFailure(eventNameOf(event), cause, path);
      return false;
    }
    if (this.failures === failuresBefore) this.failing = false;
    return true;
  }

  private record(
    level: unknown,
    eventName: unknown,
    payload: unknown,
    options: unknown,
    path: FailurePath,
  ): boolean {
    const before = this.failures;
    let meta: LogEventMeta;
    let o: EventOptions;
    try {
      checkOneOf('level', level, LOG_LEVELS);
      const name = checkString('eventName', eventName, { nonEmpty: true });
      o = readEventOptions(options);
      meta = createLogEventMeta({
        namespace: o.namespace === undefined ? this.namespace : o.namespace,
        eventName: name,
        entityId: o.entityId,
        source: o.source,
      });
    } catch (cause) {
      this.reportFailure(eventName, cause, path);
      return false;
    }
    if (!this.enabledFor(meta, path)) return false;
    const normalized = o.skipNormalization
      ? this.copyFor(meta.eventName, payload, path)
      : this.payloadFor(meta.eventName, payload, undefined, path);
    const event = createLogEvent({
      level: level as LogLevel,
      meta,
      outcome: o.outcome,
      timestamp: this.timestampFor(meta.eventName, path),
      payload: normalized,
    });
    return this.deliver(event, path, before);
  }

  /** `skipNormalization`: a JSON-safe copy of the payload, or (a failure) the built-in normalization. */
  private copyFor(eventName: string, payload: unknown, path: FailurePath): LogPayload {
    if (payload === undefined || payload === null) return EMPTY;
    const copy = copyJsonRecord(payload);
    if (copy !== undefined) return copy;
    this.reportFailure(eventName, new TypeError(SKIPPED_NOT_SAFE), path);
    return FALLBACK_NORMALIZER.normalizePayload(payload as Readonly<Record<string, unknown>>);
  }

  private inherited<K extends Inherited>(key: K): Local[K] | undefined {
    return this.local[key] ?? this.parent?.inherited(key);
  }

  /** Validates every passed component first, then applies them all (atomic). */
  private apply(o: { readonly [K in (typeof LOG_CONTEXT_CONFIGURE_KEYS)[number]]?: unknown }): void {
    const changes: [Inherited, unknown][] = [];
    const take = (key: Inherited, check: (v: unknown) => void): void => {
      const value = o[key];
      if (value === undefined) return;
      if (value === null && this.parent === null) {
        throw typeError(`options.${key}`, `a value (the root context cannot inherit \`${key}\`)`, value);
      }
      if (value !== null) check(value);
      changes.push([key, value]);
    };
    take('sink', (v) => checkMethods('options.sink', v, ['log'], 'an object with a log(event) method'));
    take('payloadProcessor', (v) =>
      checkMethods(
        'options.payloadProcessor',
        v,
        ['normalizePayload', 'normalizeValue'],
        'an object with normalizePayload and normalizeValue methods',
      ),
    );
    take('errorHandling', (v) => checkOneOf('options.errorHandling', v, LOG_ERROR_HANDLINGS));
    take('clock', (v) => checkCallable('options.clock', v));
    take('diagnostics', (v) => checkCallable('options.diagnostics', v));
    const policy = o.eventPolicy;
    if (policy !== undefined && policy !== null) {
      checkMethods(
        'options.eventPolicy',
        policy,
        ['isEventEnabled'],
        'an object with an isEventEnabled(meta) method, or null',
      );
    }
    for (const [key, value] of changes) {
      if (value === null) delete this.local[key];
      else (this.local as Record<Inherited, unknown>)[key] = value;
    }
    if (policy !== undefined) this.policy = policy as LogEventPolicy | null;
  }
}

const EMPTY: LogPayload = Object.freeze({});
const NOT_A_RECORD = 'The payload processor returned something that is not a JSON-safe record';
const NOT_JSON_SAFE = 'The payload processor returned something that is not JSON-safe';
const SKIPPED_NOT_SAFE = 'A payload logged with skipNormalization is not a JSON-safe record';

function quietPath(onFailure: ((error: LogDeliveryError) => void) | undefined): FailurePath {
  return onFailure === undefined ? QUIET : { raise: false, onFailure };
}

/** Reads and checks the per-call options (throws TypeError naming the option). */
function readEventOptions(options: unknown): EventOptions {
  const o = readOptions('options', options, LOG_EVENT_OPTION_KEYS);
  const optionalString = (key: 'outcome' | 'entityId' | 'namespace'): string | null | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return v;
    return checkString(`options.${key}`, v);
  };
  const skip = o.skipNormalization;
  if (skip !== undefined && typeof skip !== 'boolean') {
    throw typeError('options.skipNormalization', 'a boolean', skip);
  }
  return {
    outcome: optionalString('outcome') ?? null,
    entityId: optionalString('entityId') ?? null,
    namespace: optionalString('namespace'),
    source: readSource(o.source),
    skipNormalization: skip === true,
  };
}

function readSource(value: unknown): LogEventSource | null {
  if (value === undefined || value === null) return null;
  const s = readOptions('options.source', value, LOG_EVENT_SOURCE_KEYS);
  const out: { path?: string; line?: number; func?: string } = {};
  if (s.path !== undefined) out.path = checkString('options.source.path', s.path);
  if (s.func !== undefined) out.func = checkString('options.source.func', s.func);
  if (s.line !== undefined) {
    if (typeof s.line !== 'number' || !Number.isSafeInteger(s.line) || s.line < 0) {
      throw typeError('options.source.line', 'a non-negative integer', s.line);
    }
    out.line = s.line;
  }
  return out;
}

/** `value` has each of `methods` as a function; reading them safely (a throwing getter is a TypeError). */
function checkMethods(param: string, value: unknown, methods: readonly string[], expected: string): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw typeError(param, expected, value);
  }
  for (const method of methods) {
    let fn: unknown;
    try {
      fn = (value as Record<string, unknown>)[method];
    } catch (cause) {
      throw new TypeError(`Reading \`${param}.${method}\` threw`, { cause });
    }
    if (typeof fn !== 'function') throw typeError(param, expected, value);
  }
}

function checkCallable(param: string, value: unknown): void {
  if (typeof value !== 'function') throw typeError(param, 'a function', value);
}

function safeName(eventName: unknown): string {
  return typeof eventName === 'string' ? eventName : '<invalid event name>';
}

function metaName(meta: unknown): string {
  try {
    return safeName((meta as { eventName?: unknown }).eventName);
  } catch {
    return '<invalid event name>';
  }
}

function eventNameOf(event: unknown): string {
  try {
    return metaName((event as { meta?: unknown }).meta);
  } catch {
    return '<invalid event name>';
  }
}
