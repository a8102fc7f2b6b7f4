/**
 * Persistent labelled series: one cell per label set, a series cap and an overflow series.
 * @internal
 */
import type { MetricEvent } from '../event.js';
import { canonicalKey, insertPath, type LabelLookup, type Labeller } from './internals.js';
import { growRoot, nodeGet, nodeSet, shiftFor, type PNode } from './persistentVector.js';
import { OVERFLOW_LABELS, type SeriesLabels } from './types.js';

/** What is known of one slot's label set (append-only). */
interface SlotMeta {
  readonly labels: SeriesLabels;
  readonly sortKey: string;
  readonly path: readonly string[];
}

interface LabelIndex {
  /** Nested lookup (label values to slot); slots at or above a store's `size` belong to another branch. */
  readonly lookup: LabelLookup;
  /** Labels, sort key and lookup path per slot (append-only). */
  readonly slots: SlotMeta[];
}

const EMPTY_ROOT: PNode = Object.freeze([]) as PNode;

/**
 * The opaque, persistent series part of a labelled metric's state.
 *
 * Cells live in a path-copying 32-way trie (`root`/`shift`): updating one series copies one node per
 * level (a single array up to 32 series). The label index is shared between states and append-only, so
 * it costs nothing per event; a state that appends after another state derived from the same parent did
 * so first branches off a private copy.
 *
 * ## Example
 * ```ts
 * // Held inside CounterState.series; not meant to be read directly: use `metric.dimensions(state)`.
 * ```
 */
export interface SeriesStore<C> {
  /** Number of label sets (excluding the overflow series). */
  readonly size: number;
  /** @internal trie of cells by slot */
  readonly root: PNode;
  /** @internal shift of the trie's top level */
  readonly shift: number;
  /** @internal */
  readonly index: LabelIndex;
  /** The overflow series' cell, once anything folded. */
  readonly overflowCell: C | undefined;
  /** Events folded into the overflow series. */
  readonly overflow: number;
  /** @internal phantom */
  readonly _cell?: C;
}

/** An empty store. @internal */
export function emptySeries<C>(): SeriesStore<C> {
  return {
    size: 0,
    root: EMPTY_ROOT,
    shift: 0,
    index: { lookup: new Map(), slots: [] },
    overflowCell: undefined,
    overflow: 0,
  };
}

/** The cell of `slot` (below `store.size`). @internal */
export function cellAt<C>(store: SeriesStore<C>, slot: number): C | undefined {
  return nodeGet<C>(store.root, store.shift, slot);
}

/** Updates a cell; returning the same cell means "no change". @internal */
export type CellUpdate<C> = (cell: C | undefined, value: number, now: number) => C;

/** Routes one event to its series (new, existing or overflow) and applies `update`. @internal */
export function updateSeries<C>(
  store: SeriesStore<C>,
  labeller: Labeller,
  event: MetricEvent,
  value: number,
  now: number,
  update: CellUpdate<C>,
): SeriesStore<C> {
  const size = store.size;
  const slot = labeller.find(store.index.lookup, event);
  if (slot !== undefined && slot < size) {
    const cell = nodeGet<C>(store.root, store.shift, slot);
    const next = update(cell, value, now);
    if (next === cell) return store;
    return {
      size,
      root: nodeSet(store.root, store.shift, slot, next),
      shift: store.shift,
      index: store.index,
      overflowCell: store.overflowCell,
      overflow: store.overflow,
    };
  }
  if (size >= labeller.maxSeries) {
    const next = update(store.overflowCell, value, now);
    return {
      size,
      root: store.root,
      shift: store.shift,
      index: store.index,
      overflowCell: next,
      overflow: store.overflow + 1,
    };
  }
  let index = store.index;
  // Another state derived from the same parent already appended: branch off a private copy.
  if (index.slots.length !== size) {
    const slots = index.slots.slice(0, size);
    const lookup: LabelLookup = new Map();
    for (let s = 0; s < size; s++) insertPath(lookup, (slots[s] as SlotMeta).path, s);
    index = { lookup, slots };
  }
  const labels = Object.freeze(labeller.labels(event));
  const path = Object.freeze(labeller.path(event).slice());
  insertPath(index.lookup, path, size);
  index.slots.push({ labels, sortKey: canonicalKey(labels), path });
  const shift = shiftFor(store.shift, size);
  return {
    size: size + 1,
    root: nodeSet(growRoot(store.root, store.shift, shift), shift, size, update(undefined, value, now)),
    shift,
    index,
    overflowCell: store.overflowCell,
    overflow: store.overflow,
  };
}

/** Lists series as fresh entries, sorted by their labels, the overflow series last. @internal */
export function listSeries<C, R>(store: SeriesStore<C>, entry: (labels: SeriesLabels, cell: C) => R): R[] {
  const order: { sortKey: string; slot: number }[] = [];
  for (let slot = 0; slot < store.size; slot++) {
    const meta = store.index.slots[slot];
    if (meta !== undefined) order.push({ sortKey: meta.sortKey, slot });
  }
  order.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const out: R[] = [];
  for (const { slot } of order) {
    const meta = store.index.slots[slot];
    const cell = cellAt(store, slot);
    if (meta !== undefined && cell !== undefined) out.push(entry({ ...meta.labels }, cell));
  }
  if (store.overflowCell !== undefined) out.push(entry({ ...OVERFLOW_LABELS }, store.overflowCell));
  return out;
}

/** Every cell of the store, overflow included (for aggregates). @internal */
export function allCells<C>(store: SeriesStore<C>): C[] {
  const out: C[] = [];
  for (let slot = 0; slot < store.size; slot++) {
    const cell = cellAt(store, slot);
    if (cell !== undefined) out.push(cell);
  }
  if (store.overflowCell !== undefined) out.push(store.overflowCell);
  return out;
}

/**
 * Merges two series lists by label set (for `mergeSnapshots`), sorted like {@link listSeries}.
 * @internal
 */
export function mergeSeriesLists<R extends { readonly labels: SeriesLabels }>(
  a: readonly R[],
  b: readonly R[],
  merge: (x: R, y: R) => R,
): R[] {
  const byKey = new Map<string, R>();
  const isOverflow = (r: R): boolean =>
    r.labels['mvx_overflow'] === 'true' && Object.keys(r.labels).length === 1;
  for (const r of [...a, ...b]) {
    const key = isOverflow(r) ? '\uffff' : canonicalKey(r.labels);
    const prev = byKey.get(key);
    byKey.set(key, prev === undefined ? r : merge(prev, r));
  }
  return [...byKey.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, r]) => ({ ...r, labels: { ...r.labels } }));
}
