/**
 * A mergeable relative-error quantile sketch (DDSketch's logarithmic mapping with a collapsing-lowest
 * dense store), copy-on-write. Bin `k` holds values in `(gamma^(k-1), gamma^k]`, with
 * `gamma = (1 + a) / (1 - a)` for relative accuracy `a`; values below the smallest indexable value
 * (zero included) count in `zero`. At most `maxBins` consecutive keys are kept: beyond, the lowest bins
 * fold into the lowest kept one (high quantiles stay accurate). Invariant: `zero + sum(bins) = count`.
 * (Internal to the kinds: not exported from the package entry points.)
 */

/** Keys per chunk of the dense store (the unit of copy-on-write). */
const CHUNK = 16;

/** Parameters derived from the relative accuracy. */
export interface SketchParams {
  readonly alpha: number;
  readonly gamma: number;
  readonly multiplier: number;
  readonly minIndexable: number;
  readonly maxBins: number;
}

const { ceil, floor, log, min: mathMin, max: mathMax } = Math;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Builds the parameters for relative accuracy `alpha` (validated by the caller). */
export function sketchParams(alpha: number, maxBins: number): SketchParams {
  const gamma = (1 + alpha) / (1 - alpha);
  const multiplier = 1 / log(gamma);
  // Values below the smallest normal number (times gamma) count as zero: their keys would lose precision.
  const minIndexable = MIN_NORMAL * gamma;
  return { alpha, gamma, multiplier, minIndexable, maxBins };
}

/** The bin key of `v >= minIndexable`. */
export const keyOf = (p: SketchParams, v: number): number => ceil(log(v) * p.multiplier);

/** The representative value of bin `key` (within `alpha` of every value in the bin). */
export const valueOfKey = (p: SketchParams, key: number): number => (2 * p.gamma ** key) / (p.gamma + 1);

/** One chunk of bin counts (keys `[start, start + CHUNK)`), with its owner token. */
interface Chunk {
  o: number;
  readonly c: number[];
  /** Its non-empty bins as frozen `[key, count]` pairs, as last listed (cleared by every write). */
  pairs?: readonly (readonly [number, number])[] | undefined;
}

