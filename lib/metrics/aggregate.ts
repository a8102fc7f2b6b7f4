import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { MetricEvent } from './event.js';
import type { AnyMetric, Metric, MetricContext } from './metric.js';
import type { Dimensions, MetricSnapshot } from './snapshot.js';
import { buildSnapshot } from './snapshots/buildSnapshot.js';
import { hasFreshDimensions, hasHeavyDimensions } from './snapshots/freshDimensions.js';
import { checkScheduler, rangeError, readOptions, typeError } from '../internal/validate.js';

/**
 * Options of {@link aggregate}.
 */
export interface AggregateOptions {
  /**
   * The clock of `ctx.now` and of time-aware refreshes (a `TestScheduler` makes both deterministic).
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Coalescing for UIs: emit the latest snapshot at most once per `coalesce` milliseconds (like
   * `auditTime`), or once per animation frame with `'frame'` (`requestAnimationFrame` where it exists,
   * else every 16 ms on `scheduler`), instead of once per event. A pending snapshot is emitted before the
   * output completes.
   */
  readonly coalesce?: number | 'frame';
}

type AnyState = unknown;

/**
 * The pure-RxJS path: folds an event stream through one metric, without a recorder.
 *
 * Emits one snapshot per event that changed the state (like `scan`: no initial emission), or with
 * `coalesce` at most once per interval or animation frame. Events the metric does not accept are
 * skipped. `ctx.now` is read from the scheduler (default `asyncScheduler`, which `TestScheduler.run`
 * virtualizes). Time-aware metrics (a rate, a window, series with a TTL) also emit when time changes
 * them while the output is subscribed, so a rate decays to 0 when events stop. An error thrown by the
 * metric errors the output. Snapshots are deeply frozen and JSON-safe; those of built-in kinds build
 * their `dimensions` on first read, so a snapshot nobody reads costs almost nothing.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { of } from 'rxjs';
 * import { aggregate, counter } from 'mvx-common';
 *
 * const saves = counter({ name: 'doc.saves', on: 'doc.save' });
 * const events$ = of({ type: 'doc.save' }, { type: 'doc.load' }, { type: 'doc.save' });
 * events$.pipe(aggregate(saves)).subscribe((snapshot) => console.log(snapshot.dimensions.total));
 * // → 1
 * // → 2
 * // For a UI: events$.pipe(aggregate(saves, { coalesce: 'frame' })) emits at most once per animation frame.
 * ```
 */
export function aggregate<E extends MetricEvent, S, D extends Dimensions>(
  metric: Metric<E, S, D>,
  schedulerOrOptions?: SchedulerLike | AggregateOptions,
): OperatorFunction<MetricEvent, MetricSnapshot<D>> {
  const { scheduler, coalesce } = resolveAggregateOptions(schedulerOrOptions);
  const m = metric as unknown as AnyMetric;
  // Built-in kinds: light dimensions are built at once from the state updated in place; costly ones
  // (sketches, windows) are built on first read, from a persistent state (pure `reduce`).
  const lazy = hasFreshDimensions(m) && hasHeavyDimensions(m);
  const snapshotOf = (state: AnyState): MetricSnapshot<D> =>
    lazy ? (new LazySnapshot(m, state) as unknown as MetricSnapshot<D>) : buildSnapshot<D>(m, state);
  return (source) =>
    new Observable<MetricSnapshot<D>>((subscriber) => {
      const inPlace = coalesce === undefined && lazy ? undefined : m.inPlace;
      let state: AnyState = m.init();
      let refreshTask: Subscription | undefined;
      let refreshDue: number | undefined;
      let pending: (() => void) | undefined;
      let done = false;

      const fail = (err: unknown): void => {
        done = true;
        subscriber.error(err);
      };
      const emitNow = (): void => {
        if (done) return;
        let snapshot: MetricSnapshot<D>;
        try {
          snapshot = inPlace === undefined ? snapshotOf(state) : buildSnapshot<D>(m, state);
        } catch (err) {
          fail(err);
          return;
        }
        subscriber.next(snapshot);
      };
      const changed = (): void => {
        if (coalesce === undefined) emitNow();
        else if (pending === undefined)
          pending = scheduleCoalesced(coalesce, scheduler, () => {
            pending = undefined;
            emitNow();
          });
        planRefresh();
      };
      const planRefresh = (): void => {
        if (m.nextRefresh === undefined || done) return;
        let due: number | undefined;
        try {
          due = m.nextRefresh(state);
        } catch {
          due = undefined;
        }
        if (due === undefined || Number.isNaN(due)) return;
        if (refreshDue !== undefined && refreshDue <= due) return;
        refreshTask?.unsubscribe();
        refreshDue = due;
        refreshTask = scheduler.schedule(
          () => {
            refreshTask = undefined;
            refreshDue = undefined;
            runRefresh();
          },
          Math.max(1, due - scheduler.now()),
        );
      };
      const runRefresh = (): void => {
        if (done) return;
        const ctx: MetricContext = { now: scheduler.now() };
        let didChange: boolean;
        try {
          if (inPlace?.refresh !== undefined) didChange = inPlace.refresh(state, ctx) !== false;
          else if (m.refresh !== undefined) {
            const next = m.refresh(state, ctx);
            didChange = next !== state;
            state = next;
          } else return;
        } catch (err) {
          fail(err);
          return;
        }
        if (didChange) changed();
        else planRefresh();
      };

      const subscription = source.subscribe({
        next(event) {
          if (done) return;
          let didChange: boolean;
          try {
            if (!m.accepts(event)) return;
            const ctx: MetricContext = { now: scheduler.now() };
            if (inPlace !== undefined) didChange = inPlace.update(state, event, ctx) !== false;
            else {
              const next = m.reduce(state, event, ctx);
              didChange = next !== state;
              state = next;
            }
          } catch (err) {
            fail(err);
            return;
          }
          if (didChange) changed();
        },
        error: (err: unknown) => fail(err),
        complete: () => {
          if (pending !== undefined) {
            pending = undefined;
            emitNow();
          }
          done = true;
          subscriber.complete();
        },
      });
      return () => {
        done = true;
        subscription.unsubscribe();
        refreshTask?.unsubscribe();
        pending?.();
      };
    });
}

