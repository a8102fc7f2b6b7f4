import type { Observable } from 'rxjs';
import type { MetricEmitter, MetricEmitterObserver } from '../emitter.js';
import type { EmittedEvent, MetricEvent } from '../event.js';
import { checkMetric, type AnyMetric, type Metric } from '../metric.js';
import type { Dimensions, MetricSnapshot, MetricSnapshots } from '../snapshot.js';
import { buildSnapshot } from '../snapshots/buildSnapshot.js';
import {
  MetricFailedError,
  RecorderInvalidStateError,
  RecorderUnexpectedError,
} from '../errors/recorderErrors.js';
import { RECORDER_LOG_EVENTS } from '../logging/recorderLogPolicy.js';
import type { LogContext } from '../../logger/LogContext.js';
import type { LogDeliveryError } from '../../logger/LogDeliveryError.js';
import { hasBrandedInstance } from '../../internal/brand.js';
import { checkString } from '../../internal/validate.js';
import { Accounting } from './accounting.js';
import { RecorderLifecycle } from './lifecycle/RecorderLifecycle.js';
import { ACCEPTED, ACCEPTING_STATES, Admission, DROPPED } from './pipeline/Admission.js';
import { Commit } from './pipeline/Commit.js';
import { Dispatch } from './pipeline/Dispatch.js';
import {
  BATCH_BUDGET_MS,
  BATCH_FAILED,
  BATCH_MAX_EVENTS,
  CATCH_UP_BUDGET_MS,
  Drain,
  READ_BUDGET_MS,
} from './pipeline/Drain.js';
import { DrainScheduler } from './pipeline/DrainScheduler.js';
import { EventBuffer } from './pipeline/EventBuffer.js';
import { RecorderStreams, snapshotOf } from './pipeline/RecorderStreams.js';
import { Refresh } from './pipeline/Refresh.js';
import { nextMacrotask } from '../../internal/timers.js';
import { logged, logRecorderError } from './recorderLogging.js';
import { normalizeEntityId, resolveRecorderOptions } from './recorderOptions.js';
import type { MetricChange, OpResult, RecorderOptions, RecorderState, RecorderStats } from './types.js';

/**
 * The metrics a recorder of events `E` can register: one whose events can occur among `E`. A metric of
 * unrelated events (disjoint `type`s) does not compile.
 */
export type MetricFor<E extends MetricEvent, A extends MetricEvent, S, D extends Dimensions> = Metric<
  A,
  S,
  D
> &
  ([E & A] extends [never]
    ? { readonly 'registerMetric: this metric accepts no event the recorder records': never }
    : unknown);

