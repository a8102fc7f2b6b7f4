/**
 * Test doubles for Server-Sent Events: a spec-following parser, a fake `ServerResponse` (virtual-time
 * tests drive the handler without sockets) and a real HTTP client that records the events it reads.
 */
import { EventEmitter } from 'node:events';
import { request, type IncomingMessage, type ServerResponse, type ClientRequest } from 'node:http';

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
  readonly retry: number | undefined;
}

/** Parses an SSE byte stream (as text) per the WHATWG rules; comments and incomplete events are skipped. */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  // the last element is an incomplete line (or '' after a trailing newline)
  for (const line of lines.slice(0, -1)) {
    if (line === '') {
      if (data.length > 0 || event !== '') {
        events.push({ event: event || 'message', data: data.join('\n'), id, retry });
      }
      data = [];
      event = '';
      retry = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'retry') retry = Number(value);
  }
  return events;
}

/** The JSON payloads of the events named `name`. */
export function payloads<T = unknown>(events: readonly SseEvent[], name: string): T[] {
  return events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as T);
}

/** A `ServerResponse` stand-in: records what is written; `write` returns `writable` (backpressure). */
export class FakeResponse extends EventEmitter {
  readonly chunks: Buffer[] = [];
  status = 0;
  headers: Record<string, string> = {};
  writable = true;
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  headersSent = false;
  corked = 0;

  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.status = status;
    this.headers = { ...headers };
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {}
  cork(): void {
    this.corked++;
  }
  uncork(): void {
    this.corked--;
  }

  write(chunk: Buffer | string): boolean {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(b);
    if (!this.writable) this.writableLength += b.length;
    return this.writable;
  }

  end(chunk?: Buffer | string): this {
    if (chunk !== undefined) this.write(chunk);
    this.writableEnded = true;
    this.emit('close');
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }

  /** The client drained what was queued. */
  drain(): void {
    this.writable = true;
    this.writableLength = 0;
    this.emit('drain');
  }

  /** The client went away. */
  disconnect(): void {
    this.destroyed = true;
    this.emit('close');
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  events(): SseEvent[] {
    return parseSse(this.text());
  }

  asServerResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

export function fakeRequest(
  options: { method?: string; url?: string; headers?: Record<string, string> } = {},
): IncomingMessage {
  return {
    method: options.method ?? 'GET',
    url: options.url ?? '/events',
    headers: options.headers ?? {},
    httpVersionMajor: 1,
    socket: { setNoDelay: () => undefined },
  } as unknown as IncomingMessage;
}

/** A real SSE client over node:http that keeps everything it read. */
export interface SseClient {
  readonly response: Promise<IncomingMessage>;
  text(): string;
  events(): SseEvent[];
  /** Resolves once `predicate(events)` holds (polls), rejects after `timeoutMs`. */
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
  readonly closed: Promise<void>;
}

export function connectSse(url: string, headers: Record<string, string> = {}): SseClient {
  const chunks: Buffer[] = [];
  let req: ClientRequest;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', resolveClosed);
      res.on('close', resolveClosed);
      res.on('error', resolveClosed);
      resolve(res);
    });
    req.on('error', (e) => {
      resolveClosed();
      reject(e);
    });
    req.end();
  });
  response.catch(() => undefined);
  const text = () => Buffer.concat(chunks).toString('utf8');
  return {
    response,
    text,
    events: () => parseSse(text()),
    closed,
    close: () => req.destroy(),
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = parseSse(text());
        if (predicate(events)) return events;
        if (Date.now() > deadline) {
          throw new Error(`condition not met within ${timeoutMs} ms; received:\n${text().slice(0, 2000)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** Polls `predicate` until it holds. */
export async function until(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
