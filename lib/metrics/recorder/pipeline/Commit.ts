import type { MetricSnapshot, MetricSnapshots } from '../../snapshot.js';
import { buildSnapshot } from '../../snapshots/buildSnapshot.js';
import { hasFreshDimensions } from '../../snapshots/freshDimensions.js';
import { EMPTY_SNAPSHOTS, snapshotMap } from '../../snapshots/snapshotMap.js';
import type { Dispatch, MetricSlot } from './Dispatch.js';
import type { RecorderStreams } from './RecorderStreams.js';

/**
 * Stage 5 of the recorder's pipeline: once per batch (and on registration and refresh), rebuilds the
 * snapshots of the metrics that changed (deeply frozen, JSON-safe: see `buildSnapshot`), publishes a new
 * snapshot map on `snapshots$`, and keeps it for the synchronous getters. A metric whose `dimensions`
 * throws or is not JSON-safe fails (isolated: it keeps its last good snapshot).
 *
 * While nobody observes `snapshots$`, the snapshots of built-in kinds (whose dimensions are built by the
 * library and cannot fail) are not built per batch: they are built from the live state on the next read
 * or subscription, so a recorder nobody reads between scrapes pays nothing per batch for them, however
 * many series they hold. Custom metrics are always built at commit, where their failures belong.
 * @internal
 */
export class Commit {
  private readonly snapshots = new Map<MetricSlot, MetricSnapshot>();
  private published: MetricSnapshots = EMPTY_SNAPSHOTS;
  /** Some built-in slots changed since their snapshot was built (commit left them dirty). */
  private deferred = false;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly streams: RecorderStreams,
  ) {
    streams.settleSnapshots = () => this.buildDeferred();
  }

  /** The latest snapshot map (building what commit deferred first). */
  current(): MetricSnapshots {
    if (this.deferred) this.buildDeferred();
    return this.published;
  }

  /** The latest snapshot of the metric named `name` (building only its own deferred snapshot). */
  currentOf(name: string): MetricSnapshot | undefined {
    const slot = this.dispatch.slotOf(name);
    if (slot === undefined) return undefined;
    if (this.deferred && slot.dirty && hasFreshDimensions(slot.metric) && this.build(slot)) this.publish();
    return this.snapshots.get(slot);
  }

  /** Records the first snapshot of a newly registered slot (built by the caller) and publishes the map. */
  registered(slot: MetricSlot, snapshot: MetricSnapshot, replaced: MetricSlot | undefined): void {
    if (replaced !== undefined) this.snapshots.delete(replaced);
    this.snapshots.set(slot, snapshot);
    this.publish();
  }

  /**
   * Rebuilds the snapshots of dirty slots and publishes a new map when any changed. Returns true when a
   * failure there fails the recorder (`'fail-recorder'`).
   */
  commit(): boolean {
    const dispatch = this.dispatch;
    if (!dispatch.anyDirty) return false;
    dispatch.anyDirty = false;
    const defer = !this.streams.snapshots.observed;
    let changed = false;
    let failed = false;
    for (const slot of dispatch.slots) {
      if (!slot.dirty) continue;
      if (defer && hasFreshDimensions(slot.metric)) {
        this.deferred = true;
        continue;
      }
      slot.dirty = false;
      try {
        this.snapshots.set(slot, buildSnapshot(slot.metric, slot.state));
        changed = true;
      } catch (cause) {
        if (dispatch.metricFailed(slot.metric, cause)) failed = true;
      }
    }
    if (changed) this.publish();
    return failed;
  }

  /** Builds the snapshots commit deferred (before a read, and before `snapshots$` replays to a subscriber). */
  buildDeferred(): void {
    if (!this.deferred) return;
    this.deferred = false;
    let changed = false;
    for (const slot of this.dispatch.slots) {
      if (slot.dirty && hasFreshDimensions(slot.metric) && this.build(slot)) changed = true;
    }
    if (changed) this.publish();
  }

  /** Builds a deferred (built-in) slot's snapshot. True when it was built. */
  private build(slot: MetricSlot): boolean {
    slot.dirty = false;
    try {
      this.snapshots.set(slot, buildSnapshot(slot.metric, slot.state));
      return true;
    } catch (cause) {
      this.dispatch.metricFailed(slot.metric, cause); // a built-in kind's dimensions do not throw
      return false;
    }
  }

  private publish(): void {
    const list: MetricSnapshot[] = [];
    for (const slot of this.dispatch.slots) {
      const s = this.snapshots.get(slot);
      if (s !== undefined) list.push(s);
    }
    this.published = snapshotMap(list);
    this.streams.snapshots.next(this.published);
  }
}
