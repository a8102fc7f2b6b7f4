/**
 * Cost per event of the built-in metric kinds, and the end-to-end cost of four metrics next to prom-client
 * and OpenTelemetry (sdk-metrics 2.x) doing the same four updates.
 *
 * Run: node --expose-gc -r ts-node/register/transpile-only bench/kinds.bench.ts
 * Each measurement is repeated (REPEATS) and reported as min / median ns per event.
 * `KINDS_BENCH_DIRECT_ONLY=1` skips the (slow) per-kind `aggregate` rows.
 */
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import * as prom from 'prom-client';
import { Subject } from 'rxjs';
import { aggregate } from '../lib/metrics/aggregate.js';
import type { MetricEvent } from '../lib/metrics/event.js';
import type { Metric } from '../lib/metrics/metric.js';
import {
  counter,
  gauge,
  histogram,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
} from '../lib/metrics/kinds/index.js';

type Save = {
  type: 'save';
  outcome: 'success' | 'failure';
  durationMs: number;
  region: string;
  size: number;
};

const N = 200_000;
const DIRECT_ONLY = process.env['KINDS_BENCH_DIRECT_ONLY'] === '1';
const REPEATS = 7;
const REGIONS = ['eu', 'us', 'ap', 'sa'];
const EVENTS: Save[] = Array.from({ length: 4096 }, (_, i) => ({
  type: 'save',
  outcome: i % 7 === 0 ? 'failure' : 'success',
  durationMs: ((i * 7919) % 1000) / 3 + 0.5,
  region: REGIONS[i % 4] as string,
  size: (i * 31) % 500,
}));

export interface Measurement {
  readonly name: string;
  readonly minNs: number;
  readonly medianNs: number;
}

function measureNs(name: string, perRun: () => void, eventsPerRun = N): Measurement {
  const gc = (globalThis as { gc?: () => void }).gc;
  perRun(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    gc?.();
    const t0 = process.hrtime.bigint();
    perRun();
    samples.push(Number(process.hrtime.bigint() - t0) / eventsPerRun);
  }
  samples.sort((a, b) => a - b);
  return { name, minNs: samples[0] as number, medianNs: samples[Math.floor(samples.length / 2)] as number };
}

function direct(metric: Metric<any, any, any>): () => void {
  return () => {
    let state = metric.init();
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095] as MetricEvent;
      if (metric.accepts(e)) state = metric.reduce(state, e, { now: i });
    }
    metric.dimensions(state);
  };
}

/** Events per `aggregate` run: it builds one snapshot per event, which is slow for the sketch kinds. */
const AGGREGATE_N = 20_000;

function viaAggregate(metric: Metric<any, any, any>): () => void {
  return () => {
    const subject = new Subject<MetricEvent>();
    let last: unknown;
    const sub = subject.pipe(aggregate(metric)).subscribe((s) => (last = s));
    for (let i = 0; i < AGGREGATE_N; i++) subject.next(EVENTS[i & 4095] as MetricEvent);
    sub.unsubscribe();
    void last;
  };
}

const KINDS: [string, () => Metric<any, any, any>][] = [
  ['counter', () => counter<Save>({ name: 'c', on: 'save' })],
  ['counter by 2 labels', () => counter<Save>({ name: 'c', on: 'save', by: ['outcome', 'region'] })],
  ['upDownCounter', () => upDownCounter<Save>({ name: 'u', on: 'save', value: (e) => e.size - 250 })],
  ['gauge', () => gauge<Save>({ name: 'g', on: 'save', value: 'size' })],
  ['histogram', () => histogram<Save>({ name: 'h', on: 'save', value: 'durationMs' })],
  ['quantiles', () => quantiles<Save>({ name: 'q', on: 'save', value: 'durationMs' })],
  ['rate', () => rate<Save>({ name: 'r', on: 'save', windowMs: 1000 })],
  ['outcomeCounter', () => outcomeCounter<Save>({ name: 'o', on: 'save' })],
];

