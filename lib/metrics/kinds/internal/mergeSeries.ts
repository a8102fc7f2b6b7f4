/**
 * Merging of the labelled series of two snapshots (`mergeSnapshots`): series are matched by their label
 * sets, merged with the kind's rule, and sorted like a recorder's snapshot (the overflow series last).
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { SeriesLabels } from '../types.js';
import { canonicalKey, compareLabels } from './labels.js';

const isOverflow = (labels: SeriesLabels): boolean =>
  Object.keys(labels).length === 1 && labels['mvx_overflow'] === 'true';

/** Merges two series lists by label set with `merge`, sorted by labels, the overflow series last. */
export function mergeSeriesLists<R extends { readonly labels: SeriesLabels }>(
  a: readonly R[],
  b: readonly R[],
  merge: (x: R, y: R) => R,
): R[] {
  const byKey = new Map<string, R>();
  let overflow: R | undefined;
  for (const r of [...a, ...b]) {
    if (isOverflow(r.labels)) {
      overflow = overflow === undefined ? r : merge(overflow, r);
      continue;
    }
    const key = canonicalKey(r.labels);
    const prev = byKey.get(key);
    byKey.set(key, prev === undefined ? r : merge(prev, r));
  }
  const out = [...byKey.values()].sort((x, y) => compareLabels(x.labels, y.labels));
  if (overflow !== undefined) out.push(overflow);
  return out;
}
