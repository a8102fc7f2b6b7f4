import { join } from 'node:path';
import { WorkerMetricsRuntime } from 'mvx-common/node';
// Internal on purpose: the worker's default host module path.
import { defaultHostModule } from '../../lib/node/hostBootstrap.js';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

async function countIn(runtime: WorkerMetricsRuntime, type: string, metric: string): Promise<unknown> {
  await runtime.start();
  const recorder = await runtime.createRecorder('r');
  recorder.emit({ type });
  recorder.emit({ type });
  await recorder.flush();
  return recorder.getMetricSnapshot(metric)?.dimensions;
}

describe('WorkerMetricsRuntime module loading', () => {
  let runtime: WorkerMetricsRuntime | undefined;
  afterEach(async () => {
    await runtime?.shutdown().catch(() => undefined);
    runtime = undefined;
  });

  it('locates the worker host next to its own module, with the same extension', () => {
    expect(defaultHostModule()).toBe(join(__dirname, '..', '..', 'lib', 'node', 'workerHost.ts'));
  });

  it('registers ts-node in the worker for a .ts metrics module even when the host is JavaScript', async () => {
    runtime = new WorkerMetricsRuntime({
      namespace: 'test.loading',
      metricsModule: fixture('jobMetrics.ts'),
      hostModule: fixture('delegatingHost.cjs'),
    });
    await expect(countIn(runtime, 'job.done', 'jobs.done')).resolves.toMatchObject({ total: 2 });
  });

  it('loads a JavaScript metrics module', async () => {
    runtime = new WorkerMetricsRuntime({
      namespace: 'test.loading',
      metricsModule: fixture('plainMetrics.cjs'),
    });
    await expect(countIn(runtime, 'tick', 'plain.ticks')).resolves.toEqual({ total: 2 });
  });
});
