/**
 * A worker-hosted runtime whose worker hangs (a metric loops forever): nothing on the main thread waits
 * forever. The pending flush settles, the runtime terminates the worker, reports what was lost, and the
 * last mirrored snapshots stay readable.
 *
 * Run: npm run build && npx ts-node --transpile-only demos/worker-failure.ts
 *
 * Expected output:
 *   error: WORKER_UNRESPONSIVE (no answer within 1000 ms: terminated)
 *   lost events: {"jobs":101}
 *   runtime: failure; last mirrored jobs.done: {"total":1000,"success_total":900,"failure_total":100,"other_total":0}
 *   after shutdown: closed
 */
import { join } from 'node:path';
import type { WorkerUnresponsiveError } from 'mvx-common/node';
import { WorkerMetricsRuntime } from 'mvx-common/node';
import type { Job, Poison } from './worker-failure.metrics';

export async function main() {
  const runtime = new WorkerMetricsRuntime({
    namespace: 'demo.jobs',
    metricsModule: join(__dirname, 'worker-failure.metrics.ts'),
    requestTimeoutMs: 1_000, // the default is 15 s
  });
  const errors: Error[] = [];
  runtime.errors$.subscribe((error) => errors.push(error));
  await runtime.start();
  const jobs = await runtime.createRecorder<Job | Poison>('jobs');
  const job = (i: number): Job => ({ type: 'job.done', outcome: i % 10 === 0 ? 'failure' : 'success' });
  for (let i = 0; i < 1_000; i++) jobs.emit(job(i));
  await jobs.flush();

  jobs.emit({ type: 'job.poison' }); // the worker never comes back from this one
  for (let i = 0; i < 100; i++) jobs.emit(job(i));
  await jobs.flush(); // settles: the runtime declares the worker unresponsive and terminates it

  const error = errors[0] as WorkerUnresponsiveError;
  const result = {
    code: error.code,
    timeoutMs: error.timeoutMs,
    lostEvents: error.lostEvents,
    state: runtime.getStatus(),
    lastMirrored: jobs.getMetricSnapshot('jobs.done')?.dimensions,
    closed: '',
  };
  await runtime.shutdown();
  result.closed = runtime.getStatus();
  return result;
}

if (require.main === module) {
  main().then((r) => {
    console.log(`error: ${r.code} (no answer within ${r.timeoutMs} ms: terminated)`);
    console.log(`lost events: ${JSON.stringify(r.lostEvents)}`);
    console.log(`runtime: ${r.state}; last mirrored jobs.done: ${JSON.stringify(r.lastMirrored)}`);
    console.log(`after shutdown: ${r.closed}`);
  });
}
