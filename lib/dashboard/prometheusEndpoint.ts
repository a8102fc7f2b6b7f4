import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SnapshotSource } from '../metrics/source/snapshotSource.js';

/** What `/metrics` needs of a prom-client `Registry`. */
export interface PrometheusRegistryLike {
  metrics(): Promise<string>;
  readonly contentType?: string;
}

/** The `/metrics` route of the dashboard server. @internal */
export interface PrometheusEndpoint {
  serve(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

/**
 * `/metrics` in the Prometheus text format, through the Prometheus adapter (`mvx-common/prometheus`).
 * Not available yet in this build: answers 404 naming what is missing.
 * @internal
 */
export function prometheusEndpoint(
  _source: SnapshotSource,
  _registry: PrometheusRegistryLike | undefined,
): PrometheusEndpoint {
  return {
    serve(_req, res) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Prometheus metrics are not available: the mvx-common/prometheus adapter is missing\n');
    },
    close() {},
  };
}
