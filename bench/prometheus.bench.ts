/**
 * The cost of one scrape (`registry.metrics()`) of 100 metrics x 10 series (50 counters, 50 histograms
 * with 10 buckets) through `exposeToPrometheus`, next to prom-client's own `registry.metrics()` for the
 * same series held in native prom-client Counters and Histograms.
 *
 * Two cases: nothing changed since the last scrape (the exporter maps each snapshot object once and
 * reuses the mapping), and every series changed since the last scrape (one event per series before
 * each scrape, not timed: the exporter maps every snapshot again).
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

interface Setup {
  readonly registry: Registry;
  /** One update of every series (not timed). */
  readonly touch: () => Promise<void>;
  readonly close: () => Promise<void>;
}

async function mvxSetup(includeStats: boolean): Promise<Setup> {
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
    touch: async () => {
      for (const route of ROUTES) recorder.emit({ type: 'req', route, ms: 42 });
      await recorder.flush();
    },
    close: async () => {
      exposure.close();
      await recorder.dispose();
    },
  };
}

function nativeSetup(): Setup {
  const registry = new Registry();
  const touches: (() => void)[] = [];
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
    touches.push(() => {
      for (const route of ROUTES) {
        c.inc({ recorder: 'bench', route });
        h.observe({ recorder: 'bench', route }, 42);
      }
    });
  }
  return {
    registry,
    touch: () => {
      for (const t of touches) t();
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

/** Mean microseconds of one `registry.metrics()`, optionally after an untimed update of every series. */
async function perScrapeUs(setup: Setup, changed: boolean): Promise<number> {
  gc();
  let ns = 0n;
  for (let i = 0; i < SCRAPES; i++) {
    if (changed) await setup.touch();
    const t0 = process.hrtime.bigint();
    await setup.registry.metrics();
    ns += process.hrtime.bigint() - t0;
  }
  return Number(ns) / 1000 / SCRAPES;
}

const sampleLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

export interface PrometheusBenchResult {
  readonly unchanged: { readonly mvx: Sample; readonly mvxWithStats: Sample; readonly native: Sample };
  readonly changed: { readonly mvx: Sample; readonly native: Sample };
  readonly samples: number;
}

const samples = (runs: number[], name: string) => {
  let k = 0;
  return repeatAsync(name, 'us', runs.length, () => Promise.resolve(runs[k++]!), 0);
};

export async function run(): Promise<PrometheusBenchResult> {
  const a = await mvxSetup(false);
  const b = await mvxSetup(true);
  const native = nativeSetup();
  const lines = {
    mvx: sampleLines(await a.registry.metrics()),
    native: sampleLines(await native.registry.metrics()),
  };
  if (lines.mvx !== lines.native)
    throw new Error(`different expositions: ${lines.mvx} vs ${lines.native} samples`);
  const label = `${METRICS} metrics x ${SERIES} series (${lines.native} samples)`;
  // Interleaved, so that machine noise spreads evenly over what is compared.
  const runs = {
    mvx: [] as number[],
    mvxWithStats: [] as number[],
    native: [] as number[],
    mvxChanged: [] as number[],
    nativeChanged: [] as number[],
  };
  for (let r = -1; r < REPEATS; r++) {
    const round = [
      await perScrapeUs(a, false),
      await perScrapeUs(b, false),
      await perScrapeUs(native, false),
      await perScrapeUs(a, true),
      await perScrapeUs(native, true),
    ];
    if (r < 0) continue; // warm-up
    runs.mvx.push(round[0]!);
    runs.mvxWithStats.push(round[1]!);
    runs.native.push(round[2]!);
    runs.mvxChanged.push(round[3]!);
    runs.nativeChanged.push(round[4]!);
  }
  const result: PrometheusBenchResult = {
    unchanged: {
      mvx: await samples(runs.mvx, `exposeToPrometheus, unchanged, ${label}`),
      mvxWithStats: await samples(runs.mvxWithStats, `  + recorder health, unchanged`),
      native: await samples(runs.native, `prom-client native, unchanged, ${label}`),
    },
    changed: {
      mvx: await samples(runs.mvxChanged, `exposeToPrometheus, every series changed`),
      native: await samples(runs.nativeChanged, `prom-client native, every series changed`),
    },
    samples: lines.native,
  };
  await a.close();
  await b.close();
  return result;
}

export function print(r: PrometheusBenchResult): void {
  console.log(line(r.unchanged.mvx));
  console.log(line(r.unchanged.mvxWithStats));
  console.log(line(r.unchanged.native));
  console.log(line(r.changed.mvx));
  console.log(line(r.changed.native));
  console.log(
    ratio('one scrape, unchanged: exposeToPrometheus / prom-client', r.unchanged.mvx, r.unchanged.native),
  );
  console.log(
    ratio(
      'one scrape, every series changed: exposeToPrometheus / prom-client',
      r.changed.mvx,
      r.changed.native,
    ),
  );
}

if (require.main === module) void run().then(print);
