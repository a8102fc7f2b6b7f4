import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  perSecondRate,
  rollingWindow,
  selectMetric,
  seriesRates,
  topSeries,
  type MetricSnapshot,
  type SnapshotUpdate,
  type TimedValue,
} from 'mvx-common';

function newScheduler(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

const tv = (time: number, value: number): TimedValue => ({ time, value });

describe('perSecondRate', () => {
  it('emits the rate between consecutive samples, handling resets (marbles)', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-d-e|', {
        a: tv(0, 10),
        b: tv(2000, 30), // +20 in 2 s
        c: tv(3000, 5), // reset: +5 in 1 s
        d: tv(3000, 9), // same time: a duplicate, skipped
        e: tv(3500, 10), // +5 in 0.5 s
      });
      expectObservable(source.pipe(perSecondRate())).toBe('--b-c---e|', {
        b: tv(2000, 10),
        c: tv(3000, 5),
        e: tv(3500, 10),
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('skips non-finite samples and passes errors through', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-#', { a: tv(0, 1), b: tv(1000, Number.NaN), c: tv(2000, 3) });
      expectObservable(source.pipe(perSecondRate())).toBe('----c-#', { c: tv(2000, 1) });
    });
  });

  it('sums to the total increase over any sequence with resets (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 0, max: 1_000 })), {
          minLength: 2,
          maxLength: 40,
        }),
        async (steps) => {
          let t = 0;
          const samples = steps.map(([dt, v]) => tv((t += dt), v));
          const rates = await lastValueFrom(from(samples).pipe(perSecondRate(), toArray()));
          expect(rates).toHaveLength(samples.length - 1);
          let expected = 0;
          let area = 0;
          for (let i = 1; i < samples.length; i++) {
            const prev = samples[i - 1]!.value;
            const cur = samples[i]!.value;
            expected += cur >= prev ? cur - prev : cur;
            area += (rates[i - 1]!.value * (samples[i]!.time - samples[i - 1]!.time)) / 1000;
            expect(rates[i - 1]!.value).toBeGreaterThanOrEqual(0);
          }
          expect(area).toBeCloseTo(expected, 6);
        },
      ),
    );
  });
});

describe('rollingWindow', () => {
  it('keeps the newest points, bounded by count (marbles)', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcd|', { a: tv(1, 1), b: tv(2, 2), c: tv(3, 3), d: tv(4, 4) });
      expectObservable(source.pipe(rollingWindow({ maxPoints: 2 }))).toBe('abcd|', {
        a: [tv(1, 1)],
        b: [tv(1, 1), tv(2, 2)],
        c: [tv(2, 2), tv(3, 3)],
        d: [tv(3, 3), tv(4, 4)],
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('drops points older than maxAgeMs before the newest, and ignores late or duplicate points', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abcde|', {
        a: tv(0, 0),
        b: tv(500, 1),
        c: tv(400, 9),
        d: tv(1200, 2),
        e: tv(1200, 3),
      });
      expectObservable(source.pipe(rollingWindow({ maxAgeMs: 1000 }))).toBe('ab-d-|', {
        a: [tv(0, 0)],
        b: [tv(0, 0), tv(500, 1)],
        d: [tv(500, 1), tv(1200, 2)],
      });
    });
  });

  it('always holds the last maxPoints points within maxAgeMs, oldest first, frozen (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 5_000 }),
        async (gaps, maxPoints, maxAgeMs) => {
          let t = 0;
          const points = gaps.map((g, i) => tv((t += g + 1), i));
          const windows = await lastValueFrom(
            from(points).pipe(rollingWindow({ maxPoints, maxAgeMs }), toArray()),
          );
          windows.forEach((w, i) => {
            const newest = points[i]!;
            const expected = points
              .slice(0, i + 1)
              .filter((p) => newest.time - p.time <= maxAgeMs)
              .slice(-maxPoints);
            expect(w).toEqual(expected);
            expect(Object.isFrozen(w)).toBe(true);
          });
        },
      ),
    );
  });

  it('validates its options', () => {
    expect(() => rollingWindow({ maxPoints: 0 })).toThrow(/options\.maxPoints/);
    expect(() => rollingWindow({ maxAgeMs: -1 })).toThrow(/options\.maxAgeMs/);
    expect(() => rollingWindow({ maxAgeMs: Number.NaN })).toThrow(RangeError);
    expect(() => rollingWindow({ size: 3 } as never)).toThrow(/Unknown option "size"/);
    expect(() => rollingWindow({ maxAgeMs: Infinity })).not.toThrow();
  });
});

