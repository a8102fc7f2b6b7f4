/**
 * What the built-in kinds cost a user, measured the way a user pays it, side by side with prom-client and
 * OpenTelemetry sdk-metrics doing the same updates in the same run:
 *
 * - end to end: four built-in kinds (outcome counter, counter by two labels, histogram, gauge) through a
 *   running recorder, emit + processing + a read of every snapshot after each 5,000-event burst, vs
 *   prom-client and sdk-metrics making the same four updates; and the same with bursts processed by
 *   `flush()` and one read per round (what a service pays between scrapes);
 * - the same with a `changes$` subscriber that ignores the snapshot;
 * - `aggregate` (the pure-RxJS path) per kind, per event and coalesced per frame;
 * - a snapshot read of 100 labelled metrics including `JSON.stringify`, vs prom-client's
 *   `registry.metrics()` for the same series;
 * - scaling: per-event cost with 1, 10 and 100 metrics, and with 10, 1,000 and 10,000 series (read
 *   after every burst, and read once per round).
 *
 * Each row is a median of ROUNDS runs with its min and max. Run: `npm run bench -- kinds`.
 */
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import * as prom from 'prom-client';
import { asyncScheduler, Subject } from 'rxjs';
import {
  aggregate,
  counter,
  gauge,
  histogram,
  MetricsRecorder,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type AnyMetric,
  type MetricEvent,
} from 'mvx-common';
import { gc, line, ratio, repeat, repeatAsync, type Sample } from './harness';

type Save = MetricEvent & {
  type: 'save';
  outcome: 'success' | 'failure';
  durationMs: number;
  region: string;
  size: number;
};

const ROUNDS = Number(process.env['KINDS_BENCH_ROUNDS'] ?? 7);
const N = 200_000;
const BURST = 5_000;
const REGIONS = ['eu', 'us', 'ap', 'sa'];
const EVENTS: Save[] = Array.from({ length: 4096 }, (_, i) => ({
  type: 'save',
  outcome: i % 7 === 0 ? 'failure' : 'success',
  durationMs: ((i * 7919) % 1000) / 3 + 0.5,
  region: REGIONS[i % 4] as string,
  size: (i * 31) % 500,
}));
const BUCKETS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

const fourKinds = (): AnyMetric[] => [
  outcomeCounter({ name: 'o', on: 'save' }),
  counter({ name: 'c', on: 'save', by: ['outcome', 'region'] }),
  histogram({ name: 'h', on: 'save', value: 'durationMs', buckets: BUCKETS }),
  gauge({ name: 'g', on: 'save', value: 'size' }),
];

/** ns per event of emitting `n` events in bursts into a running recorder, draining after each burst. */
function throughRecorder(
  metrics: AnyMetric[],
  withChanges: boolean,
  events: readonly MetricEvent[] = EVENTS,
  n = N,
): () => number {
  const recorder = new MetricsRecorder('bench', { capacity: BURST * 2 });
  for (const m of metrics) recorder.registerMetric(m);
  if (withChanges) recorder.changes$.subscribe(() => undefined);
  void recorder.start();
  const mask = events.length - 1;
  return () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += BURST) {
      for (let j = 0; j < BURST; j++) recorder.emit(events[(i + j) & mask]!);
      recorder.getMetricSnapshots(); // read-your-writes: processes the burst and builds its snapshots
    }
    return Number(process.hrtime.bigint() - t0) / n;
  };
}

/**
 * ns per event of emitting `n` events in bursts into a running recorder, processing each burst with
 * `flush()` (no snapshot read), and reading every snapshot once at the end: what a service pays between
 * scrapes or dashboard ticks.
 */
function throughRecorderUnread(
  metrics: AnyMetric[],
  events: readonly MetricEvent[] = EVENTS,
  n = N,
): () => Promise<number> {
  const recorder = new MetricsRecorder('bench', { capacity: BURST * 2 });
  for (const m of metrics) recorder.registerMetric(m);
  void recorder.start();
  const mask = events.length - 1;
  return async () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += BURST) {
      for (let j = 0; j < BURST; j++) recorder.emit(events[(i + j) & mask]!);
      await recorder.flush();
    }
    recorder.getMetricSnapshots();
    return Number(process.hrtime.bigint() - t0) / n;
  };
}