function fourOurs(): () => void {
  const metrics: Metric<any, any, any>[] = [
    outcomeCounter<Save>({ name: 'o', on: 'save' }),
    counter<Save>({ name: 'c', on: 'save', by: ['outcome', 'region'] }),
    histogram<Save>({ name: 'h', on: 'save', value: 'durationMs' }),
    gauge<Save>({ name: 'g', on: 'save', value: 'size' }),
  ];
  return () => {
    const states = metrics.map((m) => m.init());
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095] as MetricEvent;
      const ctx = { now: i };
      for (let j = 0; j < 4; j++) {
        const m = metrics[j] as Metric<any, any, any>;
        if (m.accepts(e)) states[j] = m.reduce(states[j], e, ctx);
      }
    }
    metrics.forEach((m, j) => m.dimensions(states[j]));
  };
}

function fourProm(): () => void {
  const registry = new prom.Registry();
  const total = new prom.Counter({
    name: 'o_total',
    help: 'h',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const labelled = new prom.Counter({
    name: 'c_total',
    help: 'h',
    labelNames: ['outcome', 'region'],
    registers: [registry],
  });
  const hist = new prom.Histogram({
    name: 'h_ms',
    help: 'h',
    buckets: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const g = new prom.Gauge({ name: 'g', help: 'h', registers: [registry] });
  return () => {
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095] as Save;
      total.inc({ outcome: e.outcome });
      labelled.inc({ outcome: e.outcome, region: e.region });
      hist.observe(e.durationMs);
      g.set(e.size);
    }
  };
}

class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function fourOtel(): () => void {
  const provider = new MeterProvider({ readers: [new ManualReader()] });
  const meter = provider.getMeter('bench');
  const total = meter.createCounter('o');
  const labelled = meter.createCounter('c');
  const hist = meter.createHistogram('h', {
    advice: { explicitBucketBoundaries: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] },
  });
  const g = meter.createGauge('g');
  return () => {
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095] as Save;
      total.add(1, { outcome: e.outcome });
      labelled.add(1, { outcome: e.outcome, region: e.region });
      hist.record(e.durationMs);
      g.record(e.size);
    }
  };
}

export interface KindsBenchResult {
  readonly perKind: { readonly direct: Measurement; readonly aggregate: Measurement | null }[];
  readonly endToEnd: {
    readonly ours: Measurement;
    readonly promClient: Measurement;
    readonly otel: Measurement;
  };
  readonly ratios: { readonly vsPromClient: number; readonly vsOtel: number };
}

/** Runs every measurement once (each repeated REPEATS times) and returns the results. */
export function run(): KindsBenchResult {
  const perKind = KINDS.map(([name, make]) => ({
    direct: measureNs(`${name} (accepts+reduce)`, direct(make())),
    aggregate: DIRECT_ONLY ? null : measureNs(`${name} (aggregate)`, viaAggregate(make()), AGGREGATE_N),
  }));
  const ours = measureNs('4 metrics, mvx (accepts+reduce)', fourOurs());
  const promClient = measureNs('4 metrics, prom-client', fourProm());
  const otel = measureNs('4 metrics, OpenTelemetry sdk-metrics', fourOtel());
  return {
    perKind,
    endToEnd: { ours, promClient, otel },
    ratios: { vsPromClient: ours.medianNs / promClient.medianNs, vsOtel: ours.medianNs / otel.medianNs },
  };
}

export function print(r: KindsBenchResult): void {
  const row = (m: Measurement): string =>
    `${m.name.padEnd(44)} min ${m.minNs.toFixed(1).padStart(8)} ns/event   median ${m.medianNs.toFixed(1).padStart(8)} ns/event`;
  console.log(`Per kind (${N} events x ${REPEATS} repeats):`);
  for (const k of r.perKind)
    console.log(k.aggregate === null ? row(k.direct) : `${row(k.direct)}\n${row(k.aggregate)}`);
  console.log('\nEnd to end, four metrics (outcome counter, counter by 2 labels, histogram, gauge):');
  console.log([r.endToEnd.ours, r.endToEnd.promClient, r.endToEnd.otel].map(row).join('\n'));
  console.log(
    `\nratio mvx / prom-client: ${r.ratios.vsPromClient.toFixed(3)} (goal <= 0.25)` +
      `\nratio mvx / OpenTelemetry: ${r.ratios.vsOtel.toFixed(3)} (goal <= 0.1)`,
  );
}

if (require.main === module) print(run());
