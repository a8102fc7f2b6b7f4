import { MetricsRecorder, RecorderInvalidStateError } from 'mvx-common';
import {
  count,
  countingMetric,
  deferred,
  HookedRecorder,
  type TestEvent,
} from '../../helpers/recorderFixtures.js';

describe('MetricsRecorder dispose', () => {
  it('stops a running recorder first (draining), then ends disposed', async () => {
    const recorder = new HookedRecorder();
    recorder.registerMetric(countingMetric());
    await recorder.start();
    recorder.emit(count());
    recorder.emit(count());
    await recorder.dispose();
    expect(recorder.getStatus()).toBe('disposed');
    expect(recorder.stoppedCalls).toBe(1);
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 2 });
  });

  it.each(['virgin', 'stopped', 'failure'])('disposes from %s', async (state) => {
    const recorder = new HookedRecorder();
    if (state === 'stopped') {
      await recorder.start();
      await recorder.stop();
    } else if (state === 'failure') {
      recorder.startError = new Error('x');
      await recorder.start();
    }
    expect(recorder.getStatus()).toBe(state);
    await expect(recorder.dispose()).resolves.toBeUndefined();
    expect(recorder.getStatus()).toBe('disposed');
  });

  it('waits for an in-flight start, and never rejects even when stopping fails', async () => {
    const recorder = new HookedRecorder();
    const gate = deferred();
    recorder.startGate = gate.promise;
    recorder.stopError = new Error('stop failed');
    void recorder.start();
    const disposed = recorder.dispose();
    gate.resolve();
    await expect(disposed).resolves.toBeUndefined();
    expect(recorder.getStatus()).toBe('disposed');
  });

  it('is idempotent', async () => {
    const recorder = new HookedRecorder();
    await recorder.start();
    const a = recorder.dispose();
    const b = recorder.dispose();
    await Promise.all([a, b]);
    await recorder.dispose();
    expect(recorder.stoppedCalls).toBe(1);
  });

  it('is terminal: lifecycle calls fail, events are rejected, registerMetric throws', async () => {
    const recorder = new MetricsRecorder<TestEvent>('r');
    await recorder.dispose();
    for (const result of [await recorder.start(), await recorder.stop()]) {
      expect(result.success).toBe(false);
      expect(result.error).toBeInstanceOf(RecorderInvalidStateError);
      expect((result.error as RecorderInvalidStateError).state).toBe('disposed');
    }
    expect(() => recorder.emit(count())).not.toThrow();
    expect(() => recorder.registerEvent(count())).toThrow(RecorderInvalidStateError);
    expect(() => recorder.registerMetric(countingMetric())).toThrow(RecorderInvalidStateError);
    expect(recorder.getStats()).toMatchObject({ offered: 2, rejected: 2, accepted: 0 });
    expect(recorder.getStatus()).toBe('disposed');
  });

  it('start() during dispose fails instead of resurrecting the recorder', async () => {
    const recorder = new HookedRecorder();
    await recorder.start();
    const gate = deferred();
    recorder.stopGate = gate.promise;
    const disposed = recorder.dispose();
    const restart = recorder.start();
    gate.resolve();
    expect((await restart).success).toBe(false);
    await disposed;
    expect(recorder.getStatus()).toBe('disposed');
  });
});

describe('MetricsRecorder promise-returning methods', () => {
  it('never throw synchronously, in any state', async () => {
    const recorder = new HookedRecorder();
    recorder.startError = new Error('x');
    for (let round = 0; round < 2; round++) {
      const calls = [
        () => recorder.start(),
        () => recorder.stop(),
        () => recorder.flush(),
        () => recorder.dispose(),
      ];
      const promises: Promise<unknown>[] = [];
      for (const call of calls) {
        expect(() => promises.push(call())).not.toThrow();
      }
      await Promise.all(promises);
    }
    expect(recorder.getStatus()).toBe('disposed');
  });
});

describe('MetricsRecorder dispose while a start is in flight', () => {
  it('refuses a start() that would join the in-flight start', async () => {
    let release!: () => void;
    class Slow extends MetricsRecorder {
      protected override onStarting(): Promise<void> {
        return new Promise((resolve) => (release = resolve));
      }
    }
    const recorder = new Slow('slow');
    const first = recorder.start();
    const disposed = recorder.dispose();
    const joined = await Promise.race([
      recorder.start(),
      new Promise((r) => setTimeout(() => r('pending'), 50)),
    ]);
    expect(joined).toMatchObject({ op: 'start', success: false });
    release();
    expect((await first).success).toBe(true);
    await disposed;
    expect(recorder.getStatus()).toBe('disposed');
    const after = await recorder.start();
    expect(after.error?.message).not.toContain('being disposed');
  });
});

describe('MetricsRecorder stop deadline with slow metrics', () => {
  it('stops within a small multiple of stopTimeoutMs even when each event takes milliseconds', async () => {
    const slow = {
      name: 'slow',
      kind: 'custom' as const,
      accepts: (e: { type: string }): e is { type: string } => e.type === 'x',
      init: () => 0,
      reduce: (s: number) => {
        const until = Date.now() + 2;
        while (Date.now() < until) {
          // busy: a 2 ms reducer
        }
        return s + 1;
      },
      dimensions: (s: number) => ({ s }),
    };
    const recorder = new MetricsRecorder('slow', { stopTimeoutMs: 30, capacity: 1000 });
    recorder.registerMetric(slow);
    await recorder.start();
    for (let i = 0; i < 500; i++) recorder.emit({ type: 'x' });
    const started = Date.now();
    const result = await recorder.stop();
    const elapsed = Date.now() - started;
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('STOP_TIMEOUT');
    expect(recorder.getStatus()).toBe('failure');
    expect(recorder.getStats().pending).toBeGreaterThan(0);
    // The reducer busy-waits on the wall clock, so this bound does not depend on machine speed: a drain
    // batch checks its time budget as it goes and overruns it by about one event (2 ms).
    expect(elapsed).toBeLessThan(450);
  });
});
