import type { Unsubscribable } from 'rxjs';

/** Time a receiver may spend processing synchronously per arriving batch (as a recorder's batch). */
export const FLOW_BUDGET_MS = 4;
/** What the receiver hands a recorder at first, before it has timed one of its drains. */
const INITIAL_CHUNK = 32;
/** States in which a recorder accepts events (the others refuse them: they are handed over at once). */
const ACCEPTING: ReadonlySet<string> = new Set(['virgin', 'starting', 'running']);

/** The part of a `MetricsRecorder` flow control uses (its public API only). @internal */
interface RecorderLike {
  emit(event: unknown): void;
  getStats(): { readonly pending: number; readonly capacity: number; readonly processed: number };
  getStatus(): string;
  getMetricSnapshots(): unknown;
  flush(): Promise<void>;
  readonly stats$: {
    subscribe(observer: { next(): void; error(): void; complete(): void }): Unsubscribable;
  };
}

/** What flow control needs from its receiver. @internal */
export interface FlowDeps {
  /** Bound of the queue (ignored when `maxQueuedFromCapacity`). */
  readonly maxQueued: number;
  /** Use the recorder's capacity as the bound of the queue. */
  readonly maxQueuedFromCapacity: boolean;
  /** Hands `list[from..to)` to the target, in order; never throws. */
  handOver(list: ArrayLike<unknown>, from: number, to: number): void;
  /** A monotonic clock, in milliseconds. */
  now(): number;
  /** Schedules a macrotask. */
  schedule(task: () => void): void;
}

interface Segment {
  readonly list: ArrayLike<unknown>;
  next: number;
  end: number;
}

/**
 * Returns flow control for `target` when it is recorder-like (`getStats`, `getStatus`,
 * `getMetricSnapshots`, `flush`, `stats$`), else undefined. Never throws. @internal
 */
export function flowControlOf(target: unknown, deps: FlowDeps): FlowControl | undefined {
  try {
    const t = target as Partial<RecorderLike>;
    const stats$ = t.stats$ as { subscribe?: unknown } | undefined;
    if (
      typeof t.getStats === 'function' &&
      typeof t.getStatus === 'function' &&
      typeof t.getMetricSnapshots === 'function' &&
      typeof t.flush === 'function' &&
      stats$ !== null &&
      typeof stats$ === 'object' &&
      typeof stats$.subscribe === 'function'
    ) {
      return new FlowControl(t as RecorderLike, deps);
    }
  } catch {
    // a hostile target (throwing getters, revoked proxy) is fed without flow control
  }
  return undefined;
}

/**
 * Processing-aware admission of received events into a recorder (see `receiveEvents`). It keeps the
 * recorder's pending events within what the recorder processes in {@link FLOW_BUDGET_MS} (learnt from
 * the synchronous drains it times), drains the recorder synchronously when it has no room (a snapshot
 * read), and queues the rest in order, fed as the recorder drains (`stats$` wakes it up). Events beyond
 * the queue bound are handed over at once, where the recorder's overflow policy counts them; order is
 * always preserved.
 * @internal
 */
export class FlowControl {
  /** Received events waiting in the queue. */
  queued = 0;
  private received = 0;
  private delivered = 0;
  private readonly segments: (Segment | undefined)[] = [];
  private head = 0;
  /** Estimated milliseconds of processing per event. */
  private costMs = FLOW_BUDGET_MS / INITIAL_CHUNK;
  private pumpScheduled = false;
  /** Whether the recorder evicts its oldest pending event when full (learnt; see `shed`). */
  private evicts: boolean | undefined;
  private closed = false;
  private readonly waiters: { readonly until: number; readonly resolve: () => void }[] = [];

  constructor(
    private readonly target: RecorderLike,
    private readonly deps: FlowDeps,
  ) {}

  /** Wakes the queue up after each of the recorder's batches and state changes. */
  start(): Unsubscribable | undefined {
    try {
      return this.target.stats$.subscribe({
        next: () => this.schedulePump(),
        error: () => this.release(),
        complete: () => this.release(),
      });
    } catch {
      return undefined;
    }
  }

  /** A batch arrived: hand it over if it fits, else queue it and make room. */
  receive(list: ArrayLike<unknown>, length: number): void {
    this.received += length;
    if (this.closed) {
      this.deliver(list, 0, length);
      return;
    }
    if (this.queued === 0 && this.room() >= length) {
      this.deliver(list, 0, length);
      return;
    }
    this.segments.push({ list, next: 0, end: length });
    this.queued += length;
    this.pump();
    this.shed();
  }

  /** Resolves once every event received so far is handed over, then once the recorder flushed. */
  async flush(): Promise<void> {
    const until = this.received;
    if (this.delivered < until) {
      await new Promise<void>((resolve) => {
        this.waiters.push({ until, resolve });
        this.schedulePump();
      });
    }
    try {
      await this.target.flush();
    } catch {
      // a recorder's flush never rejects; a foreign one is contained
    }
  }

  /** Hands every waiting event over now (the recorder counts what it refuses). */
  handOver(): void {
    this.take(Infinity);
    this.settle();
  }

