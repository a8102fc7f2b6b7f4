// The metrics of demos/worker-failure.ts, loaded inside the worker. (Relative import: worker threads do
// not see the `mvx-common` path mapping used by jest and tsconfig.)
import { defineMetric, outcomeCounter, type AnyMetric, type MetricEvent } from '../lib/index.js';

export type Job = { readonly type: 'job.done'; readonly outcome: 'success' | 'failure' };
export type Poison = { readonly type: 'job.poison' };

/** A buggy custom metric: one kind of event sends it into an endless loop, blocking the worker. */
const buggy = defineMetric({
  name: 'jobs.buggy',
  accepts: (e: MetricEvent): e is Poison => e.type === 'job.poison',
  init: () => 0,
  reduce: (s: number) => {
    for (;;) {
      // the bug: never returns
    }
    return s;
  },
  dimensions: (s) => ({ count: s }),
});

export function createMetrics(_recorderId: string): AnyMetric[] {
  return [outcomeCounter<Job>({ name: 'jobs.done', on: 'job.done' }) as AnyMetric, buggy as AnyMetric];
}
