import { checkPositiveInteger, orDefault, readOptions } from '../internal/validate.js';
import { setOwn } from '../internal/ownProperty.js';
import { buildErrorPayload } from './errorPayload.js';
import type { JsonValue, LogPayload } from './LogEvent.js';
import type { LogPayloadProcessor, NormalizeOptions } from './types.js';

/**
 * Limits of a {@link PayloadNormalizer}. Every limit bounds the work of one call, not only its output: the
 * normalizer stops reading at each cap (no getter beyond it is invoked).
 */
export interface PayloadNormalizerOptions {
  /** Strings (and keys) longer than this are cut and get `...` appended. @default 200 */
  readonly maxStringLength?: number;
  /** Arrays, Sets, Maps and nested objects keep this many items; the rest is summarized. @default 10 */
  readonly maxItems?: number;
  /** Container nesting kept below a payload key; deeper containers become `"<Object>"`-style markers. @default 3 */
  readonly maxDepth?: number;
  /** Keys kept of the payload record itself (the rest is summarized under `__more__`). @default 100 */
  readonly maxPayloadKeys?: number;
  /**
   * Values one call writes in total, across every container; once spent, containers are cut with their
   * usual markers. It also bounds `{ unbounded: true }`. @default 5_000
   */
  readonly maxTotalItems?: number;
}

const OPTION_KEYS = ['maxStringLength', 'maxItems', 'maxDepth', 'maxPayloadKeys', 'maxTotalItems'] as const;

/** What a value becomes when reading it throws (a getter, a Proxy trap, a revoked Proxy). */
const UNREADABLE = '<unreadable>';
const CIRCULAR = '[Circular]';
const EMPTY: LogPayload = Object.freeze({});

/** Exact `PayloadNormalizer` instances (frozen, so their limits and methods cannot change). */
const trusted = new WeakSet<object>();

// Intrinsics, read once: a subclass or an own property of a value cannot redirect them.
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')?.get as (this: unknown) => number;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')?.get as (this: unknown) => number;
const setValues = Set.prototype.values;
const mapEntries = Map.prototype.entries;
const dateTime = Date.prototype.getTime;
const dateIso = Date.prototype.toISOString;
const regExpString = RegExp.prototype.toString;

interface Walk {
  readonly seen: Set<object>;
  readonly unbounded: boolean;
  /** Values this call may still write. */
  budget: number;
}

/**
 * The default {@link LogPayloadProcessor}: makes any value JSON-safe and bounded.
 *
 * | input | output |
 * |---|---|
 * | string longer than `maxStringLength` | cut (never inside a surrogate pair), `...` appended |
 * | `NaN`, `Infinity`, `-Infinity` | `"NaN"`, `"Infinity"`, `"-Infinity"` |
 * | `undefined` | `null` |
 * | bigint | decimal string (`"<bigint: more than N digits>"` beyond `maxStringLength` digits) |
 * | symbol / function | `"Symbol(desc)"` / `"<function name>"` |
 * | `Date` | ISO string (`"Invalid Date"` when invalid) |
 * | `Error` | {@link buildErrorPayload} |
 * | object with `toLogPayload()` | its result, normalized |
 * | array, Set | array, first `maxItems` items + `"... (N more)"` |
 * | Map, plain or null-prototype object | object, first `maxItems` keys + `__more__: "N more keys"` |
 * | typed array, `DataView` | `"<Uint8Array(4 bytes)>"` |
 * | class instance | `toJSON()` result when present, else `"<ClassName>"` |
 * | cycle | `"[Circular]"` |
 * | container deeper than `maxDepth` | `"<Object>"`, `"<Array(n)>"`, `"<Set(n)>"`, `"<Map(n)>"` |
 *
 * Never throws: a value whose reading throws (a getter, a Proxy trap, a revoked Proxy) becomes
 * `"<unreadable>"`. Keys are ordinary own keys, whatever the string (`__proto__` included). The output is
 * frozen and survives `JSON.stringify`/`JSON.parse` unchanged.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { PayloadNormalizer } from 'mvx-common/logger';
 *
 * const payload = new PayloadNormalizer().normalizePayload({ id: 1n, at: new Date(0), bad: NaN });
 * console.log(JSON.stringify(payload)); // → {"id":"1","at":"1970-01-01T00:00:00.000Z","bad":"NaN"}
 * ```
 */
export class PayloadNormalizer implements LogPayloadProcessor {
  readonly maxStringLength: number;
  readonly maxItems: number;
  readonly maxDepth: number;
  readonly maxPayloadKeys: number;
  readonly maxTotalItems: number;
  private readonly maxBigInt: bigint;

