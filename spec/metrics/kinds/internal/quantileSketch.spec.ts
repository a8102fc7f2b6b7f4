import fc from 'fast-check';
// Internal on purpose: the sketch behind quantiles(), tested on its own.
import {
  addToKey,
  emptySketch,
  forkSketch,
  quantilesOf,
  sketchAdd,
  sketchBins,
  sketchParams,
} from '../../../../lib/metrics/kinds/internal/quantileSketch.js';

const binsTotal = (bins: readonly (readonly [number, number])[]): number =>
  bins.reduce((a, [, c]) => a + c, 0);
const values = fc.array(
  fc.oneof(
    fc.constant(0),
    fc.double({ min: 1e-9, max: 1e12, noNaN: true }),
    fc.integer({ min: 0, max: 10_000 }),
  ),
  { minLength: 1, maxLength: 400 },
);

function exactRank(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('quantileSketch', () => {
  it('bins plus zeros always sum to the count, also while collapsing (property)', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 64 }), (vs, maxBins) => {
        const p = sketchParams(0.01, maxBins);
        const s = emptySketch(1);
        for (const v of vs) sketchAdd(p, s, v);
        const bins = sketchBins(s);
        expect(s.zero + binsTotal(bins)).toBe(vs.length);
        expect(s.count).toBe(vs.length);
        expect(bins.length).toBeLessThanOrEqual(maxBins);
        for (let i = 1; i < bins.length; i++) expect(bins[i]![0]).toBeGreaterThan(bins[i - 1]![0]);
      }),
      { numRuns: 300 },
    );
  });

  it('the first values are counted once, whatever they are', () => {
    for (const first of [0, 1e-300, 1, 0.5, 1e300, 7]) {
      const p = sketchParams(0.01, 2048);
      const s = emptySketch(1);
      sketchAdd(p, s, first);
      sketchAdd(p, s, 3);
      expect(s.zero + binsTotal(sketchBins(s))).toBe(2);
    }
  });

  it('every quantile is within the relative accuracy of the exact value of its rank (property)', () => {
    fc.assert(
      fc.property(values, fc.constantFrom(0.01, 0.02, 0.05), (vs, alpha) => {
        const p = sketchParams(alpha, 4096);
        const s = emptySketch(1);
        for (const v of vs) sketchAdd(p, s, v);
        const sorted = [...vs].sort((a, b) => a - b);
        const qs = [0, 0.1, 0.5, 0.9, 0.99, 0.999, 1];
        const got = quantilesOf(p, sketchBins(s), s.zero, s.count, s.min, s.max, qs);
        qs.forEach((q, i) => {
          const exact = exactRank(sorted, q);
          const est = got[i]!;
          if (exact < p.minIndexable) expect(est).toBe(0);
          else expect(Math.abs(est - exact)).toBeLessThanOrEqual(alpha * exact * (1 + 1e-9));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('merging the sketches of parts gives the sketch of the whole (property)', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const p = sketchParams(0.01, 4096);
        const whole = emptySketch(1);
        for (const v of [...a, ...b]) sketchAdd(p, whole, v);
        const sa = emptySketch(1);
        const sb = emptySketch(1);
        for (const v of a) sketchAdd(p, sa, v);
        for (const v of b) sketchAdd(p, sb, v);
        const merged = emptySketch(1);
        for (const [k, c] of [...sketchBins(sa), ...sketchBins(sb)]) addToKey(p, merged, k, c);
        expect(sketchBins(merged)).toEqual(sketchBins(whole));
        expect(sa.zero + sb.zero).toBe(whole.zero);
      }),
      { numRuns: 200 },
    );
  });

  it('a fork and its original change independently (copy-on-write)', () => {
    const p = sketchParams(0.01, 2048);
    const s = emptySketch(1);
    for (let i = 1; i <= 100; i++) sketchAdd(p, s, i);
    const before = sketchBins(s);
    const f = forkSketch(s, 2);
    for (let i = 1; i <= 100; i++) sketchAdd(p, f, i * 1000);
    expect(sketchBins(s)).toEqual(before);
    expect(s.count).toBe(100);
    expect(f.count).toBe(200);
  });
});
