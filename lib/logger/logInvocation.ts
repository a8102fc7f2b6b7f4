import type { Observable } from 'rxjs';
import { checkFunction, checkOneOf, rangeError, readOptions, typeError } from '../internal/validate.js';
import type { InvocationSpec } from './runLogged.js';
import { runLogged } from './runLogged.js';
import { isLogContext } from './isLogContext.js';
import type { LogContext } from './LogContext.js';
import type { LogDeliveryError } from './LogDeliveryError.js';
import type { LogLevel } from './LogLevel.js';
import { LOG_LEVELS } from './LogLevel.js';

/**
 * Levels per outcome of {@link logInvocation}.
 */
export interface LogInvocationLevels {
  /** @default 'debug' */
  readonly invoke: LogLevel;
  /** @default 'debug' */
  readonly success: LogLevel;
  /** Full failure record (with `error`). @default 'error' */
  readonly failed: LogLevel;
  /** Failure already logged by an inner layer, or suppressed by `errorPolicy` (no `error` key). @default 'debug' */
  readonly failedSuppressed: LogLevel;
  /** @default 'info' */
  readonly cancelled: LogLevel;
}

/** The value the `result` selector receives: awaited for a Promise, the last emitted value for an Observable. */
export type LoggedResult<R> =
  R extends PromiseLike<infer U> ? U : R extends Observable<infer V> ? V | undefined : R;

/**
 * Options of {@link logInvocation}. Every field is optional; selectors are the type-safe way to put data in
 * the payload (JS has no reliable parameter names at runtime).
 */
export interface LogInvocationOptions<
  This = unknown,
  Args extends readonly unknown[] = readonly unknown[],
  R = unknown,
> {
  /**
   * The log context: a LogContext, or a function of `this`. `null`/`undefined` (from the function, or `null`
   * here) disables logging for the call. When absent, `this.getLogContext()` is used, and a `this` without it
   * is a TypeError (the body does not run).
   */
  readonly logContext?: LogContext | null | ((self: This) => LogContext | null | undefined);
  /** Entity id getter. @default the instance's `entityId` property when it is a string, else null */
  readonly entityId?: (self: This, args: Args) => string | null | undefined;
  /** Fields merged into every outcome's payload, re-read each time (e.g. `{ state }` before and after). */
  readonly context?: (self: This, args: Args) => Readonly<Record<string, unknown>>;
  /** Payload under `args` on `invoke`. */
  readonly args?: (self: This, args: Args) => Readonly<Record<string, unknown>>;
  /**
   * Payload under `result` on `success`. Not logged when absent. Declared as a method so an annotated
   * parameter (`(r: User) => ...`) is accepted without spelling out the generic `R`.
   */
  result?(result: NoInfer<LoggedResult<R>>, self: This): unknown;
  /** Per-outcome levels. */
  readonly levels?: Partial<LogInvocationLevels>;
  /**
   * Ordered `[ErrorClass, forceLog]` rules; the first `instanceof` match decides whether a failure is logged in
   * full (`true`) or at `failedSuppressed` (`false`). Without a match, an error already marked as logged is
   * suppressed. @default []
   */
  readonly errorPolicy?: readonly (readonly [abstract new (...args: never[]) => unknown, boolean])[];
  /** Wrap returned Observables to log their outcome (else they are treated as plain values). @default true */
  readonly trackObservables?: boolean;
  /**
   * Receives each failure of this call's own logging (a failing sink, policy, processor or clock, a throwing
   * context provider or entity getter) as a {@link LogDeliveryError}, unless the context's error handling is
   * `'ignore'`. The context counts and prints it as usual; `logInvocation` itself never throws it. A throwing
   * hook is ignored. @default none
   */
  readonly onLogFailure?: (error: LogDeliveryError, self: This) => void;
}

/** A method/function type checked bivariantly in its parameters, so typed methods fit. */
type MethodLike<This, Args extends readonly unknown[], R> = {
  bivarianceHack(this: This, ...args: Args): R;
}['bivarianceHack'];

/**
 * What {@link logInvocation} returns: call it with a function (higher-order form) or use it as a standard
 * method decorator. Either way the result has the same type as the input.
 */
export type LogInvocationWrapper<This, Args extends readonly unknown[], R> = <
  F extends MethodLike<This, Args, R>,
>(
  fn: F,
  context?: ClassMethodDecoratorContext<This, F>,
) => F;

const DEFAULT_LEVELS: LogInvocationLevels = Object.freeze({
  invoke: 'debug',
  success: 'debug',
  failed: 'error',
  failedSuppressed: 'debug',
  cancelled: 'info',
});
const EVENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const OPTION_KEYS = [
  'logContext',
  'entityId',
  'context',
  'args',
  'result',
  'levels',
  'errorPolicy',
  'trackObservables',
  'onLogFailure',
] as const;
const LEVEL_KEYS = ['invoke', 'success', 'failed', 'failedSuppressed', 'cancelled'] as const;

