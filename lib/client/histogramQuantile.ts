import { rangeError, typeError } from '../internal/validate.js';

/**
 * A quantile of a bucketed distribution, interpolated the way Prometheus' `histogram_quantile` does:
 * `bounds` are the buckets' inclusive upper bounds (increasing), `counts[i]` the observations in
 * bucket `i` (per bucket, not cumulative; `counts.length === bounds.length + 1`, the last one above the
 * last bound). The rank `q * total` is located in its bucket and interpolated linearly between the
 * bucket's lower bound (the previous bound, or 0 for the first bucket) and its upper bound. A rank in
 * the last, unbounded bucket gives the last bound; a first bucket with a bound <= 0 gives that bound.
 * Returns null when there are no observations or no finite bucket.
 *
 * ## Example
 * ```ts
 * import { histogramQuantile } from 'mvx-common';
 *
 * histogramQuantile(0.5, [10, 20, 50], [2, 6, 2, 0]); // 15: rank 5 of 10 lies halfway into (10, 20]
 * ```
 * @throws TypeError / RangeError naming `q`, `bounds` or `counts`.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number | null {
  if (typeof q !== 'number') throw typeError('q', 'a number between 0 and 1', q);
  if (!(q >= 0 && q <= 1)) throw rangeError('q', 'a number between 0 and 1', q);
  if (!Array.isArray(bounds)) throw typeError('bounds', 'an array of increasing finite numbers', bounds);
  if (!Array.isArray(counts)) throw typeError('counts', 'an array of non-negative finite numbers', counts);
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i] as unknown;
    if (typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number))) {
      throw rangeError('bounds', 'an array of increasing finite numbers', bounds);
    }
  }
  if (counts.length !== bounds.length + 1) {
    throw rangeError('counts', `an array of ${bounds.length + 1} counts (one more than \`bounds\`)`, counts);
  }
  for (const c of counts as unknown[]) {
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw rangeError('counts', 'an array of non-negative finite numbers', counts);
    }
  }
  return bucketQuantile(q, bounds, counts);
}

/**
 * {@link histogramQuantile} without argument checks (the operators call it per tick on data they
 * checked). @internal
 */
export function bucketQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number | null {
  const finiteBuckets = bounds.length;
  if (finiteBuckets === 0) return null;
  let total = 0;
  for (let i = 0; i <= finiteBuckets; i++) total += counts[i] ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  let below = 0;
  let b = 0;
  for (; b < finiteBuckets; b++) {
    if (below + (counts[b] ?? 0) >= rank) break;
    below += counts[b] ?? 0;
  }
  if (b === finiteBuckets) return bounds[finiteBuckets - 1] as number;
  const end = bounds[b] as number;
  if (b === 0 && end <= 0) return end;
  const start = b === 0 ? 0 : (bounds[b - 1] as number);
  const inBucket = counts[b] ?? 0;
  if (!(inBucket > 0)) return start;
  return start + (end - start) * ((rank - below) / inBucket);
}
