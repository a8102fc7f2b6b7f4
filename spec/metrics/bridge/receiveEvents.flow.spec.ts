import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  outcomeCounter,
  type AnyMetric,
  type MetricEvent,
  type OverflowPolicy,
  BRIDGE_PROTOCOL,
  mirrorSnapshots,
  postSnapshots,
  receiveEvents,
  type MessagePortLike,
} from 'mvx-common';
import { until } from '../../helpers/wait.js';

interface Save extends MetricEvent {
  readonly type: 'save';
  readonly outcome: 'success' | 'failure';
  readonly region: string;
  readonly durationMs: number;
  readonly size: number;
  readonly seq: number;
  /** Makes the processing of this event take ~6 ms: enough to cut a drain batch short. */
  readonly slow?: boolean;
}

const save = (seq: number, slow = false): Save => ({
  type: 'save',
  outcome: seq % 7 === 0 ? 'failure' : 'success',
  region: ['eu', 'us', 'ap', 'sa'][seq % 4]!,
  durationMs: (seq % 250) + 0.5,
  size: seq % 500,
  seq,
  ...(slow ? { slow } : {}),
});

/** Records the order events were processed in (and spins on `slow` events). */
function orderProbe(): { metric: AnyMetric; seen: number[] } {
  const seen: number[] = [];
  const metric = defineMetric({
    name: 'order',
    accepts: (e: MetricEvent): e is Save => e.type === 'save',
    init: () => 0,
    reduce: (s: number, e: Save) => {
      seen.push(e.seq);
      if (e.slow) {
        const end = Date.now() + 6;
        while (Date.now() < end) {
          // a slow event
        }
      }
      return s + 1;
    },
    dimensions: (s) => ({ count: s }),
  }) as AnyMetric;
  return { metric, seen };
}

/** The four built-in kinds of the reliability bench. */
function fourKinds(recorder: MetricsRecorder<Save>): void {
  recorder.registerMetric(outcomeCounter<Save>({ name: 'saves', on: 'save' }));
  recorder.registerMetric(counter<Save>({ name: 'by_region', on: 'save', by: ['outcome', 'region'] }));
  recorder.registerMetric(histogram<Save>({ name: 'duration', on: 'save', value: 'durationMs' }));
  recorder.registerMetric(gauge<Save>({ name: 'size', on: 'save', value: 'size' }));
}

const batch = (events: unknown[]) => ({ mvx: BRIDGE_PROTOCOL, kind: 'events', events });

/** A synchronous port the test drives: `deliver(data)` calls the listener like a port would. */
function drivenPort(): MessagePortLike & { deliver(event: unknown): void } {
  let listener: ((event: unknown) => void) | undefined;
  return {
    postMessage: () => undefined,
    addEventListener: (_type, l) => {
      listener = l;
    },
    removeEventListener: () => {
      listener = undefined;
    },
    deliver: (event) => listener?.(event),
  };
}

const invariant = (recorder: MetricsRecorder<Save>) => {
  const s = recorder.getStats();
  expect(s.offered).toBe(s.processed + s.pending + s.dropped + s.rejected);
  return s;
};

