/**
 * The demo's metrics, loaded inside the metrics worker of the `WorkerMetricsRuntime`
 * (`createMetrics(recorderId)` per recorder). Compiled to build/demos/dashboard/metrics.js, it imports
 * the package by name, which Node resolves to the package's own build.
 */
import {
  counter,
  defineMetric,
  exponentialBuckets,
  gauge,
  histogram,
  kindsFor,
  quantiles,
  rate,
  type AnyMetric,
  type MetricEvent,
} from 'mvx-common';
import type { HttpEvent, LoadEvent, Phase, StorageEvent } from './events';

const http = kindsFor<HttpEvent>();
const storage = kindsFor<StorageEvent>();
const load = kindsFor<LoadEvent>();

const LATENCY_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

function httpMetrics(): AnyMetric[] {
  return [
    http.counter({
      name: 'http.requests',
      on: 'http.request',
      by: ['method', 'route', 'status'],
      description: 'Requests answered, by method, route and status',
    }),
    http.histogram({
      name: 'http.request.duration',
      on: 'http.request',
      value: 'durationMs',
      buckets: LATENCY_BUCKETS,
      by: ['route'],
      unit: 'ms',
      description: 'Time from request to response (bucketed)',
    }),
    http.quantiles({
      name: 'http.request.latency',
      on: 'http.request',
      value: 'durationMs',
      unit: 'ms',
      description: 'Response time quantiles (mergeable sketch, 1% relative error)',
    }),
    http.rate({
      name: 'http.requests.rate',
      on: 'http.request',
      windowMs: 10_000,
      description: 'Requests per second, 10 s sliding window',
    }),
    http.upDownCounter({
      name: 'http.inflight',
      on: 'http.inflight',
      value: 'delta',
      description: 'Requests in progress',
    }),
    http.counter({
      name: 'http.response.bytes',
      on: 'http.request',
      value: 'bytesOut',
      unit: 'bytes',
      description: 'Bytes sent',
    }),
  ];
}

function storageMetrics(): AnyMetric[] {
  return [
    storage.outcomeCounter({
      name: 'storage.saves',
      on: 'document.save',
      description: 'Document saves by outcome',
    }),
    storage.outcomeCounter({
      name: 'storage.reads',
      on: 'document.read',
      outcomes: ['hit', 'miss', 'failure'],
      description: 'Document reads: found, not found, failed',
    }),
    storage.outcomeCounter({
      name: 'storage.deletes',
      on: 'document.delete',
      outcomes: ['success', 'miss', 'failure'],
      description: 'Document deletes by outcome',
    }),
    storage.gauge({
      name: 'storage.documents',
      on: 'storage.size',
      value: 'documents',
      description: 'Documents stored',
    }),
    storage.gauge({
      name: 'storage.bytes',
      on: 'storage.size',
      value: 'bytes',
      unit: 'bytes',
      description: 'Bytes stored',
    }),
    storage.histogram({
      name: 'storage.document.size',
      on: 'document.save',
      value: 'bytes',
      buckets: exponentialBuckets(256, 2, 8),
      unit: 'bytes',
      description: 'Size of saved documents',
    }),
    histogram<StorageEvent>({
      name: 'storage.operation.duration',
      on: ['document.save', 'document.read', 'document.delete'],
      value: (e) => ('durationMs' in e ? e.durationMs : undefined) as number,
      buckets: LATENCY_BUCKETS,
      unit: 'ms',
      description: 'Time spent in the store per operation',
    }),
  ];
}

type PhaseEvent = Extract<LoadEvent, { type: 'loadgen.phase' }>;

/** A custom metric (no built-in kind): the scenario's current phase and how often it changed. */
const phase = defineMetric({
  name: 'loadgen.scenario',
  kind: 'custom',
  description: 'Current phase of the load scenario (custom metric)',
  accepts: (e: MetricEvent): e is PhaseEvent => e.type === 'loadgen.phase',
  init: () => ({ phase: 'steady' as Phase, error_rate: 0, latency_factor: 1, changes: 0 }),
  reduce: (s, e: PhaseEvent) =>
    s.phase === e.phase && s.error_rate === e.errorRate && s.latency_factor === e.latencyFactor
      ? s
      : { phase: e.phase, error_rate: e.errorRate, latency_factor: e.latencyFactor, changes: s.changes + 1 },
  dimensions: (s) => s,
});

function loadMetrics(): AnyMetric[] {
  return [
    load.counter({
      name: 'loadgen.requests',
      on: 'loadgen.request',
      by: ['op', 'outcome'],
      description: 'Requests sent, by operation and outcome as the client saw it',
    }),
    quantiles<LoadEvent>({
      name: 'loadgen.latency',
      on: 'loadgen.request',
      value: (e) => (e.type === 'loadgen.request' ? e.durationMs : NaN),
      unit: 'ms',
      description: 'Client-observed latency (network and server)',
    }),
    gauge<LoadEvent>({
      name: 'loadgen.target.rps',
      on: 'loadgen.target',
      value: (e) => (e.type === 'loadgen.target' ? e.rps : NaN),
      description: 'The rate the load generator aims at',
    }),
    phase,
  ];
}

const anyEvent = (e: MetricEvent): e is MetricEvent => typeof e.type === 'string';

/** The metrics of each recorder of the demo. */
export function createMetrics(recorderId: string): AnyMetric[] {
  switch (recorderId) {
    case 'http':
      return httpMetrics();
    case 'storage':
      return storageMetrics();
    case 'loadgen':
      return loadMetrics();
    default:
      return [
        counter({ name: 'events', on: anyEvent, description: 'Events received' }),
        rate({ name: 'events.rate', on: anyEvent }),
      ];
  }
}
