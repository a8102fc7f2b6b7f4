import type { MessagePort } from 'node:worker_threads';
import type { Subscription } from 'rxjs';
import { withTimeout } from '../internal/timers.js';
import { postSnapshots } from '../metrics/bridge/mirrorSnapshots.js';
import { receiveEvents, type EventReceiver } from '../metrics/bridge/receiveEvents.js';
import { listen } from '../metrics/bridge/MessagePortLike.js';
import type { MetricsRecorder } from '../metrics/recorder/MetricsRecorder.js';
import type { MetricsRuntime } from '../metrics/runtime/MetricsRuntime.js';
import {
  HOST_PROTOCOL,
  isChannelMessage,
  type RecorderChannelMessage,
  type RecorderRequest,
} from './protocol.js';
import { toWire } from './wireErrors.js';

const TIMED_OUT = Symbol('timed out');

/** How a hosted recorder's channel is served. @internal */
export interface HostedRecorderConfig {
  /** A flush answers within this bound, finished or not (the stats then show what is left). */
  readonly flushBudgetMs: number;
}

/**
 * One recorder in the worker and its channel to the main thread's facade: events in (through a
 * flow-controlled receiver), snapshots and stats out, and the facade's requests (`flush`, `stop`,
 * `stopAndRemove`), served one at a time in channel order, behind the events posted before them.
 * Every request is answered, within the recorder's own bounds.
 * @internal
 */
export class HostedRecorder {
  private readonly receiver: EventReceiver;
  private readonly posting: Subscription;
  private readonly unlisten: () => void;
  private queue: Promise<void> = Promise.resolve();
  private released = false;

  constructor(
    private readonly id: string,
    private readonly recorder: MetricsRecorder,
    private readonly port: MessagePort,
    private readonly runtime: MetricsRuntime,
    private readonly config: HostedRecorderConfig,
    private readonly onReleased: (id: string) => void,
  ) {
    this.receiver = receiveEvents(port, recorder);
    this.posting = postSnapshots(recorder.snapshots$, port);
    this.posting.add(recorder.stats$.subscribe(() => this.postStats()));
    this.unlisten = listen(port, (data) => {
      if (!isChannelMessage(data) || data.kind !== 'request') return;
      const { id: requestId, request } = data;
      this.queue = this.queue.then(() => this.serve(requestId, request));
    });
  }

  /** Stops serving the channel and closes it (the recorder itself is the runtime's). Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.receiver.close();
    this.posting.unsubscribe();
    this.unlisten();
    this.port.close();
    this.onReleased(this.id);
  }

  private async serve(requestId: number, request: RecorderRequest): Promise<void> {
    if (this.released) return;
    let error: unknown;
    let ok = true;
    try {
      await this.run(request);
    } catch (cause) {
      ok = false;
      error = cause;
    }
    this.postStats();
    this.post({
      mvx: HOST_PROTOCOL,
      kind: 'response',
      id: requestId,
      ok,
      ...(ok ? {} : { error: toWire(error) }),
    });
    if (request.op === 'stopAndRemove' && !this.isRegistered()) this.release();
  }

  private isRegistered(): boolean {
    try {
      return this.runtime.tryGetRecorder(this.id) !== undefined;
    } catch {
      return false; // the worker's runtime is shutting down
    }
  }

  private async run(request: RecorderRequest): Promise<void> {
    switch (request.op) {
      case 'flush':
        await withTimeout(this.receiver.flush(), this.config.flushBudgetMs, TIMED_OUT);
        return;
      case 'stop':
        this.handOverReceived();
        await this.runtime.stopRecorder(this.id);
        return;
      case 'stopAndRemove':
        this.handOverReceived();
        await this.runtime.stopAndRemoveRecorder(this.id);
        return;
    }
  }

  /**
   * Everything that arrived before a stop goes into the recorder, room or not (what exceeds its capacity
   * is dropped and counted), so that its stop drains it within its own stop timeout.
   */
  private handOverReceived(): void {
    this.receiver.handOver();
  }

  private postStats(): void {
    const { received, queued } = this.receiverCounts();
    this.post({
      mvx: HOST_PROTOCOL,
      kind: 'stats',
      stats: this.recorder.getStats(),
      state: this.recorder.getStatus(),
      startTime: this.recorder.getStartTime(),
      received,
      queued,
    });
  }

  private receiverCounts(): { received: number; queued: number } {
    const s = this.receiver.getStats();
    return { received: s.events, queued: s.queued };
  }

  private post(message: RecorderChannelMessage): void {
    if (this.released) return;
    try {
      this.port.postMessage(message);
    } catch {
      // a closed channel: the facade is gone
    }
  }
}
