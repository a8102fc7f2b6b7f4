/**
 * The in-place path of every built-in kind agrees with its pure contract: updating in place (with
 * forks at random points, as a recorder does while `changes$` is observed) gives the dimensions of the
 * pure fold, every forked-away state keeps its dimensions, and `aggregate` emits the pure fold's
 * snapshot after every changing event.
 */
import fc from 'fast-check';
import { Subject } from 'rxjs';
import {
  aggregate,
  counter,
  gauge,
  histogram,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type AnyMetric,
  type Dimensions,
  type MetricEvent,
  type MetricSnapshot,
} from 'mvx-common';

type Ev = MetricEvent & { v?: unknown; a?: unknown; b?: unknown; outcome?: unknown };

const value = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(1e308, -1e308, Infinity, NaN, '7', null, undefined),
);
const label = fc.constantFrom('x', 'y', 'z', '', '__proto__', 3, {}, null);
const event: fc.Arbitrary<Ev> = fc.record({
  type: fc.constantFrom('e', 'e', 'e', 'rm', 'other'),
  v: value,
  a: label,
  b: label,
  outcome: fc.constantFrom('success', 'failure', 'odd', undefined),
});

const factories: Array<[string, () => AnyMetric]> = [
  ['counter', () => counter({ name: 'm', on: 'e' })],
  ['counter value', () => counter({ name: 'm', on: 'e', value: 'v' })],
  ['counter by 2 labels', () => counter({ name: 'm', on: 'e', value: 'v', by: ['a', 'b'], maxSeries: 4 })],
  ['counter removeOn', () => counter({ name: 'm', on: 'e', by: ['a'], removeOn: 'rm' })],
  ['counter by function', () => counter({ name: 'm', on: 'e', by: (e) => ({ k: (e as Ev).a as string }) })],
  ['counter ttl', () => counter({ name: 'm', on: 'e', by: ['a'], ttlMs: 5 })],
  ['upDownCounter', () => upDownCounter({ name: 'm', on: 'e', value: 'v', by: ['a'], maxSeries: 2 })],
  ['gauge', () => gauge({ name: 'm', on: 'e', value: 'v' })],
  ['gauge by label', () => gauge({ name: 'm', on: 'e', value: 'v', by: ['b'], removeOn: 'rm' })],
  ['histogram', () => histogram({ name: 'm', on: 'e', value: 'v', buckets: [0, 10, 50] })],
  [
    'histogram by label',
    () => histogram({ name: 'm', on: 'e', value: 'v', buckets: [1, 5], by: ['a'], maxSeries: 2 }),
  ],
  [
    'histogram window',
    () => histogram({ name: 'm', on: 'e', value: 'v', buckets: [5], windowMs: 10, subWindows: 2 }),
  ],
  ['quantiles', () => quantiles({ name: 'm', on: 'e', value: 'v' })],
  ['quantiles window', () => quantiles({ name: 'm', on: 'e', value: 'v', windowMs: 10, subWindows: 5 })],
  ['rate', () => rate({ name: 'm', on: 'e', windowMs: 10 })],
  ['outcomeCounter', () => outcomeCounter({ name: 'm', on: 'e' })],
];

const json = (d: unknown): unknown => JSON.parse(JSON.stringify(d));
const allFinite = (v: unknown): boolean =>
  typeof v === 'number'
    ? Number.isFinite(v)
    : v !== null && typeof v === 'object'
      ? Object.values(v).every(allFinite)
      : true;

describe('built-in kinds: in place = pure', () => {
  for (const [title, make] of factories) {
    it(`${title}: in-place updates with forks give the pure fold; forked states keep their dimensions`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(event, fc.nat(3), fc.boolean()), { maxLength: 60 }), (steps) => {
          const m = make();
          const inPlace = m.inPlace!;
          let pure = m.init();
          let live = m.init();
          let now = 0;
          const frozen: Array<[unknown, unknown]> = [];
          for (const [e, dt, fork] of steps) {
            now += dt;
            const ctx = { now };
            if (m.refresh !== undefined && m.nextRefresh !== undefined) {
              const due = m.nextRefresh(pure);
              if (due !== undefined && due <= now) {
                pure = m.refresh(pure, ctx);
                inPlace.refresh!(live, ctx);
              }
            }
            if (!m.accepts(e)) continue;
            pure = m.reduce(pure, e, ctx);
            inPlace.update(live, e, ctx);
            if (fork) {
              frozen.push([live, json(m.dimensions(live))]);
              live = inPlace.fork(live);
            }
          }
          expect(json(m.dimensions(live))).toEqual(json(m.dimensions(pure)));
          for (const [state, dims] of frozen) expect(json(m.dimensions(state))).toEqual(dims);
          // Dimensions are JSON-safe: every number finite, whatever the input.
          expect(allFinite(m.dimensions(live))).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('aggregate emits the pure fold after every changing event (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...factories), fc.array(event, { maxLength: 40 }), ([, make], events) => {
        const m = make();
        const out: MetricSnapshot<Dimensions>[] = [];
        const subject = new Subject<MetricEvent>();
        const clock = { now: () => 0, schedule: () => ({ unsubscribe() {} }) } as never;
        subject.pipe(aggregate(m, clock)).subscribe((s) => out.push(s));
        let state = m.init();
        const expected: unknown[] = [];
        for (const e of events) {
          subject.next(e);
          if (!m.accepts(e)) continue;
          const next = m.reduce(state, e, { now: 0 });
          if (next !== state) expected.push(json(m.dimensions(next)));
          state = next;
        }
        expect(out.map((s) => json(s.dimensions))).toEqual(expected);
        for (const s of out) expect(Object.isFrozen(s.dimensions)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
