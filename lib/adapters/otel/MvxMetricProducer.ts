import { ValueType, type Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type MetricCollectOptions,
  type MetricData,
  type MetricProducer,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { MetricEvent } from '../../metrics/event.js';
import type { MetricsRecorder } from '../../metrics/recorder/MetricsRecorder.js';
import {
  checkSnapshotSource,
  readSnapshotSource,
  type RecorderReading,
  type SnapshotSource,
} from '../../metrics/source/snapshotSource.js';
import { DeltaTracker } from './DeltaTracker.js';
import { hrTimeFromMillis } from './hrTime.js';
import type { HistogramPointValue, InstrumentKind, MappedMetric, MappedPoint } from './mappedMetric.js';
import { mapRecorderHealth } from './mapRecorderHealth.js';
import { mapSnapshot } from './mapSnapshot.js';
import { MetricExportError } from './MetricExportError.js';
import {
  resolveProducerOptions,
  type MvxInstrumentationScope,
  type MvxMetricProducerOptions,
} from './producerOptions.js';
import { RecorderClocks, type RecorderClock } from './RecorderClocks.js';

type Resource = ResourceMetrics['resource'];

/** The SDK ignores a producer's resource (it keeps its own); this one only satisfies the type. */
const RESOURCE: Resource = Object.freeze({
  attributes: Object.freeze({}),
  merge: (other: Resource | null): Resource => other ?? RESOURCE,
  getRawAttributes: () => [],
});

const INSTRUMENT_TYPES: { readonly [K in InstrumentKind]: InstrumentType } = {
  counter: InstrumentType.COUNTER,
  upDownCounter: InstrumentType.UP_DOWN_COUNTER,
  gauge: InstrumentType.GAUGE,
  histogram: InstrumentType.HISTOGRAM,
};

type Temporalities = { readonly [K in InstrumentKind]: AggregationTemporality };

/** The points one recorder contributes to a metric. */
interface PointGroup {
  readonly clock: RecorderClock;
  readonly points: readonly MappedPoint[];
}

/** One exported metric being assembled from the recorders of one collection. */
interface Assembly {
  readonly first: MappedMetric;
  readonly recorders: Set<string>;
  readonly groups: PointGroup[];
}

/** A stable key of a stream: metric name and attributes (sorted). */
function streamKey(name: string, attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  return `${name}\u0000${JSON.stringify(keys.map((k) => [k, attributes[k]]))}`;
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * An OpenTelemetry `MetricProducer` over mvx snapshots: pass it to any sdk-metrics reader as
 * `metricProducers: [producer]` (`PeriodicExportingMetricReader` with an OTLP exporter, the Prometheus
 * exporter, ...). Each `collect()` reads the current snapshots of `source` (a `MetricsRecorder`, a
 * `MetricsRuntime` or a `WorkerMetricsRuntime`) and maps every built-in kind to its OpenTelemetry data
 * type (see docs/adapters.md for the table); every data point carries the recorder id as the
 * `mvx.recorder` attribute. `collect()` never rejects: a metric that cannot be exported is reported in
 * the result's `errors` and skipped, the rest exported.
 *
 * ## Example
 * ```ts
 * import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 * import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
 * import { MetricsRuntime } from 'mvx-common';
 * import { MvxMetricProducer } from 'mvx-common/otel';
 *
 * const runtime = new MetricsRuntime({ namespace: 'billing' });
 * const reader = new PeriodicExportingMetricReader({
 *   exporter: new OTLPMetricExporter(),
 *   metricProducers: [new MvxMetricProducer(runtime, { scope: { name: 'billing-service' } })],
 * });
 * const provider = new MeterProvider({ readers: [reader] });
 * ```
 */
export class MvxMetricProducer<E extends MetricEvent = MetricEvent> implements MetricProducer {
  /** The instrumentation scope the metrics are exported under. */
  readonly scope: MvxInstrumentationScope;
  private readonly source: SnapshotSource;
  private readonly temporality: MvxMetricProducerOptions['aggregationTemporality'];
  private readonly includeStats: boolean;
  private readonly clocks = new RecorderClocks();
  private readonly deltas = new DeltaTracker();

  /**
   * @param source The recorder or runtime to export (`E` is a typed recorder's event type).
   * @param options Scope, temporality and recorder health; see {@link MvxMetricProducerOptions}.
   * @throws TypeError naming `source` or the option when an argument is invalid.
   */
  constructor(source: SnapshotSource | MetricsRecorder<E>, options?: MvxMetricProducerOptions) {
    this.source = checkSnapshotSource('source', source);
    const resolved = resolveProducerOptions(options);
    this.scope = resolved.scope;
    this.temporality = resolved.temporality;
    this.includeStats = resolved.includeStats;
  }

  /**
   * Reads the source now and returns its metrics under {@link scope}. Never rejects: metrics that cannot
   * be exported are skipped and reported as {@link MetricExportError}s in `errors`. Reading is
   * synchronous (a worker-hosted recorder shows its last mirrored snapshots), so `timeoutMillis` is
   * never reached.
   */
  async collect(_options?: MetricCollectOptions): Promise<CollectionResult> {
    try {
      return this.collectNow();
    } catch (cause) {
      return {
        resourceMetrics: { resource: RESOURCE, scopeMetrics: [] },
        errors: [
          new MetricExportError(
            `Collecting mvx metrics failed: ${describeError(cause)}`,
            undefined,
            undefined,
            { cause },
          ),
        ],
      };
    }
  }

  private collectNow(): CollectionResult {
    const nowMs = Date.now();
    const errors: unknown[] = [];
    let readings: readonly RecorderReading[] = [];
    try {
      readings = readSnapshotSource(this.source);
    } catch (cause) {
      errors.push(
        new MetricExportError(`Reading the source failed: ${describeError(cause)}`, undefined, undefined, {
          cause,
        }),
      );
    }
    const assemblies = new Map<string, Assembly>();
    for (const reading of readings) {
      try {
        this.assembleReading(reading, nowMs, assemblies, errors);
      } catch (cause) {
        const id = typeof reading?.recorderId === 'string' ? reading.recorderId : undefined;
        errors.push(
          new MetricExportError(
            `Recorder '${String(id)}' cannot be read: ${describeError(cause)}`,
            id,
            undefined,
            {
              cause,
            },
          ),
        );
      }
    }
    this.clocks.commit();
    const temporalities = this.selectTemporalities(errors);
    const metrics: MetricData[] = [];
    for (const assembly of assemblies.values()) {
      try {
        metrics.push(this.toMetricData(assembly, temporalities, nowMs));
      } catch (cause) {
        errors.push(
          new MetricExportError(
            `Metric '${assembly.first.name}' cannot be exported: ${describeError(cause)}`,
            undefined,
            assembly.first.source || undefined,
            { cause },
          ),
        );
      }
    }
    this.deltas.commit();
    return {
      resourceMetrics: {
        resource: RESOURCE,
        scopeMetrics: metrics.length === 0 ? [] : [{ scope: this.scope, metrics }],
      },
      errors,
    };
  }

  private assembleReading(
    reading: RecorderReading,
    nowMs: number,
    assemblies: Map<string, Assembly>,
    errors: unknown[],
  ): void {
    const recorderId = reading.recorderId;
    if (typeof recorderId !== 'string') throw new TypeError('the reading has no recorder id');
    const snapshots = reading.snapshots;
    if (snapshots === null || typeof snapshots !== 'object')
      throw new TypeError('the reading has no snapshots');
    const clock = this.clocks.observe(reading, nowMs);
    for (const key of Object.keys(snapshots)) {
      const snapshot = snapshots[key];
      let mapped: MappedMetric[];
      try {
        mapped = mapSnapshot(snapshot as NonNullable<typeof snapshot>, recorderId);
      } catch (cause) {
        errors.push(
          new MetricExportError(
            `Metric '${key}' of recorder '${recorderId}' cannot be exported: ${describeError(cause)}`,
            recorderId,
            key,
            { cause },
          ),
        );
        continue;
      }
      for (const m of mapped) this.add(assemblies, m, recorderId, clock, errors);
    }
    if (this.includeStats) {
      for (const m of mapRecorderHealth(reading)) this.add(assemblies, m, recorderId, clock, errors);
    }
  }

  /** Adds one recorder's metric to the assembly of its name, unless another source claimed the name. */
  private add(
    assemblies: Map<string, Assembly>,
    m: MappedMetric,
    recorderId: string,
    clock: RecorderClock,
    errors: unknown[],
  ): void {
    const existing = assemblies.get(m.name);
    if (existing === undefined) {
      assemblies.set(m.name, {
        first: m,
        recorders: new Set([recorderId]),
        groups: [{ clock, points: m.points }],
      });
      return;
    }
    const first = existing.first;
    let conflict: string | undefined;
    if (first.source !== m.source) {
      conflict = `the name is already exported for ${first.source === '' ? 'recorder health' : `metric '${first.source}'`}`;
    } else if (first.shape !== m.shape || first.unit !== m.unit) {
      conflict = `another recorder exports it as a ${first.shape} in unit '${first.unit}'`;
    } else if (existing.recorders.has(recorderId)) {
      conflict = `metric '${m.source}' of this recorder already exports it (dimension keys alike once sanitized)`;
    }
    if (conflict !== undefined) {
      errors.push(
        new MetricExportError(
          `Metric '${m.name}' of recorder '${recorderId}' is skipped: ${conflict}`,
          recorderId,
          m.source || undefined,
        ),
      );
      return;
    }
    existing.recorders.add(recorderId);
    existing.groups.push({ clock, points: m.points });
  }

  private selectTemporalities(errors: unknown[]): Temporalities {
    const select = this.temporality;
    if (typeof select !== 'function') {
      const t = select ?? AggregationTemporality.CUMULATIVE;
      return { counter: t, upDownCounter: t, gauge: t, histogram: t };
    }
    const pick = (kind: InstrumentKind): AggregationTemporality => {
      try {
        const t: unknown = select(INSTRUMENT_TYPES[kind]);
        if (t === AggregationTemporality.CUMULATIVE || t === AggregationTemporality.DELTA) return t;
        errors.push(
          new MetricExportError(
            `The aggregationTemporality selector returned ${String(t)} for ${INSTRUMENT_TYPES[kind]}; using CUMULATIVE`,
            undefined,
            undefined,
          ),
        );
      } catch (cause) {
        errors.push(
          new MetricExportError(
            `The aggregationTemporality selector threw for ${INSTRUMENT_TYPES[kind]}; using CUMULATIVE`,
            undefined,
            undefined,
            { cause },
          ),
        );
      }
      return AggregationTemporality.CUMULATIVE;
    };
    return {
      counter: pick('counter'),
      upDownCounter: pick('upDownCounter'),
      gauge: pick('gauge'),
      histogram: pick('histogram'),
    };
  }

  private toMetricData(assembly: Assembly, temporalities: Temporalities, nowMs: number): MetricData {
    const m = assembly.first;
    const aggregationTemporality = temporalities[m.instrument];
    const delta = aggregationTemporality === AggregationTemporality.DELTA;
    const endTime = hrTimeFromMillis(nowMs);
    const descriptor = {
      name: m.name,
      description: m.description,
      unit: m.unit,
      valueType: m.integer ? ValueType.INT : ValueType.DOUBLE,
    };
    const dataPoints = <V>(point: (p: MappedPoint, clock: RecorderClock) => DataPoint<V>): DataPoint<V>[] => {
      const out: DataPoint<V>[] = [];
      for (const group of assembly.groups) for (const p of group.points) out.push(point(p, group.clock));
      return out;
    };
    const cumulative = <V>(p: MappedPoint, clock: RecorderClock, value: V): DataPoint<V> => ({
      startTime: clock.startTime,
      endTime,
      attributes: p.attributes,
      value,
    });
    const deltaPoint = <V>(p: MappedPoint, delta: { value: V; startMs: number }): DataPoint<V> => ({
      startTime: hrTimeFromMillis(Math.min(delta.startMs, nowMs)),
      endTime,
      attributes: p.attributes,
      value: delta.value,
    });
    switch (m.shape) {
      case 'gauge':
        return {
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.GAUGE,
          dataPoints: dataPoints((p, clock) => cumulative(p, clock, p.value as number)),
        };
      case 'histogram': {
        // the points of one metric share one copy of their boundaries, as the SDK's own points do
        const boundaries = new Map<readonly number[], number[]>();
        const histogramOf = (v: HistogramPointValue): Histogram => {
          let shared = boundaries.get(v.boundaries);
          if (shared === undefined) boundaries.set(v.boundaries, (shared = copyNumbers(v.boundaries)));
          return toHistogram(v, shared);
        };
        return {
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: dataPoints((p, clock) => {
            const value = p.value as HistogramPointValue;
            if (!delta) return cumulative(p, clock, histogramOf(value));
            const d = this.deltas.histogram(streamKey(m.name, p.attributes), value, clock, nowMs);
            return deltaPoint(p, { value: histogramOf(d.value), startMs: d.startMs });
          }),
        };
      }
      default: {
        const isMonotonic = m.shape === 'monotonicSum';
        return {
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.SUM,
          isMonotonic,
          dataPoints: dataPoints((p, clock) => {
            const value = p.value as number;
            if (!delta) return cumulative(p, clock, value);
            return deltaPoint(
              p,
              this.deltas.sum(streamKey(m.name, p.attributes), value, isMonotonic, clock, nowMs),
            );
          }),
        };
      }
    }
  }
}

/** A mutable copy of a (possibly frozen) array: a plain loop, since `slice` of frozen arrays is slow in V8. */
function copyNumbers(a: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i] as number);
  return out;
}

function toHistogram(v: HistogramPointValue, boundaries: number[]): Histogram {
  return {
    buckets: { boundaries, counts: copyNumbers(v.counts) },
    sum: v.sum,
    count: v.count,
    ...(v.min === undefined ? {} : { min: v.min }),
    ...(v.max === undefined ? {} : { max: v.max }),
  };
}
