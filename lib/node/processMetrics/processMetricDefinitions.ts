import { checkBuckets } from '../../metrics/kinds/buckets.js';
import { counter } from '../../metrics/kinds/counter.js';
import { gauge } from '../../metrics/kinds/gauge.js';
import { histogram } from '../../metrics/kinds/histogram.js';
import type { AnyMetric } from '../../metrics/metric.js';
import { readOptions } from '../../internal/validate.js';
import type {
  ActiveResourcesEvent,
  EventLoopDelayEvent,
  EventLoopUtilizationEvent,
  GcPauseEvent,
  ProcessCpuEvent,
  ProcessMemoryEvent,
} from './processMetricEvents.js';

/**
 * Default bounds of `v8js.gc.duration`, in seconds (0.5 ms to 2.5 s: minor collections take about a
 * millisecond, major ones tens to hundreds).
 */
export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]);

/**
 * Options of {@link processMetricDefinitions} (and of `processMetrics`, which registers them).
 */
export interface ProcessMetricDefinitionOptions {
  /** Bounds of the GC pause histogram, in seconds. @default DEFAULT_GC_DURATION_BUCKETS */
  readonly gcDurationBuckets?: readonly number[];
}

/** @internal */
export const PROCESS_DEFINITION_OPTION_KEYS = ['gcDurationBuckets'] as const;

/** The statistics of an event-loop delay reading. @internal */
export const LOOP_DELAY_FIELDS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;

const MEMORY: readonly (readonly [string, keyof Omit<ProcessMemoryEvent, 'type'>, string])[] = [
  ['process.memory.usage', 'rss', 'Resident set size (physical memory) of the process'],
  ['nodejs.memory.heap.used', 'heapUsed', 'V8 heap in use (all heap spaces)'],
  ['nodejs.memory.heap.total', 'heapTotal', 'V8 heap allocated (all heap spaces)'],
  ['nodejs.memory.external', 'external', 'Memory of C++ objects bound to JavaScript objects'],
  ['nodejs.memory.array_buffers', 'arrayBuffers', 'Memory of ArrayBuffers and SharedArrayBuffers'],
];

/** Checks the definition options (`param` names the options object in messages). @internal */
export function resolveDefinitionOptions(
  param: string,
  options: unknown,
): { readonly gcDurationBuckets: readonly number[] } {
  const o = readOptions(param, options, PROCESS_DEFINITION_OPTION_KEYS);
  return {
    gcDurationBuckets:
      o.gcDurationBuckets === undefined
        ? DEFAULT_GC_DURATION_BUCKETS
        : checkBuckets(`${param}.gcDurationBuckets`, o.gcDurationBuckets),
  };
}

/**
 * The metrics that aggregate the events of `processMetrics` (names follow the OpenTelemetry semantic
 * conventions for Node.js and V8 where one exists; docs/process-metrics.md lists them with their units):
 * gauges `process.memory.usage`, `nodejs.memory.heap.used` / `.heap.total` / `.external` /
 * `.array_buffers` (By), `nodejs.eventloop.delay.min` / `max` / `mean` / `stddev` / `p50` / `p90` /
 * `p99` (s), `nodejs.eventloop.utilization` (1) and `nodejs.active_resources` (by `type`); the counter
 * `process.cpu.time` (s, by `cpu.mode`); the histogram `v8js.gc.duration` (s, by `v8js.gc.type`).
 *
 * `processMetrics` registers them on a `MetricsRecorder` itself. A `RemoteRecorder`'s metrics live in
 * the worker's metrics module: return these from its `createMetrics` (with the same options).
 *
 * ## Example
 * ```ts
 * // http-metrics.ts, the metricsModule of a WorkerMetricsRuntime
 * import { counter, type AnyMetric } from 'mvx-common';
 * import { processMetricDefinitions } from 'mvx-common/node';
 *
 * export function createMetrics(): AnyMetric[] {
 *   const requests = counter({ name: 'http.requests', on: 'http.request', by: ['route'] });
 *   // The events come from processMetrics(remoteRecorder) on the main thread.
 *   return [requests, ...processMetricDefinitions({ gcDurationBuckets: [0.001, 0.01, 0.1, 1] })];
 * }
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function processMetricDefinitions(options?: ProcessMetricDefinitionOptions): AnyMetric[] {
  const { gcDurationBuckets } = resolveDefinitionOptions('options', options);
  const metrics: AnyMetric[] = [];
  const add = (m: unknown): void => {
    metrics.push(m as AnyMetric);
  };
  for (const [name, field, description] of MEMORY) {
    add(gauge<ProcessMemoryEvent>({ name, on: 'mvx.process.memory', value: field, unit: 'By', description }));
  }
  add(
    counter<ProcessCpuEvent>({
      name: 'process.cpu.time',
      on: 'mvx.process.cpu',
      value: 'seconds',
      by: (e) => ({ 'cpu.mode': e.mode }),
      unit: 's',
      description: 'CPU time of the process, by mode (label cpu.mode: user, system)',
    }),
  );
  for (const field of LOOP_DELAY_FIELDS) {
    add(
      gauge<EventLoopDelayEvent>({
        name: `nodejs.eventloop.delay.${field}`,
        on: 'mvx.process.eventloop.delay',
        value: field,
        unit: 's',
        description: `Event loop delay (${field}) over the last sampling interval`,
      }),
    );
  }
  add(
    gauge<EventLoopUtilizationEvent>({
      name: 'nodejs.eventloop.utilization',
      on: 'mvx.process.eventloop.utilization',
      value: 'utilization',
      unit: '1',
      description: 'Event loop utilization over the last sampling interval',
    }),
  );
  add(
    histogram<GcPauseEvent>({
      name: 'v8js.gc.duration',
      on: 'mvx.process.gc',
      value: 'seconds',
      by: (e) => ({ 'v8js.gc.type': e.gcType }),
      buckets: gcDurationBuckets,
      unit: 's',
      description: 'Garbage collection pauses, by type (label v8js.gc.type)',
    }),
  );
  add(
    gauge<ActiveResourcesEvent>({
      name: 'nodejs.active_resources',
      on: 'mvx.process.resources',
      value: 'count',
      by: (e) => ({ type: e.resource }),
      unit: '{resource}',
      description: 'Active resources keeping the event loop alive, by type',
    }),
  );
  return metrics;
}
