import type { Observable } from 'rxjs';
import { checkFunction, checkOneOf, checkPlainObject, rangeError, typeError } from '../internal/validate.js';
import type { InvocationSpec } from './invocationCore.js';
import { runLogged } from './invocationCore.js';
import { isLogContext } from './isLogContext.js';
import type { LogContext } from './LogContext.js';
import type { LogLevel } from './LogLevel.js';
import { LOG_LEVELS } from './LogLevel.js';

/**
 * Levels per outcome of {@link logInvocation}.
 *
 * ## Example
 * ```ts
 * logInvocation('jobs.run', { levels: { invoke: 'info', success: 'info' } });
 * ```
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
 *
 * ## Example
 * ```ts
 * const opts: LogInvocationOptions<Recorder, [string]> = {
 *   context: (self) => ({ state: self.state }),
 *   args: (_self, [metricName]) => ({ metricName }),
 * };
 * ```
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
];

/**
 * Logs one operation as one event with lifecycle outcomes: `invoke`, then `success`, `failed` or `cancelled`.
 * Works as a higher-order function **and** as a TC39 (TS 5+) method decorator; both share one core.
 *
 * - Return values are passed through untouched. A Promise (any thenable) gets a side chain that never rethrows
 *   and the **original** object is returned. An Observable is the one exception: a wrapping Observable is
 *   returned (each subscription logs success on complete, failed on error, cancelled on unsubscribe).
 * - An error named `AbortError` is logged as `cancelled`, not `failed`.
 * - `invoke`/`success` follow the context's event policy; `failed`/`cancelled` are always logged.
 * - A failure logged in full is marked ({@link markErrorLogged}); outer layers then log it at `failedSuppressed`.
 * - The entity id comes from `options.entityId`, else `this.entityId` (string). `identity` is never read.
 *
 * ## Example
 * ```ts
 * import { LogContext, logInvocation } from 'mvx-common/logger';
 *
 * class Store {
 *   readonly entityId = 'primary';
 *   state = 'idle';
 *   constructor(private readonly log: LogContext | null) {}
 *   getLogContext() { return this.log; }
 *
 *   @logInvocation('store.save', { context: (self: Store) => ({ state: self.state }) })
 *   async save(doc: { id: string }): Promise<void> { this.state = 'saved'; }
 * }
 *
 * // Higher-order form for plain functions:
 * const ctx = LogContext.root({ namespace: 'app' });
 * const fetchUser = logInvocation('users.fetch', { logContext: ctx })(async (id: string) => ({ id }));
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
    Object.defineProperty(wrapped, 'name', { value: target.name, configurable: true });
    return wrapped as unknown as F;
  };
}

function buildSpec(event: string, options: LogInvocationOptions): InvocationSpec {
  if (typeof event !== 'string') throw typeError('event', 'an event name string', event);
  if (!EVENT_NAME.test(event))
    throw rangeError('event', 'an event name matching /^[A-Za-z_][A-Za-z0-9_.-]*$/', event);
  checkPlainObject('options', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key))
      throw typeError(`options.${key}`, `absent (allowed: ${OPTION_KEYS.join(', ')})`, key);
  }
  const { logContext } = options;
  if (
    logContext !== undefined &&
    logContext !== null &&
    typeof logContext !== 'function' &&
    !isLogContext(logContext)
  ) {
    throw typeError('logContext', 'a LogContext, a function of `this`, or null', logContext);
  }
  const fn = <T>(name: string, value: T | undefined): T | undefined =>
    value === undefined ? undefined : checkFunction<T>(name, value);
  const levels: Record<string, LogLevel> = { ...DEFAULT_LEVELS };
  if (options.levels !== undefined) {
    for (const [key, value] of Object.entries(checkPlainObject('levels', options.levels))) {
      if (!(key in DEFAULT_LEVELS))
        throw typeError(
          `levels.${key}`,
          `absent (allowed: ${Object.keys(DEFAULT_LEVELS).join(', ')})`,
          value,
        );
      levels[key] = checkOneOf(`levels.${key}`, value, LOG_LEVELS);
    }
  }
  const errorPolicy = options.errorPolicy ?? [];
  if (!Array.isArray(errorPolicy))
    throw typeError('errorPolicy', 'an array of [ErrorClass, boolean] pairs', errorPolicy);
  errorPolicy.forEach((rule: unknown, i) => {
    if (!Array.isArray(rule) || typeof rule[0] !== 'function' || typeof rule[1] !== 'boolean') {
      throw typeError(`errorPolicy[${i}]`, 'an [ErrorClass, boolean] pair', rule);
    }
  });
  const trackObservables = options.trackObservables ?? true;
  if (typeof trackObservables !== 'boolean')
    throw typeError('trackObservables', 'a boolean', trackObservables);
  return Object.freeze({
    event,
    logContext: logContext as InvocationSpec['logContext'],
    entityId: fn('entityId', options.entityId) as InvocationSpec['entityId'],
    context: fn('context', options.context) as InvocationSpec['context'],
    args: fn('args', options.args) as InvocationSpec['args'],
    result: fn('result', options.result) as InvocationSpec['result'],
    levels: Object.freeze(levels) as InvocationSpec['levels'],
    errorPolicy: Object.freeze([...errorPolicy]),
    trackObservables,
  });
}
