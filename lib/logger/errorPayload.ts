import { setOwn } from '../internal/ownProperty.js';
import type { JsonValue, LogPayload } from './LogEvent.js';

/** Longest `name`/`message`/`code` string kept by the fallback normalization. */
const MAX_TEXT = 1_000;
/** Keys of a `toLogPayload()` result that are kept (only those are read). */
const MAX_PROVIDED_KEYS = 50;

/**
 * Turns a thrown value into a JSON-safe payload: `{ name, message, code?, cause? }`.
 *
 * - An object with a `toLogPayload()` method that returns an object wins (its first 50 keys, each value
 *   normalized with `normalize`).
 * - An `Error` (or an error-like object with string `name` and `message`) gives its `name`, `message`, a
 *   string/number `code` when present, and `cause` summarized **one level deep** (the cause's own cause is
 *   dropped, so cyclic causes end there).
 * - Any other thrown value gives `{ name: 'NonError', message: String(value) }`.
 *
 * Never throws, whatever the value: each field is read on its own, so a throwing getter (`message`,
 * `stack`, `cause`, `toLogPayload`...), a Proxy trap or a revoked Proxy spoils only that field, which
 * becomes `'<unreadable>'` (a throwing `toLogPayload` falls back to the summary). Null-prototype objects
 * work like any other. `stack` is never read.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { buildErrorPayload } from 'mvx-common/logger';
 *
 * const payload = buildErrorPayload(new Error('save failed', { cause: new Error('disk full') }));
 * console.log(JSON.stringify(payload));
 * // → {"name":"Error","message":"save failed","cause":{"name":"Error","message":"disk full"}}
 * ```
 * @param error - any thrown value
 * @param normalize - how to normalize values from `toLogPayload()` and non-error causes
 */
export function buildErrorPayload(
  error: unknown,
  normalize: (value: unknown) => JsonValue = fallbackNormalize,
): LogPayload {
  const safeNormalize = (value: unknown): JsonValue => {
    try {
      return normalize(value);
    } catch {
      return fallbackNormalize(value);
    }
  };
  const provided = fromProvider(error, safeNormalize);
  if (provided) return provided;
  const summary = summarize(error, safeNormalize);
  if (!isObject(error)) return Object.freeze(summary);
  const cause = read(error, 'cause');
  if (cause === undefined) return Object.freeze(summary);
  summary.cause =
    cause === UNREADABLE_FIELD
      ? '<unreadable>'
      : isErrorLike(cause)
        ? Object.freeze(summarize(cause, safeNormalize))
        : safeNormalize(cause);
  return Object.freeze(summary);
}

const loggedErrors = new WeakSet<object>();

/**
 * Marks an error as already logged in full, so outer `logInvocation` layers record it at their suppressed
 * level without repeating the error payload. Kept in a `WeakSet`: the error object is never modified.
 * Primitives (e.g. `throw 'x'`) cannot be marked; the call is then a no-op.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { isErrorLogged, markErrorLogged } from 'mvx-common/logger';
 *
 * const error = new Error('x');
 * markErrorLogged(error); // an outer logInvocation will not log this error again
 * console.log(isErrorLogged(error)); // → true
 * ```
 */
export function markErrorLogged(error: unknown): void {
  if (isObject(error)) loggedErrors.add(error);
}

/**
 * Has {@link markErrorLogged} been called for this error?
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { isErrorLogged } from 'mvx-common/logger';
 *
 * console.log(isErrorLogged(new Error('fresh')), isErrorLogged('not an object')); // → false false
 * ```
 */
export function isErrorLogged(error: unknown): boolean {
  return isObject(error) && loggedErrors.has(error);
}

const UNREADABLE_FIELD: unique symbol = Symbol('unreadable');

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** One property, or {@link UNREADABLE_FIELD} when reading it throws. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE_FIELD;
  }
}

function isError(value: object): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function isErrorLike(value: unknown): value is object {
  if (!isObject(value)) return false;
  if (isError(value)) return true;
  const name = read(value, 'name');
  return (
    typeof read(value, 'message') === 'string' && (typeof name === 'string' || name === UNREADABLE_FIELD)
  );
}

function fromProvider(error: unknown, normalize: (value: unknown) => JsonValue): LogPayload | null {
  if (!isObject(error)) return null;
  const provider = read(error, 'toLogPayload');
  if (typeof provider !== 'function') return null;
  try {
    const provided: unknown = (provider as (this: unknown) => unknown).call(error);
    if (provided === null || typeof provided !== 'object' || Array.isArray(provided)) return null;
    const keys = Object.keys(provided);
    const out: Record<string, JsonValue> = {};
    const kept = Math.min(keys.length, MAX_PROVIDED_KEYS);
    for (let i = 0; i < kept; i++) {
      const key = keys[i] as string;
      const value = read(provided, key);
      setOwn(out, key, value === UNREADABLE_FIELD ? '<unreadable>' : normalize(value));
    }
    if (keys.length > kept) setOwn(out, '__more__', `${keys.length - kept} more keys`);
    return Object.freeze(out);
  } catch {
    return null; // a throwing provider: the summary stands in
  }
}

function summarize(error: unknown, normalize: (value: unknown) => JsonValue): Record<string, JsonValue> {
  const text = (value: unknown): string => {
    if (value === UNREADABLE_FIELD) return '<unreadable>';
    const normalized = normalize(safeString(value));
    return typeof normalized === 'string' ? normalized : safeString(value);
  };
  if (!isErrorLike(error)) return { name: 'NonError', message: text(error) };
  const out: Record<string, JsonValue> = {
    name: text(read(error, 'name')),
    message: text(read(error, 'message')),
  };
  const code = read(error, 'code');
  if (typeof code === 'number' && Number.isFinite(code)) out.code = code;
  else if (code !== undefined && code !== null) out.code = text(code);
  return out;
}

function safeString(value: unknown): string {
  try {
    if (typeof value === 'string') return clip(value);
    if (typeof value === 'symbol') return clip(value.toString());
    if (isObject(value)) {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === null) return '[object Object]';
    }
    return clip(String(value));
  } catch {
    return '<unprintable>';
  }
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
}

function fallbackNormalize(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === undefined) return null;
  return safeString(value);
}