  /** Hands every waiting event over (the recorder counts what it refuses) and stops. */
  close(): void {
    this.release();
  }

  // ---------------------------------------------------------------- internals

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.take(Infinity);
    this.settle();
  }

  private deliver(list: ArrayLike<unknown>, from: number, to: number): void {
    this.deps.handOver(list, from, to);
    this.delivered += to - from;
  }

  /** Events the receiver may still hand over without exceeding one budget of pending work. */
  private room(): number {
    try {
      const stats = this.target.getStats();
      return Math.max(0, Math.min(stats.capacity, this.chunk()) - stats.pending);
    } catch {
      return Infinity;
    }
  }

  private chunk(): number {
    return Math.max(1, Math.floor(FLOW_BUDGET_MS / this.costMs));
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed || this.queued === 0) return;
    this.pumpScheduled = true;
    this.deps.schedule(() => {
      this.pumpScheduled = false;
      if (!this.closed) this.pump();
    });
  }

  /** Feeds the queue into the recorder for up to one budget, processing synchronously to make room. */
  private pump(): void {
    const { deps, target } = this;
    const started = deps.now();
    while (this.queued > 0) {
      let stats: ReturnType<RecorderLike['getStats']>;
      let status: string;
      try {
        stats = target.getStats();
        status = target.getStatus();
      } catch {
        this.take(Infinity);
        break;
      }
      if (!ACCEPTING.has(status)) {
        this.take(Infinity); // refused and counted by the recorder
        break;
      }
      const room = Math.min(stats.capacity, this.chunk()) - stats.pending;
      if (room > 0) {
        this.take(room);
        continue;
      }
      // No room: process what the recorder holds, synchronously, if it is running and it fits the budget.
      if (status !== 'running' || stats.pending > this.chunk() || deps.now() - started >= FLOW_BUDGET_MS)
        break;
      const t0 = deps.now();
      let processed: number;
      try {
        target.getMetricSnapshots(); // read-your-writes: drains everything pending
        processed = target.getStats().processed - stats.processed;
      } catch {
        break;
      }
      if (processed <= 0) break; // inside one of its batches, or not processing: wait for stats$
      this.learn(deps.now() - t0, processed);
    }
    this.settle();
  }

  /** Conservative cost estimate: a slower drain counts at once, a faster one in proportion to its size. */
  private learn(ms: number, events: number): void {
    const sample = ms / events;
    if (!(sample >= 0) || !Number.isFinite(sample)) return;
    if (sample >= this.costMs) this.costMs = sample;
    else {
      const weight = Math.min(1, events / 64);
      this.costMs = this.costMs * (1 - weight) + sample * weight;
    }
    this.costMs = Math.max(this.costMs, 1e-6);
  }

  /**
   * Beyond the queue bound: fill the recorder to its capacity (oldest first), then let its overflow
   * policy decide the excess without reordering anything. A recorder that evicts (`drop-oldest`) gets the
   * oldest waiting events, each replacing its oldest pending one; one that refuses (`drop-newest`,
   * `'error'`) gets the newest, which it refuses. Which one it is, is learnt from the first event handed
   * to it full (its `accepted` count tells).
   */
  private shed(): void {
    let bound = this.deps.maxQueued;
    let capacityRoom = Infinity;
    try {
      const stats = this.target.getStats();
      if (this.deps.maxQueuedFromCapacity) bound = stats.capacity;
      capacityRoom = Math.max(0, stats.capacity - stats.pending);
    } catch {
      // unreadable stats: hand over what exceeds the configured bound
    }
    if (this.queued <= bound) return;
    this.take(Math.min(capacityRoom, this.queued - bound));
    if (this.queued > bound && this.evicts === undefined) {
      const before = this.acceptedNow();
      this.take(1);
      const after = this.acceptedNow();
      this.evicts = before !== undefined && after !== undefined && after > before;
    }
    if (this.evicts) this.take(this.queued - bound);
    let excess = this.queued - bound;
    for (let i = this.segments.length - 1; excess > 0 && i >= this.head; i--) {
      const segment = this.segments[i]!;
      const n = Math.min(excess, segment.end - segment.next);
      segment.end -= n;
      this.queued -= n;
      excess -= n;
      this.deliver(segment.list, segment.end, segment.end + n); // refused by the full recorder
    }
    this.settle();
  }

  private acceptedNow(): number | undefined {
    try {
      return (this.target.getStats() as { accepted?: number }).accepted;
    } catch {
      return undefined;
    }
  }

  /** Hands up to `n` queued events over, oldest first. */
  private take(n: number): void {
    while (n > 0 && this.queued > 0) {
      const segment = this.segments[this.head]!;
      const k = Math.min(n, segment.end - segment.next);
      if (k > 0) {
        const from = segment.next;
        segment.next += k;
        this.queued -= k;
        n -= k;
        this.deliver(segment.list, from, from + k);
      }
      if (segment.next >= segment.end) this.segments[this.head++] = undefined;
    }
    if (this.queued === 0) {
      this.segments.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.segments.length) {
      this.segments.splice(0, this.head);
      this.head = 0;
    }
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (this.closed || this.delivered >= waiter.until) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
