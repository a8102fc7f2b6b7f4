import fc from 'fast-check';
// Internal on purpose: deepEqual is the matcher behind createTestScheduler, not exported.
import { deepEqual } from '../../lib/testing/deepEqual.js';

describe('deepEqual (the marble matcher of createTestScheduler)', () => {
  it('compares errors by name and message, not as any two errors', () => {
    expect(deepEqual(new RangeError('x'), new RangeError('x'))).toBe(true);
    expect(deepEqual(new RangeError('x'), new Error('x'))).toBe(false);
    expect(deepEqual(new RangeError('x'), new RangeError('y'))).toBe(false);
    expect(deepEqual(new Error('x'), { name: 'Error', message: 'x' })).toBe(false);
  });

  it('compares maps and sets by content', () => {
    expect(deepEqual(new Map([['a', 1]]), new Map([['a', 1]]))).toBe(true);
    expect(deepEqual(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(deepEqual(new Map([['a', 1]]), new Map([['b', 1]]))).toBe(false);
    expect(deepEqual(new Map(), {})).toBe(false);
    expect(deepEqual(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(deepEqual(new Set([1]), new Set([2]))).toBe(false);
  });

  it('compares dates by time and class instances by prototype', () => {
    expect(deepEqual(new Date(1), new Date(1))).toBe(true);
    expect(deepEqual(new Date(1), new Date(2))).toBe(false);
    class A {
      x = 1;
    }
    class B {
      x = 1;
    }
    expect(deepEqual(new A(), new A())).toBe(true);
    expect(deepEqual(new A(), new B())).toBe(false);
  });

  it('treats undefined properties as missing, and NaN as equal to NaN', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: NaN }, { a: NaN })).toBe(true);
    expect(deepEqual([1, [2]], [1, [2]])).toBe(true);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });

  it.each([
    [{ a: 1 }, { a: 2 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [null, {}],
    ['1', 1],
  ])('tells %p and %p apart', (a, b) => {
    expect(deepEqual(a, b)).toBe(false);
    expect(deepEqual(b, a)).toBe(false);
  });

  it('agrees with a JSON round trip on JSON values (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        if (same) expect(deepEqual(a, b)).toBe(true);
        expect(deepEqual(a, JSON.parse(JSON.stringify(a)))).toBe(true);
      }),
    );
  });
});
