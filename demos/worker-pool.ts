/**
 * A pool of worker threads emitting into one recorder on the main thread, over the port bridge.
 *
 * Run: npm run build && npx ts-node --transpile-only demos/worker-pool.ts (or via jest:
 * spec/demos/worker-pool.spec.ts). Expected output:
 *   jobs.done { total: 4000, success_total: 3600, failure_total: 400 }
 *   receivers: 4 x 1000 events
 */
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { defineMetric, MetricsRecorder, receiveEvents, type MetricEvent } from 'mvx-common';

type JobDone = {
  readonly type: 'job.done';
  readonly worker: number;
  readonly outcome: 'success' | 'failure';
};

const jobsDone = defineMetric({
  name: 'jobs.done',
  kind: 'counter',
  accepts: (e: MetricEvent): e is JobDone => e.type === 'job.done',
  init: () => ({ total: 0, success_total: 0, failure_total: 0 }),
  reduce: (s, e: JobDone) => ({
    total: s.total + 1,
    success_total: s.success_total + (e.outcome === 'success' ? 1 : 0),
    failure_total: s.failure_total + (e.outcome === 'failure' ? 1 : 0),
  }),
  dimensions: (s) => s,
});

// Workers cannot load .ts files directly: this bootstrap registers ts-node, then requires the worker.
const BOOTSTRAP = `require('ts-node').register({ transpileOnly: true }); require(require('node:worker_threads').workerData.file);`;

export async function main(workers = 4, jobsPerWorker = 1_000) {
  const recorder = new MetricsRecorder<JobDone>('jobs');
  recorder.registerMetric(jobsDone);
  const receivers = [];
  const exits: Promise<number>[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new MessageChannel();
    receivers.push(receiveEvents(port1, recorder));
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        file: join(__dirname, 'worker-pool.worker.ts'),
        port: port2,
        workerIndex: w,
        jobs: jobsPerWorker,
      },
      transferList: [port2],
    });
    exits.push(new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject)));
  }
  await Promise.all(exits);
  // Messages posted before a worker exits are still delivered: wait until every event arrived.
  const expected = workers * jobsPerWorker;
  while (receivers.reduce((n, r) => n + r.getStats().events, 0) < expected) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const dimensions = recorder.getMetricSnapshot('jobs.done')!.dimensions;
  const perReceiver = receivers.map((r) => r.getStats().events);
  receivers.forEach((r) => r.close());
  const stats = recorder.getStats();
  await recorder.dispose();
  return { dimensions, perReceiver, stats };
}

if (require.main === module) {
  main().then(({ dimensions, perReceiver }) => {
    console.log('jobs.done', dimensions);
    console.log(`receivers: ${perReceiver.length} x ${perReceiver[0]} events`);
  });
}
