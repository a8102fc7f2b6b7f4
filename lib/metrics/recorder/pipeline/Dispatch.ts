import type { MetricEvent } from '../../event.js';
import type { AnyMetric, InPlaceUpdate, MetricContext } from '../../metric.js';
import { MetricFailedError } from '../../errors/recorderErrors.js';
import type { MetricChange } from '../types.js';
import { hasFreshDimensions } from '../../snapshots/freshDimensions.js';
import { BatchCapture, ReplayedMetricChange } from './ChangeCapture.js';
import { LazyMetricChange } from './LazyMetricChange.js';
import type { RecorderStreams } from './RecorderStreams.js';

/** One registered metric and the state the recorder owns for it. @internal */
export interface MetricSlot {
  readonly metric: AnyMetric;
  /** The in-place path, when the metric declares one. */
  readonly inPlace: InPlaceUpdate<MetricEvent, unknown> | undefined;
  state: unknown;
  /** Changed since the last commit. */
  dirty: boolean;
  /** `nextRefresh(state)` as last asked (time-aware metrics), or undefined. */
  due: number | undefined;
  /** When it was last refreshed (its `ctx.now`). */
  refreshedAt: number | undefined;
  /** Bumped at every change and refresh (a change's snapshot may come from the live state while equal). */
  version: number;
  /** A built-in kind: library-built dimensions that cannot fail (snapshots may be built on read). */
  readonly builtIn: boolean;
  /** In-place built-in kind: changes are captured by checkpoint and replay (see `BatchCapture`). */
  readonly replayable: boolean;
  /** The capture of the current batch, and the batch it belongs to. */
  capture: BatchCapture | undefined;
  captureBatch: number;
}

/** Dispatch outcome: go on. @internal */
export const DISPATCHED = 0;
/** Dispatch outcome: a metric failed under `'fail-recorder'`: stop processing. @internal */
export const RECORDER_FAILED = 1;

/** What the dispatch stage needs to know, fixed at construction. @internal */
export interface DispatchOptions {
  /** `'fail-recorder'`: the first metric failure fails the recorder. */
  readonly failFast: boolean;
  /** The recorder's `onMetricChanged` when a subclass overrides it (user code, called per change). */
  readonly changeHook: ((change: MetricChange) => void) | undefined;
  /** Logs a metric failure (never throws). */
  readonly logFailure: (error: MetricFailedError) => void;
}

/**
 * Stage 4 of the recorder's pipeline: the registered metrics in slot (registration) order with their
 * states, and the fan-out of one event to them. A metric's `accepts` decides; its in-place `update` (or
 * pure `reduce`) applies the event. A throwing metric is isolated: its last good state stays, the failure
 * is counted in `metricErrors` and reported on `errors$` (under `'fail-recorder'` the outcome says
 * the recorder failed). While someone needs each change (`changes$` subscribers, `onMetricChanged`), a
 * change captures the state right after the event: an in-place state is forked away from first.
 * @internal
 */
export class Dispatch {
  /** Failures of metrics and of `onMetricChanged`. */
  metricErrors = 0;
  /** The failure that failed the recorder under `'fail-recorder'`, once. */
  failure: MetricFailedError | undefined;
  readonly slots: MetricSlot[] = [];
  private readonly index = new Map<string, number>();
  /** Set per batch: deliver each change (hook or `changes$` subscribers present). */
  private observeChanges = false;
  /** The batch's events are appended to `log` (changes are observed and some slot replays from it). */
  private logEvents = false;
  /** While changes are observed: the batch's events (replayed for late reads of change snapshots). */
  private log: MetricEvent[] = [];
  private batch = 0;
  private batchCtx: MetricContext = { now: 0 };
  /** At least one slot is dirty. */
  anyDirty = false;

  constructor(
    private readonly streams: RecorderStreams,
    private readonly options: DispatchOptions,
  ) {}

  /** The registered metrics, in slot order. */
  metrics(): readonly AnyMetric[] {
    return Object.freeze(this.slots.map((s) => s.metric));
  }

