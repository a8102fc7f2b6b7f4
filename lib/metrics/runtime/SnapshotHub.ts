import { asapScheduler, BehaviorSubject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { MetricSnapshots } from '../snapshot.js';
import type { RuntimeSnapshots } from './types.js';

/**
 * Merges many recorders' `snapshots$` into one map keyed by recorder id. Updates are coalesced: however
 * many recorders publish in one turn, the map is emitted once, on `scheduler` (default: a microtask).
 * @internal
 */
export class SnapshotHub {
  private readonly subject = new BehaviorSubject<RuntimeSnapshots>(Object.freeze({}));
  private readonly latest = new Map<string, MetricSnapshots>();
  private readonly subscriptions = new Map<string, Subscription>();
  private scheduled = false;
  private closed = false;
  /** The merged map; replays the latest to new subscribers. */
  readonly snapshots$: Observable<RuntimeSnapshots> = this.subject.asObservable();

  constructor(private readonly scheduler: SchedulerLike = asapScheduler) {}

  /** The merged map as last emitted. */
  current(): RuntimeSnapshots {
    return this.subject.getValue();
  }

  /** Starts following `source$` under `recorderId` (appended: creation order is kept). */
  add(recorderId: string, source$: Observable<MetricSnapshots>): void {
    if (this.closed || this.subscriptions.has(recorderId)) return;
    this.latest.set(recorderId, Object.freeze({}));
    const subscription = source$.subscribe({
      next: (snapshots) => {
        if (!this.latest.has(recorderId)) return;
        this.latest.set(recorderId, snapshots);
        this.markDirty();
      },
    });
    this.subscriptions.set(recorderId, subscription);
    this.markDirty();
  }

  /** Stops following `recorderId` and drops it from the map. */
  remove(recorderId: string): void {
    this.subscriptions.get(recorderId)?.unsubscribe();
    this.subscriptions.delete(recorderId);
    if (this.latest.delete(recorderId)) this.markDirty();
  }

  /** Drops everything, publishes the empty map and completes. */
  close(): void {
    if (this.closed) return;
    for (const id of [...this.subscriptions.keys()]) this.remove(id);
    this.closed = true;
    this.subject.next(Object.freeze({}));
    this.subject.complete();
  }

  private markDirty(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    this.scheduler.schedule(() => {
      this.scheduled = false;
      if (!this.closed) this.subject.next(Object.freeze(Object.fromEntries(this.latest)));
    });
  }
}
