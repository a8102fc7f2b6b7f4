import { Observable, type Subscriber } from 'rxjs';

/**
 * A hot multicast stream for the per-change and per-event paths (`changes$`, `events$`, `errors$`).
 *
 * Behaves like a `Subject` seen through `asObservable()` (no replay; late subscribers see later
 * values; `complete` completes everyone and later subscribers at once), but `next` calls the
 * subscribers directly: rxjs 7's `Subject.next` allocates an error-context closure per call, which
 * would double the cost of a `changes$` subscriber.
 * @internal
 */
export class HotStream<T> {
  private subscribers: readonly Subscriber<T>[] = [];
  private done = false;

  readonly observable: Observable<T> = new Observable<T>((subscriber) => {
    if (this.done) {
      subscriber.complete();
      return undefined;
    }
    this.subscribers = [...this.subscribers, subscriber];
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber);
    };
  });

  /** True while at least one subscriber listens. */
  get observed(): boolean {
    return this.subscribers.length > 0;
  }

  next(value: T): void {
    // Copy-on-write array: (un)subscribing during delivery never disturbs this loop.
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(value);
  }

  complete(): void {
    if (this.done) return;
    this.done = true;
    const subscribers = this.subscribers;
    this.subscribers = [];
    for (const subscriber of subscribers) subscriber.complete();
  }
}
