import type { MetricEvent } from '../metrics/event.js';
import { checkMetric, type Metric } from '../metrics/metric.js';
import { typeError } from '../internal/validate.js';
import type { Dimensions } from '../metrics/snapshot.js';
import { checkArray } from '../internal/checkArray.js';

/**
 * Folds `events` through `metric` synchronously (no recorder, no scheduler) and returns the final
 * snapshot's dimensions: the shortest unit test of a reducer.
 */
export function reduceEvents<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  events: readonly (E | MetricEvent)[],
  now: number | ((index: number) => number) = 0,
): D {
  checkMetric('metric', metric);
  const list = checkArray<E | MetricEvent>('events', events);
  if (typeof now !== 'function' && (typeof now !== 'number' || !Number.isFinite(now))) {
    throw typeError('now', 'a finite number or a function of the event index', now);
  }
  let state = metric.init();
  list.forEach((event, index) => {
    if (metric.accepts(event))
      state = metric.reduce(state, event, { now: typeof now === 'number' ? now : now(index) });
  });
  return metric.dimensions(state);
}
