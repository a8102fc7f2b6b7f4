import { BATCH_DONE, BATCH_FAILED, type Drain } from './Drain.js';
import { RECORDER_FAILED, type Dispatch, type MetricSlot } from './Dispatch.js';
import type { DrainScheduler } from './DrainScheduler.js';

/**
 * Time for time-aware metrics (`refresh` + `nextRefresh`: a rate, a sliding window, series that
 * expire): after every batch and refresh it asks each such metric when it next needs a refresh and keeps
 * one timer, on the recorder's scheduler, at the earliest; when it fires, the due metrics are refreshed
 * and the changes committed like a batch. Metrics without `nextRefresh` cost nothing here.
 * @internal
 */
export class Refresh {
  private active = false;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly drain: Drain,
    private readonly scheduler: DrainScheduler,
  ) {}

  /** Starts planning refreshes (the recorder is processing). */
  start(): void {
    this.active = true;
    this.plan();
  }

  /** Stops refreshing (the recorder no longer processes). */
  stop(): void {
    this.active = false;
    this.scheduler.cancelPendingRefresh();
  }

  /** Re-reads `nextRefresh` of the time-aware metrics and schedules the earliest. Never throws. */
  plan(): void {
    if (!this.active) return;
    let earliest: number | undefined;
    for (const slot of this.dispatch.slots) {
      const due = dueOf(slot);
      slot.due = due;
      if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
    }
    this.scheduler.refreshAt(earliest);
  }

  /** Refreshes every metric that is due now, commits, and plans the next refresh. */
  run(): number {
    if (!this.active) return BATCH_DONE;
    const now = this.scheduler.now();
    const ctx = { now };
    let outcome = BATCH_DONE;
    for (const slot of this.dispatch.slots) {
      if (slot.due === undefined || slot.due > now) continue;
      slot.refreshedAt = now;
      if (this.dispatch.refresh(slot, ctx) === RECORDER_FAILED) {
        outcome = BATCH_FAILED;
        break;
      }
    }
    if (this.drain.commitChanges() === BATCH_FAILED) outcome = BATCH_FAILED;
    if (outcome === BATCH_DONE) this.plan();
    return outcome;
  }
}

function dueOf(slot: MetricSlot): number | undefined {
  const next = slot.metric.nextRefresh;
  if (next === undefined) return undefined;
  let due: unknown;
  try {
    due = next.call(slot.metric, slot.state);
  } catch {
    // A failing `nextRefresh` only means no timely refresh: the metric still gets its events.
    return undefined;
  }
  if (typeof due !== 'number' || Number.isNaN(due)) return undefined;
  // A metric asking again for a time it was already refreshed at makes no progress (its refresh failed
  // or did nothing): wait for its next event instead of spinning.
  if (slot.refreshedAt !== undefined && due <= slot.refreshedAt) return undefined;
  return due;
}
