import { counter, OVERFLOW_LABELS } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const save = (outcome: string, region = 'eu', bytes?: unknown) => ({ type: 'save', outcome, region, bytes });

describe('counter', () => {
  it('has kind counter, name, description and unit', () => {
    const m = counter({ name: 'saves', on: 'save', description: 'd', unit: '1' });
    expect(m).toMatchObject({ name: 'saves', kind: 'counter', description: 'd', unit: '1' });
    expect(Object.isFrozen(m)).toBe(true);
  });

  it('empty state', () => {
    const m = counter({ name: 'saves', on: 'save' });
    expect(m.dimensions(m.init())).toEqual({ total: 0, refused: 0, overflow: 0, evicted: 0, series: [] });
  });

  it('counts one and many accepted events and ignores others', () => {
    const m = counter({ name: 'saves', on: 'save' });
    expect(reduceEvents(m, [save('success')]).total).toBe(1);
    expect(reduceEvents(m, [save('success'), { type: 'load' }, save('failure')]).total).toBe(2);
  });

  it('accepts a list of types and a type guard', () => {
    const list = counter({ name: 'n', on: ['a', 'b'] });
    expect(reduceEvents(list, [{ type: 'a' }, { type: 'b' }, { type: 'c' }]).total).toBe(2);
    const guard = counter({ name: 'n', on: (e): e is { type: 'a' } => e.type === 'a' });
    expect(reduceEvents(guard, [{ type: 'a' }, { type: 'b' }]).total).toBe(1);
  });

  it('sums a value field or function, refusing negative and non-finite values', () => {
    const m = counter({ name: 'bytes', on: 'save', value: 'bytes' });
    const events = [
      save('s', 'eu', 10),
      save('s', 'eu', -1),
      save('s', 'eu', NaN),
      save('s', 'eu', Infinity),
      save('s', 'eu', '5'),
      save('s', 'eu', 5),
    ];
    expect(reduceEvents(m, events)).toEqual({ total: 15, refused: 4, overflow: 0, evicted: 0, series: [] });
    const fn = counter({ name: 'x', on: 'save', value: () => 2 });
    expect(reduceEvents(fn, [save('s'), save('s')]).total).toBe(4);
  });

  it('returns the same state when a zero value changes nothing', () => {
    const m = counter({ name: 'bytes', on: 'save', value: 'bytes' });
    const s = m.init();
    expect(m.reduce(s, save('s', 'eu', 0), { now: 0 })).toBe(s);
  });

  it('keeps one series per label set, in a stable order', () => {
    const m = counter({ name: 'saves', on: 'save', by: ['outcome', 'region'] });
    const d = reduceEvents(m, [
      save('success', 'us'),
      save('failure', 'eu'),
      save('success', 'us'),
      save('success', 'eu'),
    ]);
    expect(d).toEqual({
      total: 4,
      refused: 0,
      overflow: 0,
      evicted: 0,
      series: [
        { labels: { outcome: 'failure', region: 'eu' }, total: 1 },
        { labels: { outcome: 'success', region: 'eu' }, total: 1 },
        { labels: { outcome: 'success', region: 'us' }, total: 2 },
      ],
    });
  });

  it('converts label values to strings and takes labels from a function', () => {
    const m = counter({ name: 'n', on: 'x', by: ['code', 'ok', 'missing'] });
    expect(reduceEvents(m, [{ type: 'x', code: 500, ok: false } as never]).series).toEqual([
      { labels: { code: '500', ok: 'false', missing: '' }, total: 1 },
    ]);
    const f = counter({ name: 'n', on: 'x', by: (e) => ({ big: (e as unknown as { n: number }).n > 5 }) });
    expect(
      reduceEvents(f, [
        { type: 'x', n: 1 },
        { type: 'x', n: 9 },
        { type: 'x', n: 7 },
      ] as never[]).series,
    ).toEqual([
      { labels: { big: 'false' }, total: 1 },
      { labels: { big: 'true' }, total: 2 },
    ]);
  });

  it('folds label sets beyond maxSeries into one overflow series and counts them', () => {
    const m = counter({ name: 'n', on: 'save', by: ['region'], maxSeries: 2 });
    const d = reduceEvents(
      m,
      ['a', 'b', 'c', 'd', 'a', 'c'].map((r) => save('s', r)),
    );
    expect(d.total).toBe(6);
    expect(d.overflow).toBe(3);
    expect(d.series).toEqual([
      { labels: { region: 'a' }, total: 2 },
      { labels: { region: 'b' }, total: 1 },
      { labels: { ...OVERFLOW_LABELS }, total: 3 },
    ]);
  });

  it('init() gives a fresh state (reset)', () => {
    const m = counter({ name: 'n', on: 'save', by: ['region'] });
    m.reduce(m.init(), save('s'), { now: 0 });
    expect(m.dimensions(m.init())).toEqual({ total: 0, refused: 0, overflow: 0, evicted: 0, series: [] });
  });

  it('old states keep their values (persistent), also when branching', () => {
    const m = counter({ name: 'n', on: 'save', by: ['region'] });
    const s1 = m.reduce(m.init(), save('s', 'a'), { now: 0 });
    const d1 = m.dimensions(s1);
    const s2 = m.reduce(s1, save('s', 'b'), { now: 1 });
    const s3 = m.reduce(s2, save('s', 'a'), { now: 2 });
    const branch = m.reduce(s1, save('s', 'c'), { now: 3 });
    expect(m.dimensions(s1)).toEqual(d1);
    expect(m.dimensions(s1)).not.toBe(d1);
    expect(m.dimensions(s3).series).toEqual([
      { labels: { region: 'a' }, total: 2 },
      { labels: { region: 'b' }, total: 1 },
    ]);
    expect(m.dimensions(branch).series).toEqual([
      { labels: { region: 'a' }, total: 1 },
      { labels: { region: 'c' }, total: 1 },
    ]);
    expect(m.dimensions(m.reduce(branch, save('s', 'b'), { now: 4 })).series).toHaveLength(3);
    expect(m.dimensions(s3).series).toHaveLength(2);
  });

  it('two-label series: reducing twice from the same state gives independent branches', () => {
    const m = counter({ name: 'n', on: 'save', by: ['outcome', 'region'] });
    const s1 = m.reduce(m.init(), save('success', 'eu'), { now: 0 });
    const a = m.reduce(s1, save('failure', 'us'), { now: 1 });
    const b = m.reduce(s1, save('failure', 'us'), { now: 1 });
    const c = m.reduce(s1, save('success', 'us'), { now: 1 });
    const a2 = m.reduce(a, save('failure', 'us'), { now: 2 });
    const c2 = m.reduce(c, save('failure', 'us'), { now: 2 });
    expect(m.dimensions(s1).series).toEqual([{ labels: { outcome: 'success', region: 'eu' }, total: 1 }]);
    expect(m.dimensions(a)).toEqual(m.dimensions(b));
    expect(m.dimensions(a2).series).toEqual([
      { labels: { outcome: 'failure', region: 'us' }, total: 2 },
      { labels: { outcome: 'success', region: 'eu' }, total: 1 },
    ]);
    expect(m.dimensions(c2).series).toEqual([
      { labels: { outcome: 'failure', region: 'us' }, total: 1 },
      { labels: { outcome: 'success', region: 'eu' }, total: 1 },
      { labels: { outcome: 'success', region: 'us' }, total: 1 },
    ]);
    expect(m.dimensions(a).total).toBe(2);
  });

  it('handles many series (deep persistent vector)', () => {
    const m = counter({ name: 'n', on: 'save', by: ['region'], maxSeries: 5000 });
    const events = Array.from({ length: 3000 }, (_, i) => save('s', `r${i % 1500}`));
    const d = reduceEvents(m, events);
    expect(d.series).toHaveLength(1500);
    expect(d.series.every((s) => s.total === 2)).toBe(true);
  });

  describe('options', () => {
    it.each([
      [{ on: 'x' }, TypeError, /`name`/],
      [{ name: ' ', on: 'x' }, RangeError, /`name`/],
      [{ name: 'n' }, TypeError, /`on`/],
      [{ name: 'n', on: '' }, RangeError, /`on`/],
      [{ name: 'n', on: [] }, RangeError, /`on`/],
      [{ name: 'n', on: ['a', 3] }, TypeError, /`on\[1\]`/],
      [{ name: 'n', on: 'x', value: 3 }, TypeError, /`value`/],
      [{ name: 'n', on: 'x', by: 'region' }, TypeError, /`by`/],
      [{ name: 'n', on: 'x', by: ['a', 'a'] }, RangeError, /`by`/],
      [
        { name: 'n', on: 'x', by: ['a'], maxSeries: 0 },
        RangeError,
        /Expected `maxSeries` to be a positive integer, got `0` \(number\)/,
      ],
      [{ name: 'n', on: 'x', description: 1 }, TypeError, /`description`/],
    ])('%j throws', (options, type, message) => {
      expect(() => counter(options as never)).toThrow(type);
      expect(() => counter(options as never)).toThrow(message);
    });
  });
});