describe('receiveEvents flow control (a recorder as the target)', () => {
  let channel: MessageChannel;
  beforeEach(() => {
    channel = new MessageChannel();
  });
  afterEach(() => {
    channel.port1.close();
    channel.port2.close();
  });

  it('keeps up with port messages delivered back to back, even after a drain batch was cut short', async () => {
    // Node delivers queued port messages one after the other, before any macrotask. After a batch cut
    // short (here by one slow event), the receiver admits events as fast as the recorder processes them
    // instead of waiting for its next drain behind all of those messages: nothing is dropped.
    const recorder = new MetricsRecorder<Save>('bridge');
    fourKinds(recorder);
    const { metric, seen } = orderProbe();
    recorder.registerMetric(metric);
    const receiver = receiveEvents(channel.port2, recorder);
    const total = 200 * 512;
    for (let b = 0; b < 200; b++) {
      channel.port1.postMessage(
        batch(Array.from({ length: 512 }, (_, i) => save(b * 512 + i, b * 512 + i === 0))),
      );
    }
    await until(() => receiver.getStats().events === total, { timeoutMs: 20_000 });
    await receiver.flush();
    const stats = invariant(recorder);
    expect(stats).toMatchObject({ offered: total, processed: total, dropped: 0, rejected: 0, pending: 0 });
    expect(receiver.getStats()).toMatchObject({ batches: 200, events: total, queued: 0 });
    expect(recorder.getMetricSnapshot('saves')!.dimensions['total']).toBe(total);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i)); // FIFO
    receiver.close();
    await recorder.dispose();
  });

  it('queues what does not fit (in order), bounded by maxQueuedEvents; beyond, the recorder counts the drops', async () => {
    const port = drivenPort();
    const recorder = new MetricsRecorder<Save>('bridge', { capacity: 1_000 });
    const { metric, seen } = orderProbe();
    recorder.registerMetric(metric);
    const receiver = receiveEvents(port, recorder, { maxQueuedEvents: 100_000 });
    port.deliver({ data: batch(Array.from({ length: 50_000 }, (_, i) => save(i))) });
    await receiver.flush();
    expect(invariant(recorder)).toMatchObject({ offered: 50_000, processed: 50_000, dropped: 0 });
    expect(seen).toEqual(Array.from({ length: 50_000 }, (_, i) => i));
    receiver.close();

    // Default bound (the capacity): one huge message while the recorder cannot process (a virtual
    // scheduler nobody flushes, and reading never drains while it is starting).
    const port2 = drivenPort();
    const slowStart = new (class extends MetricsRecorder<Save> {
      release: (() => void) | undefined;
      protected override onStarting(): Promise<void> {
        return new Promise((resolve) => (this.release = resolve));
      }
    })('starting', { capacity: 1_000 });
    void slowStart.start();
    await new Promise((resolve) => setImmediate(resolve)); // the hook runs on a later microtask
    const r2 = receiveEvents(port2, slowStart);
    port2.deliver({ data: batch(Array.from({ length: 5_000 }, (_, i) => save(i))) });
    const s = invariant(slowStart);
    expect(r2.getStats().queued).toBe(1_000); // the bound
    expect(s.pending).toBe(1_000); // the capacity
    expect(s.dropped).toBe(3_000); // beyond both: refused by the recorder, counted
    expect(s.offered + r2.getStats().queued).toBe(5_000); // nothing unaccounted
    slowStart.release!();
    await r2.flush();
    expect(invariant(slowStart)).toMatchObject({ processed: 2_000, dropped: 3_000, pending: 0 });
    expect(r2.getStats().queued).toBe(0);
    r2.close();
    await slowStart.dispose();
    await recorder.dispose();
  });

  it('never leaves events stuck: a stopped, failed or disposed recorder gets them (and counts them as rejected)', async () => {
    for (const end of ['stop', 'fail', 'dispose'] as const) {
      const port = drivenPort();
      const recorder = new MetricsRecorder<Save>('r', {
        capacity: 10,
        metricErrors: end === 'fail' ? 'fail-recorder' : 'isolate',
      });
      recorder.registerMetric(
        defineMetric({
          name: 'gate',
          accepts: (e: MetricEvent): e is Save => e.type === 'save',
          init: () => 0,
          reduce: (s: number, e: Save) => {
            if (end === 'fail' && e.seq === 5) throw new Error('metric failed');
            return s + 1;
          },
          dimensions: (s) => ({ n: s }),
        }) as AnyMetric,
      );
      const receiver = receiveEvents(port, recorder, { maxQueuedEvents: 1_000 });
      // hold processing back: the receiver admits in steps and queues the rest
      port.deliver({ data: batch(Array.from({ length: 500 }, (_, i) => save(i))) });
      if (end === 'stop') await recorder.stop();
      if (end === 'dispose') await recorder.dispose();
      await expect(receiver.flush()).resolves.toBeUndefined();
      expect(receiver.getStats().queued).toBe(0);
      const s = invariant(recorder);
      expect(s.offered).toBe(500);
      expect(s.processed + s.pending + s.dropped + s.rejected).toBe(500);
      receiver.close();
      await recorder.dispose();
    }
  });

  it('handOver() gives a recorder everything waiting, so that its stop drains it', async () => {
    const port = drivenPort();
    const recorder = new (class extends MetricsRecorder<Save> {
      release: (() => void) | undefined;
      protected override onStarting(): Promise<void> {
        return new Promise((resolve) => (this.release = resolve));
      }
    })('r', { capacity: 100_000 });
    void recorder.start();
    await new Promise((resolve) => setImmediate(resolve));
    const receiver = receiveEvents(port, recorder, { maxQueuedEvents: 100_000 });
    port.deliver({ data: batch(Array.from({ length: 20_000 }, (_, i) => save(i))) });
    expect(receiver.getStats().queued).toBeGreaterThan(0); // starting: it cannot process yet
    receiver.handOver();
    expect(receiver.getStats().queued).toBe(0);
    expect(recorder.getStats().pending).toBe(20_000);
    recorder.release!();
    await new Promise((resolve) => setImmediate(resolve));
    await recorder.stop();
    expect(invariant(recorder)).toMatchObject({ offered: 20_000, processed: 20_000, rejected: 0 });
    receiver.close();
    await recorder.dispose();
  });

  it('property: whatever the batch sizes, capacity, bound and overflow policy, every received event is accounted for; without drops, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }),
        fc.constantFrom<OverflowPolicy>('drop-newest', 'drop-oldest', 'error'),
        async (sizes, capacity, maxQueuedEvents, overflow) => {
          const port = drivenPort();
          const recorder = new MetricsRecorder<Save>('p', { capacity, overflow });
          const { metric, seen } = orderProbe();
          recorder.registerMetric(metric);
          const receiver = receiveEvents(port, recorder, maxQueuedEvents ? { maxQueuedEvents } : {});
          let seq = 0;
          for (const size of sizes) {
            port.deliver({ data: batch(Array.from({ length: size }, () => save(seq++))) });
            const s = recorder.getStats();
            expect(s.offered + receiver.getStats().queued).toBe(seq);
          }
          await receiver.flush();
          const s = invariant(recorder);
          expect(s).toMatchObject({ offered: seq, pending: 0, rejected: 0 });
          expect(s.processed + s.dropped).toBe(seq);
          expect(seen).toHaveLength(s.processed);
          if (s.dropped === 0) expect(seen).toEqual(Array.from({ length: seq }, (_, i) => i));
          // dropping never reorders: what is processed is in emission order
          expect(seen.every((v, i) => i === 0 || v > seen[i - 1]!)).toBe(true);
          receiver.close();
          await recorder.dispose();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('receiveEvents with hostile input', () => {
  const revoked = (): object => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };

  it('counts unreadable messages as malformed and keeps the rest of the stream', async () => {
    const port = drivenPort();
    const recorder = new MetricsRecorder('hostile');
    const receiver = receiveEvents(port, recorder);
    const errors: Error[] = [];
    receiver.errors$.subscribe((e) => errors.push(e));
    const throwingData = {
      get data(): unknown {
        throw new Error('data getter');
      },
    };
    const throwingEnvelope = {
      data: {
        mvx: BRIDGE_PROTOCOL,
        kind: 'events',
        get events(): unknown {
          throw new Error('events getter');
        },
      },
    };
    const nastyArray = new Proxy([{ type: 'ok' }, { type: 'ok' }], {
      get(target, key, receiver) {
        if (key === '1') throw new Error('element getter');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const inputs: unknown[] = [
      throwingData,
      revoked(),
      { data: revoked() },
      throwingEnvelope,
      { data: Object.create(null) },
      { data: { mvx: BRIDGE_PROTOCOL, kind: 'events', events: nastyArray } },
      {
        data: {
          mvx: BRIDGE_PROTOCOL,
          kind: 'events',
          events: [Object.create(null), revoked(), { type: 'ok' }],
        },
      },
      { data: batch([{ type: 'ok' }]) },
    ];
    for (const input of inputs) expect(() => port.deliver(input)).not.toThrow();
    await recorder.flush();
    const stats = recorder.getStats();
    // events that arrived: 2 (nasty array, one unreadable) + 3 + 1; malformed messages are one rejection each
    expect(receiver.getStats()).toMatchObject({ batches: 3, events: 6 });
    expect(stats.processed).toBe(3);
    expect(stats.offered).toBe(stats.processed + stats.rejected);
    expect(stats.rejected).toBe(3 + receiver.getStats().malformed);
    expect(errors.length).toBe(receiver.getStats().malformed);
    receiver.close();
    await recorder.dispose();
  });

  it('feeds a hostile target without crashing', () => {
    const port = drivenPort();
    const target = new Proxy(
      { emit: () => undefined },
      {
        get(t, key) {
          if (key === 'getStats') throw new Error('no stats for you');
          return Reflect.get(t, key) as unknown;
        },
      },
    );
    const receiver = receiveEvents(port, target);
    expect(() => port.deliver({ data: batch([{ type: 'a' }, { type: 'b' }]) })).not.toThrow();
    expect(receiver.getStats()).toMatchObject({ events: 2, queued: 0 });
    receiver.close();
  });

  it('mirrorSnapshots ignores unreadable messages; postSnapshots survives a port that throws', async () => {
    const port = drivenPort();
    const mirror = mirrorSnapshots(port);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const input of [
      proxy,
      { data: proxy },
      { data: { mvx: BRIDGE_PROTOCOL, kind: 'snapshots', snapshots: proxy } },
      { data: { mvx: BRIDGE_PROTOCOL, kind: 'snapshots', snapshots: [] } },
    ])
      expect(() => port.deliver(input)).not.toThrow();
    expect(mirror.getMetricSnapshots()).toEqual({});
    port.deliver({ data: { mvx: BRIDGE_PROTOCOL, kind: 'snapshots', snapshots: { a: { name: 'a' } } } });
    expect(mirror.getMetricSnapshot('a')).toEqual({ name: 'a' });
    mirror.close();

    const recorder = new MetricsRecorder('posting');
    const throwing = {
      ...drivenPort(),
      postMessage: () => {
        throw new Error('gone');
      },
    };
    const posting = postSnapshots(recorder.snapshots$, throwing);
    recorder.emit({ type: 'x' });
    await recorder.flush();
    expect(posting.closed).toBe(false);
    posting.unsubscribe();
    await recorder.dispose();
  });

  it('rejects a bad maxQueuedEvents with a RangeError naming it', () => {
    expect(() => receiveEvents(drivenPort(), new MetricsRecorder('x'), { maxQueuedEvents: 0 })).toThrow(
      /`options.maxQueuedEvents`/,
    );
  });
});
