import { defer, isObservable, tap } from 'rxjs';
import type { Observable } from 'rxjs';
import { typeError } from '../internal/validate.js';
import { isErrorLogged, markErrorLogged } from './errorPayload.js';
import { isLogContext } from './isLogContext.js';
import type { FailurePath, LogContext } from './LogContext.js';
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
  readonly onLogFailure: ((error: LogDeliveryError, self: unknown) => void) | undefined;
}

const RESERVED: readonly string[] = ['error', 'args', 'result', 'cancelled', 'context'];
const SELECTOR_FAILED = '<selector failed>';

/** Specs whose context could not be resolved, already reported once through the last-resort writer. */
const reportedUnresolved = new WeakSet<InvocationSpec>();

/**
 * The one core behind the `logInvocation` higher-order function and decorator. Runs `fn` exactly once and
 * returns or throws exactly what it returns or throws (the same value, the same Promise, the same error
 * object; an Observable is the one value that is wrapped), whatever the logging does: no part of the
 * logging can throw into the caller, skip the call or replace its error.
 * @internal
 */
export function runLogged(
  spec: InvocationSpec,
  self: unknown,
  args: readonly unknown[],
  fn: (...a: unknown[]) => unknown,
): unknown {
  const call = Invocation.begin(spec, self, args);
  let result: unknown;
  try {
    result = fn.apply(self, args as unknown[]);
  } catch (err) {
    call?.failed(err);
    throw err;
  }
  return call === null ? result : call.returned(result);
}

class Invocation {
  private readonly path: FailurePath;
  private readonly meta: LogEventMeta;
  private readonly enabled: boolean;
  /**
   * The context's failure count when the call began: a record of this call ends a failure streak only if
   * nothing failed since, so a failure outside a record (an entity getter) keeps the streak going.
   */
  private readonly mark: number;

  /** Resolves the context and logs `invoke`; `null` (the call runs unlogged) when there is none. Never throws. */
  static begin(spec: InvocationSpec, self: unknown, args: readonly unknown[]): Invocation | null {
    let ctx: LogContext | null;
    try {
      ctx = resolveContext(spec, self);
    } catch (cause) {
      reportUnresolved(spec, self, cause);
      return null;
    }
    if (ctx === null) return null;
    try {
      const view = spec.args || spec.context || spec.entityId ? Object.freeze([...args]) : args;
      const call = new Invocation(spec, ctx, self, view);
      call.invoke();
      return call;
    } catch {
      return null; // unreachable: every step below is guarded
    }
  }

  private constructor(
    private readonly spec: InvocationSpec,
    private readonly ctx: LogContext,
    private readonly self: unknown,
    /** A frozen copy: selectors cannot change what the wrapped function receives. */
    private readonly args: readonly unknown[],
  ) {
    this.mark = ctx.failureCount;
    const hook = spec.onLogFailure;
    this.path = {
      raise: false,
      onFailure:
        hook === undefined
          ? undefined
          : (error) => {
              try {
                hook(error, self);
              } catch {
                // A throwing failure hook is ignored.
              }
            },
    };
    const entityId = this.entityId(args);
    this.meta = createLogEventMeta({ namespace: ctx.namespace, eventName: spec.event, entityId });
    this.enabled = ctx.enabledFor(this.meta, this.path);
  }

  invoke(): void {
    if (!this.enabled) return;
    this.emit(this.spec.levels.invoke, 'invoke', (): Record<string, JsonValue> => {
      const select = this.spec.args;
      if (!select) return {};
      return { args: this.selectPayload(select) };
    });
  }

