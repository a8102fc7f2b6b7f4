import type { JsonValue, LogPayload } from './LogEvent.js';

/**
 * Turns a thrown value into a JSON-safe payload: `{ name, message, code?, cause? }`.
 *
 * - An object with a `toLogPayload()` method that returns an object wins (its values are normalized).
 * - An `Error` gives its `name`, `message`, a string/number `code` when present, and `cause` summarized
 *   **one level deep** (the cause's own cause is dropped).
 * - Any other thrown value gives `{ name: 'NonError', message: String(value) }`.
 *
 * Never throws.
 *
 * ## Example
 * ```ts
 * import { buildErrorPayload } from 'mvx-common/logger';
 * buildErrorPayload(new Error('save failed', { cause: new Error('disk full') }));
 * // { name: 'Error', message: 'save failed', cause: { name: 'Error', message: 'disk full' } }
 * ```
 * @param error - any thrown value
 * @param normalize - how to normalize values from `toLogPayload()` and non-error causes
 */
export function buildErrorPayload(
  error: unknown,
  normalize: (value: unknown) => JsonValue = fallbackNormalize,
): LogPayload {
  try {
    const provided = fromProvider(error, normalize);
    if (provided) return provided;
    const summary = summarize(error);
    if (isObject(error) && 'cause' in error && error.cause !== undefined) {
      const cause = error.cause;
      return Object.freeze({ ...summary, cause: isErrorLike(cause) ? summarize(cause) : normalize(cause) });
    }
    return summary;
  } catch {
    return Object.freeze({ name: 'NonError', message: '<unreadable error>' });
  }
}

const loggedErrors = new WeakSet<object>();

/**
 * Marks an error as already logged in full, so outer `logInvocation` layers record it at their suppressed
 * level without repeating the error payload. Kept in a `WeakSet`: the error object is never modified.
 * Primitives (e.g. `throw 'x'`) cannot be marked; the call is then a no-op.
 *
 * ## Example
 * ```ts
 * import { isErrorLogged, markErrorLogged } from 'mvx-common/logger';
 * const err = new Error('x');
 * markErrorLogged(err);
 * isErrorLogged(err); // true
 * ```
 */
export function markErrorLogged(error: unknown): void {
  if (isObject(error)) loggedErrors.add(error);
}

/**
 * Has {@link markErrorLogged} been called for this error?
 *
 * ## Example
 * ```ts
 * import { isErrorLogged } from 'mvx-common/logger';
 * isErrorLogged(new Error('fresh')); // false
 * ```
 */
export function isErrorLogged(error: unknown): boolean {
  return isObject(error) && loggedErrors.has(error);
}

function isObject(value: unknown): value is object & Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function isErrorLike(value: unknown): value is { name: unknown; message: unknown } {
  return (
    value instanceof Error ||
    (isObject(value) && typeof value.message === 'string' && typeof value.name === 'string')
  );
}

function fromProvider(error: unknown, normalize: (value: unknown) => JsonValue): LogPayload | null {
  if (!isObject(error) || typeof error.toLogPayload !== 'function') return null;
  const provided: unknown = (error.toLogPayload as () => unknown)();
  if (provided === null || typeof provided !== 'object' || Array.isArray(provided)) return null;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(provided)) out[key] = normalize(value);
  return Object.freeze(out);
}

function summarize(error: unknown): LogPayload {
  if (!isErrorLike(error)) return Object.freeze({ name: 'NonError', message: safeString(error) });
  const out: Record<string, JsonValue> = { name: safeString(error.name), message: safeString(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) out.code = code;
  else if (code !== undefined && code !== null) out.code = safeString(code);
  return Object.freeze(out);
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    return '<unprintable>';
  }
}

function fallbackNormalize(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return safeString(value);
}
