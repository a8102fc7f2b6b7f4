import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { setRealTimeout } from './timers.js';

/** An action of {@link unrefTimerScheduler}: one pending real timeout at a time; may reschedule itself. */
class UnrefTimerAction<T> extends Subscription implements SchedulerAction<T> {
  private cancel: (() => void) | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
    this.add(() => this.clear());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.clear();
    this.cancel = setRealTimeout(
      () => {
        this.cancel = undefined;
        if (!this.closed) this.work.call(this, state);
      },
      Math.max(0, delay),
    );
    return this;
  }

  private clear(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}

/**
 * An RxJS scheduler like `asyncScheduler` (real timeouts, `now()` = `Date.now()`), whose timers are
 * unref'd where the host supports it: a pending timer never keeps a Node process alive. For periodic
 * background work (samplers) that must not hold a process open.
 * @internal
 */
export const unrefTimerScheduler: SchedulerLike = Object.freeze({
  now: () => Date.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new UnrefTimerAction<T>(work).schedule(state, delay);
  },
});
