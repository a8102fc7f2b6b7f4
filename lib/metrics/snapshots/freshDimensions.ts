import type { AnyMetric } from '../metric.js';

/**
 * Metrics whose `dimensions(state)` returns a freshly built, JSON-safe tree on every call (the built-in
 * kinds). Their snapshots are frozen in place; every other metric's dimensions are copied and checked.
 * A WeakSet, so user code cannot mark a metric by adding a property.
 */
const fresh = new WeakSet<object>();

/** Marks a built-in metric (called by the kind factories). @internal */
export function markFreshDimensions<M extends object>(metric: M): M {
  fresh.add(metric);
  return metric;
}

/** True for a metric marked by {@link markFreshDimensions}. @internal */
export function hasFreshDimensions(metric: AnyMetric): boolean {
  return fresh.has(metric);
}
