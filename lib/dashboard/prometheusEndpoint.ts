import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { callerModuleFile } from '../internal/moduleFile.js';
import type { SnapshotSource } from '../metrics/source/snapshotSource.js';

/**
 * What the dashboard needs of a prom-client `Registry` for `/metrics` (a prom-client 15 `Registry` fits;
 * the Prometheus adapter checks the rest).
 */
export interface PrometheusRegistryLike {
  metrics(): Promise<string>;
  readonly contentType?: string;
}

/** The `/metrics` route of the dashboard server. @internal */
export interface PrometheusEndpoint {
  serve(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

type Adapter = {
  exposeToPrometheus(source: SnapshotSource, options: { registry: unknown }): { close(): void };
};

type Ready = { readonly registry: PrometheusRegistryLike; readonly exposure: { close(): void } | undefined };

const TEXT = 'text/plain; charset=utf-8';

/**
 * `/metrics` in the Prometheus text format: the source exposed with the Prometheus adapter
 * (`mvx-common/prometheus`) into `registry`, or into a registry of its own. prom-client and the adapter
 * are loaded here, lazily, so the dashboard works without prom-client (then `/metrics` answers 404
 * saying what to install). A given registry that already exposes the source (a conflict) is served as
 * it is. Never rejects.
 * @internal
 */
export async function prometheusEndpoint(
  source: SnapshotSource,
  registry: PrometheusRegistryLike | undefined,
): Promise<PrometheusEndpoint> {
  let ready: Ready | string;
  try {
    ready = await expose(source, registry);
  } catch (error) {
    ready = unavailable(error);
  }
  let closed = false;
  return {
    serve(req, res) {
      if (typeof ready === 'string') {
        res.writeHead(404, { 'Content-Type': TEXT, 'Cache-Control': 'no-store' });
        res.end(`${ready}\n`);
        return;
      }
      const { registry: r } = ready;
      r.metrics().then(
        (text) => {
          const body = Buffer.from(text);
          res.writeHead(200, {
            'Content-Type': r.contentType ?? 'text/plain; version=0.0.4; charset=utf-8',
            'Content-Length': String(body.length),
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
          });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          if (res.headersSent) return void res.destroy();
          res.writeHead(500, { 'Content-Type': TEXT, 'Cache-Control': 'no-store' });
          res.end(
            `Collecting the metrics failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        },
      );
    },
    close() {
      if (closed) return;
      closed = true;
      if (typeof ready !== 'string') ready.exposure?.close();
    },
  };
}

async function expose(source: SnapshotSource, given: PrometheusRegistryLike | undefined): Promise<Ready> {
  const registry = given ?? newRegistry();
  const mod = (await import('../adapters/prometheus/index.js')) as unknown as Adapter & { default?: Adapter };
  const adapter = typeof mod.exposeToPrometheus === 'function' ? mod : mod.default;
  if (adapter === undefined) throw new Error('the Prometheus adapter could not be loaded');
  try {
    return { registry, exposure: adapter.exposeToPrometheus(source, { registry }) };
  } catch (error) {
    if (given !== undefined && (error as { code?: unknown } | null)?.code === 'PROMETHEUS_CONFLICT') {
      return { registry, exposure: undefined };
    }
    throw error;
  }
}

/** A fresh prom-client `Registry`, prom-client resolved from this package (as an import would be). */
function newRegistry(): PrometheusRegistryLike {
  const self = callerModuleFile(typeof __filename === 'string' ? __filename : undefined);
  const load = createRequire(self ?? join(process.cwd(), 'index.js'));
  const { Registry } = load('prom-client') as { Registry: new () => PrometheusRegistryLike };
  return new Registry();
}

function unavailable(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || code === 'PEER_DEPENDENCY_MISSING') {
    return 'Prometheus metrics need the optional peer dependency prom-client: npm install prom-client@^15';
  }
  return `Prometheus metrics are not available: ${message}`;
}
