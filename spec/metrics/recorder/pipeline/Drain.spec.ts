import fc from 'fast-check';
// Internal on purpose: the drain stage and the monotonic clock it budgets batches with (not exported).
import * as timers from '../../../../lib/internal/timers.js';
import {
  BATCH_BUDGET_MS,
  BATCH_DONE,
  BATCH_FAILED,
  BATCH_MAX_EVENTS,
  CATCH_UP_BUDGET_MS,
  READ_BUDGET_MS,
} from '../../../../lib/metrics/recorder/pipeline/Drain.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { MetricSnapshots } from '../../../../lib/metrics/snapshot.js';
import { dimsOf, e, pipeline, summing, type Ev } from './harness.js';

/** Replaces the drain's monotonic clock with a fake one the metrics advance. */
function fakeMonotonic(): { now: number; reads: number; restore(): void } {
  const clock = { now: 0, reads: 0, restore: () => spy.mockRestore() };
  const spy = jest.spyOn(timers, 'monotonicNow').mockImplementation(() => {
    clock.reads++;
    return clock.now;
  });
  return clock;
}

afterEach(() => jest.restoreAllMocks());

describe('Drain', () => {
  it('has the documented bounds', () => {
    expect(BATCH_MAX_EVENTS).toBe(16_384);
    expect(BATCH_BUDGET_MS).toBe(4);
    expect(CATCH_UP_BUDGET_MS).toBe(12);
    expect(READ_BUDGET_MS).toBe(250);
  });

  it('takes events in FIFO order, at most maxEvents per batch, and counts them in processed', () => {
    const p = pipeline();
    const seen: string[] = [];
    p.register(summing('a', { seen }));
    p.register(summing('b', { seen }));
    for (let i = 0; i < 10; i++) p.offer(e(i));
    expect(p.drain.runBatch(4, Infinity)).toBe(BATCH_DONE);
    expect(p.drain.processed).toBe(4);
    expect(p.buffer.size).toBe(6);
    expect(seen).toEqual(['a:0', 'b:0', 'a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'b:3']);
    expect(p.drain.runBatch(100, Infinity)).toBe(BATCH_DONE);
    expect(p.drain.processed).toBe(10);
    expect(p.buffer.size).toBe(0);
    expect(seen.filter((s) => s.startsWith('a:'))).toEqual([...Array(10).keys()].map((i) => `a:${i}`));
  });

  it('counts events no metric accepts as processed, and delivers them on events$', () => {
    const p = pipeline();
    p.register(summing('a'));
    const delivered: MetricEvent[] = [];
    p.streams.events$.subscribe((x) => delivered.push(x));
    const unrelated = e(1, 1, 'other');
    p.offer(unrelated, e(2));
    p.drain.runBatch(10, Infinity);
    expect(p.drain.processed).toBe(2);
    expect(delivered).toEqual([unrelated, e(2)]);
  });

  it('does nothing on an empty buffer (no clock read, no commit)', () => {
    const clock = jest.fn(() => 5);
    const p = pipeline({ clock });
    p.register(summing('a'));
    const maps: MetricSnapshots[] = [];
    p.streams.snapshots$.subscribe((m) => maps.push(m));
    expect(p.drain.runBatch(10, Infinity)).toBe(BATCH_DONE);
    expect(clock).not.toHaveBeenCalled();
    expect(maps).toHaveLength(1); // the replayed current map only
  });

  it('reads ctx.now once per batch: every event of a batch sees the same time', () => {
    let t = 100;
    const clock = jest.fn(() => t++);
    const times: number[] = [];
    const p = pipeline({ clock });
    p.register(summing('a', { onReduce: (_e, ctx) => times.push(ctx.now) }));
    p.offer(e(0), e(1), e(2));
    p.drain.runBatch(2, Infinity);
    p.drain.runBatch(2, Infinity);
    expect(clock).toHaveBeenCalledTimes(2);
    expect(times).toEqual([100, 100, 101]);
  });

  it('commits once per batch: one snapshots$ map and one dimensions call per changed metric', () => {
    const p = pipeline();
    let dimensionsCalls = 0;
    const base = summing('a');
    p.register({
      ...base,
      dimensions: (s: { readonly total: number }) => (dimensionsCalls++, base.dimensions(s)),
    });
    p.register(summing('idle', { type: 'never' }));
    const maps: MetricSnapshots[] = [];
    p.streams.snapshots$.subscribe((m) => maps.push(m));
    dimensionsCalls = 0;
    for (let i = 0; i < 50; i++) p.offer(e(i));
    p.drain.runBatch(20, Infinity);
    p.drain.runBatch(20, Infinity);
    p.drain.runBatch(20, Infinity);
    expect(maps).toHaveLength(1 + 3);
    expect(dimensionsCalls).toBe(3);
    expect(maps.map((m) => dimsOf(m, 'a'))).toEqual([
      { total: 0 },
      { total: 20 },
      { total: 40 },
      { total: 50 },
    ]);
    // A batch that changed nothing publishes nothing.
    p.offer(e(99, 0));
    p.drain.runBatch(20, Infinity);
    expect(maps).toHaveLength(4);
  });

  it('stops at the first event that ends at or after the time budget (property, fake monotonic clock)', () => {
    // Per-event costs within a factor of 2 of each other: the adaptive clock reads never let a batch
    // start an event after its budget ran out, so the overrun is less than one event.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (d, budget, seed) => {
          const clock = fakeMonotonic();
          try {
            const costs: number[] = [];
            let x = seed;
            for (let i = 0; i < 600; i++) {
              x = (x * 1103515245 + 12345) % 2 ** 31;
              costs.push(d + (x % (d + 1)));
            }
            const p = pipeline();
            p.register(summing('slow', { onReduce: (ev) => (clock.now += costs[ev.seq!]!) }));
            for (let i = 0; i < costs.length; i++) p.offer(e(i));
            p.drain.runBatch(Infinity, budget);
            let sum = 0;
            let expected = 0;
            while (sum < budget) sum += costs[expected++]!;
            expect(p.drain.processed).toBe(expected);
          } finally {
            clock.restore();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads the clock after every event while metrics are slow', () => {
    const clock = fakeMonotonic();
    const p = pipeline();
    p.register(summing('slow', { onReduce: () => (clock.now += 3) }));
    for (let i = 0; i < 10; i++) p.offer(e(i));
    p.drain.runBatch(Infinity, 10);
    expect(p.drain.processed).toBe(4); // 3, 6, 9, 12 ≥ 10
    expect(clock.reads).toBe(1 + 4);
  });

  it('reads the clock every 256 events when metrics are fast, and then stops on maxEvents', () => {
    const clock = fakeMonotonic();
    const p = pipeline();
    p.register(summing('fast'));
    for (let i = 0; i < BATCH_MAX_EVENTS + 10; i++) p.offer(e(i));
    p.drain.runBatch(BATCH_MAX_EVENTS, BATCH_BUDGET_MS);
    expect(p.drain.processed).toBe(BATCH_MAX_EVENTS);
    expect(clock.reads).toBeLessThanOrEqual(2 + BATCH_MAX_EVENTS / 256);
  });

  it('a metric that turns slow mid-batch overruns by at most about one check interval', () => {
    // 1000 fast events (no time), then each event costs 1 ms: the batch notices within 256 events.
    const clock = fakeMonotonic();
    const p = pipeline();
    p.register(summing('m', { onReduce: (ev) => (clock.now += ev.seq! >= 1000 ? 1 : 0) }));
    for (let i = 0; i < 5000; i++) p.offer(e(i));
    p.drain.runBatch(Infinity, 4);
    expect(p.drain.processed).toBeGreaterThanOrEqual(1004);
    expect(p.drain.processed).toBeLessThanOrEqual(1000 + 256);
  });

  it('is not re-entrant: a drain from inside a batch does nothing', () => {
    const p = pipeline();
    const nested: number[] = [];
    const seen: string[] = [];
    p.register(
      summing('a', {
        seen,
        onReduce: () => {
          expect(p.drain.running).toBe(true);
          nested.push(p.drain.runBatch(Infinity, Infinity));
        },
      }),
    );
    p.offer(e(0), e(1), e(2));
    p.drain.runBatch(1, Infinity);
    expect(nested).toEqual([BATCH_DONE]);
    expect(seen).toEqual(['a:0']);
    expect(p.drain.processed).toBe(1);
    expect(p.buffer.size).toBe(2);
    expect(p.drain.running).toBe(false);
  });

  it('is not running after a batch whose dispatch threw', () => {
    const p = pipeline();
    p.register(summing('a'));
    p.offer(e(0));
    jest.spyOn(p.dispatch, 'dispatch').mockImplementation(() => {
      throw new Error('defect');
    });
    expect(() => p.drain.runBatch(1, Infinity)).toThrow('defect');
    expect(p.drain.running).toBe(false);
  });

  it("returns BATCH_FAILED under 'fail-recorder': stops at the failing event, still commits the earlier ones", () => {
    const p = pipeline({ failFast: true });
    const seen: string[] = [];
    p.register(summing('good', { seen }));
    p.register(summing('bad', { seen, throwWhen: (ev) => ev.seq === 3 }));
    p.register(summing('after', { seen }));
    for (let i = 0; i < 10; i++) p.offer(e(i));
    expect(p.drain.runBatch(Infinity, Infinity)).toBe(BATCH_FAILED);
    expect(p.drain.processed).toBe(4); // the failing event was taken from the buffer
    expect(p.buffer.size).toBe(6);
    expect(seen.slice(-3)).toEqual(['after:2', 'good:3', 'bad:3']); // 'after' never saw event 3
    expect(dimsOf(p.commit.current(), 'good')).toEqual({ total: 4 });
    expect(dimsOf(p.commit.current(), 'after')).toEqual({ total: 3 });
    expect(p.dispatch.failure?.metricName).toBe('bad');
  });

  it("returns BATCH_FAILED when a snapshot fails under 'fail-recorder'", () => {
    const p = pipeline({ failFast: true });
    const base = summing('a');
    p.register({
      ...base,
      dimensions: (s: { readonly total: number }) => {
        if (s.total > 1) throw new Error('no dimensions');
        return base.dimensions(s);
      },
    });
    p.offer(e(0));
    expect(p.drain.runBatch(Infinity, Infinity)).toBe(BATCH_DONE);
    p.offer(e(1));
    expect(p.drain.runBatch(Infinity, Infinity)).toBe(BATCH_FAILED);
    expect(p.drain.commitChanges()).toBe(BATCH_DONE); // nothing dirty any more
  });

  it('delivers events$ only to subscribers present when the batch began', () => {
    const p = pipeline();
    const first: number[] = [];
    const late: number[] = [];
    p.register(
      summing('a', {
        onReduce: (ev) => {
          if (ev.seq === 1) p.streams.events$.subscribe((x) => late.push((x as Ev).seq!));
        },
      }),
    );
    p.offer(e(0), e(1), e(2));
    p.drain.runBatch(Infinity, Infinity);
    expect(late).toEqual([]);
    p.streams.events$.subscribe((x) => first.push((x as Ev).seq!));
    p.offer(e(3));
    p.drain.runBatch(Infinity, Infinity);
    expect(first).toEqual([3]);
    expect(late).toEqual([3]);
  });

  it('delivers each event on events$ after the metrics saw it', () => {
    const p = pipeline();
    const log: string[] = [];
    p.register(summing('a', { seen: log }));
    p.streams.events$.subscribe((x) => log.push(`event:${(x as Ev).seq!}`));
    p.offer(e(0), e(1));
    p.drain.runBatch(Infinity, Infinity);
    expect(log).toEqual(['a:0', 'event:0', 'a:1', 'event:1']);
  });

  it('commitChanges commits what changed outside a batch', () => {
    const p = pipeline();
    const slot = p.register(summing('a'));
    slot.state = { total: 7 };
    slot.dirty = true;
    p.dispatch.anyDirty = true;
    expect(p.drain.commitChanges()).toBe(BATCH_DONE);
    expect(dimsOf(p.commit.current(), 'a')).toEqual({ total: 7 });
  });
});
