/**
 * The client against a real server in Node (the `eventsource` package as EventSource): snapshots
 * arrive rebuilt, a dropped connection resumes without duplicates, a restarted server is found again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'eventsource';
import {
  counter,
  MetricsRecorder,
  snapshotsFromEventSource,
  type ConnectionStatus,
  type EventSourceConstructor,
  type SnapshotUpdate,
} from 'mvx-common';
import { snapshotEventStream, type SnapshotEventStreamHandler } from 'mvx-common/dashboard';
import { until } from '../helpers/sse';

describe('snapshotsFromEventSource against a real server', () => {
  let server: Server | undefined;
  let handler: SnapshotEventStreamHandler | undefined;
  let recorder: MetricsRecorder;
  let timer: NodeJS.Timeout | undefined;
  const cleanups: (() => void)[] = [];

  async function listen(port = 0): Promise<number> {
    handler = snapshotEventStream(recorder, { intervalMs: 50, history: 20, recordWhileIdle: true });
    const h = handler;
    server = createServer((req, res) => h(req, res));
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  }

  async function stopServer(): Promise<void> {
    handler?.close();
    const s = server;
    server = undefined;
    if (s) {
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
  }

  beforeEach(() => {
    recorder = new MetricsRecorder('api');
    recorder.registerMetric(counter({ name: 'hits', on: 'hit', by: ['route'], description: 'Hits' }));
    timer = setInterval(() => recorder.emit({ type: 'hit', route: '/a' } as never), 5);
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    clearInterval(timer);
    await stopServer();
    await recorder.dispose();
  });

  function subscribe(port: number) {
    const stream = snapshotsFromEventSource(`http://127.0.0.1:${port}/events`, {
      EventSource: EventSource as unknown as EventSourceConstructor,
      initialDelayMs: 50,
      maxDelayMs: 200,
    });
    const updates: SnapshotUpdate[] = [];
    const statuses: ConnectionStatus[] = [];
    const s1 = stream.connection$.subscribe((s) => statuses.push(s));
    const s2 = stream.subscribe((u) => updates.push(u));
    cleanups.push(() => {
      s2.unsubscribe();
      s1.unsubscribe();
    });
    return { updates, statuses, state: () => statuses[statuses.length - 1]?.state };
  }

  it('emits snapshots equal to the recorder’s own, first the history, then live', async () => {
    const port = await listen();
    await new Promise((resolve) => setTimeout(resolve, 300)); // some history first
    const { updates, state } = subscribe(port);
    await until(() => state() === 'live' && updates.some((u) => !u.replayed), 15_000, 'live updates');
    expect(updates[0]!.replayed).toBe(true);
    const latest = updates[updates.length - 1]!;
    const reading = latest.recorders[0]!;
    expect(reading).toMatchObject({ recorderId: 'api', entityId: 'api', state: 'running' });
    expect(reading.stats!.offered).toBeGreaterThan(0);
    expect(reading.snapshots['hits']).toMatchObject({ name: 'hits', kind: 'counter', description: 'Hits' });
    const totals = updates.map((u) => u.recorders[0]!.snapshots['hits']!.dimensions['total'] as number);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    // the same shape and values as a synchronous read at that tick would give
    const now = recorder.getMetricSnapshots()['hits']!;
    expect(Object.keys(reading.snapshots['hits']!).sort()).toEqual(Object.keys(now).sort());
    expect(new Set(updates.map((u) => u.seq)).size).toBe(updates.length);
  });

  it('resumes after a dropped connection without duplicates or gaps', async () => {
    const port = await listen();
    const { updates, state } = subscribe(port);
    await until(() => updates.length >= 3, 15_000, 'first updates');
    const before = updates.length;
    server!.closeAllConnections(); // the server stays up
    await until(() => updates.length >= before + 5 && state() === 'live', 15_000, 'updates after the resume');
    const seqs = updates.map((u) => u.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(new Set(updates.map((u) => u.stream)).size).toBe(1);
  });

  it('reconnects to a server restarted on the same port (a new stream)', async () => {
    const port = await listen();
    const { updates, statuses, state } = subscribe(port);
    await until(() => state() === 'live' && updates.length >= 2, 15_000, 'first updates');
    const firstStream = updates[0]!.stream;
    await stopServer();
    await until(() => state() === 'reconnecting' || state() === 'connecting', 15_000, 'a lost connection');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await listen(port);
    await until(
      () => updates.some((u) => u.stream !== firstStream) && state() === 'live',
      20_000,
      'the new server',
    );
    expect(statuses.some((s) => s.state === 'reconnecting' && s.retryInMs !== null)).toBe(true);
    expect(statuses[statuses.length - 1]).toMatchObject({ state: 'live', attempt: 0, lastError: null });
  });
});
