import { BehaviorSubject, distinctUntilChanged, filter, map, type Observable } from 'rxjs';
import { getOwn } from '../../../internal/ownProperty.js';
import type { MetricEvent } from '../../event.js';
import type { MetricSnapshot, MetricSnapshots } from '../../snapshot.js';
import type { MetricChange, RecorderState, RecorderStats } from '../types.js';
import { HotStream } from './HotStream.js';

/**
 * Stage 6 of the recorder's pipeline: the recorder's subjects and the read-only observables handed out
 * for them. `state$`, `snapshots$` and `stats$` replay their latest value (the recorder hands out the
 * commit stage's view of `snapshots$`, which builds deferred snapshots first); `changes$`,
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

  constructor(initialSnapshots: MetricSnapshots, initialStats: RecorderStats) {
    this.snapshots = new BehaviorSubject(initialSnapshots);
    this.stats = new BehaviorSubject(initialStats);
    this.snapshots$ = this.snapshots.asObservable();
    this.stats$ = this.stats.asObservable();
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

/**
 * `name`'s snapshot from a stream of snapshot maps, whenever it changes; replays what `snapshots$`
 * replays; nothing until a metric of that name is registered.
 * @internal
 */
export function snapshotOf(
  snapshots$: Observable<MetricSnapshots>,
  name: string,
): Observable<MetricSnapshot> {
  return snapshots$.pipe(
    map((all) => getOwn(all, name)),
    filter((s): s is MetricSnapshot => s !== undefined),
    distinctUntilChanged(),
  );
}
