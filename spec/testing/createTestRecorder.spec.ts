import { map, Subject } from 'rxjs';
import { defineMetric, MetricsRecorder, type MetricEvent } from 'mvx-common';
import { createTestRecorder, createTestScheduler, dimensionsOf } from 'mvx-common/testing';

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

  it('pipes events$ in and processes on the test scheduler inside run', () => {
    const scheduler = createTestScheduler((a, e) => expect(a).toEqual(e));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events$ = cold('  --a-a 5ms a|', { a: { type: 'a' } });
      const expected = '      x-y-z 5ms w';
      const subs = '          ^----- 5ms !';
      const recorder = createTestRecorder(scheduler, [counter, clock], { events$ });
      expectObservable(recorder.snapshot$('c').pipe(dimensionsOf())).toBe(expected, {
        x: { total: 0 },
        y: { total: 1 },
        z: { total: 2 },
        w: { total: 3 },
      });
      expectObservable(recorder.snapshot$('clock').pipe(map((s) => s.dimensions['at']))).toBe(expected, {
        x: [],
        y: [2],
        z: [2, 4],
        w: [2, 4, 10],
      });
      expectSubscriptions(events$.subscriptions).toBe(subs);
    });
  });

  it('a hot events$ is subscribed from creation, and stays subscribed while the recorder is not disposed', () => {
    const scheduler = createTestScheduler((a, e) => expect(a).toEqual(e));
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const events$ = hot('   -a-a-a-a', { a: { type: 'a' } });
      const expected = '      xy-z-w-v';
      const subs = '          ^-------';
      const recorder = createTestRecorder(scheduler, [counter], { events$ });
      expectObservable(recorder.snapshot$('c').pipe(dimensionsOf())).toBe(expected, {
        x: { total: 0 },
        y: { total: 1 },
        z: { total: 2 },
        w: { total: 3 },
        v: { total: 4 },
      });
      expectSubscriptions(events$.subscriptions).toBe(subs);
    });
  });

  it('lets events$ go when the recorder is disposed (a hot source is not leaked)', async () => {
    const events$ = new Subject<MetricEvent>();
    const recorder = createTestRecorder(createTestScheduler(), [counter], { events$ });
    expect(events$.observed).toBe(true);
    await recorder.stop();
    expect(events$.observed).toBe(true); // a stopped recorder may start again
    await recorder.dispose();
    expect(events$.observed).toBe(false);
  });
});
