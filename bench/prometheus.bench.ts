/**
 * The cost of one scrape (`registry.metrics()`) of 100 metrics x 10 series (50 counters, 50 histograms
 * with 10 buckets) through `exposeToPrometheus`, next to prom-client's own `registry.metrics()` for the
 * same series held in native prom-client Counters and Histograms.
 *
 * Run: node --expose-gc -r ts-node/register/transpile-only bench/prometheus.bench.ts
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { counter, histogram, MetricsRecorder, type MetricEvent } from '../lib/index.js';
import { exposeToPrometheus } from '../lib/adapters/prometheus/index.js';
import { gc, line, ratio, repeatAsync, type Sample } from './harness.js';

type Req = MetricEvent & { readonly type: 'req'; readonly route: string; readonly ms: number };

const METRICS = 100;
const SERIES = 10;
const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const ROUTES = Array.from({ length: SERIES }, (_, i) => `/route/${i}`);
const SCRAPES = 30;
const REPEATS = 5;

async function mvxSetup(includeStats: boolean): Promise<{ registry: Registry; close: () => Promise<void> }> {
  const recorder = new MetricsRecorder<Req>('bench', { capacity: 100_000 });
  for (let m = 0; m < METRICS / 2; m++) {
    recorder.registerMetric(counter<Req>({ name: `app.requests.${m}`, on: 'req', by: ['route'] }));
    recorder.registerMetric(
      histogram<Req>({ name: `app.latency.${m}`, on: 'req', value: 'ms', buckets: BUCKETS, by: ['route'] }),
    );
  }
  await recorder.start();
  for (let i = 0; i < 5_000; i++)
    recorder.emit({ type: 'req', route: ROUTES[i % SERIES]!, ms: (i * 7) % 3000 });
  await recorder.flush();
  const registry = new Registry();
  const exposure = exposeToPrometheus(recorder, { registry, includeStats });
  return {
    registry,
    close: async () => {
      exposure.close();
      await recorder.dispose();
    },
  };
}

function nativeSetup(): Registry {
  const registry = new Registry();
  for (let m = 0; m < METRICS / 2; m++) {
    const c = new Counter({
      name: `app_requests_${m}_total`,
      help: 'requests',
      labelNames: ['recorder', 'route'],
      registers: [registry],
    });
    const h = new Histogram({
      name: `app_latency_${m}`,
      help: 'latency',
      labelNames: ['recorder', 'route'],
      buckets: BUCKETS,
      registers: [registry],
    });
    for (let i = 0; i < 5_000; i++) {
      const labels = { recorder: 'bench', route: ROUTES[i % SERIES]! };
      c.inc(labels);
      h.observe(labels, (i * 7) % 3000);
    }
  }
  return registry;
}

async function perScrapeUs(registry: Registry): Promise<number> {
  gc();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SCRAPES; i++) await registry.metrics();
  return Number(process.hrtime.bigint() - t0) / 1000 / SCRAPES;
}

const sampleLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

export interface PrometheusBenchResult {
  readonly mvx: Sample;
  readonly mvxWithStats: Sample;
  readonly native: Sample;
  readonly lines: { readonly mvx: number; readonly native: number };
}

export async function run(): Promise<PrometheusBenchResult> {
  const a = await mvxSetup(false);
  const b = await mvxSetup(true);
  const native = nativeSetup();
  const lines = { mvx: sampleLines(await a.registry.metrics()), native: sampleLines(await native.metrics()) };
  if (lines.mvx !== lines.native)
    throw new Error(`different expositions: ${lines.mvx} vs ${lines.native} samples`);
  const label = `one scrape, ${METRICS} metrics x ${SERIES} series (${lines.native} samples)`;
  // Interleave the three so that machine noise spreads evenly.
  const runs = { mvx: [] as number[], mvxWithStats: [] as number[], native: [] as number[] };
  for (let i = 0; i < 2; i++) {
    await perScrapeUs(a.registry);
    await perScrapeUs(b.registry);
    await perScrapeUs(native);
  }
  for (let r = 0; r < REPEATS; r++) {
    runs.mvx.push(await perScrapeUs(a.registry));
    runs.mvxWithStats.push(await perScrapeUs(b.registry));
    runs.native.push(await perScrapeUs(native));
  }
  const pick = (xs: number[]) => {
    let k = 0;
    return () => Promise.resolve(xs[k++]!);
  };
  const result = {
    mvx: await repeatAsync(`exposeToPrometheus, ${label}`, 'us', REPEATS, pick(runs.mvx), 0),
    mvxWithStats: await repeatAsync(
      `exposeToPrometheus + recorder health, ${label}`,
      'us',
      REPEATS,
      pick(runs.mvxWithStats),
      0,
    ),
    native: await repeatAsync(
      `prom-client Counters/Histograms, ${label}`,
      'us',
      REPEATS,
      pick(runs.native),
      0,
    ),
    lines,
  };
  await a.close();
  await b.close();
  return result;
}

export function print(r: PrometheusBenchResult): void {
  console.log(line(r.mvx));
  console.log(line(r.mvxWithStats));
  console.log(line(r.native));
  console.log(ratio('exposeToPrometheus / prom-client native', r.mvx, r.native));
}

if (require.main === module) void run().then(print);
