import type { MetricEvent } from '../event.js';
import { buildSnapshot, type AnyMetric, type MetricContext } from '../metric.js';
import type { MetricSnapshot, MetricSnapshots } from '../snapshot.js';

/** What the table reports back to its recorder while dispatching. @internal */
export interface DispatchListener {
  /** A metric (or the change hook) threw. Returns true when dispatch must stop (recorder failed). */
  metricFailed(metric: AnyMetric, cause: unknown): boolean;
  /** A metric's state changed; called only when `observeChanges` is set for the batch. */
  metricChanged(metric: AnyMetric, event: MetricEvent, state: unknown): boolean;
}

/**
 * The registered metrics and their states, in slot (registration) order. Dispatches events and
 * rebuilds the snapshots of the metrics a batch changed.
 * @internal
 */
export class MetricTable {
  private readonly metrics: AnyMetric[] = [];
  private readonly states: unknown[] = [];
  private readonly snapshots: MetricSnapshot[] = [];
  private readonly dirty: boolean[] = [];
  private readonly slots = new Map<string, number>();
  private anyDirty = false;
  private published: MetricSnapshots = Object.freeze({});

  /** When set, `metricChanged` is called for every change (hook or `changes$` subscribers present). */
  observeChanges = false;

  constructor(private readonly listener: DispatchListener) {}

  /** Registered metrics, in slot order. */
  list(): readonly AnyMetric[] {
    return Object.freeze(this.metrics.slice());
  }

  /** The latest published snapshots (frozen; a new object after each change). */
  current(): MetricSnapshots {
    return this.published;
  }

  /**
   * Adds `metric`, or replaces the metric of the same name in its slot. Builds its initial snapshot
   * first, so a metric whose `init`/`dimensions` throws is not registered (the error propagates).
   */
  register(metric: AnyMetric): void {
    const state = metric.init();
    const snapshot = buildSnapshot(metric, state);
    const slot = this.slots.get(metric.name);
    const index = slot ?? this.metrics.length;
    if (slot === undefined) this.slots.set(metric.name, index);
    this.metrics[index] = metric;
    this.states[index] = state;
    this.snapshots[index] = snapshot;
    this.dirty[index] = false;
    this.publish();
  }

  /** Offers `event` to every metric in slot order. Returns false when dispatch must stop. */
  dispatch(event: MetricEvent, ctx: MetricContext): boolean {
    const metrics = this.metrics;
    const states = this.states;
    for (let i = 0; i < metrics.length; i++) {
      const metric = metrics[i]!;
      const state = states[i];
      let next: unknown;
      try {
        if (!metric.accepts(event)) continue;
        next = metric.reduce(state, event, ctx);
      } catch (cause) {
        if (this.listener.metricFailed(metric, cause)) return false;
        continue;
      }
      if (next === state) continue;
      states[i] = next;
      this.dirty[i] = true;
      this.anyDirty = true;
      if (this.observeChanges && !this.listener.metricChanged(metric, event, next)) return false;
    }
    return true;
  }

  /**
   * Rebuilds the snapshots of the metrics changed since the last commit and publishes a new snapshot
   * map. Returns true when at least one snapshot changed.
   */
  commit(): boolean {
    if (!this.anyDirty) return false;
    this.anyDirty = false;
    let changed = false;
    for (let i = 0; i < this.metrics.length; i++) {
      if (!this.dirty[i]) continue;
      this.dirty[i] = false;
      const metric = this.metrics[i]!;
      try {
        this.snapshots[i] = buildSnapshot(metric, this.states[i]);
        changed = true;
      } catch (cause) {
        // The metric keeps its last good snapshot.
        this.listener.metricFailed(metric, cause);
      }
    }
    if (changed) this.publish();
    return changed;
  }

  private publish(): void {
    const map: Record<string, MetricSnapshot> = {};
    for (let i = 0; i < this.metrics.length; i++) map[this.metrics[i]!.name] = this.snapshots[i]!;
    this.published = Object.freeze(map);
  }
}
