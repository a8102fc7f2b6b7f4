import type { Observable } from 'rxjs';
import type { MetricEmitter, MetricEmitterObserver } from '../emitter.js';
import { isMetricEvent, type MetricEvent } from '../event.js';
import { checkMetric, type AnyMetric } from '../metric.js';
import type { MetricSnapshot, MetricSnapshots } from '../snapshot.js';
import {
  MetricFailedError,
  RecorderInvalidStateError,
  RecorderUnexpectedError,
} from '../errors/recorderErrors.js';
import {
  ACCEPTED,
  ACCEPTING_STATES,
  DROPPED,
  INVALID,
  OVERFLOW_REFUSED,
  refusalError,
  WRONG_STATE,
} from './admission.js';
import { BATCH_BUDGET_MS, BatchProcessor } from './BatchProcessor.js';
import type { DrainDriver } from './DrainDriver.js';
import { logged, logRecorderError } from './recorderLogging.js';
import { RECORDER_LOG_EVENTS } from '../logging/recorderLogPolicy.js';
import type { LogContext } from '../../logger/LogContext.js';
import { normalizeEntityId, resolveRecorderOptions } from './recorderOptions.js';
import { RecorderLifecycle } from './RecorderLifecycle.js';
import { RecorderStreams } from './RecorderStreams.js';
import { RingBuffer } from './RingBuffer.js';
import type {
  MetricChange,
  OpResult,
  OverflowPolicy,
  RecorderOptions,
  RecorderState,
  RecorderStats,
} from './types.js';

/**
 * Buffers metric events, dispatches them to its metrics on the processing side, and exposes the
 * resulting snapshots synchronously and as streams. One recorder is one measured scope (a component,
 * a connection, a tenant), identified by `entityId`.
 *
 * Production code holds only {@link MetricsRecorder.emitter} (or the recorder as a {@link MetricEmitter}):
 * `emit` validates, admits and buffers an event in one O(1) call and never throws.
 *
 * ## Example
 * ```ts
 * import { MetricsRecorder, outcomeCounter } from 'mvx-common';
 *
 * const recorder = new MetricsRecorder('document_storage');
 * recorder.registerMetric(outcomeCounter({ name: 'document_storage.save.attempts', on: 'document_storage.save.attempt' }));
 * recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' }); // starts lazily
 * console.log(recorder.getMetricSnapshot('document_storage.save.attempts')?.dimensions);
 * await recorder.stop();
 * ```
 */
export class MetricsRecorder<E extends MetricEvent = MetricEvent> implements MetricEmitter<E> {
  /** The measured scope's id (trimmed; a blank id becomes a random 8-hex id). */
  readonly entityId: string;
  /** Names the recorder's log events. */
  readonly namespace: string;
  /** The capability to hand to production code: `emit`, and an RxJS `Observer` for piping streams in. */
  readonly emitter: MetricEmitterObserver<E>;
  /** Lifecycle state; replays the current state. */
  readonly state$: Observable<RecorderState>;
  /** Every metric's snapshot, once per batch that changed something; replays the latest. */
  readonly snapshots$: Observable<MetricSnapshots>;
  /** Admission counters, once per batch and on state changes; replays the latest. */
  readonly stats$: Observable<RecorderStats>;
  /** One change per accepted state change, on the processing side (hot, no replay). */
  readonly changes$: Observable<MetricChange<E>>;
  /** Metric failures, hook failures and each refused `emit` (hot, no replay). */
  readonly errors$: Observable<Error>;
  /** Accepted events as they are processed (hot, no replay). */
  readonly events$: Observable<E>;

  private accepting = true;
  private readonly capacity: number;
  private readonly overflow: OverflowPolicy;
  private readonly buffer: RingBuffer<E>;
  private readonly processor: BatchProcessor<E>;
  private readonly driver: DrainDriver;
  private readonly streams: RecorderStreams<E>;
  private readonly lifecycle: RecorderLifecycle;
  private readonly logContext: LogContext | null;

  private offered = 0;
  private accepted = 0;
  private dropped = 0;
  private rejected = 0;
  private evicted = 0;
  private statsScheduled = false;
  // Fix: set by refusals, cleared by publishStats. A refusal seen while a drain was already scheduled
  // used to rely on that drain to publish, but a drain that finds nothing to process (a read already
  // drained, or the recorder left running) published nothing, so stats$ stayed stale.
  private statsDirty = false;