  /** The wrapped function returned `result`: track it, or log `success` now. Never throws. */
  returned(result: unknown): unknown {
    let kind: 'promise' | 'observable' | 'plain' = 'plain';
    let then: unknown;
    let pipe: unknown;
    try {
      if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
        then = (result as { then?: unknown }).then;
        if (typeof then === 'function') kind = 'promise';
        else if (this.spec.trackObservables && isObservable(result)) {
          pipe = (result as { pipe?: unknown }).pipe;
          if (typeof pipe === 'function') kind = 'observable';
        }
      }
    } catch (cause) {
      this.ctx.reportFailure(this.spec.event, cause, this.path);
      kind = 'plain';
    }
    if (kind === 'promise') {
      this.watch(result, then as (this: unknown, ...a: unknown[]) => unknown);
      return result;
    }
    if (kind === 'observable') {
      return this.track(result as Observable<unknown>, pipe as (this: unknown, ...ops: unknown[]) => unknown);
    }
    this.succeeded(result);
    return result;
  }

  /** A failure: `failed`, or `cancelled` for an `AbortError`. Never gated by the policy; never throws. */
  failed(err: unknown): void {
    try {
      if (isAbortError(err)) {
        if (isErrorLogged(err)) return;
        markErrorLogged(err);
        this.emit(this.spec.levels.cancelled, 'cancelled', () => ({
          cancelled: true,
          error: this.ctx.errorPayloadFor(this.spec.event, err, this.path),
        }));
        return;
      }
      const rule = this.spec.errorPolicy.find(([ErrorClass]) => isInstance(err, ErrorClass));
      const full = rule ? rule[1] : !isErrorLogged(err);
      markErrorLogged(err);
      if (full) {
        this.emit(this.spec.levels.failed, 'failed', () => ({
          error: this.ctx.errorPayloadFor(this.spec.event, err, this.path),
        }));
      } else this.emit(this.spec.levels.failedSuppressed, 'failed', () => ({}));
    } catch (cause) {
      this.reportQuietly(cause);
    }
  }

  succeeded(value: unknown): void {
    if (!this.enabled) return;
    this.emit(this.spec.levels.success, 'success', (): Record<string, JsonValue> => {
      const select = this.spec.result;
      if (!select) return {};
      let selected: unknown;
      try {
        selected = select(value, this.self);
      } catch {
        return { result: SELECTOR_FAILED };
      }
      return { result: this.ctx.valueFor(this.spec.event, selected, undefined, this.path) };
    });
  }

  cancelled(): void {
    this.emit(this.spec.levels.cancelled, 'cancelled', () => ({ cancelled: true }));
  }

  /** Logs the outcome of a thenable once it settles, on a side chain that never rejects. */
  private watch(thenable: unknown, then: (this: unknown, ...a: unknown[]) => unknown): void {
    let settled = false;
    const onFulfilled = (value: unknown): void => {
      if (settled) return;
      settled = true;
      this.succeeded(value);
    };
    const onRejected = (err: unknown): void => {
      if (settled) return;
      settled = true;
      this.failed(err);
    };
    try {
      const chained: unknown = then.call(thenable, onFulfilled, onRejected);
      // A native side chain cannot reject (the handlers never throw); guard foreign ones all the same.
      if (chained instanceof Promise) Promise.prototype.then.call(chained, undefined, () => undefined);
    } catch (cause) {
      this.ctx.reportFailure(this.spec.event, cause, this.path);
    }
  }

  /**
   * Wraps an Observable so each subscription reports success (complete), failed (error) or cancelled
   * (unsubscribe before either). The handlers never throw, so the stream is never altered.
   */
  private track(
    source: Observable<unknown>,
    pipe: (this: unknown, ...ops: unknown[]) => unknown,
  ): Observable<unknown> {
    return defer(() => {
      let last: unknown;
      const observe = tap<unknown>({
        next: (value) => {
          last = value;
        },
        error: (err: unknown) => this.failed(err),
        complete: () => this.succeeded(last),
        unsubscribe: () => this.cancelled(),
      });
      try {
        return pipe.call(source, observe) as Observable<unknown>;
      } catch (cause) {
        this.reportQuietly(cause);
        return source;
      }
    });
  }

  /** Builds and delivers one record; never throws. */
  private emit(level: LogLevel, outcome: LogOutcome, extra: () => Record<string, JsonValue>): void {
    const ctx = this.ctx;
    try {
      const before = this.mark;
      const payload: LogPayload = Object.freeze({ ...this.contextFields(), ...extra() });
      const timestamp = ctx.timestampFor(this.spec.event, this.path);
      ctx.deliver(createLogEvent({ level, meta: this.meta, outcome, timestamp, payload }), this.path, before);
    } catch (cause) {
      this.reportQuietly(cause);
    }
  }

  /** Context fields, re-read for every outcome; nested under `context` if they collide with reserved keys. */
  private contextFields(): LogPayload {
    const select = this.spec.context;
    if (!select) return {};
    const fields = this.selectPayload(select);
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return { context: fields };
    return Object.keys(fields).some((k) => RESERVED.includes(k))
      ? { context: fields }
      : (fields as LogPayload);
  }

  /** A selector's record, normalized; a throwing selector gives a marker instead of breaking the call. */
  private selectPayload(select: (self: unknown, args: readonly unknown[]) => unknown): JsonValue {
    let selected: unknown;
    try {
      selected = select(this.self, this.args);
    } catch {
      return SELECTOR_FAILED;
    }
    return this.ctx.payloadFor(this.spec.event, selected, undefined, this.path);
  }

  private entityId(args: readonly unknown[]): string | null {
    let value: unknown;
    try {
      value = this.spec.entityId ? this.spec.entityId(this.self, args) : readEntityId(this.self);
    } catch (cause) {
      this.ctx.reportFailure(this.spec.event, cause, this.path);
      return null;
    }
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    this.ctx.reportFailure(
      this.spec.event,
      typeError('entityId', 'a string, null or undefined', value),
      this.path,
    );
    return null;
  }

  private reportQuietly(cause: unknown): void {
    try {
      this.ctx.reportFailure(this.spec.event, cause, this.path);
    } catch {
      // unreachable: a quiet path never throws
    }
  }
}

function resolveContext(spec: InvocationSpec, self: unknown): LogContext | null {
  let found: unknown = spec.logContext;
  if (typeof found === 'function') found = found(self);
  else if (found === undefined) {
    const provider =
      self !== null && (typeof self === 'object' || typeof self === 'function')
        ? (self as { getLogContext?: unknown }).getLogContext
        : undefined;
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

/**
 * No context could be resolved (no `getLogContext`, a throwing one, or a non-LogContext): the call runs
 * unlogged. Reported to the failure hook every time, and printed once per decorated function.
 */
function reportUnresolved(spec: InvocationSpec, self: unknown, cause: unknown): void {
  try {
    const error = new LogDeliveryError(spec.event, cause);
    if (spec.onLogFailure) {
      try {
        spec.onLogFailure(error, self);
      } catch {
        // ignored, as every failure hook
      }
    }
    if (reportedUnresolved.has(spec)) return;
    reportedUnresolved.add(spec);
    globalThis.console?.error?.(`[mvx-logger] ${error.message}; the call runs unlogged`);
  } catch {
    // The last resort failed too.
  }
}

function isAbortError(err: unknown): boolean {
  try {
    return err !== null && typeof err === 'object' && (err as { name?: unknown }).name === 'AbortError';
  } catch {
    return false;
  }
}

function isInstance(value: unknown, ctor: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}

function readEntityId(self: unknown): string | null {
  if (self === null || (typeof self !== 'object' && typeof self !== 'function')) return null;
  const value = (self as { entityId?: unknown }).entityId;
  return typeof value === 'string' ? value : null;
}
