import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
// Internal on purpose: the refresh stage of time-aware metrics (not exported).
import { BATCH_DONE, BATCH_FAILED } from '../../../../lib/metrics/recorder/pipeline/Drain.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { AnyMetric, MetricContext } from '../../../../lib/metrics/metric.js';
import { dimsOf, pipeline, summing, type Ev, type Pipeline } from './harness.js';

interface Expiring {
  readonly value: number;
  readonly expiresAt: number | undefined;
}

/** A time-aware metric: the last `v` of its events, back to 0 `ttl` ms after it was set. */
function expiring(
  name: string,
  ttl: number,
  opts: {
    refreshed?: number[];
    refresh?: (s: Expiring, ctx: MetricContext) => Expiring;
    nextRefresh?: (s: Expiring) => unknown;
  } = {},
): AnyMetric {
  return {
    name,
    kind: 'gauge',
    accepts: (x: MetricEvent): x is Ev => x.type === name,
    init: (): Expiring => ({ value: 0, expiresAt: undefined }),
    reduce: (_s: Expiring, x: Ev, ctx: MetricContext): Expiring => ({
      value: x.v ?? 1,
      expiresAt: ctx.now + ttl,
    }),
    dimensions: (s: Expiring) => ({ value: s.value }),
    refresh: (s: Expiring, ctx: MetricContext): Expiring => {
      opts.refreshed?.push(ctx.now);
      if (opts.refresh) return opts.refresh(s, ctx);
      return s.expiresAt !== undefined && ctx.now >= s.expiresAt ? { value: 0, expiresAt: undefined } : s;
    },
    nextRefresh: (opts.nextRefresh ?? ((s: Expiring) => s.expiresAt)) as (s: unknown) => number | undefined,
  } as AnyMetric;
}

