// Internal stage of the recorder (not exported): the JSON-safe copy and the deep freeze of dimensions.
import fc from 'fast-check';
import {
  copyJsonSafe,
  deepFreeze,
  MAX_DIMENSION_DEPTH,
  UnsafeDimensionError,
} from '../../../lib/metrics/snapshots/jsonSafe.js';
import { buildSnapshot } from '../../../lib/metrics/snapshots/buildSnapshot.js';
import { defineMetric, type MetricEvent } from 'mvx-common';

/** Every object and array reachable from `value` is frozen. */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(deeplyFrozen);
}

/** JSON-safe values: what `JSON.stringify` round-trips exactly (`__proto__` keys included). */
const jsonSafe = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

describe('copyJsonSafe', () => {
  it('copies any JSON-safe value to an equal, deeply frozen value that shares nothing mutable', () => {
    fc.assert(
      fc.property(jsonSafe, (value) => {
        const copy = copyJsonSafe(value);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        expect(deeplyFrozen(copy)).toBe(true);
        if (value !== null && typeof value === 'object') expect(copy).not.toBe(value);
      }),
    );
  });

  it('keeps a `__proto__` key as an ordinary own key', () => {
    const value = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as Record<string, unknown>;
    const copy = copyJsonSafe(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'b']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"a":1},"b":2}');
  });

  it('leaves out undefined properties and turns undefined array items into null, as JSON does', () => {
    const value = { a: undefined, b: [1, undefined, 3] };
    expect(copyJsonSafe(value)).toEqual({ b: [1, null, 3] });
    expect(JSON.stringify(copyJsonSafe(value))).toBe(JSON.stringify(value));
  });

  it.each([
    ['NaN', { a: NaN }, 'dimensions.a'],
    ['Infinity', { a: [1, Infinity] }, 'dimensions.a[1]'],
    ['-Infinity', { a: { b: -Infinity } }, 'dimensions.a.b'],
    ['a bigint', { a: 1n }, 'dimensions.a'],
    ['a function', { series: [{ labels: () => 1 }] }, 'dimensions.series[0].labels'],
    ['a symbol', { a: Symbol('s') }, 'dimensions.a'],
    ['a Date', { a: new Date(0) }, 'dimensions.a'],
    ['a Map', { a: new Map() }, 'dimensions.a'],
    ['a class instance', { a: new (class Point {})() }, 'dimensions.a'],
    ['an array subclass', { a: new (class List extends Array {})() }, 'dimensions.a'],
  ])('refuses %s, naming its path', (_what, value, path) => {
    let error: unknown;
    try {
      copyJsonSafe(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsafeDimensionError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as UnsafeDimensionError).path).toBe(path);
    expect((error as Error).message).toContain(`\`${path}\``);
  });

  it('refuses cycles and values nested beyond the bound instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => copyJsonSafe(cyclic)).toThrow(UnsafeDimensionError);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DIMENSION_DEPTH + 1; i++) deep = [deep];
    expect(() => copyJsonSafe(deep)).toThrow(/nested too deeply/);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_DIMENSION_DEPTH - 1; i++) ok = [ok];
    expect(() => copyJsonSafe(ok)).not.toThrow();
  });

  it('reads every getter once and lets what a getter throws through (the metric fails)', () => {
    let reads = 0;
    const value = {
      get a() {
        reads++;
        return 1;
      },
    };
    expect(copyJsonSafe(value)).toEqual({ a: 1 });
    expect(reads).toBe(1);
    const hostile = {
      get a(): number {
        throw new Error('getter');
      },
    };
    expect(() => copyJsonSafe(hostile)).toThrow('getter');
  });
});

describe('deepFreeze', () => {
  it('freezes a fresh tree in place and returns it', () => {
    fc.assert(
      fc.property(jsonSafe, (value) => {
        const tree = JSON.parse(JSON.stringify(value)) as unknown;
        expect(deepFreeze(tree)).toBe(tree);
        expect(deeplyFrozen(tree)).toBe(true);
      }),
    );
  });
});

describe('buildSnapshot', () => {
  it('copies the dimensions of a custom metric, so a reader never reaches its state', () => {
    const metric = defineMetric({
      name: 'own-state',
      accepts: (e): e is MetricEvent => e !== null,
      init: () => ({ list: [1, 2] }),
      reduce: (s) => s,
      dimensions: (s) => s,
    });
    const state = metric.init();
    const snapshot = buildSnapshot(metric, state);
    expect(snapshot.dimensions).toEqual({ list: [1, 2] });
    expect(snapshot.dimensions).not.toBe(state);
    expect(deeplyFrozen(snapshot)).toBe(true);
    state.list.push(3);
    expect(snapshot.dimensions).toEqual({ list: [1, 2] });
  });

  it('refuses dimensions that are not a plain object', () => {
    for (const bad of [null, [1], 1, 'x']) {
      const metric = defineMetric({
        name: 'bad',
        accepts: (e): e is MetricEvent => e !== null,
        init: () => 0,
        reduce: (s) => s,
        dimensions: () => bad as never,
      });
      expect(() => buildSnapshot(metric, 0)).toThrow(UnsafeDimensionError);
    }
  });
});
