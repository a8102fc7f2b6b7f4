import type { MetricsRecorderError } from '../errors/MetricsError.js';
import {
  RecorderHookError,
  RecorderInvalidStateError,
  RecorderStopTimeoutError,
  RecorderUnexpectedError,
} from '../errors/recorderErrors.js';
import { monotonicNow, withTimeout } from '../../internal/timers.js';
import { BATCH_BUDGET_MS } from './BatchProcessor.js';
import type { OpResult, RecorderState } from './types.js';

const TIMED_OUT = Symbol('timed out');

/** What the lifecycle drives in its recorder. @internal */
export interface LifecycleHost {
  /** The recorder's `onStarting` hook, or undefined when it is not overridden (start is then synchronous). */
  readonly onStarting: (() => void | Promise<void>) | undefined;
  /** The recorder's `onStopped` hook. */
  onStopped(): void | Promise<void>;
  /** Bound on stop's drain plus `onStopped`, in milliseconds. */
  readonly stopTimeoutMs: number;
  /** Bound on `onStarting`, in milliseconds. */
  readonly startTimeoutMs: number;
  /** The state changed: update admission and publish `state$` / `stats$`. */
  stateChanged(next: RecorderState): void;
  /** Events accepted and not yet processed. */
  pending(): number;
  /** Drains while `keepGoing()` holds, in bounded batches with real yields, each within `budgetMs()`. */
  drain(keepGoing: () => boolean, budgetMs: () => number): Promise<void>;
  /** The recorder reached `running`: schedule processing of what is pending. */
  resumeProcessing(): void;
  /** Reports an error on `errors$`. */
  report(error: Error): void;
  /** `onStopped` failed as cleanup after a failure (log and report it). */
  cleanupFailed(error: RecorderHookError): void;
  /** Completes every stream (dispose). */
  completeStreams(): void;
}

/**
 * The recorder's state machine: start / stop / dispose with joins, sticky failure, stop's bounded drain
 * and hook timeout, and the cleanup after a failure. Never throws and never rejects: lifecycle problems
 * are {@link OpResult}s.
 * @internal
 */
export class RecorderLifecycle {
  status: RecorderState = 'virgin';
  /** Epoch milliseconds of the first transition to `running`. */
  startTime: number | undefined;
  private disposing = false;
  private lastError: MetricsRecorderError | undefined;
  private startOp: Promise<OpResult> | undefined;
  private stopOp: Promise<OpResult> | undefined;
  private disposeOp: Promise<void> | undefined;

  constructor(private readonly host: LifecycleHost) {}

  start(): Promise<OpResult> {
    if (this.disposing) return Promise.resolve(this.invalidOp('start', ['virgin', 'stopped']));
    if (this.status === 'starting' && this.startOp) return this.startOp;
    if (this.status !== 'virgin' && this.status !== 'stopped') {
      return Promise.resolve(this.invalidOp('start', ['virgin', 'stopped']));
    }
    this.setState('starting');
    // Without an `onStarting` hook there is nothing to wait for: the recorder is running when start()
    // returns, so a recorder started (or lazily started by its first event) inside a synchronous
    // `TestScheduler.run` processes events there.
    const hook = this.host.onStarting;
    if (hook === undefined) return Promise.resolve(this.started());
    const op = this.runStart(hook);
    this.startOp = op;
    return op;
  }

  stop(): Promise<OpResult> {
    if (this.status === 'stopping' && this.stopOp) return this.stopOp;
    if (this.status !== 'running') return Promise.resolve(this.invalidOp('stop', ['running']));
    this.setState('stopping');
    const op = this.runStop();
    this.stopOp = op;
    return op;
  }

  dispose(): Promise<void> {
    this.disposing = true;
    return (this.disposeOp ??= this.runDispose());
  }

  /** Resolves when a start in flight has settled (at once otherwise). */
  async settled(): Promise<void> {
    if (this.status === 'starting' && this.startOp) await this.startOp;
  }

  /** Moves to the sticky `failure` state (once); with `cleanup`, runs `onStopped` as cleanup. */
  fail(error: MetricsRecorderError, cleanup: boolean): void {
    if (this.status === 'failure') return;
    this.lastError = error;
    this.setState('failure');
    if (cleanup) void this.runCleanup();
  }

