import { asapScheduler, BehaviorSubject, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { MetricSnapshots } from '../snapshot.js';
import type { RuntimeSnapshots } from './types.js';

/**
 * Merges many recorders' `snapshots$` into one map keyed by recorder id. Updates are coalesced: however
 * many recorders publish in one turn, the map is emitted once, on `scheduler` (default: a microtask).
 *
 * The recorders are followed only while someone subscribes to `snapshots$`: a recorder nobody observes
 * builds the snapshots of its built-in kinds on read only (exporters and dashboards read), so a runtime
 * whose map nobody watches costs its recorders nothing per batch. The first subscriber gets the current
 * map at once (every followed recorder replays its latest on subscription).
 * @internal
 */
export class SnapshotHub {
  private readonly subject = new BehaviorSubject<RuntimeSnapshots>(Object.freeze({}));
  private readonly sources = new Map<string, Observable<MetricSnapshots>>();
  private readonly latest = new Map<string, MetricSnapshots>();
  private readonly subscriptions = new Map<string, Subscription>();
  private observers = 0;
  private scheduled = false;
  private closed = false;
  /** The merged map; replays the latest to new subscribers. */
  readonly snapshots$: Observable<RuntimeSnapshots>;

  constructor(private readonly scheduler: SchedulerLike = asapScheduler) {
    this.snapshots$ = new Observable<RuntimeSnapshots>((subscriber) => {
      if (this.observers++ === 0) this.followAll();
      const subscription = this.subject.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (--this.observers === 0) this.unfollowAll();
      };
    });
  }

  /** The merged map as last emitted. */
  current(): RuntimeSnapshots {
    return this.subject.getValue();
  }

  /** Starts following `source$` under `recorderId` (appended: creation order is kept). */
  add(recorderId: string, source$: Observable<MetricSnapshots>): void {
    if (this.closed || this.sources.has(recorderId)) return;
    this.sources.set(recorderId, source$);
    this.latest.set(recorderId, Object.freeze({}));
    if (this.observers > 0) this.follow(recorderId, source$);
    this.markDirty();
  }

  /** Stops following `recorderId` and drops it from the map. */
  remove(recorderId: string): void {
    this.subscriptions.get(recorderId)?.unsubscribe();
    this.subscriptions.delete(recorderId);
    this.sources.delete(recorderId);
    if (this.latest.delete(recorderId)) this.markDirty();
  }

  /** Drops everything, publishes the empty map and completes. */
  close(): void {
    if (this.closed) return;
    for (const id of [...this.sources.keys()]) this.remove(id);
    this.closed = true;
    this.subject.next(Object.freeze({}));
    this.subject.complete();
  }

  private follow(recorderId: string, source$: Observable<MetricSnapshots>): void {
    let subscription: Subscription;
    try {
      subscription = source$.subscribe({
        next: (snapshots) => {
          if (!this.latest.has(recorderId)) return;
          this.latest.set(recorderId, snapshots);
          this.markDirty();
        },
        error: () => undefined, // a source that fails keeps its last map (recorders' streams never error)
      });
    } catch {
      return; // a source that cannot be followed keeps its last map; the others are not affected
    }
    if (this.sources.has(recorderId)) this.subscriptions.set(recorderId, subscription);
    else subscription.unsubscribe(); // removed while replaying
  }

  /** The first subscriber: follow every recorder, and publish the current map before its replay. */
  private followAll(): void {
    if (this.closed) return;
    const pending = this.scheduled;
    this.scheduled = true; // the replays below land in `latest`; one map is published after them
    for (const [id, source$] of [...this.sources]) this.follow(id, source$);
    this.scheduled = pending;
    this.publish();
  }

  /** The last subscriber left: stop following (the recorders go back to building on read). */
  private unfollowAll(): void {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
  }

  private markDirty(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    this.scheduler.schedule(() => {
      this.scheduled = false;
      this.publish();
    });
  }

  private publish(): void {
    if (!this.closed) this.subject.next(Object.freeze(Object.fromEntries(this.latest)));
  }
}
