import type { MetricEvent } from '../../../lib/metrics/event.js';
import type { Metric } from '../../../lib/metrics/metric.js';
import { buildSnapshot } from '../../../lib/metrics/snapshots/buildSnapshot.js';
import type { Dimensions, MetricSnapshot } from '../../../lib/metrics/snapshot.js';

/** Folds events through a metric like the recorder does; `now` defaults to the event index. */
export function fold<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  events: readonly MetricEvent[],
  now: (i: number) => number = (i) => i,
  state: S = metric.init(),
): S {
  events.forEach((e, i) => {
    if (metric.accepts(e)) state = metric.reduce(state, e, { now: now(i) });
  });
  return state;
}

export function dims<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  events: readonly MetricEvent[],
  now?: (i: number) => number,
): D {
  return metric.dimensions(fold(metric, events, now));
}

export function snap<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  events: readonly MetricEvent[],
  now?: (i: number) => number,
): MetricSnapshot<D> {
  return buildSnapshot(metric as Metric<never, unknown, D>, fold(metric, events, now));
}
