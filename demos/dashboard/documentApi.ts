/**
 * A small document-storage HTTP API (save / read / delete), instrumented the MVX way: its HTTP layer
 * and its store only *emit events*; they know nothing about metrics, recorders or workers. A `Chaos`
 * object lets the scenario inject failures and slowness, as a flaky disk would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopEmitter, type MetricEmitter } from 'mvx-common';
import type { HttpEvent, StorageEvent } from './events';

/** What the scenario does to the store right now. */
export interface Chaos {
  /** Probability that a store operation fails. */
  errorRate: number;
  /** Multiplier of the store's latency. */
  latencyFactor: number;
}

const MAX_BODY = 256 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A latency around `median` ms with a long tail (log-normal), scaled by the chaos factor. */
function latency(median: number, chaos: Chaos): number {
  const u = Math.max(1e-9, Math.random());
  const v = Math.random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(0.6 * normal) * chaos.latencyFactor;
}

class StoreFailure extends Error {}

/** The store: documents in memory behind simulated I/O. Reports one event per operation. */
export class DocumentStore {
  private readonly documents = new Map<string, string>();
  private bytes = 0;

  constructor(
    private readonly chaos: Chaos,
    private readonly metrics: MetricEmitter<StorageEvent> = noopEmitter,
  ) {}

  async save(id: string, content: string): Promise<void> {
    const started = performance.now();
    try {
      await this.io(6);
      const before = this.documents.get(id);
      this.bytes += content.length - (before?.length ?? 0);
      this.documents.set(id, content);
      this.metrics.emit({
        type: 'document.save',
        outcome: 'success',
        bytes: content.length,
        durationMs: performance.now() - started,
      });
      this.reportSize();
    } catch (error) {
      this.metrics.emit({
        type: 'document.save',
        outcome: 'failure',
        bytes: content.length,
        durationMs: performance.now() - started,
      });
      throw error;
    }
  }

  async read(id: string): Promise<string | undefined> {
    const started = performance.now();
    try {
      await this.io(2);
      const doc = this.documents.get(id);
      this.metrics.emit({
        type: 'document.read',
        outcome: doc === undefined ? 'miss' : 'hit',
        durationMs: performance.now() - started,
      });
      return doc;
    } catch (error) {
      this.metrics.emit({
        type: 'document.read',
        outcome: 'failure',
        durationMs: performance.now() - started,
      });
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const started = performance.now();
    try {
      await this.io(3);
      const doc = this.documents.get(id);
      if (doc !== undefined) {
        this.documents.delete(id);
        this.bytes -= doc.length;
        this.reportSize();
      }
      this.metrics.emit({
        type: 'document.delete',
        outcome: doc === undefined ? 'miss' : 'success',
        durationMs: performance.now() - started,
      });
      return doc !== undefined;
    } catch (error) {
      this.metrics.emit({
        type: 'document.delete',
        outcome: 'failure',
        durationMs: performance.now() - started,
      });
      throw error;
    }
  }

  get size(): number {
    return this.documents.size;
  }

  private async io(medianMs: number): Promise<void> {
    await sleep(latency(medianMs, this.chaos));
    if (Math.random() < this.chaos.errorRate) throw new StoreFailure('the disk is unhappy');
  }

  private reportSize(): void {
    this.metrics.emit({ type: 'storage.size', documents: this.documents.size, bytes: this.bytes });
  }
}

/** The HTTP API over a store: PUT / GET / DELETE /documents/:id, GET /health. */
export class DocumentApi {
  private readonly server: Server;
  private readonly store: DocumentStore;

  constructor(
    chaos: Chaos,
    private readonly httpMetrics: MetricEmitter<HttpEvent> = noopEmitter,
    storageMetrics: MetricEmitter<StorageEvent> = noopEmitter,
  ) {
    this.store = new DocumentStore(chaos, storageMetrics);
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 10_000;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const { port: actual } = this.server.address() as AddressInfo;
        resolve(`http://${host}:${actual}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  get documents(): number {
    return this.store.size;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/documents\/([A-Za-z0-9._-]{1,128})$/.exec(path);
    const route = match ? '/documents/:id' : path === '/health' ? '/health' : 'other';
    this.httpMetrics.emit({ type: 'http.inflight', delta: 1 });
    let bytesOut = 0;
    const send = (status: number, body = '', type = 'text/plain; charset=utf-8') => {
      bytesOut = Buffer.byteLength(body);
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytesOut });
      res.end(body);
    };
    res.once('close', () => {
      this.httpMetrics.emit({ type: 'http.inflight', delta: -1 });
      this.httpMetrics.emit({
        type: 'http.request',
        method,
        route,
        status: res.statusCode,
        durationMs: performance.now() - started,
        bytesOut,
      });
    });
    const fail = (error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof StoreFailure) send(503, 'storage unavailable\n');
      else send(500, 'internal error\n');
    };
    if (route === '/health') return send(200, 'ok\n');
    if (!match) return send(404, 'not found\n');
    const id = match[1]!;
    if (method === 'GET') {
      this.store
        .read(id)
        .then((doc) => (doc === undefined ? send(404, 'no such document\n') : send(200, doc)), fail);
    } else if (method === 'DELETE') {
      this.store.delete(id).then((found) => send(found ? 204 : 404), fail);
    } else if (method === 'PUT') {
      readBody(req).then((body) => {
        if (body === undefined) return send(413, 'document too large\n');
        if (body === '') return send(400, 'empty document\n');
        return this.store.save(id, body).then(() => send(201), fail);
      }, fail);
    } else {
      res.setHeader('Allow', 'GET, PUT, DELETE');
      send(405, 'method not allowed\n');
    }
  }
}

/** The request body as text, or undefined when it exceeds the limit. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
