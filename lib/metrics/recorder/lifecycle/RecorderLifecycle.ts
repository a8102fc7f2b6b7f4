import type { MetricEvent } from '../../event.js';
import type { MetricsRecorderError } from '../../errors/MetricsError.js';
import {
  RecorderHookError,
  RecorderInvalidStateError,
  RecorderStopTimeoutError,
  RecorderUnexpectedError,
} from '../../errors/recorderErrors.js';
import { monotonicNow, nextMacrotask, withTimeout } from '../../../internal/timers.js';
import type { Accounting } from '../accounting.js';
import { ACCEPTING_STATES, type Admission } from '../pipeline/Admission.js';
import type { Dispatch } from '../pipeline/Dispatch.js';
import { BATCH_BUDGET_MS, BATCH_FAILED, BATCH_MAX_EVENTS, type Drain } from '../pipeline/Drain.js';
import type { DrainScheduler } from '../pipeline/DrainScheduler.js';
import type { EventBuffer } from '../pipeline/EventBuffer.js';
import type { RecorderStreams } from '../pipeline/RecorderStreams.js';
import type { Refresh } from '../pipeline/Refresh.js';
import type { OpResult, RecorderState } from '../types.js';

const TIMED_OUT = Symbol('timed out');

/** The recorder's extension hooks and bounds, fixed at construction. @internal */
export interface LifecycleOptions {
  /** The recorder's `onStarting` hook, or undefined when it is not overridden (start is then synchronous). */
  readonly onStarting: (() => void | Promise<void>) | undefined;
  /** The recorder's `onStopped` hook. */
  readonly onStopped: () => void | Promise<void>;
  /** Bound on stop's drain plus `onStopped`, in milliseconds. */
  readonly stopTimeoutMs: number;
  /** Bound on `onStarting`, in milliseconds. */
  readonly startTimeoutMs: number;
  /** Logs a failure of `onStopped` run as cleanup (never throws). */
  readonly logCleanupFailure: (error: RecorderHookError) => void;
}

/** The pipeline stages the lifecycle drives. @internal */
export interface LifecycleStages {
  readonly admission: Admission;
  readonly buffer: EventBuffer<MetricEvent>;
  readonly drain: Drain;
  readonly dispatch: Dispatch;
  readonly scheduler: DrainScheduler;
  readonly refresh: Refresh;
  readonly streams: RecorderStreams;
  readonly accounting: Accounting;
}

