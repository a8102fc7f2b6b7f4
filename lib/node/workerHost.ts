import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { checkFunction } from '../internal/validate.js';
import type { AnyMetric } from '../metrics/metric.js';
import { MetricsRuntime } from '../metrics/runtime/MetricsRuntime.js';
import { HostedRecorder } from './HostedRecorder.js';
import {
  HOST_PROTOCOL,
  isHostMessage,
  type HostConfig,
  type HostMessage,
  type HostRequest,
} from './protocol.js';
import { toWire } from './wireErrors.js';

/**
 * What the module named by `metricsModule` exports (directly or as its `default` export): a
 * `createMetrics(recorderId)` function returning the metrics to register on each new recorder, or a
 * `metrics` array registered on every recorder.
 *
 * ## Example
 * ```ts
 * // job-metrics.ts, loaded inside the worker by a WorkerMetricsRuntime (options.metricsModule)
 * import { outcomeCounter, type AnyMetric } from 'mvx-common';
 *
 * export function createMetrics(recorderId: string): AnyMetric[] {
 *   // Called once per createRecorder(recorderId): each recorder gets its metrics.
 *   return [outcomeCounter({ name: recorderId === 'jobs' ? 'jobs.done' : `${recorderId}.done`, on: 'job.done' })];
 * }
 * ```
 */
export interface WorkerMetricsModule {
  createMetrics?(recorderId: string): readonly AnyMetric[];
  metrics?: readonly AnyMetric[];
}

type MetricsFactory = (recorderId: string) => readonly AnyMetric[];

/** Loads a module file in the worker. @internal */
export type ModuleLoader = (file: string) => Promise<unknown>;

/** The fallback loader: `.ts` files through `require` (ts-node), everything else through `import()`. */
const defaultLoader: ModuleLoader = async (file) =>
  /\.[cm]?ts$/.test(file) ? createRequire(file)(file) : import(pathToFileURL(file).href);

/** Loads the metrics module and finds its `createMetrics` function or `metrics` array. */
async function loadMetricsFactory(file: string, load: ModuleLoader): Promise<MetricsFactory> {
  const loaded: unknown = await load(file);
  const candidates = [loaded, (loaded as { default?: unknown } | null)?.default];
  for (const mod of candidates) {
    if (mod === null || typeof mod !== 'object') continue;
    const { createMetrics, metrics } = mod as WorkerMetricsModule;
    if (typeof createMetrics === 'function') return (id) => createMetrics.call(mod, id);
    if (Array.isArray(metrics)) return () => metrics;
  }
  throw new TypeError(
    `Expected the metrics module \`${file}\` to export \`createMetrics(recorderId)\` or a \`metrics\` array`,
  );
}

/**
 * The worker side of a worker-hosted runtime: runs inside the worker started by `WorkerMetricsRuntime`.
 * Not for direct use. `options.load` is the bootstrap's native module loader (a host transpiled to
 * CommonJS cannot `import()` by itself).
 * @internal
 */
export async function runWorkerHost(options: { readonly load?: ModuleLoader } = {}): Promise<void> {
  const control = parentPort;
  if (!control) throw new Error('runWorkerHost must run inside a worker thread');
  const config = (workerData as { mvx: HostConfig }).mvx;
  const post = (message: HostMessage): void => control.postMessage(message);
  let runtime: MetricsRuntime;
  let createMetrics: MetricsFactory;
  try {
    createMetrics = checkFunction<MetricsFactory>(
      'createMetrics',
      await loadMetricsFactory(config.metricsModule, options.load ?? defaultLoader),
    );
    runtime = new MetricsRuntime({
      namespace: config.namespace,
      recorderDefaults: config.recorderDefaults,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    await runtime.start();
  } catch (error) {
    post({ mvx: HOST_PROTOCOL, kind: 'startup-failed', error: toWire(error) });
    return;
  }
  const hosted = new Map<string, HostedRecorder>();

  const handle = async (request: HostRequest, port: MessagePort | undefined) => {
    switch (request.op) {
      case 'create': {
        if (!port) throw new TypeError('Expected a recorder channel port');
        const recorder = await runtime.createRecorder(request.recorderId, request.options);
        const id = request.recorderId.trim();
        try {
          for (const metric of createMetrics(id)) recorder.registerMetric(metric);
        } catch (error) {
          await runtime.stopAndRemoveRecorder(id).catch(() => undefined);
          throw error;
        }
        const entry = new HostedRecorder(
          id,
          recorder,
          port,
          runtime,
          { flushBudgetMs: config.requestTimeoutMs / 2 },
          (released) => hosted.delete(released),
        );
        hosted.set(id, entry);
        return { entityId: recorder.entityId, namespace: recorder.namespace };
      }
      case 'shutdown':
        try {
          await runtime.shutdown();
        } finally {
          for (const entry of [...hosted.values()]) entry.release();
        }
        return undefined;
      case 'ping':
        return undefined;
    }
  };

  control.on('message', (data: unknown) => {
    if (!isHostMessage(data) || data.kind !== 'request') return;
    const port = (data as { port?: MessagePort }).port;
    handle(data.request as HostRequest, port).then(
      (value) =>
        post({ mvx: HOST_PROTOCOL, kind: 'response', id: data.id, ok: true, ...(value ? { value } : {}) }),
      (error: unknown) =>
        post({ mvx: HOST_PROTOCOL, kind: 'response', id: data.id, ok: false, error: toWire(error) }),
    );
  });
  post({ mvx: HOST_PROTOCOL, kind: 'ready' });
}