  /** @throws TypeError for an unknown option or a non-number limit, RangeError for a limit that is not a positive integer */
  constructor(options: PayloadNormalizerOptions = {}) {
    const o = readOptions('options', options, OPTION_KEYS);
    const limit = (key: (typeof OPTION_KEYS)[number], fallback: number): number =>
      orDefault(o[key], fallback, (v) => checkPositiveInteger(`options.${key}`, v));
    this.maxStringLength = limit('maxStringLength', 200);
    this.maxItems = limit('maxItems', 10);
    this.maxDepth = limit('maxDepth', 3);
    this.maxPayloadKeys = limit('maxPayloadKeys', 100);
    this.maxTotalItems = limit('maxTotalItems', 5_000);
    this.maxBigInt = 10n ** BigInt(Math.min(this.maxStringLength, 10_000));
    if (new.target === PayloadNormalizer) {
      Object.freeze(this);
      trusted.add(this);
    }
  }

  /**
   * Normalizes a payload record: each of its first `maxPayloadKeys` keys is normalized as a value (the
   * record itself is not subject to `maxItems`). A payload that is not a plain record is normalized as a
   * value: an object result (e.g. from an `Error`, a `Map` or `toLogPayload()`) is the payload, anything
   * else is put under `value`. `undefined` and `null` give `{}`.
   */
  normalizePayload(payload: Readonly<Record<string, unknown>>, options?: NormalizeOptions): LogPayload {
    if (payload === undefined || payload === null) return EMPTY;
    const walk = this.start(options);
    let plain: boolean;
    try {
      plain = isPlainRecord(payload);
    } catch {
      return Object.freeze({ value: UNREADABLE });
    }
    if (!plain) {
      const value = this.value(payload, 0, walk);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as LogPayload;
      const out: Record<string, JsonValue> = {};
      setOwn(out, 'value', value);
      return Object.freeze(out);
    }
    walk.seen.add(payload);
    return this.record(payload, -1, this.maxPayloadKeys, walk) as LogPayload;
  }

  /** Normalizes one value. */
  normalizeValue(value: unknown, options?: NormalizeOptions): JsonValue {
    return this.value(value, 0, this.start(options));
  }

  private start(options: NormalizeOptions | undefined): Walk {
    let unbounded = false;
    try {
      unbounded = options?.unbounded === true;
    } catch {
      // A hostile options object: normalize with the default caps.
    }
    return { seen: new Set(), unbounded, budget: this.maxTotalItems };
  }

  /** One value; spends one unit of the budget. Never throws. */
  private value(value: unknown, depth: number, walk: Walk): JsonValue {
    walk.budget--;
    try {
      return this.valueUnsafe(value, depth, walk);
    } catch {
      return UNREADABLE;
    }
  }

