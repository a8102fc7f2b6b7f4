/**
 * The worker runtime's main-thread operations are logged with the same decorators as MetricsRuntime:
 * a failing, raising log context changes none of their results.
 */
import { join } from 'node:path';
import type { LogContext, MetricEvent } from 'mvx-common';
import { WorkerMetricsRuntime } from 'mvx-common/node';
import { hostileContext } from '../../helpers/hostileInputs.js';

const metricsModule = join(__dirname, '..', '..', 'node', 'fixtures', 'jobMetrics.ts');

function summarize(value: unknown): unknown {
  if (value instanceof Error) return { error: value.constructor.name, message: value.message };
  if (value !== null && typeof value === 'object' && 'entityId' in value) {
    return { recorder: (value as { entityId: unknown }).entityId };
  }
  return value;
}

async function scenario(logContext: LogContext | null): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (label: string, fn: () => unknown): Promise<void> => {
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      out.push([label, 'threw synchronously', summarize(error)]);
      return;
    }
    try {
      out.push([label, 'ok', summarize(await result)]);
    } catch (error) {
      out.push([label, 'failed', summarize(error)]);
    }
  };
  const runtime = new WorkerMetricsRuntime({ namespace: 'test.worker', metricsModule, logContext });
  try {
    await step('start', () => runtime.start());
    await step('createRecorder', () => runtime.createRecorder('jobs', { capacity: 64 }));
    await step('createRecorder duplicate', () => runtime.createRecorder('jobs'));
    await step('getRecorder', () => runtime.getRecorder('jobs'));
    await step('getRecorder missing', () => runtime.getRecorder('missing'));
    await step('emit', () =>
      runtime.getRecorder('jobs').emit({ type: 'job.done', outcome: 'success' } as MetricEvent),
    );
    await step('stopRecorder', () => runtime.stopRecorder('jobs'));
    await step('stopAndRemoveRecorder', () => runtime.stopAndRemoveRecorder('jobs'));
  } finally {
    await step('shutdown', () => runtime.shutdown());
  }
  await step('shutdown again', () => runtime.shutdown());
  return out;
}

describe('WorkerMetricsRuntime logging with a hostile LogContext', () => {
  it("changes no result, with 'raise', a throwing sink and a revoked clock", async () => {
    const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { ctx } = hostileContext({
        sink: 'throws',
        processor: 'garbage',
        policy: 'ok',
        clock: 'revoked',
        diagnostics: 'throws',
        errorHandling: 'raise',
        thrown: Object.assign(() => new Error('component failed'), { label: 'Error' }),
        child: true,
        seed: 1,
      });
      const expected = await scenario(null);
      expect(await scenario(ctx)).toEqual(expected);
      expect(ctx.failureCount).toBeGreaterThan(0);
    } finally {
      silence.mockRestore();
    }
  });
});
