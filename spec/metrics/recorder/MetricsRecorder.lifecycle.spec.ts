import { MetricsRecorder, RecorderHookError, RecorderInvalidStateError, type OpResult } from 'mvx-common';
import { collect } from 'mvx-common/testing';
import { count, countingMetric, deferred, HookedRecorder } from '../../helpers/recorderFixtures.js';
import { tick } from '../../helpers/wait.js';

function expectInvalid(result: OpResult, op: 'start' | 'stop', state: string, expected: string[]): void {
  expect(result.op).toBe(op);
  expect(result.success).toBe(false);
  expect(result.error).toBeInstanceOf(RecorderInvalidStateError);
  const error = result.error as RecorderInvalidStateError;
  expect(error.state).toBe(state);
  expect(error.expectedStates).toEqual(expected);
  expect(error.message).toContain(`'${state}'`);
  for (const s of expected) expect(error.message).toContain(`'${s}'`);
}

describe('MetricsRecorder lifecycle', () => {
  describe('constructor', () => {
    it('creates a virgin recorder with empty registry and zero stats', () => {
      const recorder = new MetricsRecorder('orders');
      expect(recorder.entityId).toBe('orders');
      expect(recorder.namespace).toBe('mvx.metrics.recorder');
      expect(recorder.getStatus()).toBe('virgin');
      expect(recorder.iterMetrics()).toEqual([]);
      expect(recorder.getMetricSnapshots()).toEqual({});
      expect(recorder.getStats()).toEqual({
        offered: 0,
        accepted: 0,
        processed: 0,
        dropped: 0,
        rejected: 0,
        pending: 0,
        capacity: 10_000,
        metricErrors: 0,
      });
    });
  });

  describe('start', () => {
    it('starts from virgin: state starting then running, onStarting runs once', async () => {
      const recorder = new HookedRecorder();
      const states = collect(recorder.state$);
      const pending = recorder.start();
      expect(recorder.getStatus()).toBe('starting');
      await expect(pending).resolves.toEqual({ op: 'start', success: true });
      expect(recorder.getStatus()).toBe('running');
      expect(recorder.startingCalls).toBe(1);
      expect(states.values).toEqual(['virgin', 'starting', 'running']);
    });

    it('a recorder without an onStarting hook is running when start() returns', async () => {
      const recorder = new MetricsRecorder('plain');
      const result = recorder.start();
      expect(recorder.getStatus()).toBe('running');
      await expect(result).resolves.toEqual({ op: 'start', success: true });
    });

    it('joins an in-flight start: every caller gets the same outcome and the hook runs once', async () => {
      const recorder = new HookedRecorder();
      const gate = deferred();
      recorder.startGate = gate.promise;
      const calls = Array.from({ length: 10 }, () => recorder.start());
      await tick();
      expect(recorder.getStatus()).toBe('starting');
      gate.resolve();
      const results = await Promise.all(calls);
      for (const r of results) expect(r).toEqual({ op: 'start', success: true });
      expect(recorder.startingCalls).toBe(1);
      expect(recorder.getStatus()).toBe('running');
    });

    it('joined callers all see the same failure when onStarting fails', async () => {
      const recorder = new HookedRecorder();
      const gate = deferred();
      recorder.startGate = gate.promise;
      recorder.startError = new Error('no db');
      const a = recorder.start();
      const b = recorder.start();
      gate.resolve();
      const [ra, rb] = await Promise.all([a, b]);
      expect(ra.success).toBe(false);
      expect(rb.error).toBe(ra.error);
      expect(recorder.startingCalls).toBe(1);
    });

    it('from running gives success false with RecorderInvalidStateError and keeps running', async () => {
      const recorder = new MetricsRecorder('r');
      await recorder.start();
      expectInvalid(await recorder.start(), 'start', 'running', ['virgin', 'stopped']);
      expect(recorder.getStatus()).toBe('running');
    });

    it('from stopping gives an invalid-state result', async () => {
      const recorder = new HookedRecorder();
      await recorder.start();
      const gate = deferred();
      recorder.stopGate = gate.promise;
      const stopping = recorder.stop();
      expectInvalid(await recorder.start(), 'start', 'stopping', ['virgin', 'stopped']);
      gate.resolve();
      await stopping;
    });

    it('onStarting failure: RecorderHookError phase starting, state failure, reported on errors$', async () => {
      const recorder = new HookedRecorder();
      const cause = new Error('cannot connect');
      recorder.startError = cause;
      const errors = collect(recorder.errors$);
      const result = await recorder.start();
      expect(result.success).toBe(false);
      expect(result.error).toBeInstanceOf(RecorderHookError);
      const error = result.error as RecorderHookError;
      expect(error.phase).toBe('starting');
      expect(error.code).toBe('ON_STARTING_HOOK_FAILED');
      expect(error.cause).toBe(cause);
      expect(recorder.getStatus()).toBe('failure');
      expect(errors.values).toEqual([error]);
    });

    it('a synchronously throwing onStarting is a result, not a throw', async () => {
      class SyncThrow extends MetricsRecorder {
        protected override onStarting(): void {
          throw new Error('sync');
        }
      }
      const recorder = new SyncThrow('s');
      let promise!: Promise<OpResult>;
      expect(() => {
        promise = recorder.start();
      }).not.toThrow();
      const result = await promise;
      expect(result.error).toBeInstanceOf(RecorderHookError);
    });
  });

  describe('stop', () => {
    it('stops a running recorder: onStopped once, state stopped', async () => {
      const recorder = new HookedRecorder();
      await recorder.start();
      const states = collect(recorder.state$);
      await expect(recorder.stop()).resolves.toEqual({ op: 'stop', success: true });
      expect(recorder.getStatus()).toBe('stopped');
      expect(recorder.stoppedCalls).toBe(1);
      expect(states.values).toEqual(['running', 'stopping', 'stopped']);
    });

    it('from virgin, starting and stopped gives success false with RecorderInvalidStateError', async () => {
      const recorder = new HookedRecorder();
      expectInvalid(await recorder.stop(), 'stop', 'virgin', ['running']);
      expect(recorder.getStatus()).toBe('virgin');

      const gate = deferred();
      recorder.startGate = gate.promise;
      const starting = recorder.start();
      expectInvalid(await recorder.stop(), 'stop', 'starting', ['running']);
      gate.resolve();
      await starting;

      await recorder.stop();
      expectInvalid(await recorder.stop(), 'stop', 'stopped', ['running']);
    });

    it('joins an in-flight stop: same outcome for everyone, onStopped runs once', async () => {
      const recorder = new HookedRecorder();
      await recorder.start();
      const gate = deferred();
      recorder.stopGate = gate.promise;
      const calls = Array.from({ length: 10 }, () => recorder.stop());
      await tick();
      expect(recorder.getStatus()).toBe('stopping');
      gate.resolve();
      const results = await Promise.all(calls);
      for (const r of results) expect(r).toEqual({ op: 'stop', success: true });
      expect(recorder.stoppedCalls).toBe(1);
      expect(recorder.getStatus()).toBe('stopped');
    });

    it('onStopped failure: RecorderHookError phase stopped, state failure', async () => {
      const recorder = new HookedRecorder();
      await recorder.start();
      const cause = new Error('flush failed');
      recorder.stopError = cause;
      const errors = collect(recorder.errors$);
      const result = await recorder.stop();
      expect(result.success).toBe(false);
      const error = result.error as RecorderHookError;
      expect(error).toBeInstanceOf(RecorderHookError);
      expect(error.phase).toBe('stopped');
      expect(error.code).toBe('ON_STOPPED_HOOK_FAILED');
      expect(error.cause).toBe(cause);
      expect(recorder.getStatus()).toBe('failure');
      expect(errors.values).toContain(error);
    });
  });

  describe('failure is sticky', () => {
    it('start, stop, registerEvent and registerMetric all fail; the state stays failure', async () => {
      const recorder = new HookedRecorder();
      recorder.startError = new Error('x');
      const failed = await recorder.start();
      expectInvalid(await recorder.start(), 'start', 'failure', ['virgin', 'stopped']);
      expectInvalid(await recorder.stop(), 'stop', 'failure', ['running']);
      let thrown: unknown;
      try {
        recorder.registerEvent(count());
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(RecorderInvalidStateError);
      expect((thrown as Error).cause).toBe(failed.error);
      expect(() => recorder.registerMetric(countingMetric())).toThrow(RecorderInvalidStateError);
      expect(recorder.getStatus()).toBe('failure');
    });
  });

  describe('restart', () => {
    it('restarts from stopped with its metrics and their state intact', async () => {
      const recorder = new HookedRecorder();
      const metric = countingMetric();
      recorder.registerMetric(metric);
      await recorder.start();
      recorder.emit(count(2));
      await recorder.stop();
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 2 });
      await expect(recorder.start()).resolves.toEqual({ op: 'start', success: true });
      expect(recorder.startingCalls).toBe(2);
      expect(recorder.iterMetrics()).toEqual([metric]);
      recorder.emit(count(3));
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 5 });
    });

    it('refuses to register metrics while stopped', async () => {
      const recorder = new MetricsRecorder('r');
      await recorder.start();
      await recorder.stop();
      expect(() => recorder.registerMetric(countingMetric())).toThrow(RecorderInvalidStateError);
    });
  });

  describe('lazy start', () => {
    it('the first accepted event on a virgin recorder starts it', async () => {
      const recorder = new HookedRecorder();
      recorder.registerMetric(countingMetric());
      recorder.emit(count());
      expect(recorder.getStatus()).toBe('starting');
      await recorder.flush();
      expect(recorder.getStatus()).toBe('running');
      expect(recorder.startingCalls).toBe(1);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 });
      expect(recorder.getStats().pending).toBe(0);
    });

    it('an invalid event does not start a virgin recorder', () => {
      const recorder = new HookedRecorder();
      recorder.emit(null as never);
      expect(recorder.getStatus()).toBe('virgin');
    });

    it('onStarting does not run on the emitting caller stack', () => {
      const recorder = new HookedRecorder();
      recorder.emit(count());
      expect(recorder.startingCalls).toBe(0);
    });

    it('events accepted while starting are buffered and processed in order once running', async () => {
      const recorder = new HookedRecorder();
      const seen: unknown[] = [];
      recorder.registerMetric(countingMetric('m', { seen }));
      const gate = deferred();
      recorder.startGate = gate.promise;
      const started = recorder.start();
      for (let i = 0; i < 5; i++) recorder.registerEvent(count(1, i));
      await tick();
      expect(recorder.getStatus()).toBe('starting');
      expect(recorder.getStats().pending).toBe(5);
      expect(recorder.getMetricSnapshot('m')?.dimensions).toEqual({ total: 0 });
      gate.resolve();
      await started;
      await recorder.flush();
      expect(seen.map((e) => (e as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4]);
      expect(recorder.getStats().pending).toBe(0);
    });
  });
});
