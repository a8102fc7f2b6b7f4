/**
 * Time-aware metrics through a running recorder on a TestScheduler: time moves snapshots without
 * events (a rate decays to 0, a window empties, idle series expire), and metrics without time cost no
 * timers.
 */
import { map, skip } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  counter,
  defineMetric,
  histogram,
  MetricsRecorder,
  quantiles,
  rate,
  type MetricEvent,
} from 'mvx-common';

const req: MetricEvent = { type: 'req' };

// `skip(1)`: `snapshot$` first replays the snapshot the metric was registered with.
describe('MetricsRecorder: time-aware metrics', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('a rate decays to 0 when events stop (marbles)', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const recorder = new MetricsRecorder('rps', { scheduler });
      recorder.registerMetric(rate({ name: 'rps', on: 'req', windowMs: 100, resolutionMs: 50 }));
      // a at 0, b at 10 (both in bucket 0); the window of 100 ms (2 buckets of 50 ms) keeps bucket 0
      // until 100 ms: then the rate drops to 0 and nothing more is scheduled.
      const events = hot('   a 9ms b|', { a: req, b: req });
      const expected = '     a 9ms b 89ms z';
      const subs = '         ^ 9ms -!';
      events.subscribe(recorder.emitter);
      const inWindow = recorder.snapshot$('rps').pipe(
        skip(1),
        map((s) => s.dimensions['in_window']),
      );
      expectObservable(inWindow).toBe(expected, { a: 1, b: 2, z: 0 });
      expectSubscriptions(events.subscriptions).toBe(subs);
    });
  });

  it('a histogram window and a quantiles window empty after windowMs; cumulative values stay', () => {
    scheduler.run(({ hot, expectObservable, flush }) => {
      const recorder = new MetricsRecorder('lat', { scheduler });
      const h = histogram({ name: 'h', on: 'req', value: 'ms', buckets: [10], windowMs: 60, subWindows: 3 });
      const q = quantiles({ name: 'q', on: 'req', value: 'ms', windowMs: 60, subWindows: 3 });
      recorder.registerMetric(h);
      recorder.registerMetric(q);
      // Sub-windows of 20 ms: a in [0, 20) leaves at 60; b in [20, 40) leaves at 80.
      const events = hot('   a 29ms b', { a: { type: 'req', ms: 5 }, b: { type: 'req', ms: 50 } });
      const expected = '     a 29ms b 29ms c 19ms d';
      events.subscribe(recorder.emitter);
      const histogramCounts = recorder.snapshot$(h).pipe(
        skip(1),
        map((s) => [s.dimensions.window?.count, s.dimensions.count]),
      );
      const windowP50 = recorder.snapshot$(q).pipe(
        skip(1),
        map((s) => {
          const p50 = s.dimensions.window?.p50;
          return p50 === null || p50 === undefined ? null : Math.round(p50);
        }),
      );
      expectObservable(histogramCounts).toBe(expected, { a: [1, 1], b: [2, 2], c: [1, 2], d: [0, 2] });
      expectObservable(windowP50).toBe(expected, { a: 5, b: 5, c: 50, d: null });
      flush();
      expect(recorder.getMetricSnapshot(q)!.dimensions.count).toBe(2);
    });
  });

  it('idle series expire (ttlMs) and are counted in evicted', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const recorder = new MetricsRecorder('ttl', { scheduler });
      const c = counter({ name: 'c', on: 'req', by: ['user'], ttlMs: 100 });
      recorder.registerMetric(c);
      const events = hot('   a 49ms b', { a: { type: 'req', user: 'ann' }, b: { type: 'req', user: 'bob' } });
      const expected = '     a 49ms b 49ms c 49ms d';
      events.subscribe(recorder.emitter);
      const users = recorder.snapshot$(c).pipe(
        skip(1),
        map((s) => `${s.dimensions.series.map((x) => x.labels['user']).join('+')}/${s.dimensions.evicted}`),
      );
      expectObservable(users).toBe(expected, { a: 'ann/0', b: 'ann+bob/0', c: 'bob/1', d: '/2' });
    });
  });

  it('a custom time-aware metric is refreshed when it asks, and a throwing refresh is isolated', () => {
    scheduler.run(({ hot, flush }) => {
      const recorder = new MetricsRecorder('custom', { scheduler });
      const errors: Error[] = [];
      recorder.errors$.subscribe((e) => errors.push(e));
      const ticks = defineMetric({
        name: 'ticks',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'req',
        init: () => ({ at: 0, refreshed: 0 }),
        reduce: (s, _e, ctx) => ({ ...s, at: ctx.now }),
        refresh: (s, ctx) => {
          if (ctx.now > 50) throw new Error('late refresh');
          return { ...s, refreshed: s.refreshed + 1 };
        },
        nextRefresh: (s) => (s.refreshed < 3 ? s.at + 20 * (s.refreshed + 1) : undefined),
        dimensions: (s) => s,
      });
      recorder.registerMetric(ticks);
      hot('a', { a: req }).subscribe(recorder.emitter);
      flush();
      expect(recorder.getMetricSnapshot('ticks')!.dimensions).toEqual({ at: 0, refreshed: 2 });
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('late refresh')]);
      expect(recorder.getStats().metricErrors).toBe(1);
    });
  });

  it('schedules nothing for metrics without time, and stops refreshing once stopped', async () => {
    const recorder = new MetricsRecorder('plain', { scheduler: new TestScheduler(() => undefined) });
    recorder.registerMetric(counter({ name: 'c', on: 'req' }));
    const s = recorder as unknown as { scheduler: { refreshDue: number | undefined } };
    recorder.emit(req);
    expect(s.scheduler.refreshDue).toBeUndefined();
    const timed = new MetricsRecorder('timed');
    timed.registerMetric(rate({ name: 'r', on: 'req', windowMs: 60_000 }));
    timed.emit(req);
    timed.getMetricSnapshots();
    expect((timed as unknown as typeof s).scheduler.refreshDue).toBeGreaterThan(Date.now());
    await timed.stop();
    expect((timed as unknown as typeof s).scheduler.refreshDue).toBeUndefined();
  });
});
