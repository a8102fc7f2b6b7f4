import { gauge } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const g = (size: unknown, pool = 'db') => ({ type: 'pool', size, pool });

describe('gauge', () => {
  const m = gauge({ name: 'pool.size', on: 'pool', value: 'size' });

  it('empty state', () => {
    expect(m.kind).toBe('gauge');
    expect(m.dimensions(m.init())).toEqual({
      last: null,
      min: null,
      max: null,
      count: 0,
      updated_at: null,
      refused: 0,
      overflow: 0,
      evicted: 0,
      series: [],
    });
  });

  it('keeps last, min, max, count and the time of the last update', () => {
    expect(reduceEvents(m, [g(4)], () => 7)).toMatchObject({
      last: 4,
      min: 4,
      max: 4,
      count: 1,
      updated_at: 7,
    });
    expect(reduceEvents(m, [g(4), g(9), g(-2), g(3)], (i) => i * 10)).toMatchObject({
      last: 3,
      min: -2,
      max: 9,
      count: 4,
      updated_at: 30,
    });
  });

  it('refuses non-finite values and counts them', () => {
    expect(reduceEvents(m, [g(1), g(Infinity), g(undefined)])).toMatchObject({
      last: 1,
      refused: 2,
      count: 1,
    });
  });

  it('keeps one series per label set with an overflow series', () => {
    const l = gauge({ name: 'p', on: 'pool', value: 'size', by: ['pool'], maxSeries: 1 });
    const d = reduceEvents(l, [g(1, 'a'), g(5, 'b'), g(2, 'a'), g(7, 'c')], (i) => i);
    expect(d).toMatchObject({ last: 7, min: 1, max: 7, count: 4, overflow: 2 });
    expect(d.series).toEqual([
      { labels: { pool: 'a' }, last: 2, min: 1, max: 2, count: 2, updated_at: 2 },
      { labels: { mvx_overflow: 'true' }, last: 7, min: 5, max: 7, count: 2, updated_at: 3 },
    ]);
  });

  it('old states keep their values; init resets', () => {
    const s1 = m.reduce(m.init(), g(1), { now: 0 });
    m.reduce(s1, g(2), { now: 0 });
    expect(m.dimensions(s1).last).toBe(1);
    expect(m.dimensions(m.init()).count).toBe(0);
  });
});
