import { createTestScheduler } from 'mvx-common/testing';

describe('createTestScheduler', () => {
  it('compares structurally by default and fails on a mismatch', () => {
    const ok = createTestScheduler();
    ok.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: { x: [1] } })).toBe('-b|', { b: { x: [1] } });
    });
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectObservable }) => {
        expectObservable(cold('-a|', { a: 1 })).toBe('-a|', { a: 2 });
      }),
    ).toThrow(/Marble mismatch/);
  });

  it('fails on an error of another class or message (errors compared by name and message)', () => {
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectObservable }) => {
        expectObservable(cold('-#', undefined, new Error('y'))).toBe('-#', undefined, new RangeError('x'));
      }),
    ).toThrow(/Marble mismatch/);
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-#', undefined, new RangeError('x'))).toBe('-#', undefined, new RangeError('x'));
    });
  });

  it('fails on subscriptions that differ', () => {
    const bad = createTestScheduler();
    expect(() =>
      bad.run(({ cold, expectSubscriptions }) => {
        const source = cold('--a|');
        source.subscribe();
        expectSubscriptions(source.subscriptions).toBe('^-!');
      }),
    ).toThrow(/Marble mismatch/);
  });

  it('uses the given assertion', () => {
    const seen: unknown[] = [];
    const scheduler = createTestScheduler((actual, expected) => seen.push(actual, expected));
    scheduler.run(({ cold, expectObservable }) => expectObservable(cold('a|')).toBe('a|'));
    expect(seen).toHaveLength(2);
  });
});
