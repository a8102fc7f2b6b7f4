// The four built-in kinds of bench/reliability.bench.ts, registered in-process and loaded inside the
// worker-hosted runtime: an outcome counter, a counter by two labels, a histogram and a gauge.
import { counter, gauge, histogram, outcomeCounter, type AnyMetric, type MetricEvent } from '../lib/index.js';

/** The bench's event: one save attempt. */
export interface Save extends MetricEvent {
  readonly type: 'save';
  readonly outcome: 'success' | 'failure';
  readonly region: string;
  readonly durationMs: number;
  readonly size: number;
}

const REGIONS = ['eu', 'us', 'ap', 'sa'];

/** A ring of 4,096 distinct events (the producer cycles through it: no allocation per event). */
export const SAVES: readonly Save[] = Array.from({ length: 4096 }, (_, i) => ({
  type: 'save',
  outcome: i % 7 === 0 ? 'failure' : 'success',
  region: REGIONS[i % 4]!,
  durationMs: ((i * 7919) % 1000) / 3 + 0.5,
  size: (i * 31) % 500,
}));

/** The four kinds, fresh instances. */
export function createMetrics(): AnyMetric[] {
  return [
    outcomeCounter<Save>({ name: 'saves', on: 'save' }),
    counter<Save>({ name: 'saves.by_region', on: 'save', by: ['outcome', 'region'] }),
    histogram<Save>({ name: 'saves.duration', on: 'save', value: 'durationMs', unit: 'ms' }),
    gauge<Save>({ name: 'saves.size', on: 'save', value: 'size', unit: 'bytes' }),
  ] as AnyMetric[];
}
