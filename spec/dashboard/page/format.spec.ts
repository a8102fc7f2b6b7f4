// Internal on purpose: the page's number formatting (bundled into the page, not exported).
import fc from 'fast-check';
import {
  formatCount,
  formatNumber,
  formatPercent,
  formatWithUnit,
} from '../../../lib/dashboard/page/format.js';

/** The number a formatted text stands for (`1.2k` → 1200). */
function parse(text: string): number {
  const m = /^(-?[\d.]+)([kMG]?)$/.exec(text);
  if (!m) throw new Error(`not a formatted number: ${text}`);
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
  return Number(m[1]) * scale;
}

describe('the page number formats', () => {
  it('keeps the magnitude of every number (three significant digits at most)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (v) => {
        const text = formatNumber(v);
        if (Math.abs(v) < 0.01) return; // toPrecision form
        const back = parse(text);
        expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 0.05 + 0.005);
      }),
    );
  });

  it('never strips the zeros of an integer part (100k is not 1k)', () => {
    expect(formatNumber(100_000)).toBe('100k');
    expect(formatNumber(200_000_000)).toBe('200M');
    expect(formatNumber(-100_000)).toBe('-100k');
    expect(formatNumber(100)).toBe('100');
    expect(formatNumber(1_500)).toBe('1500');
    expect(formatNumber(15_000)).toBe('15k');
    expect(formatNumber(12.5)).toBe('12.5');
    expect(formatNumber(10)).toBe('10');
    expect(formatNumber(0.5)).toBe('0.5');
  });

  it('formats units, counts and ratios', () => {
    expect(formatWithUnit(1500, 'ms')).toBe('1.5 s');
    expect(formatWithUnit(0.25, 's')).toBe('250 ms');
    expect(formatWithUnit(2048, 'bytes')).toBe('2 KiB');
    expect(formatWithUnit(102_400, 'By')).toBe('100 KiB');
    expect(formatWithUnit(NaN, 'ms')).toBe('–');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatPercent(0.033)).toBe('3.3%');
    expect(formatPercent(0.5)).toBe('50%');
  });
});
