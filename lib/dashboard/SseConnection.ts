import type { ServerResponse } from 'node:http';
import type { TickFrame } from './sseFrames.js';
import type { TickHistory } from './TickHistory.js';

/** What a connection reads of its hub. @internal */
export interface ConnectionHub {
  readonly history: TickHistory;
  readonly definitionsVersion: number;
  definitionsFrame(): Buffer;
  now(): number;
  /** Counts ticks a slow connection skipped. */
  skipped(count: number): void;
}

/**
 * One SSE client. It never has more than one write in flight beyond Node's high-water mark: when
 * `write()` returns false the connection is *blocked* and nothing more is written until `drain`.
 * While replaying history it then continues with the next retained tick; once live it skips to the
 * latest tick (the intermediate ones are counted as skipped), so a slow or stalled client costs at
 * most one frame of buffered memory, never a queue.
 * @internal
 */
export class SseConnection {
  private lastSeq: number;
  private definitionsVersion = 0;
  private blocked = false;
  private replaying = true;
  private open = true;
  /** A live, blocked connection has a tick to send once it drains (a newer one supersedes it). */
  private owesTick = false;
  private lastWriteAt: number;
  private readonly onDrain = (): void => {
    this.blocked = false;
    this.pump();
  };

  constructor(
    private readonly hub: ConnectionHub,
    private readonly res: ServerResponse,
    /** The last tick the client has: the connection sends the ticks after it. */
    startAfterSeq: number,
  ) {
    this.lastSeq = startAfterSeq;
    this.lastWriteAt = hub.now();
    res.on('drain', this.onDrain);
  }

  /** Bytes queued in Node for this client (not yet handed to the kernel). */
  get bufferedBytes(): number {
    return this.res.writableLength ?? 0;
  }

  /** Writes what the client is due: definitions when they changed, then ticks, until blocked. */
  pump(): void {
    while (this.open && !this.blocked) {
      const history = this.hub.history;
      let next: TickFrame | undefined;
      if (this.replaying) {
        next = history.after(this.lastSeq);
        if (next === undefined || next === history.latest()) this.replaying = false;
      } else {
        const latest = history.latest();
        next = latest !== undefined && latest.seq > this.lastSeq ? latest : undefined;
        this.owesTick = false;
      }
      if (next === undefined) return;
      if (this.definitionsVersion !== this.hub.definitionsVersion) {
        this.definitionsVersion = this.hub.definitionsVersion;
        if (!this.write(this.hub.definitionsFrame())) {
          // the definitions are queued; the tick follows on drain
          return;
        }
      }
      this.lastSeq = next.seq;
      this.writeFrame(next);
    }
  }

  /** A tick was added to the history: send it, or (blocked) remember that one is owed. */
  onTick(): void {
    if (this.blocked && !this.replaying) {
      if (this.owesTick) this.hub.skipped(1);
      this.owesTick = true;
      return;
    }
    this.pump();
  }

  /** Writes `frame` unless the connection is blocked or wrote something recently. */
  heartbeat(frame: Buffer, minGapMs: number): void {
    if (!this.open || this.blocked) return;
    if (this.hub.now() - this.lastWriteAt < minGapMs) return;
    this.write(frame);
  }

  /** Writes raw bytes (the hello event). */
  writeRaw(chunk: Buffer): void {
    this.write(chunk);
  }

  /** Ends the response (the client sees the stream close). */
  end(): void {
    if (!this.open) return;
    this.release();
    try {
      if (this.blocked) this.res.destroy();
      else this.res.end();
    } catch {
      // already gone
    }
  }

  /** Forgets the response (after it closed). */
  release(): void {
    this.open = false;
    this.res.removeListener('drain', this.onDrain);
  }

  private writeFrame(frame: TickFrame): void {
    const res = this.res;
    res.cork();
    this.write(frame.header);
    this.write(frame.body);
    res.uncork();
  }

  private write(chunk: Buffer): boolean {
    const res = this.res;
    if (!this.open || res.destroyed || res.writableEnded) {
      this.open = false;
      return false;
    }
    this.lastWriteAt = this.hub.now();
    let ok: boolean;
    try {
      ok = res.write(chunk);
    } catch {
      this.open = false;
      return false;
    }
    if (!ok) this.blocked = true;
    return ok;
  }
}