/**
 * Buffers metric events, dispatches them to its metrics on the processing side, and exposes the
 * resulting snapshots synchronously and as streams. One recorder is one measured scope (a component,
 * a connection, a tenant), identified by `entityId`.
 *
 * Production code holds only {@link MetricsRecorder.emitter} (or the recorder as a {@link MetricEmitter}):
 * `emit` validates, admits and buffers an event in one O(1) call and never throws.
 *
 * An event's way, one stage per file under `recorder/pipeline/`: admission (`Admission`) → buffer
 * (`EventBuffer`) → drain (`Drain`, scheduled by `DrainScheduler`) → dispatch to the metrics (`Dispatch`)
 * → commit of the batch's snapshots (`Commit`) → streams (`RecorderStreams`). The lifecycle
 * (`lifecycle/RecorderLifecycle`) starts and stops processing; `accounting.ts` states the invariant.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder, outcomeCounter } from 'mvx-common';
 *
 * const saves = outcomeCounter({ name: 'document_storage.save.attempts', on: 'document_storage.save.attempt' });
 * const recorder = new MetricsRecorder('document_storage');
 * recorder.registerMetric(saves);
 * recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' }); // starts lazily
 * console.log(recorder.getStatus(), recorder.getMetricSnapshot(saves)?.dimensions.success_total); // → running 1
 * recorder.snapshot$(saves).subscribe((s) => s.dimensions.total); // a live view, typed by the metric
 * const { success } = await recorder.stop(); // drains what is pending, within stopTimeoutMs
 * console.log(success, recorder.getStats().processed); // → true 1
 * await recorder.dispose();
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
  /**
   * Every metric's snapshot, once per batch that changed something; replays the latest (built before the
   * replay). While nobody subscribes, built-in kinds' snapshots are built on read instead of per batch.
   */
  readonly snapshots$: Observable<MetricSnapshots>;
  /** Admission counters, once per batch and on state changes; replays the latest. */
  readonly stats$: Observable<RecorderStats>;
  /** One change per accepted state change, on the processing side (hot, no replay). */
  readonly changes$: Observable<MetricChange<E>>;
  /** Metric failures, hook failures and each refused `emit` (hot, no replay). */
  readonly errors$: Observable<Error>;
  /** Accepted events as they are processed (hot, no replay). */
  readonly events$: Observable<E>;

  private readonly admission: Admission;
  private readonly buffer: EventBuffer<MetricEvent>;
  private readonly scheduler: DrainScheduler;
  private readonly drain: Drain;
  private readonly dispatch: Dispatch;
  private readonly commit: Commit;
  private readonly refresh: Refresh;
  private readonly streams: RecorderStreams;
  private readonly accounting: Accounting;
  private readonly lifecycle: RecorderLifecycle;
  private readonly logContext: LogContext | null;
  private statsScheduled = false;
  /** Refusals changed the stats since the last `stats$` emission. */
  private statsDirty = false;

  /** Class identity across copies of the package (the CommonJS and ESM builds loaded together). @internal */
  static readonly mvxBrand: string = 'mvx-common/MetricsRecorder';

  /** True for every `MetricsRecorder`, including one made by another copy of this package. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrandedInstance(this, value);
  }

  constructor(entityId: string, options?: RecorderOptions) {
    this.entityId = normalizeEntityId(entityId);
    const resolved = resolveRecorderOptions(options);
    this.namespace = resolved.namespace;
    this.logContext = resolved.logContext;
    const hasChangeHook = this.onMetricChanged !== MetricsRecorder.prototype.onMetricChanged;
    const hasStartHook = this.onStarting !== MetricsRecorder.prototype.onStarting;

    const streams = new RecorderStreams(Object.freeze({}), zeroStats(resolved.capacity));
    const buffer = new EventBuffer<MetricEvent>(resolved.capacity);
    const admission = new Admission(buffer, resolved.overflow);
    const scheduler = new DrainScheduler(
      resolved.scheduler,
      () => this.runScheduledBatch(),
      () => this.runRefresh(),
    );
    const dispatch = new Dispatch(streams, {
      failFast: resolved.metricErrors === 'fail-recorder',
      changeHook: hasChangeHook ? (change) => this.onMetricChanged(change as MetricChange<E>) : undefined,
      logFailure: (error) =>
        logRecorderError(this.logContext, RECORDER_LOG_EVENTS.dispatchError, this.entityId, error, (e) =>
          this.reportLogFailure(e),
        ),
    });
    const commit = new Commit(dispatch, streams);
    const drain = new Drain(buffer, dispatch, commit, streams, () => scheduler.now());
    const refresh = new Refresh(dispatch, drain, scheduler);
    const accounting = new Accounting(admission, buffer, drain, dispatch);
    this.streams = streams;
    this.buffer = buffer;
    this.admission = admission;
    this.scheduler = scheduler;
    this.dispatch = dispatch;
    this.commit = commit;
    this.drain = drain;
    this.refresh = refresh;
    this.accounting = accounting;
    this.lifecycle = new RecorderLifecycle(
      { admission, buffer, drain, dispatch, scheduler, refresh, streams, accounting },
      {
        onStarting: hasStartHook ? () => this.onStarting() : undefined,
        onStopped: () => this.onStopped(),
        stopTimeoutMs: resolved.stopTimeoutMs,
        startTimeoutMs: resolved.startTimeoutMs,
        logCleanupFailure: (error) =>
          logRecorderError(this.logContext, RECORDER_LOG_EVENTS.cleanupFailed, this.entityId, error, (e) =>
            this.reportLogFailure(e),
          ),
      },
    );
    this.state$ = streams.state$;
    this.snapshots$ = commit.snapshots$;
    this.stats$ = streams.stats$;
    this.changes$ = streams.changes$ as Observable<MetricChange<E>>;
    this.errors$ = streams.errors$;
    this.events$ = streams.events$ as Observable<E>;
    this.emitter = Object.freeze({
      emit: (event: EmittedEvent<E>) => this.emit(event),
      next: (event: EmittedEvent<E>) => this.emit(event),
      error: (cause: unknown) => this.pipedStreamErrored(cause),
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
    const target = this.accounting.accepted();
    await this.lifecycle.settled();
    const { accounting, lifecycle, drain } = this;
    while (accounting.settled() < target && lifecycle.processing) {
      if (drain.runBatch(BATCH_MAX_EVENTS, BATCH_BUDGET_MS) === BATCH_FAILED) this.failFromDispatch();
      this.publishStats();
      if (accounting.settled() < target && lifecycle.processing) await nextMacrotask();
    }
  }

  // ---------------------------------------------------------------- registration and admission

  /**
   * Registers `metric`. A metric registered under an existing name replaces the old one and keeps its
   * slot (its state starts from `init()`). Throws a TypeError/RangeError for a malformed metric,
   * `RecorderInvalidStateError` outside virgin/starting/running, and `MetricFailedError` when its
   * `init`/`dimensions` throws or its dimensions are not JSON-safe (nothing is registered then). A metric
   * whose events cannot occur on a typed recorder does not compile.
   */
  @logged.registerMetric
  registerMetric<A extends MetricEvent, S, D extends Dimensions>(metric: MetricFor<E, A, S, D>): void {
    const checked = checkMetric('metric', metric);
    if (!this.admission.accepting) {
      throw new RecorderInvalidStateError(
        this.lifecycle.status,
        ACCEPTING_STATES,
        'register a metric',
        this.lifecycle.causeOpts(),
      );
    }
    let slot;
    let snapshot;
    try {
      slot = this.dispatch.createSlot(checked);
      snapshot = buildSnapshot(checked, slot.state);
    } catch (cause) {
      throw new MetricFailedError(checked.name, { cause });
    }
    const replaced = this.dispatch.insert(slot);
    this.commit.registered(slot, snapshot, replaced);
    this.refresh.plan();
  }

  /**
   * Strict admission: throws `TypeError` (`InvalidMetricEventError`, code `INVALID_EVENT`) for an invalid
   * event, `RecorderInvalidStateError` when the recorder does not accept events, and
   * `RecorderOverflowError` when full under the `'error'` policy. Under the drop policies a full buffer
   * drops without throwing (counted in `dropped`).
   */
  registerEvent(event: EmittedEvent<E>): void {
    const outcome = this.admission.admit(event);
    if (outcome === ACCEPTED) {
      if (!this.scheduler.scheduled) this.afterAccept();
      return;
    }
    this.noteRefusal();
    if (outcome !== DROPPED) throw this.refusal(outcome, event);
  }

  /**
   * Lenient admission for production code: never throws, whatever the value, the subscribers or the log
   * configuration. Refusals are counted in the stats and, except for drops under the drop policies,
   * reported on `errors$` as the error `registerEvent` would throw.
   */
  emit(event: EmittedEvent<E>): void {
    const outcome = this.admission.admit(event);
    if (outcome === ACCEPTED) {
      if (!this.scheduler.scheduled) this.afterAccept();
      return;
    }
    this.noteRefusal();
    if (outcome !== DROPPED && this.streams.errors.observed)
      this.streams.errors.next(this.refusal(outcome, event));
  }

  // ---------------------------------------------------------------- reads

  /**
   * Every metric's snapshot (deeply frozen, JSON-safe). While running or stopping it first processes
   * what is pending (read-your-writes), publishing the resulting stream emissions before it returns;
   * that drain is bounded (about 250 ms of processing on the caller's stack): beyond it, the rest is left to the
   * scheduled batches and the read shows what was processed.
   */
  @logged.getMetricSnapshots
  getMetricSnapshots(): MetricSnapshots {
    this.drainForRead();
    return this.commit.current();
  }

  /**
   * One metric's snapshot (read-your-writes like {@link getMetricSnapshots}), or undefined when no
   * metric of that name is registered. Given the metric itself, the snapshot is typed by it
   * (`getMetricSnapshot(saves)?.dimensions.total` is a number).
   */
  getMetricSnapshot<D extends Dimensions>(
    metric: Metric<MetricEvent, unknown, D>,
  ): MetricSnapshot<D> | undefined;
  getMetricSnapshot(name: string): MetricSnapshot | undefined;
  @logged.getMetricSnapshot
  getMetricSnapshot(nameOrMetric: string | AnyMetric): MetricSnapshot | undefined {
    const name = nameOf(nameOrMetric);
    this.drainForRead();
    return this.commit.currentOf(name);
  }

  /**
   * Emits a metric's snapshot whenever it changes; replays the latest (nothing until a metric of that
   * name is registered). Given the metric itself, the snapshots are typed by it.
   */
  snapshot$<D extends Dimensions>(metric: Metric<MetricEvent, unknown, D>): Observable<MetricSnapshot<D>>;
  snapshot$(name: string): Observable<MetricSnapshot>;
  snapshot$(nameOrMetric: string | AnyMetric): Observable<MetricSnapshot> {
    return snapshotOf(this.snapshots$, nameOf(nameOrMetric));
  }

  /** The registered metric instances, in slot order. */
  @logged.iterMetrics
  iterMetrics(): readonly AnyMetric[] {
    return this.dispatch.metrics();
  }

  /** Current counters. A pure read: it never drains. */
  getStats(): RecorderStats {
    return this.accounting.stats();
  }

  /**
   * Receives each failure of the recorder's own logging (a failing sink, clock, policy, ...), which never
   * reaches the caller: reported on `errors$` as a `LogDeliveryError`.
   * @internal
   */
  reportLogFailure(error: LogDeliveryError): void {
    try {
      this.streams.errors.next(error);
    } catch {
      // errors$ subscribers' own failures are rxjs's to report
    }
  }

  // ---------------------------------------------------------------- extension hooks

  /** Runs on every start (initial and restart) before the recorder is running. */
  protected onStarting(): void | Promise<void> {}

  /** Runs after a stop's drain, and as cleanup after a failure. */
  protected onStopped(): void | Promise<void> {}

  /** Runs synchronously for each accepted change; async work belongs on `changes$`. */
  protected onMetricChanged(_change: MetricChange<E>): void {}

  // ---------------------------------------------------------------- processing entries

  /** The scheduled drain batch (the scheduler's entry into the pipeline). */
  private runScheduledBatch(): void {
    this.scheduler.scheduled = false;
    const { lifecycle, buffer } = this;
    if (lifecycle.processing) {
      const budget = buffer.size > buffer.capacity / 2 ? CATCH_UP_BUDGET_MS : BATCH_BUDGET_MS;
      if (this.drain.runBatch(BATCH_MAX_EVENTS, budget) === BATCH_FAILED) this.failFromDispatch();
      else this.refresh.plan();
      if (buffer.size > 0 && lifecycle.processing) this.scheduler.requestNext();
      this.publishStats();
    } else if (this.statsDirty) {
      this.publishStats(); // refusals counted since the last emission
    }
  }

  /** The scheduled refresh of time-aware metrics. */
  private runRefresh(): void {
    if (this.lifecycle.status !== 'running') return;
    if (this.refresh.run() === BATCH_FAILED) this.failFromDispatch();
  }

  /** Read-your-writes: a bounded drain on the caller's stack (a no-op inside a batch). */
  private drainForRead(): void {
    if (this.buffer.size === 0 || this.drain.running || !this.lifecycle.processing) return;
    if (this.drain.runBatch(Infinity, READ_BUDGET_MS) === BATCH_FAILED) this.failFromDispatch();
    else this.refresh.plan();
    if (this.buffer.size > 0 && this.lifecycle.processing) this.scheduler.requestNext();
    this.publishStats();
  }

  private failFromDispatch(): void {
    const failure = this.dispatch.failure;
    if (failure !== undefined) this.lifecycle.fail(failure, true, true);
  }

  private afterAccept(): void {
    const status = this.lifecycle.status;
    if (status === 'running') this.scheduler.request();
    else if (status === 'virgin') void this.start();
  }

  private pipedStreamErrored(cause: unknown): void {
    try {
      this.streams.errors.next(new RecorderUnexpectedError('A piped event stream errored', { cause }));
    } catch {
      // Never throw into the piped stream (rxjs would report it from a timer).
    }
  }

  /** Refusals change the stats outside a batch: publish them soon (once, however many refusals). */
  private noteRefusal(): void {
    this.statsDirty = true;
    if (this.statsScheduled || this.scheduler.scheduled) return;
    this.statsScheduled = true;
    this.scheduler.defer(() => {
      this.statsScheduled = false;
      if (this.statsDirty) this.publishStats();
    });
  }

  private refusal(outcome: number, event: unknown): Error {
    return this.admission.refusal(outcome, event, this.lifecycle.status, this.lifecycle.causeOpts());
  }

  private publishStats(): void {
    this.statsDirty = false;
    this.lifecycle.publishStats();
  }
}

function nameOf(nameOrMetric: unknown): string {
  if (typeof nameOrMetric === 'string') return nameOrMetric;
  if (nameOrMetric !== null && typeof nameOrMetric === 'object') {
    let name: unknown;
    try {
      name = (nameOrMetric as { name?: unknown }).name;
    } catch (cause) {
      throw new TypeError('Reading `metric.name` threw', { cause });
    }
    return checkString('metric.name', name);
  }
  return checkString('name', nameOrMetric);
}

function zeroStats(capacity: number): RecorderStats {
  return Object.freeze({
    offered: 0,
    accepted: 0,
    processed: 0,
    dropped: 0,
    rejected: 0,
    pending: 0,
    capacity,
    metricErrors: 0,
  });
}
