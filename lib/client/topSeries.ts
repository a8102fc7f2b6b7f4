import { map, type OperatorFunction } from 'rxjs';
import { checkFunction, checkPositiveInteger } from '../internal/validate.js';
import type { TimedValue } from './TimedValue.js';

/**
 * Keeps the `n` entries with the largest `by(entry)` of each sample (ties keep their order; entries
 * whose value is not a finite number rank last), so a chart plots a bounded number of labelled
 * series however many exist.
 *
 * ## Example
 * ```ts
 * import { of } from 'rxjs';
 * import { topSeries } from 'mvx-common';
 *
 * of({ time: 1, value: [{ k: 'a', rate: 1 }, { k: 'b', rate: 5 }, { k: 'c', rate: 3 }] })
 *   .pipe(topSeries(2, (s) => s.rate))
 *   .subscribe(({ value }) => console.log(value.map((s) => s.k).join())); // b,c
 * ```
 * @throws TypeError / RangeError naming `n` or `by`.
 */
export function topSeries<T>(
  n: number,
  by: (entry: T) => number,
): OperatorFunction<TimedValue<readonly T[]>, TimedValue<readonly T[]>> {
  checkPositiveInteger('n', n);
  checkFunction('by', by);
  return map(({ time, value }) => ({ time, value: topOf(value, n, by) }));
}

/** The `n` entries of `entries` with the largest `by`, in descending order (stable). @internal */
export function topOf<T>(entries: readonly T[], n: number, by: (entry: T) => number): readonly T[] {
  const ranked = entries.map((entry, i) => {
    const v = by(entry);
    return { entry, i, v: typeof v === 'number' && !Number.isNaN(v) ? v : -Infinity };
  });
  ranked.sort((a, b) => (b.v === a.v ? a.i - b.i : b.v > a.v ? 1 : -1));
  return Object.freeze(ranked.slice(0, n).map((r) => r.entry));
}
