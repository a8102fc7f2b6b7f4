/**
 * Test harness: a real sdk-metrics MeterProvider with a PeriodicExportingMetricReader (never firing by
 * itself) over an InMemoryMetricExporter; `collect()` forces a flush and returns what was exported.
 */
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { HrTime } from '@opentelemetry/api';

export interface Harness {
  readonly provider: MeterProvider;
  readonly exporter: InMemoryMetricExporter;
  /** Flushes the reader and returns the newest export. */
  collect(): Promise<ResourceMetrics>;
  /** The metrics of the producer's scope in the newest export, by name. */
  metrics(scope?: string): Promise<Map<string, MetricData>>;
  shutdown(): Promise<void>;
}

export function harness(
  producer: MetricProducer,
  temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
): Harness {
  const exporter = new InMemoryMetricExporter(temporality);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000,
    exportTimeoutMillis: 60_000,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<ResourceMetrics> => {
    await reader.forceFlush();
    const all = exporter.getMetrics();
    return all[all.length - 1] ?? { resource: undefined as never, scopeMetrics: [] };
  };
  return {
    provider,
    exporter,
    collect,
    async metrics(scope = 'mvx-common') {
      const rm = await collect();
      const out = new Map<string, MetricData>();
      for (const sm of rm.scopeMetrics) {
        if (sm.scope.name !== scope) continue;
        for (const m of sm.metrics) out.set(m.descriptor.name, m);
      }
      return out;
    },
    shutdown: () => provider.shutdown(),
  };
}

/** `[attributes, value]` of every data point of a number metric, sorted by attributes. */
export function numberPoints(m: MetricData | undefined): [Record<string, unknown>, number][] {
  if (!m) throw new Error('metric missing');
  if (
    m.dataPointType === DataPointType.HISTOGRAM ||
    m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM
  ) {
    throw new Error(`${m.descriptor.name} is not a number metric`);
  }
  return sortPoints(m.dataPoints as DataPoint<number>[]).map((p) => [{ ...p.attributes }, p.value]);
}

export function histogramPoints(m: MetricData | undefined): [Record<string, unknown>, Histogram][] {
  if (!m || m.dataPointType !== DataPointType.HISTOGRAM) throw new Error('not a histogram');
  return sortPoints(m.dataPoints).map((p) => [{ ...p.attributes }, p.value]);
}

function sortPoints<T extends { attributes: object }>(points: T[]): T[] {
  const key = (p: T) => JSON.stringify(Object.entries(p.attributes).sort());
  return points.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export const hrMillis = (t: HrTime): number => t[0] * 1000 + t[1] / 1e6;
