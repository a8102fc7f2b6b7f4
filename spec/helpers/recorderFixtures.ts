/**
 * Shared test doubles for recorder specs: a counting metric (the reference's `CountingMetric`), a
 * recorder whose hooks can be blocked or made to fail (the reference's fixture recorder), and a
 * deferred promise.
 */
import type {
  MetricChange,
  MetricEvent,
  RecorderOptions,
  RecorderStats,
  MetricsRecorderError,
} from 'mvx-common';
import { defineMetric, MetricsRecorder } from 'mvx-common';

export interface CountEvent extends MetricEvent {
  readonly type: 'count';
  readonly value?: number;
  readonly seq?: number;
}
export interface OtherEvent extends MetricEvent {
  readonly type: 'other';
}
export type TestEvent = CountEvent | OtherEvent;

export const count = (value = 1, seq?: number): CountEvent =>
  seq === undefined ? { type: 'count', value } : { type: 'count', value, seq };
export const other: OtherEvent = { type: 'other' };

/** Adds `event.value` (default 1) for `count` events; can be told to throw. */
export function countingMetric(
  name = 'test.metric',
  opts: { throwWhen?: (e: CountEvent) => boolean; seen?: unknown[] } = {},
) {
  return defineMetric({
    name,
    kind: 'counter',
    accepts: (e: MetricEvent): e is CountEvent => e.type === 'count',
    init: () => ({ total: 0 }),
    reduce: (s: { total: number }, e: CountEvent) => {
      opts.seen?.push(e);
      if (opts.throwWhen?.(e)) throw new Error(`boom in ${name}`);
      return { total: s.total + (e.value ?? 1) };
    },
    dimensions: (s) => ({ total: s.total }),
  });
}

/** Records every `seq` it sees, in order. */
export function orderMetric(name: string, log: string[]) {
  return defineMetric({
    name,
    accepts: (e: MetricEvent): e is CountEvent => e.type === 'count',
    init: () => ({ n: 0 }),
    reduce: (s: { n: number }, e: CountEvent) => {
      log.push(`${name}:${e.seq ?? '?'}`);
      return { n: s.n + 1 };
    },
    dimensions: (s) => ({ n: s.n }),
  });
}

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A recorder whose hooks are counted and can be blocked or made to throw. */
export class HookedRecorder<E extends MetricEvent = TestEvent> extends MetricsRecorder<E> {
  startingCalls = 0;
  stoppedCalls = 0;
  readonly changes: MetricChange<E>[] = [];
  startGate: Promise<void> | undefined;
  stopGate: Promise<void> | undefined;
  startError: unknown;
  stopError: unknown;
  changeError: ((change: MetricChange<E>) => unknown) | undefined;

  constructor(entityId = 'hooked', options?: RecorderOptions) {
    super(entityId, options);
  }

  protected override async onStarting(): Promise<void> {
    this.startingCalls++;
    if (this.startGate) await this.startGate;
    if (this.startError !== undefined) throw this.startError;
  }

  protected override async onStopped(): Promise<void> {
    this.stoppedCalls++;
    if (this.stopGate) await this.stopGate;
    if (this.stopError !== undefined) throw this.stopError;
  }

  protected override onMetricChanged(change: MetricChange<E>): void {
    this.changes.push(change);
    const error = this.changeError?.(change);
    if (error !== undefined) throw error;
  }
}

/** Asserts the accounting invariant of `recorder.getStats()`. */
export function expectInvariant(recorder: { getStats(): RecorderStats }): void {
  const s = recorder.getStats();
  if (s.offered !== s.processed + s.pending + s.dropped + s.rejected) {
    throw new Error(`Accounting invariant broken: ${JSON.stringify(s)}`);
  }
}

export type { MetricsRecorderError };
