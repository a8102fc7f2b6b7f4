/**
 * Persistent labelled series: one cell per label set, a series cap and an overflow series.
 * @internal
 */
import type { MetricEvent } from '../event.js';
import { canonicalKey, type Labeller } from './internals.js';
import { EMPTY_PVEC, pvGet, pvSet, type PVec } from './persistentVector.js';
import { OVERFLOW_LABELS, type SeriesLabels } from './types.js';

interface LabelIndex {
  /** Series key to slot; entries at or above a store's `size` belong to another branch. */
  readonly slots: Map<string, number>;
  /** Labels and sort key per slot (append-only). */
  readonly labels: { readonly labels: SeriesLabels; readonly sortKey: string }[];
}

/**
 * The opaque, persistent series part of a labelled metric's state.
 *
 * ## Example
 * ```ts
 * // Held inside CounterState.series; not meant to be read directly: use `metric.dimensions(state)`.
 * ```
 */
export interface SeriesStore<C> {
  /** Number of label sets (excluding the overflow series). */
  readonly size: number;
  /** @internal */
  readonly cells: PVec;
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
    cells: EMPTY_PVEC,
    index: { slots: new Map(), labels: [] },
    overflowCell: undefined,
    overflow: 0,
  };
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
  const key = labeller.key(event);
  const slot = store.index.slots.get(key);
  if (slot !== undefined && slot < store.size) {
    const cell = pvGet<C>(store.cells, slot);
    const next = update(cell, value, now);
    if (next === cell) return store;
    return {
      size: store.size,
      cells: pvSet(store.cells, slot, next),
      index: store.index,
      overflowCell: store.overflowCell,
      overflow: store.overflow,
    };
  }
  if (store.size >= labeller.maxSeries) {
    const next = update(store.overflowCell, value, now);
    return {
      size: store.size,
      cells: store.cells,
      index: store.index,
      overflowCell: next,
      overflow: store.overflow + 1,
    };
  }
  let index = store.index;
  // Another state derived from the same parent already appended: branch off a private copy.
  if (index.labels.length !== store.size) {
    const labels = index.labels.slice(0, store.size);
    const slots = new Map<string, number>();
    for (const [k, s] of index.slots) if (s < store.size) slots.set(k, s);
    index = { slots, labels };
  }
  const labels = Object.freeze(labeller.labels(event));
  index.slots.set(key, store.size);
  index.labels.push({ labels, sortKey: canonicalKey(labels) });
  return {
    size: store.size + 1,
    cells: pvSet(store.cells, store.size, update(undefined, value, now)),
    index,
    overflowCell: store.overflowCell,
    overflow: store.overflow,
  };
}

/** Lists series as fresh entries, sorted by their labels, the overflow series last. @internal */
export function listSeries<C, R>(store: SeriesStore<C>, entry: (labels: SeriesLabels, cell: C) => R): R[] {
  const order: { sortKey: string; slot: number }[] = [];
  for (let slot = 0; slot < store.size; slot++) {
    const meta = store.index.labels[slot];
    if (meta !== undefined) order.push({ sortKey: meta.sortKey, slot });
  }
  order.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const out: R[] = [];
  for (const { slot } of order) {
    const meta = store.index.labels[slot];
    const cell = pvGet<C>(store.cells, slot);
    if (meta !== undefined && cell !== undefined) out.push(entry({ ...meta.labels }, cell));
  }
  if (store.overflowCell !== undefined) out.push(entry({ ...OVERFLOW_LABELS }, store.overflowCell));
  return out;
}

/** Every cell of the store, overflow included (for aggregates). @internal */
export function allCells<C>(store: SeriesStore<C>): C[] {
  const out: C[] = [];
  for (let slot = 0; slot < store.size; slot++) {
    const cell = pvGet<C>(store.cells, slot);
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
