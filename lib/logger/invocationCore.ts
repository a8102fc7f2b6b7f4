import { defer, isObservable, tap } from 'rxjs';
import type { Observable } from 'rxjs';
import { typeError } from '../internal/validate.js';
import { isErrorLogged, markErrorLogged } from './errorPayload.js';
import { isLogContext } from './isLogContext.js';
import type { LogContext } from './LogContext.js';
import { LogDeliveryError } from './LogDeliveryError.js';
import type { JsonValue, LogEventMeta, LogOutcome, LogPayload } from './LogEvent.js';
import { createLogEvent, createLogEventMeta } from './LogEvent.js';
import type { LogLevel } from './LogLevel.js';

/** Resolved, validated form of the `logInvocation` options. @internal */
export interface InvocationSpec {
  readonly event: string;
  readonly logContext: LogContext | null | undefined | ((self: unknown) => unknown);
  readonly entityId: ((self: unknown, args: readonly unknown[]) => unknown) | undefined;
  readonly context: ((self: unknown, args: readonly unknown[]) => unknown) | undefined;
  readonly args: ((self: unknown, args: readonly unknown[]) => unknown) | undefined;
  readonly result: ((result: unknown, self: unknown) => unknown) | undefined;
  readonly levels: Readonly<
    Record<'invoke' | 'success' | 'failed' | 'failedSuppressed' | 'cancelled', LogLevel>
  >;
  readonly errorPolicy: readonly (readonly [abstract new (...args: never[]) => unknown, boolean])[];
  readonly trackObservables: boolean;
}

const RESERVED = ['error', 'args', 'result', 'cancelled', 'context'];

/**
 * The one core behind the `logInvocation` higher-order function and decorator.
 * @internal
 */
export function runLogged(
  spec: InvocationSpec,
  self: unknown,
  args: readonly unknown[],
  fn: (...a: unknown[]) => unknown,
): unknown {
  const ctx = resolveContext(spec, self);
  if (ctx === null) return fn.apply(self, args as unknown[]);
  const call = new Invocation(spec, ctx, self, args);
  call.invoke();
  let result: unknown;
  try {
    result = fn.apply(self, args as unknown[]);
  } catch (err) {
    call.settleError(err);
    throw err;
  }
  if (isPromiseLike(result)) {
    try {
      result.then(
        (value) => call.success(value, false),
        (err: unknown) => call.settleError(err),
      );
    } catch (err) {
      call.settleError(err);
    }
    return result;
  }
  if (spec.trackObservables && isObservable(result)) return call.track(result);
  call.success(result, true);
  return result;
}

