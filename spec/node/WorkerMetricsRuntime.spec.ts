import { join } from 'node:path';
import { RecorderAlreadyExistsError, RuntimeInvalidStateError } from 'mvx-common';
import { WorkerCrashedError, WorkerMetricsRuntime, WorkerStartupError } from 'mvx-common/node';
import { collect } from 'mvx-common/testing';
import type { JobDone } from './fixtures/jobMetrics.js';

const metricsModule = join(__dirname, 'fixtures', 'jobMetrics.ts');
const done = (i: number): JobDone => ({ type: 'job.done', outcome: i % 4 === 0 ? 'failure' : 'success' });

describe('WorkerMetricsRuntime', () => {
  let runtime: WorkerMetricsRuntime | undefined;
  afterEach(async () => {
    await runtime?.shutdown().catch(() => undefined);
    runtime = undefined;
  });

  it('hosts recorders in a worker: emit batches there, snapshots and stats mirror back', async () => {
    runtime = new WorkerMetricsRuntime({ namespace: 'test.worker', metricsModule });
    const states = collect(runtime.state$);
    await runtime.start();
    await runtime.start(); // idempotent
    const jobs = await runtime.createRecorder<JobDone>(' jobs ');
    expect([jobs.recorderId, jobs.entityId, jobs.namespace]).toEqual(['jobs', 'jobs', 'test.worker']);
    await expect(runtime.createRecorder('jobs')).rejects.toBeInstanceOf(RecorderAlreadyExistsError);

    for (let i = 0; i < 10_000; i++) jobs.emit(done(i));
    await jobs.flush();
    expect(jobs.getMetricSnapshot('jobs.done')!.dimensions).toEqual({
      total: 10_000,
      success_total: 7_500,
      failure_total: 2_500,
    });
    expect(jobs.getStats()).toMatchObject({ offered: 10_000, processed: 10_000, pending: 0 });
    expect(jobs.getStatus()).toBe('running');
    expect(jobs.getStartTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(jobs.getBridgeStats()).toMatchObject({
      emitted: 10_000,
      posted: 10_000,
      unsent: 0,
      acknowledged: 10_000,
    });

    const merged = collect(runtime.snapshots$);
    await new Promise((r) => setTimeout(r, 5));
    expect(merged.last!['jobs']!['jobs.done']!.dimensions).toMatchObject({ total: 10_000 });
    expect(runtime.listRecorderIds()).toEqual(['jobs']);
    expect(runtime.getRecorder('jobs')).toBe(jobs);

    await runtime.stopRecorder('jobs');
    expect(jobs.getStats()).toMatchObject({ processed: 10_000 });
    const other = await runtime.createRecorder<JobDone>('other');
    other.emit(done(1));
    await expect(runtime.stopAndRemoveRecorder('other')).resolves.toBe(other);
    expect(other.getMetricSnapshot('jobs.done')!.dimensions).toMatchObject({ total: 1 });
    expect(runtime.tryGetRecorder('other')).toBeUndefined();

    await runtime.shutdown();
    expect(states.values).toEqual(['virgin', 'starting', 'running', 'stopping', 'closed']);
    expect(() => runtime!.listRecorderIds()).toThrow(RuntimeInvalidStateError);
    await expect(runtime.start()).rejects.toBeInstanceOf(RuntimeInvalidStateError);
  });

  it('reports a failed start (bad metrics module) and leaves nothing running', async () => {
    runtime = new WorkerMetricsRuntime({
      namespace: 'test.worker',
      metricsModule: join(__dirname, 'fixtures', 'notMetrics.ts'),
    });
    const error = await runtime.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerStartupError);
    expect((error as Error).message).toMatch(/createMetrics/);
    expect(runtime.getStatus()).toBe('failure');
    await runtime.shutdown();
    expect(runtime.getStatus()).toBe('closed');
  });

  it('reports a worker crash (state and errors$); mirrored snapshots stay readable; emit never throws', async () => {
    runtime = new WorkerMetricsRuntime({ namespace: 'test.worker', metricsModule });
    await runtime.start();
    const errors = collect(runtime.errors$);
    const jobs = await runtime.createRecorder('jobs');
    jobs.emit(done(1));
    await jobs.flush();
    jobs.emit({ type: 'test.crash' });
    jobs.flush().catch(() => undefined);
    const deadline = Date.now() + 5_000;
    while (runtime.getStatus() !== 'failure' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(runtime.getStatus()).toBe('failure');
    expect(errors.values[0]).toBeInstanceOf(WorkerCrashedError);
    expect((errors.values[0] as WorkerCrashedError).code).toBe('WORKER_CRASHED');
    expect(jobs.getMetricSnapshot('jobs.done')!.dimensions).toMatchObject({ total: 1 });
    expect(() => jobs.emit(done(2))).not.toThrow();
    expect(jobs.getBridgeStats().dropped).toBe(1);
    await expect(jobs.flush()).resolves.toBeUndefined();
    await runtime.shutdown();
    expect(runtime.getStatus()).toBe('closed');
  });

  it('validates its options', () => {
    expect(() => new WorkerMetricsRuntime({ namespace: ' ', metricsModule })).toThrow(/`options.namespace`/);
    expect(() => new WorkerMetricsRuntime({ namespace: 'n', metricsModule: '' })).toThrow(
      /`options.metricsModule`/,
    );
    expect(() => new WorkerMetricsRuntime({ namespace: 'n', metricsModule, startTimeoutMs: -1 })).toThrow(
      /`options.startTimeoutMs`/,
    );
  });
});
