/**
 * The cost of one OpenTelemetry collection through `MvxMetricProducer`, next to sdk-metrics collecting
 * the same series from its own instruments: 100 metrics x 10 series, as counters and as histograms,
 * idle (nothing changed since the previous collection) and after one update of every series.
 *
 * Run: `npm run bench -- opentelemetry` (or, after `npm run build`,
 * `node --expose-gc -r ts-node/register/transpile-only bench/otel.bench.ts`). About 15 s.
 */
import { MeterProvider, MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { counter, histogram, MetricsRecorder, type MetricEvent } from 'mvx-common';
import { MvxMetricProducer } from 'mvx-common/otel';
import { gc, line, ratio, repeatAsync, type Sample } from './harness';

const METRICS = 100;
const SERIES = 10;
const COLLECTS = 100;
/** Fewer when every series is updated before each collection (those rows are 10x slower). */
const UPDATED_COLLECTS = 30;
const ROUNDS = 7;
const BOUNDS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

type Hit = MetricEvent & { type: 'hit'; m: number; k: string; v: number };
const KEYS = Array.from({ length: SERIES }, (_, i) => `s${i}`);

/** A reader that only collects (no exporter): what a Prometheus scrape or a periodic export starts with. */
class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

type Kind = 'counter' | 'histogram';

/** mvx: one running recorder with 100 metrics of `kind`, each with 10 label sets. */
async function mvxSide(kind: Kind) {
  const recorder = new MetricsRecorder('bench', { capacity: 1 << 20 });
  for (let m = 0; m < METRICS; m++) {
    const on = (e: MetricEvent): e is Hit => e.type === 'hit' && (e as Hit).m === m;
    if (kind === 'counter') recorder.registerMetric(counter<Hit>({ name: `c${m}`, on, by: ['k'] }));
    else
      recorder.registerMetric(histogram<Hit>({ name: `h${m}`, on, value: 'v', by: ['k'], buckets: BOUNDS }));
  }
  const update = (round: number): Promise<void> => {
    for (let m = 0; m < METRICS; m++) {
      for (const k of KEYS) recorder.emit({ type: 'hit', m, k, v: (round * 7 + m) % 900 } as Hit);
    }
    return recorder.flush(); // processed (the recorder's own work counts on the mvx side)
  };
  await recorder.start(); // running: every snapshot read first processes what is pending
  const producer = new MvxMetricProducer(recorder, { includeStats: false });
  return { update, collect: () => producer.collect(), close: () => recorder.dispose() };
}

/** sdk-metrics: the same 100 x 10 series from its own instruments, collected by a reader. */
function sdkSide(kind: Kind) {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('bench');
  const attrs: Attributes[] = KEYS.map((k) => ({ k, 'mvx.recorder': 'bench' }));
  const instruments = Array.from({ length: METRICS }, (_, m) =>
    kind === 'counter'
      ? meter.createCounter(`c${m}`)
      : meter.createHistogram(`h${m}`, { advice: { explicitBucketBoundaries: BOUNDS } }),
  );
  const update = (round: number) => {
    instruments.forEach((inst, m) => {
      for (const a of attrs) {
        if (kind === 'counter') (inst as { add(v: number, a: Attributes): void }).add(1, a);
        else (inst as { record(v: number, a: Attributes): void }).record((round * 7 + m) % 900, a);
      }
    });
  };
  return {
    update,
    collect: (): Promise<CollectionResult> => reader.collect(),
    close: () => provider.shutdown(),
  };
}

/** Checks both sides export 100 metrics x 10 points, so the comparison is like for like. */
async function checkShape(name: string, collect: () => Promise<CollectionResult>): Promise<void> {
  const result = await collect();
  const metrics = result.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  const points = metrics.reduce((n, m) => n + m.dataPoints.length, 0);
  if (metrics.length !== METRICS || points !== METRICS * SERIES || result.errors.length > 0) {
    throw new Error(
      `${name}: expected ${METRICS} metrics x ${SERIES} series, got ${metrics.length} / ${points}`,
    );
  }
}

/** Microseconds per collection (optionally after updating every series once before each). */
async function measure(
  name: string,
  side: { update(round: number): void | Promise<void>; collect(): Promise<unknown> },
  withUpdates: boolean,
): Promise<Sample> {
  let round = 0;
  const collects = withUpdates ? UPDATED_COLLECTS : COLLECTS;
  return repeatAsync(name, 'us/collect', ROUNDS, async () => {
    gc();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < collects; i++) {
      if (withUpdates) await side.update(++round);
      await side.collect();
    }
    return Number(process.hrtime.bigint() - t0) / 1000 / collects;
  });
}

export async function run(): Promise<string[]> {
  const out: string[] = [
    `${METRICS} metrics x ${SERIES} series; ${COLLECTS} collections (${UPDATED_COLLECTS} with updates) x ${ROUNDS} rounds`,
  ];
  for (const kind of ['counter', 'histogram'] as const) {
    const mvx = await mvxSide(kind);
    const sdk = sdkSide(kind);
    try {
      await mvx.update(0);
      sdk.update(0);
      await checkShape(`mvx ${kind}`, mvx.collect as () => Promise<CollectionResult>);
      await checkShape(`sdk ${kind}`, sdk.collect);
      const idleMvx = await measure(`${kind}s, idle: MvxMetricProducer.collect`, mvx, false);
      const idleSdk = await measure(`${kind}s, idle: sdk-metrics reader.collect`, sdk, false);
      const busyMvx = await measure(`${kind}s, 1 update/series + collect: mvx`, mvx, true);
      const busySdk = await measure(`${kind}s, 1 update/series + collect: sdk-metrics`, sdk, true);
      out.push(line(idleMvx), line(idleSdk), ratio(`${kind}s idle: mvx / sdk-metrics`, idleMvx, idleSdk));
      out.push(line(busyMvx), line(busySdk), ratio(`${kind}s updated: mvx / sdk-metrics`, busyMvx, busySdk));
    } finally {
      await mvx.close();
      await sdk.close();
    }
  }
  return out;
}

if (require.main === module) {
  run().then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
