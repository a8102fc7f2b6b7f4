import type { MetricEvent } from '../event.js';
import { buildSnapshot, type AnyMetric } from '../metric.js';
import type { MetricSnapshot } from '../snapshot.js';
import type { MetricChange } from './types.js';

/**
 * A change whose snapshot is built on first read from the state captured at the change (states are
 * immutable by the `reduce` contract), so subscribers that ignore it cost no snapshot.
 * @internal
 */
export class LazyMetricChange<E extends MetricEvent> implements MetricChange<E> {
  private built: MetricSnapshot | undefined;

  constructor(
    readonly metric: AnyMetric,
    readonly event: E,
    private readonly state: unknown,
  ) {}

  get snapshot(): MetricSnapshot {
    return (this.built ??= buildSnapshot(this.metric, this.state));
  }

  toJSON(): { metric: string; event: E; snapshot: MetricSnapshot } {
    return { metric: this.metric.name, event: this.event, snapshot: this.snapshot };
  }
}
