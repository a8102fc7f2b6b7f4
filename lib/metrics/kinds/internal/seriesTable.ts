/**
 * The labelled series of a metric's state: one cell per label set, a cap on live series with one
 * overflow cell beyond it, removal of a label set, expiry of idle series (`ttlMs`), and the listing of
 * series for snapshots. Copy-on-write: cells live in a {@link CowVector} owned by the state.
 *
 * The label index (lookup from label values to slots, and the labels of every slot) is shared by the
 * states forked from one another and versioned: the live state changes it in place; a state whose
 * version is behind (an old state handed to a pure `reduce` again) first rebuilds a private index from
 * its own live slots, so every state stays correct.
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { MetricEvent } from '../../event.js';
import type { SeriesLabels } from '../types.js';
import {
  emptyVector,
  shareVector,
  vectorForEach,
  vectorGet,
  vectorSet,
  type CowVector,
} from './cowVector.js';
import { deepFreeze } from '../../snapshots/jsonSafe.js';
import { compareLabels, REFUSED as LABELS_REFUSED, type LabelLookup, type Labeller } from './labels.js';

/** The shared, versioned label index. */
export interface SeriesIndex {
  version: number;
  readonly lookup: LabelLookup;
  /** Labels by slot (append-only; a removed slot keeps its labels for older states). */
  readonly labels: SeriesLabels[];
  /** Slots sorted by labels, for the index `version` it was computed at. */
  sorted: { readonly version: number; readonly slots: readonly number[] } | undefined;
  /** The snapshot entries of the series, by slot, as last listed (reused while unchanged). */
  entries?: unknown[];
}

/** The series part of a state (owned by the state: `o` is the state's token). */
export interface Series<C> {
  o: number;
  /** Cells by slot (`undefined`: never used, or removed). */
  cells: CowVector;
  /** Last update time by slot (only with `ttlMs`). */
  times: CowVector | null;
  /** Slots used so far (live and removed). */
  size: number;
  /** Live series (excluding the overflow series). */
  live: number;
  index: SeriesIndex;
  indexVersion: number;
  /** The overflow series' cell, once anything folded into it. */
  overflowCell: C | undefined;
  /** Events folded into the overflow series because `maxSeries` live series existed. */
  overflow: number;
  /** Series removed: expired (`ttlMs`) or removed by a removal event. */
  evicted: number;
  /** With `ttlMs`: when a sweep may next evict something (on the `ctx.now` clock). */
  sweepAt: number | undefined;
}

/** What governs a metric's series (compiled from its options). */
export interface SeriesRules {
  readonly labeller: Labeller;
  /** Bound on live series; beyond it new label sets fold into the overflow series. */
  readonly maxSeries: number;
  /** Idle series older than this are evicted (undefined: never). */
  readonly ttlMs: number | undefined;
}

/** {@link seriesSlot} result: the event folds into the overflow series. */
export const OVERFLOW = -2;
/**
 * {@link seriesSlot} result: the event's labels are not usable. A constant of this module rather than a
 * re-export: a CommonJS re-export is a getter, called on every event by the kinds.
 */
export const REFUSED: typeof LABELS_REFUSED = LABELS_REFUSED;

/** An empty series table owned by `owner`. */
export function createSeries<C>(owner: number, rules: SeriesRules): Series<C> {
  return {
    o: owner,
    cells: emptyVector(owner),
    times: rules.ttlMs === undefined ? null : emptyVector(owner),
    size: 0,
    live: 0,
    index: newIndex(),
    indexVersion: 0,
    overflowCell: undefined,
    overflow: 0,
    evicted: 0,
    sweepAt: undefined,
  };
}

/** A copy-on-write copy of `s` owned by `owner` (O(1): every node is shared until written). */
export function forkSeries<C>(s: Series<C>, owner: number): Series<C> {
  return {
    o: owner,
    cells: shareVector(s.cells),
    times: s.times === null ? null : shareVector(s.times),
    size: s.size,
    live: s.live,
    index: s.index,
    indexVersion: s.indexVersion,
    overflowCell: s.overflowCell,
    overflow: s.overflow,
    evicted: s.evicted,
    sweepAt: s.sweepAt,
  };
}

