import fc from 'fast-check';
import { map, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  snapshotsFromEventSource,
  SnapshotStreamError,
  type ConnectionStatus,
  type SnapshotEventSourceOptions,
  type SnapshotUpdate,
} from 'mvx-common';
import { backoffDelay } from '../../lib/client/backoff';
import { FakeEventSource } from '../helpers/FakeEventSource';

const URL_ = 'http://127.0.0.1:1/events';

const definitions = {
  version: 1,
  recorders: [
    {
      recorderId: 'api',
      entityId: 'api-entity',
      namespace: 'svc',
      metrics: [
        { name: 'hits', kind: 'counter', builtin: 'counter', description: 'Hits', unit: '1' },
        { name: '__proto__', kind: 'custom', builtin: null },
      ],
    },
  ],
};

function snapshot(seq: number, total: number, extra: Record<string, unknown> = {}) {
  return {
    seq,
    time: seq * 1000,
    definitions: 1,
    recorders: [
      {
        recorderId: 'api',
        state: 'running',
        stats: { offered: total, processed: total },
        startTime: 5,
        values: { hits: { total }, ['__proto__']: { polluted: true }, ...extra },
      },
      { recorderId: 'unknown', state: null, stats: null, startTime: null, values: {} },
    ],
  };
}

function newScheduler(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

function options(
  scheduler: TestScheduler,
  extra: Partial<SnapshotEventSourceOptions> = {},
): SnapshotEventSourceOptions {
  return {
    EventSource: FakeEventSource,
    scheduler,
    jitter: 0,
    initialDelayMs: 100,
    factor: 2,
    maxDelayMs: 400,
    ...extra,
  };
}

function advanceTo(scheduler: TestScheduler, t: number): void {
  scheduler.maxFrames = t;
  scheduler.flush();
  scheduler.frame = Math.max(scheduler.frame, t); // the clock reaches t even when nothing ran at t
}

describe('snapshotsFromEventSource', () => {
  beforeEach(() => FakeEventSource.reset());

  describe('parsing', () => {
    it('rebuilds full snapshots from definitions and values, in the readSnapshotSource shape', () => {
      const scheduler = newScheduler();
      const updates: SnapshotUpdate[] = [];
      const sub = snapshotsFromEventSource(URL_, options(scheduler)).subscribe((u) => updates.push(u));
      const es = FakeEventSource.last;
      expect(es.url).toBe(URL_);
      expect(es.init).toEqual({ withCredentials: false });
      es.hello({ latest: 1 });
      es.emit('definitions', definitions);
      es.emit('snapshot', snapshot(1, 3));
      es.emit('snapshot', snapshot(2, 5));
      sub.unsubscribe();
      expect(updates).toHaveLength(2);
      const [first, second] = updates;
      expect(first).toMatchObject({ id: 'abc123:1', stream: 'abc123', seq: 1, time: 1000, replayed: true });
      expect(second).toMatchObject({ id: 'abc123:2', replayed: false });
      expect(first!.recorders).toHaveLength(1); // 'unknown' has no definition
      const reading = first!.recorders[0]!;
      expect(reading).toMatchObject({
        recorderId: 'api',
        entityId: 'api-entity',
        namespace: 'svc',
        state: 'running',
        stats: { offered: 3, processed: 3 },
        startTime: 5,
      });
      expect(reading.snapshots['hits']).toEqual({
        name: 'hits',
        kind: 'counter',
        description: 'Hits',
        unit: '1',
        dimensions: { total: 3 },
      });
      expect(Object.hasOwn(reading.snapshots, '__proto__')).toBe(true);
      expect(reading.snapshots['__proto__']).toEqual({
        name: '__proto__',
        kind: 'custom',
        dimensions: { polluted: true },
      });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen(reading)).toBe(true);
      expect(Object.isFrozen(reading.snapshots)).toBe(true);
      expect(Object.isFrozen(reading.snapshots['hits'])).toBe(true);
    });

    it('maps unknown state, stats and start time to undefined and skips values without a definition', () => {
      const scheduler = newScheduler();
      const updates: SnapshotUpdate[] = [];
      const sub = snapshotsFromEventSource(URL_, options(scheduler)).subscribe((u) => updates.push(u));
      const es = FakeEventSource.last;
      es.hello();
      es.emit('definitions', definitions);
      es.emit('snapshot', {
        seq: 1,
        time: 1,
        definitions: 1,
        recorders: [
          {
            recorderId: 'api',
            state: null,
            stats: null,
            startTime: null,
            values: { hits: 5, other: { a: 1 } },
          },
        ],
      });
      sub.unsubscribe();
      const reading = updates[0]!.recorders[0]!;
      expect(reading.state).toBeUndefined();
      expect(reading.stats).toBeUndefined();
      expect(reading.startTime).toBeUndefined();
      expect(Object.keys(reading.snapshots)).toEqual([]);
    });

    it('keeps readings that share a recorder id apart by their labels', () => {
      const scheduler = newScheduler();
      const updates: SnapshotUpdate[] = [];
      const sub = snapshotsFromEventSource(URL_, options(scheduler)).subscribe((u) => updates.push(u));
      const es = FakeEventSource.last;
      es.hello();
      const def = (worker: string) => ({
        recorderId: 'jobs',
        labels: { worker },
        entityId: 'jobs',
        namespace: 'app',
        metrics: [{ name: 'c', kind: 'custom', builtin: null }],
      });
      es.emit('definitions', { version: 1, recorders: [def('1'), def('2')] });
      const values = (worker: string, n: number) => ({
        recorderId: 'jobs',
        labels: { worker },
        state: null,
        stats: null,
        startTime: null,
        values: { c: { n } },
      });
      es.emit('snapshot', { seq: 1, time: 1, definitions: 1, recorders: [values('2', 20), values('1', 10)] });
      sub.unsubscribe();
      const readings = updates[0]!.recorders;
      expect(readings.map((r) => [r.labels?.['worker'], r.snapshots['c']!.dimensions['n']])).toEqual([
        ['2', 20],
        ['1', 10],
      ]);
      expect(readings.every((r) => r.recorderId === 'jobs')).toBe(true);
    });

    it('ignores malformed events, noting them, and keeps going', () => {
      const scheduler = newScheduler();
      const updates: SnapshotUpdate[] = [];
      const stream = snapshotsFromEventSource(URL_, options(scheduler));
      const statuses: ConnectionStatus[] = [];
      stream.connection$.subscribe((s) => statuses.push(s));
      const sub = stream.subscribe((u) => updates.push(u));
      const es = FakeEventSource.last;
      es.emit('snapshot', snapshot(1, 1)); // before hello: no stream yet
      es.hello();
      es.emit('definitions', '{not json');
      es.emit('definitions', definitions);
      es.emit('snapshot', '[]');
      es.emit('snapshot', { seq: 'x', time: 1, recorders: [] });
      es.emit('snapshot', snapshot(2, 2));
      sub.unsubscribe();
      expect(updates.map((u) => u.seq)).toEqual([2]);
      expect(statuses.map((s) => s.lastError).filter(Boolean)).toEqual(
        expect.arrayContaining(['malformed snapshot event', 'malformed definitions event']),
      );
      expect(FakeEventSource.instances).toHaveLength(1);
    });

    it('fails without retrying when the server speaks another protocol', () => {
      const scheduler = newScheduler();
      let error: unknown;
      const stream = snapshotsFromEventSource(URL_, options(scheduler));
      const statuses: string[] = [];
      stream.connection$.subscribe((s) => statuses.push(s.state));
      stream.subscribe({ error: (e: unknown) => (error = e) });
      FakeEventSource.last.hello({ protocol: 'mvx.dashboard/2' });
      advanceTo(scheduler, 60_000);
      expect(error).toBeInstanceOf(SnapshotStreamError);
      expect(error).toMatchObject({ code: 'UNSUPPORTED_PROTOCOL' });
      expect(FakeEventSource.instances).toHaveLength(1);
      expect(FakeEventSource.last.closed).toBe(true);
      expect(statuses[statuses.length - 1]).toBe('failed');
    });
  });

  describe('connection state and backoff', () => {
    it('retries with bounded exponential backoff and reports every state (marbles)', () => {
      const scheduler = newScheduler();
      scheduler.run(({ expectObservable }) => {
        const stream = snapshotsFromEventSource(URL_, options(scheduler));
        const code = (s: ConnectionStatus) =>
          `${s.state}${s.retryInMs === null ? '' : `:${s.retryInMs}`}${s.state === 'connecting' ? `#${s.attempt}` : ''}`;
        const states$ = stream.connection$.pipe(map(code));
        let sub: Subscription | undefined;
        const at = (t: number, fn: () => void) => scheduler.schedule(fn, t);
        at(1, () => (sub = stream.subscribe()));
        at(11, () => FakeEventSource.last.fail()); // -> wait 100
        at(121, () => FakeEventSource.last.fail()); // -> wait 200
        at(331, () => FakeEventSource.last.fail()); // -> wait 400
        at(741, () => FakeEventSource.last.fail()); // -> wait 400 (the bound)
        at(1151, () => FakeEventSource.last.hello()); // live: attempts reset
        at(1200, () => FakeEventSource.last.fail()); // -> wait 100 again
        at(1350, () => sub!.unsubscribe());
        expectObservable(states$, '^ 1400ms !').toBe(
          'a b 9ms c 99ms d 9ms e 199ms f 9ms g 399ms h 9ms i 399ms j 9ms k 48ms l 99ms m 49ms n',
          {
            a: 'idle',
            b: 'connecting#0',
            c: 'reconnecting:100',
            d: 'connecting#1',
            e: 'reconnecting:200',
            f: 'connecting#2',
            g: 'reconnecting:400',
            h: 'connecting#3',
            i: 'reconnecting:400',
            j: 'connecting#4',
            k: 'live',
            l: 'reconnecting:100',
            m: 'connecting#1',
            n: 'idle',
          },
        );
      });
      expect(FakeEventSource.instances).toHaveLength(6);
      expect(FakeEventSource.instances.every((es) => es.closed && es.listenerCount() === 0)).toBe(true);
    });

    it('resumes after the last received tick (lastEventId in the query, before any fragment)', () => {
      const scheduler = newScheduler();
      const sub = snapshotsFromEventSource('/dash/events?token=a#frag', options(scheduler)).subscribe();
      const es = FakeEventSource.last;
      expect(es.url).toBe('/dash/events?token=a#frag');
      es.hello();
      es.emit('definitions', definitions);
      es.emit('snapshot', snapshot(7, 1));
      es.fail();
      advanceTo(scheduler, 100);
      expect(FakeEventSource.last.url).toBe('/dash/events?token=a&lastEventId=abc123%3A7#frag');
      sub.unsubscribe();
      // a new subscription starts afresh (it wants the history)
      snapshotsFromEventSource('/events', options(scheduler)).subscribe().unsubscribe();
      expect(FakeEventSource.last.url).toBe('/events');
    });

    it('reconnects a stream that went silent, and heartbeats keep it alive', () => {
      const scheduler = newScheduler();
      const stream = snapshotsFromEventSource(URL_, options(scheduler));
      const statuses: ConnectionStatus[] = [];
      stream.connection$.subscribe((s) => statuses.push(s));
      const sub = stream.subscribe();
      const es = FakeEventSource.last;
      es.hello({ intervalMs: 60_000, heartbeatMs: 5_000 }); // guaranteed gap 5 s: stale after max(10 s, 15 s)
      for (let t = 4_000; t <= 40_000; t += 4_000) {
        advanceTo(scheduler, t);
        es.emit('heartbeat', { time: t });
      }
      expect(FakeEventSource.instances).toHaveLength(1);
      advanceTo(scheduler, 40_000 + 15_000);
      expect(FakeEventSource.instances).toHaveLength(1);
      expect(statuses[statuses.length - 1]).toMatchObject({
        state: 'reconnecting',
        lastError: 'nothing received for 15000 ms',
      });
      expect(es.closed).toBe(true);
      advanceTo(scheduler, 40_000 + 15_000 + 100);
      expect(FakeEventSource.instances).toHaveLength(2);
      sub.unsubscribe();
    });

    it('honours staleAfterMs, also before the hello', () => {
      const scheduler = newScheduler();
      const sub = snapshotsFromEventSource(URL_, options(scheduler, { staleAfterMs: 500 })).subscribe();
      advanceTo(scheduler, 499);
      expect(FakeEventSource.last.closed).toBe(false);
      advanceTo(scheduler, 500);
      expect(FakeEventSource.last.closed).toBe(true);
      sub.unsubscribe();
    });

    it('gives up after maxAttempts consecutive failures with SNAPSHOT_STREAM_FAILED', () => {
      const scheduler = newScheduler();
      const stream = snapshotsFromEventSource(URL_, options(scheduler, { maxAttempts: 3 }));
      let error: unknown;
      const states: string[] = [];
      stream.connection$.subscribe((s) => states.push(s.state));
      stream.subscribe({ error: (e: unknown) => (error = e) });
      for (let i = 0; i < 3; i++) {
        FakeEventSource.last.fail();
        advanceTo(scheduler, scheduler.now() + 1_000);
      }
      expect(FakeEventSource.instances).toHaveLength(3);
      expect(error).toBeInstanceOf(SnapshotStreamError);
      expect(error).toMatchObject({ code: 'SNAPSHOT_STREAM_FAILED', attempts: 3 });
      expect(states[states.length - 1]).toBe('failed');
      expect(scheduler.actions).toHaveLength(0);
    });

    it('treats a throwing EventSource constructor as a failed attempt', () => {
      const scheduler = newScheduler();
      let calls = 0;
      class Throwing extends FakeEventSource {
        constructor(url: string) {
          calls++;
          if (calls < 3) throw new Error('refused');
          super(url);
        }
      }
      const states: ConnectionStatus[] = [];
      const stream = snapshotsFromEventSource(URL_, options(scheduler, { EventSource: Throwing }));
      stream.connection$.subscribe((s) => states.push(s));
      const sub = stream.subscribe();
      advanceTo(scheduler, 1_000);
      expect(calls).toBe(3);
      expect(states.some((s) => s.lastError === 'cannot open the EventSource: refused')).toBe(true);
      expect(states[states.length - 1]!.state).toBe('connecting');
      sub.unsubscribe();
    });
  });

  describe('sharing', () => {
    it('shares one connection, replays the latest update to late subscribers, and closes with the last', () => {
      const scheduler = newScheduler();
      const stream = snapshotsFromEventSource(URL_, options(scheduler));
      const a: number[] = [];
      const b: number[] = [];
      const subA = stream.subscribe((u) => a.push(u.seq));
      const es = FakeEventSource.last;
      es.hello();
      es.emit('definitions', definitions);
      es.emit('snapshot', snapshot(1, 1));
      const subB = stream.subscribe((u) => b.push(u.seq));
      es.emit('snapshot', snapshot(2, 2));
      expect(FakeEventSource.instances).toHaveLength(1);
      expect(a).toEqual([1, 2]);
      expect(b).toEqual([1, 2]);
      subA.unsubscribe();
      expect(es.closed).toBe(false);
      subB.unsubscribe();
      expect(es.closed).toBe(true);
      expect(es.listenerCount()).toBe(0);
      expect(scheduler.actions).toHaveLength(0);
      let last: ConnectionStatus | undefined;
      stream.connection$.subscribe((s) => (last = s)).unsubscribe();
      expect(last).toMatchObject({ state: 'idle', lastEventId: null });
    });
  });

  describe('arguments', () => {
    it.each([
      [{ initialDelayMs: 0 }, RangeError, /options\.initialDelayMs/],
      [{ initialDelayMs: '5' }, TypeError, /options\.initialDelayMs/],
      [{ maxDelayMs: 10, initialDelayMs: 100 }, RangeError, /options\.maxDelayMs.*initialDelayMs/],
      [{ factor: 0.5 }, RangeError, /options\.factor/],
      [{ jitter: 1.5 }, RangeError, /options\.jitter/],
      [{ jitter: -0.1 }, RangeError, /options\.jitter/],
      [{ maxAttempts: 0 }, RangeError, /options\.maxAttempts/],
      [{ maxAttempts: 1.5 }, RangeError, /options\.maxAttempts/],
      [{ maxAttempts: '3' }, TypeError, /options\.maxAttempts/],
      [{ staleAfterMs: -1 }, RangeError, /options\.staleAfterMs/],
      [{ withCredentials: 1 }, TypeError, /options\.withCredentials/],
      [{ scheduler: { now: 1 } }, TypeError, /options\.scheduler/],
      [{ EventSource: {} }, TypeError, /options\.EventSource/],
      [{ eventSource: FakeEventSource }, TypeError, /Unknown option "eventSource"/],
    ])('refuses %p', (bad, type, message) => {
      const o = { EventSource: FakeEventSource, ...(bad as object) };
      expect(() => snapshotsFromEventSource(URL_, o as never)).toThrow(type);
      expect(() => snapshotsFromEventSource(URL_, o as never)).toThrow(message);
    });

    it.each([[''], ['  '], [null], [42], [{}]])('refuses the url %p', (url) => {
      expect(() => snapshotsFromEventSource(url as never, { EventSource: FakeEventSource })).toThrow(/`url`/);
    });

    it('accepts a URL object and needs an EventSource when there is no global one', () => {
      const sub = snapshotsFromEventSource(new URL(URL_), { EventSource: FakeEventSource }).subscribe();
      expect(FakeEventSource.last.url).toBe(URL_);
      sub.unsubscribe();
      expect((globalThis as { EventSource?: unknown }).EventSource).toBeUndefined();
      expect(() => snapshotsFromEventSource(URL_)).toThrow(/options\.EventSource.*no global EventSource/);
    });
  });

  describe('backoffDelay', () => {
    it('stays within [(1 - jitter) * base, base], never above maxDelayMs, and grows with attempts', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 1, max: 10_000, noNaN: true }),
          fc.double({ min: 1, max: 100_000, noNaN: true }),
          fc.double({ min: 1, max: 10, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 1, max: 2_000 }),
          fc.double({ min: 0, max: 0.999999, noNaN: true }),
          (initial, extra, factor, jitter, attempt, random) => {
            const settings = { initialDelayMs: initial, maxDelayMs: initial + extra, factor, jitter };
            const base = Math.min(settings.maxDelayMs, initial * factor ** (attempt - 1));
            const d = backoffDelay(settings, attempt, random);
            expect(d).toBeLessThanOrEqual(settings.maxDelayMs + 1e-9);
            expect(d).toBeLessThanOrEqual(base + 1e-9);
            expect(d).toBeGreaterThanOrEqual((1 - jitter) * base - 1e-9);
            const noJitter = { ...settings, jitter: 0 };
            expect(backoffDelay(noJitter, attempt + 1, random)).toBeGreaterThanOrEqual(
              backoffDelay(noJitter, attempt, random),
            );
          },
        ),
      );
    });
  });
});
