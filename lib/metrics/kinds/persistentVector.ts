/**
 * A tiny persistent (path-copying) 32-way trie over non-negative integer indices.
 *
 * Updating copies one node per level (depth 1 up to 32 entries, 2 up to 1,024, 3 up to 32,768), so an
 * old root keeps showing the old values: states returned by reducers can be snapshotted lazily.
 * @internal
 */

/** A trie node. @internal */
export type PNode = readonly unknown[];

/** A persistent vector: root node and the shift of its top level. @internal */
export interface PVec {
  readonly root: PNode;
  readonly shift: number;
}

/** The empty vector. @internal */
export const EMPTY_PVEC: PVec = Object.freeze({ root: Object.freeze([]) as PNode, shift: 0 });

/** The value at `i`, or `undefined`. @internal */
export function pvGet<T>(vec: PVec, i: number): T | undefined {
  let node: PNode | undefined = vec.root;
  for (let s = vec.shift; s > 0; s -= 5) {
    node = node[(i >>> s) & 31] as PNode | undefined;
    if (node === undefined) return undefined;
  }
  return node[i & 31] as T | undefined;
}

function setIn(node: PNode, shift: number, i: number, value: unknown): PNode {
  const copy = node.slice();
  if (shift === 0) {
    copy[i & 31] = value;
  } else {
    const j = (i >>> shift) & 31;
    copy[j] = setIn((node[j] as PNode | undefined) ?? [], shift - 5, i, value);
  }
  return copy;
}

/** A new vector with `value` at `i` (`i` below 2^30). @internal */
export function pvSet(vec: PVec, i: number, value: unknown): PVec {
  let root = vec.root;
  let shift = vec.shift;
  while (i >>> shift > 31) {
    root = [root];
    shift += 5;
  }
  return { root: setIn(root, shift, i, value), shift };
}

/** Calls `fn(index, value)` for every defined value, in ascending index order. @internal */
export function pvForEach<T>(vec: PVec, fn: (index: number, value: T) => void): void {
  const walk = (node: PNode, shift: number, base: number): void => {
    for (let j = 0; j < node.length; j++) {
      const child = node[j];
      if (child === undefined) continue;
      if (shift === 0) fn(base + j, child as T);
      else walk(child as PNode, shift - 5, base + j * 2 ** shift);
    }
  };
  walk(vec.root, vec.shift, 0);
}

/** The value at `i` of the trie `root` whose top level has `shift` (no wrapper object). @internal */
export function nodeGet<T>(root: PNode, shift: number, i: number): T | undefined {
  if (shift === 0) return root[i] as T | undefined;
  let node: PNode | undefined = root;
  for (let s = shift; s > 0; s -= 5) {
    node = node[(i >>> s) & 31] as PNode | undefined;
    if (node === undefined) return undefined;
  }
  return node[i & 31] as T | undefined;
}

/**
 * A new root with `value` at `i` (`i >>> shift` below 32: grow the root with {@link growRoot} first).
 * One copied node per level; a single-level trie costs one array copy.
 * @internal
 */
export function nodeSet(root: PNode, shift: number, i: number, value: unknown): PNode {
  if (shift === 0) {
    const copy = root.slice();
    copy[i] = value;
    return copy;
  }
  return setIn(root, shift, i, value);
}

/** The shift a trie needs to hold index `i`, starting from `shift`. @internal */
export function shiftFor(shift: number, i: number): number {
  while (i >>> shift > 31) shift += 5;
  return shift;
}

/** `root` (of top level `shift`) wrapped into a trie of top level `to` (`to >= shift`). @internal */
export function growRoot(root: PNode, shift: number, to: number): PNode {
  for (let s = shift; s < to; s += 5) root = [root];
  return root;
}
