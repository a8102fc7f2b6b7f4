import { histogram, DEFAULT_MS_BUCKETS } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const o = (ms: unknown, route = '/a') => ({ type: 'req', ms, route });

describe('histogram', () => {
  const m = histogram({ name: 'req.ms', on: 'req', value: 'ms', buckets: [10, 100] });

  it('empty state (default buckets for ms)', () => {
    const def = histogram({ name: 'x', on: 'req', value: 'ms' });
    expect(def.kind).toBe('histogram');
    expect(def.dimensions(def.init())).toEqual({
      bounds: [...DEFAULT_MS_BUCKETS],
      count: 0,
      sum: 0,
      min: null,
      max: null,
      counts: new Array(DEFAULT_MS_BUCKETS.length + 1).fill(0),
      refused: 0,
      overflow: 0,
      evicted: 0,
      series: [],
      window: null,
    });
  });

  it('counts values into le-buckets with count, sum, min, max', () => {
    expect(reduceEvents(m, [o(5)])).toMatchObject({ count: 1, sum: 5, min: 5, max: 5, counts: [1, 0, 0] });
    expect(reduceEvents(m, [o(5), o(10), o(11), o(100), o(1000), o(-3)])).toMatchObject({
      count: 6,
      sum: 1123,
      min: -3,
      max: 1000,
      counts: [3, 2, 1],
    });
  });

  it('refuses non-finite values', () => {
    expect(reduceEvents(m, [o(NaN), o(null), o(1)])).toMatchObject({ count: 1, refused: 2 });
  });

  it('labelled series, aggregate over series, overflow', () => {
    const l = histogram({ name: 'x', on: 'req', value: 'ms', buckets: [10], by: ['route'], maxSeries: 1 });
    const d = reduceEvents(l, [o(1, '/a'), o(20, '/b'), o(3, '/a')]);
    expect(d).toMatchObject({ count: 3, sum: 24, min: 1, max: 20, counts: [2, 1], overflow: 1 });
    expect(d.series).toEqual([
      { labels: { route: '/a' }, count: 2, sum: 4, min: 1, max: 3, counts: [2, 0] },
      { labels: { mvx_overflow: 'true' }, count: 1, sum: 20, min: 20, max: 20, counts: [0, 1] },
    ]);
  });

  it('old states keep their values; snapshots are fresh objects', () => {
    const s1 = m.reduce(m.init(), o(5), { now: 0 });
    const d1 = m.dimensions(s1);
    m.reduce(s1, o(50), { now: 0 });
    expect(m.dimensions(s1)).toEqual(d1);
    expect(m.dimensions(s1).counts).not.toBe(d1.counts);
  });

  it('old states keep their values across bucket-count materializations (chained cells), also when branching', () => {
    const states = [m.init()];
    for (let i = 0; i < 100; i++) states.push(m.reduce(states[i]!, o(i % 3 === 0 ? 5 : 50), { now: i }));
    const branchA = m.reduce(states[40]!, o(500), { now: 0 });
    const branchB = m.reduce(states[40]!, o(1), { now: 0 });
    states.forEach((s, n) => {
      const low = Math.ceil(n / 3);
      expect(m.dimensions(s)).toMatchObject({ count: n, counts: [low, n - low, 0] });
    });
    expect(m.dimensions(branchA).counts).toEqual([14, 26, 1]);
    expect(m.dimensions(branchB).counts).toEqual([15, 26, 0]);
    expect(m.dimensions(states[40]!).counts).toEqual([14, 26, 0]);
  });

  it.each([
    [[], RangeError],
    [[2, 1], RangeError],
    [[1, Infinity], RangeError],
    ['x', TypeError],
  ])('refuses buckets %j', (buckets, type) => {
    expect(() => histogram({ name: 'x', on: 'req', value: 'ms', buckets: buckets as never })).toThrow(type);
    expect(() => histogram({ name: 'x', on: 'req', value: 'ms', buckets: buckets as never })).toThrow(
      /`buckets/,
    );
  });
});
