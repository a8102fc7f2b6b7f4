import { checkPositiveInteger, checkPlainObject } from '../internal/validate.js';
import { buildErrorPayload } from './errorPayload.js';
import type { JsonValue, LogPayload } from './LogEvent.js';
import type { LogPayloadProcessor, NormalizeOptions } from './types.js';

/**
 * Limits of a {@link PayloadNormalizer}.
 *
 * ## Example
 * ```ts
 * import { createPayloadNormalizer } from 'mvx-common/logger';
 * createPayloadNormalizer({ maxStringLength: 500, maxItems: 20, maxDepth: 2 });
 * ```
 */
export interface PayloadNormalizerOptions {
  /** Strings longer than this are cut and get `...` appended. @default 200 */
  readonly maxStringLength?: number;
  /** Arrays, Sets, Maps and objects keep this many items; the rest is summarized. @default 10 */
  readonly maxItems?: number;
  /** Container nesting kept below a payload key; deeper containers become `"<Object>"`-style markers. @default 3 */
  readonly maxDepth?: number;
}

/**
 * The default {@link LogPayloadProcessor}: makes any value JSON-safe and bounded.
 *
 * | input | output |
 * |---|---|
 * | string longer than `maxStringLength` | cut, `...` appended |
 * | `NaN`, `Infinity`, `-Infinity` | `"NaN"`, `"Infinity"`, `"-Infinity"` |
 * | `undefined` | `null` |
 * | bigint | decimal string |
 * | symbol / function | `"Symbol(desc)"` / `"<function name>"` |
 * | `Date` | ISO string (`"Invalid Date"` when invalid) |
 * | `Error` | {@link buildErrorPayload} |
 * | object with `toLogPayload()` | its result, normalized |
 * | array, Set | array, first `maxItems` items + `"... (N more)"` |
 * | Map, plain object | object, first `maxItems` keys + `__more__: "N more keys"` |
 * | class instance | `toJSON()` result when present, else `"<ClassName>"` |
 * | cycle | `"[Circular]"` |
 *
 * Never throws: a value whose reading throws becomes `"<unreadable>"`.
 *
 * ## Example
 * ```ts
 * import { PayloadNormalizer } from 'mvx-common/logger';
 * new PayloadNormalizer().normalizePayload({ id: 1n, at: new Date(0), bad: NaN });
 * // { id: '1', at: '1970-01-01T00:00:00.000Z', bad: 'NaN' }
 * ```
 */
export class PayloadNormalizer implements LogPayloadProcessor {
  readonly maxStringLength: number;
  readonly maxItems: number;
  readonly maxDepth: number;

  constructor(options: PayloadNormalizerOptions = {}) {
    checkPlainObject('options', options);
    this.maxStringLength = checkPositiveInteger('maxStringLength', options.maxStringLength ?? 200);
    this.maxItems = checkPositiveInteger('maxItems', options.maxItems ?? 10);
    this.maxDepth = checkPositiveInteger('maxDepth', options.maxDepth ?? 3);
  }

  /** Normalizes every value of a payload record (the record itself is not subject to the item cap). */
  normalizePayload(payload: Readonly<Record<string, unknown>>, options: NormalizeOptions = {}): LogPayload {
    const out: Record<string, JsonValue> = {};
    if (payload === null || typeof payload !== 'object') return Object.freeze(out);
    const seen = new Set<object>([payload]);
    for (const key of safeKeys(payload)) {
      out[key] = this.walk(readKey(payload, key), 0, seen, options.unbounded === true);
    }
    return Object.freeze(out);
  }

  /** Normalizes one value. */
  normalizeValue(value: unknown, options: NormalizeOptions = {}): JsonValue {
    return this.walk(value, 0, new Set(), options.unbounded === true);
  }

  private walk(value: unknown, depth: number, seen: Set<object>, unbounded: boolean): JsonValue {
    try {
      return this.walkUnsafe(value, depth, seen, unbounded);
    } catch {
      return '<unreadable>';
    }
  }

