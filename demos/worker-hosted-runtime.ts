/**
 * A runtime that hosts its recorders in a worker thread: the main thread only batches events and reads
 * mirrored snapshots; aggregation runs off the main event loop.
 *
 * Run: npm run build && npx ts-node --transpile-only demos/worker-hosted-runtime.ts
 *
 * Expected output:
 *   http.request.latency { count: 10000, mean: 24.5, max: 49 }
 *   recorder stats: offered 10000, processed 10000
 */
import { join } from 'node:path';
import { WorkerMetricsRuntime } from 'mvx-common/node';
import type { Request } from './worker-hosted-runtime.metrics';

export async function main(events = 10_000) {
  const runtime = new WorkerMetricsRuntime({
    namespace: 'demo.http',
    metricsModule: join(__dirname, 'worker-hosted-runtime.metrics.ts'),
  });
  await runtime.start();
  try {
    const http = await runtime.createRecorder<Request>('http');
    for (let i = 0; i < events; i++) http.emit({ type: 'http.request', route: '/docs', durationMs: i % 50 });
    await http.flush(); // waits until the worker processed everything and the snapshots mirrored back
    return {
      dimensions: http.getMetricSnapshot('http.request.latency')!.dimensions,
      stats: http.getStats()!,
    };
  } finally {
    await runtime.shutdown();
  }
}

if (require.main === module) {
  main().then(({ dimensions, stats }) => {
    console.log('http.request.latency', dimensions);
    console.log(`recorder stats: offered ${stats.offered}, processed ${stats.processed}`);
  });
}
