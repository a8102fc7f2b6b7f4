import { join } from 'node:path';
import { Registry } from 'prom-client';
import { WorkerMetricsRuntime } from 'mvx-common/node';
import { exposeToPrometheus, type PrometheusExposure } from 'mvx-common/prometheus';
import type { JobDone } from '../../node/fixtures/jobMetrics.js';
import { parseExposition, promtoolCheck, samplesOf, valueOf } from '../../helpers/promText.js';
import { until } from '../../helpers/wait.js';

const metricsModule = join(__dirname, '..', '..', 'node', 'fixtures', 'jobMetrics.ts');
const done = (i: number): JobDone => ({ type: 'job.done', outcome: i % 4 === 0 ? 'failure' : 'success' });

describe('exposeToPrometheus with a WorkerMetricsRuntime source', () => {
  let runtime: WorkerMetricsRuntime | undefined;
  let exposure: PrometheusExposure | undefined;
  afterEach(async () => {
    exposure?.close();
    await runtime?.shutdown().catch(() => undefined);
    runtime = exposure = undefined;
  });

  it('exports the mirrored snapshots and stats of worker-hosted recorders', async () => {
    runtime = new WorkerMetricsRuntime({ namespace: 'test.worker.prom', metricsModule });
    await runtime.start();
    const registry = new Registry();
    exposure = exposeToPrometheus(runtime, { registry });
    const jobs = await runtime.createRecorder<JobDone>('jobs');
    for (let i = 0; i < 1000; i++) jobs.emit(done(i));
    await jobs.flush();
    const text = await registry.metrics();
    const p = parseExposition(text);
    // jobs.done is a custom metric of kind counter: one counter per numeric dimension.
    expect(valueOf(p, 'jobs_done_total', { recorder: 'jobs' })).toBe(1000);
    expect(valueOf(p, 'jobs_done_success_total', { recorder: 'jobs' })).toBe(750);
    expect(valueOf(p, 'jobs_done_failure_total', { recorder: 'jobs' })).toBe(250);
    expect(valueOf(p, 'mvx_recorder_events_processed_total', { recorder: 'jobs' })).toBe(1000);
    expect(valueOf(p, 'mvx_recorder_state', { recorder: 'jobs', state: 'running' })).toBe(1);
    expect(valueOf(p, 'mvx_runtime_state', { runtime: 'test.worker.prom', state: 'running' })).toBe(1);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('a worker that crashed: scrapes go on, the runtime shows `failure`, its recorders leave', async () => {
    runtime = new WorkerMetricsRuntime({ namespace: 'test.worker.crash', metricsModule });
    await runtime.start();
    const registry = new Registry();
    exposure = exposeToPrometheus(runtime, { registry });
    const jobs = await runtime.createRecorder('jobs');
    jobs.emit(done(1));
    await jobs.flush();
    expect(valueOf(parseExposition(await registry.metrics()), 'jobs_done_total')).toBe(1);
    jobs.emit({ type: 'test.crash' });
    jobs.flush().catch(() => undefined);
    const rt = runtime;
    await until(() => rt.getStatus() === 'failure', { what: 'the worker crash' });
    const text = await registry.metrics();
    const p = parseExposition(text);
    expect(valueOf(p, 'mvx_runtime_state', { state: 'failure' })).toBe(1);
    expect(samplesOf(p, 'jobs_done_total')).toEqual([]);
    expect(promtoolCheck(text).status).toBe(0);
  });
});
