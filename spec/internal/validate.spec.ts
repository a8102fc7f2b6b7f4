import fc from 'fast-check';
// Internal on purpose: the shared option and argument checks (spec mirrors lib/internal).
import { describeValue, readOptions } from '../../lib/internal/validate.js';

describe('describeValue', () => {
  it('shows the items of an array, the prototype of objects, and never throws', () => {
    expect(describeValue([1, 'a', null])).toBe('`[1, "a", null]` (object)');
    expect(describeValue([1, 2, 3, 4, 5, 6, 7])).toBe('`[1, 2, 3, 4, 5, … 2 more]` (object)');
    expect(describeValue([[1, 2]])).toBe('`[[array(2)]]` (object)');
    expect(describeValue(Object.create(null))).toBe('`[object with null prototype]` (object)');
    expect(describeValue(new Map())).toBe('`[Map]` (object)');
    expect(describeValue(Symbol('s'))).toBe('`Symbol(s)` (symbol)');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(proxy)).toBe('`[unreadable]` (object)');
    fc.assert(fc.property(fc.anything(), (v) => typeof describeValue(v) === 'string'));
  });
});

describe('readOptions', () => {
  it('returns the known values, undefined ones left out', () => {
    const o = readOptions('options', { a: 1, b: undefined }, ['a', 'b', 'c']);
    expect({ ...o }).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect({ ...readOptions('options', undefined, ['a']) }).toEqual({});
  });

  it('refuses unknown keys, naming the key and the accepted ones', () => {
    expect(() => readOptions('options', { capcity: 5 }, ['capacity', 'overflow'])).toThrow(
      new TypeError('Unknown option "capcity" in `options`; accepted options: `capacity`, `overflow`'),
    );
    expect(() => readOptions('options', JSON.parse('{"__proto__": 1}'), ['a'])).toThrow(/"__proto__"/);
    expect(() => readOptions('options', { [Symbol('x')]: 1 }, ['a'])).toThrow(/Symbol\(x\)/);
  });

  it('turns throwing getters and Proxy traps into TypeErrors naming the option, with the cause', () => {
    const boom = new Error('boom');
    const getter = Object.defineProperty({}, 'a', {
      enumerable: true,
      get() {
        throw boom;
      },
    });
    let error: unknown;
    try {
      readOptions('options', getter, ['a']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Reading `options.a` threw');
    expect((error as Error).cause).toBe(boom);
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw boom;
        },
      },
    );
    expect(() => readOptions('options', trap, ['a'])).toThrow('Reading the keys of `options` threw');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => readOptions('options', proxy, ['a'])).toThrow(TypeError);
  });

  it('refuses non-objects with a TypeError naming the parameter', () => {
    for (const bad of [null, 1, 'x', [], () => 1]) {
      expect(() => readOptions('opts', bad, ['a'])).toThrow(/`opts`/);
    }
  });
});
