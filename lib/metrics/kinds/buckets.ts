import { checkPositiveInteger, rangeError, typeError } from '../../internal/validate.js';

/**
 * Default histogram bounds, for durations in milliseconds (prom-client's defaults scaled to ms, plus 1 and 2.5).
 */
export const DEFAULT_MS_BUCKETS: readonly number[] = Object.freeze([
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
]);

/** The largest number of bucket bounds a histogram accepts. */
export const MAX_BUCKETS = 1000;

function checkCount(param: string, count: unknown): number {
  checkPositiveInteger(param, count);
  if ((count as number) > MAX_BUCKETS)
    throw rangeError(param, `a positive integer up to ${MAX_BUCKETS}`, count);
  return count as number;
}

function checkFinite(param: string, value: unknown, positive: boolean): number {
  const expected = positive ? 'a positive finite number' : 'a finite number';
  if (typeof value !== 'number') throw typeError(param, expected, value);
  if (!Number.isFinite(value) || (positive && value <= 0)) throw rangeError(param, expected, value);
  return value;
}

/**
 * `count` bounds starting at `start`, each `width` above the previous (as prom-client's `linearBuckets`).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { linearBuckets } from 'mvx-common';
 *
 * console.log(JSON.stringify(linearBuckets(10, 10, 5))); // → [10,20,30,40,50]
 * ```
 * @throws TypeError / RangeError naming the bad argument (at most 1,000 bounds; every bound finite).
 */
export function linearBuckets(start: number, width: number, count: number): number[] {
  checkFinite('start', start, false);
  checkFinite('width', width, true);
  checkCount('count', count);
  const bounds = Array.from({ length: count }, (_, i) => start + i * width);
  checkBuckets('bounds', bounds);
  return bounds;
}

/**
 * `count` bounds starting at `start`, each `factor` times the previous (as prom-client's `exponentialBuckets`).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { exponentialBuckets } from 'mvx-common';
 *
 * console.log(JSON.stringify(exponentialBuckets(1, 2, 5))); // → [1,2,4,8,16]
 * ```
 * @throws TypeError / RangeError naming the bad argument.
 */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  checkFinite('start', start, true);
  checkFinite('factor', factor, true);
  if (factor <= 1) throw rangeError('factor', 'a finite number above 1', factor);
  checkCount('count', count);
  const bounds = Array.from({ length: count }, (_, i) => start * factor ** i);
  const last = bounds[bounds.length - 1] as number;
  if (!Number.isFinite(last)) {
    throw new RangeError(
      `Expected \`start\`, \`factor\` and \`count\` to give finite bounds: ${start} x ${factor}^${count - 1} overflows`,
    );
  }
  return bounds;
}

/** Validates bucket bounds: a non-empty, strictly increasing list of finite numbers. @internal */
export function checkBuckets(param: string, buckets: unknown): readonly number[] {
  const expected = `a non-empty, strictly increasing list of at most ${MAX_BUCKETS} finite numbers`;
  if (!Array.isArray(buckets)) throw typeError(param, expected, buckets);
  if (buckets.length === 0 || buckets.length > MAX_BUCKETS) throw rangeError(param, expected, buckets);
  buckets.forEach((b: unknown, i) => {
    checkFinite(`${param}[${i}]`, b, false);
    if (i > 0 && (b as number) <= (buckets[i - 1] as number)) throw rangeError(param, expected, buckets);
  });
  return Object.freeze([...(buckets as number[])]);
}

/** Index of the bucket of `v`: the first bound `>= v`, or `bounds.length` (the +Inf bucket). @internal */
export function bucketIndex(bounds: readonly number[], v: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
