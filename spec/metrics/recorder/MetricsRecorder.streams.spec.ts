import { map } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  defineMetric,
  MetricsRecorder,
  type AnyMetric,
  type MetricEvent,
  type MetricSnapshot,
} from 'mvx-common';
import { collect, createTestRecorder, createTestScheduler } from 'mvx-common/testing';
import { count, countingMetric, type TestEvent } from '../../helpers/recorderFixtures.js';

interface Outcome extends MetricEvent {
  readonly type: 'save';
  readonly outcome: 'success' | 'failure';
}
const outcomes = defineMetric({
  name: 'saves',
  kind: 'counter',
  accepts: (e: MetricEvent): e is Outcome => e.type === 'save',
  init: () => ({ total: 0, success: 0, failure: 0 }),
  reduce: (s, e: Outcome) => ({ ...s, total: s.total + 1, [e.outcome]: s[e.outcome] + 1 }),
  dimensions: (s) => s,
});
const ok: Outcome = { type: 'save', outcome: 'success' };
const ko: Outcome = { type: 'save', outcome: 'failure' };

const totalOf = (name: string) =>
  map((all: { [k: string]: MetricSnapshot }) => all[name]!.dimensions['total']);

describe('MetricsRecorder streams', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** A running recorder on the test scheduler (no onStarting hook: running synchronously). */
  function running(metrics: AnyMetric[] = [countingMetric('c')]) {
    const recorder = createTestRecorder<TestEvent | Outcome>(scheduler, metrics);
    void recorder.start();
    return recorder;
  }

  describe('snapshots$', () => {
    it('replays the latest map and emits once per batch, never once per event', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const recorder = running();
        const events = hot('   --(abc)--d--|', { a: count(), b: count(), c: count(), d: count() });
        const expected = '     x-y------z';
        const subs = '         ^-----------!';
        events.subscribe(recorder.emitter);
        expectObservable(recorder.snapshots$.pipe(totalOf('c'))).toBe(expected, { x: 0, y: 3, z: 4 });
        expectSubscriptions(events.subscriptions).toBe(subs);
      });
    });

    it('a late subscriber gets the latest value; unsubscribing early stops delivery', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const recorder = running();
        const events = hot('   -a-b-c|', { a: count(), b: count(), c: count() });
        const unsub = '        --^-!';
        const expected = '     --xy';
        const subs = '         ^-----!';
        events.subscribe(recorder.emitter);
        expectObservable(recorder.snapshots$.pipe(totalOf('c')), unsub).toBe(expected, { x: 1, y: 2 });
        expectSubscriptions(events.subscriptions).toBe(subs);
      });
    });
  });

  describe('stats$', () => {
    it('replays the latest stats and emits once per batch', () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const recorder = running();
        const events = hot('   --(ab)--c|', { a: count(), b: count(), c: count() });
        const expected = '     x-y-----z';
        const subs = '         ^--------!';
        events.subscribe(recorder.emitter);
        const progress = recorder.stats$.pipe(map((s) => `${s.processed}/${s.pending}`));
        expectObservable(progress).toBe(expected, { x: '0/0', y: '2/0', z: '3/0' });
        expectSubscriptions(events.subscriptions).toBe(subs);
      });
    });

    it('emits on state changes', async () => {
      const recorder = new MetricsRecorder('r');
      const stats = collect(recorder.stats$);
      await recorder.start();
      await recorder.stop();
      expect(stats.values).toHaveLength(5); // initial + starting, running, stopping, stopped
    });

    it('publishes refusals (once per turn, not once per refusal)', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const recorder = running();
        const events = hot('   --(abc)', { a: null, b: null, c: { type: '' } });
        const expected = '     x-y';
        events.subscribe(recorder.emitter as never);
        expectObservable(recorder.stats$.pipe(map((s) => s.rejected))).toBe(expected, { x: 0, y: 3 });
      });
    });
  });

  describe('snapshot$(name)', () => {
    it('replays and emits only when that metric changes', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const recorder = running([countingMetric('c'), outcomes]);
        const events = hot('   --a--s--a--s', { a: count(), s: ok });
        const savesExpected = 'x----y-----z';
        const cExpected = '    x-y-----z';
        events.subscribe(recorder.emitter);
        const totalOfMetric = (name: string) =>
          recorder.snapshot$(name).pipe(map((s) => s.dimensions['total']));
        expectObservable(totalOfMetric('saves')).toBe(savesExpected, { x: 0, y: 1, z: 2 });
        expectObservable(totalOfMetric('c')).toBe(cExpected, { x: 0, y: 1, z: 2 });
      });
    });

    it('emits nothing until the metric is registered', () => {
      const recorder = new MetricsRecorder('r');
      const seen = collect(recorder.snapshot$('later'));
      expect(seen.values).toEqual([]);
      recorder.registerMetric(countingMetric('later'));
      expect(seen.values.map((s) => s.dimensions)).toEqual([{ total: 0 }]);
    });
  });

  describe('state$', () => {
    it('replays the current state to a new subscriber', async () => {
      const recorder = new MetricsRecorder('r');
      await recorder.start();
      expect(collect(recorder.state$).values).toEqual(['running']);
    });
  });

  describe('changes$', () => {
    it('is hot: a subscriber sees only changes after it subscribed', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const recorder = running();
        const events = hot('   -a-b-c', { a: count(), b: count(), c: count() });
        const sub = '          --^';
        const expected = '     ---y-z';
        events.subscribe(recorder.emitter);
        const totals = recorder.changes$.pipe(map((c) => c.snapshot.dimensions['total']));
        expectObservable(totals, sub).toBe(expected, { y: 2, z: 3 });
      });
    });

    it('carries metric, event and a progressive snapshot, even when read after the batch', async () => {
      const recorder = new MetricsRecorder<Outcome>('r');
      recorder.registerMetric(outcomes);
      await recorder.start();
      const changes = collect(recorder.changes$);
      recorder.emit(ok);
      recorder.emit(ok);
      recorder.emit(ko);
      await recorder.flush();
      expect(changes.values.map((c) => c.snapshot.dimensions)).toEqual([
        { total: 1, success: 1, failure: 0 },
        { total: 2, success: 2, failure: 0 },
        { total: 3, success: 2, failure: 1 },
      ]);
      expect(changes.values[2]!.metric).toBe(outcomes);
      expect(changes.values[2]!.event).toBe(ko);
    });
  });

  describe('errors$', () => {
    it('is hot: earlier errors are not replayed', async () => {
      const recorder = new MetricsRecorder('r');
      recorder.emit(null as never);
      const errors = collect(recorder.errors$);
      expect(errors.values).toEqual([]);
      recorder.emit(null as never);
      expect(errors.values).toHaveLength(1);
    });
  });

  describe('events$', () => {
    it('delivers accepted events on the processing side, not refused ones', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const recorder = running();
        const a = count(1);
        const b = { type: 'other' } as const;
        const events = hot('   -a-x-b', { a, b, x: null as never });
        const expected = '     -a---b';
        events.subscribe(recorder.emitter);
        expectObservable(recorder.events$).toBe(expected, { a, b });
      });
    });
  });

  describe('dispose', () => {
    it('completes every stream', async () => {
      const recorder = new MetricsRecorder('r');
      recorder.registerMetric(countingMetric('c'));
      const streams = [
        recorder.state$,
        recorder.snapshots$,
        recorder.snapshot$('c'),
        recorder.stats$,
        recorder.changes$,
        recorder.errors$,
        recorder.events$,
      ].map((s) => collect<unknown>(s));
      await recorder.dispose();
      for (const s of streams) expect(s.completed).toBe(true);
      expect(collect(recorder.state$).completed).toBe(true);
    });
  });
});