  private valueUnsafe(value: unknown, depth: number, walk: Walk): JsonValue {
    switch (typeof value) {
      case 'undefined':
        return null;
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? (value === 0 ? 0 : value) : String(value);
      case 'string':
        return this.cut(value);
      case 'bigint':
        return value >= this.maxBigInt || value <= -this.maxBigInt
          ? `<bigint: more than ${this.maxStringLength} digits>`
          : value.toString();
      case 'symbol':
        return this.cut(value.toString());
      case 'function':
        return `<function ${this.cut(functionName(value))}>`;
    }
    if (value === null) return null;
    const obj = value as object;
    if (walk.seen.has(obj)) return CIRCULAR;
    const provider = (obj as { toLogPayload?: unknown }).toLogPayload;
    if (typeof provider === 'function') {
      const provided: unknown = provider.call(obj);
      return this.nested(obj, walk, () => this.valueUnsafe(provided, depth, walk));
    }
    if (Array.isArray(obj)) {
      const length = arrayLength(obj);
      if (depth >= this.maxDepth) return `<Array(${length})>`;
      return this.nested(obj, walk, () =>
        this.list(length, (i) => (obj as readonly unknown[])[i], depth, walk),
      );
    }
    if (obj instanceof Date) {
      const time = dateTime.call(obj);
      return Number.isNaN(time) ? 'Invalid Date' : dateIso.call(obj);
    }
    if (obj instanceof Error) {
      return this.nested(obj, walk, () =>
        buildErrorPayload(obj, (v) => (walk.budget > 0 ? this.value(v, depth + 1, walk) : '...')),
      );
    }
    if (obj instanceof RegExp) return this.cut(regExpString.call(obj));
    if (ArrayBuffer.isView(obj)) return `<${className(obj)}(${obj.byteLength} bytes)>`;
    if (obj instanceof Set) {
      const size = setSize.call(obj);
      if (depth >= this.maxDepth) return `<Set(${size})>`;
      const values = setValues.call(obj) as Iterator<unknown>;
      return this.nested(obj, walk, () => this.list(size, () => values.next().value, depth, walk));
    }
    if (obj instanceof Map) {
      const size = mapSize.call(obj);
      if (depth >= this.maxDepth) return `<Map(${size})>`;
      const entries = mapEntries.call(obj) as Iterator<[unknown, unknown]>;
      return this.nested(obj, walk, () => this.entries(size, entries, depth, walk));
    }
    if (!isPlainRecord(obj)) {
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(obj);
        return this.nested(obj, walk, () => this.valueUnsafe(json, depth, walk));
      }
      return `<${this.cut(className(obj))}>`;
    }
    if (depth >= this.maxDepth) return '<Object>';
    return this.nested(obj, walk, () => this.record(obj, depth, this.maxItems, walk));
  }

  private nested<T>(obj: object, walk: Walk, fn: () => T): T {
    walk.seen.add(obj);
    try {
      return fn();
    } finally {
      walk.seen.delete(obj);
    }
  }

  /** The first items of a list of `length`, read one by one by `read(i)` (a throwing read: unreadable). */
  private list(length: number, read: (i: number) => unknown, depth: number, walk: Walk): JsonValue {
    const limit = walk.unbounded ? length : Math.min(length, this.maxItems);
    const out: JsonValue[] = [];
    let i = 0;
    for (; i < limit && walk.budget > 0; i++) {
      let item: unknown;
      try {
        item = read(i);
      } catch {
        item = UNREADABLE;
      }
      out.push(this.value(item, depth + 1, walk));
    }
    if (i < length) out.push(`... (${length - i} more)`);
    return Object.freeze(out);
  }

  /** A record of the first own enumerable string keys of `obj`; only kept keys are read. */
  private record(obj: object, depth: number, cap: number, walk: Walk): JsonValue {
    const keys = Object.keys(obj);
    const limit = walk.unbounded && depth >= 0 ? keys.length : Math.min(keys.length, cap);
    const out: Record<string, JsonValue> = {};
    let i = 0;
    for (; i < limit && walk.budget > 0; i++) {
      const key = keys[i] as string;
      let item: unknown;
      try {
        item = (obj as Record<string, unknown>)[key];
      } catch {
        item = UNREADABLE;
      }
      setOwn(out, this.cut(key), this.value(item, depth + 1, walk));
    }
    if (i < keys.length) setOwn(out, '__more__', `${keys.length - i} more keys`);
    return Object.freeze(out);
  }

  private entries(size: number, it: Iterator<[unknown, unknown]>, depth: number, walk: Walk): JsonValue {
    const limit = walk.unbounded ? size : Math.min(size, this.maxItems);
    const out: Record<string, JsonValue> = {};
    let i = 0;
    for (; i < limit && walk.budget > 0; i++) {
      const step = it.next();
      if (step.done === true) break;
      const [key, item] = step.value;
      setOwn(out, this.cut(keyString(key)), this.value(item, depth + 1, walk));
    }
    if (i < size) setOwn(out, '__more__', `${size - i} more keys`);
    return Object.freeze(out);
  }

  private cut(text: string): string {
    const max = this.maxStringLength;
    if (text.length <= max) return text;
    let end = max;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--; // never split a surrogate pair
    return `${text.slice(0, end)}...`;
  }
}

/**
 * Creates a {@link PayloadNormalizer}; the usual way to customize the default limits.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { createPayloadNormalizer, LogContext, MemorySink } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * const ctx = LogContext.root({ sink, payloadProcessor: createPayloadNormalizer({ maxItems: 2 }) });
 * ctx.info('batch.done', { ids: [1, 2, 3, 4] });
 * console.log(JSON.stringify(sink.events[0]?.payload)); // → {"ids":[1,2,"... (2 more)"]}
 * ```
 */
export function createPayloadNormalizer(options: PayloadNormalizerOptions = {}): PayloadNormalizer {
  return new PayloadNormalizer(options);
}

/**
 * Is `processor` an exact, unmodified {@link PayloadNormalizer}? Its output is JSON-safe by construction,
 * so the context need not copy it. Never throws.
 * @internal
 */
export function isTrustedNormalizer(processor: unknown): processor is PayloadNormalizer {
  return typeof processor === 'object' && processor !== null && trusted.has(processor);
}

/** A plain (Object.prototype or null-prototype, non-array) object. May throw for a hostile Proxy. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array's length as a safe count (a Proxy may report anything). */
function arrayLength(list: readonly unknown[]): number {
  const length: unknown = list.length;
  return typeof length === 'number' && Number.isSafeInteger(length) && length >= 0 ? length : 0;
}

function functionName(fn: unknown): string {
  try {
    const name: unknown = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

function keyString(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'symbol') return key.toString();
  if (key !== null && (typeof key === 'object' || typeof key === 'function')) {
    return typeof key === 'function' ? `<function ${functionName(key)}>` : `<${className(key)}>`;
  }
  return String(key);
}

function className(obj: object): string {
  try {
    const ctor = (obj as { constructor?: { name?: unknown } }).constructor;
    const name = ctor?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  } catch {
    return 'Object';
  }
}