/** The sketch state (owned by a state: `o` is its token). */
export interface Sketch {
  o: number;
  /** Owner of the `chunks` array. */
  co: number;
  /** Chunk `j` holds keys `[(base + j) * CHUNK, (base + j + 1) * CHUNK)`. */
  chunks: (Chunk | undefined)[];
  base: number;
  /** Range of non-empty keys (`Infinity` / `-Infinity` while there are none). */
  minKey: number;
  maxKey: number;
  zero: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** An empty sketch owned by `owner`. */
export function emptySketch(owner: number): Sketch {
  return {
    o: owner,
    co: owner,
    chunks: [],
    base: 0,
    minKey: Infinity,
    maxKey: -Infinity,
    zero: 0,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
  };
}

/** A copy-on-write copy of `s` owned by `owner`. */
export function forkSketch(s: Sketch, owner: number): Sketch {
  // Field by field, in emptySketch's order (one shape for every sketch): a spread costs several times more.
  return {
    o: owner,
    co: s.co,
    chunks: s.chunks,
    base: s.base,
    minKey: s.minKey,
    maxKey: s.maxKey,
    zero: s.zero,
    count: s.count,
    sum: s.sum,
    min: s.min,
    max: s.max,
  };
}

/** Adds `v` (finite, `>= 0`; the caller checked that `sum + v` stays finite) `n` times. */
export function sketchAdd(p: SketchParams, s: Sketch, v: number, n = 1): void {
  s.count += n;
  s.sum += v * n;
  if (v < s.min) s.min = v;
  if (v > s.max) s.max = v;
  if (v < p.minIndexable) {
    s.zero += n;
    return;
  }
  addToKey(p, s, keyOf(p, v), n);
}

/** Adds `n` to bin `key` directly (merging sketches), collapsing as needed. */
export function addToKey(p: SketchParams, s: Sketch, key: number, n: number): void {
  let k = key;
  if (s.minKey === Infinity) {
    s.minKey = k;
    s.maxKey = k;
  } else {
    const hi = mathMax(s.maxKey, k);
    const floorKey = hi - p.maxBins + 1;
    if (k < floorKey) k = floorKey;
    if (s.minKey < floorKey) collapseBelow(s, floorKey);
    if (k < s.minKey) s.minKey = k;
    if (k > s.maxKey) s.maxKey = k;
  }
  const chunk = writableChunk(s, floor(k / CHUNK));
  const i = k - floor(k / CHUNK) * CHUNK;
  chunk.c[i] = (chunk.c[i] as number) + n;
}

/** Folds every bin below `floorKey` into bin `floorKey`, and drops the chunks left empty below it. */
function collapseBelow(s: Sketch, floorKey: number): void {
  let mass = 0;
  for (let j = 0; j < s.chunks.length; j++) {
    const start = (s.base + j) * CHUNK;
    if (start >= floorKey) break;
    const chunk = s.chunks[j];
    if (chunk === undefined) continue;
    const end = mathMin(CHUNK, floorKey - start);
    let any = false;
    for (let i = 0; i < end; i++) if ((chunk.c[i] as number) !== 0) any = true;
    if (!any) continue;
    const w = writableChunk(s, s.base + j);
    for (let i = 0; i < end; i++) {
      mass += w.c[i] as number;
      w.c[i] = 0;
    }
  }
  s.minKey = floorKey;
  const firstKept = floor(floorKey / CHUNK);
  if (firstKept > s.base) {
    const drop = mathMin(firstKept - s.base, s.chunks.length);
    ownChunks(s).splice(0, drop);
    s.base = s.chunks.length === 0 ? firstKept : s.base + drop;
  }
  if (mass > 0) {
    const chunk = writableChunk(s, firstKept);
    const i = floorKey - firstKept * CHUNK;
    chunk.c[i] = (chunk.c[i] as number) + mass;
  }
}

function ownChunks(s: Sketch): (Chunk | undefined)[] {
  if (s.co !== s.o) {
    s.chunks = s.chunks.slice();
    s.co = s.o;
  }
  return s.chunks;
}

function writableChunk(s: Sketch, ci: number): Chunk {
  if (s.chunks.length === 0) {
    ownChunks(s);
    s.base = ci;
  }
  let j = ci - s.base;
  if (j < 0) {
    s.chunks = new Array<Chunk | undefined>(-j).fill(undefined).concat(s.chunks);
    s.co = s.o;
    s.base = ci;
    j = 0;
  }
  let chunk = s.chunks[j];
  if (chunk === undefined) {
    chunk = { o: s.o, c: new Array<number>(CHUNK).fill(0) };
    ownChunks(s)[j] = chunk;
  } else if (chunk.o !== s.o) {
    chunk = { o: s.o, c: chunk.c.slice() };
    ownChunks(s)[j] = chunk;
  } else {
    chunk.pairs = undefined; // about to change
  }
  return chunk;
}

/**
 * The non-empty bins as sorted, frozen `[key, count]` pairs, in a frozen array. The pairs of the chunks
 * that did not change since the last listing are reused, so listing a sketch after one update costs a
 * pass over its chunks plus one chunk's pairs.
 */
export function sketchBins(s: Sketch): readonly (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  for (let j = 0; j < s.chunks.length; j++) {
    const chunk = s.chunks[j];
    if (chunk === undefined) continue;
    let pairs = chunk.pairs;
    if (pairs === undefined) {
      const made: (readonly [number, number])[] = [];
      const start = (s.base + j) * CHUNK;
      for (let i = 0; i < CHUNK; i++) {
        const c = chunk.c[i] as number;
        if (c !== 0) made.push(Object.freeze([start + i, c] as const));
      }
      pairs = chunk.pairs = made;
    }
    for (let i = 0; i < pairs.length; i++) out.push(pairs[i] as readonly [number, number]);
  }
  return Object.freeze(out);
}

/**
 * Quantiles from sorted bins: for each `q`, the representative value of the bin holding the element of
 * rank `floor(q * (count - 1))` (the zero bucket gives 0), clamped to `[min, max]`; `null` when empty.
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
  const order = qs.map((q, i) => ({ rank: floor(q * (count - 1)), i })).sort((a, b) => a.rank - b.rank);
  const out: (number | null)[] = qs.map(() => null);
  let cumulative = zero;
  let b = 0;
  for (const { rank, i } of order) {
    let value = 0;
    if (rank >= zero) {
      while (b < bins.length && cumulative + (bins[b] as readonly [number, number])[1] <= rank) {
        cumulative += (bins[b] as readonly [number, number])[1];
        b++;
      }
      value = b < bins.length ? valueOfKey(p, (bins[b] as readonly [number, number])[0]) : max;
    }
    out[i] = mathMin(max, mathMax(min, value));
  }
  return out;
}
