/**
 * A persistent, mergeable relative-error quantile sketch (DDSketch's logarithmic mapping, collapsing the
 * lowest bins beyond `maxBins`). Non-negative values only.
 * @internal
 */
import { EMPTY_PVEC, pvForEach, pvGet, pvSet, type PVec } from './persistentVector.js';

/** Sketch parameters derived from the relative accuracy. @internal */
export interface SketchParams {
  readonly alpha: number;
  readonly gamma: number;
  readonly multiplier: number;
  readonly minIndexable: number;
  readonly maxBins: number;
}

/** Builds the parameters for relative accuracy `alpha` (0 < alpha < 1). @internal */
export function sketchParams(alpha: number, maxBins: number): SketchParams {
  const gamma = (1 + alpha) / (1 - alpha);
  const multiplier = 1 / Math.log(gamma);
  const lowest = -Math.ceil(Math.log(Number.MAX_VALUE) * multiplier);
  return { alpha, gamma, multiplier, minIndexable: Math.exp(lowest / multiplier), maxBins };
}

/**
 * The sketch state (persistent), held in `QuantilesState.sketch`. Read it through the metric's
 * `dimensions(state)`; the bin storage is opaque.
 */
export interface Sketch {
  /**
   * Bin counts by {@link slotOf}(key): small keys get small slots, keeping the trie shallow.
   * @internal
   */
  readonly bins: PVec;
  readonly binCount: number;
  /** Lowest key still kept separately after collapsing (`-Infinity` before any collapse). */
  readonly floorKey: number;
  readonly zero: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** The empty sketch. @internal */
export const EMPTY_SKETCH: Sketch = Object.freeze({
  bins: EMPTY_PVEC,
  binCount: 0,
  floorKey: -Infinity,
  zero: 0,
  count: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
});

// Module-level bindings: global lookups are slow inside sandboxed (vm) contexts such as test runners.
const { ceil, log } = Math;

/** The bin key of `v > 0`. @internal */
export const keyOf = (p: SketchParams, v: number): number => ceil(log(v) * p.multiplier);

/** The representative value of bin `key` (within `alpha` of every value in the bin). @internal */
export const valueOfKey = (p: SketchParams, key: number): number => (2 * p.gamma ** key) / (p.gamma + 1);

/** Zigzag slot of a key (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...). @internal */
export const slotOf = (key: number): number => (key >= 0 ? key * 2 : -key * 2 - 1);

const keyOfSlot = (slot: number): number => (slot % 2 === 0 ? slot / 2 : -(slot + 1) / 2);

/** Sorted `[key, count]` pairs. @internal */
export function sketchBins(_p: SketchParams, s: Sketch): [number, number][] {
  const out: [number, number][] = [];
  pvForEach<number>(s.bins, (i, c) => out.push([keyOfSlot(i), c]));
  return out.sort((a, b) => a[0] - b[0]);
}

/** Rebuilds bins from sorted pairs, collapsing the lowest ones beyond `maxBins`. @internal */
export function binsFrom(
  p: SketchParams,
  pairs: readonly (readonly [number, number])[],
): Pick<Sketch, 'bins' | 'binCount' | 'floorKey'> {
  let list = pairs;
  let floorKey = -Infinity;
  if (list.length > p.maxBins) {
    const cut = list.length - p.maxBins;
    const folded = list.slice(0, cut + 1).reduce((a, [, c]) => a + c, 0);
    const first = list[cut] as readonly [number, number];
    list = [[first[0], folded], ...list.slice(cut + 1)];
    floorKey = first[0];
  }
  let bins = EMPTY_PVEC;
  for (const [k, c] of list) bins = pvSet(bins, slotOf(k), c);
  return { bins, binCount: list.length, floorKey };
}

/** Adds `v >= 0` to the sketch, returning a new sketch. @internal */
export function sketchAdd(p: SketchParams, s: Sketch, v: number): Sketch {
  const count = s.count + 1;
  const sum = s.sum + v;
  const min = v < s.min ? v : s.min;
  const max = v > s.max ? v : s.max;
  if (v < p.minIndexable) {
    return {
      bins: s.bins,
      binCount: s.binCount,
      floorKey: s.floorKey,
      zero: s.zero + 1,
      count,
      sum,
      min,
      max,
    };
  }
  let key = keyOf(p, v);
  if (key < s.floorKey) key = s.floorKey;
  const prev = pvGet<number>(s.bins, slotOf(key));
  const bins = pvSet(s.bins, slotOf(key), (prev ?? 0) + 1);
  const next: Sketch = {
    bins,
    binCount: s.binCount + (prev === undefined ? 1 : 0),
    floorKey: s.floorKey,
    zero: s.zero,
    count,
    sum,
    min,
    max,
  };
  if (next.binCount <= p.maxBins) return next;
  return { ...next, ...binsFrom(p, sketchBins(p, next)) };
}

/**
 * Quantiles of a sketch given as sorted bins: for each `q`, the representative value of the bin holding
 * the element of rank `floor(q * (count - 1))`, clamped to `[min, max]`; `null` when empty.
 * @internal
 */
export function quantilesOf(
  p: SketchParams,
  bins: readonly (readonly [number, number])[],
  zero: number,
  count: number,
  min: number,
  max: number,
  qs: readonly number[],
): (number | null)[] {
  if (count === 0) return qs.map(() => null);
  const order = qs.map((q, i) => ({ rank: Math.floor(q * (count - 1)), i })).sort((a, b) => a.rank - b.rank);
  const out: (number | null)[] = qs.map(() => null);
  let cumulative = zero;
  let b = 0;
  for (const { rank, i } of order) {
    let value = 0;
    if (rank >= cumulative) {
      while (b < bins.length) {
        const [k, c] = bins[b] as readonly [number, number];
        if (cumulative + c > rank) {
          value = valueOfKey(p, k);
          break;
        }
        cumulative += c;
        b++;
      }
      if (b >= bins.length) value = max;
    }
    out[i] = Math.min(max, Math.max(min, value));
  }
  return out;
}
