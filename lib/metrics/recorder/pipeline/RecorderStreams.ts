import { BehaviorSubject, distinctUntilChanged, filter, map, Observable } from 'rxjs';
import { getOwn } from '../../../internal/ownProperty.js';
import type { MetricEvent } from '../../event.js';
import type { MetricSnapshot, MetricSnapshots } from '../../snapshot.js';
import type { MetricChange, RecorderState, RecorderStats } from '../types.js';
import { HotStream } from './HotStream.js';

/**
 * Stage 6 of the recorder's pipeline: the recorder's subjects and the read-only observables handed out
 * for them. `state$`, `snapshots$`, `snapshot$(name)` and `stats$` replay their latest value; `changes$`,
 * `errors$` and `events$` are hot and cost nothing without subscribers.
 * @internal
 */
export class RecorderStreams {
  readonly state = new BehaviorSubject<RecorderState>('virgin');
  readonly snapshots: BehaviorSubject<MetricSnapshots>;
  readonly stats: BehaviorSubject<RecorderStats>;
  readonly changes = new HotStream<MetricChange>();
  readonly errors = new HotStream<Error>();
  readonly events = new HotStream<MetricEvent>();

  // From `asObservable()`: a subject's `pipe` returns a subject whose `next` feeds the source subject.
  readonly state$: Observable<RecorderState> = this.state.asObservable().pipe(distinctUntilChanged());
  readonly snapshots$: Observable<MetricSnapshots>;
  readonly stats$: Observable<RecorderStats>;
  readonly changes$: Observable<MetricChange> = this.changes.observable;
  readonly errors$: Observable<Error> = this.errors.observable;
  readonly events$: Observable<MetricEvent> = this.events.observable;

  /** Brings the latest snapshot map up to date (set by the commit stage, which may defer builds). */
  settleSnapshots: () => void = () => undefined;

  constructor(initialSnapshots: MetricSnapshots, initialStats: RecorderStats) {
    const snapshots = new BehaviorSubject(initialSnapshots);
    this.snapshots = snapshots;
    this.stats = new BehaviorSubject(initialStats);
    // Settled before the replay, so a new subscriber's first map is the current one.
    this.snapshots$ = new Observable<MetricSnapshots>((subscriber) => {
      this.settleSnapshots();
      return snapshots.subscribe(subscriber);
    });
    this.stats$ = this.stats.asObservable();
  }

  /** Emits `name`'s snapshot whenever it changes; replays the latest; nothing until it is registered. */
  snapshotOf(name: string): Observable<MetricSnapshot> {
    return this.snapshots$.pipe(
      map((all) => getOwn(all, name)),
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
