import type { MetricEvent } from '../../event.js';
import type { AnyMetric } from '../../metric.js';
import type { MetricSnapshot } from '../../snapshot.js';
import { buildSnapshot } from '../../snapshots/buildSnapshot.js';
import type { MetricChange } from '../types.js';

/**
 * A change whose snapshot is built on first read from the state captured at the change: a pure
 * metric's returned state (immutable by the `reduce` contract), or an in-place metric's state right
 * after the event, which the dispatch forked away from before the next update. Subscribers that ignore
 * the snapshot cost no snapshot.
 * @internal
 */
export class LazyMetricChange implements MetricChange {
  private built: MetricSnapshot | undefined;

  constructor(
    readonly metric: AnyMetric,
    readonly event: MetricEvent,
    private readonly state: unknown,
  ) {}

  /** The metric's snapshot right after the event (deeply frozen). Throws when the metric's `dimensions` does. */
  get snapshot(): MetricSnapshot {
    return (this.built ??= buildSnapshot(this.metric, this.state));
  }

  toJSON(): { metric: string; event: MetricEvent; snapshot: MetricSnapshot } {
    return { metric: this.metric.name, event: this.event, snapshot: this.snapshot };
  }
}
