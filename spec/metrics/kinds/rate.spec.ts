import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { aggregate, rate } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

describe('rate', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('empty state', () => {
    const m = rate({ name: 'rps', on: 'req' });
    expect(m.kind).toBe('gauge');
    expect(m.dimensions(m.init())).toEqual({
      rate: 0,
      in_window: 0,
      total: 0,
      window_ms: 1000,
      resolution_ms: 10,
      updated_at: null,
      as_of: null,
      refused: 0,
      buckets: [],
    });
  });

  it('counts events per second within the window (as of the last event)', () => {
    const m = rate({ name: 'rps', on: 'req', windowMs: 1000 });
    const at = [0, 100, 500, 1050, 1200];
    const d = reduceEvents(
      m,
      at.map(() => ({ type: 'req' })),
      (i) => at[i] as number,
    );
    // window (200, 1200]: events at 500, 1050, 1200
    expect(d).toMatchObject({ in_window: 3, rate: 3, total: 5, updated_at: 1200 });
    expect(d.buckets).toEqual([
      [500, 1],
      [1050, 1],
      [1200, 1],
    ]);
  });

  it('sums values and refuses negative or non-finite ones', () => {
    const m = rate({ name: 'bps', on: 'req', value: 'bytes', windowMs: 2000 });
    const d = reduceEvents(m, [
      { type: 'req', bytes: 100 },
      { type: 'req', bytes: -1 },
      { type: 'req', bytes: 300 },
    ] as never[]);
    expect(d).toMatchObject({ in_window: 400, rate: 200, refused: 1 });
  });

  it('old states keep their values; init resets', () => {
    const m = rate({ name: 'rps', on: 'req', windowMs: 10 });
    const s1 = m.reduce(m.init(), { type: 'req' }, { now: 0 });
    m.reduce(m.reduce(s1, { type: 'req' }, { now: 100 }), { type: 'req' }, { now: 101 });
    expect(m.dimensions(s1).total).toBe(1);
    expect(m.dimensions(m.init()).total).toBe(0);
  });

  it('slides and decays under TestScheduler (marbles, windowMs 10): time moves the window without events', () => {
    const m = rate({ name: 'rps', on: 'req', windowMs: 10 });
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const events = hot('  abc 6ms d--- 6ms e x', {
        a: { type: 'req' },
        b: { type: 'req' },
        c: { type: 'req' },
        d: { type: 'req' },
        e: { type: 'req' },
        x: { type: 'other' },
      });
      const sub = '         ^';
      // a, b, c at 0-2 ms; d at 9 ms; the refreshes at 10, 11, 12 ms drop a, b, c; e at 19 ms drops d;
      // the refresh at 29 ms drops e: the rate decays to 0 and nothing is scheduled after that.
      const expected = '    abc 6ms dfgh 6ms e 9ms z';
      expectObservable(
        events.pipe(
          aggregate(m, testScheduler),
          map((s) => s.dimensions.in_window),
        ),
        sub,
      ).toBe(expected, { a: 1, b: 2, c: 3, d: 4, f: 3, g: 2, h: 1, e: 1, z: 0 });
      expectSubscriptions(events.subscriptions).toBe(sub);
    });
  });

  it('reports the rate per second under TestScheduler (windowMs 1000)', () => {
    const m = rate({ name: 'rps', on: 'req', windowMs: 1000 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const req = { type: 'req' };
      // a@0, b@500, c@1000 (a is out: window (0, 1000]), d@1100
      const events = cold('  a 499ms b 499ms c 99ms d|', { a: req, b: req, c: req, d: req });
      const expected = '     a 499ms b 499ms c 99ms d|';
      const subs = '         ^ 1100ms !';
      const rates = events.pipe(
        aggregate(m, testScheduler),
        map((s) => s.dimensions.rate),
      );
      expectObservable(rates).toBe(expected, { a: 1, b: 2, c: 2, d: 3 });
      expectSubscriptions(events.subscriptions).toBe(subs);
    });
  });

  it.each([
    [{ windowMs: 0 }, /`windowMs`/],
    [{ windowMs: 'x' }, /`windowMs`/],
    [{ resolutionMs: 0.5 }, /`resolutionMs`/],
  ])('refuses %j', (extra, message) => {
    expect(() => rate({ name: 'r', on: 'req', ...(extra as object) })).toThrow(message);
  });
});
