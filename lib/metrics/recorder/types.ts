import type { SchedulerLike } from 'rxjs';
import type { MetricEvent } from '../event.js';
import type { AnyMetric } from '../metric.js';
import type { MetricSnapshot } from '../snapshot.js';
import type { MetricsRecorderError } from '../errors/MetricsError.js';
import type { LogContext } from '../../logger/LogContext.js';

/** Lifecycle state of a {@link MetricsRecorder}. `failure` and `disposed` are terminal. */
export type RecorderState =
  'virgin' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failure' | 'disposed';

/**
 * What happens to an event offered while `capacity` events are pending:
 * - `'drop-newest'`: the new event is refused and counted as dropped (default);
 * - `'drop-oldest'`: the oldest pending event is evicted (counted as dropped) and the new one accepted;
 * - `'error'`: the new event is refused; `registerEvent` throws `RecorderOverflowError`, `emit` reports it
 *   on `errors$`.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'error';

/** What a throwing metric does to its recorder. */
export type MetricErrorPolicy = 'isolate' | 'fail-recorder';

/** Options of a {@link MetricsRecorder}. Every field is optional. */
export interface RecorderOptions {
  /**
   * Names the recorder's log events and tasks.
   * @default 'mvx.metrics.recorder'
   */
  namespace?: string;
  /**
   * Maximum pending events (accepted, not yet processed). A positive integer.
   * @default 10_000
   */
  capacity?: number;
  /**
   * Overflow policy when `capacity` events are pending.
   * @default 'drop-newest'
   */
  overflow?: OverflowPolicy;
  /**
   * Scheduler of the processing side: drain batches, `ctx.now` and stream emissions. A `TestScheduler`
   * makes processing deterministic. By default the first batch runs on a microtask and later batches
   * after a macrotask, and `ctx.now` is `Date.now()`.
   */
  scheduler?: SchedulerLike;
  /**
   * `'isolate'` keeps a throwing metric's last good state and reports the failure; `'fail-recorder'`
   * moves the recorder to `failure` on the first failure (the reference behaviour).
   * @default 'isolate'
   */
  metricErrors?: MetricErrorPolicy;
  /**
   * Bound, in milliseconds, on `stop()`'s drain plus `onStopped`.
   * @default 5_000
   */
  stopTimeoutMs?: number;
  /**
   * Bound, in milliseconds, on the `onStarting` hook. A hook that does not settle in time fails the
   * start with `RecorderHookError` (phase `'starting'`), so a start never hangs.
   * @default 5_000
   */
  startTimeoutMs?: number;
  /** Log context the recorder logs its operations through; `null`/absent disables logging. */
  logContext?: LogContext | null;
}

/** The outcome of `start()` / `stop()`. Lifecycle problems are returned here, never thrown. */
export interface OpResult {
  readonly op: 'start' | 'stop';
  readonly success: boolean;
  readonly error?: MetricsRecorderError;
}

/**
 * Admission and processing counters. Invariant, true at every observation:
 * `offered = processed + pending + dropped + rejected`.
 */
export interface RecorderStats {
  /** Every call of `emit` / `registerEvent`. */
  readonly offered: number;
  /** Events that entered the buffer (including ones later evicted by `drop-oldest`). */
  readonly accepted: number;
  /** Events dispatched to the metrics. */
  readonly processed: number;
  /** Events refused or evicted for capacity (all policies). */
  readonly dropped: number;
  /** Invalid events and wrong-state refusals. */
  readonly rejected: number;
  /** Accepted, not yet processed or evicted. */
  readonly pending: number;
  /** The recorder's capacity. */
  readonly capacity: number;
  /** Failures of metrics and of `onMetricChanged`. */
  readonly metricErrors: number;
}

/** One accepted change: `metric`'s state changed because of `event`. */
export interface MetricChange<E extends MetricEvent = MetricEvent> {
  readonly metric: AnyMetric;
  readonly event: E;
  /** The metric's snapshot right after this event (built lazily on first read). */
  readonly snapshot: MetricSnapshot;
}
