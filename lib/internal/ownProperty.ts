/**
 * Maps keyed by user strings (metric names, labels, recorder ids, payload keys) must be safe for any
 * string: `__proto__` assigned with `=` changes an object's prototype instead of adding a key, and a
 * plain lookup of `constructor` finds `Object.prototype.constructor`. These helpers write and read own
 * properties only.
 * @internal
 */

const hasOwn = Object.hasOwn;
const defineProperty = Object.defineProperty;

/** Sets `obj[key] = value` as an ordinary own, enumerable, writable property, whatever `key` is. */
export function setOwn(obj: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (obj as Record<string, unknown>)[key] = value;
  }
}

/** `obj[key]` when `key` is an own property of `obj`, else `undefined`. */
export function getOwn<T>(obj: { readonly [key: string]: T }, key: string): T | undefined {
  return hasOwn(obj, key) ? obj[key] : undefined;
}
