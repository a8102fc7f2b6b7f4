import type { AnyMetric } from '../metric.js';
import type { Dimensions, MetricSnapshot } from '../snapshot.js';
import { hasFreshDimensions } from './freshDimensions.js';
import { copyJsonSafe, deepFreeze, UnsafeDimensionError } from './jsonSafe.js';

type SnapshotFields = Pick<AnyMetric, 'name' | 'kind' | 'description' | 'unit'>;

/**
 * The immutable snapshot of `metric` for `state`: `dimensions(state)` deeply frozen and JSON-safe. The
 * built-in kinds' fresh dimensions are frozen in place; anything else is copied (so a metric that returns
 * its own state can never be corrupted by a reader) and checked (a value that is not JSON-safe throws
 * `UnsafeDimensionError`, which the recorder treats as a failure of the metric).
 * @internal
 */
export function buildSnapshot<D extends Dimensions>(metric: AnyMetric, state: unknown): MetricSnapshot<D> {
  const raw = metric.dimensions(state);
  let dimensions: D;
  if (hasFreshDimensions(metric)) {
    dimensions = deepFreeze(raw) as D;
  } else {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new UnsafeDimensionError(
        'dimensions',
        raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`,
      );
    }
    dimensions = copyJsonSafe(raw) as D;
  }
  return snapshotWith(metric, dimensions);
}

/** A frozen snapshot of `metric` with the given (already frozen) dimensions. @internal */
export function snapshotWith<D extends Dimensions>(metric: SnapshotFields, dimensions: D): MetricSnapshot<D> {
  const snapshot: { -readonly [K in keyof MetricSnapshot<D>]: MetricSnapshot<D>[K] } = {
    name: metric.name,
    kind: metric.kind,
    dimensions,
  };
  if (metric.description !== undefined) snapshot.description = metric.description;
  if (metric.unit !== undefined) snapshot.unit = metric.unit;
  return Object.freeze(snapshot);
}
