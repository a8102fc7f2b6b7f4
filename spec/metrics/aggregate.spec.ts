import type { TestScheduler } from 'rxjs/testing';
import { aggregate, defineMetric, type MetricEvent } from 'mvx-common';
import { createTestScheduler, dimensionsOf } from 'mvx-common/testing';

interface Add extends MetricEvent {
  readonly type: 'add';
  readonly n: number;
}
const sum = defineMetric({
  name: 'sum',
  kind: 'counter',
  accepts: (e: MetricEvent): e is Add => e.type === 'add',
  init: () => ({ total: 0 }),
  // adding 0 changes nothing: the same state object is returned
  reduce: (s: { total: number }, e: Add) => (e.n === 0 ? s : { total: s.total + e.n }),
  dimensions: (s) => ({ total: s.total }),
});
const ev = {
  a: { type: 'add', n: 1 },
  b: { type: 'add', n: 2 },
  z: { type: 'add', n: 0 },
  o: { type: 'other' },
  x: { type: 'add', n: -1 },
};

describe('aggregate', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('empty: completes without emitting (no initial emission)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MetricEvent>('---|');
      expectObservable(source.pipe(aggregate(sum, scheduler))).toBe('---|');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('never: emits nothing and never completes', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MetricEvent>('-');
      expectObservable(source.pipe(aggregate(sum, scheduler))).toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^');
    });
  });

  it('one value', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', ev).pipe(aggregate(sum, scheduler), dimensionsOf())).toBe('-r|', {
        r: { total: 1 },
      });
    });
  });

  it('many values: one snapshot per changing event; ignored and unchanged events emit nothing', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-o-b-z-a-|', ev);
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf())).toBe('-r---s---t-|', {
        r: { total: 1 },
        s: { total: 3 },
        t: { total: 4 },
      });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('emits full, frozen snapshots', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a', ev).pipe(aggregate(sum, scheduler))).toBe('s', {
        s: { name: 'sum', kind: 'counter', dimensions: { total: 1 } },
      });
    });
    const seen: unknown[] = [];
    scheduler.run(({ cold }) => {
      cold('a', ev)
        .pipe(aggregate(sum, scheduler))
        .subscribe((s) => seen.push(s));
    });
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  it('source error: forwards the error', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', ev, new Error('src'));
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf())).toBe(
        '-r-#',
        { r: { total: 1 } },
        new Error('src'),
      );
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('early unsubscribe: unsubscribes from the source', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-a-b', ev);
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf()), '^---!').toBe('-r-s', {
        r: { total: 1 },
        s: { total: 3 },
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('a throwing metric errors the output and unsubscribes from the source', () => {
    const boom = new Error('negative');
    const strict = defineMetric({
      ...sum,
      reduce: (s: { total: number }, e: Add) => {
        if (e.n < 0) throw boom;
        return { total: s.total + e.n };
      },
    });
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-x-a', ev);
      expectObservable(source.pipe(aggregate(strict, scheduler), dimensionsOf())).toBe(
        '-r-#',
        { r: { total: 1 } },
        boom,
      );
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('a throwing dimensions errors the output too', () => {
    const boom = new Error('dims');
    const bad = defineMetric({
      ...sum,
      dimensions: () => {
        throw boom;
      },
    });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a', ev).pipe(aggregate(bad, scheduler))).toBe('-#', undefined, boom);
    });
  });

  it('ctx.now comes from the given scheduler (and from the virtualized default)', () => {
    const clock = defineMetric({
      name: 'clock',
      accepts: (_e: MetricEvent): _e is MetricEvent => true,
      init: () => ({ at: -1 }),
      reduce: (_s: { at: number }, _e, ctx) => ({ at: ctx.now }),
      dimensions: (s) => s,
    });
    scheduler.run(({ hot, expectObservable }) => {
      const source = hot('-a 9ms b', ev);
      const expected = { r: { at: 1 }, s: { at: 11 } };
      expectObservable(source.pipe(aggregate(clock, scheduler), dimensionsOf())).toBe('-r 9ms s', expected);
      expectObservable(source.pipe(aggregate(clock), dimensionsOf())).toBe('-r 9ms s', expected);
    });
  });

  it('each subscription has its own state', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const counted = cold('-a-a|', ev).pipe(aggregate(sum, scheduler), dimensionsOf());
      const values = { r: { total: 1 }, s: { total: 2 } };
      expectObservable(counted).toBe('-r-s|', values);
      expectObservable(counted).toBe('-r-s|', values);
    });
  });
});
