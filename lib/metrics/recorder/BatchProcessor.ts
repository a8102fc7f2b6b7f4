import type { SchedulerLike } from 'rxjs';
import type { MetricEvent } from '../event.js';
import type { AnyMetric } from '../metric.js';
import type { MetricsRecorderError } from '../errors/MetricsError.js';
import { MetricFailedError } from '../errors/recorderErrors.js';
import { RECORDER_LOG_EVENTS } from '../logging/recorderLogPolicy.js';
import type { LogContext } from '../../logger/LogContext.js';
import { monotonicNow, nextMacrotask } from '../../internal/timers.js';
import { DrainDriver } from './DrainDriver.js';
import { LazyMetricChange } from './MetricChange.js';
import { MetricTable } from './MetricTable.js';
import type { RecorderStreams } from './RecorderStreams.js';
import type { RingBuffer } from './RingBuffer.js';
import { logRecorderError } from './recorderLogging.js';
import type { MetricChange } from './types.js';

/** Bounds of one scheduled drain batch: a flood never holds the event loop for long. @internal */
export const BATCH_MAX_EVENTS = 16_384;
/** @internal */
export const BATCH_BUDGET_MS = 4;

/** What the processing side needs from its recorder. @internal */
export interface ProcessorHost<E extends MetricEvent> {
  /** True while the recorder processes events (running or stopping). */
  isProcessing(): boolean;
  /** The recorder's `onMetricChanged` when a subclass overrides it. */
  readonly changeHook: ((change: MetricChange<E>) => void) | undefined;
  /** A metric failed under `'fail-recorder'`. */
  failRecorder(error: MetricsRecorderError): void;
  /** Publishes `stats$` (after a batch; `ifDirty` after a drain task that may have had nothing to do). */
  publishStats(ifDirty?: boolean): void;
}

/** Options of a {@link BatchProcessor}. @internal */
export interface ProcessorOptions {
  readonly scheduler: SchedulerLike | undefined;
  readonly failFast: boolean;
  readonly logContext: LogContext | null;
  readonly entityId: string;
}

/**
 * The recorder's processing side: drains the pending buffer in FIFO batches on the drain driver,
 * dispatches each event to the metric table, delivers `events$` / `changes$` / the change hook,
 * isolates metric failures, and publishes snapshots and stats once per batch.
 * @internal
 */
export class BatchProcessor<E extends MetricEvent> {
  readonly table: MetricTable;
  readonly driver: DrainDriver;
  /** Events dispatched to the metrics. */
  processed = 0;
  /** Failures of metrics and of the change hook. */
  metricErrors = 0;
  private draining = false;

  constructor(
    private readonly buffer: RingBuffer<E>,
    private readonly streams: RecorderStreams<E>,
    private readonly host: ProcessorHost<E>,
    private readonly options: ProcessorOptions,
  ) {
    this.driver = new DrainDriver(options.scheduler, () => this.drainTask());
    this.table = new MetricTable({
      metricFailed: (metric, cause) => this.metricFailed(metric, cause),
      metricChanged: (metric, event, state) => this.metricChanged(metric, event as E, state),
    });
  }

  /** Processes everything pending now (read-your-writes); a no-op when called from inside a batch. */
  drainAll(): void {
    while (this.buffer.size > 0 && !this.draining && this.host.isProcessing())
      this.runBatch(Infinity, Infinity);
  }

  /**
   * Runs bounded batches, yielding a real macrotask between them, while `keepGoing()` holds: the loop of
   * `stop()` and `flush()`, which never wait for the (possibly virtual) scheduler.
   */
  async drainWhile(keepGoing: () => boolean, budgetMs: () => number): Promise<void> {
    while (keepGoing()) {
      this.runBatch(BATCH_MAX_EVENTS, budgetMs());
      if (keepGoing()) await nextMacrotask();
    }
  }

  /** Processes up to `maxEvents` pending events (FIFO) within `budgetMs`, then publishes once. */
  runBatch(maxEvents: number, budgetMs: number): void {
    if (this.draining || this.buffer.size === 0) return;
    this.draining = true;
    const { table, buffer } = this;
    const events = this.streams.events;
    const emitEvents = events.observed;
    table.observeChanges = this.host.changeHook !== undefined || this.streams.changes.observed;
    const ctx = { now: this.driver.now() };
    const started = monotonicNow();
    let count = 0;
    try {
      while (buffer.size > 0 && count < maxEvents) {
        const event = buffer.shift();
        this.processed++;
        count++;
        if (!table.dispatch(event, ctx)) break;
        if (emitEvents) events.next(event);
        // The clock is read every 32 events: < 1 ns per event, and a slow metric cannot overrun the
        // budget (or stop's deadline) by more than 32 of its events.
        if ((count & 31) === 0 && monotonicNow() - started >= budgetMs) break;
      }
    } finally {
      this.draining = false;
    }
    if (table.commit()) this.streams.snapshots.next(table.current());
    this.host.publishStats();
  }

  private drainTask(): void {
    this.driver.scheduled = false;
    if (this.host.isProcessing()) {
      this.runBatch(BATCH_MAX_EVENTS, BATCH_BUDGET_MS);
      if (this.buffer.size > 0 && this.host.isProcessing()) this.driver.requestNext();
    }
    this.host.publishStats(true); // refusals counted on this drain to publish them
  }

  private metricFailed(metric: AnyMetric, cause: unknown): boolean {
    this.metricErrors++;
    const error = new MetricFailedError(metric.name, { cause });
    const { logContext, entityId, failFast } = this.options;
    logRecorderError(logContext, RECORDER_LOG_EVENTS.dispatchError, entityId, error);
    this.streams.errors.next(error);
    if (!failFast) return false;
    this.host.failRecorder(error);
    return true;
  }

  private metricChanged(metric: AnyMetric, event: E, state: unknown): boolean {
    const change = new LazyMetricChange<E>(metric, event, state);
    const hook = this.host.changeHook;
    if (hook !== undefined) {
      try {
        hook(change);
      } catch (cause) {
        if (this.metricFailed(metric, cause)) return false;
      }
    }
    this.streams.changes.next(change);
    return true;
  }
}
