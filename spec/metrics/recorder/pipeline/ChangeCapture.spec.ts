import fc from 'fast-check';
import {
  counter,
  gauge,
  histogram,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type AnyMetric,
  type MetricEvent,
} from '../../../../lib/index.js';
// Internal on purpose: the checkpoint-and-replay capture of in-place changes (not exported).
import {
  BatchCapture,
  ReplayedMetricChange,
  type ChangeSource,
} from '../../../../lib/metrics/recorder/pipeline/ChangeCapture.js';
import type { MetricChange } from '../../../../lib/metrics/recorder/types.js';
import { pipeline } from './harness.js';

type Ev = MetricEvent & { v?: unknown; a?: unknown; b?: unknown; outcome?: unknown };

const event: fc.Arbitrary<Ev> = fc.record({
  type: fc.constantFrom('e', 'e', 'e', 'rm', 'other'),
  v: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(1e308, Infinity, NaN, '7', null)),
  a: fc.constantFrom('x', 'y', 'z', '', '__proto__', 3, {}, null),
  b: fc.constantFrom('x', 'y', 'z'),
  outcome: fc.constantFrom('success', 'failure', 'odd', undefined),
});

const factories: Array<[string, () => AnyMetric]> = [
  ['counter', () => counter({ name: 'm', on: 'e' })],
  ['counter by 2 labels', () => counter({ name: 'm', on: 'e', value: 'v', by: ['a', 'b'], maxSeries: 4 })],
  ['counter removeOn', () => counter({ name: 'm', on: 'e', by: ['a'], removeOn: 'rm' })],
  ['counter ttl', () => counter({ name: 'm', on: 'e', by: ['a'], ttlMs: 5 })],
  ['upDownCounter', () => upDownCounter({ name: 'm', on: 'e', value: 'v', by: ['a'], maxSeries: 2 })],
  ['gauge', () => gauge({ name: 'm', on: 'e', value: 'v' })],
  ['gauge by label', () => gauge({ name: 'm', on: 'e', value: 'v', by: ['b'], removeOn: 'rm' })],
  ['histogram by label', () => histogram({ name: 'm', on: 'e', value: 'v', buckets: [1, 5], by: ['a'] })],
  [
    'histogram window',
    () => histogram({ name: 'm', on: 'e', value: 'v', buckets: [5], windowMs: 10, subWindows: 2 }),
  ],
  ['quantiles window', () => quantiles({ name: 'm', on: 'e', value: 'v', windowMs: 10, subWindows: 5 })],
  ['rate', () => rate({ name: 'm', on: 'e', windowMs: 10 })],
  ['outcomeCounter', () => outcomeCounter({ name: 'm', on: 'e' })],
];

const json = (d: unknown): unknown => JSON.parse(JSON.stringify(d));
const dimsJson = (c: MetricChange): unknown => json(c.snapshot.dimensions);

