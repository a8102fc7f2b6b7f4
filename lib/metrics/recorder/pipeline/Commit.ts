import { Observable } from 'rxjs';
import type { MetricSnapshot, MetricSnapshots } from '../../snapshot.js';
import { buildSnapshot } from '../../snapshots/buildSnapshot.js';
import { EMPTY_SNAPSHOTS, snapshotMap } from '../../snapshots/snapshotMap.js';
import type { Dispatch, MetricSlot } from './Dispatch.js';
import type { RecorderStreams } from './RecorderStreams.js';

/** What building one snapshot came to: built, failed (isolated), or failed the recorder. */
const BUILT = 0;
const FAILED = 1;
const FATAL = 2;
type BuildOutcome = typeof BUILT | typeof FAILED | typeof FATAL;

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
  /**
   * The recorder's `snapshots$`: the streams' snapshot map, with what commit deferred built before each
   * subscriber's replay (so a new subscriber's first map is the current one).
   */
  readonly snapshots$: Observable<MetricSnapshots>;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly streams: RecorderStreams,
  ) {
    this.snapshots$ = new Observable<MetricSnapshots>((subscriber) => {
      this.buildDeferred();
      return streams.snapshots$.subscribe(subscriber);
    });
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
    if (this.deferred && slot.dirty && slot.builtIn && this.build(slot) === BUILT) this.publish();
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
      if (defer && slot.builtIn) {
        this.deferred = true;
        continue;
      }
      const outcome = this.build(slot);
      if (outcome === BUILT) changed = true;
      else if (outcome === FATAL) failed = true;
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
      // A built-in kind's dimensions do not throw: were one to, it is isolated (a read cannot fail the recorder).
      if (slot.dirty && slot.builtIn && this.build(slot) === BUILT) changed = true;
    }
    if (changed) this.publish();
  }

  /** Builds `slot`'s snapshot; a failure is the metric's (isolated, or fatal under `'fail-recorder'`). */
  private build(slot: MetricSlot): BuildOutcome {
    slot.dirty = false;
    try {
      this.snapshots.set(slot, buildSnapshot(slot.metric, slot.state));
      return BUILT;
    } catch (cause) {
      return this.dispatch.metricFailed(slot.metric, cause) ? FATAL : FAILED;
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
