import { checkFunction, checkOneOf, checkPlainObject, checkString, typeError } from '../internal/validate.js';
import { checkNamespace } from './LogContextOptions.js';
import type { LogContextOptions, LogEventOptions } from './LogContextOptions.js';
import { buildErrorPayload, isErrorLogged, markErrorLogged } from './errorPayload.js';
import { LogDeliveryError } from './LogDeliveryError.js';
import { isLogContext } from './isLogContext.js';
import { createLogEvent, createLogEventMeta } from './LogEvent.js';
import type { JsonValue, LogEvent, LogEventMeta, LogPayload } from './LogEvent.js';
import type { LogLevel } from './LogLevel.js';
import { LOG_LEVELS } from './LogLevel.js';
import { PayloadNormalizer } from './PayloadNormalizer.js';
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

const defaultClock = (): number => Date.now();
const defaultDiagnostics = (line: string): void => globalThis.console?.error?.(line);

/**
 * A node in the namespace tree of the logger. It checks the local event policy, normalizes the payload,
 * stamps the event and hands it to the (possibly inherited) sink. Logging never throws into the caller unless
 * the effective error handling is `'raise'`.
 *
 * ## Example
 * ```ts
 * import { LogContext, MemorySink } from 'mvx-common/logger';
 * const sink = new MemorySink();
 * const root = LogContext.root({ namespace: 'app', sink });
 * const store = root.child('store'); // namespace 'app.store', inherits the sink
 * store.info('store.save', { docId: 'd1' }, { entityId: 'primary' });
 * sink.events[0]?.meta.namespace; // 'app.store'
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

  /**
   * Creates a root context (use {@link LogContext.child} for children).
   * @throws TypeError/RangeError naming the bad option
   */
  constructor(options: LogContextOptions = {}, /** @internal */ parent: LogContext | null = null) {
    checkPlainObject('options', options);
    this.parent = parent;
    if (parent === null) {
      const ns = options.namespace === undefined ? '' : checkString('namespace', options.namespace);
      if (ns !== '') checkNamespace('namespace', ns);
      this.namespace = ns;
    } else this.namespace = checkString('namespace', options.namespace);
    this.configure(options);
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
   * @throws RangeError when `namespace` is not dotted `[A-Za-z][A-Za-z0-9_-]*` segments; TypeError when not a string
   */
  child(namespace: string, options: Omit<LogContextOptions, 'namespace'> = {}): LogContext {
    checkNamespace('namespace', checkString('namespace', namespace));
    checkPlainObject('options', options);
    const full = this.namespace === '' ? namespace : `${this.namespace}.${namespace}`;
    return new LogContext({ ...options, namespace: full }, this);
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
   * Updates the components that are passed; `undefined` leaves a component as is. On a child, `null` for an
   * inherited component returns it to inheritance; on the root that is a TypeError (a root needs them all).
   * `eventPolicy: null` removes the local policy. `namespace` is ignored (namespaces are fixed).
   */
  configure(options: { readonly [K in keyof LogContextOptions]?: LogContextOptions[K] | null }): this {
    checkPlainObject('options', options);
    this.setLocal('sink', options.sink, (v) => {
      if (v === null || typeof v !== 'object' || typeof (v as LogSink).log !== 'function') {
        throw typeError('sink', 'an object with a log(event) method', v);
      }
    });
    this.setLocal('payloadProcessor', options.payloadProcessor, (v) => {
      const p = v as LogPayloadProcessor | null;
      if (typeof p?.normalizePayload !== 'function' || typeof p.normalizeValue !== 'function') {
        throw typeError('payloadProcessor', 'an object with normalizePayload and normalizeValue methods', v);
      }
    });
    this.setLocal('errorHandling', options.errorHandling, (v) =>
      checkOneOf('errorHandling', v, LOG_ERROR_HANDLINGS),
    );
    this.setLocal('clock', options.clock, (v) => checkFunction('clock', v));
    this.setLocal('diagnostics', options.diagnostics, (v) => checkFunction('diagnostics', v));
    if (options.eventPolicy !== undefined) {
      const p = options.eventPolicy;
      if (p !== null && typeof p?.isEventEnabled !== 'function') {
        throw typeError('eventPolicy', 'an object with an isEventEnabled(meta) method, or null', p);
      }
      this.policy = p;
    }
    return this;
  }

  /** Current time from the effective clock (epoch milliseconds). */
  now(): number {
    return (this.inherited('clock') as () => number)();
  }

  /**
   * Asks the local policy (true when there is none). A throwing policy counts as a delivery failure and gives
   * `false` (or raises under `'raise'`).
   */
  isEventEnabled(meta: LogEventMeta): boolean {
    if (this.policy === null) return true;
    try {
      return this.policy.isEventEnabled(meta) === true;
    } catch (err) {
      this.reportFailure(meta.eventName, err);
      return false;
    }
  }

  /**
   * Policy check, normalization, timestamp, delivery. Returns whether the event was delivered.
   * @param level - a {@link LogLevel}
   * @param eventName - stable event identifier
   * @param payload - any record; normalized unless `options.skipNormalization`
   */
  logEvent(
    level: LogLevel,
    eventName: string,
    payload: Readonly<Record<string, unknown>> = {},
    options: LogEventOptions = {},
  ): boolean {
    checkOneOf('level', level, LOG_LEVELS);
    checkString('eventName', eventName, { nonEmpty: true });
    const meta = createLogEventMeta({
      namespace: options.namespace === undefined ? this.namespace : options.namespace,
      eventName,
      entityId: options.entityId ?? null,
      source: options.source ?? null,
    });
    if (!this.isEventEnabled(meta)) return false;
    let normalized: LogPayload;
    try {
      normalized = options.skipNormalization ? (payload as LogPayload) : this.normalizePayload(payload);
    } catch (err) {
      this.reportFailure(eventName, err);
      return false;
    }
    return this.emit(
      createLogEvent({
        level,
        meta,
        outcome: options.outcome ?? null,
        timestamp: this.now(),
        payload: normalized,
      }),
    );
  }

  /** {@link LogContext.logEvent} at `'debug'`. */
  debug(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.logEvent('debug', eventName, payload, options);
  }

  /** {@link LogContext.logEvent} at `'info'`. */
  info(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.logEvent('info', eventName, payload, options);
  }

  /** {@link LogContext.logEvent} at `'warning'`. */
  warning(
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.logEvent('warning', eventName, payload, options);
  }

  /** {@link LogContext.logEvent} at `'error'`. */
  error(eventName: string, payload?: Readonly<Record<string, unknown>>, options?: LogEventOptions): boolean {
    return this.logEvent('error', eventName, payload, options);
  }

  /** {@link LogContext.logEvent} at `'critical'`. */
  critical(
    eventName: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: LogEventOptions,
  ): boolean {
    return this.logEvent('critical', eventName, payload, options);
  }

  /**
   * Hands a complete event to the effective sink: no policy check, no normalization. A throwing sink is
   * handled per {@link LogContext.errorHandling}. Returns whether the sink accepted the event.
   */
  emit(event: LogEvent): boolean {
    try {
      this.sink.log(event);
      this.failing = false;
      return true;
    } catch (err) {
      this.reportFailure(event.meta.eventName, err);
      return false;
    }
  }

  /** The effective processor's `normalizePayload`. */
  normalizePayload(payload: Readonly<Record<string, unknown>>, options?: NormalizeOptions): LogPayload {
    return this.payloadProcessor.normalizePayload(payload, options);
  }

  /** The effective processor's `normalizeValue`. */
  normalizeValue(value: unknown, options?: NormalizeOptions): JsonValue {
    return this.payloadProcessor.normalizeValue(value, options);
  }

  /** {@link buildErrorPayload} using this context's normalizer. */
  buildErrorPayload(error: unknown): LogPayload {
    return buildErrorPayload(error, (v) => this.normalizeValue(v));
  }

  /** {@link isErrorLogged}. */
  isErrorLogged(error: unknown): boolean {
    return isErrorLogged(error);
  }

  /** {@link markErrorLogged}. */
  markErrorLogged(error: unknown): void {
    markErrorLogged(error);
  }

  /**
   * Applies the effective error handling to a logging-infrastructure failure.
   * @internal used by logInvocation for failures that cannot reach the caller
   */
  reportFailure(eventName: string, cause: unknown, allowRaise = true): void {
    const handling = this.errorHandling;
    if (handling === 'ignore') return;
    if (handling === 'raise' && allowRaise) throw new LogDeliveryError(eventName, cause);
    if (this.failing) return;
    this.failing = true;
    try {
      const writer = this.inherited('diagnostics') as (line: string) => void;
      writer(
        `[mvx-logger] ${new LogDeliveryError(eventName, cause).message} (namespace '${this.namespace}')`,
      );
    } catch {
      // The last resort failed too; nothing more can be done without throwing into the caller.
    }
  }

  private inherited<K extends Inherited>(key: K): Local[K] | undefined {
    return this.local[key] ?? this.parent?.inherited(key);
  }

  private setLocal<K extends Inherited>(
    key: K,
    value: Local[K] | null | undefined,
    check: (v: unknown) => void,
  ): void {
    if (value === undefined) return;
    if (value === null) {
      if (this.parent === null)
        throw typeError(key, `a value (the root context cannot inherit \`${key}\`)`, value);
      delete this.local[key];
      return;
    }
    check(value);
    this.local[key] = value;
  }
}
