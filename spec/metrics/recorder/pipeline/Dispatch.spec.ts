import fc from 'fast-check';
import { counter } from '../../../../lib/index.js';
// Internal on purpose: the dispatch stage (not exported), driven through the stages it is wired with.
import { DISPATCHED, RECORDER_FAILED } from '../../../../lib/metrics/recorder/pipeline/Dispatch.js';
import { MetricFailedError } from '../../../../lib/metrics/errors/recorderErrors.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { AnyMetric, Metric, MetricContext } from '../../../../lib/metrics/metric.js';
import type { MetricChange } from '../../../../lib/metrics/recorder/types.js';
import { e, pipeline, summing, type Ev, type Pipeline } from './harness.js';

interface Box {
  total: number;
}

/** A custom metric with an in-place path over a mutable `{ total }` (its fork copies). */
function mutableSum(
  name: string,
  opts: { throwWhen?: (e: Ev) => boolean; forks?: { n: number }; forkThrows?: () => boolean } = {},
): Metric<Ev, Box, { total: number }> {
  const apply = (s: Box, ev: Ev): boolean => {
    if (opts.throwWhen?.(ev)) throw new Error(`boom in ${name}`);
    const v = ev.v ?? 1;
    s.total += v;
    return v !== 0;
  };
  return Object.freeze({
    name,
    kind: 'custom' as const,
    accepts: (x: MetricEvent): x is Ev => x.type === 'e',
    init: () => ({ total: 0 }),
    reduce: (s: Box, ev: Ev) => {
      const next = { total: s.total };
      return apply(next, ev) ? next : s;
    },
    dimensions: (s: Box) => ({ total: s.total }),
    inPlace: Object.freeze({
      update: (s: Box, ev: Ev) => apply(s, ev),
      fork: (s: Box) => {
        if (opts.forks) opts.forks.n++;
        if (opts.forkThrows?.()) throw new Error('no fork');
        return { total: s.total };
      },
    }),
  });
}

/** Runs one batch of `events` through the dispatch (as the drain does) and commits. */
function batch(p: Pipeline, events: readonly MetricEvent[], now = 0): number[] {
  const ctx: MetricContext = { now };
  p.dispatch.beginBatch(ctx);
  const outcomes = events.map((x) => p.dispatch.dispatch(x, ctx));
  p.commit.commit();
  return outcomes;
}

const totalOf = (c: MetricChange): unknown => c.snapshot.dimensions['total'];

