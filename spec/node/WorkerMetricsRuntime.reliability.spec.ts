import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { RecorderStopError, RuntimeShutdownError, type MetricEvent, type RecorderStats } from 'mvx-common';
import {
  WorkerCrashedError,
  WorkerMetricsRuntime,
  WorkerUnresponsiveError,
  type RemoteRecorder,
  type WorkerRuntimeOptions,
} from 'mvx-common/node';
import { collect } from 'mvx-common/testing';
import type { Save } from './fixtures/reliabilityMetrics.js';
import { until } from '../helpers/wait.js';

const metricsModule = join(__dirname, 'fixtures', 'reliabilityMetrics.ts');
const save = (i: number): Save => ({
  type: 'save',
  outcome: i % 7 === 0 ? 'failure' : 'success',
  region: ['eu', 'us', 'ap', 'sa'][i % 4]!,
  durationMs: (i % 250) + 0.5,
  size: i % 500,
});

/** Test hook: the runtime's worker (to terminate it from outside, as an OOM kill would). */
const workerOf = (runtime: WorkerMetricsRuntime): Worker => (runtime as unknown as { worker: Worker }).worker;

/** Resolves with how long `promise` took to settle; fails the test if it takes longer than `ms`. */
async function settlesWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ elapsed: number; value?: T; error?: unknown }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([promise, timeout]);
    return { elapsed: Date.now() - started, value };
  } catch (error) {
    if ((error as Error).message === `did not settle within ${ms} ms`) throw error;
    return { elapsed: Date.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}

/** Every event emitted on a facade is processed, dropped, rejected (as last mirrored) or lost. */
function accounted<E extends MetricEvent>(recorder: RemoteRecorder<E>, lost: number): void {
  const bridge = recorder.getBridgeStats();
  const s = recorder.getStats() as RecorderStats;
  expect(bridge.emitted).toBe(
    s.processed + s.dropped + s.rejected + bridge.dropped + bridge.shed + bridge.failed + lost,
  );
}

describe('WorkerMetricsRuntime under load (one shared worker)', () => {
  let shared: WorkerMetricsRuntime;
  beforeAll(async () => {
    // a 200k synchronous burst below: acknowledgements only arrive between event-loop turns
    shared = new WorkerMetricsRuntime({
      namespace: 'test.reliability',
      metricsModule,
      maxInFlightEvents: 250_000,
    });
    await shared.start();
  });
  afterAll(async () => {
    await shared.shutdown().catch(() => undefined);
  });

  it('keeps up with a burst even after one slow event cut a drain batch short (nothing dropped)', async () => {
    const r = await shared.createRecorder<Save | { type: 'test.slow' }>('load');
    r.emit({ type: 'test.slow' }); // 10 ms: the first drain batch is cut short
    for (let i = 0; i < 200_000; i++) r.emit(save(i));
    await r.flush();
    expect(r.getStats()).toMatchObject({ offered: 200_001, processed: 200_001, dropped: 0, pending: 0 });
    expect(r.getBridgeStats()).toMatchObject({ emitted: 200_001, acknowledged: 200_001, queued: 0 });
    expect(r.getMetricSnapshot('saves')!.dimensions['total']).toBe(200_000);
    await shared.stopAndRemoveRecorder('load');
  });

  it('bounds the events in flight to the worker: beyond maxInFlightEvents, emit drops and counts (shed)', async () => {
    const rt = new WorkerMetricsRuntime({
      namespace: 'test.inflight',
      metricsModule,
      maxInFlightEvents: 10_000,
    });
    await rt.start();
    try {
      const r = await rt.createRecorder<Save>('flood');
      for (let i = 0; i < 50_000; i++) r.emit(save(i)); // one turn: nothing can be acknowledged meanwhile
      expect(r.getBridgeStats()).toMatchObject({ emitted: 50_000, shed: 40_000 });
      await r.flush();
      expect(r.getStats()).toMatchObject({ offered: 10_000, processed: 10_000, dropped: 0 });
      accounted(r, 0);
      // once acknowledged, the room is back
      for (let i = 0; i < 5_000; i++) r.emit(save(i));
      await r.flush();
      expect(r.getBridgeStats().shed).toBe(40_000);
      expect(r.getStats()!.processed).toBe(15_000);
    } finally {
      await rt.shutdown();
    }
    expect(() => new WorkerMetricsRuntime({ namespace: 'n', metricsModule, maxInFlightEvents: 0 })).toThrow(
      /`options.maxInFlightEvents`/,
    );
  });

  it('survives hostile events on the facade: never throws, counts what cannot cross the thread boundary', async () => {
    const r = await shared.createRecorder('hostile');
    const { proxy, revoke } = Proxy.revocable({ type: 'save' }, {});
    revoke();
    const nullProto = Object.assign(Object.create(null) as object, save(1));
    expect(() => {
      r.emit(save(0));
      r.emit({ type: 'save', callback: () => undefined } as never);
      r.emit(proxy as never);
      r.emit(nullProto as never);
      r.emit(null as never);
      r.emit('nope' as never);
      r.emitter.error(proxy);
      r.emitter.error(Object.create(null));
      r.emit(save(2));
    }).not.toThrow();
    await r.flush();
    expect(r.getBridgeStats()).toMatchObject({ emitted: 7, failed: 2 });
    expect(r.getStats()).toMatchObject({ offered: 5, processed: 3, rejected: 2 });
    accounted(r, 0);
    await shared.stopAndRemoveRecorder('hostile');
  });

  it('bounds a stop by the recorder stop timeout, whatever the metrics cost (10 ms per event)', async () => {
    const r = await shared.createRecorder('slow', { stopTimeoutMs: 300 });
    for (let i = 0; i < 2_000; i++) r.emit({ type: 'test.slow' }); // 20 s of work
    const stop = await settlesWithin(shared.stopRecorder('slow'), 6_000);
    expect(stop.error).toBeInstanceOf(RecorderStopError);
    expect((stop.error as Error).message).toMatch(/did not stop within 300 ms/);
    const s = r.getStats()!;
    expect(r.getStatus()).toBe('failure');
    expect(s.pending).toBeGreaterThan(0); // what the deadline left, still counted
    expect(s.offered).toBe(2_000);
    expect(s.processed + s.pending + s.dropped + s.rejected).toBe(2_000);
    const shutdown = await settlesWithin(shared.shutdown(), 6_000);
    expect(shutdown.error).toBeInstanceOf(RuntimeShutdownError);
    expect((shutdown.error as RuntimeShutdownError).failedRecorderIds).toEqual(['slow']);
    expect(shared.getStatus()).toBe('closed');
  });
});

describe('WorkerMetricsRuntime when its worker fails', () => {
  let runtime: WorkerMetricsRuntime | undefined;
  const start = async (options: Partial<WorkerRuntimeOptions> = {}) => {
    runtime = new WorkerMetricsRuntime({ namespace: 'test.reliability', metricsModule, ...options });
    await runtime.start();
    return runtime;
  };
  afterEach(async () => {
    await runtime?.shutdown().catch(() => undefined);
    runtime = undefined;
  });

  it('terminates and reports a worker whose event loop is blocked; every pending call settles', async () => {
    const rt = await start({ requestTimeoutMs: 1_000 });
    const errors = collect(rt.errors$);
    const r = await rt.createRecorder('hung');
    for (let i = 0; i < 100; i++) r.emit(save(i));
    // A main thread blocked for longer than requestTimeoutMs does not condemn a worker that answered.
    // (Blocked in the check phase: the next loop iteration runs the due deadline timer before it
    // delivers the worker's response.)
    const answered = r.flush();
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        const blockedUntil = Date.now() + 2_500;
        while (Date.now() < blockedUntil) {
          // a long synchronous task on the main thread
        }
        resolve();
      }),
    );
    await answered;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rt.getStatus()).toBe('running');
    expect(errors.values).toEqual([]);
    expect(r.getStats()).toMatchObject({ processed: 100 });
    r.emit({ type: 'test.hang' }); // loops forever in the worker
    for (let i = 0; i < 50; i++) r.emit(save(i));
    const flushed = settlesWithin(r.flush(), 15_000);
    const stopped = settlesWithin(rt.stopRecorder('hung'), 15_000);
    expect((await flushed).error).toBeUndefined(); // flush never rejects
    const stop = await stopped;
    expect(stop.error).toBeInstanceOf(RecorderStopError);
    expect((stop.error as Error & { cause?: unknown }).cause).toBeInstanceOf(WorkerUnresponsiveError);

    expect(rt.getStatus()).toBe('failure');
    const error = errors.values.find((e) => e instanceof WorkerUnresponsiveError) as WorkerUnresponsiveError;
    expect(error).toBeDefined();
    expect(error.code).toBe('WORKER_UNRESPONSIVE');
    expect(error.timeoutMs).toBe(1_000);
    // exact: the 51 events after the last mirrored stats (the hanging one and the 50 behind it)
    expect(error.lostEvents).toEqual({ hung: 51 });
    accounted(r, 51);
    expect(r.getMetricSnapshot('saves')!.dimensions['total']).toBe(100); // last mirrored, still readable
    expect(() => r.emit(save(1))).not.toThrow();
    expect(r.getBridgeStats().dropped).toBe(1);
    await expect(settlesWithin(r.flush(), 1_000)).resolves.toMatchObject({ value: undefined });
    await rt.shutdown();
    expect(rt.getStatus()).toBe('closed');
  });

  it('notices a hung worker by its heartbeat, with no call in flight', async () => {
    const rt = await start({ requestTimeoutMs: 600 });
    const errors = collect(rt.errors$);
    const r = await rt.createRecorder('quiet');
    r.emit({ type: 'test.hang' });
    await until(() => rt.getStatus() === 'failure');
    expect(errors.values[0]).toBeInstanceOf(WorkerUnresponsiveError);
    expect((errors.values[0] as WorkerUnresponsiveError).operation).toBe('heartbeat');
    await rt.shutdown();
    expect(rt.getStatus()).toBe('closed');
  });

  it('counts exactly what is lost when an overloaded worker is killed', async () => {
    const rt = await start();
    const errors = collect(rt.errors$);
    const r = await rt.createRecorder('overloaded', { capacity: 200 });
    for (let i = 0; i < 3_000; i++) r.emit({ type: 'test.slow' }); // far more than it can process
    await until(() => (r.getStats()?.processed ?? 0) >= 3 && (r.getStats()?.dropped ?? 0) > 0);
    await workerOf(rt).terminate();
    await until(() => rt.getStatus() === 'failure');
    const error = errors.values[0] as WorkerCrashedError;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    const s = r.getStats()!;
    const lost = error.lostEvents['overloaded']!;
    // unsent + in flight + waiting in the worker's receiver + pending in its recorder, as last mirrored
    expect(lost).toBe(3_000 - s.processed - s.dropped - s.rejected);
    expect(lost).toBeGreaterThanOrEqual(s.pending + r.getBridgeStats().queued);
    expect(s.pending).toBeGreaterThan(0);
    accounted(r, lost);
  });

  it('settles a shutdown whose worker dies under it, reports the crash and ends closed', async () => {
    const rt = await start();
    const errors = collect(rt.errors$);
    const r = await rt.createRecorder('busy');
    for (let i = 0; i < 500; i++) r.emit({ type: 'test.slow' }); // 5 s of work: the stop drains for a while
    const shutdown = settlesWithin(rt.shutdown(), 10_000);
    await until(() => rt.getStatus() === 'stopping');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await workerOf(rt).terminate();
    const outcome = await shutdown;
    expect(outcome.error).toBeInstanceOf(RuntimeShutdownError);
    expect((outcome.error as RuntimeShutdownError).failedRecorderIds).toEqual(['busy']);
    expect(rt.getStatus()).toBe('closed');
    expect(errors.values[0]).toBeInstanceOf(WorkerCrashedError);
    expect(errors.completed).toBe(true);
  });

  it('validates requestTimeoutMs', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        () => new WorkerMetricsRuntime({ namespace: 'n', metricsModule, requestTimeoutMs: bad }),
      ).toThrow(RangeError);
    }
    expect(
      () => new WorkerMetricsRuntime({ namespace: 'n', metricsModule, requestTimeoutMs: '1' as never }),
    ).toThrow(/`options.requestTimeoutMs`/);
  });
});