function fourProm(): () => number {
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
  const hist = new prom.Histogram({ name: 'h_ms', help: 'h', buckets: BUCKETS, registers: [registry] });
  const g = new prom.Gauge({ name: 'g', help: 'h', registers: [registry] });
  return () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095]!;
      total.inc({ outcome: e.outcome });
      labelled.inc({ outcome: e.outcome, region: e.region });
      hist.observe(e.durationMs);
      g.set(e.size);
    }
    return Number(process.hrtime.bigint() - t0) / N;
  };
}

class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function fourOtel(): () => number {
  const provider = new MeterProvider({ readers: [new ManualReader()] });
  const meter = provider.getMeter('bench');
  const total = meter.createCounter('o');
  const labelled = meter.createCounter('c');
  const hist = meter.createHistogram('h', { advice: { explicitBucketBoundaries: BUCKETS } });
  const g = meter.createGauge('g');
  return () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const e = EVENTS[i & 4095]!;
      total.add(1, { outcome: e.outcome });
      labelled.add(1, { outcome: e.outcome, region: e.region });
      hist.record(e.durationMs);
      g.record(e.size);
    }
    return Number(process.hrtime.bigint() - t0) / N;
  };
}

const AGGREGATE_N = 50_000;
const KINDS: Array<[string, () => AnyMetric]> = [
  ['counter', () => counter({ name: 'c', on: 'save' })],
  ['counter by 2 labels', () => counter({ name: 'c', on: 'save', by: ['outcome', 'region'] })],
  ['upDownCounter', () => upDownCounter({ name: 'u', on: 'save', value: 'size' })],
  ['gauge', () => gauge({ name: 'g', on: 'save', value: 'size' })],
  ['histogram', () => histogram({ name: 'h', on: 'save', value: 'durationMs' })],
  ['quantiles', () => quantiles({ name: 'q', on: 'save', value: 'durationMs' })],
  [
    'quantiles, 60 s window',
    () => quantiles({ name: 'q', on: 'save', value: 'durationMs', windowMs: 60_000 }),
  ],
  ['rate', () => rate({ name: 'r', on: 'save', windowMs: 1000 })],
  ['outcomeCounter', () => outcomeCounter({ name: 'o', on: 'save' })],
];

/** ns per event through `aggregate` (a subscriber that ignores the snapshots), or coalesced per frame. */
function viaAggregate(make: () => AnyMetric, coalesce: boolean): () => number {
  return () => {
    const subject = new Subject<MetricEvent>();
    const op = coalesce ? aggregate(make(), { coalesce: 16, scheduler: asyncScheduler }) : aggregate(make());
    const sub = subject.pipe(op).subscribe(() => undefined);
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < AGGREGATE_N; i++) subject.next(EVENTS[i & 4095]!);
    const ns = Number(process.hrtime.bigint() - t0) / AGGREGATE_N;
    sub.unsubscribe();
    return ns;
  };
}

/** 100 counters by two labels with 10 series each, read (with `JSON.stringify`) vs prom-client's text. */
function snapshotRead(): { ours: () => number; prom: () => Promise<number> } {
  const recorder = new MetricsRecorder('read');
  const registry = new prom.Registry();
  const promCounters: prom.Counter[] = [];
  for (let m = 0; m < 100; m++) {
    recorder.registerMetric(counter({ name: `metric_${m}`, on: 'save', by: ['outcome', 'region'] }));
    promCounters.push(
      new prom.Counter({
        name: `metric_${m}_total`,
        help: 'h',
        labelNames: ['outcome', 'region'],
        registers: [registry],
      }),
    );
  }
  for (let i = 0; i < 10; i++) {
    const e: Save = {
      ...EVENTS[0]!,
      outcome: i % 2 === 0 ? 'success' : 'failure',
      region: `r${Math.floor(i / 2)}`,
    };
    recorder.emit(e);
    for (const c of promCounters) c.inc({ outcome: e.outcome, region: e.region });
  }
  const READS = 200;
  return {
    ours: () => {
      const t0 = process.hrtime.bigint();
      let size = 0;
      for (let i = 0; i < READS; i++) size += JSON.stringify(recorder.getMetricSnapshots()).length;
      void size;
      return Number(process.hrtime.bigint() - t0) / READS / 1000;
    },
    prom: async () => {
      const t0 = process.hrtime.bigint();
      let size = 0;
      for (let i = 0; i < READS; i++) size += (await registry.metrics()).length;
      void size;
      return Number(process.hrtime.bigint() - t0) / READS / 1000;
    },
  };
}

