import type { MetricSnapshot, MetricSnapshots } from '../../snapshot.js';
import { buildSnapshot } from '../../snapshots/buildSnapshot.js';
import { EMPTY_SNAPSHOTS, snapshotMap } from '../../snapshots/snapshotMap.js';
import type { Dispatch, MetricSlot } from './Dispatch.js';
import type { RecorderStreams } from './RecorderStreams.js';

/**
 * Stage 5 of the recorder's pipeline: once per batch (and on registration and refresh), rebuilds the
 * snapshots of the metrics that changed (deeply frozen, JSON-safe: see `buildSnapshot`), publishes a new
 * snapshot map on `snapshots$`, and keeps it for the synchronous getters. A metric whose `dimensions`
 * throws or is not JSON-safe fails (isolated: it keeps its last good snapshot).
 * @internal
 */
export class Commit {
  private readonly snapshots = new Map<MetricSlot, MetricSnapshot>();
  private published: MetricSnapshots = EMPTY_SNAPSHOTS;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly streams: RecorderStreams,
  ) {}

  /** The latest published snapshot map. */
  current(): MetricSnapshots {
    return this.published;
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
    let changed = false;
    let failed = false;
    for (const slot of dispatch.slots) {
      if (!slot.dirty) continue;
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