  /** `{ cause: lastError }` for invalid-state errors raised while failed. */
  causeOpts(): { cause?: unknown } | undefined {
    return this.status === 'failure' && this.lastError ? { cause: this.lastError } : undefined;
  }

  private setState(next: RecorderState): void {
    this.status = next;
    this.host.stateChanged(next);
  }

  private async runStart(hook: () => void | Promise<void>): Promise<OpResult> {
    try {
      // The hook never runs on the caller's stack (lazy start from emit), and never hangs the start.
      const ms = this.host.startTimeoutMs;
      const outcome = await withTimeout(Promise.resolve().then(hook), ms, TIMED_OUT);
      if (outcome === TIMED_OUT) throw new Error(`onStarting did not settle within ${ms} ms`);
    } catch (cause) {
      const error = new RecorderHookError('starting', { cause });
      this.startOp = undefined;
      this.host.report(error);
      this.fail(error, false);
      return Object.freeze({ op: 'start', success: false, error });
    }
    this.startOp = undefined;
    return this.started();
  }

  private started(): OpResult {
    this.lastError = undefined;
    this.startTime ??= Date.now();
    this.setState('running');
    if (this.host.pending() > 0) this.host.resumeProcessing();
    return Object.freeze({ op: 'start', success: true });
  }

  private async runStop(): Promise<OpResult> {
    const { host } = this;
    const deadline = monotonicNow() + host.stopTimeoutMs;
    // Drain in bounded batches with real macrotask yields: a virtual scheduler never blocks stop.
    await host.drain(
      () => host.pending() > 0 && this.status === 'stopping' && monotonicNow() < deadline,
      () => Math.min(BATCH_BUDGET_MS, deadline - monotonicNow()),
    );
    if (host.pending() > 0 && this.status === 'stopping') {
      return this.stopFailed(new RecorderStopTimeoutError(host.stopTimeoutMs), true);
    }
    if (this.status !== 'stopping') return this.stopFailed(this.lastError, false);
    let outcome: typeof TIMED_OUT | undefined;
    try {
      const hook = Promise.resolve().then(() => host.onStopped());
      outcome = (await withTimeout(hook, deadline - monotonicNow(), TIMED_OUT)) as
        typeof TIMED_OUT | undefined;
    } catch (cause) {
      return this.stopFailed(new RecorderHookError('stopped', { cause }), false);
    }
    if (outcome === TIMED_OUT)
      return this.stopFailed(new RecorderStopTimeoutError(host.stopTimeoutMs), false);
    this.stopOp = undefined;
    this.setState('stopped');
    return Object.freeze({ op: 'stop', success: true });
  }

  private stopFailed(error: MetricsRecorderError | undefined, cleanup: boolean): OpResult {
    this.stopOp = undefined;
    const failure = error ?? new RecorderUnexpectedError('The recorder failed while stopping');
    if (this.status !== 'failure') {
      this.host.report(failure);
      this.fail(failure, cleanup);
    }
    return Object.freeze({ op: 'stop', success: false, error: failure });
  }

  /** `onStopped` as cleanup after a failure: its own failure is reported, never thrown. */
  private async runCleanup(): Promise<void> {
    try {
      await this.host.onStopped();
    } catch (cause) {
      this.host.cleanupFailed(new RecorderHookError('stopped', { cause }));
    }
  }

  private async runDispose(): Promise<void> {
    if (this.status === 'starting' && this.startOp) await this.startOp;
    if (this.status === 'running') await this.stop();
    else if (this.status === 'stopping' && this.stopOp) await this.stopOp;
    this.setState('disposed');
    this.host.completeStreams();
  }

  private invalidOp(op: 'start' | 'stop', expected: readonly RecorderState[]): OpResult {
    const disposingNow = this.disposing && this.status !== 'disposed';
    const action = disposingNow && op === 'start' ? 'start (the recorder is being disposed)' : op;
    const error = new RecorderInvalidStateError(this.status, expected, action, this.causeOpts());
    return Object.freeze({ op, success: false, error });
  }
}
