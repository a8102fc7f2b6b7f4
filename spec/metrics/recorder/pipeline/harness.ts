/**
 * The recorder's pipeline stages wired as `MetricsRecorder` wires them, without the facade and the
 * lifecycle, so each stage's spec can drive it directly (the stages are internal: not exported).
 */
import type { SchedulerLike } from 'rxjs';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { AnyMetric, Metric, MetricContext } from '../../../../lib/metrics/metric.js';
import type { Dimensions, MetricSnapshot } from '../../../../lib/metrics/snapshot.js';
import type { MetricFailedError } from '../../../../lib/metrics/errors/recorderErrors.js';
import { buildSnapshot } from '../../../../lib/metrics/snapshots/buildSnapshot.js';
import type { MetricChange, OverflowPolicy, RecorderStats } from '../../../../lib/metrics/recorder/types.js';
import { Accounting } from '../../../../lib/metrics/recorder/accounting.js';
import { Admission } from '../../../../lib/metrics/recorder/pipeline/Admission.js';
import { Commit } from '../../../../lib/metrics/recorder/pipeline/Commit.js';
import { Dispatch, type MetricSlot } from '../../../../lib/metrics/recorder/pipeline/Dispatch.js';
import { Drain } from '../../../../lib/metrics/recorder/pipeline/Drain.js';
import { DrainScheduler } from '../../../../lib/metrics/recorder/pipeline/DrainScheduler.js';
import { EventBuffer } from '../../../../lib/metrics/recorder/pipeline/EventBuffer.js';
import { RecorderStreams } from '../../../../lib/metrics/recorder/pipeline/RecorderStreams.js';
import { Refresh } from '../../../../lib/metrics/recorder/pipeline/Refresh.js';

export interface PipelineOptions {
  readonly capacity?: number;
  readonly overflow?: OverflowPolicy;
  readonly failFast?: boolean;
  readonly changeHook?: (change: MetricChange) => void;
  /** `ctx.now` of a batch (default: the scheduler's clock, else 0). */
  readonly clock?: () => number;
  readonly scheduler?: SchedulerLike;
}

export interface Pipeline {
  readonly buffer: EventBuffer<MetricEvent>;
  readonly streams: RecorderStreams;
  readonly admission: Admission;
  readonly dispatch: Dispatch;
  readonly commit: Commit;
  readonly drain: Drain;
  readonly scheduler: DrainScheduler;
  readonly refresh: Refresh;
  readonly accounting: Accounting;
  /** Every failure the dispatch logged. */
  readonly logged: MetricFailedError[];
  /** Registers `metric` as `registerMetric` does; returns its slot. */
  register(metric: AnyMetric): MetricSlot;
  /** Admits every event (the buffer must have room). */
  offer(...events: MetricEvent[]): void;
}

const ZERO_STATS = (capacity: number): RecorderStats =>
  Object.freeze({
    offered: 0,
    accepted: 0,
    processed: 0,
    dropped: 0,
    rejected: 0,
    pending: 0,
    capacity,
    metricErrors: 0,
  });

export function pipeline(options: PipelineOptions = {}): Pipeline {
  const capacity = options.capacity ?? 100_000;
  const streams = new RecorderStreams(Object.freeze({}), ZERO_STATS(capacity));
  const buffer = new EventBuffer<MetricEvent>(capacity);
  const admission = new Admission(buffer, options.overflow ?? 'drop-newest');
  const logged: MetricFailedError[] = [];
  const dispatch = new Dispatch(streams, {
    failFast: options.failFast === true,
    changeHook: options.changeHook,
    logFailure: (error) => logged.push(error),
  });
  const commit = new Commit(dispatch, streams);
  const late: { refresh?: Refresh } = {};
  const scheduler = new DrainScheduler(
    options.scheduler,
    () => {
      scheduler.scheduled = false;
    },
    () => late.refresh?.run(),
  );
  const clock = options.clock ?? (options.scheduler ? () => scheduler.now() : () => 0);
  const drain = new Drain(buffer, dispatch, commit, streams, clock);
  const refresh = new Refresh(dispatch, drain, scheduler);
  late.refresh = refresh;
  const accounting = new Accounting(admission, buffer, drain, dispatch);
  return {
    buffer,
    streams,
    admission,
    dispatch,
    commit,
    drain,
    scheduler,
    refresh,
    accounting,
    logged,
    register(metric) {
      const slot = dispatch.createSlot(metric);
      const snapshot = buildSnapshot(metric, slot.state);
      const replaced = dispatch.insert(slot);
      commit.registered(slot, snapshot, replaced);
      return slot;
    },
    offer(...events) {
      for (const e of events) admission.admit(e);
    },
  };
}

export interface Ev extends MetricEvent {
  readonly type: string;
  readonly v?: number;
  readonly seq?: number;
}

/** A pure custom metric summing `v` (default 1) of the events of type `type`, logging what it reduced. */
export function summing(
  name: string,
  opts: {
    readonly type?: string;
    readonly throwWhen?: (e: Ev) => boolean;
    readonly seen?: string[];
    readonly onReduce?: (e: Ev, ctx: MetricContext) => void;
  } = {},
): Metric<Ev, { readonly total: number }, { total: number }> {
  const type = opts.type ?? 'e';
  return Object.freeze({
    name,
    kind: 'custom' as const,
    accepts: (e: MetricEvent): e is Ev => e.type === type,
    init: () => ({ total: 0 }),
    reduce: (s: { readonly total: number }, e: Ev, ctx: MetricContext) => {
      opts.onReduce?.(e, ctx);
      opts.seen?.push(`${name}:${e.seq ?? '?'}`);
      if (opts.throwWhen?.(e)) throw new Error(`boom in ${name}`);
      const v = e.v ?? 1;
      return v === 0 ? s : { total: s.total + v };
    },
    dimensions: (s: { readonly total: number }) => ({ total: s.total }),
  });
}

/** The dimensions of a snapshot map entry (or undefined). */
export function dimsOf(snapshots: { readonly [name: string]: MetricSnapshot }, name: string): Dimensions {
  return Object.getOwnPropertyDescriptor(snapshots, name)?.value?.dimensions as Dimensions;
}

export const e = (seq: number, v?: number, type = 'e'): Ev =>
  v === undefined ? { type, seq } : { type, seq, v };
