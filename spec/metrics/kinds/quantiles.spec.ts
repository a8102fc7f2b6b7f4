import { quantiles, sketchQuantile } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const o = (ms: unknown) => ({ type: 'req', ms });

// Local bindings: global lookups (`Math.*`) are slow inside Jest's sandbox, and the accuracy tests make
// millions of calls.
const { imul, sqrt, log, cos, exp, PI } = Math;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('quantiles', () => {
  const m = quantiles({ name: 'req.ms.q', on: 'req', value: 'ms', quantiles: [0.75] });

  it('empty state', () => {
    expect(m.kind).toBe('summary');
    expect(m.dimensions(m.init())).toEqual({
      count: 0,
      sum: 0,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p99: null,
      p999: null,
      quantiles: { '0.75': null },
      refused: 0,
      sketch: { relative_accuracy: 0.01, max_bins: 2048, zero_count: 0, bins: [] },
      window: null,
    });
  });

  it('one value gives that value for every quantile', () => {
    expect(reduceEvents(m, [o(42)])).toMatchObject({
      count: 1,
      sum: 42,
      min: 42,
      max: 42,
      p50: 42,
      p999: 42,
      quantiles: { '0.75': 42 },
    });
  });

  it('many values: quantiles within the relative accuracy; zero values; refusals', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const d = reduceEvents(m, [...values.map(o), o(-1), o(NaN), o('3')]);
    expect(d.count).toBe(1000);
    expect(d.refused).toBe(3);
    expect(d.sketch.zero_count).toBe(1);
    expect(Math.abs((d.p50 as number) - 499) / 499).toBeLessThanOrEqual(0.01);
    expect(Math.abs((d.p99 as number) - 989) / 989).toBeLessThanOrEqual(0.01);
    expect(Math.abs((d.quantiles['0.75'] as number) - 749) / 749).toBeLessThanOrEqual(0.01);
    expect(sketchQuantile(d, 0)).toBe(0);
    expect(sketchQuantile(d, 1)).toBe(999);
    expect(() => sketchQuantile(d, 2)).toThrow(RangeError);
  });

  it('bounds memory with maxBins (collapsing the lowest bins, high quantiles stay accurate)', () => {
    const small = quantiles({ name: 'q', on: 'req', value: 'ms', maxBins: 50 });
    const values = Array.from({ length: 2000 }, (_, i) => 1.05 ** (i % 400));
    const d = reduceEvents(small, values.map(o));
    expect(d.sketch.bins.length).toBeLessThanOrEqual(50);
    const sorted = [...values].sort((a, b) => a - b);
    const exact = sorted[Math.floor(0.99 * (sorted.length - 1))] as number;
    expect(Math.abs((d.p99 as number) - exact) / exact).toBeLessThanOrEqual(0.01);
  });

  it('old states keep their values; init resets', () => {
    const s1 = m.reduce(m.init(), o(1), { now: 0 });
    m.reduce(s1, o(100), { now: 0 });
    expect(m.dimensions(s1).max).toBe(1);
    expect(m.dimensions(m.init()).count).toBe(0);
  });

  it.each([
    [{ relativeAccuracy: 0 }, /`relativeAccuracy`/],
    [{ relativeAccuracy: 1 }, /`relativeAccuracy`/],
    [{ maxBins: 0 }, /`maxBins`/],
    [{ quantiles: [1.5] }, /`quantiles\[0\]`/],
  ])('refuses %j', (extra, message) => {
    expect(() => quantiles({ name: 'q', on: 'req', value: 'ms', ...extra })).toThrow(message);
  });

  describe('accuracy on 1,000,000 samples', () => {
    const rnd = prng(12345);
    const normal = (): number => sqrt(-2 * log(1 - rnd())) * cos(2 * PI * rnd());
    const distributions: [string, () => number][] = [
      ['uniform', () => rnd() * 1000],
      ['log-normal', () => exp(3 + 1.5 * normal())],
      ['pareto', () => 1 / (1 - rnd()) ** (1 / 1.5)],
    ];
    it.each(distributions)('%s: p50/p90/p99/p999 within 1%% of the exact quantiles', (_name, sample) => {
      const n = 1_000_000;
      const values = new Float64Array(n);
      let state = m.init();
      const event = { type: 'req', ms: 0 };
      const ctx = { now: 0 };
      for (let i = 0; i < n; i++) {
        const v = sample();
        values[i] = v;
        event.ms = v;
        state = m.reduce(state, event, ctx);
      }
      values.sort();
      const d = m.dimensions(state);
      const estimates: [number, number | null][] = [
        [0.5, d.p50],
        [0.9, d.p90],
        [0.99, d.p99],
        [0.999, d.p999],
      ];
      for (const [q, est] of estimates) {
        const exact = values[Math.floor(q * (n - 1))] as number;
        expect(Math.abs((est as number) - exact) / exact).toBeLessThanOrEqual(0.01 * (1 + 1e-9));
      }
      expect(d.count).toBe(n);
    });
  });
});