/** The cell of `slot`. */
export function cellAt<C>(s: Series<C>, slot: number): C | undefined {
  return vectorGet<C>(s.cells, slot);
}

/** Stores the cell of `slot` (and its update time, with `ttlMs`). */
export function setCell<C>(s: Series<C>, slot: number, cell: C, now: number): void {
  vectorSet(s.cells, slot, cell, s.o);
  if (s.times !== null) vectorSet(s.times, slot, now, s.o);
}

/** Records an update of `slot` at `now` without changing its cell (object cells mutated in place). */
export function touch<C>(s: Series<C>, slot: number, now: number): void {
  if (s.times !== null) vectorSet(s.times, slot, now, s.o);
}

/**
 * The slot of `event`'s label set: an existing series, a new one (its cell still `undefined`: the caller
 * stores it), {@link OVERFLOW} when `maxSeries` live series exist, or {@link REFUSED} when its labels
 * are not usable. Throws only what the labeller throws (a throwing getter or `by` function).
 */
export function seriesSlot<C>(s: Series<C>, rules: SeriesRules, event: MetricEvent, now: number): number {
  if (s.indexVersion !== s.index.version) privatizeIndex(s, rules);
  const found = rules.labeller.find(s.index.lookup, event);
  if (found !== undefined) return found;
  if (s.live >= rules.maxSeries) return OVERFLOW;
  const labels = rules.labeller.labels(event);
  if (labels === undefined) return REFUSED;
  const slot = s.size;
  const index = s.index;
  rules.labeller.insert(index.lookup, labels, slot);
  index.labels[slot] = labels;
  s.indexVersion = ++index.version;
  s.size++;
  s.live++;
  if (rules.ttlMs !== undefined && s.sweepAt === undefined) s.sweepAt = now + rules.ttlMs;
  return slot;
}

/** Removes the series of `event`'s label set, if it exists. True when one was removed. */
export function removeSeriesOf<C>(s: Series<C>, rules: SeriesRules, event: MetricEvent): boolean {
  if (s.indexVersion !== s.index.version) privatizeIndex(s, rules);
  const slot = rules.labeller.find(s.index.lookup, event);
  if (slot === undefined || slot === REFUSED) return false;
  removeSlot(s, rules, slot);
  maybeCompact(s, rules);
  return true;
}

/**
 * Evicts the series idle for `ttlMs` or more at `now`. Returns the number evicted. Plans the next sweep:
 * at the earliest expiry of what is left, but not sooner than `ttlMs / 8` from now (a sweep costs one
 * pass over the series).
 */
export function sweepExpired<C>(s: Series<C>, rules: SeriesRules, now: number): number {
  const ttl = rules.ttlMs;
  if (ttl === undefined || s.times === null) return 0;
  if (s.indexVersion !== s.index.version) privatizeIndex(s, rules);
  const expired: number[] = [];
  let oldest = Infinity;
  vectorForEach<number>(s.times, (slot, t) => {
    if (vectorGet(s.cells, slot) === undefined) return;
    if (now - t >= ttl) expired.push(slot);
    else if (t < oldest) oldest = t;
  });
  for (const slot of expired) removeSlot(s, rules, slot);
  if (expired.length > 0) maybeCompact(s, rules);
  s.sweepAt = s.live === 0 ? undefined : Math.max(oldest + ttl, now + Math.max(1, ttl / 8));
  return expired.length;
}

/**
 * Lists the live series sorted by labels, then the overflow series, as `entry(labels, cell)` frozen by
 * `freeze` (deeply by default; `Object.freeze` suffices for entries of frozen labels and numbers), in a
 * frozen array. Entries of series that did not change since the last listing are reused:
 * a series is unchanged when its cell is the same value (or object) with the same `stamp` (a cell that
 * is mutated in place must change its stamp, e.g. its count), so a snapshot of many series costs one
 * pass over them plus the entries of the series that changed.
 */
