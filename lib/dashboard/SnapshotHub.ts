import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { interval, timer, type Subscription } from 'rxjs';
import { SNAPSHOT_STREAM_PROTOCOL, type WireHello } from '../client/protocol.js';
import { readSnapshotSource, type SnapshotSource } from '../metrics/source/snapshotSource.js';
import { FrameBuilder } from './FrameBuilder.js';
import { SseConnection } from './SseConnection.js';
import { definitionsFrame, encodeBody, heartbeatFrame, helloFrame, tickFrame } from './sseFrames.js';
import type { StreamConfig } from './streamOptions.js';
import { TickHistory } from './TickHistory.js';

/** Counters of a snapshot event stream, for health checks and tests. */
export interface SnapshotStreamStats {
  /** Connected clients. */
  readonly clients: number;
  /** Ticks so far (the `seq` of the latest). */
  readonly ticks: number;
  /** Ticks kept in the history. */
  readonly history: number;
  /** Bytes the history holds (bodies shared by unchanged ticks counted once). */
  readonly historyBytes: number;
  /** Bytes queued in Node for all clients together (never more than about one event per client). */
  readonly bufferedBytes: number;
  /** Ticks slow clients skipped (they got the latest one instead). */
  readonly skippedTicks: number;
  /** Snapshots left out because their dimensions could not be serialised. */
  readonly unserializableSnapshots: number;
  /** Version of the current definitions. */
  readonly definitionsVersion: number;
  /** True while the tick timer runs. */
  readonly ticking: boolean;
}

const EVENT_ID = /^([0-9a-f]+):(\d+)$/;

/**
 * The shared side of a snapshot event stream: one tick timer (RxJS `timer` on the configured
 * scheduler), one serialisation per tick, the tick history, and the connected clients.
 * @internal
 */
export class SnapshotHub {
  readonly stream = randomBytes(6).toString('hex');
  readonly history: TickHistory;
  private readonly builder = new FrameBuilder();
  private readonly clients = new Set<SseConnection>();
  private tickSubscription: Subscription | undefined;
  private heartbeatSubscription: Subscription | undefined;
  private seq = 0;
  private lastTickTime = -Infinity;
  private lastBody: { readonly text: string; readonly bytes: Buffer } | undefined;
  private definitionsBytes: { readonly version: number; readonly bytes: Buffer } | undefined;
  private skippedTicks = 0;
  private closed = false;

  constructor(
    private readonly source: SnapshotSource,
    private readonly config: StreamConfig,
  ) {
    this.history = new TickHistory(config.history);
    if (config.recordWhileIdle) this.startTicking();
  }

  get definitionsVersion(): number {
    return this.builder.definitionsVersion;
  }

  definitionsFrame(): Buffer {
    const version = this.builder.definitionsVersion;
    if (this.definitionsBytes?.version !== version) {
      this.definitionsBytes = { version, bytes: definitionsFrame(this.builder.definitions) };
    }
    return this.definitionsBytes.bytes;
  }

  now(): number {
    return this.config.scheduler.now();
  }

  skipped(count: number): void {
    this.skippedTicks += count;
  }

