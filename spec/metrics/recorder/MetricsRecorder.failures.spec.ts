import { defineMetric, MetricFailedError, MetricsRecorder, type MetricEvent } from 'mvx-common';
import { collect } from 'mvx-common/testing';
import {
  count,
  countingMetric,
  expectInvariant,
  HookedRecorder,
  type CountEvent,
  type TestEvent,
} from '../../helpers/recorderFixtures.js';

const failOnValue = (v: number) => (e: CountEvent) => e.value === v;

describe('MetricsRecorder metric failures', () => {
  describe("metricErrors: 'isolate' (default)", () => {
    it('a throwing metric keeps its last good state and keeps receiving; others are unaffected', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      recorder.registerMetric(countingMetric('bad', { throwWhen: failOnValue(2) }));
      recorder.registerMetric(countingMetric('good'));
      const errors = collect(recorder.errors$);
      await recorder.start();
      recorder.emit(count(1));
      recorder.emit(count(2));
      expect(recorder.getMetricSnapshot('bad')?.dimensions).toEqual({ total: 1 });
      recorder.emit(count(3));
      expect(recorder.getMetricSnapshot('bad')?.dimensions).toEqual({ total: 4 });
      expect(recorder.getMetricSnapshot('good')?.dimensions).toEqual({ total: 6 });
      expect(recorder.getStatus()).toBe('running');
      expect(recorder.getStats()).toMatchObject({ metricErrors: 1, processed: 3, pending: 0 });
      expect(errors.values).toHaveLength(1);
      const error = errors.values[0] as MetricFailedError;
      expect(error).toBeInstanceOf(MetricFailedError);
      expect(error.metricName).toBe('bad');
      expect(error.code).toBe('METRIC_FAILED');
      expect(error.message).toContain("'bad'");
      expect((error.cause as Error).message).toBe('boom in bad');
      expectInvariant(recorder);
    });

    it('counts failures of accepts and dimensions too; a failing dimensions keeps the last good snapshot', async () => {
      let failDims = false;
      const flaky = defineMetric({
        name: 'flaky',
        accepts: (e: MetricEvent): e is MetricEvent => {
          if (e.type === 'poison') throw new Error('accepts');
          return true;
        },
        init: () => ({ n: 0 }),
        reduce: (s: { n: number }) => ({ n: s.n + 1 }),
        dimensions: (s) => {
          if (failDims) throw new Error('dims');
          return { n: s.n };
        },
      });
      const recorder = new MetricsRecorder('r');
      recorder.registerMetric(flaky);
      await recorder.start();
      recorder.emit({ type: 'poison' });
      recorder.emit({ type: 'ok' });
      expect(recorder.getMetricSnapshot('flaky')?.dimensions).toEqual({ n: 1 });
      failDims = true;
      recorder.emit({ type: 'ok' });
      expect(recorder.getMetricSnapshot('flaky')?.dimensions).toEqual({ n: 1 });
      expect(recorder.getStats().metricErrors).toBe(2);
      failDims = false;
      recorder.emit({ type: 'ok' });
      expect(recorder.getMetricSnapshot('flaky')?.dimensions).toEqual({ n: 3 });
    });

    it('a throwing onMetricChanged is counted and reported naming the metric; processing goes on', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric('a'));
      recorder.registerMetric(countingMetric('b'));
      recorder.changeError = (c) => (c.metric.name === 'a' ? new Error('hook') : undefined);
      const errors = collect(recorder.errors$);
      await recorder.start();
      recorder.emit(count());
      recorder.emit(count());
      await recorder.flush();
      expect(recorder.getStatus()).toBe('running');
      expect(recorder.getStats().metricErrors).toBe(2);
      expect(errors.values.map((e) => (e as MetricFailedError).metricName)).toEqual(['a', 'a']);
      expect(recorder.getMetricSnapshot('b')?.dimensions).toEqual({ total: 2 });
      expect(recorder.changes.map((c) => c.metric.name)).toEqual(['a', 'b', 'a', 'b']);
    });

    it('registerMetric throws MetricFailedError when init throws, and does not register it', () => {
      const recorder = new MetricsRecorder('r');
      const broken = defineMetric({
        name: 'broken',
        accepts: (_e: MetricEvent): _e is MetricEvent => true,
        init: () => {
          throw new Error('init');
        },
        reduce: (s) => s,
        dimensions: () => ({}),
      });
      expect(() => recorder.registerMetric(broken)).toThrow(MetricFailedError);
      expect(recorder.iterMetrics()).toEqual([]);
    });
  });

  describe("metricErrors: 'fail-recorder'", () => {
    it('the first failure moves the recorder to failure; onStopped runs as cleanup; queued events stay pending', async () => {
      const recorder = new HookedRecorder('h', { metricErrors: 'fail-recorder' });
      const seen: unknown[] = [];
      recorder.registerMetric(countingMetric('bad', { throwWhen: failOnValue(2), seen }));
      recorder.registerMetric(countingMetric('after'));
      const errors = collect(recorder.errors$);
      await recorder.start();
      recorder.emit(count(1));
      recorder.emit(count(2));
      recorder.emit(count(3));
      recorder.emit(count(4));
      await recorder.flush();
      expect(recorder.getStatus()).toBe('failure');
      expect(seen).toHaveLength(2);
      // the failing event is not offered to later metrics
      expect(recorder.getMetricSnapshot('after')?.dimensions).toEqual({ total: 1 });
      expect(recorder.getStats()).toMatchObject({ processed: 2, pending: 2, metricErrors: 1 });
      expectInvariant(recorder);
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorder.stoppedCalls).toBe(1);
      expect(errors.values[0]).toBeInstanceOf(MetricFailedError);
      const start = await recorder.start();
      expect(start.success).toBe(false);
      expect(start.error?.cause).toBe(errors.values[0]);
    });

    it('a throwing onMetricChanged fails the recorder too', async () => {
      const recorder = new HookedRecorder('h', { metricErrors: 'fail-recorder' });
      recorder.registerMetric(countingMetric());
      recorder.changeError = () => new Error('hook');
      await recorder.start();
      recorder.emit(count());
      await recorder.flush();
      expect(recorder.getStatus()).toBe('failure');
      expect(recorder.getStats().metricErrors).toBe(1);
    });

    it('a failure while stopping ends the stop with the metric error', async () => {
      const recorder = new HookedRecorder('h', { metricErrors: 'fail-recorder' });
      recorder.registerMetric(countingMetric('bad', { throwWhen: () => true }));
      await recorder.start();
      recorder.emit(count());
      const result = await recorder.stop();
      expect(result.success).toBe(false);
      expect(result.error).toBeInstanceOf(MetricFailedError);
      expect(recorder.getStatus()).toBe('failure');
    });
  });
});
