/**
 * Runtime benchmarks:
 * 1. events per second across the port bridge (createPortEmitter -> MessageChannel -> receiveEvents -> recorder);
 * 2. the main thread's event-loop delay (p99, `perf_hooks.monitorEventLoopDelay`) while one million
 *    events are aggregated by heavy metrics in-process versus in a worker-hosted runtime.
 *
 * Run: node --expose-gc -r ts-node/register/transpile-only bench/runtime.bench.ts
 * Imports are relative: ts-node does not apply the `mvx-common` path mapping.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import { MetricsRecorder } from '../lib/index.js';
import { createPortEmitter, receiveEvents } from '../lib/metrics/bridge/index.js';
import { WorkerMetricsRuntime } from '../lib/node/index.js';
import { createMetrics } from './runtime.bench.metrics.js';

const BURST = 5_000;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Events per second through the port bridge into a light recorder. */
export async function bridgeThroughput(events = 1_000_000): Promise<number> {
  gc();
  const recorder = new MetricsRecorder('bridge', { capacity: 1_000_000 });
  const { port1, port2 } = new MessageChannel();
  const receiver = receiveEvents(port2, recorder);
  const emitter = createPortEmitter<{ type: string; value: number }>(port1, { maxBatchSize: 1_024 });
  const started = performance.now();
  for (let i = 0; i < events; i += BURST) {
    for (let j = 0; j < BURST; j++) emitter.emit({ type: 'bench.work', value: j });
    await turn();
  }
  emitter.flush();
  await until(() => receiver.getStats().events >= events);
  await recorder.flush();
  const seconds = (performance.now() - started) / 1_000;
  receiver.close();
  port1.close();
  await recorder.dispose();
  return Math.round(events / seconds);
}

interface LoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly totalMs: number;
}

async function measureLoop(work: () => Promise<void>): Promise<LoopDelay> {
  gc();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  await work();
  const totalMs = performance.now() - started;
  histogram.disable();
  return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6, totalMs };
}

/** Event-loop delay while `events` heavy events are aggregated on the main thread. */
export function inProcessLoopDelay(events = 1_000_000): Promise<LoopDelay> {
  return measureLoop(async () => {
    const recorder = new MetricsRecorder('heavy', { capacity: 1_000_000 });
    for (const metric of createMetrics()) recorder.registerMetric(metric);
    for (let i = 0; i < events; i += BURST) {
      for (let j = 0; j < BURST; j++) recorder.emit({ type: 'bench.work', value: j } as never);
      await turn();
    }
    await recorder.flush();
    await recorder.dispose();
  });
}

/** Event-loop delay while `events` heavy events are aggregated in a worker-hosted runtime. */
export async function workerLoopDelay(events = 1_000_000): Promise<LoopDelay> {
  const runtime = new WorkerMetricsRuntime({
    namespace: 'bench',
    metricsModule: join(__dirname, 'runtime.bench.metrics.ts'),
    recorderDefaults: { capacity: 1_000_000 },
    batching: { maxBatchSize: 1_024 },
    maxInFlightEvents: 1_000_000, // the producer runs far ahead of the heavy metrics: nothing may be shed
  });
  await runtime.start();
  const heavy = await runtime.createRecorder('heavy');
  try {
    return await measureLoop(async () => {
      for (let i = 0; i < events; i += BURST) {
        for (let j = 0; j < BURST; j++) heavy.emit({ type: 'bench.work', value: j } as never);
        await turn();
      }
      await heavy.flush();
    });
  } finally {
    await runtime.shutdown();
  }
}

/** Runs every runtime benchmark and returns the numbers. */
export async function run(events = 1_000_000) {
  const bridgeEventsPerSecond = await bridgeThroughput(events);
  const inProcess = await inProcessLoopDelay(events);
  const inWorker = await workerLoopDelay(events);
  return { events, bridgeEventsPerSecond, inProcess, inWorker };
}

export function print(result: Awaited<ReturnType<typeof run>>): void {
  const fmt = (d: LoopDelay) =>
    `p99 ${d.p99Ms.toFixed(1)} ms, max ${d.maxMs.toFixed(1)} ms, total ${d.totalMs.toFixed(0)} ms`;
  console.log(`port bridge:           ${result.bridgeEventsPerSecond.toLocaleString('en')} events/s`);
  console.log(`heavy, in-process:     ${fmt(result.inProcess)}`);
  console.log(`heavy, worker-hosted:  ${fmt(result.inWorker)}`);
}

if (require.main === module) void run().then(print);
