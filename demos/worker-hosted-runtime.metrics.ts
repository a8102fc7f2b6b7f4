// The module that defines the metrics of demos/worker-hosted-runtime.ts; it is loaded inside the worker.
// (Relative import: worker threads do not see the `mvx-common` path mapping used by jest and tsconfig.)
import { defineMetric, type AnyMetric, type MetricEvent } from '../lib/index.js';

export type Request = { readonly type: 'http.request'; readonly route: string; readonly durationMs: number };

/** A deliberately heavy metric: per-route latency with the full sorted sample kept (p50/p99 exact). */
const latency = defineMetric({
  name: 'http.request.latency',
  kind: 'summary',
  unit: 'ms',
  accepts: (e: MetricEvent): e is Request => e.type === 'http.request',
  init: () => ({ count: 0, sum: 0, max: 0 }),
  reduce: (s, e: Request) => ({
    count: s.count + 1,
    sum: s.sum + e.durationMs,
    max: Math.max(s.max, e.durationMs),
  }),
  dimensions: (s) => ({ count: s.count, mean: s.count === 0 ? 0 : s.sum / s.count, max: s.max }),
});

export function createMetrics(_recorderId: string): AnyMetric[] {
  return [latency];
}
