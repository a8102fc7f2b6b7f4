/**
 * A copy-on-write vector over non-negative integer indexes: a 32-way trie whose nodes carry the token of
 * the state that owns them. Writing through an owner mutates owned nodes in place and copies foreign ones
 * (one node per level: up to 32 entries), so a forked-away state keeps its values while the live state
 * keeps being updated in place. Depth 1 holds 32 entries, 2 holds 1,024, 3 holds 32,768.
 * (Internal to the kinds: not exported from the package entry points.)
 */

/** A trie node: its owner token and up to 32 children or values. */
export interface VectorNode {
  o: number;
  readonly a: unknown[];
}

/** The mutable holder of a vector (a field group inside a state). */
export interface CowVector {
  root: VectorNode;
  /** Shift of the top level (0: the root holds values). */
  shift: number;
}

/** An empty vector owned by `owner`. */
export function emptyVector(owner: number): CowVector {
  return { root: { o: owner, a: [] }, shift: 0 };
}

/** A shallow copy of a vector holder (shares every node). */
export function shareVector(v: CowVector): CowVector {
  return { root: v.root, shift: v.shift };
}

/** The value at `i`, or `undefined`. */
export function vectorGet<T>(v: CowVector, i: number): T | undefined {
  if (i >>> v.shift > 31) return undefined; // beyond the trie's capacity
  let node: VectorNode | undefined = v.root;
  for (let s = v.shift; s > 0; s -= 5) {
    node = node.a[(i >>> s) & 31] as VectorNode | undefined;
    if (node === undefined) return undefined;
  }
  return node.a[i & 31] as T | undefined;
}

/** Sets the value at `i` (below 2^30), copying foreign nodes on the way. */
export function vectorSet(v: CowVector, i: number, value: unknown, owner: number): void {
  while (i >>> v.shift > 31) {
    v.root = { o: owner, a: [v.root] };
    v.shift += 5;
  }
  let node = v.root;
  if (node.o !== owner) {
    node = { o: owner, a: node.a.slice() };
    v.root = node;
  }
  for (let s = v.shift; s > 0; s -= 5) {
    const j = (i >>> s) & 31;
    let child = node.a[j] as VectorNode | undefined;
    if (child === undefined) {
      child = { o: owner, a: [] };
      node.a[j] = child;
    } else if (child.o !== owner) {
      child = { o: owner, a: child.a.slice() };
      node.a[j] = child;
    }
    node = child;
  }
  node.a[i & 31] = value;
}

/** Calls `fn(index, value)` for every defined value, in ascending index order. */
export function vectorForEach<T>(v: CowVector, fn: (index: number, value: T) => void): void {
  walk(v.root, v.shift, 0, fn as (index: number, value: unknown) => void);
}

function walk(
  node: VectorNode,
  shift: number,
  base: number,
  fn: (index: number, value: unknown) => void,
): void {
  const a = node.a;
  for (let j = 0; j < a.length; j++) {
    const child = a[j];
    if (child === undefined) continue;
    if (shift === 0) fn(base + j, child);
    else walk(child as VectorNode, shift - 5, base + j * 2 ** shift, fn);
  }
}
