/**
 * Argument checks shared by constructors and factories. Messages follow one shape:
 * "Expected `capacity` to be a positive integer, got `-1` (number)".
 * @internal
 */

/** Short, safe rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  else if (typeof value === 'function') shown = `[function ${value.name || 'anonymous'}]`;
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (value === null || typeof value !== 'object') shown = String(value);
  else if (Array.isArray(value)) shown = `[array(${value.length})]`;
  else shown = `[${(value as object).constructor?.name ?? 'object'}]`;
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
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
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(param, 'an object', value);
  }
  return value as Record<string, unknown>;
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
  const s = value as { schedule?: unknown; now?: unknown } | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.schedule !== 'function' ||
    typeof s.now !== 'function'
  ) {
    throw typeError(param, 'an RxJS SchedulerLike (with `schedule` and `now`)', value);
  }
  return value as S;
}
