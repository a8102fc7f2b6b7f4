// A pool worker for demos/worker-pool.ts: emits job events over the port it was given.
// Worker threads do not see the jest/tsconfig `mvx-common` path mapping, so this file imports the
// library by relative path; an installed application writes `from 'mvx-common'`.
import { workerData, type MessagePort } from 'node:worker_threads';
import { createPortEmitter } from '../lib/metrics/bridge/index.js';

const { port, workerIndex, jobs } = workerData as { port: MessagePort; workerIndex: number; jobs: number };
type JobDone = {
  readonly type: 'job.done';
  readonly worker: number;
  readonly outcome: 'success' | 'failure';
};

const metrics = createPortEmitter<JobDone>(port, { maxBatchSize: 256, flushIntervalMs: 5 });
for (let i = 0; i < jobs; i++) {
  metrics.emit({ type: 'job.done', worker: workerIndex, outcome: i % 10 === 0 ? 'failure' : 'success' });
}
metrics.close(); // flushes the last batch
port.close();
