/**
 * FIFO ring buffer of pending events with O(1) push/shift. Storage grows by doubling up to `capacity`
 * (so a recorder with a large capacity costs nothing until it is used) and never shrinks.
 * @internal
 */
export class RingBuffer<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private mask: number;
  /** Number of items held. */
  size = 0;

  constructor(private readonly capacity: number) {
    const initial = Math.min(1024, nextPowerOfTwo(capacity));
    this.items = new Array<T | undefined>(initial);
    this.mask = initial - 1;
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
