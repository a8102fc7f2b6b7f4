import fc from 'fast-check';
import {
  counter,
  gauge,
  histogram,
  mergeSnapshots,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
} from 'mvx-common';
import type { Dimensions, Metric, MetricEvent, MetricSnapshot } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

/** The snapshot of `metric` after `events`, as a recorder would hand it out (dimensions by reduceEvents). */
function snap<D extends Dimensions>(
  metric: Metric<any, any, D>,
  events: readonly MetricEvent[],
  now?: (i: number) => number,
): MetricSnapshot<D> {
  return {
    name: metric.name,
    kind: metric.kind,
    ...(metric.description === undefined ? {} : { description: metric.description }),
    ...(metric.unit === undefined ? {} : { unit: metric.unit }),
    dimensions: reduceEvents(metric, events, now),
  };
}

type Ev = { type: 'e'; v: number; region: string; outcome: string; t: number };

const metrics: [string, Metric<Ev, any, any>][] = [
  ['counter', counter<Ev>({ name: 'm', on: 'e' })],
  ['counter(value, by)', counter<Ev>({ name: 'm', on: 'e', value: 'v', by: ['region', 'outcome'] })],
  ['upDownCounter(by)', upDownCounter<Ev>({ name: 'm', on: 'e', value: (e) => e.v - 50, by: ['region'] })],
  ['gauge(by)', gauge<Ev>({ name: 'm', on: 'e', value: 'v', by: ['region'] })],
  [
    'histogram(by)',
    histogram<Ev>({ name: 'm', on: 'e', value: 'v', buckets: [10, 50, 90], by: ['outcome'] }),
  ],
  ['quantiles', quantiles<Ev>({ name: 'm', on: 'e', value: 'v', quantiles: [0.3] })],
  ['rate', rate<Ev>({ name: 'm', on: 'e', value: 'v', windowMs: 40 })],
  ['outcomeCounter', outcomeCounter<Ev>({ name: 'm', on: 'e' })],
];

// Strictly increasing times (t = index * step), integer values: sums are exact in float64.
const eventsArb = fc.array(
  fc.record({
    v: fc.integer({ min: 0, max: 100 }),
    region: fc.constantFrom('eu', 'us', 'ap'),
    outcome: fc.constantFrom('success', 'failure', 'cancelled'),
    step: fc.integer({ min: 1, max: 15 }),
  }),
  { maxLength: 40 },
);
const toEvents = (raw: { v: number; region: string; outcome: string; step: number }[]): Ev[] => {
  let t = 0;
  return raw.map(({ v, region, outcome, step }) => ({ type: 'e', v, region, outcome, t: (t += step) }));
};
const at = (events: readonly Ev[]) => (i: number) => (events[i] as Ev).t;
const snapOf = (m: Metric<Ev, any, any>, events: Ev[]) => snap(m, events, at(events));

describe('mergeSnapshots', () => {
  describe.each(metrics)('%s', (_name, m) => {
    it('merging the snapshots of two halves equals the snapshot of the whole', () => {
      fc.assert(
        fc.property(eventsArb, fc.nat(), (raw, cut) => {
          const all = toEvents(raw);
          const k = all.length === 0 ? 0 : cut % (all.length + 1);
          const merged = mergeSnapshots(snapOf(m, all.slice(0, k)), snapOf(m, all.slice(k)));
          expect(merged).toEqual(snapOf(m, all));
        }),
      );
    });

    it('is commutative and associative', () => {
      fc.assert(
        fc.property(eventsArb, eventsArb, eventsArb, (r1, r2, r3) => {
          const [a, b, c] = [toEvents(r1), toEvents(r2), toEvents(r3)].map((e) => snapOf(m, e)) as [
            any,
            any,
            any,
          ];
          expect(mergeSnapshots(a, b)).toEqual(mergeSnapshots(b, a));
          expect(mergeSnapshots(mergeSnapshots(a, b), c)).toEqual(mergeSnapshots(a, mergeSnapshots(b, c)));
        }),
        { numRuns: 50 },
      );
    });
  });

  it('merges interleaved streams of a counter exactly (workers)', () => {
    const m = metrics[1]![1];
    fc.assert(
      fc.property(eventsArb, fc.array(fc.boolean(), { maxLength: 40 }), (raw, sides) => {
        const all = toEvents(raw);
        const a = all.filter((_, i) => sides[i] ?? false);
        const b = all.filter((_, i) => !(sides[i] ?? false));
        expect(mergeSnapshots(snapOf(m, a), snapOf(m, b))).toEqual(snapOf(m, all));
      }),
    );
  });

  it('does not change its inputs', () => {
    const m = metrics[4]![1];
    const a = snapOf(m, toEvents([{ v: 5, region: 'eu', outcome: 'success', step: 1 }]));
    const copy = JSON.parse(JSON.stringify(a));
    mergeSnapshots(a, a);
    expect(a).toEqual(copy);
  });

  it('refuses snapshots of different metrics or settings', () => {
    const a = snap(counter({ name: 'a', on: 'e' }), []);
    const b = snap(counter({ name: 'b', on: 'e' }), []);
    expect(() => mergeSnapshots(a, b)).toThrow(RangeError);
    const h1 = snap(histogram({ name: 'h', on: 'e', value: 'v', buckets: [1] }), []);
    const h2 = snap(histogram({ name: 'h', on: 'e', value: 'v', buckets: [2] }), []);
    expect(() => mergeSnapshots(h1, h2)).toThrow(/bounds/);
    const custom = { name: 'c', kind: 'custom' as const, dimensions: { foo: 1 } };
    expect(() => mergeSnapshots(custom, custom)).toThrow(TypeError);
    expect(() => mergeSnapshots(null as never, a)).toThrow(TypeError);
  });

  it('keeps description and unit', () => {
    const m = counter({ name: 'a', on: 'e', description: 'd', unit: 'By' });
    const s = snap(m, [{ type: 'e' } as MetricEvent]);
    expect(mergeSnapshots(s, s)).toEqual({
      name: 'a',
      kind: 'counter',
      description: 'd',
      unit: 'By',
      dimensions: { total: 2, refused: 0, overflow: 0, evicted: 0, series: [] },
    });
  });
});
