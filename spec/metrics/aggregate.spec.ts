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
const totals = { r: { total: 1 }, s: { total: 3 }, t: { total: 4 }, v: { total: 5 }, u: { total: 6 } };

describe('aggregate', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('empty: completes without emitting (no initial emission)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MetricEvent>('---|');
      const expected = '                ---|';
      const subs = '                    ^--!';
      expectObservable(source.pipe(aggregate(sum, scheduler))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('never: emits nothing and stays subscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MetricEvent>('-');
      const expected = '                -';
      const subs = '                    ^';
      expectObservable(source.pipe(aggregate(sum, scheduler))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('one value', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a|', ev);
      const expected = '     -r|';
      const subs = '         ^-!';
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf())).toBe(expected, totals);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('many values: one snapshot per changing event; ignored and unchanged events emit nothing', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-o-b-z-a-|', ev);
      const expected = '     -r---s---t-|';
      const subs = '         ^----------!';
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf())).toBe(expected, totals);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('emits full, frozen snapshots', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('  a', ev);
      const expected = '     s';
      expectObservable(source.pipe(aggregate(sum, scheduler))).toBe(expected, {
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
      const source = cold('  -a-#', ev, new Error('src'));
      const expected = '     -r-#';
      const subs = '         ^--!';
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf())).toBe(
        expected,
        totals,
        new Error('src'),
      );
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('early unsubscribe: unsubscribes from the source', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-b-a-b', ev);
      const unsub = '        ^---!';
      const expected = '     -r-s';
      const subs = '         ^---!';
      expectObservable(source.pipe(aggregate(sum, scheduler), dimensionsOf()), unsub).toBe(expected, totals);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('a throwing reduce errors the output and unsubscribes from the source', () => {
    const boom = new Error('negative');
    const strict = defineMetric({
      ...sum,
      reduce: (s: { total: number }, e: Add) => {
        if (e.n < 0) throw boom;
        return { total: s.total + e.n };
      },
    });
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-x-a', ev);
      const expected = '     -r-#';
      const subs = '         ^--!';
      expectObservable(source.pipe(aggregate(strict, scheduler), dimensionsOf())).toBe(
        expected,
        totals,
        boom,
      );
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('a throwing accepts errors the output and unsubscribes from the source', () => {
    const boom = new Error('accepts');
    const picky = defineMetric({
      ...sum,
      accepts: (e: MetricEvent): e is Add => {
        if (e.type === 'other') throw boom;
        return e.type === 'add';
      },
    });
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-o-a', ev);
      const expected = '     -r-#';
      const subs = '         ^--!';
      expectObservable(source.pipe(aggregate(picky, scheduler), dimensionsOf())).toBe(expected, totals, boom);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('a throwing dimensions errors the output and unsubscribes from the source', () => {
    const boom = new Error('dims');
    const bad = defineMetric({
      ...sum,
      dimensions: () => {
        throw boom;
      },
    });
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('   -a-a', ev);
      const expected = '     -#';
      const subs = '         ^!';
      expectObservable(source.pipe(aggregate(bad, scheduler))).toBe(expected, undefined, boom);
      expectSubscriptions(source.subscriptions).toBe(subs);
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
      const source = hot('   -a 9ms b', ev);
      const expected = '     -r 9ms s';
      const values = { r: { at: 1 }, s: { at: 11 } };
      expectObservable(source.pipe(aggregate(clock, scheduler), dimensionsOf())).toBe(expected, values);
      expectObservable(source.pipe(aggregate(clock), dimensionsOf())).toBe(expected, values);
    });
  });

  it('each subscription has its own state', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a-b|', ev);
      const expected = '     -r-s|';
      // prettier-ignore
      const subs = [
        '                    ^---!',
        '                    ^---!',
      ];
      const counted = source.pipe(aggregate(sum, scheduler), dimensionsOf());
      expectObservable(counted).toBe(expected, totals);
      expectObservable(counted).toBe(expected, totals);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  describe('coalesce', () => {
    it('emits the latest snapshot at most once per interval, and the pending one before completing', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        // changes at 0, 1, 7 and 18 ms; emissions at 4 and 11 ms, and at the completion (19 ms)
        const source = hot('   ab 5ms b 10ms a|', ev);
        const expected = '     ----s 6ms v 7ms (u|)';
        const subs = '         ^ 18ms !';
        const coalesced = source.pipe(aggregate(sum, { scheduler, coalesce: 4 }), dimensionsOf());
        expectObservable(coalesced).toBe(expected, totals);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("'frame' without requestAnimationFrame emits at most every 16 ms on the scheduler", () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot('   a-b 20ms a', ev);
        const expected = '     16ms s 22ms t';
        const subs = '         ^';
        const coalesced = source.pipe(aggregate(sum, { scheduler, coalesce: 'frame' }), dimensionsOf());
        expectObservable(coalesced).toBe(expected, totals);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('an early unsubscribe cancels the pending emission', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot('   ab-----a', ev);
        const unsub = '        ^--!';
        const expected = '     ---';
        const subs = '         ^--!';
        const coalesced = source.pipe(aggregate(sum, { scheduler, coalesce: 10 }), dimensionsOf());
        expectObservable(coalesced, unsub).toBe(expected, totals);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('a source error errors the output at once, dropping the pending snapshot', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot('   a-#', ev, new Error('src'));
        const expected = '     --#';
        const subs = '         ^-!';
        const coalesced = source.pipe(aggregate(sum, { scheduler, coalesce: 10 }), dimensionsOf());
        expectObservable(coalesced).toBe(expected, totals, new Error('src'));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });
  });
});
