import { createTestScheduler } from 'mvx-common/testing';

describe('createTestScheduler', () => {
  it('compares structurally by default and fails on a mismatch', () => {
    const ok = createTestScheduler();
    ok.run(({ cold, expectObservable }) => {
      const source = cold('  -a|', { a: { x: [1] } });
      const expected = '     -b|';
      expectObservable(source).toBe(expected, { b: { x: [1] } });
    });
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectObservable }) => {
        const source = cold('  -a|', { a: 1 });
        const expected = '     -a|';
        expectObservable(source).toBe(expected, { a: 2 });
      }),
    ).toThrow(/Marble mismatch/);
  });

  it('fails on an error of another class or message (errors compared by name and message)', () => {
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectObservable }) => {
        const source = cold('  -#', undefined, new Error('y'));
        const expected = '     -#';
        expectObservable(source).toBe(expected, undefined, new RangeError('x'));
      }),
    ).toThrow(/Marble mismatch/);
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('  -#', undefined, new RangeError('x'));
      const expected = '     -#';
      expectObservable(source).toBe(expected, undefined, new RangeError('x'));
    });
  });

  it('fails on subscriptions that differ', () => {
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectSubscriptions }) => {
        const source = cold('  --a|');
        const subs = '         ^-!';
        source.subscribe();
        expectSubscriptions(source.subscriptions).toBe(subs);
      }),
    ).toThrow(/Marble mismatch/);
  });

  it('uses the given assertion', () => {
    const seen: unknown[] = [];
    const scheduler = createTestScheduler((actual, expected) => seen.push(actual, expected));
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('  a|');
      const expected = '     a|';
      expectObservable(source).toBe(expected);
    });
    expect(seen).toHaveLength(2);
  });
});