  constructor(entityId: string, options?: RecorderOptions) {
    this.entityId = normalizeEntityId(entityId);
    const resolved = resolveRecorderOptions(options);
    this.namespace = resolved.namespace;
    this.capacity = resolved.capacity;
    this.overflow = resolved.overflow;
    this.logContext = resolved.logContext;
    this.buffer = new RingBuffer<E>(this.capacity);
    this.streams = new RecorderStreams<E>(Object.freeze({}), this.statsOf(0, 0));
    const hasChangeHook = this.onMetricChanged !== MetricsRecorder.prototype.onMetricChanged;
    this.processor = new BatchProcessor<E>(
      this.buffer,
      this.streams,
      {
        isProcessing: () => this.isProcessing(),
        changeHook: hasChangeHook ? (change) => this.onMetricChanged(change) : undefined,
        failRecorder: (error) => this.lifecycle.fail(error, true),
        publishStats: (ifDirty) => {
          if (!ifDirty || this.statsDirty) this.publishStats();
        },
      },
      {
        scheduler: resolved.scheduler,
        failFast: resolved.metricErrors === 'fail-recorder',
        logContext: this.logContext,
        entityId: this.entityId,
      },
    );
    this.driver = this.processor.driver;
    const hasStartHook = this.onStarting !== MetricsRecorder.prototype.onStarting;
    this.lifecycle = new RecorderLifecycle({
      onStarting: hasStartHook ? () => this.onStarting() : undefined,
      onStopped: () => this.onStopped(),
      stopTimeoutMs: resolved.stopTimeoutMs,
      startTimeoutMs: resolved.startTimeoutMs,
      stateChanged: (next) => {
        this.accepting = ACCEPTING_STATES.includes(next);
        this.streams.state.next(next);
        this.publishStats();
      },
      pending: () => this.buffer.size,
      drain: (keepGoing, budgetMs) => this.processor.drainWhile(keepGoing, budgetMs),
      resumeProcessing: () => this.driver.request(),
      report: (error) => this.report(error),
      cleanupFailed: (error) => {
        logRecorderError(this.logContext, RECORDER_LOG_EVENTS.cleanupFailed, this.entityId, error);
        this.report(error);
      },
      completeStreams: () => this.streams.completeAll(),
    });
    this.state$ = this.streams.state$;
    this.snapshots$ = this.streams.snapshots$;
    this.stats$ = this.streams.stats$;
    this.changes$ = this.streams.changes$;
    this.errors$ = this.streams.errors$;
    this.events$ = this.streams.events$;
    this.emitter = Object.freeze({
      emit: (event: E) => this.emit(event),
      next: (event: E) => this.emit(event),
      error: (cause: unknown) =>
        this.report(new RecorderUnexpectedError('A piped event stream errored', { cause })),
      complete: () => undefined,
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** The log context the recorder logs its operations through, or null (logging disabled). */
  getLogContext(): LogContext | null {
    return this.logContext;
  }

  /** The current lifecycle state. */
  getStatus(): RecorderState {
    return this.lifecycle.status;
  }

  /**
   * Epoch milliseconds of the recorder's first start (restarts keep it: metric states survive them), or
   * undefined before the first start. Exporters use it as the start of cumulative values.
   */
  getStartTime(): number | undefined {
    return this.lifecycle.startTime;
  }

  /**
   * Starts the recorder from `virgin` or `stopped` (running `onStarting`); joins a start in flight.
   * Never rejects: failures are an {@link OpResult} with `success: false`.
   */
  @logged.start
  start(): Promise<OpResult> {
    return this.lifecycle.start();
  }

  /**
   * Stops a running recorder: drains every accepted event, then runs `onStopped`, within
   * `stopTimeoutMs`. Joins a stop in flight. Never rejects.
   */
  @logged.stop
  stop(): Promise<OpResult> {
    return this.lifecycle.stop();
  }

  /**
   * Stops the recorder if needed, then completes every stream. Terminal state `disposed`: later
   * lifecycle calls fail and later events are rejected. Never rejects; idempotent.
   */
  @logged.dispose
  dispose(): Promise<void> {
    return this.lifecycle.dispose();
  }

  /**
   * Resolves once every event accepted before the call has been processed (or evicted). Resolves at
   * once when the recorder is, or becomes, stopped, failed or disposed. Never rejects.
   */
  async flush(): Promise<void> {
    const target = this.accepted;
    await this.lifecycle.settled();
    const processor = this.processor;
    await processor.drainWhile(
      () => processor.processed + this.evicted < target && this.isProcessing(),
      () => BATCH_BUDGET_MS,
    );
  }

  // ---------------------------------------------------------------- registration and admission

  /**
   * Registers `metric`. A metric registered under an existing name replaces the old one and keeps its
   * slot. Throws a TypeError/RangeError for a malformed metric, `RecorderInvalidStateError` outside
   * virgin/starting/running, and `MetricFailedError` when its `init`/`dimensions` throws.
   */
  @logged.registerMetric
  registerMetric(metric: AnyMetric): void {
    const checked = checkMetric('metric', metric);
    if (!this.accepting) {
      throw new RecorderInvalidStateError(
        this.lifecycle.status,
        ACCEPTING_STATES,
        'register a metric',
        this.lifecycle.causeOpts(),
      );
    }
    try {
      this.processor.table.register(checked);
    } catch (cause) {
      throw new MetricFailedError(checked.name, { cause });
    }
    this.streams.snapshots.next(this.processor.table.current());
  }

  /**
   * Strict admission: throws `TypeError` for an invalid event, `RecorderInvalidStateError` when the
   * recorder does not accept events, and `RecorderOverflowError` when full under the `'error'` policy.
   * Under the drop policies a full buffer drops without throwing (counted in `dropped`).
   */
  registerEvent(event: E): void {
    const outcome = this.admit(event);
    if (outcome === ACCEPTED) return;
    this.noteRefusal();
    if (outcome !== DROPPED) throw this.refusal(outcome, event);
  }

  /**
   * Lenient admission for production code: never throws. Refusals are counted in the stats and, except
   * for drops under the drop policies, reported on `errors$` as the error `registerEvent` would throw.
   */
  emit(event: E): void {
    const outcome = this.admit(event);
    if (outcome !== ACCEPTED) this.refused(outcome, event);
  }

  // ---------------------------------------------------------------- reads

  /**
   * Every metric's snapshot. While running or stopping it first processes everything pending
   * (read-your-writes), publishing the resulting stream emissions before it returns.
   */
  @logged.getMetricSnapshots
  getMetricSnapshots(): MetricSnapshots {
    this.processor.drainAll();
    return this.processor.table.current();
  }

  /** One metric's snapshot (read-your-writes like {@link getMetricSnapshots}), or undefined. */
  @logged.getMetricSnapshot
  getMetricSnapshot(name: string): MetricSnapshot | undefined {
    this.processor.drainAll();
    return this.processor.table.current()[name];
  }

  /** Emits `name`'s snapshot whenever it changes; replays the latest. */
  snapshot$(name: string): Observable<MetricSnapshot> {
    return this.streams.snapshotOf(name);
  }

  /** The registered metric instances, in slot order. */
  @logged.iterMetrics
  iterMetrics(): readonly AnyMetric[] {
    return this.processor.table.list();
  }

  /** Current counters. A pure read: it never drains. */
  getStats(): RecorderStats {
    return this.statsOf(this.processor.processed, this.processor.metricErrors);
  }

  // ---------------------------------------------------------------- extension hooks

  /** Runs on every start (initial and restart) before the recorder is running. */
  protected onStarting(): void | Promise<void> {}

  /** Runs after a stop's drain, and as cleanup after a failure. */
  protected onStopped(): void | Promise<void> {}

  /** Runs synchronously for each accepted change; async work belongs on `changes$`. */
  protected onMetricChanged(_change: MetricChange<E>): void {}

  // ---------------------------------------------------------------- internals

  private admit(event: E): number {
    this.offered++;
    // Fix: `isMetricEvent` instead of reading `event.type` here: a throwing `type` getter (a proxy, a
    // broken class) used to escape from `emit`, which must never throw, and broke the accounting.
    if (!isMetricEvent(event)) {
      this.rejected++;
      return INVALID;
    }
    if (!this.accepting) {
      this.rejected++;
      return WRONG_STATE;
    }
    const buffer = this.buffer;
    if (buffer.size >= this.capacity) {
      this.dropped++;
      if (this.overflow !== 'drop-oldest') return this.overflow === 'error' ? OVERFLOW_REFUSED : DROPPED;
      buffer.shift();
      this.evicted++;
    }
    buffer.push(event);
    this.accepted++;
    if (!this.driver.scheduled) this.afterAccept();
    return ACCEPTED;
  }

  private afterAccept(): void {
    if (this.lifecycle.status === 'running') this.driver.request();
    else if (this.lifecycle.status === 'virgin') void this.start();
  }

  private refused(outcome: number, event: E): void {
    this.noteRefusal();
    if (outcome !== DROPPED && this.streams.errors.observed)
      this.streams.errors.next(this.refusal(outcome, event));
  }

  /** Refusals change the stats outside a batch: publish them soon (once, however many refusals). */
  private noteRefusal(): void {
    this.statsDirty = true;
    if (this.statsScheduled || this.driver.scheduled) return;
    this.statsScheduled = true;
    this.driver.defer(() => {
      this.statsScheduled = false;
      if (this.statsDirty) this.publishStats();
    });
  }

  private refusal(outcome: number, event: E): Error {
    return refusalError(outcome, event, this.capacity, this.lifecycle.status, this.lifecycle.causeOpts());
  }

  private isProcessing(): boolean {
    const status = this.lifecycle.status;
    return status === 'running' || status === 'stopping';
  }

  private report(error: Error): void {
    this.streams.errors.next(error);
  }

  private statsOf(processed: number, metricErrors: number): RecorderStats {
    return Object.freeze({
      offered: this.offered,
      accepted: this.accepted,
      processed,
      dropped: this.dropped,
      rejected: this.rejected,
      pending: this.buffer.size,
      capacity: this.capacity,
      metricErrors,
    });
  }

  private publishStats(): void {
    this.statsDirty = false;
    this.streams.stats.next(this.getStats());
  }
}
