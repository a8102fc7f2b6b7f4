import { BehaviorSubject, distinctUntilChanged, filter, map, type Observable } from 'rxjs';
import { HotStream } from './HotStream.js';
import type { MetricEvent } from '../event.js';
import type { MetricSnapshot, MetricSnapshots } from '../snapshot.js';
import type { MetricChange, RecorderState, RecorderStats } from './types.js';

/**
 * The recorder's subjects and the read-only observables handed out for them.
 * @internal
 */
export class RecorderStreams<E extends MetricEvent> {
  readonly state = new BehaviorSubject<RecorderState>('virgin');
  readonly snapshots: BehaviorSubject<MetricSnapshots>;
  readonly stats: BehaviorSubject<RecorderStats>;
  readonly changes = new HotStream<MetricChange<E>>();
  readonly errors = new HotStream<Error>();
  readonly events = new HotStream<E>();

  readonly state$: Observable<RecorderState> = this.state.pipe(distinctUntilChanged());
  readonly snapshots$: Observable<MetricSnapshots>;
  readonly stats$: Observable<RecorderStats>;
  readonly changes$: Observable<MetricChange<E>> = this.changes.observable;
  readonly errors$: Observable<Error> = this.errors.observable;
  readonly events$: Observable<E> = this.events.observable;

  constructor(initialSnapshots: MetricSnapshots, initialStats: RecorderStats) {
    this.snapshots = new BehaviorSubject(initialSnapshots);
    this.stats = new BehaviorSubject(initialStats);
    this.snapshots$ = this.snapshots.asObservable();
    this.stats$ = this.stats.asObservable();
  }

  /** Emits `name`'s snapshot whenever it changes; replays the latest; nothing until it is registered. */
  snapshotOf(name: string): Observable<MetricSnapshot> {
    return this.snapshots.pipe(
      map((all) => all[name]),
      filter((s): s is MetricSnapshot => s !== undefined),
      distinctUntilChanged(),
    );
  }

  /** Completes every stream (dispose). */
  completeAll(): void {
    this.state.complete();
    this.snapshots.complete();
    this.stats.complete();
    this.changes.complete();
    this.errors.complete();
    this.events.complete();
  }
}
