import { setOwn } from '../../internal/ownProperty.js';
import type { MetricSnapshot, MetricSnapshots } from '../snapshot.js';

/**
 * A frozen snapshot map keyed by metric name, in the given order; safe for any name (`__proto__`,
 * `constructor`, ...).
 * @internal
 */
export function snapshotMap(snapshots: readonly MetricSnapshot[]): MetricSnapshots {
  const map: Record<string, MetricSnapshot> = {};
  for (const s of snapshots) setOwn(map, s.name, s);
  return Object.freeze(map);
}

/** The empty snapshot map. @internal */
export const EMPTY_SNAPSHOTS: MetricSnapshots = Object.freeze({});
