import { map } from 'rxjs';
import { defineMetric, MetricsRecorder, type MetricEvent } from '../../lib/index';
import { createTestRecorder, createTestScheduler, dimensionsOf, reduceEvents } from '../../lib/testing/index';
// Internal on purpose.
import { deepEqual } from '../../lib/testing/deepEqual';

const counter = defineMetric({
  name: 'c',
  accepts: (e: MetricEvent): e is MetricEvent => e.type === 'a',
  init: () => ({ total: 0 }),
  reduce: (s: { total: number }) => ({ total: s.total + 1 }),
  dimensions: (s) => ({ total: s.total }),
});
const clock = defineMetric({
  name: 'clock',
  accepts: (_e: MetricEvent): _e is MetricEvent => true,
  init: () => ({ at: [] as number[] }),
  reduce: (s: { at: number[] }, _e, ctx) => ({ at: [...s.at, ctx.now] }),
  dimensions: (s) => ({ at: s.at }),
});

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

  it('uses the given assertion', () => {
    const seen: unknown[] = [];
    const scheduler = createTestScheduler((actual, expected) => seen.push(actual, expected));
    scheduler.run(({ cold, expectObservable }) => expectObservable(cold('a|')).toBe('a|'));
    expect(seen).toHaveLength(2);
  });
});

describe('deepEqual', () => {
  it.each([
    [1, 1, true],
    [Number.NaN, Number.NaN, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [[1, [2]], [1, [2]], true],
    [[1], { 0: 1 }, false],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [null, {}, false],
    ['1', 1, false],
  ])('deepEqual(%p, %p) = %p', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });
});

describe('dimensionsOf', () => {
  it('maps snapshots to their dimensions', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const snap = { name: 'c', kind: 'custom' as const, dimensions: { total: 1 } };
      expectObservable(cold('a|', { a: snap }).pipe(dimensionsOf())).toBe('d|', { d: { total: 1 } });
    });
  });
});

describe('createTestRecorder', () => {
  it('returns a virgin recorder on the scheduler with the metrics registered', () => {
    const scheduler = createTestScheduler();
    const recorder = createTestRecorder(scheduler, [counter, clock], { entityId: 'x', capacity: 5 });
    expect(recorder).toBeInstanceOf(MetricsRecorder);
    expect(recorder.entityId).toBe('x');
    expect(recorder.getStatus()).toBe('virgin');
    expect(recorder.iterMetrics()).toEqual([counter, clock]);
    expect(recorder.getStats().capacity).toBe(5);
    expect(createTestRecorder(scheduler, []).entityId).toBe('test');
  });

  it('pipes events$ in and processes on the test scheduler inside run (regression)', () => {
    const scheduler = createTestScheduler((a, e) => expect(a).toEqual(e));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events$ = cold('--a-a 5ms a|', { a: { type: 'a' } });
      const recorder = createTestRecorder(scheduler, [counter, clock], { events$ });
      expectObservable(recorder.snapshot$('c').pipe(dimensionsOf())).toBe('x-y-z 5ms w', {
        x: { total: 0 },
        y: { total: 1 },
        z: { total: 2 },
        w: { total: 3 },
      });
      expectObservable(recorder.snapshot$('clock').pipe(map((s) => s.dimensions['at']))).toBe('x-y-z 5ms w', {
        x: [],
        y: [2],
        z: [2, 4],
        w: [2, 4, 10],
      });
      expectSubscriptions(events$.subscriptions).toBe('^----- 5ms !');
    });
  });
});

describe('reduceEvents', () => {
  it('folds events through a metric synchronously, skipping unaccepted ones', () => {
    expect(reduceEvents(counter, [{ type: 'a' }, { type: 'b' }, { type: 'a' }])).toEqual({ total: 2 });
    expect(reduceEvents(counter, [])).toEqual({ total: 0 });
  });

  it('passes now as a constant or per index', () => {
    expect(reduceEvents(clock, [{ type: 'a' }, { type: 'a' }], 7)).toEqual({ at: [7, 7] });
    expect(reduceEvents(clock, [{ type: 'a' }, { type: 'a' }], (i) => i * 10)).toEqual({ at: [0, 10] });
  });
});
