import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Subscription } from 'rxjs';
import { checkFunction } from '../internal/validate.js';
import { postSnapshots } from '../metrics/bridge/mirrorSnapshots.js';
import { receiveEvents, type EventReceiver } from '../metrics/bridge/receiveEvents.js';
import { listen } from '../metrics/bridge/MessagePortLike.js';
import type { AnyMetric } from '../metrics/metric.js';
import type { MetricsRecorder } from '../metrics/recorder/MetricsRecorder.js';
import type { RecorderStats } from '../metrics/recorder/types.js';
import { MetricsRuntime } from '../metrics/runtime/MetricsRuntime.js';
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
 * // job-metrics.ts, loaded inside the worker
 * import { defineMetric, type AnyMetric } from 'mvx-common';
 * export function createMetrics(recorderId: string): AnyMetric[] {
 *   return [jobsDone];
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

interface Hosted {
  readonly recorder: MetricsRecorder;
  readonly port: MessagePort;
  readonly receiver: EventReceiver;
  readonly posting: Subscription;
  readonly unlisten: () => void;
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
  const hosted = new Map<string, Hosted>();

  const release = (id: string): void => {
    const entry = hosted.get(id);
    if (!entry) return;
    hosted.delete(id);
    entry.receiver.close();
    entry.posting.unsubscribe();
    entry.unlisten();
    entry.port.close();
  };

  const handle = async (request: HostRequest, port: MessagePort | undefined) => {
    switch (request.op) {
      case 'create': {
        const recorder = await runtime.createRecorder(request.recorderId, request.options);
        const id = request.recorderId.trim();
        try {
          for (const metric of createMetrics(id)) recorder.registerMetric(metric);
        } catch (error) {
          await runtime.stopAndRemoveRecorder(id).catch(() => undefined);
          throw error;
        }
        if (!port) throw new TypeError('Expected a recorder channel port');
        const receiver = receiveEvents(port, recorder);
        const posting = postSnapshots(recorder.snapshots$, port);
        const postStats = (stats: RecorderStats): void =>
          port.postMessage({
            mvx: HOST_PROTOCOL,
            kind: 'stats',
            stats,
            state: recorder.getStatus(),
            startTime: recorder.getStartTime(),
          });
        posting.add(recorder.stats$.subscribe(postStats));
        const unlisten = listen(port, (data) => {
          if (!isHostMessage(data) || data.kind !== 'flush') return;
          void recorder.flush().then(() => {
            postStats(recorder.getStats());
            port.postMessage({ mvx: HOST_PROTOCOL, kind: 'flushed', token: data.token });
          });
        });
        hosted.set(id, { recorder, port, receiver, posting, unlisten });
        return { entityId: recorder.entityId, namespace: recorder.namespace };
      }
      case 'stop':
        await runtime.stopRecorder(request.recorderId);
        return undefined;
      case 'stopAndRemove':
        try {
          await runtime.stopAndRemoveRecorder(request.recorderId);
        } finally {
          if (!runtime.tryGetRecorder(request.recorderId)) release(request.recorderId.trim());
        }
        return undefined;
      case 'shutdown':
        try {
          await runtime.shutdown();
        } finally {
          for (const id of [...hosted.keys()]) release(id);
        }
        return undefined;
    }
  };

  control.on('message', (data: unknown) => {
    if (!isHostMessage(data) || data.kind !== 'request') return;
    const port = (data as { port?: MessagePort }).port;
    handle(data.request, port).then(
      (value) =>
        post({ mvx: HOST_PROTOCOL, kind: 'response', id: data.id, ok: true, ...(value ? { value } : {}) }),
      (error: unknown) =>
        post({ mvx: HOST_PROTOCOL, kind: 'response', id: data.id, ok: false, error: toWire(error) }),
    );
  });
  post({ mvx: HOST_PROTOCOL, kind: 'ready' });
}
