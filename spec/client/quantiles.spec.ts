import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  histogram,
  histogramQuantile,
  histogramQuantiles,
  quantiles,
  sketchQuantile,
  sketchQuantiles,
  type MetricEvent,
  type QuantilesDimensions,
  type SketchSample,
  type TimedValue,
} from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

/**
 * Prometheus' bucketQuantile (promql/quantile.go), transcribed: cumulative buckets with upper bounds,
 * the last one +Inf; sort.Search over all but the last bucket.
 */
function prometheusQuantile(q: number, buckets: { upperBound: number; count: number }[]): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length < 2) return Number.NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

function cumulative(bounds: readonly number[], counts: readonly number[]) {
  let sum = 0;
  return counts.map((c, i) => ({ upperBound: i < bounds.length ? bounds[i]! : Infinity, count: (sum += c) }));
}

const boundsArb = fc
  .uniqueArray(fc.integer({ min: -50, max: 1_000 }), { minLength: 1, maxLength: 12 })
  .map((a) => a.sort((x, y) => x - y));
const histogramArb = boundsArb.chain((bounds) =>
  fc.record({
    bounds: fc.constant(bounds),
    counts: fc.array(fc.integer({ min: 0, max: 50 }), {
      minLength: bounds.length + 1,
      maxLength: bounds.length + 1,
    }),
  }),
);

describe('histogramQuantile', () => {
  it.each([
    [0.5, [1, 2, 4], [10, 10, 10, 0], 1.5],
    [1, [1, 2, 4], [10, 10, 10, 0], 4],
    [0, [1, 2, 4], [10, 10, 10, 0], 0],
    [0.25, [1, 2, 4], [10, 10, 10, 0], 0.75],
    [0.5, [10, 20, 50], [2, 6, 2, 0], 15],
    [0.99, [1, 2, 4], [0, 0, 0, 5], 4], // in the +Inf bucket: the last bound
    [0.5, [-1, 0, 1], [5, 0, 0, 0], -1], // first bucket with a bound <= 0: that bound
    [0.9, [0.1, 0.2], [0, 10, 0], 0.19],
  ])('q=%p of bounds %j counts %j is %p', (q, bounds, counts, expected) => {
    expect(histogramQuantile(q, bounds, counts)).toBeCloseTo(expected, 10);
  });

  it('is null without observations or without a finite bucket', () => {
    expect(histogramQuantile(0.5, [1, 2], [0, 0, 0])).toBeNull();
    expect(histogramQuantile(0.5, [], [7])).toBeNull();
  });

  it("matches Prometheus' histogram_quantile (property)", () => {
    fc.assert(
      fc.property(histogramArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ bounds, counts }, q) => {
        const total = counts.reduce((a, c) => a + c, 0);
        const ours = histogramQuantile(q, bounds, counts);
        const theirs = prometheusQuantile(q, cumulative(bounds, counts));
        if (total === 0) expect(ours).toBeNull();
        // q = 0 with an empty first bucket: Prometheus divides 0 by 0; we give its lower bound, 0
        else if (Number.isNaN(theirs)) expect(ours).toBe(0);
        else expect(ours).toBeCloseTo(theirs, 9);
      }),
    );
  });

  it('is monotonic in q and stays within the buckets (property)', () => {
    fc.assert(
      fc.property(
        histogramArb.filter(({ counts }) => counts.some((c) => c > 0)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ bounds, counts }, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const x = histogramQuantile(lo, bounds, counts)!;
          const y = histogramQuantile(hi, bounds, counts)!;
          expect(x).toBeLessThanOrEqual(y + 1e-9);
          expect(y).toBeLessThanOrEqual(bounds[bounds.length - 1]! + 1e-9);
          expect(x).toBeGreaterThanOrEqual(Math.min(0, bounds[0]!) - 1e-9);
        },
      ),
    );
  });

  it('agrees with the histogram kind on where observations lie', () => {
    const metric = histogram({ name: 'h', on: 'x', value: 'v', buckets: [10, 20, 30, 40] });
    const values = Array.from({ length: 100 }, (_, i) => (i % 40) + 0.5);
    const d = reduceEvents(
      metric,
      values.map((v) => ({ type: 'x', v }) as MetricEvent),
    );
    const p50 = histogramQuantile(0.5, d.bounds, d.counts)!;
    expect(p50).toBeGreaterThan(10);
    expect(p50).toBeLessThanOrEqual(20);
  });

  it.each([
    [[1.5, [1], [1, 1]], RangeError, /`q`/],
    [['0.5', [1], [1, 1]], TypeError, /`q`/],
    [[Number.NaN, [1], [1, 1]], RangeError, /`q`/],
    [[0.5, [2, 1], [1, 1, 1]], RangeError, /`bounds`/],
    [[0.5, [1, Infinity], [1, 1, 1]], RangeError, /`bounds`/],
    [[0.5, 'x', [1]], TypeError, /`bounds`/],
    [[0.5, [1], [1]], RangeError, /`counts`.*2 counts/],
    [[0.5, [1], [1, -1]], RangeError, /`counts`/],
    [[0.5, [1], null], TypeError, /`counts`/],
  ])('refuses %j', (args, type, message) => {
    const call = () => (histogramQuantile as (...a: unknown[]) => unknown)(...(args as unknown[]));
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe('histogramQuantiles', () => {
  const h = (
    time: number,
    counts: number[],
    bounds = [10, 20, 30],
  ): TimedValue<{ bounds: number[]; counts: number[] }> => ({
    time,
    value: { bounds, counts },
  });

  it('gives the quantiles of the observations since the previous sample (marbles)', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(
      ({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-d-e|', {
          a: h(0, [1, 0, 0, 0]),
          b: h(1000, [1, 4, 0, 0]), // +4 in (10, 20]
          c: h(2000, [1, 4, 0, 0]), // nothing new
          d: h(3000, [0, 0, 2, 0]), // counts fell: a reset, the new counts are the increase
          e: h(4000, [0, 0, 2, 0], [5, 10, 15]), // new bounds: start over
        });
        expectObservable(source.pipe(histogramQuantiles([0.5, 1]))).toBe('--b-c-d--|', {
          b: { time: 1000, value: { count: 4, values: [15, 20] } },
          c: { time: 2000, value: { count: 0, values: [null, null] } },
          d: { time: 3000, value: { count: 2, values: [25, 30] } },
        });
        expectSubscriptions(source.subscriptions).toBe('^--------!');
      },
    );
  });

  it('sums the increases within windowMs', async () => {
    const out = await lastValueFrom(
      from([h(0, [0, 0, 0, 0]), h(1000, [2, 0, 0, 0]), h(2000, [2, 2, 0, 0]), h(3000, [2, 2, 2, 0])]).pipe(
        histogramQuantiles([1], { windowMs: 1500 }),
        toArray(),
      ),
    );
    expect(out.map((p) => p.value.count)).toEqual([2, 4, 4]);
    expect(out.map((p) => p.value.values[0])).toEqual([10, 20, 30]);
  });

  it('equals histogramQuantile of the bucket increases (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }), {
          minLength: 2,
          maxLength: 15,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (increments, q) => {
          const running = [0, 0, 0, 0];
          const samples = increments.map((inc, i) => {
            inc.forEach((c, j) => (running[j]! += c));
            return h(i * 1000, running.slice());
          });
          const out = await lastValueFrom(from(samples).pipe(histogramQuantiles([q]), toArray()));
          expect(out).toHaveLength(samples.length - 1);
          out.forEach((p, i) => {
            expect(p.value.values[0]).toBe(histogramQuantile(q, [10, 20, 30], increments[i + 1]!));
          });
        },
      ),
    );
  });

  it('validates its arguments', () => {
    expect(() => histogramQuantiles([])).toThrow(/`qs`/);
    expect(() => histogramQuantiles([2])).toThrow(RangeError);
    expect(() => histogramQuantiles([0.5], { windowMs: -1 })).toThrow(/options\.windowMs/);
    expect(() => histogramQuantiles([0.5], { window: 1 } as never)).toThrow(/Unknown option "window"/);
  });
});

