/**
 * The demo service: a document-storage API, a load generator calling it over HTTP, their recorders in
 * a worker-hosted runtime, and the live dashboard (page, event stream, JSON, Prometheus) on one port.
 */
import { extname, join } from 'node:path';
import { readSnapshotSource, type RecorderReading } from 'mvx-common';
import { serveDashboard, type DashboardServer } from 'mvx-common/dashboard';
import { WorkerMetricsRuntime, type RemoteRecorder } from 'mvx-common/node';

/** What the service needs of its recorders' facades at the end. */
type Facade = Pick<RemoteRecorder, 'recorderId' | 'flush' | 'getBridgeStats'>;
import { DocumentApi, type Chaos } from './documentApi';
import type { HttpEvent, LoadEvent, StorageEvent } from './events';
import { LoadGenerator } from './loadGenerator';

export interface DemoOptions {
  /** Dashboard port (0: a free one). */
  readonly port?: number;
  readonly host?: string;
  /** Base request rate of the load generator. */
  readonly rate?: number;
}

/** One recorder at the end: its reading and what the main thread's facade sent. */
export interface FinalRecorder extends RecorderReading {
  /** Events emitted on the main thread (the facade). */
  readonly emitted: number;
  /** Events the facade could not hand to the worker. */
  readonly bridgeDropped: number;
  /** Events still unsent (0 after the final flush). */
  readonly bridgeUnsent: number;
}

export interface DemoService {
  readonly dashboardUrl: string;
  readonly apiUrl: string;
  readonly dashboard: DashboardServer;
  /** Stops the load, the API, the dashboard and the runtime; returns the final readings. */
  stop(): Promise<readonly FinalRecorder[]>;
}

export async function startDemoService(options: DemoOptions = {}): Promise<DemoService> {
  const runtime = new WorkerMetricsRuntime({
    namespace: 'demo.document_storage',
    metricsModule: join(__dirname, `metrics${extname(__filename)}`),
  });
  await runtime.start();
  let api: DocumentApi | undefined;
  let dashboard: DashboardServer | undefined;
  try {
    const http = await runtime.createRecorder<HttpEvent>('http');
    const storage = await runtime.createRecorder<StorageEvent>('storage');
    const load = await runtime.createRecorder<LoadEvent>('loadgen');
    const facades: readonly Facade[] = [http, storage, load];
    const chaos: Chaos = { errorRate: 0.01, latencyFactor: 1 };
    api = new DocumentApi(chaos, http.emitter, storage.emitter);
    const apiUrl = await api.listen(0, '127.0.0.1');
    dashboard = await serveDashboard(runtime, {
      ...(options.host === undefined ? {} : { host: options.host }),
      port: options.port ?? 0,
      title: 'Document storage demo',
    });
    const generator = new LoadGenerator(apiUrl, { rate: options.rate ?? 40, chaos, metrics: load.emitter });
    generator.start();
    const served = dashboard;
    const apiServer = api;
    let stopping: Promise<readonly FinalRecorder[]> | undefined;
    return {
      dashboardUrl: served.url,
      apiUrl,
      dashboard: served,
      stop: () =>
        (stopping ??= (async () => {
          await generator.stop();
          await apiServer.close();
          await Promise.all(facades.map((f) => f.flush()));
          const final = readSnapshotSource(runtime).map((reading): FinalRecorder => {
            const bridge = facades.find((f) => f.recorderId === reading.recorderId)?.getBridgeStats();
            return {
              ...reading,
              emitted: bridge?.emitted ?? 0,
              bridgeDropped: bridge?.dropped ?? 0,
              bridgeUnsent: bridge?.unsent ?? 0,
            };
          });
          await served.close();
          await runtime.shutdown();
          return final;
        })()),
    };
  } catch (error) {
    await dashboard?.close();
    await api?.close();
    await runtime.shutdown().catch(() => undefined);
    throw error;
  }
}