function virtual(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

/** Emits `events` as one batch now, as the facade does (drain, then plan the refresh). */
function batch(p: Pipeline, ...events: Ev[]): void {
  p.offer(...events);
  p.drain.runBatch(Infinity, Infinity);
  p.refresh.plan();
}

describe('Refresh', () => {
  it('plans nothing and refreshes nothing until started, and nothing after stop', () => {
    const ts = virtual();
    const refreshed: number[] = [];
    const p = pipeline({ scheduler: ts });
    p.register(expiring('a', 10, { refreshed }));
    ts.schedule(() => batch(p, { type: 'a', v: 5 }), 0);
    ts.flush();
    expect(p.refresh.run()).toBe(BATCH_DONE);
    expect(refreshed).toEqual([]);
    p.refresh.start();
    ts.schedule(() => p.refresh.stop(), 5);
    ts.flush();
    expect(refreshed).toEqual([]);
    expect(dimsOf(p.commit.current(), 'a')).toEqual({ value: 5 });
  });

  it('keeps one timer at the earliest due time; refreshes only the due metrics, commits, plans the next', () => {
    const ts = virtual();
    const refreshedA: number[] = [];
    const refreshedB: number[] = [];
    const p = pipeline({ scheduler: ts });
    p.register(expiring('a', 10, { refreshed: refreshedA }));
    p.register(expiring('b', 25, { refreshed: refreshedB }));
    p.register(summing('plain'));
    p.refresh.start();
    const published: Array<[number, unknown, unknown]> = [];
    p.streams.snapshots$.subscribe((m) => published.push([ts.now(), dimsOf(m, 'a'), dimsOf(m, 'b')]));
    ts.schedule(() => batch(p, { type: 'a', v: 1 }, { type: 'b', v: 2 }), 0);
    ts.flush();
    expect(refreshedA).toEqual([10]);
    expect(refreshedB).toEqual([25]);
    expect(published).toEqual([
      [0, { value: 0 }, { value: 0 }],
      [0, { value: 1 }, { value: 2 }],
      [10, { value: 0 }, { value: 2 }],
      [25, { value: 0 }, { value: 0 }],
    ]);
    expect(p.dispatch.slotOf('plain')?.due).toBeUndefined();
  });

  it('gives snapshots that are true at every time: a model of expiring values (property)', () => {
    const op = fc.record({
      gap: fc.integer({ min: 0, max: 15 }),
      metric: fc.nat(2),
      v: fc.integer({ min: 1, max: 9 }),
    });
    const names = ['a', 'b', 'c'];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 3, maxLength: 3 }),
        fc.array(op, { maxLength: 20 }),
        (ttls, ops) => {
          const ts = virtual();
          const p = pipeline({ scheduler: ts });
          names.forEach((name, i) => p.register(expiring(name, ttls[i]!)));
          p.refresh.start();
          const timed = ops.map((o, i) => ({ ...o, at: ops.slice(0, i + 1).reduce((t, x) => t + x.gap, 0) }));
          for (const o of timed) ts.schedule(() => batch(p, { type: names[o.metric]!, v: o.v }), o.at);
          // Reads half a millisecond off the integer times of events and refreshes: no ties.
          const reads: Array<[number, number[]]> = [];
          const end = (timed[timed.length - 1]?.at ?? 0) + 35;
          for (let at = 0.5; at <= end; at += 1) {
            const when = at;
            ts.schedule(
              () => reads.push([when, names.map((n) => dimsOf(p.commit.current(), n)['value'] as number)]),
              when,
            );
          }
          ts.flush();
          for (const [at, values] of reads) {
            // The model: the last value set before `at`, while younger than its metric's ttl.
            const expected = names.map((_, i) => {
              const last = timed.filter((o) => o.metric === i && o.at < at).pop();
              return last !== undefined && at < last.at + ttls[i]! ? last.v : 0;
            });
            expect([at, values]).toEqual([at, expected]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ignores a nextRefresh that throws or returns no number (the metric still gets its events)', () => {
    for (const nextRefresh of [
      () => {
        throw new Error('no next');
      },
      () => NaN,
      () => '10',
      () => null,
    ]) {
      const ts = virtual();
      const refreshed: number[] = [];
      const p = pipeline({ scheduler: ts });
      const slot = p.register(expiring('a', 10, { refreshed, nextRefresh }));
      p.refresh.start();
      ts.schedule(() => batch(p, { type: 'a', v: 3 }), 0);
      ts.flush();
      expect(slot.due).toBeUndefined();
      expect(refreshed).toEqual([]);
      expect(dimsOf(p.commit.current(), 'a')).toEqual({ value: 3 });
    }
  });

  it('does not spin on a metric that asks again for a time it was already refreshed at', () => {
    const ts = virtual();
    const refreshed: number[] = [];
    let asked = 0;
    const p = pipeline({ scheduler: ts });
    p.register(
      expiring('a', 10, {
        refreshed,
        refresh: (s) => s, // never makes progress
        nextRefresh: (s) => (++asked > 100 ? undefined : (s.expiresAt ?? 10)),
      }),
    );
    p.refresh.start();
    ts.flush();
    expect(refreshed).toEqual([10]);
    expect(asked).toBeLessThan(10);
    // A due time after the last refresh is planned again (once: it makes no progress either).
    ts.schedule(() => batch(p, { type: 'a' }), 10); // at 20 (the virtual clock is at 10)
    ts.flush();
    expect(refreshed).toEqual([10, 30]);
    expect(asked).toBeLessThan(10);
  });

  it('isolates a throwing refresh; under fail-recorder the run fails and plans nothing more', () => {
    for (const failFast of [false, true]) {
      const ts = virtual();
      const p = pipeline({ scheduler: ts, failFast });
      p.register(
        expiring('a', 10, {
          refresh: () => {
            throw new Error('refresh threw');
          },
        }),
      );
      const refreshedB: number[] = [];
      p.register(expiring('b', 10, { refreshed: refreshedB }));
      p.refresh.start();
      const outcomes: number[] = [];
      const run = jest.spyOn(p.refresh, 'run');
      ts.schedule(() => batch(p, { type: 'a' }, { type: 'b', v: 4 }), 0);
      ts.flush();
      for (const r of run.mock.results) outcomes.push(r.value as number);
      expect(outcomes).toEqual([failFast ? BATCH_FAILED : BATCH_DONE]);
      expect(p.dispatch.metricErrors).toBe(1);
      // Isolated, the other due metric is refreshed in the same run; failed, the run stops at once.
      expect(refreshedB).toEqual(failFast ? [] : [10]);
    }
  });
});
