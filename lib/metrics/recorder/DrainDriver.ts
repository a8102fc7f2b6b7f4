import type { SchedulerLike } from 'rxjs';
import { scheduleMacrotask } from '../../internal/timers.js';

/**
 * Decides *when* the recorder's drain runs. With an injected scheduler every batch is scheduled on it
 * (so `TestScheduler` controls processing); by default the first batch after idle runs on a microtask
 * (low latency) and follow-up batches after a macrotask (so a flood never starves I/O).
 * @internal
 */
export class DrainDriver {
  /** A drain batch is scheduled and has not run yet. */
  scheduled = false;

  constructor(
    private readonly scheduler: SchedulerLike | undefined,
    private readonly task: () => void,
  ) {}

  /** `ctx.now` of a batch: the scheduler's clock, else `Date.now()`. */
  now(): number {
    return this.scheduler ? this.scheduler.now() : Date.now();
  }

  /** Schedules the first batch after idle. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.scheduler) this.scheduler.schedule(this.task);
    else queueMicrotask(this.task);
  }

  /** Schedules a follow-up batch (more events are pending). */
  requestNext(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.scheduler) this.scheduler.schedule(this.task);
    else scheduleMacrotask(this.task);
  }

  /** Runs `task` soon on the processing side (used to publish stats after refusals). */
  defer(task: () => void): void {
    if (this.scheduler) this.scheduler.schedule(task);
    else queueMicrotask(task);
  }
}
