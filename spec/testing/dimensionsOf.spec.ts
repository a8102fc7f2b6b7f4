import type { MetricSnapshot } from 'mvx-common';
import { createTestScheduler, dimensionsOf } from 'mvx-common/testing';
import type { TestScheduler } from 'rxjs/testing';

type Total = { total: number };
const snap = (total: number): MetricSnapshot<Total> => ({ name: 'c', kind: 'custom', dimensions: { total } });
const values: Record<string, MetricSnapshot<Total>> = { a: snap(1), b: snap(2) };
const dims = { x: { total: 1 }, y: { total: 2 } };

describe('dimensionsOf', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('empty: completes without emitting', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  --|', values);
      const expected = '     --|';
      const subs = '         ^-!';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('never: emits nothing and stays subscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -', values);
      const expected = '     -';
      const subs = '         ^';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('one value: maps the snapshot to its dimensions', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  a|', values);
      const expected = '     x|';
      const subs = '         ^!';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected, dims);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('many values: maps each snapshot to its dimensions', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  a-b-a|', values);
      const expected = '     x-y-x|';
      const subs = '         ^----!';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected, dims);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('error: forwards the error and unsubscribes', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a-#', values, new Error('source'));
      const expected = '     -x-#';
      const subs = '         ^--!';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected, dims, new Error('source'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('early unsubscribe: unsubscribes from the source', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-b-a-b', values);
      const unsub = '        ^---!';
      const expected = '     -x-y';
      const subs = '         ^---!';
      expectObservable(source.pipe(dimensionsOf()), unsub).toBe(expected, dims);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('a snapshot whose dimensions getter throws errors the output and unsubscribes', () => {
    const boom = new Error('getter');
    const hostile = Object.defineProperty({ name: 'c', kind: 'custom' }, 'dimensions', {
      get() {
        throw boom;
      },
    }) as MetricSnapshot<Total>;
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a-h-a', { a: snap(1), h: hostile });
      const expected = '     -x-#';
      const subs = '         ^--!';
      expectObservable(source.pipe(dimensionsOf())).toBe(expected, dims, boom);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });
});