describe('Dispatch', () => {
  describe('slots', () => {
    it('appends new metrics and replaces one of the same name in its position', () => {
      const p = pipeline();
      p.register(summing('a'));
      const b1 = p.register(summing('b'));
      p.register(summing('c'));
      const b2 = p.dispatch.createSlot(summing('b'));
      expect(p.dispatch.insert(b2)).toBe(b1);
      expect(p.dispatch.metrics().map((m) => m.name)).toEqual(['a', 'b', 'c']);
      expect(p.dispatch.slotOf('b')).toBe(b2);
      expect(p.dispatch.slotOf('nope')).toBeUndefined();
      expect(p.dispatch.slotOf('__proto__')).toBeUndefined();
      expect(Object.isFrozen(p.dispatch.metrics())).toBe(true);
    });

    it('creates a slot from init(), replayable only for in-place built-in kinds', () => {
      const p = pipeline();
      expect(p.dispatch.createSlot(counter({ name: 'c', on: 'e' })).replayable).toBe(true);
      expect(p.dispatch.createSlot(mutableSum('m')).replayable).toBe(false);
      const pure = p.dispatch.createSlot(summing('s'));
      expect(pure.replayable).toBe(false);
      expect(pure.inPlace).toBeUndefined();
      expect(pure.state).toEqual({ total: 0 });
      const noInit = {
        ...summing('x'),
        init: (): never => {
          throw new Error('no init');
        },
      };
      expect(() => p.dispatch.createSlot(noInit)).toThrow('no init');
    });
  });

  it('offers each event to the metrics in slot order; reduce replaces the state, update mutates it', () => {
    const p = pipeline();
    const seen: string[] = [];
    const pure = p.register(summing('pure', { seen }));
    const inPlace = p.register(mutableSum('inplace'));
    const box = inPlace.state;
    const before = pure.state;
    batch(p, [e(1, 2), e(2, 3)]);
    expect(pure.state).not.toBe(before);
    expect(before).toEqual({ total: 0 }); // the pure path never mutates
    expect(pure.state).toEqual({ total: 5 });
    expect(inPlace.state).toBe(box); // not observed: no fork
    expect(box).toEqual({ total: 5 });
    expect(seen).toEqual(['pure:1', 'pure:2']);
  });

  it('a change is a new state from reduce or an update not returning false; only then is the slot dirty', () => {
    const p = pipeline();
    const pure = p.register(summing('pure'));
    const inPlace = p.register(mutableSum('inplace'));
    const changes: MetricChange[] = [];
    p.streams.changes$.subscribe((c) => changes.push(c));
    p.dispatch.beginBatch({ now: 0 });
    p.dispatch.dispatch(e(0, 0), { now: 0 });
    expect(pure.dirty || inPlace.dirty || p.dispatch.anyDirty).toBe(false);
    expect(changes).toEqual([]);
    p.dispatch.dispatch(e(1, 1), { now: 0 });
    expect(pure.dirty && inPlace.dirty && p.dispatch.anyDirty).toBe(true);
    expect(changes.map((c) => c.metric.name)).toEqual(['pure', 'inplace']);

    // An in-place update returning anything but `false` (here `undefined`) is a change.
    const loose = pipeline();
    loose.register({
      ...mutableSum('u'),
      inPlace: { update: () => undefined as unknown as boolean, fork: (s: Box) => ({ ...s }) },
    });
    let maps = 0;
    loose.streams.snapshots$.subscribe(() => maps++);
    batch(loose, [e(0)]);
    expect(maps).toBe(2);
  });

  it('isolates a throwing metric: the others still get every event; each failure is counted and reported (model)', () => {
    type Spec = {
      readonly inPlace: boolean;
      readonly where: 'accepts' | 'apply';
      readonly bad: readonly number[];
    };
    const spec = fc.record({
      inPlace: fc.boolean(),
      where: fc.constantFrom<'accepts' | 'apply'>('accepts', 'apply'),
      bad: fc.uniqueArray(fc.nat(29), { maxLength: 8 }),
    });
    fc.assert(
      fc.property(
        fc.array(spec, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(29), fc.integer({ min: 0, max: 3 })), { maxLength: 30 }),
        (specs: Spec[], evs) => {
          const p = pipeline();
          const reported: Error[] = [];
          p.streams.errors$.subscribe((x) => reported.push(x));
          const metrics = specs.map((s, i) => {
            const throwWhen = (ev: Ev): boolean => s.bad.includes(ev.seq!);
            const base = s.inPlace ? mutableSum(`m${i}`, { throwWhen }) : summing(`m${i}`, { throwWhen });
            if (s.where === 'apply') return base as AnyMetric;
            const onlyAccepts = s.inPlace ? mutableSum(`m${i}`) : summing(`m${i}`);
            return {
              ...onlyAccepts,
              accepts: (x: MetricEvent): x is Ev => {
                if (throwWhen(x as Ev)) throw new Error('accepts threw');
                return x.type === 'e';
              },
            } as AnyMetric;
          });
          const slots = metrics.map((m) => p.register(m));
          const events = evs.map(([seq, v]) => e(seq, v));
          const outcomes = batch(p, events);
          expect(outcomes.every((o) => o === DISPATCHED)).toBe(true);
          let failures = 0;
          specs.forEach((s, i) => {
            let total = 0;
            for (const ev of events) {
              if (s.bad.includes(ev.seq!)) failures++;
              else total += ev.v!;
            }
            expect((slots[i]!.state as Box).total).toBe(total);
          });
          expect(p.dispatch.metricErrors).toBe(failures);
          expect(p.logged).toHaveLength(failures);
          expect(reported).toEqual(p.logged);
          for (const error of reported) {
            expect(error).toBeInstanceOf(MetricFailedError);
            expect(error.cause).toBeInstanceOf(Error);
          }
          expect(p.dispatch.failure).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });

  it("under 'fail-recorder' the first failure stops the event's fan-out and is kept", () => {
    const p = pipeline({ failFast: true });
    const seen: string[] = [];
    p.register(summing('a', { seen }));
    p.register(summing('bad', { seen, throwWhen: () => true }));
    p.register(summing('c', { seen }));
    expect(batch(p, [e(0), e(1)])).toEqual([RECORDER_FAILED, RECORDER_FAILED]);
    expect(seen).toEqual(['a:0', 'bad:0', 'a:1', 'bad:1']);
    expect(p.dispatch.metricErrors).toBe(2);
    expect(p.dispatch.failure).toBe(p.logged[0]);
    expect(p.dispatch.failure?.metricName).toBe('bad');
  });

  it('reports a MetricFailedError thrown by a metric as it is', () => {
    const p = pipeline();
    const own = new MetricFailedError('elsewhere');
    p.register({
      ...summing('a'),
      reduce: () => {
        throw own;
      },
    });
    batch(p, [e(0)]);
    expect(p.logged).toEqual([own]);
  });

  describe('changes', () => {
    it('are delivered only while observed (a hook or changes$ subscribers), decided per batch', () => {
      const forks = { n: 0 };
      const p = pipeline();
      p.register(mutableSum('m', { forks }));
      batch(p, [e(0), e(1)]);
      expect(forks.n).toBe(0); // nobody needs the state at each change: no copy
      const changes: MetricChange[] = [];
      p.dispatch.beginBatch({ now: 0 });
      const sub = p.streams.changes$.subscribe((c) => changes.push(c));
      p.dispatch.dispatch(e(2), { now: 0 }); // subscribed after the batch began: not observed yet
      p.commit.commit();
      expect(changes).toEqual([]);
      batch(p, [e(3), e(4)]);
      expect(changes.map(totalOf)).toEqual([4, 5]);
      expect(forks.n).toBe(2);
      sub.unsubscribe();

      const hooked: MetricChange[] = [];
      const q = pipeline({ changeHook: (c) => hooked.push(c) });
      q.register(summing('s'));
      batch(q, [e(0), e(1, 0), e(2, 2)]);
      expect(hooked.map((c) => [c.event, totalOf(c)])).toEqual([
        [e(0), 1],
        [e(2, 2), 3],
      ]);
    });

    it('capture the state at each change: later events never alter a delivered change (model)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 8 }), { maxLength: 6 }),
          fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
          (batches, observedBatches) => {
            const p = pipeline();
            const metrics: AnyMetric[] = [
              summing('pure') as AnyMetric,
              mutableSum('inplace') as AnyMetric,
              counter({ name: 'builtin', on: 'e', value: 'v' }) as AnyMetric,
            ];
            for (const m of metrics) p.register(m);
            const kept: Array<{ change: MetricChange; total: number }> = [];
            const totals = new Map<string, number>(metrics.map((m) => [m.name, 0]));
            let seq = 0;
            batches.forEach((values, b) => {
              const sub = observedBatches[b]
                ? p.streams.changes$.subscribe((change) => kept.push({ change, total: NaN }))
                : undefined;
              const events = values.map((v) => e(seq++, v));
              const from = kept.length;
              batch(p, events);
              sub?.unsubscribe();
              // The model: the running totals at each change, in order.
              const expected: Array<[string, number]> = [];
              for (const ev of events) {
                if (ev.v === 0) continue;
                for (const m of metrics) {
                  totals.set(m.name, totals.get(m.name)! + ev.v!);
                  expected.push([m.name, totals.get(m.name)!]);
                }
              }
              if (observedBatches[b]) {
                const got = kept.slice(from);
                expect(got.map((k) => k.change.metric.name)).toEqual(expected.map(([n]) => n));
                got.forEach((k, i) => (k.total = expected[i]![1]));
              }
              // Read a few changes now, leave the rest for later batches (observed or not).
              for (const k of kept.filter((_, i) => i % 3 === b % 3)) expect(totalOf(k.change)).toBe(k.total);
            });
            for (const k of kept) expect(totalOf(k.change)).toBe(k.total);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('a built-in kind change read after a later unobserved batch keeps its own state (regression)', () => {
      const p = pipeline();
      p.register(counter({ name: 'c', on: 'e' }));
      const kept: MetricChange[] = [];
      const sub = p.streams.changes$.subscribe((c) => kept.push(c));
      batch(p, [e(0), e(1)]);
      sub.unsubscribe();
      batch(p, [e(2)]);
      expect(kept.map(totalOf)).toEqual([1, 2]);
    });

    it('a change hook that throws is counted and isolated; the change still reaches changes$', () => {
      const p = pipeline({
        changeHook: () => {
          throw new Error('hook');
        },
      });
      p.register(summing('a'));
      const changes: MetricChange[] = [];
      p.streams.changes$.subscribe((c) => changes.push(c));
      expect(batch(p, [e(0), e(1)])).toEqual([DISPATCHED, DISPATCHED]);
      expect(changes.map(totalOf)).toEqual([1, 2]);
      expect(p.dispatch.metricErrors).toBe(2);
      expect(p.logged[0]?.metricName).toBe('a');

      const strict = pipeline({
        failFast: true,
        changeHook: () => {
          throw new Error('hook');
        },
      });
      strict.register(summing('a'));
      expect(batch(strict, [e(0)])).toEqual([RECORDER_FAILED]);
    });

    it('an in-place state that cannot be forked delivers no change for it (counted), the state still updates', () => {
      let throwing = false;
      const p = pipeline();
      const slot = p.register(mutableSum('m', { forkThrows: () => throwing }));
      const changes: MetricChange[] = [];
      p.streams.changes$.subscribe((c) => changes.push(c));
      batch(p, [e(0)]);
      throwing = true;
      batch(p, [e(1)]);
      expect(changes.map(totalOf)).toEqual([1]);
      expect(p.dispatch.metricErrors).toBe(1);
      expect((slot.state as Box).total).toBe(2);
    });
  });

  describe('refresh', () => {
    const timed = (inPlaceRefresh: boolean, result: 'change' | 'same' | 'throw') => {
      const refresh = (s: Box): Box => {
        if (result === 'throw') throw new Error('refresh threw');
        return result === 'change' ? { total: s.total + 100 } : s;
      };
      const base = mutableSum('t');
      return {
        ...base,
        refresh,
        nextRefresh: () => 0,
        inPlace: inPlaceRefresh
          ? {
              ...base.inPlace,
              refresh: (s: Box) => {
                if (result === 'throw') throw new Error('refresh threw');
                if (result === 'same') return false;
                s.total += 100;
                return true;
              },
            }
          : base.inPlace,
      } as AnyMetric;
    };

    it.each([
      [true, 'in place'],
      [false, 'pure'],
    ])(
      'applies the passage of time (%s path: %s): dirty and a new version only when it changed',
      (inPlace) => {
        const p = pipeline();
        const slot = p.register(timed(inPlace, 'change'));
        expect(p.dispatch.refresh(slot, { now: 5 })).toBe(DISPATCHED);
        expect(slot.dirty).toBe(true);
        expect(slot.version).toBe(1);
        expect((slot.state as Box).total).toBe(100);
        const same = pipeline();
        const idle = same.register(timed(inPlace, 'same'));
        same.dispatch.refresh(idle, { now: 5 });
        expect(idle.dirty).toBe(false);
        expect(idle.version).toBe(0);
      },
    );

    it('does nothing for a metric without refresh', () => {
      const p = pipeline();
      const slot = p.register(summing('a'));
      expect(p.dispatch.refresh(slot, { now: 1 })).toBe(DISPATCHED);
      expect(slot.dirty).toBe(false);
    });

    it("isolates a throwing refresh, or fails under 'fail-recorder'", () => {
      const p = pipeline();
      const slot = p.register(timed(true, 'throw'));
      expect(p.dispatch.refresh(slot, { now: 1 })).toBe(DISPATCHED);
      expect(p.dispatch.metricErrors).toBe(1);
      const strict = pipeline({ failFast: true });
      const s2 = strict.register(timed(false, 'throw'));
      expect(strict.dispatch.refresh(s2, { now: 1 })).toBe(RECORDER_FAILED);
      expect(strict.dispatch.failure?.metricName).toBe('t');
    });
  });
});
