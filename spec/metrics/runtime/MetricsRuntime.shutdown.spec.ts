import { RuntimeShutdownError, MetricsRuntime } from 'mvx-common';
import { BrokenStopRecorder, HangingStopRecorder } from '../../helpers/runtimeFixtures.js';

describe('MetricsRuntime shutdown with recorders', () => {
  it('stops and removes every registered recorder', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const recorders = await Promise.all(['a', 'b', 'c'].map((id) => runtime.createRecorder(id)));
    await runtime.stopRecorder('b');
    await runtime.shutdown();
    expect(recorders.map((r) => r.getStatus())).toEqual(['stopped', 'stopped', 'stopped']);
    expect(runtime.getStatus()).toBe('closed');
  });

  it('drains every event accepted before shutdown', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const recorder = await runtime.createRecorder('a');
    for (let i = 0; i < 1000; i++) recorder.emit({ type: 'x' });
    await runtime.shutdown();
    expect(recorder.getStats()).toMatchObject({ processed: 1000, pending: 0 });
  });

  it('continues past a recorder whose onStopped throws and aggregates the failure', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const healthy = await runtime.createRecorder('healthy');
    const broken = await runtime.createRecorder('broken', {
      factory: (id, o) => new BrokenStopRecorder(id, o),
    });
    const error = await runtime.shutdown().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeShutdownError);
    const shutdownError = error as RuntimeShutdownError;
    expect(shutdownError.code).toBe('SHUTDOWN_ERROR');
    expect(shutdownError.failedRecorderIds).toEqual(['broken']);
    expect(shutdownError.recorderErrors['broken']).toMatchObject({
      name: 'RecorderStopError',
      code: 'RECORDER_STOP_ERROR',
      message: expect.stringMatching(/stop hook exploded/),
    });
    expect(shutdownError.cause).toBeInstanceOf(Error);
    expect(healthy.getStatus()).toBe('stopped');
    expect(broken.getStatus()).toBe('failure');
    expect(runtime.getStatus()).toBe('closed');
    await expect(runtime.shutdown()).resolves.toBeUndefined();
  });

  it('never hangs on a recorder whose onStopped never settles (shutdownTimeoutMs)', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test', shutdownTimeoutMs: 50 });
    await runtime.start();
    await runtime.createRecorder('healthy');
    await runtime.createRecorder('hanging', {
      stopTimeoutMs: 60_000,
      factory: (id, o) => new HangingStopRecorder(id, o),
    });
    const started = Date.now();
    const error = (await runtime.shutdown().catch((e: unknown) => e)) as RuntimeShutdownError;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(RuntimeShutdownError);
    expect(error.failedRecorderIds).toEqual(['hanging']);
    expect(error.recorderErrors['hanging']!.message).toMatch(/shutdown timeout \(50 ms\)/);
    expect(runtime.getStatus()).toBe('closed');
  });

  it('reports a recorder whose own stopTimeoutMs expires as failed', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    await runtime.createRecorder('hanging', {
      stopTimeoutMs: 20,
      factory: (id, o) => new HangingStopRecorder(id, o),
    });
    const error = (await runtime.shutdown().catch((e: unknown) => e)) as RuntimeShutdownError;
    expect(error.failedRecorderIds).toEqual(['hanging']);
    expect(error.recorderErrors['hanging']!.message).toMatch(/did not stop within 20 ms/);
  });

  it('lets concurrent shutdowns resolve once closed while the initiator gets the error', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    await runtime.createRecorder('broken', { factory: (id, o) => new BrokenStopRecorder(id, o) });
    const first = runtime.shutdown();
    const second = runtime.shutdown();
    await expect(first).rejects.toThrow(RuntimeShutdownError);
    await expect(second).resolves.toBeUndefined();
    expect(runtime.getStatus()).toBe('closed');
  });

  it('refuses a recorder whose creation completes after shutdown began', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const creating = runtime.createRecorder('late');
    const closing = runtime.shutdown();
    await expect(creating).rejects.toMatchObject({ code: 'INVALID_RUNTIME_STATE' });
    await closing;
  });
});