  /** Serves one request: a GET becomes a connection; HEAD gets the headers; anything else a 405. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.closed) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('The snapshot stream is closed.\n');
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.httpVersionMajor === 1) headers['Connection'] = 'keep-alive';
    res.writeHead(200, headers);
    if (method === 'HEAD') {
      res.end();
      return;
    }
    if (res.destroyed) return;
    req.socket?.setNoDelay?.(true);
    res.flushHeaders?.();

    const after = this.resumePoint(lastEventIdOf(req));
    const latest = this.history.latest();
    const hello: WireHello = {
      protocol: SNAPSHOT_STREAM_PROTOCOL,
      stream: this.stream,
      intervalMs: this.config.intervalMs,
      heartbeatMs: this.config.heartbeatMs,
      history: this.config.history,
      resumed: after !== undefined,
      latest: latest?.seq ?? 0,
      time: this.now(),
    };
    const oldest = this.history.oldest();
    const connection = new SseConnection(
      this,
      res,
      after ?? (oldest === undefined ? this.seq : oldest.seq - 1),
    );
    connection.writeRaw(helloFrame(hello, this.config.retryMs));
    this.clients.add(connection);
    const onGone = (): void => this.detach(connection);
    res.once('close', onGone);
    res.on('error', () => undefined);
    this.startTicking();
    connection.pump();
  }

  /** Stops the timers, ends every connection; later requests get a 503. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTicking();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  getStats(): SnapshotStreamStats {
    let buffered = 0;
    for (const c of this.clients) buffered += c.bufferedBytes;
    return Object.freeze({
      clients: this.clients.size,
      ticks: this.seq,
      history: this.history.length,
      historyBytes: this.history.bytes(),
      bufferedBytes: buffered,
      skippedTicks: this.skippedTicks,
      unserializableSnapshots: this.builder.unserializable,
      definitionsVersion: this.builder.definitionsVersion,
      ticking: this.tickSubscription !== undefined,
    });
  }

  /** The tick: read every recorder once, serialise once, keep it, hand it to every client. */
  tick(): void {
    try {
      const content = this.builder.build(readSnapshotSource(this.source));
      let body = this.lastBody;
      if (body === undefined || body.text !== content.body) {
        body = { text: content.body, bytes: encodeBody(content.body) };
        this.lastBody = body;
      }
      this.seq += 1;
      const time = this.now();
      this.lastTickTime = time;
      this.history.push(tickFrame(this.stream, this.seq, time, body.bytes));
      for (const c of this.clients) c.onTick();
    } catch {
      // never let a tick failure stop the timer; the next tick tries again
    }
  }

  private detach(connection: SseConnection): void {
    connection.release();
    this.clients.delete(connection);
    if (this.clients.size === 0) {
      this.heartbeatSubscription?.unsubscribe();
      this.heartbeatSubscription = undefined;
      if (!this.config.recordWhileIdle) this.stopTicking();
    }
  }

  private startTicking(): void {
    if (this.closed) return;
    const { scheduler, intervalMs, heartbeatMs } = this.config;
    if (this.tickSubscription === undefined) {
      // Restarting soon after a stop keeps "at most one tick per interval".
      const delay = Math.max(0, Math.min(intervalMs, this.lastTickTime + intervalMs - this.now()));
      this.tickSubscription = timer(delay, intervalMs, scheduler).subscribe(() => this.tick());
    }
    if (this.heartbeatSubscription === undefined && this.clients.size > 0) {
      this.heartbeatSubscription = interval(heartbeatMs, scheduler).subscribe(() => this.heartbeat());
    }
  }

  private stopTicking(): void {
    this.tickSubscription?.unsubscribe();
    this.tickSubscription = undefined;
    this.heartbeatSubscription?.unsubscribe();
    this.heartbeatSubscription = undefined;
  }

  private heartbeat(): void {
    try {
      const frame = heartbeatFrame(this.now());
      for (const c of this.clients) c.heartbeat(frame, this.config.heartbeatMs / 2);
    } catch {
      // likewise
    }
  }

  /**
   * The `seq` after which a resuming client continues, or undefined for a full replay (no id, an id
   * of another stream or process, or one older than the history).
   */
  private resumePoint(lastEventId: string | undefined): number | undefined {
    if (lastEventId === undefined) return undefined;
    const m = EVENT_ID.exec(lastEventId.trim());
    if (m === null || m[1] !== this.stream) return undefined;
    const seq = Number(m[2]);
    const oldest = this.history.oldest();
    if (!Number.isSafeInteger(seq) || seq > this.seq) return undefined;
    if (oldest === undefined) return seq === this.seq ? seq : undefined;
    return seq >= oldest.seq - 1 ? seq : undefined;
  }
}

/** The `Last-Event-ID` header, else the `lastEventId` query parameter. */
function lastEventIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return header;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  try {
    const value = new URLSearchParams(url.slice(q + 1)).get('lastEventId');
    return value === null || value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
