import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  counter,
  defineMetric,
  MetricsRecorder,
  MetricsRuntime,
  SNAPSHOT_STREAM_PROTOCOL,
  type MetricEvent,
  type RecorderReadingsProvider,
  type WireDefinitions,
  type WireHello,
  type WireSnapshot,
} from 'mvx-common';
import { snapshotEventStream, type SnapshotEventStreamHandler } from 'mvx-common/dashboard';
import { createTestRecorder } from 'mvx-common/testing';
import { FakeResponse, fakeRequest, parseSse, payloads, type SseEvent } from '../helpers/sse';

const hits = counter({ name: 'hits', on: 'hit', description: 'Hits', unit: '1' });
const hit: MetricEvent = { type: 'hit' };

/** Runs a `TestScheduler` (outside `run`) up to frame `t`. */
function advanceTo(scheduler: TestScheduler, t: number): void {
  scheduler.maxFrames = t;
  scheduler.flush();
  scheduler.frame = Math.max(scheduler.frame, t); // the clock reaches t even when nothing ran at t
}

function newScheduler(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

function connect(
  handler: SnapshotEventStreamHandler,
  headers: Record<string, string> = {},
  url = '/events',
): FakeResponse {
  const res = new FakeResponse();
  handler(fakeRequest({ headers, url }), res.asServerResponse());
  return res;
}

const snapshotsOf = (events: readonly SseEvent[]) => payloads<WireSnapshot>(events, 'snapshot');
const seqs = (events: readonly SseEvent[]) => snapshotsOf(events).map((s) => s.seq);

describe('snapshotEventStream', () => {
  let handlers: SnapshotEventStreamHandler[] = [];
  const stream = (...args: Parameters<typeof snapshotEventStream>) => {
    const h = snapshotEventStream(...args);
    handlers.push(h);
    return h;
  };
  afterEach(() => {
    for (const h of handlers) h.close();
    handlers = [];
  });

  describe('the wire format', () => {
    it('opens with retry, hello and definitions, then one self-contained snapshot per tick', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(hits);
      recorder.emit(hit);
      const handler = stream(recorder, { intervalMs: 1000, scheduler, retryMs: 1500 });
      const res = connect(handler);
      expect(res.status).toBe(200);
      expect(res.headers).toMatchObject({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      });
      advanceTo(scheduler, 0);
      const firstValues = JSON.parse(
        JSON.stringify(recorder.getMetricSnapshot('hits')!.dimensions),
      ) as unknown;
      recorder.emit(hit);
      advanceTo(scheduler, 1000);
      const events = res.events();
      expect(events.map((e) => e.event)).toEqual(['hello', 'definitions', 'snapshot', 'snapshot']);
      expect(events[0]!.retry).toBe(1500);
      expect(events[0]!.id).toBeUndefined();
      const hello = JSON.parse(events[0]!.data) as WireHello;
      expect(hello).toEqual({
        protocol: SNAPSHOT_STREAM_PROTOCOL,
        stream: handler.stream,
        intervalMs: 1000,
        heartbeatMs: 15_000,
        history: 300,
        resumed: false,
        latest: 0,
        time: 0,
      });
      expect(JSON.parse(events[1]!.data)).toEqual({
        version: 1,
        recorders: [
          {
            recorderId: 'api',
            entityId: 'api',
            namespace: 'mvx.metrics.recorder',
            metrics: [{ name: 'hits', kind: 'counter', builtin: 'counter', description: 'Hits', unit: '1' }],
          },
        ],
      });
      const [first, second] = snapshotsOf(events);
      expect(events[2]!.id).toBe(`${handler.stream}:1`);
      expect(events[3]!.id).toBe(`${handler.stream}:2`);
      expect(first).toEqual({
        seq: 1,
        time: 0,
        definitions: 1,
        recorders: [
          {
            recorderId: 'api',
            state: 'running',
            stats: recorderStats(1),
            startTime: recorder.getStartTime(),
            values: { hits: firstValues },
          },
        ],
      });
      expect(second).toMatchObject({ seq: 2, time: 1000, recorders: [{ values: { hits: { total: 2 } } }] });
      // every payload is one data line: JSON never contains a raw line break
      expect(
        res
          .text()
          .split('\n')
          .filter((l) => l.startsWith('data:')),
      ).toHaveLength(4);
    });

    it('keeps metric names such as __proto__ and constructor, and labels with line breaks, intact', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('odd');
      recorder.registerMetric(counter({ name: '__proto__', on: 'x', by: ['label'] }));
      recorder.registerMetric(counter({ name: 'constructor', on: 'x' }));
      recorder.emit({ type: 'x', label: 'a\nb\r\nc' } as MetricEvent);
      recorder.emit({ type: 'x', label: '__proto__' } as MetricEvent);
      const res = connect(stream(recorder, { scheduler }));
      advanceTo(scheduler, 0);
      const [snap] = snapshotsOf(res.events());
      const values = snap!.recorders[0]!.values;
      expect(Object.keys(values)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
      const series = (values['__proto__'] as unknown as { series: { labels: { label: string } }[] }).series;
      expect(series.map((s) => s.labels.label).sort()).toEqual(['__proto__', 'a\nb\r\nc']);
      const [defs] = payloads<WireDefinitions>(res.events(), 'definitions');
      expect(defs!.recorders[0]!.metrics.map((m) => m.name)).toEqual(['__proto__', 'constructor']);
    });

    it('leaves out a recorder that cannot be read and keeps ticking', () => {
      class Broken extends MetricsRecorder {
        override getMetricSnapshots(): never {
          throw new Error('broken');
        }
      }
      const scheduler = newScheduler();
      const res = connect(stream(new Broken('broken'), { scheduler, intervalMs: 10 }));
      advanceTo(scheduler, 20);
      expect(snapshotsOf(res.events()).map((s) => s.recorders)).toEqual([[], [], []]);
    });
  });

  describe('coalescing', () => {
    it('sends at most one snapshot per interval, with everything that happened in between (marbles)', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        //                  frames: 2,3,4    15        31,32
        const events$ = cold('--aaa----------a---------------aa', { a: hit });
        const recorder = createTestRecorder(scheduler, [hits], { entityId: 'api', events$ });
        const handler = snapshotEventStream(recorder, { intervalMs: 10, scheduler });
        handlers.push(handler);
        const totals$ = new Observable<number>((subscriber) => {
          const res = new FakeResponse();
          let seen = 0;
          res.on('newListener', () => undefined);
          const write = res.write.bind(res);
          res.write = (chunk) => {
            const ok = write(chunk);
            const all = snapshotsOf(parseSse(res.text()));
            for (; seen < all.length; seen++) {
              subscriber.next(all[seen]!.recorders[0]!.values['hits']!['total'] as number);
            }
            return ok;
          };
          handler(fakeRequest(), res.asServerResponse());
          return () => res.disconnect();
        });
        expectObservable(totals$, '^ 44ms !').toBe('a 9ms b 9ms c 9ms d 9ms e', {
          a: 0,
          b: 3,
          c: 4,
          d: 4,
          e: 6,
        });
      });
    });

    it('keeps one tick per interval when clients come and go', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      const handler = stream(recorder, { scheduler, intervalMs: 100 });
      const a = connect(handler);
      advanceTo(scheduler, 30);
      a.disconnect();
      expect(handler.getStats().ticking).toBe(false);
      advanceTo(scheduler, 50);
      const b = connect(handler);
      advanceTo(scheduler, 250);
      const times = snapshotsOf(b.events()).map((s) => s.time);
      // b gets the tick of frame 0 as history, then ticks resume 100 ms after it, not at its connect
      expect(times).toEqual([0, 100, 200]);
    });
  });

  describe('history and resume', () => {
    function ticked(history: number, until: number) {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(hits);
      const handler = stream(recorder, { scheduler, intervalMs: 10, history });
      const first = connect(handler);
      for (let t = 0; t <= until; t += 10) {
        recorder.emit(hit);
        advanceTo(scheduler, t);
      }
      return { scheduler, handler, first };
    }

    it('sends a new client the retained history, oldest first, then live ticks', () => {
      const { scheduler, handler, first } = ticked(5, 100);
      expect(seqs(first.events())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const late = connect(handler);
      const hello = payloads<WireHello>(late.events(), 'hello')[0]!;
      expect(hello).toMatchObject({ resumed: false, latest: 11, history: 5 });
      expect(seqs(late.events())).toEqual([7, 8, 9, 10, 11]);
      advanceTo(scheduler, 110);
      expect(seqs(late.events())).toEqual([7, 8, 9, 10, 11, 12]);
      expect(handler.getStats()).toMatchObject({ clients: 2, ticks: 12, history: 5 });
    });

    it.each([
      ['Last-Event-ID header', (id: string) => ({ headers: { 'last-event-id': id }, url: '/events' })],
      [
        'lastEventId query parameter',
        (id: string) => ({ headers: {}, url: `/events?x=1&lastEventId=${encodeURIComponent(id)}` }),
      ],
    ])('resumes after the %s with only the missed ticks', (_name, request) => {
      const { handler } = ticked(5, 100);
      const r = request(`${handler.stream}:8`);
      const res = connect(handler, r.headers, r.url);
      expect(payloads<WireHello>(res.events(), 'hello')[0]).toMatchObject({ resumed: true, latest: 11 });
      expect(res.events().map((e) => e.event)).toEqual([
        'hello',
        'definitions',
        'snapshot',
        'snapshot',
        'snapshot',
      ]);
      expect(seqs(res.events())).toEqual([9, 10, 11]);
    });

    it('resumes at the newest tick with nothing to replay', () => {
      const { handler } = ticked(5, 100);
      const res = connect(handler, { 'last-event-id': `${handler.stream}:11` });
      expect(payloads<WireHello>(res.events(), 'hello')[0]).toMatchObject({ resumed: true });
      expect(seqs(res.events())).toEqual([]);
    });

    it.each([
      ['too old', (s: string) => `${s}:2`],
      ['from another stream (a restarted server)', () => 'abcdef123456:9'],
      ['from the future', (s: string) => `${s}:99`],
      ['malformed', () => 'garbage'],
      ['negative', (s: string) => `${s}:-1`],
      ['empty', () => ''],
    ])('sends the full history when the last event id is %s', (_name, id) => {
      const { handler } = ticked(5, 100);
      const res = connect(handler, { 'last-event-id': id(handler.stream) });
      expect(payloads<WireHello>(res.events(), 'hello')[0]).toMatchObject({ resumed: false });
      expect(seqs(res.events())).toEqual([7, 8, 9, 10, 11]);
    });

    it('resumes from the tick just before the oldest retained one without a gap', () => {
      const { handler } = ticked(5, 100);
      const res = connect(handler, { 'last-event-id': `${handler.stream}:6` });
      expect(payloads<WireHello>(res.events(), 'hello')[0]).toMatchObject({ resumed: true });
      expect(seqs(res.events())).toEqual([7, 8, 9, 10, 11]);
    });

    it('shares the bytes of unchanged ticks in the history', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(counter({ name: 'big', on: 'x', by: ['k'] }));
      for (let i = 0; i < 200; i++) recorder.emit({ type: 'x', k: `key-${i}` } as MetricEvent);
      const handler = stream(recorder, { scheduler, intervalMs: 10, history: 50 });
      connect(handler);
      advanceTo(scheduler, 490);
      const { history, historyBytes } = handler.getStats();
      expect(history).toBe(50);
      const one = snapshotsOf(connect(handler).events()).length;
      expect(one).toBe(50);
      // 50 identical ticks: one body plus 50 small headers
      expect(historyBytes).toBeLessThan(JSON.stringify(recorder.getMetricSnapshots()).length * 1.5);
    });
  });

  describe('definitions', () => {
    it('announces recorders and metrics that appear, change or go, before the tick that shows them', async () => {
      const runtime = new MetricsRuntime({ namespace: 'svc' });
      await runtime.start();
      try {
        const scheduler = newScheduler();
        const a = await runtime.createRecorder('a');
        a.registerMetric(hits);
        const handler = stream(runtime, { scheduler, intervalMs: 10 });
        const res = connect(handler);
        advanceTo(scheduler, 10);
        const b = await runtime.createRecorder('b', { namespace: 'other' });
        b.registerMetric(counter({ name: 'b.hits', on: 'hit', unit: 'ms' }));
        advanceTo(scheduler, 30);
        a.registerMetric(
          defineMetric({
            name: 'custom',
            accepts: (e): e is MetricEvent => e.type === 'c',
            init: () => ({}),
            reduce: (s) => s,
            dimensions: (s) => s,
          }),
        );
        advanceTo(scheduler, 40);
        await runtime.stopAndRemoveRecorder('a');
        advanceTo(scheduler, 50);
        const events = res.events();
        expect(events.map((e) => e.event)).toEqual([
          'hello',
          'definitions',
          'snapshot',
          'snapshot',
          'definitions',
          'snapshot',
          'snapshot',
          'definitions',
          'snapshot',
          'definitions',
          'snapshot',
        ]);
        const defs = payloads<WireDefinitions>(events, 'definitions');
        expect(defs.map((d) => d.version)).toEqual([1, 2, 3, 4]);
        expect(
          defs.map((d) =>
            d.recorders.map((r) => `${r.recorderId}:${r.metrics.map((m) => m.name).join('+')}`),
          ),
        ).toEqual([['a:hits'], ['a:hits', 'b:b.hits'], ['a:hits+custom', 'b:b.hits'], ['b:b.hits']]);
        expect(defs[1]!.recorders[1]).toEqual({
          recorderId: 'b',
          entityId: 'b',
          namespace: 'other',
          metrics: [{ name: 'b.hits', kind: 'counter', builtin: 'counter', unit: 'ms' }],
        });
        expect(defs[2]!.recorders[0]!.metrics[1]).toEqual({ name: 'custom', kind: 'custom', builtin: null });
        const snaps = snapshotsOf(events);
        expect(snaps.map((s) => s.definitions)).toEqual([1, 1, 2, 2, 3, 4]);
        // a client that connects now gets only the current definitions
        const late = connect(handler);
        expect(payloads<WireDefinitions>(late.events(), 'definitions')).toEqual([defs[3]]);
      } finally {
        await runtime.shutdown();
      }
    });

    it('tells readings that share a recorder id apart by their labels (a cluster view)', () => {
      const scheduler = newScheduler();
      const reading = (worker: string, total: number) => ({
        recorderId: 'jobs',
        entityId: 'jobs',
        namespace: 'app',
        state: 'running' as const,
        stats: undefined,
        startTime: undefined,
        labels: { worker },
        snapshots: { custom: { name: 'custom', kind: 'custom' as const, dimensions: { total } } },
      });
      const provider: RecorderReadingsProvider = { readRecorders: () => [reading('1', 5), reading('2', 7)] };
      const res = connect(stream(provider, { scheduler }));
      advanceTo(scheduler, 0);
      const [defs] = payloads<WireDefinitions>(res.events(), 'definitions');
      expect(defs!.recorders.map((r) => [r.recorderId, r.labels])).toEqual([
        ['jobs', { worker: '1' }],
        ['jobs', { worker: '2' }],
      ]);
      const [snap] = snapshotsOf(res.events());
      expect(snap!.recorders.map((r) => [r.labels, r.stats, r.values['custom']])).toEqual([
        [{ worker: '1' }, null, { total: 5 }],
        [{ worker: '2' }, null, { total: 7 }],
      ]);
    });

    it('shows a runtime that is not running as no recorders', () => {
      const scheduler = newScheduler();
      const runtime = new MetricsRuntime({ namespace: 'idle' });
      const res = connect(stream(runtime, { scheduler }));
      advanceTo(scheduler, 0);
      expect(payloads<WireDefinitions>(res.events(), 'definitions')).toEqual([{ version: 1, recorders: [] }]);
      expect(snapshotsOf(res.events())[0]!.recorders).toEqual([]);
    });
  });

  describe('heartbeats', () => {
    it('sends a heartbeat to a connection that got nothing for heartbeatMs', () => {
      const scheduler = newScheduler();
      const res = connect(
        stream(new MetricsRecorder('api'), { scheduler, intervalMs: 60_000, heartbeatMs: 1000 }),
      );
      advanceTo(scheduler, 3500);
      const events = res.events();
      expect(events.map((e) => e.event)).toEqual([
        'hello',
        'definitions',
        'snapshot',
        'heartbeat',
        'heartbeat',
        'heartbeat',
      ]);
      expect(payloads(events, 'heartbeat')).toEqual([{ time: 1000 }, { time: 2000 }, { time: 3000 }]);
      // heartbeats carry no id: a client's last event id stays the last tick's
      expect(res.text()).not.toMatch(/id: [^\n]*\nevent: heartbeat/);
      expect(res.text().match(/^id: /gm)).toHaveLength(1);
    });

    it('sends none while ticks flow', () => {
      const scheduler = newScheduler();
      const res = connect(
        stream(new MetricsRecorder('api'), { scheduler, intervalMs: 100, heartbeatMs: 1000 }),
      );
      advanceTo(scheduler, 5000);
      expect(res.events().filter((e) => e.event === 'heartbeat')).toEqual([]);
    });
  });

  describe('many clients and slow clients', () => {
    it('serialises each tick once: every client gets the same bytes (the same buffers)', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(hits);
      const handler = stream(recorder, { scheduler, intervalMs: 10 });
      const clients = Array.from({ length: 50 }, () => connect(handler));
      for (let t = 0; t <= 50; t += 10) {
        recorder.emit(hit);
        advanceTo(scheduler, t);
      }
      const reference = clients[0]!;
      expect(seqs(reference.events())).toEqual([1, 2, 3, 4, 5, 6]);
      for (const c of clients) {
        expect(c.text()).toBe(reference.text());
        // after hello and definitions: header and body of each tick, the very same Buffer objects
        expect(c.chunks.slice(2).every((chunk, i) => chunk === reference.chunks[i + 2])).toBe(true);
      }
    });

    it('never queues for a client that does not read: it skips to the latest tick when it drains', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(hits);
      const handler = stream(recorder, { scheduler, intervalMs: 10 });
      const slow = connect(handler);
      advanceTo(scheduler, 0);
      slow.writable = false;
      advanceTo(scheduler, 10); // this tick fills its buffer
      const written = slow.chunks.length;
      for (let t = 20; t <= 100; t += 10) {
        recorder.emit(hit);
        advanceTo(scheduler, t);
      }
      expect(slow.chunks.length).toBe(written);
      slow.drain();
      expect(seqs(slow.events())).toEqual([1, 2, 11]);
      expect(handler.getStats().skippedTicks).toBe(8);
      advanceTo(scheduler, 110);
      expect(seqs(slow.events())).toEqual([1, 2, 11, 12]);
    });

    it('sends a blocked client new definitions before its next tick', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      const handler = stream(recorder, { scheduler, intervalMs: 10 });
      const slow = connect(handler);
      advanceTo(scheduler, 0);
      slow.writable = false;
      advanceTo(scheduler, 10);
      recorder.registerMetric(hits);
      advanceTo(scheduler, 30);
      slow.drain();
      const names = slow.events().map((e) => e.event);
      expect(names.slice(-2)).toEqual(['definitions', 'snapshot']);
      expect(
        payloads<WireDefinitions>(slow.events(), 'definitions').pop()!.recorders[0]!.metrics,
      ).toHaveLength(1);
    });

    it('replays history to a slow client in order, continuing on each drain', () => {
      const scheduler = newScheduler();
      const handler = stream(new MetricsRecorder('api'), { scheduler, intervalMs: 10, history: 10 });
      connect(handler);
      advanceTo(scheduler, 90);
      const slow = new FakeResponse();
      slow.writable = false;
      handler(fakeRequest(), slow.asServerResponse());
      expect(seqs(slow.events())).toEqual([]); // hello blocked it
      for (let i = 0; i < 12; i++) slow.drain();
      expect(seqs(slow.events())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });

  describe('lifecycle', () => {
    it('runs its timers only while a client is connected, and releases everything over 1,000 cycles', () => {
      const scheduler = newScheduler();
      const recorder = new MetricsRecorder('api');
      recorder.registerMetric(hits);
      const handler = stream(recorder, { scheduler, intervalMs: 10 });
      for (let i = 0; i < 1000; i++) {
        const res = connect(handler);
        expect(handler.getStats().ticking).toBe(true);
        advanceTo(scheduler, i * 20 + 10);
        res.disconnect();
        expect(handler.getStats()).toMatchObject({ clients: 0, ticking: false, bufferedBytes: 0 });
        expect(scheduler.actions.length).toBe(0);
        expect(res.listenerCount('drain')).toBe(0);
      }
      expect(handler.getStats().history).toBe(300);
    });

    it('records while idle when asked to, so the first client gets history', () => {
      const scheduler = newScheduler();
      const handler = stream(new MetricsRecorder('api'), {
        scheduler,
        intervalMs: 10,
        recordWhileIdle: true,
      });
      advanceTo(scheduler, 50);
      expect(handler.getStats()).toMatchObject({ clients: 0, ticking: true, ticks: 6 });
      expect(seqs(connect(handler).events())).toEqual([1, 2, 3, 4, 5, 6]);
      handler.close();
      expect(handler.getStats().ticking).toBe(false);
      expect(scheduler.actions.length).toBe(0);
    });

    it('close() ends every connection; later requests get a 503', () => {
      const scheduler = newScheduler();
      const handler = stream(new MetricsRecorder('api'), { scheduler });
      const a = connect(handler);
      const b = connect(handler);
      b.writable = false;
      advanceTo(scheduler, 0);
      handler.close();
      handler.close();
      expect(a.writableEnded).toBe(true);
      expect(b.destroyed).toBe(true); // a blocked client is not waited for
      expect(handler.getStats().clients).toBe(0);
      const late = connect(handler);
      expect(late.status).toBe(503);
      expect(late.writableEnded).toBe(true);
    });

    it('answers HEAD with the headers only, and other methods with 405', () => {
      const handler = stream(new MetricsRecorder('api'), { scheduler: newScheduler() });
      const head = new FakeResponse();
      handler(fakeRequest({ method: 'HEAD' }), head.asServerResponse());
      expect(head.status).toBe(200);
      expect(head.text()).toBe('');
      expect(handler.getStats().clients).toBe(0);
      const post = new FakeResponse();
      handler(fakeRequest({ method: 'POST' }), post.asServerResponse());
      expect(post.status).toBe(405);
      expect(post.headers['Allow']).toBe('GET, HEAD');
    });
  });

  describe('arguments', () => {
    const recorder = new MetricsRecorder('args');

    it('refuses a source that is not a recorder or runtime, naming `source`', () => {
      for (const bad of [null, undefined, {}, { getMetricSnapshots: () => ({}) }, 'x']) {
        expect(() => snapshotEventStream(bad as never)).toThrow(TypeError);
        expect(() => snapshotEventStream(bad as never)).toThrow(/`source`/);
      }
    });

    it.each([
      [{ intervalMs: 5 }, RangeError, /options\.intervalMs.*>= 10/],
      [{ intervalMs: '1000' }, TypeError, /options\.intervalMs/],
      [{ intervalMs: Number.NaN }, RangeError, /options\.intervalMs/],
      [{ intervalMs: Infinity }, RangeError, /options\.intervalMs/],
      [{ history: 0 }, RangeError, /options\.history.*from 1 to 100000/],
      [{ history: 1.5 }, RangeError, /options\.history/],
      [{ history: 100_001 }, RangeError, /options\.history/],
      [{ heartbeatMs: 10 }, RangeError, /options\.heartbeatMs/],
      [{ retryMs: -1 }, RangeError, /options\.retryMs/],
      [{ recordWhileIdle: 'yes' }, TypeError, /options\.recordWhileIdle/],
      [{ scheduler: {} }, TypeError, /options\.scheduler/],
      [{ interval: 1000 }, TypeError, /Unknown option "interval".*`intervalMs`/],
      [42, TypeError, /`options`/],
    ])('refuses %p', (options, type, message) => {
      expect(() => snapshotEventStream(recorder, options as never)).toThrow(type);
      expect(() => snapshotEventStream(recorder, options as never)).toThrow(message);
    });

    it('turns a throwing option getter into a TypeError naming it', () => {
      const options = {
        get intervalMs(): number {
          throw new Error('boom');
        },
      };
      expect(() => snapshotEventStream(recorder, options)).toThrow(/Reading `options.intervalMs` threw/);
    });
  });
});

function recorderStats(n: number) {
  return {
    offered: n,
    accepted: n,
    processed: n,
    dropped: 0,
    rejected: 0,
    pending: 0,
    capacity: 10_000,
    metricErrors: 0,
  };
}