  private walkUnsafe(value: unknown, depth: number, seen: Set<object>, unbounded: boolean): JsonValue {
    switch (typeof value) {
      case 'undefined':
        return null;
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
      case 'string':
        return value.length > this.maxStringLength ? `${value.slice(0, this.maxStringLength)}...` : value;
      case 'bigint':
        return value.toString();
      case 'symbol':
        return this.walk(value.toString(), depth, seen, unbounded);
      case 'function':
        return `<function ${value.name || 'anonymous'}>`;
    }
    if (value === null) return null;
    const obj = value as object;
    if (seen.has(obj)) return '[Circular]';
    if (typeof (obj as { toLogPayload?: unknown }).toLogPayload === 'function') {
      const provided = (obj as { toLogPayload: () => unknown }).toLogPayload();
      return this.nested(obj, seen, () => this.walk(provided, depth, seen, unbounded));
    }
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Error) {
      return this.nested(obj, seen, () =>
        buildErrorPayload(obj, (v) => this.walk(v, depth + 1, seen, unbounded)),
      );
    }
    if (obj instanceof RegExp) return this.walk(obj.toString(), depth, seen, unbounded);
    if (ArrayBuffer.isView(obj)) return `<${obj.constructor.name}(${obj.byteLength} bytes)>`;
    if (Array.isArray(obj) || obj instanceof Set) {
      const items: unknown[] = Array.isArray(obj) ? obj : [...obj];
      if (depth >= this.maxDepth) return `<${Array.isArray(obj) ? 'Array' : 'Set'}(${items.length})>`;
      return this.nested(obj, seen, () => this.list(items, depth, seen, unbounded));
    }
    if (obj instanceof Map) {
      if (depth >= this.maxDepth) return `<Map(${obj.size})>`;
      const entries = [...obj.entries()].map(([k, v]): [string, unknown] => [keyString(k), v]);
      return this.nested(obj, seen, () => this.record(entries, depth, seen, unbounded));
    }
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(obj);
        return this.nested(obj, seen, () => this.walk(json, depth, seen, unbounded));
      }
      return `<${className(obj)}>`;
    }
    if (depth >= this.maxDepth) return '<Object>';
    const entries = safeKeys(obj).map((k): [string, unknown] => [k, readKey(obj, k)]);
    return this.nested(obj, seen, () => this.record(entries, depth, seen, unbounded));
  }

  private nested<T>(obj: object, seen: Set<object>, fn: () => T): T {
    seen.add(obj);
    try {
      return fn();
    } finally {
      seen.delete(obj);
    }
  }

  private list(items: unknown[], depth: number, seen: Set<object>, unbounded: boolean): JsonValue {
    const limit = unbounded ? items.length : Math.min(items.length, this.maxItems);
    const out: JsonValue[] = [];
    for (let i = 0; i < limit; i += 1) out.push(this.walk(items[i], depth + 1, seen, unbounded));
    if (items.length > limit) out.push(`... (${items.length - limit} more)`);
    return Object.freeze(out);
  }

  private record(
    entries: [string, unknown][],
    depth: number,
    seen: Set<object>,
    unbounded: boolean,
  ): JsonValue {
    const limit = unbounded ? entries.length : Math.min(entries.length, this.maxItems);
    const out: Record<string, JsonValue> = {};
    for (let i = 0; i < limit; i += 1) {
      const [key, value] = entries[i] as [string, unknown];
      out[this.walk(key, depth, seen, unbounded) as string] = this.walk(value, depth + 1, seen, unbounded);
    }
    if (entries.length > limit) out.__more__ = `${entries.length - limit} more keys`;
    return Object.freeze(out);
  }
}

/**
 * Creates a {@link PayloadNormalizer}; the usual way to customize the default limits.
 *
 * ## Example
 * ```ts
 * import { LogContext, createPayloadNormalizer } from 'mvx-common/logger';
 * const ctx = LogContext.root({ payloadProcessor: createPayloadNormalizer({ maxItems: 50 }) });
 * ```
 */
export function createPayloadNormalizer(options: PayloadNormalizerOptions = {}): PayloadNormalizer {
  return new PayloadNormalizer(options);
}

function safeKeys(obj: object): string[] {
  try {
    return Object.keys(obj);
  } catch {
    return [];
  }
}

function readKey(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '<unreadable>';
  }
}

function keyString(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'symbol') return key.toString();
  if (key !== null && typeof key === 'object') return `<${className(key)}>`;
  return String(key);
}

function className(obj: object): string {
  const ctor = (obj as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
}
