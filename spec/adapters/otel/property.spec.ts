/**
 * Property: for random counters and histograms (labels, values, bounds), what the real sdk-metrics
 * reader exports through the producer equals the recorder's snapshots, series by series.
 */
import * as fc from 'fast-check';
import { counter, histogram, MetricsRecorder, type MetricEvent } from 'mvx-common';
import { MvxMetricProducer } from 'mvx-common/otel';
import { harness, histogramPoints, numberPoints } from './otelHarness.js';

type Ev = MetricEvent & { type: 'e'; m: number; k: string; v: number };

const labelValue = fc.oneof(
  fc.constantFrom('a', 'b', '', 'constructor', 'ünï', 'x y'),
  fc.string({ maxLength: 4 }),
);
const value = fc.oneof(
  fc.integer({ min: 0, max: 1_000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.constantFrom(0, 1e-9, 123.456),
);
const bounds = fc
  .uniqueArray(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((b) => b.sort((x, y) => x - y));

interface Spec {
  readonly counters: { labelled: boolean }[];
  readonly histograms: { bounds: number[]; labelled: boolean }[];
  readonly events: { m: number; k: string; v: number }[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  counters: fc.array(fc.record({ labelled: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  histograms: fc.array(fc.record({ bounds, labelled: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  events: fc.array(
    fc.record({
      m: fc.nat(5),
      k: labelValue,
      v: fc.oneof(value, fc.double({ min: -1e3, max: 1e3, noNaN: true })),
    }),
    { maxLength: 60 },
  ),
});

describe('MvxMetricProducer property', () => {
  it('exported counters and histograms equal the snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const r = new MetricsRecorder('prop');
        s.counters.forEach((c, i) =>
          r.registerMetric(
            counter<Ev>({
              name: `c${i}`,
              on: (e: MetricEvent): e is Ev => e.type === 'e' && (e as Ev).m % s.counters.length === i,
              value: 'v',
              ...(c.labelled ? { by: ['k'] } : {}),
            }),
          ),
        );
        s.histograms.forEach((h, i) =>
          r.registerMetric(
            histogram<Ev>({
              name: `h${i}`,
              on: (e: MetricEvent): e is Ev => e.type === 'e' && (e as Ev).m % s.histograms.length === i,
              value: 'v',
              buckets: h.bounds,
              ...(h.labelled ? { by: ['k'] } : {}),
            }),
          ),
        );
        for (const e of s.events) r.emit({ type: 'e', ...e });
        await r.flush();
        const h = harness(new MvxMetricProducer(r, { includeStats: false }));
        try {
          const exported = await h.metrics();
          const R = { 'mvx.recorder': 'prop' };
          s.counters.forEach((_, i) => {
            const d = r.getMetricSnapshot(`c${i}`)!.dimensions as any;
            const expected =
              d.series.length === 0
                ? [[R, d.total]]
                : d.series.map((x: any) => [{ ...x.labels, ...R }, x.total]);
            expect(sortByAttrs(numberPoints(exported.get(`c${i}`)))).toEqual(sortByAttrs(expected));
          });
          s.histograms.forEach((_, i) => {
            const d = r.getMetricSnapshot(`h${i}`)!.dimensions as any;
            const one = (x: any) => ({
              buckets: { boundaries: [...d.bounds], counts: [...x.counts] },
              sum: x.sum,
              count: x.count,
              ...(x.min === null ? {} : { min: x.min }),
              ...(x.max === null ? {} : { max: x.max }),
            });
            const expected =
              d.series.length === 0
                ? [[R, one(d)]]
                : d.series.map((x: any) => [{ ...x.labels, ...R }, one(x)]);
            expect(sortByAttrs(histogramPoints(exported.get(`h${i}`)))).toEqual(sortByAttrs(expected));
          });
        } finally {
          await h.shutdown();
          await r.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });
});

function sortByAttrs<T extends [Record<string, unknown>, unknown]>(points: T[]): T[] {
  const key = (p: T) => JSON.stringify(Object.entries(p[0]).sort());
  return points.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