/** A deterministic shuffle (the property's seed picks it). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('BatchCapture', () => {
  it('gives the exact state after each logged event, read in any order; states handed out never change (model)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...factories),
        fc.array(event, { maxLength: 10 }),
        fc.array(event, { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(30), { maxLength: 40 }),
        fc.nat(50),
        ([, make], prefix, log, reads, now) => {
          const m = make();
          const inPlace = m.inPlace!;
          const ctx = { now };
          let pure = m.init();
          for (const x of prefix) if (m.accepts(x)) pure = m.reduce(pure, x, ctx);
          // The model: the pure fold's dimensions after each event of the log.
          const expected: unknown[] = [];
          for (const x of log) {
            if (m.accepts(x)) pure = m.reduce(pure, x, ctx);
            expected.push(json(m.dimensions(pure)));
          }
          // The checkpoint: a live in-place state at the start of the batch (forked away from, frozen).
          const live = m.init();
          for (const x of prefix) if (m.accepts(x)) inPlace.update(live, x, ctx);
          const capture = new BatchCapture(m, inPlace, live, log, 0, ctx);
          const handed: Array<[unknown, number]> = [];
          for (const r of reads) {
            const index = r % log.length;
            const state = capture.stateAfter(index);
            expect(json(m.dimensions(state))).toEqual(expected[index]);
            handed.push([state, index]);
          }
          for (const [state, index] of handed) expect(json(m.dimensions(state))).toEqual(expected[index]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('replays from the first event after the checkpoint (`from`)', () => {
    const m = counter({ name: 'm', on: 'e' }) as AnyMetric;
    const log: MetricEvent[] = [{ type: 'e' }, { type: 'e' }, { type: 'other' }, { type: 'e' }];
    const checkpoint = m.init();
    m.inPlace!.update(checkpoint, log[0]!, { now: 0 }); // event 0 was applied before the checkpoint
    const capture = new BatchCapture(m, m.inPlace!, checkpoint, log, 1, { now: 0 });
    expect(m.dimensions(capture.stateAfter(3))['total']).toBe(3);
    expect(m.dimensions(capture.stateAfter(1))['total']).toBe(2);
    expect(m.dimensions(capture.stateAfter(2))['total']).toBe(2);
  });
});

describe('ReplayedMetricChange', () => {
  const m = counter({ name: 'm', on: 'e' }) as AnyMetric;

  function change(sourceVersion: number, changeVersion: number, metric = m) {
    const live = m.init();
    m.inPlace!.update(live, { type: 'e' }, { now: 0 });
    const source: ChangeSource = { version: sourceVersion, state: live, metric: m };
    const capture = new BatchCapture(m, m.inPlace!, m.init(), [{ type: 'e' }], 0, { now: 0 });
    const replay = jest.spyOn(capture, 'stateAfter');
    const c = new ReplayedMetricChange(metric, { type: 'e' }, source, changeVersion, capture, 0);
    return { c, replay, source };
  }

  it('builds its snapshot from the live state while nothing changed since, once', () => {
    const { c, replay, source } = change(4, 4);
    const first = c.snapshot;
    expect(first.dimensions['total']).toBe(1);
    source.version++; // a later change: the built snapshot is kept
    expect(c.snapshot).toBe(first);
    expect(replay).not.toHaveBeenCalled();
    expect(Object.isFrozen(first.dimensions)).toBe(true);
  });

  it('replays when the slot changed since, or belongs to another metric', () => {
    const later = change(5, 4);
    expect(later.c.snapshot.dimensions['total']).toBe(1);
    expect(later.replay).toHaveBeenCalledWith(0);
    const other = change(4, 4, counter({ name: 'm', on: 'e' }) as AnyMetric);
    void other.c.snapshot;
    expect(other.replay).toHaveBeenCalledTimes(1);
  });

  it('serializes as { metric, event, snapshot }', () => {
    const { c } = change(1, 1);
    expect(JSON.parse(JSON.stringify(c))).toEqual({
      metric: 'm',
      event: { type: 'e' },
      snapshot: json(c.snapshot),
    });
  });
});

describe('changes of built-in kinds through the dispatch: the exact state at each change (model)', () => {
  for (const [title, make] of factories) {
    it(title, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              events: fc.array(event, { maxLength: 8 }),
              dt: fc.nat(4),
              observed: fc.boolean(),
              readNow: fc.nat(3),
            }),
            { maxLength: 6 },
          ),
          fc.nat(),
          (batches, seed) => {
            const m = make();
            const p = pipeline();
            const slot = p.register(m);
            let pure = m.init();
            let now = 0;
            const kept: Array<{ change: MetricChange; expected: unknown }> = [];
            for (const b of batches) {
              now += b.dt;
              const ctx = { now };
              // Time passes between batches: refresh when due, as the Refresh stage does.
              if (m.nextRefresh !== undefined && m.refresh !== undefined) {
                const due = m.nextRefresh(pure);
                if (due !== undefined && due <= now) {
                  pure = m.refresh(pure, ctx);
                  p.dispatch.refresh(slot, ctx);
                }
              }
              const got: MetricChange[] = [];
              const sub = b.observed ? p.streams.changes$.subscribe((c) => got.push(c)) : undefined;
              p.dispatch.beginBatch(ctx);
              const expected: unknown[] = [];
              for (const x of b.events) {
                p.dispatch.dispatch(x, ctx);
                if (!m.accepts(x)) continue;
                const next = m.reduce(pure, x, ctx);
                if (next !== pure) expected.push(json(m.dimensions(next)));
                pure = next;
              }
              p.commit.commit();
              sub?.unsubscribe();
              if (b.observed) {
                expect(got).toHaveLength(expected.length);
                got.forEach((change, i) => kept.push({ change, expected: expected[i] }));
              }
              // Read some of the changes kept so far now, in a random order; the rest later.
              const order = shuffled(kept, seed + now);
              for (const k of order.slice(0, b.readNow)) expect(dimsJson(k.change)).toEqual(k.expected);
            }
            for (const k of shuffled(kept, seed)) expect(dimsJson(k.change)).toEqual(k.expected);
            expect(json(p.commit.current()['m']?.dimensions)).toEqual(json(m.dimensions(pure)));
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
