/**
 * The SSE handler on a real node:http server and real sockets: concurrent clients, a client that never
 * reads, connect/disconnect churn, resume.
 */
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { counter, defineMetric, MetricsRecorder, type MetricEvent, type WireSnapshot } from 'mvx-common';
import { snapshotEventStream, type SnapshotEventStreamHandler } from 'mvx-common/dashboard';
import { connectSse, payloads, until, type SseClient } from '../helpers/sse';

describe('snapshotEventStream over HTTP', () => {
  let server: Server | undefined;
  let handler: SnapshotEventStreamHandler | undefined;
  const clients: SseClient[] = [];
  const sockets: Socket[] = [];
  const recorders: MetricsRecorder[] = [];

  async function serve(h: SnapshotEventStreamHandler): Promise<string> {
    handler = h;
    server = createServer((req, res) => h(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  }

  function recorder(id: string): MetricsRecorder {
    const r = new MetricsRecorder(id);
    recorders.push(r);
    return r;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sockets.splice(0)) s.destroy();
    handler?.close();
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    server = undefined;
    handler = undefined;
    for (const r of recorders.splice(0)) await r.dispose();
  });

  it('gives 50 concurrent clients the same ticks', async () => {
    const r = recorder('api');
    r.registerMetric(counter({ name: 'hits', on: 'hit' }));
    const url = await serve(snapshotEventStream(r, { intervalMs: 50 }));
    const timer = setInterval(() => r.emit({ type: 'hit' }), 5);
    try {
      for (let i = 0; i < 50; i++) clients.push(connectSse(url));
      await Promise.all(clients.map((c) => c.response));
      await until(() => handler!.getStats().clients === 50, 15_000, '50 clients connected');
      const start = handler!.getStats().ticks;
      // every client has seen the ticks from start+1 to start+5
      await Promise.all(
        clients.map((c) =>
          c.waitFor(
            (events) => payloads<WireSnapshot>(events, 'snapshot').some((s) => s.seq >= start + 5),
            20_000,
          ),
        ),
      );
    } finally {
      clearInterval(timer);
    }
    const byClient = clients.map((c) => {
      const snaps = payloads<WireSnapshot>(c.events(), 'snapshot');
      const window = snaps.filter((s) => s.seq > 0);
      return new Map(window.map((s) => [s.seq, JSON.stringify(s)]));
    });
    const common = [...byClient[0]!.keys()].filter((seq) => byClient.every((m) => m.has(seq)));
    expect(common.length).toBeGreaterThanOrEqual(5);
    for (const seq of common) {
      const payload = byClient[0]!.get(seq);
      for (const m of byClient) expect(m.get(seq)).toBe(payload);
    }
  });

  it('keeps server memory bounded for a client that never reads (it skips ticks instead)', async () => {
    const r = recorder('big');
    // about 256 KB per tick, different at every tick
    let n = 0;
    r.registerMetric(
      defineMetric({
        name: 'blob',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'x',
        init: () => ({ n: 0 }),
        reduce: (s) => ({ n: s.n + 1 }),
        dimensions: (s) => ({ n: s.n, blob: String(s.n % 10).repeat(256 * 1024) }),
      }),
    );
    const frame = 256 * 1024;
    const url = new URL(await serve(snapshotEventStream(r, { intervalMs: 10, history: 5 })));
    const timer = setInterval(() => r.emit({ type: 'x', n: n++ } as MetricEvent), 5);
    try {
      const socket = netConnect(Number(url.port), '127.0.0.1');
      sockets.push(socket);
      socket.pause(); // never read
      socket.write(`GET /events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
      await until(() => handler!.getStats().clients === 1, 10_000, 'the client connected');
      const startTicks = handler!.getStats().ticks;
      // at 10 ms per tick, an unbounded server would queue 100 MB within 4 s
      let maxBuffered = 0;
      const deadline = Date.now() + 4_000;
      while (Date.now() < deadline) {
        maxBuffered = Math.max(maxBuffered, handler!.getStats().bufferedBytes);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const stats = handler!.getStats();
      expect(stats.ticks - startTicks).toBeGreaterThan(20);
      expect(stats.skippedTicks).toBeGreaterThan(10);
      // Node's queue for the client never holds more than about one event beyond the high-water mark
      expect(maxBuffered).toBeLessThan(2 * frame + 64 * 1024);
      // reading again: it catches up with the latest tick
      socket.resume();
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      const target = handler!.getStats().ticks;
      await until(
        () => [...received.matchAll(/id: [0-9a-f]+:(\d+)/g)].some((m) => Number(m[1]) >= target),
        15_000,
        'the client caught up',
      );
    } finally {
      clearInterval(timer);
    }
  });

  it('releases everything after many connects and disconnects', async () => {
    const r = recorder('api');
    r.registerMetric(counter({ name: 'hits', on: 'hit' }));
    const url = await serve(snapshotEventStream(r, { intervalMs: 20 }));
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 10 }, () => connectSse(url));
      await Promise.all(batch.map((c) => c.waitFor((events) => events.some((e) => e.event === 'snapshot'))));
      for (const c of batch) c.close();
      await until(() => handler!.getStats().clients === 0, 10_000, 'all clients gone');
    }
    expect(handler!.getStats()).toMatchObject({ clients: 0, ticking: false, bufferedBytes: 0 });
  });

  it('resumes a real client from its Last-Event-ID', async () => {
    const r = recorder('api');
    r.registerMetric(counter({ name: 'hits', on: 'hit' }));
    const url = await serve(snapshotEventStream(r, { intervalMs: 20, history: 50 }));
    const first = connectSse(url);
    clients.push(first);
    const events = await first.waitFor((ev) => payloads<WireSnapshot>(ev, 'snapshot').length >= 3);
    const last = events.filter((e) => e.event === 'snapshot').pop()!;
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = connectSse(url, { 'Last-Event-ID': last.id! });
    clients.push(second);
    const resumed = await second.waitFor((ev) => payloads<WireSnapshot>(ev, 'snapshot').length >= 2);
    expect(payloads<{ resumed: boolean }>(resumed, 'hello')[0]!.resumed).toBe(true);
    const lastSeq = Number(last.id!.split(':')[1]);
    const seqs = payloads<WireSnapshot>(resumed, 'snapshot').map((s) => s.seq);
    expect(seqs[0]).toBe(lastSeq + 1);
    expect(seqs).toEqual(seqs.map((_, i) => lastSeq + 1 + i));
  });
});
