import { setOwn } from '../internal/ownProperty.js';
import type { JsonValue, LogPayload } from './LogEvent.js';

/** Nodes one copy may visit before the value counts as not JSON-safe (bounds the work). */
const MAX_NODES = 100_000;
/** Container nesting one copy accepts. */
const MAX_DEPTH = 100;

const NOT_SAFE: unique symbol = Symbol('not JSON-safe');

/**
 * A frozen deep copy of `value` when it is JSON-safe (null, booleans, strings, finite numbers, arrays
 * without holes and plain or null-prototype objects, no cycles, at most 100 000 nodes and 100 levels),
 * else `undefined`. Never throws: a throwing getter or Proxy trap makes the value "not JSON-safe". The copy
 * is what the logger hands on, so a getter is read exactly once and cannot change the value afterwards.
 * @internal
 */
export function copyJsonSafe(value: unknown): JsonValue | undefined {
  try {
    return copy(value, 0, { budget: MAX_NODES, path: new Set<object>() });
  } catch {
    return undefined;
  }
}

/** {@link copyJsonSafe} for a record (a plain object); `undefined` for anything else. @internal */
export function copyJsonRecord(value: unknown): LogPayload | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    if (Array.isArray(value)) return undefined;
  } catch {
    return undefined;
  }
  return copyJsonSafe(value) as LogPayload | undefined;
}

function copy(value: unknown, depth: number, state: { budget: number; path: Set<object> }): JsonValue {
  if (--state.budget < 0) throw NOT_SAFE;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw NOT_SAFE;
      return value === 0 ? 0 : value;
    case 'object':
      break;
    default:
      throw NOT_SAFE;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH || state.path.has(value)) throw NOT_SAFE;
  state.path.add(value);
  try {
    if (Array.isArray(value)) {
      const list = value as readonly unknown[];
      const length = list.length;
      const out: JsonValue[] = [];
      for (let i = 0; i < length; i++) {
        if (!(i in list)) throw NOT_SAFE;
        out.push(copy(list[i], depth + 1, state));
      }
      return Object.freeze(out);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw NOT_SAFE;
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, copy((value as Record<string, unknown>)[key], depth + 1, state));
    }
    return Object.freeze(out);
  } finally {
    state.path.delete(value);
  }
}
