import type { MetricEvent } from '../../event.js';
import { monotonicNow } from '../../../internal/timers.js';
import type { Commit } from './Commit.js';
import { DISPATCHED, type Dispatch } from './Dispatch.js';
import type { EventBuffer } from './EventBuffer.js';
import type { RecorderStreams } from './RecorderStreams.js';

/** Bound of one scheduled batch, in events. @internal */
export const BATCH_MAX_EVENTS = 16_384;
/** Time budget of one scheduled batch, in ms. @internal */
export const BATCH_BUDGET_MS = 4;
/** Time budget of a scheduled batch while the buffer is more than half full (catching up), in ms. @internal */
export const CATCH_UP_BUDGET_MS = 12;
/** Time budget of the drain a read-your-writes getter runs on the caller's stack, in ms. @internal */
export const READ_BUDGET_MS = 250;

/** Batch outcome: fine. @internal */
export const BATCH_DONE = 0;
/** Batch outcome: a metric failed the recorder (`'fail-recorder'`). @internal */
export const BATCH_FAILED = 1;

/**
 * Stage 3 of the recorder's pipeline: takes pending events from the buffer in FIFO batches, hands each to
 * the dispatch, delivers it on `events$`, and commits the batch's snapshots. A batch is bounded in events
 * and in time; the clock is read adaptively (every event while metrics are slow, every 256 events when
 * they are fast), so a batch overruns its budget by at most about one event. Owns `processed`.
 * @internal
 */
export class Drain {
  /** Events taken from the buffer and dispatched to the metrics. */
  processed = 0;
  /** A batch is running (a re-entrant drain from a subscriber or hook does nothing). */
  running = false;

  constructor(
    private readonly buffer: EventBuffer<MetricEvent>,
    private readonly dispatch: Dispatch,
    private readonly commit: Commit,
    private readonly streams: RecorderStreams,
    /** `ctx.now` of a batch: the scheduler's clock, else `Date.now()`. */
    readonly clock: () => number,
  ) {}

  /**
   * Processes up to `maxEvents` pending events within about `budgetMs`, then commits once. Returns
   * {@link BATCH_FAILED} when a metric failed the recorder.
   */
  runBatch(maxEvents: number, budgetMs: number): number {
    if (this.running || this.buffer.size === 0) return BATCH_DONE;
    this.running = true;
    const { buffer, dispatch } = this;
    const events = this.streams.events;
    const emitEvents = events.observed;
    const ctx = { now: this.clock() };
    dispatch.beginBatch(ctx);
    const started = monotonicNow();
    let count = 0;
    let nextCheck = 1;
    let outcome = BATCH_DONE;
    try {
      while (buffer.size > 0 && count < maxEvents) {
        const event = buffer.shift();
        this.processed++;
        count++;
        if (dispatch.dispatch(event, ctx) !== DISPATCHED) {
          outcome = BATCH_FAILED;
          break;
        }
        if (emitEvents) events.next(event);
        if (count === nextCheck) {
          const elapsed = monotonicNow() - started;
          if (elapsed >= budgetMs) break;
          const eventsLeft = elapsed > 0 ? ((budgetMs - elapsed) * count) / elapsed : Infinity;
          nextCheck = count + Math.max(1, Math.min(256, Math.floor(eventsLeft / 2)));
        }
      }
    } finally {
      this.running = false;
    }
    if (this.commit.commit()) outcome = BATCH_FAILED;
    return outcome;
  }

  /** Commits what changed outside a batch (a refresh). Returns {@link BATCH_FAILED} on a fatal failure. */
  commitChanges(): number {
    return this.commit.commit() ? BATCH_FAILED : BATCH_DONE;
  }
}
