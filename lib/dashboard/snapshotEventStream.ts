import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkSnapshotSource, type SnapshotSource } from '../metrics/source/snapshotSource.js';
import { SnapshotHub, type SnapshotStreamStats } from './SnapshotHub.js';
import { readStreamOptions, type SnapshotEventStreamOptions } from './streamOptions.js';

/**
 * A `node:http` request handler (so also an Express or Fastify-raw handler) that streams a snapshot
 * source as Server-Sent Events, plus its controls.
 */
export interface SnapshotEventStreamHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Identifies this stream in event ids (`<stream>:<seq>`); new per handler and process. */
  readonly stream: string;
  /** Ends every connection and stops the timers; later requests get a 503. Idempotent. */
  close(): void;
  /** Clients, ticks, history and buffer sizes now. */
  getStats(): SnapshotStreamStats;
}

/**
 * Streams the snapshots of `source` (a `MetricsRecorder`, a `MetricsRuntime` or a
 * `WorkerMetricsRuntime`) to every connected client as Server-Sent Events in the
 * `mvx.dashboard/1` protocol (docs/dashboard.md): on connect a `hello`, the metric `definitions` and
 * the retained history; then one `snapshot` per tick (every `intervalMs`, whatever happened in
 * between: changes are coalesced), new `definitions` before the tick that first shows a new or
 * changed recorder or metric, and `heartbeat`s while nothing else is sent.
 *
 * Each tick reads the source once (`readSnapshotSource`) and is serialised and encoded once, then the
 * same bytes go to every client. A client that cannot keep up never grows server memory: it skips to
 * the latest tick when it drains. A client resuming with `Last-Event-ID` (or a `lastEventId` query
 * parameter) gets only what it missed, if the history still has it. The timers run only while a client
 * is connected (unless `recordWhileIdle`), and a disconnect releases everything.
 *
 * ## Example
 * ```ts
 * import { createServer, type RequestListener } from 'node:http';
 * import { MetricsRuntime } from 'mvx-common';
 * import { snapshotEventStream } from 'mvx-common/dashboard';
 *
 * declare const runtime: MetricsRuntime; // the service's recorders
 * declare const app: RequestListener; // the service's own routes
 * const events = snapshotEventStream(runtime, { intervalMs: 1000 });
 * createServer((req, res) => (req.url?.startsWith('/events') ? events(req, res) : app(req, res))).listen(8080);
 * ```
 * @throws TypeError / RangeError naming the bad argument or option.
 */
export function snapshotEventStream(
  source: SnapshotSource,
  options?: SnapshotEventStreamOptions,
): SnapshotEventStreamHandler {
  checkSnapshotSource('source', source);
  const config = readStreamOptions(options);
  const hub = new SnapshotHub(source, config);
  const handler = (req: IncomingMessage, res: ServerResponse): void => hub.handle(req, res);
  return Object.assign(handler, {
    stream: hub.stream,
    close: () => hub.close(),
    getStats: () => hub.getStats(),
  });
}
