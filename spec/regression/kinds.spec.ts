/**
 * Regressions of the built-in metric kinds: one test per fixed defect, named for what broke and in which
 * version. Each fails on the code that had the defect; the class of each is covered in full by the spec
 * cited in the test.
 *
 * Pinned elsewhere: a label value of 1 MB was kept twice per series, so 2,000 series could hold gigabytes
 * (0.3.0): spec/metrics/kinds/internal/seriesTable.spec.ts (a million distinct values and 1 MB values
 * through a counter with `maxLabelLength`).
 */
import {
  counter,
  exponentialBuckets,
  histogram,
  MetricsRecorder,
  quantiles,
  upDownCounter,
} from 'mvx-common';
import type { MetricEvent } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const e = (fields: Record<string, unknown>): MetricEvent => ({ type: 'e', ...fields }) as MetricEvent;

describe('kinds regressions', () => {
  it('0.3.0: sums overflowed to Infinity (two counter values of 1e308), so snapshots were not JSON-safe', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "snapshots are JSON-safe".
    const big = [e({ v: 1e308 }), e({ v: 1e308 })];
    const c = reduceEvents(counter({ name: 'c', on: 'e', value: 'v' }), big);
    const u = reduceEvents(upDownCounter({ name: 'u', on: 'e', value: 'v' }), big);
    const h = reduceEvents(histogram({ name: 'h', on: 'e', value: 'v' }), big);
    expect(c).toMatchObject({ total: 1e308, refused: 1 });
    expect(u).toMatchObject({ value: 1e308, refused: 1 });
    expect(h).toMatchObject({ sum: 1e308, count: 1, refused: 1 });
    for (const d of [c, u, h]) expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('0.3.0: exponentialBuckets(1, 2, 2000) returned infinite bounds', () => {
    // Class: spec/metrics/kinds/buckets.spec.ts.
    expect(() => exponentialBuckets(1, 2, 2000)).toThrow(RangeError);
    expect(() => exponentialBuckets(1e300, 1e10, 5)).toThrow(RangeError);
    expect(exponentialBuckets(1, 2, 1000).every(Number.isFinite)).toBe(true);
  });

  it('0.3.0: a label key __proto__ was dropped, so distinct label sets merged into one series', () => {
    // Class: spec/metrics/kinds/internal/labels.spec.ts (prototype names as ordinary label names).
    const m = counter({ name: 'c', on: 'e', by: ['__proto__'] });
    const events = ['a', 'b', 'a'].map((v) => JSON.parse(`{"type":"e","__proto__":"${v}"}`) as MetricEvent);
    expect(reduceEvents(m, events).series).toEqual([
      { labels: JSON.parse('{"__proto__":"a"}'), total: 2 },
      { labels: JSON.parse('{"__proto__":"b"}'), total: 1 },
    ]);
  });

  it("0.3.0: a null-prototype or throwing-toString label value made reduce throw (under 'fail-recorder' the recorder failed)", () => {
    // Class: spec/metrics/kinds/inPlace.property.spec.ts (hostile label values), labels.spec.ts.
    const recorder = new MetricsRecorder('labels', { metricErrors: 'fail-recorder' });
    recorder.registerMetric(counter({ name: 'c', on: 'e', by: ['k'] }));
    const throwing = {
      toString(): string {
        throw new Error('toString');
      },
    };
    recorder.emit(e({ k: Object.create(null) }));
    recorder.emit(e({ k: throwing }));
    recorder.emit(e({ k: 'ok' }));
    expect(recorder.getMetricSnapshot('c')!.dimensions).toMatchObject({
      total: 1,
      refused: 2,
      series: [{ labels: { k: 'ok' }, total: 1 }],
    });
    expect(recorder.getStatus()).toBe('running');
    expect(recorder.getStats().metricErrors).toBe(0);
  });

  it('0.3.0: the quantile sketch counted a first value twice when a much smaller one followed, so bins summed above count', () => {
    // Found by fuzzing: 2.7e-7 then 1.3e-149 gave bins [[-17140, 2], [-756, 1]] for two values.
    // Class: spec/metrics/kinds/internal/quantileSketch.spec.ts, "bins always sum to count (property)".
    const m = quantiles({ name: 'q', on: 'e', value: 'v' });
    for (const values of [
      [2.7e-7, 1.3e-149],
      [2.7e-7, 1.3e-149, 0],
      [0, 1e-300, 3],
      [1e300, 7],
    ]) {
      const d = reduceEvents(
        m,
        values.map((v) => e({ v })),
      );
      const binned = d.sketch.bins.reduce((sum, [, n]) => sum + n, 0);
      expect(d.count).toBe(values.length);
      expect(d.sketch.zero_count + binned).toBe(values.length);
    }
  });

  it('0.3.0: a relativeAccuracy of 1e-9 was accepted but gave quantiles 98% off (bin indexes overflowed 32 bits)', () => {
    // Class: spec/metrics/kinds/internal/quantileSketch.spec.ts, "every quantile is within the relative accuracy".
    expect(() => quantiles({ name: 'q', on: 'e', value: 'v', relativeAccuracy: 1e-9 })).toThrow(RangeError);
    const m = quantiles({ name: 'q', on: 'e', value: 'v', relativeAccuracy: 1e-4, maxBins: 100_000 });
    const d = reduceEvents(
      m,
      [1, 10, 100, 1_000].map((v) => e({ v })),
    );
    expect(Math.abs(d.p50! - 10) / 10).toBeLessThanOrEqual(1e-4 * (1 + 1e-9));
  });

  it('0.3.1 (before release): a windowed histogram summed its sub-windows to -Infinity (each sub-window finite)', () => {
    // Class: spec/metrics/kinds/inPlace.property.spec.ts ("dimensions are JSON-safe, whatever the input").
    const m = histogram({ name: 'h', on: 'e', value: 'v', buckets: [5], windowMs: 10, subWindows: 2 });
    let state = m.init();
    const steps: Array<[number, number]> = [
      [2, 1e308],
      [5, -1e308],
      [10, -7.976931348623158e307],
      [10, -1e308],
    ];
    for (const [now, v] of steps) state = m.reduce(state, e({ v }), { now });
    const d = m.dimensions(state);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(Number.isFinite(d.window?.sum)).toBe(true);
    expect(d.refused).toBeGreaterThan(0);
  });

  it('0.3.1 (before release): a clock set back wrote into the slot of a newer sub-window, losing it', () => {
    // Class: spec/metrics/kinds/internal/windowRing.spec.ts.
    const m = histogram({ name: 'h', on: 'e', value: 'v', buckets: [5], windowMs: 10, subWindows: 2 });
    let state = m.init();
    state = m.reduce(state, e({ v: 1 }), { now: 12 }); // sub-window 2
    state = m.reduce(state, e({ v: 1 }), { now: 2 }); // the clock went back 10 ms: sub-window 0, same slot
    expect(m.dimensions(state).window).toMatchObject({ count: 2 });
  });
});
