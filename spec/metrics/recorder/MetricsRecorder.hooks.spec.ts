import { MetricsRecorder, RecorderHookError } from 'mvx-common';
import { collect } from 'mvx-common/testing';
import {
  count,
  countingMetric,
  HookedRecorder,
  other,
  type TestEvent,
} from '../../helpers/recorderFixtures.js';

describe('MetricsRecorder hooks', () => {
  it('the base hooks are no-ops: an unsubclassed recorder starts, processes and stops', async () => {
    const recorder = new MetricsRecorder<TestEvent>('plain');
    recorder.registerMetric(countingMetric());
    expect((await recorder.start()).success).toBe(true);
    recorder.emit(count());
    expect((await recorder.stop()).success).toBe(true);
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 });
  });

  it('onStarting runs on every start, onStopped on every stop', async () => {
    const recorder = new HookedRecorder();
    for (let i = 0; i < 3; i++) {
      await recorder.start();
      await recorder.stop();
    }
    expect([recorder.startingCalls, recorder.stoppedCalls]).toEqual([3, 3]);
  });

  it('onMetricChanged receives exactly the metric, the event and the snapshot after it', async () => {
    const recorder = new HookedRecorder();
    const metric = countingMetric();
    recorder.registerMetric(metric);
    await recorder.start();
    const event = count(4);
    recorder.emit(event);
    recorder.emit(other);
    await recorder.flush();
    expect(recorder.changes).toHaveLength(1);
    const change = recorder.changes[0]!;
    expect(change.metric).toBe(metric);
    expect(change.event).toBe(event);
    expect(change.snapshot.dimensions).toEqual({ total: 4 });
  });

  it('onMetricChanged runs synchronously inside the batch, before the snapshot is published', async () => {
    const recorder = new HookedRecorder();
    recorder.registerMetric(countingMetric());
    await recorder.start();
    const published = collect(recorder.snapshots$);
    const publishedAtHook: number[] = [];
    recorder.changeError = () => {
      publishedAtHook.push(published.values.length);
      return undefined;
    };
    recorder.emit(count());
    recorder.emit(count());
    await recorder.flush();
    expect(publishedAtHook).toEqual([1, 1]);
    expect(published.values).toHaveLength(2);
  });

  it('after a fail-recorder failure, a failing onStopped cleanup is reported, never thrown', async () => {
    const recorder = new HookedRecorder('h', { metricErrors: 'fail-recorder' });
    recorder.registerMetric(countingMetric('bad', { throwWhen: () => true }));
    recorder.stopError = new Error('cleanup failed');
    const errors = collect(recorder.errors$);
    await recorder.start();
    recorder.emit(count());
    await recorder.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorder.getStatus()).toBe('failure');
    expect(recorder.stoppedCalls).toBe(1);
    const hookErrors = errors.values.filter((e) => e instanceof RecorderHookError) as RecorderHookError[];
    expect(hookErrors).toHaveLength(1);
    expect(hookErrors[0]!.phase).toBe('stopped');
    expect((hookErrors[0]!.cause as Error).message).toBe('cleanup failed');
  });
});

describe('MetricsRecorder startTimeoutMs', () => {
  it('fails a start whose onStarting never settles, instead of hanging', async () => {
    class Hanging extends MetricsRecorder {
      protected override onStarting(): Promise<void> {
        return new Promise<void>(() => undefined);
      }
    }
    const recorder = new Hanging('hangs', { startTimeoutMs: 30 });
    recorder.emit({ type: 'x' });
    const result = await recorder.start();
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(RecorderHookError);
    expect(result.error).toMatchObject({ phase: 'starting', code: 'ON_STARTING_HOOK_FAILED' });
    expect((result.error?.cause as Error).message).toBe('onStarting did not settle within 30 ms');
    expect(recorder.getStatus()).toBe('failure');
    expect(recorder.getStats()).toMatchObject({ pending: 1, processed: 0 });
    await recorder.dispose();
    expect(recorder.getStatus()).toBe('disposed');
  });

  it('rejects a bad startTimeoutMs, naming the option', () => {
    expect(() => new MetricsRecorder('x', { startTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => new MetricsRecorder('x', { startTimeoutMs: -1 })).toThrow(/options\.startTimeoutMs/);
  });
});