describe('topSeries', () => {
  it('keeps the n largest by value, stable on ties, non-numbers last (marbles)', () => {
    const rows = [
      { k: 'a', v: 1 },
      { k: 'b', v: 5 },
      { k: 'c', v: Number.NaN },
      { k: 'd', v: 5 },
      { k: 'e', v: 3 },
    ];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('x-y|', { x: { time: 1, value: rows }, y: { time: 2, value: rows.slice(2) } });
      expectObservable(source.pipe(topSeries(3, (r) => r.v))).toBe('x-y|', {
        x: { time: 1, value: [rows[1], rows[3], rows[4]] },
        y: { time: 2, value: [rows[3], rows[4], rows[2]] },
      });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('validates its arguments', () => {
    expect(() => topSeries(0, () => 1)).toThrow(/`n`/);
    expect(() => topSeries(2, 'v' as never)).toThrow(/`by`/);
  });
});

describe('seriesRates', () => {
  const sample = (time: number, series: [string, number][]) => ({
    time,
    value: { series: series.map(([route, total]) => ({ labels: { route }, total })) },
  });

  it('gives each label set its rate, new series from zero, resets handled (marbles)', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', {
        a: sample(0, [['/a', 10]]),
        b: sample(1000, [
          ['/a', 20],
          ['/b', 4],
        ]),
        c: sample(3000, [
          ['/a', 2],
          ['/b', 8],
        ]),
      });
      const key = (route: string) => JSON.stringify([['route', route]]);
      expectObservable(source.pipe(seriesRates())).toBe('--b-c|', {
        b: {
          time: 1000,
          value: [
            { key: key('/a'), labels: { route: '/a' }, total: 20, rate: 10 },
            { key: key('/b'), labels: { route: '/b' }, total: 4, rate: 4 },
          ],
        },
        c: {
          time: 3000,
          value: [
            { key: key('/a'), labels: { route: '/a' }, total: 2, rate: 1 },
            { key: key('/b'), labels: { route: '/b' }, total: 8, rate: 2 },
          ],
        },
      });
    });
  });

  it('gives the same key to label sets whatever the order of their names', async () => {
    const rates = await lastValueFrom(
      from([
        { time: 0, value: { series: [{ labels: { a: '1', b: '2' }, total: 1 }] } },
        { time: 1000, value: { series: [{ labels: { b: '2', a: '1' }, total: 3 }] } },
      ]).pipe(seriesRates(), toArray()),
    );
    expect(rates[0]!.value[0]!.rate).toBe(2);
  });
});

describe('selectMetric', () => {
  const snap = (total: number): MetricSnapshot => ({ name: 'hits', kind: 'counter', dimensions: { total } });
  const update = (seq: number, recorders: SnapshotUpdate['recorders']): SnapshotUpdate => ({
    id: `s:${seq}`,
    stream: 's',
    seq,
    time: seq * 1000,
    replayed: false,
    recorders,
  });
  const reading = (recorderId: string, snapshots: Record<string, MetricSnapshot>) => ({
    recorderId,
    entityId: recorderId,
    namespace: 'n',
    state: undefined,
    stats: undefined,
    startTime: undefined,
    snapshots,
  });

  it('emits the metric of the recorder when an update has it (marbles)', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abc|', {
        a: update(1, [reading('api', { hits: snap(1) })]),
        b: update(2, [reading('other', { hits: snap(9) })]),
        c: update(3, [reading('other', {}), reading('api', { hits: snap(3), toString: snap(0) })]),
      });
      expectObservable(source.pipe(selectMetric('api', 'hits'))).toBe('a-c|', {
        a: { time: 1000, value: snap(1) },
        c: { time: 3000, value: snap(3) },
      });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('does not find inherited names', async () => {
    const out = await lastValueFrom(
      from([update(1, [reading('api', {})])]).pipe(selectMetric('api', 'toString'), toArray()),
    );
    expect(out).toEqual([]);
  });

  it('validates its arguments', () => {
    expect(() => selectMetric(1 as never, 'x')).toThrow(/`recorderId`/);
    expect(() => selectMetric('a', null as never)).toThrow(/`metricName`/);
  });
});