/**
 * Logs one operation as one event with lifecycle outcomes: `invoke`, then `success`, `failed` or `cancelled`.
 * Works as a higher-order function **and** as a TC39 (TS 5+) method decorator; both share one core.
 *
 * - The wrapped function runs exactly once and its return value or thrown error passes through untouched,
 *   whatever the logging does (nothing of the logging ever throws into the caller, even under
 *   `errorHandling: 'raise'`). A Promise (any thenable) gets a side chain that never rejects and the
 *   **original** object is returned. An Observable is the one exception: a wrapping Observable is returned
 *   (each subscription logs success on complete, failed on error, cancelled on unsubscribe).
 * - An error named `AbortError` is logged as `cancelled`, not `failed`.
 * - `invoke`/`success` follow the context's event policy; `failed`/`cancelled` are always logged.
 * - A failure logged in full is marked ({@link markErrorLogged}); outer layers then log it at `failedSuppressed`.
 * - The entity id comes from `options.entityId`, else `this.entityId` (string). `identity` is never read.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, logInvocation, MemorySink } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * const ctx = LogContext.root({ namespace: 'app', sink });
 *
 * class Store {
 *   readonly entityId = 'primary';
 *   state = 'idle';
 *   getLogContext(): LogContext {
 *     return ctx;
 *   }
 *
 *   @logInvocation('store.save', { context: (self: Store) => ({ state: self.state }) })
 *   async save(doc: { id: string }): Promise<string> {
 *     this.state = 'saved';
 *     return doc.id;
 *   }
 * }
 * await new Store().save({ id: 'd1' });
 *
 * // The higher-order form, for plain functions:
 * const fetchUser = logInvocation('users.fetch', { logContext: ctx })(async (id: string) => ({ id }));
 * await fetchUser('u1');
 * console.log(sink.events.map((e) => `${e.meta.eventName}:${e.outcome}`).join(' '));
 * // → store.save:invoke store.save:success users.fetch:invoke users.fetch:success
 * ```
 * @param event - event name: letters, digits, `_`, `.`, `-`, starting with a letter or `_`
 * @throws RangeError/TypeError naming the bad argument, when `logInvocation` is called (not at call time)
 */
export function logInvocation<
  This = unknown,
  Args extends readonly unknown[] = readonly unknown[],
  R = unknown,
>(event: string, options: LogInvocationOptions<This, Args, R> = {}): LogInvocationWrapper<This, Args, R> {
  const spec = buildSpec(event, options as unknown as LogInvocationOptions);
  return <F extends MethodLike<This, Args, R>>(fn: F, context?: ClassMethodDecoratorContext<This, F>): F => {
    checkFunction('fn', fn);
    if (context !== undefined && (context as { kind?: unknown }).kind !== 'method') {
      throw typeError(
        'context.kind',
        "'method' (logInvocation decorates methods only)",
        (context as { kind?: unknown }).kind,
      );
    }
    const target = fn as unknown as (...a: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      return runLogged(spec, this, args, target);
    };
    let name: unknown = '';
    try {
      name = target.name;
    } catch {
      // A hostile `name` getter: the wrapper stays anonymous.
    }
    Object.defineProperty(wrapped, 'name', {
      value: typeof name === 'string' ? name : '',
      configurable: true,
    });
    return wrapped as unknown as F;
  };
}

function buildSpec(event: string, options: LogInvocationOptions): InvocationSpec {
  if (typeof event !== 'string') throw typeError('event', 'an event name string', event);
  if (!EVENT_NAME.test(event))
    throw rangeError('event', 'an event name matching /^[A-Za-z_][A-Za-z0-9_.-]*$/', event);
  const o = readOptions('options', options, OPTION_KEYS);
  const logContext = o.logContext;
  if (
    logContext !== undefined &&
    logContext !== null &&
    typeof logContext !== 'function' &&
    !isLogContext(logContext)
  ) {
    throw typeError('options.logContext', 'a LogContext, a function of `this`, or null', logContext);
  }
  const fn = <T>(name: (typeof OPTION_KEYS)[number]): T | undefined =>
    o[name] === undefined ? undefined : checkFunction<T>(`options.${name}`, o[name]);
  const levels: Record<string, LogLevel> = { ...DEFAULT_LEVELS };
  if (o.levels !== undefined) {
    const given = readOptions('options.levels', o.levels, LEVEL_KEYS);
    for (const key of LEVEL_KEYS) {
      if (given[key] !== undefined) levels[key] = checkOneOf(`options.levels.${key}`, given[key], LOG_LEVELS);
    }
  }
  const trackObservables = o.trackObservables ?? true;
  if (typeof trackObservables !== 'boolean')
    throw typeError('options.trackObservables', 'a boolean', trackObservables);
  return Object.freeze({
    event,
    logContext: logContext as InvocationSpec['logContext'],
    entityId: fn<InvocationSpec['entityId']>('entityId'),
    context: fn<InvocationSpec['context']>('context'),
    args: fn<InvocationSpec['args']>('args'),
    result: fn<InvocationSpec['result']>('result'),
    levels: Object.freeze(levels) as InvocationSpec['levels'],
    errorPolicy: readErrorPolicy(o.errorPolicy),
    trackObservables,
    onLogFailure: fn<InvocationSpec['onLogFailure']>('onLogFailure'),
  });
}

/** A frozen copy of the `[ErrorClass, forceLog]` rules, read once (a hostile array is a TypeError). */
function readErrorPolicy(value: unknown): InvocationSpec['errorPolicy'] {
  if (value === undefined) return Object.freeze([]);
  let rules: unknown[] | undefined;
  try {
    if (Array.isArray(value)) {
      rules = Array.from(value as readonly unknown[], (rule) =>
        Array.isArray(rule) ? [rule.length, rule[0], rule[1]] : rule,
      );
    }
  } catch (cause) {
    throw new TypeError('Reading `options.errorPolicy` threw', { cause });
  }
  if (rules === undefined)
    throw typeError('options.errorPolicy', 'an array of [ErrorClass, boolean] pairs', value);
  const checked = rules.map((rule, i) => {
    if (
      !Array.isArray(rule) ||
      rule[0] !== 2 ||
      typeof rule[1] !== 'function' ||
      typeof rule[2] !== 'boolean'
    ) {
      throw typeError(`options.errorPolicy[${i}]`, 'an [ErrorClass, boolean] pair', rules?.[i]);
    }
    return Object.freeze([rule[1], rule[2]] as const);
  });
  return Object.freeze(checked) as InvocationSpec['errorPolicy'];
}
