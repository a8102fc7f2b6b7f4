/**
 * A sliding window as a ring of sub-windows (like prom-client's `maxAgeSeconds` / `ageBuckets`): time is
 * cut into spans of `span` ms; sub-window `k` holds what was observed during `[k * span, (k + 1) * span)`
 * and counts while it is one of the `size` newest spans. Copy-on-write like the states that hold it.
 * (Internal to the kinds: not exported from the package entry points.)
 */

/** One sub-window: its span index and the kind's cell. */
export interface SubWindow<C> {
  readonly k: number;
  readonly cell: C;
}

/** The ring (owned by a state: `o` is the state's token; `slots` is copied before a foreign write). */
export interface WindowRing<C> {
  o: number;
  /** Owner of `slots`. */
  so: number;
  slots: (SubWindow<C> | undefined)[];
  /** The latest time seen (events and refreshes): the window ends here. */
  asOf: number;
}

/** Geometry of a window. */
export interface WindowShape {
  readonly windowMs: number;
  /** Number of sub-windows. */
  readonly size: number;
  /** Length of one sub-window, in ms (`windowMs / size`). */
  readonly span: number;
}

/** The shape of a `windowMs` window cut into `size` sub-windows. */
export function windowShape(windowMs: number, size: number): WindowShape {
  return { windowMs, size, span: windowMs / size };
}

/** An empty ring owned by `owner`. */
export function emptyRing<C>(owner: number, shape: WindowShape): WindowRing<C> {
  return {
    o: owner,
    so: owner,
    slots: new Array<SubWindow<C> | undefined>(shape.size).fill(undefined),
    asOf: -Infinity,
  };
}

/** A copy-on-write copy of the ring owned by `owner`. */
export function forkRing<C>(ring: WindowRing<C>, owner: number): WindowRing<C> {
  return { o: owner, so: ring.so, slots: ring.slots, asOf: ring.asOf };
}

function ownSlots<C>(ring: WindowRing<C>): (SubWindow<C> | undefined)[] {
  if (ring.so !== ring.o) {
    ring.slots = ring.slots.slice();
    ring.so = ring.o;
  }
  return ring.slots;
}

/**
 * The cell of the newest sub-window at `now`, for writing: `fresh()` when that sub-window is new, a copy
 * (`clone`) when the cell is foreign, else the cell itself. Advances `asOf`. The window's clock never goes
 * back: a `now` before `asOf` (a wall clock set back) writes into the newest sub-window, never into an
 * older one (whose slot may hold a newer sub-window).
 */
export function currentCell<C extends { o: number }>(
  ring: WindowRing<C>,
  shape: WindowShape,
  now: number,
  fresh: (owner: number) => C,
  clone: (cell: C, owner: number) => C,
): C {
  if (now > ring.asOf) ring.asOf = now;
  const k = Math.floor(ring.asOf / shape.span);
  const i = ((k % shape.size) + shape.size) % shape.size;
  const slot = ring.slots[i];
  if (slot !== undefined && slot.k === k) {
    if (slot.cell.o === ring.o) return slot.cell;
    const cell = clone(slot.cell, ring.o);
    ownSlots(ring)[i] = { k, cell };
    return cell;
  }
  const cell = fresh(ring.o);
  ownSlots(ring)[i] = { k, cell };
  return cell;
}

/** The cell {@link currentCell} would write at `now`, if it exists (read-only). */
export function peekCell<C>(ring: WindowRing<C>, shape: WindowShape, now: number): C | undefined {
  const k = Math.floor(Math.max(now, ring.asOf) / shape.span);
  const slot = ring.slots[((k % shape.size) + shape.size) % shape.size];
  return slot !== undefined && slot.k === k ? slot.cell : undefined;
}

/**
 * Calls `fn` for the cells of the sub-windows inside the window ending at `asOf`, newest first (the order
 * sums over the window are taken in, which {@link windowSumsStayFinite} relies on).
 */
export function forEachInWindow<C>(
  ring: WindowRing<C>,
  shape: WindowShape,
  fn: (cell: C, k: number) => void,
): void {
  if (ring.asOf === -Infinity) return;
  const newest = Math.floor(ring.asOf / shape.span);
  const size = shape.size;
  for (let k = newest; k > newest - size; k--) {
    const slot = ring.slots[((k % size) + size) % size];
    if (slot !== undefined && slot.k === k) fn(slot.cell, k);
  }
}

/**
 * True when adding `v` to the sub-window {@link currentCell} writes at `now` keeps finite every sum of the
 * window it can report from now on: the sums over the newest sub-windows, taken newest first as
 * {@link forEachInWindow} does (as time passes the oldest leave, so a later window is a prefix of these).
 * O(sub-windows); callers skip it when no sum can come near overflowing.
 */
export function windowSumsStayFinite<C>(
  ring: WindowRing<C>,
  shape: WindowShape,
  now: number,
  v: number,
  sumOf: (cell: C) => number,
): boolean {
  const newest = Math.floor(Math.max(now, ring.asOf) / shape.span);
  const size = shape.size;
  let total = 0;
  for (let k = newest; k > newest - size; k--) {
    const slot = ring.slots[((k % size) + size) % size];
    const sum = slot !== undefined && slot.k === k ? sumOf(slot.cell) : 0;
    total += k === newest ? sum + v : sum;
    if (!Number.isFinite(total)) return false;
  }
  return true;
}

/** Moves the window's end to `now`, dropping expired sub-windows. True when something was dropped. */
export function advanceRing<C>(ring: WindowRing<C>, shape: WindowShape, now: number): boolean {
  if (now > ring.asOf) ring.asOf = now;
  const newest = Math.floor(ring.asOf / shape.span);
  let dropped = false;
  for (let i = 0; i < ring.slots.length; i++) {
    const slot = ring.slots[i];
    if (slot !== undefined && slot.k <= newest - shape.size) {
      ownSlots(ring)[i] = undefined;
      dropped = true;
    }
  }
  return dropped;
}

/** When the oldest sub-window still in the window leaves it, or undefined when the window is empty. */
export function ringExpiry<C>(ring: WindowRing<C>, shape: WindowShape): number | undefined {
  let oldest: number | undefined;
  for (const slot of ring.slots) {
    if (slot !== undefined && (oldest === undefined || slot.k < oldest)) oldest = slot.k;
  }
  if (oldest === undefined) return undefined;
  // The first time whose span index is past the oldest sub-window's last: `k * span` may round to just
  // below it (span = 1000 / 3), and a refresh then would drop nothing and plan no other.
  const k = oldest + shape.size;
  let t = k * shape.span;
  while (Math.floor(t / shape.span) < k) t += Math.max(Math.abs(t) * Number.EPSILON, Number.MIN_VALUE);
  return t;
}