function resolveContext(spec: InvocationSpec, self: unknown): LogContext | null {
  let found: unknown = spec.logContext;
  if (typeof found === 'function') found = found(self);
  else if (found === undefined) {
    const provider = (self as { getLogContext?: unknown } | null | undefined)?.getLogContext;
    if (typeof provider !== 'function') {
      throw typeError(
        'this',
        `an object with getLogContext() (or pass the \`logContext\` option) for '${spec.event}'`,
        self,
      );
    }
    found = provider.call(self);
  }
  if (found === null || found === undefined) return null;
  if (!isLogContext(found)) throw typeError('logContext', 'a LogContext, null or undefined', found);
  return found;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function isAbortError(err: unknown): boolean {
  return err !== null && typeof err === 'object' && (err as { name?: unknown }).name === 'AbortError';
}

class Invocation {
  private readonly meta: LogEventMeta;
  private readonly enabled: boolean;

  constructor(
    private readonly spec: InvocationSpec,
    private readonly ctx: LogContext,
    private readonly self: unknown,
    private readonly args: readonly unknown[],
  ) {
    // A throwing entity getter is an integration error: it propagates and the body does not run.
    const entityId = spec.entityId ? spec.entityId(self, args) : readEntityId(self);
    if (entityId !== null && entityId !== undefined && typeof entityId !== 'string') {
      throw typeError('entityId', 'a string, null or undefined', entityId);
    }
    this.meta = createLogEventMeta({
      namespace: ctx.namespace,
      eventName: spec.event,
      entityId: entityId ?? null,
    });
    this.enabled = ctx.isEventEnabled(this.meta);
  }

  invoke(): void {
    if (!this.enabled) return;
    const extra: Record<string, JsonValue> = this.spec.args
      ? { args: this.select(() => this.ctx.normalizePayload(this.record(this.spec.args))) }
      : {};
    this.emit(this.spec.levels.invoke, 'invoke', extra, true);
  }

  success(value: unknown, sync: boolean): void {
    if (!this.enabled) return;
    const select = this.spec.result;
    const extra: Record<string, JsonValue> = select
      ? { result: this.select(() => this.ctx.normalizeValue(select(value, this.self))) }
      : {};
    this.emit(this.spec.levels.success, 'success', extra, sync);
  }

  /** Failed or cancelled (an error named `AbortError`). Never gated by the policy; never raises. */
  settleError(err: unknown): void {
    if (isAbortError(err)) {
      if (isErrorLogged(err)) return;
      markErrorLogged(err);
      this.emit(
        this.spec.levels.cancelled,
        'cancelled',
        { cancelled: true, error: this.ctx.buildErrorPayload(err) },
        false,
      );
      return;
    }
    const rule = this.spec.errorPolicy.find(([ErrorClass]) => err instanceof ErrorClass);
    const full = rule ? rule[1] : !isErrorLogged(err);
    markErrorLogged(err);
    if (full) this.emit(this.spec.levels.failed, 'failed', { error: this.ctx.buildErrorPayload(err) }, false);
    else this.emit(this.spec.levels.failedSuppressed, 'failed', {}, false);
  }

  cancel(): void {
    this.emit(this.spec.levels.cancelled, 'cancelled', { cancelled: true }, false);
  }

  /** Wraps an Observable so each subscription reports success, failed or cancelled (unsubscribe). */
  track<T>(source: Observable<T>): Observable<T> {
    return defer(() => {
      let last: T | undefined;
      return source.pipe(
        tap({
          next: (value) => {
            last = value;
          },
          error: (err: unknown) => this.settleError(err),
          complete: () => this.success(last, false),
          unsubscribe: () => this.cancel(),
        }),
      );
    });
  }

  private emit(
    level: LogLevel,
    outcome: LogOutcome,
    extra: Record<string, JsonValue>,
    mayRaise: boolean,
  ): void {
    const payload: LogPayload = { ...this.contextFields(), ...extra };
    const event = createLogEvent({ level, meta: this.meta, outcome, timestamp: this.ctx.now(), payload });
    try {
      this.ctx.emit(event);
    } catch (err) {
      if (mayRaise) throw err;
      // 'raise' cannot reach the caller from here (error path, Promise or Observable): print instead.
      this.ctx.reportFailure(this.spec.event, err instanceof LogDeliveryError ? err.cause : err, false);
    }
  }

  /** Context fields, re-read for every outcome; nested under `context` if they collide with reserved keys. */
  private contextFields(): LogPayload {
    if (!this.spec.context) return {};
    const fields = this.select(() => this.ctx.normalizePayload(this.record(this.spec.context)));
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return {};
    return Object.keys(fields).some((k) => RESERVED.includes(k))
      ? { context: fields }
      : (fields as LogPayload);
  }

  private record(
    selector: ((self: unknown, args: readonly unknown[]) => unknown) | undefined,
  ): Record<string, unknown> {
    const value = selector?.(this.self, this.args);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : { value };
  }

  /** Selectors are best effort: a throwing selector (or processor) gives a marker instead of breaking the call. */
  private select(fn: () => JsonValue): JsonValue {
    try {
      return fn();
    } catch {
      return '<selector failed>';
    }
  }
}

function readEntityId(self: unknown): unknown {
  if (self === null || (typeof self !== 'object' && typeof self !== 'function')) return null;
  const value = (self as { entityId?: unknown }).entityId;
  return typeof value === 'string' ? value : null;
}
