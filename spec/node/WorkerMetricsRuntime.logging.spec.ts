import { join } from 'node:path';
import { RecorderNotFoundError, RUNTIME_LOG_EVENTS, runtimeLogPolicy } from 'mvx-common';
import { LogContext, MemorySink } from 'mvx-common/logger';
import { WorkerMetricsRuntime } from 'mvx-common/node';

const metricsModule = join(__dirname, 'fixtures', 'jobMetrics.ts');

describe('WorkerMetricsRuntime logging', () => {
  it('validates options.logContext', () => {
    expect(
      () =>
        new WorkerMetricsRuntime({
          namespace: 'n',
          metricsModule,
          logContext: {} as unknown as LogContext,
        }),
    ).toThrow(/`options\.logContext`/);
    expect(new WorkerMetricsRuntime({ namespace: 'n', metricsModule }).getLogContext()).toBeNull();
  });

  it("logs its main-thread operations like MetricsRuntime ('normal' policy; failures always)", async () => {
    const sink = new MemorySink();
    const logContext = LogContext.root({ namespace: 'app', sink, eventPolicy: runtimeLogPolicy('normal') });
    const runtime = new WorkerMetricsRuntime({ namespace: 'test.worker', metricsModule, logContext });
    expect(runtime.getLogContext()).toBe(logContext);
    try {
      await runtime.start();
      const jobs = await runtime.createRecorder('jobs', { capacity: 64 });
      expect(runtime.getRecorder('jobs')).toBe(jobs);
      expect(runtime.listRecorderIds()).toEqual(['jobs']);
      expect(() => runtime.getRecorder('missing')).toThrow(RecorderNotFoundError);
      await runtime.stopAndRemoveRecorder('jobs');
    } finally {
      await runtime.shutdown();
    }
    expect(sink.trail()).toEqual([
      [RUNTIME_LOG_EVENTS.start, 'invoke'],
      [RUNTIME_LOG_EVENTS.start, 'success'],
      [RUNTIME_LOG_EVENTS.createRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.createRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.getRecorder, 'failed'],
      [RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.shutdown, 'invoke'],
      [RUNTIME_LOG_EVENTS.shutdown, 'success'],
    ]);
    for (const event of sink.events) expect(event.meta.entityId).toBe('test.worker');
    const [create] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.createRecorder, outcome: 'invoke' });
    expect(create!.payload).toMatchObject({ state: 'running', args: { recorderId: 'jobs', capacity: 64 } });
  });
});
