/**
 * Argument checks shared by constructors and factories. Messages follow one shape:
 * "Expected `capacity` to be a positive integer, got `-1` (number)".
 * @internal
 */

/** Short, safe rendering of a received value for error messages (never throws). */
export function describeValue(value: unknown): string {
  let shown: string;
  try {
    shown = renderValue(value, 0);
  } catch {
    shown = '[unreadable]';
  }
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

const MAX_SHOWN_ITEMS = 5;

function renderValue(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return `[function ${(value as { name?: unknown }).name || 'anonymous'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (depth > 0) return `[array(${value.length})]`;
    const items = value.slice(0, MAX_SHOWN_ITEMS).map((v: unknown) => renderValue(v, depth + 1));
    if (value.length > MAX_SHOWN_ITEMS) items.push(`… ${value.length - MAX_SHOWN_ITEMS} more`);
    return `[${items.join(', ')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return '[object with null prototype]';
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return `[${typeof name === 'string' && name !== '' ? name : 'object'}]`;
}

export function typeError(param: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${param}\` to be ${expected}, got ${describeValue(value)}`);
}

export function rangeError(param: string, expected: string, value: unknown): RangeError {
  return new RangeError(`Expected \`${param}\` to be ${expected}, got ${describeValue(value)}`);
}

export function checkString(param: string, value: unknown, opts: { nonEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  if (opts.nonEmpty && value.trim() === '') throw rangeError(param, 'a non-empty string', value);
  return value;
}

export function checkOptionalString(param: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return checkString(param, value);
}

export function checkFunction<F>(param: string, value: unknown): F {
  if (typeof value !== 'function') throw typeError(param, 'a function', value);
  return value as F;
}

/** Positive integer check (booleans and non-integers refused). */
export function checkPositiveInteger(param: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(param, 'a positive integer', value);
  if (!Number.isInteger(value) || value <= 0) throw rangeError(param, 'a positive integer', value);
  return value;
}

/** Non-negative finite number check. */
export function checkNonNegativeNumber(param: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(param, 'a non-negative finite number', value);
  if (!Number.isFinite(value) || value < 0) throw rangeError(param, 'a non-negative finite number', value);
  return value;
}

export function checkOneOf<T extends string>(param: string, value: unknown, allowed: readonly T[]): T {
  const expected = `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (typeof value !== 'string') throw typeError(param, expected, value);
  if (!(allowed as readonly string[]).includes(value)) throw rangeError(param, expected, value);
  return value as T;
}

export function checkPlainObject(param: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || safeIsArray(value)) {
    throw typeError(param, 'an object', value);
  }
  return value as Record<string, unknown>;
}

/** `Array.isArray` that treats a revoked Proxy as "not an array" instead of throwing. */
function safeIsArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Reads an options object safely: `value` must be an object (undefined gives `{}`); every own key must be
 * one of `allowed` (else a TypeError naming the key and the accepted ones); every value is read once, and
 * a throwing getter or Proxy trap becomes a TypeError naming the option, with the thrown error as `cause`.
 * Returns a null-prototype copy of the values read: later checks work on it, never on `value` itself.
 */
export function readOptions<K extends string>(
  param: string,
  value: unknown,
  allowed: readonly K[],
): { readonly [P in K]?: unknown } {
  const out = Object.create(null) as Record<string, unknown>;
  if (value === undefined) return out as { [P in K]?: unknown };
  checkPlainObject(param, value);
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(value as object);
  } catch (cause) {
    throw new TypeError(`Reading the keys of \`${param}\` threw`, { cause });
  }
  const accepted = allowed as readonly string[];
  for (const key of keys) {
    if (typeof key !== 'string' || !accepted.includes(key)) {
      const shown = typeof key === 'string' ? JSON.stringify(key) : key.toString();
      const list = accepted.length === 0 ? 'none' : accepted.map((k) => `\`${k}\``).join(', ');
      throw new TypeError(`Unknown option ${shown} in \`${param}\`; accepted options: ${list}`);
    }
  }
  for (const key of accepted) {
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw new TypeError(`Reading \`${param}.${key}\` threw`, { cause });
    }
    if (v !== undefined) out[key] = v;
  }
  return out as { [P in K]?: unknown };
}

/**
 * An optional option: `fallback` when `value` is undefined, else `value` checked by `check`
 * (for example `orDefault(options.capacity, 10_000, (v) => checkPositiveInteger('options.capacity', v))`).
 */
export function orDefault<T>(value: unknown, fallback: T, check: (value: unknown) => T): T {
  return value === undefined ? fallback : check(value);
}

/** An RxJS `SchedulerLike` (an object with `schedule` and `now` functions). */
export function checkScheduler<S extends { schedule: unknown; now: unknown }>(
  param: string,
  value: unknown,
): S {
  const expected = 'an RxJS SchedulerLike (with `schedule` and `now`)';
  if (value === null || typeof value !== 'object') throw typeError(param, expected, value);
  let schedule: unknown;
  let now: unknown;
  try {
    schedule = (value as { schedule?: unknown }).schedule;
    now = (value as { now?: unknown }).now;
  } catch (cause) {
    throw new TypeError(`Reading \`${param}\` threw`, { cause });
  }
  if (typeof schedule !== 'function' || typeof now !== 'function') throw typeError(param, expected, value);
  return value as S;
}
