import { asyncScheduler, type SchedulerLike } from 'rxjs';
import {
  checkNonNegativeNumber,
  checkScheduler,
  orDefault,
  rangeError,
  readOptions,
  typeError,
} from '../internal/validate.js';

/** Options of {@link snapshotEventStream}. */
export interface SnapshotEventStreamOptions {
  /** Tick interval: snapshots are read and sent at most once per interval (>= 10). @default 1000 */
  readonly intervalMs?: number;
  /**
   * How many ticks are kept for new connections (a fresh page is not empty) and resuming ones
   * (an integer from 1 to 100,000; memory is about `history` times one snapshot event). @default 300
   */
  readonly history?: number;
  /** A `heartbeat` event is sent to a connection that got nothing for this long (>= 100). @default 15_000 */
  readonly heartbeatMs?: number;
  /** The `retry:` reconnection delay announced to native `EventSource`s (ms). @default 2_000 */
  readonly retryMs?: number;
  /**
   * Keep ticking (and filling the history) while no client is connected, until `close()`. By default
   * the timers run only while at least one client is connected. @default false
   */
  readonly recordWhileIdle?: boolean;
  /** Runs the tick and heartbeat timers (a `TestScheduler` in tests). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Checked options. @internal */
export interface StreamConfig {
  readonly intervalMs: number;
  readonly history: number;
  readonly heartbeatMs: number;
  readonly retryMs: number;
  readonly recordWhileIdle: boolean;
  readonly scheduler: SchedulerLike;
}

/** The option names {@link readStreamOptions} accepts. @internal */
export const STREAM_OPTION_KEYS = [
  'intervalMs',
  'history',
  'heartbeatMs',
  'retryMs',
  'recordWhileIdle',
  'scheduler',
] as const;

/** @internal */
export const MAX_HISTORY = 100_000;

/** Checks a number of milliseconds of at least `min`. @internal */
export function checkMilliseconds(param: string, value: unknown, min: number): number {
  const n = checkNonNegativeNumber(param, value);
  if (n < min) throw rangeError(param, `a number of milliseconds >= ${min}`, value);
  return n;
}

/** Checks an integer in `[min, max]`. @internal */
export function checkIntegerIn(param: string, value: unknown, min: number, max: number): number {
  const expected = `an integer from ${min} to ${max}`;
  if (typeof value !== 'number') throw typeError(param, expected, value);
  if (!Number.isInteger(value) || value < min || value > max) throw rangeError(param, expected, value);
  return value;
}

/** Checks a boolean. @internal */
export function checkBoolean(param: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(param, 'a boolean', value);
  return value;
}

/**
 * Reads {@link SnapshotEventStreamOptions} (from `values`, already read by `readOptions` when the
 * caller has more options of its own). @internal
 */
export function streamConfigFrom(o: {
  readonly [K in (typeof STREAM_OPTION_KEYS)[number]]?: unknown;
}): StreamConfig {
  return {
    intervalMs: orDefault(o.intervalMs, 1000, (v) => checkMilliseconds('options.intervalMs', v, 10)),
    history: orDefault(o.history, 300, (v) => checkIntegerIn('options.history', v, 1, MAX_HISTORY)),
    heartbeatMs: orDefault(o.heartbeatMs, 15_000, (v) => checkMilliseconds('options.heartbeatMs', v, 100)),
    retryMs: orDefault(o.retryMs, 2_000, (v) => checkIntegerIn('options.retryMs', v, 0, 24 * 3_600_000)),
    recordWhileIdle: orDefault(o.recordWhileIdle, false, (v) => checkBoolean('options.recordWhileIdle', v)),
    scheduler: orDefault<SchedulerLike>(o.scheduler, asyncScheduler, (v) =>
      checkScheduler<SchedulerLike>('options.scheduler', v),
    ),
  };
}

/** Reads and checks the options of {@link snapshotEventStream}. @internal */
export function readStreamOptions(options: unknown): StreamConfig {
  return streamConfigFrom(readOptions('options', options, STREAM_OPTION_KEYS));
}