  /** The slot of the metric named `name`, or undefined. */
  slotOf(name: string): MetricSlot | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.slots[i];
  }

  /** A new slot for `metric` with a fresh state (not registered yet). Throws what `init` throws. */
  createSlot(metric: AnyMetric): MetricSlot {
    const state = metric.init();
    const inPlace = metric.inPlace;
    const builtIn = hasFreshDimensions(metric);
    return {
      metric,
      inPlace,
      state,
      dirty: false,
      due: undefined,
      refreshedAt: undefined,
      version: 0,
      builtIn,
      replayable: inPlace !== undefined && builtIn,
      capture: undefined,
      captureBatch: -1,
    };
  }

  /**
   * Registers `slot`: appended, or replacing the slot of the metric of the same name (which keeps its
   * position). Returns the replaced slot, if any.
   */
  insert(slot: MetricSlot): MetricSlot | undefined {
    const existing = this.index.get(slot.metric.name);
    if (existing === undefined) {
      this.index.set(slot.metric.name, this.slots.length);
      this.slots.push(slot);
      return undefined;
    }
    const replaced = this.slots[existing];
    this.slots[existing] = slot;
    return replaced;
  }

  /** Called once per batch, before the first event, with the batch's context. */
  beginBatch(ctx: MetricContext): void {
    this.observeChanges = this.options.changeHook !== undefined || this.streams.changes.observed;
    // The batch's events are kept only for replays, which only replayable (in-place built-in) slots use.
    this.logEvents = this.observeChanges && this.slots.some((slot) => slot.replayable);
    if (this.observeChanges) {
      this.batch++;
      this.log = [];
      this.batchCtx = ctx;
    }
  }

  /** Offers `event` to every metric in slot order. */
  dispatch(event: MetricEvent, ctx: MetricContext): number {
    const slots = this.slots;
    const observe = this.observeChanges;
    const index = this.logEvents ? this.log.push(event) - 1 : -1;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as MetricSlot;
      const metric = slot.metric;
      let changed: boolean;
      try {
        if (!metric.accepts(event)) continue;
        const inPlace = slot.inPlace;
        if (inPlace !== undefined) {
          if (this.logEvents && slot.replayable && slot.captureBatch !== this.batch)
            this.checkpoint(slot, inPlace, index);
          changed = inPlace.update(slot.state, event, ctx) !== false;
        } else {
          const next = metric.reduce(slot.state, event, ctx);
          changed = next !== slot.state;
          if (changed) slot.state = next;
        }
      } catch (cause) {
        if (this.metricFailed(metric, cause)) return RECORDER_FAILED;
        continue;
      }
      if (!changed) continue;
      // Bumped at every change, observed or not: an in-place change's snapshot may come from the live
      // state only while nothing has changed it since.
      slot.version++;
      slot.dirty = true;
      this.anyDirty = true;
      if (observe && this.deliverChange(slot, event, index)) return RECORDER_FAILED;
    }
    return DISPATCHED;
  }

  /**
   * Applies the passage of time to `slot` (a time-aware metric): its in-place `refresh`, or the pure
   * one. Returns {@link RECORDER_FAILED} when a failure fails the recorder.
   */
  refresh(slot: MetricSlot, ctx: MetricContext): number {
    const metric = slot.metric;
    let changed: boolean;
    try {
      const inPlaceRefresh = slot.inPlace?.refresh;
      if (slot.inPlace !== undefined && inPlaceRefresh !== undefined) {
        changed = inPlaceRefresh.call(slot.inPlace, slot.state, ctx) !== false;
      } else if (metric.refresh !== undefined) {
        const next = metric.refresh(slot.state, ctx);
        changed = next !== slot.state;
        if (changed) slot.state = next;
      } else {
        return DISPATCHED;
      }
    } catch (cause) {
      return this.metricFailed(metric, cause) ? RECORDER_FAILED : DISPATCHED;
    }
    if (changed) {
      slot.dirty = true;
      slot.version++;
      this.anyDirty = true;
    }
    return DISPATCHED;
  }

  /**
   * Counts and reports a failure of `metric` (or of the change hook for it). Returns true when it fails
   * the recorder (`'fail-recorder'`).
   */
  metricFailed(metric: AnyMetric, cause: unknown): boolean {
    this.metricErrors++;
    const error = cause instanceof MetricFailedError ? cause : new MetricFailedError(metric.name, { cause });
    this.options.logFailure(error);
    this.streams.errors.next(error);
    if (!this.options.failFast) return false;
    this.failure ??= error;
    return true;
  }

  /** Forks `slot`'s state before its first update of the batch: the checkpoint replays start from. */
  private checkpoint(slot: MetricSlot, inPlace: InPlaceUpdate<MetricEvent, unknown>, index: number): void {
    const checkpoint = slot.state;
    slot.state = inPlace.fork(checkpoint);
    slot.capture = new BatchCapture(slot.metric, inPlace, checkpoint, this.log, index, this.batchCtx);
    slot.captureBatch = this.batch;
  }

  /** Delivers one change to the hook and `changes$`; true when the hook's failure fails the recorder. */
  private deliverChange(slot: MetricSlot, event: MetricEvent, index: number): boolean {
    const version = slot.version;
    let change: MetricChange;
    if (slot.replayable && slot.capture !== undefined && slot.captureBatch === this.batch) {
      change = new ReplayedMetricChange(slot.metric, event, slot, version, slot.capture, index);
    } else {
      const captured = slot.state;
      if (slot.inPlace !== undefined) {
        try {
          slot.state = slot.inPlace.fork(captured);
        } catch (cause) {
          // The state could not be forked: deliver nothing for it (a later read would see later updates).
          return this.metricFailed(slot.metric, cause);
        }
      }
      change = new LazyMetricChange(slot.metric, event, captured);
    }
    const hook = this.options.changeHook;
    if (hook !== undefined) {
      try {
        hook(change);
      } catch (cause) {
        if (this.metricFailed(slot.metric, cause)) return true;
      }
    }
    this.streams.changes.next(change);
    return false;
  }
}