/** prom-client's `Counter.inc` by one label over the same events (the series-scaling peer). */
function promSeries(events: readonly MetricEvent[]): () => number {
  const registry = new prom.Registry();
  const c = new prom.Counter({ name: 'c_total', help: 'h', labelNames: ['region'], registers: [registry] });
  const mask = events.length - 1;
  return () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++)
      c.inc({ region: (events[i & mask] as MetricEvent & { region: string }).region });
    return Number(process.hrtime.bigint() - t0) / N;
  };
}

/** Events with `distinct` label values cycling, for the series-scaling rows. */
function seriesEvents(distinct: number): MetricEvent[] {
  const size = 16_384;
  return Array.from(
    { length: size },
    (_, i) => ({ type: 'save', region: `r${i % distinct}` }) as MetricEvent,
  );
}

export interface KindsBenchResult {
  readonly endToEnd: {
    readonly ours: Sample;
    readonly unread: Sample;
    readonly changes: Sample;
    readonly prom: Sample;
    readonly otel: Sample;
  };
  readonly aggregate: readonly { readonly perEvent: Sample; readonly coalesced: Sample }[];
  readonly read: { readonly ours: Sample; readonly prom: Sample };
  readonly metricsScaling: readonly Sample[];
  readonly seriesScaling: readonly Sample[];
  readonly seriesScalingUnread: readonly Sample[];
  readonly seriesScalingProm: readonly Sample[];
}

export async function run(): Promise<KindsBenchResult> {
  const ours = repeat(
    'four kinds, end to end through a running recorder',
    'ns/event',
    ROUNDS,
    throughRecorder(fourKinds(), false),
  );
  const unread = await repeatAsync(
    'four kinds, end to end, bursts processed by flush(), one read per round',
    'ns/event',
    ROUNDS,
    throughRecorderUnread(fourKinds()),
    2,
  );
  const changes = repeat(
    'the same, with a changes$ subscriber ignoring the snapshot',
    'ns/event',
    ROUNDS,
    throughRecorder(fourKinds(), true),
  );
  const promRow = repeat('prom-client, the same four updates', 'ns/event', ROUNDS, fourProm());
  const otelRow = repeat(
    'OpenTelemetry sdk-metrics 2.x, the same four updates',
    'ns/event',
    ROUNDS,
    fourOtel(),
  );
  const aggregateRows = KINDS.map(([name, make]) => ({
    perEvent: repeat(
      `aggregate(${name}), a snapshot per event`,
      'ns/event',
      ROUNDS,
      viaAggregate(make, false),
      1,
    ),
    coalesced: repeat(
      `aggregate(${name}, { coalesce: 16 ms })`,
      'ns/event',
      ROUNDS,
      viaAggregate(make, true),
      1,
    ),
  }));
  const read = snapshotRead();
  const readOurs = repeat(
    'read 100 labelled metrics + JSON.stringify (1,000 series)',
    'µs/read',
    ROUNDS,
    read.ours,
  );
  const readProm = await repeatAsync(
    'prom-client registry.metrics(), same 1,000 series',
    'µs/read',
    ROUNDS,
    read.prom,
  );
  const metricsScaling = [1, 10, 100].map((count) =>
    repeat(
      `end to end, ${count} labelled counter(s) registered`,
      'ns/event',
      ROUNDS,
      throughRecorder(
        Array.from({ length: count }, (_, i) =>
          counter({ name: `c${i}`, on: 'save', by: ['outcome', 'region'] }),
        ),
        false,
        EVENTS,
        count === 100 ? N / 10 : N,
      ),
    ),
  );
  const seriesCounter = () => [counter({ name: 'c', on: 'save', by: ['region'], maxSeries: 20_000 })];
  const seriesScaling = [10, 1_000, 10_000].map((distinct) =>
    repeat(
      `end to end, one counter with ${distinct.toLocaleString('en')} series, read after every burst`,
      'ns/event',
      ROUNDS,
      throughRecorder(seriesCounter(), false, seriesEvents(distinct)),
    ),
  );
  const seriesScalingUnread: Sample[] = [];
  for (const distinct of [10, 1_000, 10_000]) {
    seriesScalingUnread.push(
      await repeatAsync(
        `end to end, one counter with ${distinct.toLocaleString('en')} series, one read per round`,
        'ns/event',
        ROUNDS,
        throughRecorderUnread(seriesCounter(), seriesEvents(distinct)),
        2,
      ),
    );
  }
  const seriesScalingProm = [10, 1_000, 10_000].map((distinct) =>
    repeat(
      `prom-client, one counter with ${distinct.toLocaleString('en')} series (inc per event)`,
      'ns/event',
      ROUNDS,
      promSeries(seriesEvents(distinct)),
    ),
  );
  return {
    endToEnd: { ours, unread, changes, prom: promRow, otel: otelRow },
    aggregate: aggregateRows,
    read: { ours: readOurs, prom: readProm },
    metricsScaling,
    seriesScaling,
    seriesScalingUnread,
    seriesScalingProm,
  };
}

