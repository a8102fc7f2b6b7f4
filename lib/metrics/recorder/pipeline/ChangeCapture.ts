import type { MetricEvent } from '../../event.js';
import type { AnyMetric, InPlaceUpdate, MetricContext } from '../../metric.js';
import type { MetricSnapshot } from '../../snapshot.js';
import { buildSnapshot } from '../../snapshots/buildSnapshot.js';
import type { MetricChange } from '../types.js';

/**
 * How a change of an in-place built-in metric keeps "the snapshot right after its event" without a copy
 * per change: once per batch and metric, at its first change, the state is forked (`checkpoint`, frozen
 * from then on) and the batch's events are logged. A change read while the metric has not changed again
 * builds its snapshot from the live state; a change read later replays the logged events it accepts,
 * from the checkpoint, on a private fork. Reads in order share one replay cursor, so reading every
 * change of a batch costs one replay of the batch. Built-in kinds are deterministic, which replay needs.
 * @internal
 */
export class BatchCapture {
  private cursor: unknown;
  private cursorIndex: number;

  constructor(
    private readonly metric: AnyMetric,
    private readonly inPlace: InPlaceUpdate<MetricEvent, unknown>,
    private readonly checkpoint: unknown,
    /** The batch's logged events (appended to while the batch runs). */
    private readonly log: readonly MetricEvent[],
    /** Index in `log` of the first event applied after the checkpoint. */
    private readonly from: number,
    private readonly ctx: MetricContext,
  ) {
    this.cursor = undefined;
    this.cursorIndex = from;
  }

  /** The metric's state right after the logged event at `index` (a private state, free to read). */
  stateAfter(index: number): unknown {
    if (this.cursor === undefined || index < this.cursorIndex) {
      this.cursor = this.inPlace.fork(this.checkpoint);
      this.cursorIndex = this.from;
    }
    const { metric, inPlace, log, ctx } = this;
    const state = this.cursor;
    for (let i = this.cursorIndex; i <= index; i++) {
      const event = log[i] as MetricEvent;
      try {
        if (metric.accepts(event)) inPlace.update(state, event, ctx);
      } catch {
        // It threw when it was live too (isolated; an in-place update never throws after mutating).
      }
    }
    this.cursorIndex = index + 1;
    // The cursor moves on with the next read: hand out a fork, frozen at `index`.
    const frozen = state;
    this.cursor = inPlace.fork(frozen);
    return frozen;
  }
}

/** Where a change's state comes from, for its lazy snapshot. @internal */
export interface ChangeSource {
  /** Bumped at each change and refresh of the slot: equal means the live state is still this change's. */
  version: number;
  state: unknown;
  readonly metric: AnyMetric;
}

/**
 * A change of an in-place built-in metric (see {@link BatchCapture}): its snapshot is built on first
 * read from the live state when nothing changed since, else from a replay.
 * @internal
 */
export class ReplayedMetricChange<E extends MetricEvent> implements MetricChange<E> {
  private built: MetricSnapshot | undefined;

  constructor(
    readonly metric: AnyMetric,
    readonly event: E,
    private readonly source: ChangeSource,
    private readonly version: number,
    private readonly capture: BatchCapture,
    private readonly index: number,
  ) {}

  get snapshot(): MetricSnapshot {
    if (this.built !== undefined) return this.built;
    const { source } = this;
    const state =
      source.version === this.version && source.metric === this.metric
        ? source.state
        : this.capture.stateAfter(this.index);
    return (this.built = buildSnapshot(this.metric, state));
  }

  toJSON(): { metric: string; event: E; snapshot: MetricSnapshot } {
    return { metric: this.metric.name, event: this.event, snapshot: this.snapshot };
  }
}