/**
 * The recorder's state machine: start / stop / dispose with joins, sticky failure, stop's bounded drain
 * and hook timeouts, and the cleanup after a failure. Never throws and never rejects: lifecycle problems
 * are {@link OpResult}s.
 *
 * Re-entrancy: every transition records its bookkeeping (the state and the operation in flight) before it
 * publishes `state$` / `stats$`, so a subscriber or hook calling `start`, `stop`, `dispose` or `flush`
 * from inside a transition joins or waits for the operation in flight. `dispose()` settles whatever is in
 * flight, again and again if needed, and always ends in `disposed`.
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
  private readonly publications: (() => void)[] = [];
  private publishing = false;

  constructor(
    private readonly stages: LifecycleStages,
    private readonly options: LifecycleOptions,
  ) {}

  /** True while events are processed (running or stopping). */
  get processing(): boolean {
    return this.status === 'running' || this.status === 'stopping';
  }

  start(): Promise<OpResult> {
    if (this.disposing) return Promise.resolve(this.invalidOp('start', ['virgin', 'stopped']));
    if (this.status === 'starting' && this.startOp) return this.startOp;
    if (this.status !== 'virgin' && this.status !== 'stopped') {
      return Promise.resolve(this.invalidOp('start', ['virgin', 'stopped']));
    }
    const hook = this.options.onStarting;
    if (hook === undefined) {
      // Nothing to wait for: running when start() returns, so a recorder started (or lazily started by
      // its first event) inside a synchronous `TestScheduler.run` processes events there. A subscriber
      // of `starting` calling start() joins this start.
      let settle!: (result: OpResult) => void;
      const op = new Promise<OpResult>((resolve) => (settle = resolve));
      this.startOp = op;
      this.setState('starting');
      // (setState publishes: a subscriber may have changed the state meanwhile)
      const result = this.current() === 'starting' ? this.started() : this.interrupted('start');
      this.startOp = undefined;
      settle(result);
      return op;
    }
    const op = this.runStart(hook);
    this.startOp = op;
    this.setState('starting');
    return op;
  }

  stop(): Promise<OpResult> {
    if (this.status === 'stopping' && this.stopOp) return this.stopOp;
    if (this.status !== 'running') return Promise.resolve(this.invalidOp('stop', ['running']));
    const op = this.runStop();
    this.stopOp = op;
    this.setState('stopping');
    return op;
  }

  dispose(): Promise<void> {
    this.disposing = true;
    return (this.disposeOp ??= this.runDispose());
  }

  /** Resolves when a start in flight has settled (at once otherwise). */
  async settled(): Promise<void> {
    while (this.status === 'starting' && this.startOp) await this.startOp;
  }

  /**
   * Moves to the sticky `failure` state (once; never from `disposed`); reports `error` on `errors$`
   * unless `reported`; with `cleanup`, runs `onStopped` as cleanup.
   */
  fail(error: MetricsRecorderError, cleanup: boolean, reported = false): void {
    if (this.status === 'failure' || this.status === 'disposed') return;
    this.lastError = error;
    if (!reported) this.stages.streams.errors.next(error);
    this.setState('failure');
    if (cleanup) void this.runCleanup();
  }

  /** `{ cause: lastError }` for invalid-state errors raised while failed. */
  causeOpts(): { cause?: unknown } | undefined {
    return this.status === 'failure' && this.lastError ? { cause: this.lastError } : undefined;
  }

  /** Publishes the current stats on `stats$`. */
  publishStats(): void {
    this.stages.streams.stats.next(this.stages.accounting.stats());
  }

  // ---------------------------------------------------------------- transitions

  /** The state now (read again after a transition published: subscribers may have changed it). */
  private current(): RecorderState {
    return this.status;
  }

  private setState(next: RecorderState): void {
    const { stages } = this;
    this.status = next;
    stages.admission.accepting = ACCEPTING_STATES.includes(next);
    if (next === 'running') stages.refresh.start();
    else stages.refresh.stop();
    this.publish(() => {
      stages.streams.state.next(next);
      this.publishStats();
    });
  }

  /**
   * Runs a publication now, or, when called from inside one (a subscriber reacting to a transition
   * started another), right after it: every subscriber sees every transition, in order.
   */
  private publish(action: () => void): void {
    this.publications.push(action);
    if (this.publishing) return;
    this.publishing = true;
    try {
      for (let next = this.publications.shift(); next !== undefined; next = this.publications.shift()) next();
    } finally {
      this.publishing = false;
    }
  }

  private started(): OpResult {
    this.lastError = undefined;
    this.startTime ??= Date.now();
    this.setState('running');
    if (this.status === 'running' && this.stages.buffer.size > 0) this.stages.scheduler.request();
    return Object.freeze({ op: 'start', success: true });
  }

  private async runStart(hook: () => void | Promise<void>): Promise<OpResult> {
    try {
      // The hook never runs on the caller's stack (lazy start from emit), and never hangs the start.
      const ms = this.options.startTimeoutMs;
      const outcome = await withTimeout(Promise.resolve().then(hook), ms, TIMED_OUT);
      if (outcome === TIMED_OUT) throw new Error(`onStarting did not settle within ${ms} ms`);
    } catch (cause) {
      this.startOp = undefined;
      const error = new RecorderHookError('starting', { cause });
      if (this.status === 'starting') this.fail(error, false);
      return Object.freeze({ op: 'start', success: false, error });
    }
    this.startOp = undefined;
    if (this.status !== 'starting') return this.interrupted('start');
    return this.started();
  }

  private async runStop(): Promise<OpResult> {
    // Start on a later microtask: stop() has recorded the operation and published `stopping` by then.
    await Promise.resolve();
    const { buffer, drain, dispatch } = this.stages;
    const timeoutMs = this.options.stopTimeoutMs;
    const deadline = monotonicNow() + timeoutMs;
    // Drain in bounded batches with real macrotask yields: a virtual scheduler never blocks stop.
    while (buffer.size > 0 && this.status === 'stopping') {
      const left = deadline - monotonicNow();
      if (left <= 0) break;
      if (drain.runBatch(BATCH_MAX_EVENTS, Math.min(BATCH_BUDGET_MS, left)) === BATCH_FAILED) {
        this.fail(dispatch.failure ?? new RecorderStopTimeoutError(timeoutMs), true, true);
        break;
      }
      this.publishStats();
      if (buffer.size > 0) await nextMacrotask();
    }
    if (this.status !== 'stopping') return this.stopEnded();
    if (buffer.size > 0) return this.stopFailed(new RecorderStopTimeoutError(timeoutMs), true);
    let outcome: unknown;
    try {
      const hook = Promise.resolve().then(() => this.options.onStopped());
      outcome = await withTimeout(hook, deadline - monotonicNow(), TIMED_OUT);
    } catch (cause) {
      return this.stopFailed(new RecorderHookError('stopped', { cause }), false);
    }
    if (outcome === TIMED_OUT) return this.stopFailed(new RecorderStopTimeoutError(timeoutMs), false);
    this.stopOp = undefined;
    if (this.status !== 'stopping') return this.stopEnded();
    this.setState('stopped');
    return Object.freeze({ op: 'stop', success: true });
  }

  /** The stop ended because the recorder failed (or was failed) while stopping. */
  private stopEnded(): OpResult {
    this.stopOp = undefined;
    const error =
      this.lastError ??
      new RecorderInvalidStateError(this.status, ['stopping'], 'complete the stop', this.causeOpts());
    return Object.freeze({ op: 'stop', success: false, error });
  }

  private stopFailed(error: MetricsRecorderError, cleanup: boolean): OpResult {
    this.stopOp = undefined;
    if (this.status === 'stopping') this.fail(error, cleanup);
    return Object.freeze({ op: 'stop', success: false, error: this.lastError ?? error });
  }

  /** `onStopped` as cleanup after a failure, bounded like a stop: its failure is reported, never thrown. */
  private async runCleanup(): Promise<void> {
    try {
      const hook = Promise.resolve().then(() => this.options.onStopped());
      const outcome = await withTimeout(hook, this.options.stopTimeoutMs, TIMED_OUT);
      if (outcome === TIMED_OUT)
        throw new Error(`onStopped did not settle within ${this.options.stopTimeoutMs} ms`);
    } catch (cause) {
      const error = new RecorderHookError('stopped', { cause });
      this.options.logCleanupFailure(error);
      this.stages.streams.errors.next(error);
    }
  }

  private async runDispose(): Promise<void> {
    // Settle whatever is in flight; a subscriber or hook may start something new meanwhile (only joins
    // are possible once disposing), so look again until nothing is.
    for (let rounds = 0; rounds < 100; rounds++) {
      if (this.status === 'starting' && this.startOp) await this.startOp;
      else if (this.status === 'stopping' && this.stopOp) await this.stopOp;
      else if (this.status === 'running') await this.stop();
      else if (this.status === 'starting' || this.status === 'stopping') await nextMacrotask();
      else break;
    }
    if (this.status === 'running' || this.status === 'starting' || this.status === 'stopping') {
      // Cannot happen with the joins above (a defect if it does): report it, and still end disposed.
      this.fail(new RecorderUnexpectedError(`dispose() found the recorder still '${this.status}'`), false);
    }
    this.setState('disposed');
    this.publish(() => this.stages.streams.completeAll());
  }

  /** A start whose state was changed under it (a re-entrant dispose or failure). */
  private interrupted(op: 'start'): OpResult {
    if (this.status === 'failure' && this.lastError) {
      return Object.freeze({ op, success: false, error: this.lastError });
    }
    return this.invalidOp(op, ['starting']);
  }

  private invalidOp(op: 'start' | 'stop', expected: readonly RecorderState[]): OpResult {
    const disposingNow = this.disposing && this.status !== 'disposed';
    const action = disposingNow && op === 'start' ? 'start (the recorder is being disposed)' : op;
    const error = new RecorderInvalidStateError(this.status, expected, action, this.causeOpts());
    return Object.freeze({ op, success: false, error });
  }
}