function resolveAggregateOptions(value: SchedulerLike | AggregateOptions | undefined): {
  readonly scheduler: SchedulerLike;
  readonly coalesce: number | 'frame' | undefined;
} {
  if (value === undefined) return { scheduler: asyncScheduler, coalesce: undefined };
  const maybe = value as { schedule?: unknown; now?: unknown };
  if (typeof maybe.schedule === 'function' && typeof maybe.now === 'function') {
    return { scheduler: value as SchedulerLike, coalesce: undefined };
  }
  const o = readOptions('options', value, ['scheduler', 'coalesce']);
  const scheduler =
    o.scheduler === undefined
      ? asyncScheduler
      : checkScheduler<SchedulerLike>('options.scheduler', o.scheduler);
  const coalesce = o.coalesce;
  if (coalesce !== undefined && coalesce !== 'frame') {
    if (typeof coalesce !== 'number')
      throw typeError('options.coalesce', "a number of milliseconds or 'frame'", coalesce);
    if (!Number.isFinite(coalesce) || coalesce < 0) {
      throw rangeError('options.coalesce', "a non-negative number of milliseconds or 'frame'", coalesce);
    }
  }
  return { scheduler, coalesce: coalesce as number | 'frame' | undefined };
}

type FrameApi = {
  requestAnimationFrame?: (cb: () => void) => number;
  cancelAnimationFrame?: (id: number) => void;
};

/** Runs `task` after `coalesce` ms (or the next animation frame); returns a cancel function. */
function scheduleCoalesced(
  coalesce: number | 'frame',
  scheduler: SchedulerLike,
  task: () => void,
): () => void {
  const g = globalThis as FrameApi;
  if (coalesce === 'frame' && typeof g.requestAnimationFrame === 'function') {
    const id = g.requestAnimationFrame(task);
    return () => g.cancelAnimationFrame?.(id);
  }
  const subscription = scheduler.schedule(task, coalesce === 'frame' ? 16 : coalesce);
  return () => subscription.unsubscribe();
}

/**
 * A frozen snapshot of a built-in kind whose `dimensions` (an own, enumerable accessor, so JSON,
 * spreading and structured clones see it as a value) are built and deeply frozen on first read, from a
 * state that never changes again (a pure `reduce` result). The state is held in private fields, which
 * neither `Object.keys`, JSON nor spreading expose.
 */
class LazySnapshot {
  readonly name!: string;
  readonly kind!: MetricSnapshot['kind'];
  readonly description?: string;
  readonly unit?: string;
  declare readonly dimensions: Dimensions;
  #metric: AnyMetric;
  #state: AnyState;
  #built: Dimensions | undefined;

  constructor(metric: AnyMetric, state: AnyState) {
    const self = this as { -readonly [K in keyof LazySnapshot]: LazySnapshot[K] };
    self.name = metric.name;
    self.kind = metric.kind;
    if (metric.description !== undefined) self.description = metric.description;
    if (metric.unit !== undefined) self.unit = metric.unit;
    this.#metric = metric;
    this.#state = state;
    Object.defineProperty(this, 'dimensions', LAZY_DIMENSIONS);
    Object.freeze(this);
  }

  /** Builds (once) and returns the dimensions of `snapshot`. */
  static dimensionsOf(snapshot: LazySnapshot): Dimensions {
    if (snapshot.#built === undefined) {
      snapshot.#built = buildSnapshot(snapshot.#metric, snapshot.#state).dimensions;
      snapshot.#state = undefined; // the snapshot no longer retains the state
    }
    return snapshot.#built;
  }
}

/** The one accessor every lazy snapshot shares (a closure per snapshot would cost ~5x more). */
const LAZY_DIMENSIONS: PropertyDescriptor = Object.freeze({
  enumerable: true,
  configurable: false,
  get(this: LazySnapshot): Dimensions {
    return LazySnapshot.dimensionsOf(this);
  },
});
