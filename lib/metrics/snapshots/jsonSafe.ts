import { setOwn } from '../../internal/ownProperty.js';

/** Bound on the nesting of dimension values (deeper values are refused, which also stops cycles). */
export const MAX_DIMENSION_DEPTH = 32;

/**
 * A dimension value that is not JSON-safe: `path` says where (`dimensions.series[2].labels`).
 * @internal
 */
export class UnsafeDimensionError extends TypeError {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(
      `Expected JSON-safe dimensions (finite numbers, strings, booleans, null, arrays, plain objects), got ${what} at \`${path}\``,
    );
    this.name = 'UnsafeDimensionError';
  }
}

const freeze = Object.freeze;
const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const isFiniteNumber = Number.isFinite;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;

/**
 * A deep, frozen, JSON-safe copy of `value` (the dimensions of an untrusted metric): finite numbers,
 * strings, booleans, null, arrays and plain objects only (an `undefined` property is left out, an
 * `undefined` array item becomes `null`). Every getter is read once. Throws {@link UnsafeDimensionError}
 * naming the path of the first value that is not JSON-safe (NaN, Infinity, bigint, function, symbol, Date,
 * Map, class instance, too deep or cyclic), and whatever a getter or Proxy trap throws.
 * @internal
 */
export function copyJsonSafe(value: unknown, path = 'dimensions', depth = 0): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!isFiniteNumber(value)) throw new UnsafeDimensionError(path, String(value));
      return value;
    case 'object':
      break;
    default:
      throw new UnsafeDimensionError(path, `a ${typeof value}`);
  }
  if (value === null) return null;
  if (depth >= MAX_DIMENSION_DEPTH)
    throw new UnsafeDimensionError(path, 'a value nested too deeply (or a cycle)');
  if (isArray(value)) {
    if (getPrototypeOf(value) !== ARRAY_PROTO) throw new UnsafeDimensionError(path, 'an array subclass');
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined ? null : copyJsonSafe(item, `${path}[${i}]`, depth + 1);
    }
    return freeze(out);
  }
  const proto: unknown = getPrototypeOf(value);
  if (proto !== OBJECT_PROTO && proto !== null) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    throw new UnsafeDimensionError(path, `an instance of ${typeof name === 'string' ? name : 'a class'}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    setOwn(out, key, copyJsonSafe(item, `${path}.${key}`, depth + 1));
  }
  return freeze(out);
}

/**
 * Freezes a freshly built tree of plain objects and arrays in place (the dimensions of a built-in
 * kind, which are JSON-safe by construction and shared with nobody yet), and returns it.
 * @internal
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  freeze(value);
  if (isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i] as unknown);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
