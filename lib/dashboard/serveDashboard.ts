import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkSnapshotSource,
  readSnapshotSource,
  type SnapshotSource,
} from '../metrics/source/snapshotSource.js';
import { checkString, orDefault, readOptions, typeError } from '../internal/validate.js';
import { loadPageAssets, renderPage, type PageAssets } from './pageAssets.js';
import {
  prometheusEndpoint,
  type PrometheusEndpoint,
  type PrometheusRegistryLike,
} from './prometheusEndpoint.js';
import { snapshotEventStream, type SnapshotEventStreamHandler } from './snapshotEventStream.js';
import { checkIntegerIn, streamConfigFrom, type SnapshotEventStreamOptions } from './streamOptions.js';

/** Options of {@link serveDashboard}. */
export interface DashboardOptions {
  /** Interface to listen on. Anything but loopback exposes the data to the network: there is no auth. @default '127.0.0.1' */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (read it from `url`). @default 0 */
  readonly port?: number;
  /** Tick interval of the event stream. @default 1000 */
  readonly intervalMs?: number;
  /** Ticks kept for new pages (see `snapshotEventStream`). @default 300 */
  readonly history?: number;
  /** The page's title. @default 'mvx-common dashboard' */
  readonly title?: string;
  /**
   * A prom-client `Registry` for `/metrics` (the source is exposed into it with the Prometheus
   * adapter). Without one, a fresh registry is made when prom-client is installed.
   */
  readonly registry?: PrometheusRegistryLike;
}

/** A running dashboard server. */
export interface DashboardServer {
  /** The page's address, e.g. `http://127.0.0.1:8030/`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The event stream handler behind `/events` (its stats, for health checks). */
  readonly events: SnapshotEventStreamHandler;
  /** Ends every event stream, closes every connection and stops the server. Idempotent. */
  close(): Promise<void>;
}

const OPTION_KEYS = ['host', 'port', 'intervalMs', 'history', 'title', 'registry'] as const;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves a live dashboard of `source` (a `MetricsRecorder`, a `MetricsRuntime` or a
 * `WorkerMetricsRuntime`) from one `node:http` server: the page at `/` (self-hosted, no CDN), its
 * event stream at `/events` (`snapshotEventStream`, recording while no page is open so a fresh page
 * shows the recent history), the current readings as JSON at `/snapshots`, and the Prometheus text
 * format at `/metrics` when prom-client is installed. Resolves once listening.
 *
 * ## Example
 * ```ts
 * import { MetricsRuntime } from 'mvx-common';
 * import { serveDashboard } from 'mvx-common/dashboard';
 *
 * declare const runtime: MetricsRuntime; // the service's recorders
 * const dashboard = await serveDashboard(runtime, { port: 8030, title: 'orders service' });
 * console.log(`dashboard: ${dashboard.url}`);
 * // ...
 * await dashboard.close();
 * ```
 * @throws TypeError / RangeError naming the bad argument or option (as a rejection).
 */
export async function serveDashboard(
  source: SnapshotSource,
  options?: DashboardOptions,
): Promise<DashboardServer> {
  checkSnapshotSource('source', source);
  const o = readOptions('options', options, OPTION_KEYS);
  const host = orDefault(o.host, '127.0.0.1', (v) => checkString('options.host', v, { nonEmpty: true }));
  const port = orDefault(o.port, 0, (v) => checkIntegerIn('options.port', v, 0, 65_535));
  const title = orDefault(o.title, 'mvx-common dashboard', (v) => checkString('options.title', v));
  const registry = o.registry === undefined ? undefined : checkRegistry(o.registry);
  const streamOptions = { intervalMs: o.intervalMs, history: o.history, recordWhileIdle: true };
  streamConfigFrom(streamOptions); // checks intervalMs and history before anything starts
  const assets = await loadPageAssets();
  const events = snapshotEventStream(source, streamOptions as SnapshotEventStreamOptions);
  const metrics = await prometheusEndpoint(source, registry);
  const page = Buffer.from(renderPage(assets, title));
  const server = createServer((req, res) => {
    try {
      route(req, res, { source, assets, page, events, metrics });
    } catch {
      if (!res.headersSent) respond(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n');
      else res.destroy();
    }
  });
  try {
    await listen(server, port, host);
  } catch (error) {
    events.close();
    metrics.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return Object.freeze({
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    events,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        events.close();
        metrics.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  });
}

interface RouteContext {
  readonly source: SnapshotSource;
  readonly assets: PageAssets;
  readonly page: Buffer;
  readonly events: SnapshotEventStreamHandler;
  readonly metrics: PrometheusEndpoint;
}

function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (path === '/events') {
    ctx.events(req, res);
    return;
  }
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, {
      ...SECURITY_HEADERS,
      Allow: 'GET, HEAD',
      'Content-Type': 'text/plain; charset=utf-8',
    });
    res.end('Method Not Allowed\n');
    return;
  }
  if (path === '/' || path === '/index.html') {
    respond(res, 200, 'text/html; charset=utf-8', ctx.page, {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': PAGE_CSP,
      'X-Frame-Options': 'DENY',
    });
    return;
  }
  if (path === '/snapshots') {
    const body = JSON.stringify({
      time: Date.now(),
      recorders: readSnapshotSource(ctx.source).map(toJsonReading),
    });
    respond(res, 200, 'application/json; charset=utf-8', body, { 'Cache-Control': 'no-store' });
    return;
  }
  if (path === '/metrics') {
    ctx.metrics.serve(req, res);
    return;
  }
  if (path.startsWith('/assets/')) {
    const asset = ctx.assets.files.get(path.slice('/assets/'.length));
    if (asset !== undefined) {
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, { ...SECURITY_HEADERS, ETag: asset.etag });
        res.end();
        return;
      }
      const versioned = new URLSearchParams(query).get('v') === ctx.assets.version;
      const gzip = acceptsGzip(req);
      respond(res, 200, asset.contentType, gzip ? asset.gzipped : asset.body, {
        ETag: asset.etag,
        'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache',
        Vary: 'Accept-Encoding',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      return;
    }
  }
  respond(res, 404, 'text/plain; charset=utf-8', 'Not Found\n', { 'Cache-Control': 'no-store' });
}

/** True when the request accepts gzip (and does not refuse it with `q=0`). */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    return !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

function toJsonReading(r: ReturnType<typeof readSnapshotSource>[number]): unknown {
  return {
    recorderId: r.recorderId,
    entityId: r.entityId,
    namespace: r.namespace,
    state: r.state ?? null,
    stats: r.stats ?? null,
    startTime: r.startTime ?? null,
    snapshots: r.snapshots,
  };
}

function respond(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
  });
  res.end(res.req?.method === 'HEAD' ? undefined : bytes);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.removeListener('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function checkRegistry(value: unknown): PrometheusRegistryLike {
  const r = value as { metrics?: unknown } | null;
  if (r === null || typeof r !== 'object' || typeof r.metrics !== 'function') {
    throw typeError('options.registry', 'a prom-client Registry', value);
  }
  return value as PrometheusRegistryLike;
}
