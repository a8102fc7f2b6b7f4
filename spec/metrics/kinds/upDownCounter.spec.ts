import { upDownCounter } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const d = (delta: unknown, q = 'mail') => ({ type: 'q', delta, q });

describe('upDownCounter', () => {
  const m = upDownCounter({ name: 'depth', on: 'q', value: 'delta' });

  it('has kind gauge and an empty state', () => {
    expect(m.kind).toBe('gauge');
    expect(m.dimensions(m.init())).toEqual({ value: 0, refused: 0, overflow: 0, evicted: 0, series: [] });
  });

  it('sums positive and negative deltas, refusing non-finite ones', () => {
    expect(reduceEvents(m, [d(3)]).value).toBe(3);
    expect(reduceEvents(m, [d(3), d(-5), d(NaN), d('1'), d(1)])).toEqual({
      value: -1,
      refused: 2,
      overflow: 0,
      evicted: 0,
      series: [],
    });
  });

  it('keeps labelled series and an overflow series', () => {
    const l = upDownCounter({ name: 'depth', on: 'q', value: 'delta', by: ['q'], maxSeries: 1 });
    expect(reduceEvents(l, [d(2, 'a'), d(-1, 'b'), d(3, 'a')])).toEqual({
      value: 4,
      refused: 0,
      overflow: 1,
      evicted: 0,
      series: [
        { labels: { q: 'a' }, value: 5 },
        { labels: { mvx_overflow: 'true' }, value: -1 },
      ],
    });
  });

  it('requires value', () => {
    expect(() => upDownCounter({ name: 'x', on: 'q' } as never)).toThrow(/`value`/);
  });
});
