import type { TickFrame } from './sseFrames.js';

/**
 * The last `capacity` tick frames, in a ring. Sequence numbers are consecutive, so finding the
 * frame after a given one is O(1). @internal
 */
export class TickHistory {
  private readonly ring: (TickFrame | undefined)[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<TickFrame | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(frame: TickFrame): void {
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = frame;
      this.size += 1;
    } else {
      this.ring[this.start] = frame;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest frame. */
  latest(): TickFrame | undefined {
    return this.size === 0 ? undefined : this.ring[(this.start + this.size - 1) % this.capacity];
  }

  /** The oldest frame kept. */
  oldest(): TickFrame | undefined {
    return this.size === 0 ? undefined : this.ring[this.start];
  }

  /** The first frame kept with a `seq` greater than `seq`. */
  after(seq: number): TickFrame | undefined {
    const oldest = this.oldest();
    if (oldest === undefined) return undefined;
    const offset = Math.max(0, seq + 1 - oldest.seq);
    return offset < this.size ? this.ring[(this.start + offset) % this.capacity] : undefined;
  }

  /** Bytes held by the frames (shared bodies counted once). */
  bytes(): number {
    const seen = new Set<Buffer>();
    let total = 0;
    for (let i = 0; i < this.size; i++) {
      const f = this.ring[(this.start + i) % this.capacity]!;
      total += f.header.length;
      if (!seen.has(f.body)) {
        seen.add(f.body);
        total += f.body.length;
      }
    }
    return total;
  }
}