export function print(r: KindsBenchResult): void {
  const { ours, unread, changes, prom: p, otel } = r.endToEnd;
  console.log(
    'End to end: emit + processing + snapshots (read after every 5,000-event burst unless said), four built-in kinds (outcome counter, counter by 2 labels, histogram, gauge):',
  );
  for (const s of [ours, unread, changes, p, otel]) console.log(line(s));
  console.log(ratio('  mvx through a recorder / prom-client', ours, p, 0.25));
  console.log(ratio('  mvx through a recorder / OpenTelemetry', ours, otel, 0.1));
  // No target of its own: the same work as the first row, measured after it (JIT and order effects move
  // either row by about 10%; run alone in either order, the two agree within noise).
  console.log(ratio('  mvx through a recorder, one read per round / prom-client', unread, p));
  console.log(ratio('  with a changes$ subscriber / without', changes, ours, 2));
  console.log('\nThe pure-RxJS path (aggregate):');
  for (const a of r.aggregate) console.log(`${line(a.perEvent)}\n${line(a.coalesced)}`);
  const worst = Math.max(...r.aggregate.map((a) => a.perEvent.median));
  console.log(
    `  slowest kind per event: ${worst.toFixed(0)} ns (target < 2000 ns: ${worst < 2000 ? 'met' : 'NOT met'})`,
  );
  console.log('\nSnapshot reads:');
  console.log(line(r.read.ours));
  console.log(line(r.read.prom));
  console.log(
    ratio('  read + JSON.stringify / prom-client registry.metrics()', r.read.ours, r.read.prom, 0.1),
  );
  console.log('\nScaling (end to end through a running recorder):');
  for (const s of [...r.metricsScaling, ...r.seriesScaling, ...r.seriesScalingUnread, ...r.seriesScalingProm])
    console.log(line(s));
  const series = r.seriesScaling;
  console.log(
    ratio('  10,000 series / 10 series, read after every burst (flat is 1)', series[2]!, series[0]!),
  );
  const unreadSeries = r.seriesScalingUnread;
  console.log(
    ratio('  10,000 series / 10 series, one read per round (flat is 1)', unreadSeries[2]!, unreadSeries[0]!),
  );
  const promSeriesRows = r.seriesScalingProm;
  console.log(ratio('  prom-client: 10,000 series / 10 series', promSeriesRows[2]!, promSeriesRows[0]!));
}

if (require.main === module) void run().then(print);
