import { map, type OperatorFunction } from 'rxjs';
import type { Dimensions, MetricSnapshot } from '../metrics/snapshot.js';

/** Maps snapshots to their dimensions: marble expectations stay short. */
export function dimensionsOf<D extends Dimensions>(): OperatorFunction<MetricSnapshot<D>, D> {
  return map((snapshot) => snapshot.dimensions);
}