export function listSeries<C, R extends object>(
  s: Series<C>,
  entry: (labels: SeriesLabels, cell: C) => R,
  stamp: (cell: C) => unknown = (cell) => cell,
  freeze: (entry: R) => R = deepFreeze,
): readonly R[] {
  const out: R[] = [];
  const index = s.index;
  const cache = (index.entries ??= []) as ({ cell: C; stamp: unknown; entry: R } | undefined)[];
  for (const slot of sortedSlots(index)) {
    if (slot >= s.size) continue;
    const cell = vectorGet<C>(s.cells, slot);
    if (cell === undefined) continue;
    const st = stamp(cell);
    const cached = cache[slot];
    if (cached !== undefined && cached.cell === cell && cached.stamp === st) {
      out.push(cached.entry);
      continue;
    }
    const made = freeze(entry(index.labels[slot] as SeriesLabels, cell));
    cache[slot] = { cell, stamp: st, entry: made };
    out.push(made);
  }
  if (s.overflowCell !== undefined) out.push(freeze(entry(OVERFLOW_LABELS, s.overflowCell)));
  return Object.freeze(out);
}

/** Every live cell, then the overflow cell (for aggregates). */
export function forEachCell<C>(s: Series<C>, fn: (cell: C) => void): void {
  vectorForEach<C>(s.cells, (slot, cell) => {
    if (slot < s.size) fn(cell);
  });
  if (s.overflowCell !== undefined) fn(s.overflowCell);
}

/** The labels of the overflow series. */
export const OVERFLOW_LABELS: SeriesLabels = Object.freeze({ mvx_overflow: 'true' });

// ---------------------------------------------------------------- internals

function newIndex(): SeriesIndex {
  return { version: 0, lookup: new Map(), labels: [], sorted: undefined };
}

function removeSlot<C>(s: Series<C>, rules: SeriesRules, slot: number): void {
  const index = s.index;
  rules.labeller.remove(index.lookup, index.labels[slot] as SeriesLabels);
  s.indexVersion = ++index.version;
  vectorSet(s.cells, slot, undefined, s.o);
  s.live--;
  s.evicted++;
}

/** Rebuilds a private index from this state's own live slots (its shared index moved on). */
function privatizeIndex<C>(s: Series<C>, rules: SeriesRules): void {
  const shared = s.index;
  const index = newIndex();
  for (let slot = 0; slot < s.size; slot++) {
    const labels = shared.labels[slot] as SeriesLabels;
    index.labels[slot] = labels;
    if (vectorGet(s.cells, slot) !== undefined) rules.labeller.insert(index.lookup, labels, slot);
  }
  s.index = index;
  s.indexVersion = index.version;
}

/** Renumbers live slots densely once removed slots outnumber live ones (bounded memory under churn). */
function maybeCompact<C>(s: Series<C>, rules: SeriesRules): void {
  const dead = s.size - s.live;
  if (dead <= 64 || dead <= s.live) return;
  const old = s.index;
  const index = newIndex();
  const cells = emptyVector(s.o);
  const times = s.times === null ? null : emptyVector(s.o);
  let next = 0;
  for (let slot = 0; slot < s.size; slot++) {
    const cell = vectorGet<C>(s.cells, slot);
    if (cell === undefined) continue;
    const labels = old.labels[slot] as SeriesLabels;
    index.labels[next] = labels;
    rules.labeller.insert(index.lookup, labels, next);
    vectorSet(cells, next, cell, s.o);
    if (times !== null && s.times !== null) vectorSet(times, next, vectorGet(s.times, slot), s.o);
    next++;
  }
  s.index = index;
  s.indexVersion = index.version;
  s.cells = cells;
  s.times = times;
  s.size = next;
}

function sortedSlots(index: SeriesIndex): readonly number[] {
  const cached = index.sorted;
  if (cached !== undefined && cached.version === index.version) return cached.slots;
  const slots: number[] = [];
  for (let slot = 0; slot < index.labels.length; slot++) slots.push(slot);
  const labels = index.labels;
  slots.sort((a, b) => compareLabels(labels[a] as SeriesLabels, labels[b] as SeriesLabels) || a - b);
  index.sorted = { version: index.version, slots };
  return slots;
}
