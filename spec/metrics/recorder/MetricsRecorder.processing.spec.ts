import { TestScheduler } from 'rxjs/testing';
import { VirtualTimeScheduler } from 'rxjs';
import { defineMetric, MetricsRecorder, RecorderStopTimeoutError, type MetricEvent } from 'mvx-common';
import { collect, createTestScheduler } from 'mvx-common/testing';
import {
  count,
  countingMetric,
  deferred,
  expectInvariant,
  HookedRecorder,
  orderMetric,
  type TestEvent,
} from '../../helpers/recorderFixtures.js';
import { tick } from '../../helpers/wait.js';

describe('MetricsRecorder processing', () => {
  describe('dispatch', () => {
    it('is FIFO, and for each event visits metrics in registration order', async () => {
      const log: string[] = [];
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(orderMetric('a', log));
      recorder.registerMetric(orderMetric('b', log));
      for (let i = 0; i < 3; i++) recorder.emit(count(1, i));
      await recorder.flush();
      expect(log).toEqual(['a:0', 'b:0', 'a:1', 'b:1', 'a:2', 'b:2']);
    });

    it('a metric registered under an existing name replaces the old one and keeps its slot', () => {
      const recorder = new MetricsRecorder('r');
      const a1 = countingMetric('a');
      const b = countingMetric('b');
      const a2 = countingMetric('a');
      recorder.registerMetric(a1);
      recorder.registerMetric(b);
      recorder.registerMetric(a2);
      expect(recorder.iterMetrics()).toEqual([a2, b]);
      expect(recorder.iterMetrics()[0]).toBe(a2);
      expect(Object.keys(recorder.getMetricSnapshots())).toEqual(['a', 'b']);
    });

    it('an event a metric does not accept leaves it unchanged and produces no change', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      await recorder.start();
      recorder.emit({ type: 'other' });
      await recorder.flush();
      expect(recorder.changes).toEqual([]);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 0 });
      expect(recorder.getStats()).toMatchObject({ processed: 1, pending: 0 });
    });

    it('reduce returning the same state is not a change', async () => {
      const same = defineMetric({
        name: 'same',
        accepts: (_e: MetricEvent): _e is MetricEvent => true,
        init: () => ({ v: 1 }),
        reduce: (s) => s,
        dimensions: (s) => s,
      });
      const recorder = new HookedRecorder();
      recorder.registerMetric(same);
      await recorder.start();
      const snaps = collect(recorder.snapshots$);
      recorder.emit({ type: 'x' } as never);
      await recorder.flush();
      expect(recorder.changes).toEqual([]);
      expect(snaps.values).toHaveLength(1);
    });

    it('ctx.now comes from the scheduler, read once per batch', async () => {
      const scheduler = new TestScheduler(() => undefined);
      const nows: number[] = [];
      const timed = defineMetric({
        name: 't',
        accepts: (_e: MetricEvent): _e is MetricEvent => true,
        init: () => 0,
        reduce: (s: number, _e, ctx) => {
          nows.push(ctx.now);
          return s + 1;
        },
        dimensions: (s) => ({ s }),
      });
      const recorder = new MetricsRecorder('r', { scheduler });
      recorder.registerMetric(timed);
      await recorder.start();
      scheduler.schedule(() => {
        recorder.emit({ type: 'a' });
        recorder.emit({ type: 'b' });
      }, 30);
      scheduler.flush();
      expect(nows).toEqual([30, 30]);
    });
  });

  describe('read-your-writes', () => {
    it('while running, a getter drains everything pending and publishes before returning', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r', { scheduler: createTestScheduler() });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      const snaps = collect(recorder.snapshot$('test.metric'));
      const stats = collect(recorder.stats$);
      recorder.emit(count(2));
      recorder.emit(count(3));
      expect(recorder.getStats().pending).toBe(2);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 5 });
      expect(snaps.last?.dimensions).toEqual({ total: 5 });
      expect(stats.last).toMatchObject({ processed: 2, pending: 0 });
      recorder.emit(count(1));
      expect(recorder.getMetricSnapshots()['test.metric']!.dimensions).toEqual({ total: 6 });
    });

    it('while stopping, a getter drains too', async () => {
      const recorder = new HookedRecorder('h', { scheduler: createTestScheduler() });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      const gate = deferred();
      recorder.startGate = undefined;
      recorder.stopGate = gate.promise;
      recorder.emit(count());
      const stopping = recorder.stop();
      expect(recorder.getStatus()).toBe('stopping');
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 });
      gate.resolve();
      await stopping;
    });

    it('while virgin or starting, a getter shows only what was processed', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      const gate = deferred();
      recorder.startGate = gate.promise;
      recorder.emit(count());
      expect(recorder.getStatus()).toBe('starting');
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 0 });
      expect(recorder.getStats().pending).toBe(1);
      gate.resolve();
      await recorder.flush();
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 });
    });

    it('getMetricSnapshot returns undefined for an unknown name', () => {
      expect(new MetricsRecorder('r').getMetricSnapshot('nope')).toBeUndefined();
    });

    it('snapshots are frozen and never mutated once handed out', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(countingMetric());
      const before = recorder.getMetricSnapshots();
      recorder.emit(count());
      const after = recorder.getMetricSnapshots();
      expect(Object.isFrozen(before)).toBe(true);
      expect(Object.isFrozen(after['test.metric'])).toBe(true);
      expect(before['test.metric']!.dimensions).toEqual({ total: 0 });
      expect(after['test.metric']!.dimensions).toEqual({ total: 1 });
    });
  });

  describe('stop drains', () => {
    it('every event accepted before stop() is processed before stopped', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(countingMetric());
      await recorder.start();
      for (let i = 0; i < 10; i++) recorder.emit(count());
      const result = await recorder.stop();
      expect(result.success).toBe(true);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 10 });
      expect(recorder.getStats()).toMatchObject({ processed: 10, pending: 0 });
    });

    it('events accepted just before stop() all reach onMetricChanged before stopped', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      await recorder.start();
      for (let i = 0; i < 3; i++) recorder.emit(count());
      await recorder.stop();
      expect(recorder.changes).toHaveLength(3);
      expect(recorder.getStatus()).toBe('stopped');
    });

    it('an onStopped that hangs ends in RecorderStopTimeoutError, state failure, nothing hangs', async () => {
      const recorder = new HookedRecorder('h', { stopTimeoutMs: 50 });
      await recorder.start();
      recorder.stopGate = new Promise(() => undefined); // never resolves
      const errors = collect(recorder.errors$);
      const result = await recorder.stop();
      expect(result.success).toBe(false);
      expect(result.error).toBeInstanceOf(RecorderStopTimeoutError);
      expect((result.error as RecorderStopTimeoutError).timeoutMs).toBe(50);
      expect(recorder.getStatus()).toBe('failure');
      expect(errors.values).toContain(result.error);
    });

    it('on timeout, events still pending stay counted as pending', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r', {
        stopTimeoutMs: 0,
        scheduler: createTestScheduler(),
      });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      for (let i = 0; i < 4; i++) recorder.emit(count());
      const result = await recorder.stop();
      expect(result.error).toBeInstanceOf(RecorderStopTimeoutError);
      expect(recorder.getStatus()).toBe('failure');
      expect(recorder.getStats()).toMatchObject({ pending: 4, processed: 0 });
      expectInvariant(recorder);
      await expect(recorder.flush()).resolves.toBeUndefined();
    });
  });

  describe('injected schedulers', () => {
    it.each([
      ['TestScheduler', () => new TestScheduler(() => undefined)],
      ['VirtualTimeScheduler', () => new VirtualTimeScheduler()],
    ])('on a never-flushed %s the recorder still starts and stops, and stop drains', async (_n, make) => {
      const recorder = new HookedRecorder('v', { scheduler: make() });
      recorder.registerMetric(countingMetric());
      await expect(recorder.start()).resolves.toMatchObject({ success: true });
      for (let i = 0; i < 5; i++) recorder.emit(count());
      expect(recorder.getStats().pending).toBe(5);
      await expect(recorder.stop()).resolves.toMatchObject({ success: true });
      expect(recorder.getStats()).toMatchObject({ processed: 5, pending: 0 });
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 5 });
    });

    it('with a TestScheduler, processing happens only when the scheduler runs', async () => {
      const scheduler = new TestScheduler(() => undefined);
      const recorder = new MetricsRecorder<TestEvent>('r', { scheduler });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      recorder.emit(count());
      const stats = recorder.getStats();
      expect(stats.pending).toBe(1);
      scheduler.flush();
      expect(recorder.getStats()).toMatchObject({ pending: 0, processed: 1 });
    });
  });

  describe('flush', () => {
    it('resolves after every event accepted before the call is processed', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r', { scheduler: createTestScheduler() });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      for (let i = 0; i < 7; i++) recorder.emit(count());
      await recorder.flush();
      expect(recorder.getStats()).toMatchObject({ processed: 7, pending: 0 });
    });

    it('waits for an in-flight start, then processes', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      const gate = deferred();
      recorder.startGate = gate.promise;
      recorder.emit(count());
      let done = false;
      const flushed = recorder.flush().then(() => (done = true));
      await tick();
      expect(done).toBe(false);
      gate.resolve();
      await flushed;
      expect(recorder.getStats().processed).toBe(1);
    });

    it('resolves at once when virgin, stopped, failed or disposed', async () => {
      const recorder = new HookedRecorder();
      await expect(recorder.flush()).resolves.toBeUndefined();
      await recorder.start();
      await recorder.stop();
      await expect(recorder.flush()).resolves.toBeUndefined();
      const failed = new HookedRecorder();
      failed.startError = new Error('x');
      failed.emit(count());
      await expect(failed.flush()).resolves.toBeUndefined();
      expect(failed.getStatus()).toBe('failure');
      expect(failed.getStats().pending).toBe(1);
      await recorder.dispose();
      await expect(recorder.flush()).resolves.toBeUndefined();
    });

    it('resolves when the recorder becomes failed while flushing', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      const gate = deferred();
      recorder.startGate = gate.promise;
      recorder.startError = new Error('late');
      recorder.emit(count());
      const flushed = recorder.flush();
      gate.resolve();
      await expect(flushed).resolves.toBeUndefined();
      expect(recorder.getStatus()).toBe('failure');
    });
  });

  describe('default drain scheduling', () => {
    it('runs the first batch on a microtask', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(countingMetric());
      await recorder.start();
      recorder.emit(count());
      expect(recorder.getStats().processed).toBe(0);
      await Promise.resolve();
      expect(recorder.getStats().processed).toBe(1);
    });

    it('processes a flood of 100,000 events across several batches and macrotasks without losing any', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r', { capacity: 200_000 });
      recorder.registerMetric(countingMetric());
      await recorder.start();
      const snapshots = collect(recorder.snapshots$);
      for (let i = 0; i < 100_000; i++) recorder.emit(count());
      let processedAtFirstMacrotask = -1;
      setImmediate(() => (processedAtFirstMacrotask = recorder.getStats().processed));
      while (recorder.getStats().pending > 0) await tick();
      expect(processedAtFirstMacrotask).toBeGreaterThan(0);
      expect(processedAtFirstMacrotask).toBeLessThan(100_000);
      expect(snapshots.values.length).toBeGreaterThan(2);
      expect(recorder.getStats()).toMatchObject({ processed: 100_000, dropped: 0, pending: 0 });
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 100_000 });
    });

    it('a producer emitting bursts of 5,000 events per event-loop turn loses nothing with the default capacity', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(countingMetric());
      await recorder.start();
      for (let turn = 0; turn < 40; turn++) {
        for (let i = 0; i < 5_000; i++) recorder.emit(count());
        await tick();
      }
      await recorder.flush();
      expect(recorder.getStats()).toMatchObject({ offered: 200_000, processed: 200_000, dropped: 0 });
    });
  });
});