describe('sketchQuantiles', () => {
  const metric = quantiles({ name: 'q', on: 'x', value: 'v' });
  const dims = (values: readonly number[]) =>
    reduceEvents(
      metric,
      values.map((v) => ({ type: 'x', v }) as MetricEvent),
    ) as QuantilesDimensions;
  const sample = (time: number, values: readonly number[]): TimedValue<SketchSample> => ({
    time,
    value: dims(values),
  });
  const value = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));

  it('reads the quantiles of the newest observations exactly as a sketch of them alone would (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // within the sketch's max_bins (values spanning more collapse the lowest bins: then a reset)
        fc.array(value, { minLength: 1, maxLength: 60 }),
        fc.array(value, { minLength: 1, maxLength: 60 }),
        async (before, after) => {
          const qs = [0.5, 0.9, 0.99];
          const out = await lastValueFrom(
            from([sample(0, before), sample(1000, [...before, ...after])]).pipe(
              sketchQuantiles(qs),
              toArray(),
            ),
          );
          expect(out).toHaveLength(1);
          const alone = dims(after);
          const whole = dims([...before, ...after]);
          expect(out[0]!.value.count).toBe(after.length);
          out[0]!.value.values.forEach((v, i) => {
            // same bins as the sketch of `after` alone; clamped to the cumulative min and max instead
            const expected = sketchQuantile({ ...alone, min: whole.min, max: whole.max }, qs[i]!);
            expect(v).toBeCloseTo(expected!, 9);
          });
        },
      ),
    );
  });

  it('gives null while the window is empty and starts over on a reset', async () => {
    const out = await lastValueFrom(
      from([sample(0, [1, 2]), sample(1000, [1, 2]), sample(2000, [5])]).pipe(
        sketchQuantiles([0.5]),
        toArray(),
      ),
    );
    expect(out.map((p) => p.value)).toEqual([
      { count: 0, values: [null] },
      { count: 1, values: [sketchQuantile(dims([5]), 0.5)] },
    ]);
  });
});
