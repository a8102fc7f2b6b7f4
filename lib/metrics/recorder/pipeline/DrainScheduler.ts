import type { SchedulerLike, Subscription } from 'rxjs';
import { scheduleMacrotask, setRealTimeout } from '../../../internal/timers.js';

/**
 * Decides *when* the recorder's drain and refresh run. With an injected scheduler every batch and every
 * refresh is scheduled on it (so `TestScheduler` controls processing and time); by default the first
 * batch after idle runs on a microtask (low latency), follow-up batches after a macrotask (a flood never
 * starves I/O), and refreshes on an unref'd timer (a pending refresh never keeps a process alive).
 * @internal
 */
export class DrainScheduler {
  /** A drain batch is scheduled and has not run yet. */
  scheduled = false;
  private refreshDue: number | undefined;
  private cancelRefresh: (() => void) | undefined;

  constructor(
    private readonly scheduler: SchedulerLike | undefined,
    private readonly batchTask: () => void,
    private readonly refreshTask: () => void,
  ) {}

  /** The clock of `ctx.now`: the scheduler's, else `Date.now()`. */
  now(): number {
    return this.scheduler ? this.scheduler.now() : Date.now();
  }

  /** Schedules the first batch after idle. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.scheduler) this.scheduler.schedule(this.batchTask);
    else queueMicrotask(this.batchTask);
  }

  /** Schedules a follow-up batch (more events are pending). */
  requestNext(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.scheduler) this.scheduler.schedule(this.batchTask);
    else scheduleMacrotask(this.batchTask);
  }

  /** Runs `task` soon on the processing side (publishing stats after refusals). */
  defer(task: () => void): void {
    if (this.scheduler) this.scheduler.schedule(task);
    else queueMicrotask(task);
  }

  /**
   * Makes the refresh run at `due` (on the `now()` clock), or never when `due` is undefined. An earlier
   * refresh already scheduled is kept; a later one is replaced.
   */
  refreshAt(due: number | undefined): void {
    if (due === undefined) {
      this.cancelPendingRefresh();
      return;
    }
    if (this.refreshDue !== undefined && this.refreshDue <= due) return;
    this.cancelPendingRefresh();
    this.refreshDue = due;
    const delay = Math.max(0, due - this.now());
    const run = (): void => {
      this.refreshDue = undefined;
      this.cancelRefresh = undefined;
      this.refreshTask();
    };
    if (this.scheduler) {
      const subscription: Subscription = this.scheduler.schedule(run, delay);
      this.cancelRefresh = () => subscription.unsubscribe();
    } else {
      this.cancelRefresh = setRealTimeout(run, delay);
    }
  }

  /** Cancels a scheduled refresh. */
  cancelPendingRefresh(): void {
    this.cancelRefresh?.();
    this.cancelRefresh = undefined;
    this.refreshDue = undefined;
  }
}
