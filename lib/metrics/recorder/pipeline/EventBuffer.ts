/**
 * Stage 2 of the recorder's pipeline: the pending events, a FIFO ring buffer with O(1) push / shift.
 * Storage grows by doubling up to the capacity (a recorder with a large capacity costs nothing until it
 * is used) and never shrinks. `size` is the `pending` count of the stats; `evicted` counts the events
 * the `drop-oldest` policy removed without processing.
 * @internal
 */
export class EventBuffer<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private mask: number;
  /** Events held (accepted, not yet processed or evicted). */
  size = 0;
  /** Events removed by {@link EventBuffer.evictOldest}. */
  evicted = 0;

  constructor(readonly capacity: number) {
    const initial = Math.min(1024, nextPowerOfTwo(capacity));
    this.items = new Array<T | undefined>(initial);
    this.mask = initial - 1;
  }

  /** True when `capacity` events are held. */
  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Appends `item`. The caller guarantees `size < capacity`. */
  push(item: T): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest item. The caller guarantees `size > 0`. */
  shift(): T {
    const index = this.head;
    const item = this.items[index] as T;
    this.items[index] = undefined;
    this.head = (index + 1) & this.mask;
    this.size--;
    return item;
  }

  /** Drops the oldest item without processing it (`drop-oldest`). The caller guarantees `size > 0`. */
  evictOldest(): void {
    this.shift();
    this.evicted++;
  }

  private grow(): void {
    const length = this.mask + 1;
    const next = new Array<T | undefined>(Math.min(length * 2, nextPowerOfTwo(this.capacity)));
    for (let i = 0; i < this.size; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = next.length - 1;
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
