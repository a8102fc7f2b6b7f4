/**
 * Reliability under load (issue: the worker runtime under load and failure), with four built-in kinds
 * (an outcome counter, a counter by two labels, a histogram, a gauge):
 *
 * 1. drops at 250k, 500k and 1M events/s, producer paced in bursts of 5,000 events per event-loop turn:
 *    in-process (through a running recorder) and worker-hosted (through the bridge);
 * 2. soak: 50M events through a running in-process recorder, heapUsed and RSS after gc() every 5M;
 * 3. flood: 10M events at full speed (one synchronous loop) into capacity 10k, in-process and through
 *    a worker facade: heap and RSS deltas;
 * 4. a million distinct label values into a labelled counter (bounded by the series cap);
 * 5. label values of 1 MB into a labelled counter (no length bound today: what it costs).
 *
 * Run: `npm run bench -- reliability` (all of it, a few minutes), `npm run bench -- reliability --quick`
 * (a smoke run, well under a minute), or directly:
 * `node --expose-gc -r ts-node/register/transpile-only bench/reliability.bench.ts [--quick]`.
 * `RELIABILITY_ONLY=drops,soak,flood,labels` runs some sections only. Nothing here is asserted.
 * Imports are relative: ts-node does not apply the `mvx-common` path mapping.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { counter, MetricsRecorder, type MetricEvent } from '../lib/index.js';
import { WorkerMetricsRuntime, type RemoteRecorder } from '../lib/node/index.js';
import { createMetrics, SAVES, type Save } from './reliability.bench.metrics.js';

const QUICK = process.argv.includes('--quick');
const ONLY = (process.env['RELIABILITY_ONLY'] ?? '').split(',').filter(Boolean);
const runs = (section: string): boolean => ONLY.length === 0 || ONLY.includes(section);

const BURST = 5_000;
const RATES = [250_000, 500_000, 1_000_000];
/** Seconds of load per drops cell, and rounds (for ranges). */
const CELL_SECONDS = QUICK ? 0.5 : 2;
const ROUNDS = QUICK ? 1 : 3;
const SOAK_EVENTS = QUICK ? 5_000_000 : 50_000_000;
const SOAK_EVERY = SOAK_EVENTS / 10;
const FLOOD_EVENTS = QUICK ? 2_000_000 : 10_000_000;
const DISTINCT_LABELS = QUICK ? 100_000 : 1_000_000;
const HUGE_LABELS = QUICK ? 8 : 32;
const MB = 1024 * 1024;

const metricsModule = join(__dirname, 'reliability.bench.metrics.ts');
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? turn() : new Promise((resolve) => setTimeout(resolve, ms));

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

interface Memory {
  readonly heapMb: number;
  readonly rssMb: number;
}

function memory(): Memory {
  gc();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / MB, rssMb: m.rss / MB };
}

/**
 * Emits `total` events at `rate` events/s in bursts of {@link BURST} per event-loop turn (the next burst
 * is due BURST/rate seconds after the previous one; a late producer does not wait). Returns the
 * achieved rate.
 */
async function paced(rate: number, total: number, emit: (event: Save) => void): Promise<number> {
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const n = Math.min(BURST, total - sent);
    for (let i = 0; i < n; i++) emit(SAVES[(sent + i) & 4095]!);
    sent += n;
    await sleep(started + (sent / rate) * 1_000 - performance.now());
  }
  return total / ((performance.now() - started) / 1_000);
}

// ---------------------------------------------------------------- 1. drops

export interface DropsCell {
  readonly where: 'in-process, through a running recorder' | 'worker-hosted, through the bridge';
  readonly rate: number;
  readonly achievedRate: number[];
  /** Events the producer emitted. */
  readonly emitted: number[];
  /** Events the (hosted) recorder was offered. */
  readonly offered: number[];
  readonly processed: number[];
  /** Dropped by the recorder (capacity). */
  readonly dropped: number[];
  /** Worker-hosted: dropped by the facade beyond `maxInFlightEvents`. */
  readonly shed: number[];
}

async function inProcessDrops(rate: number, total: number) {
  const recorder = new MetricsRecorder<Save>('drops');
  for (const metric of createMetrics()) recorder.registerMetric(metric);
  await recorder.start();
  const achieved = await paced(rate, total, (e) => recorder.emit(e));
  await recorder.flush();
  const s = recorder.getStats();
  await recorder.dispose();
  return {
    achieved,
    emitted: total,
    offered: s.offered,
    processed: s.processed,
    dropped: s.dropped,
    shed: 0,
  };
}

async function workerDrops(runtime: WorkerMetricsRuntime, rate: number, total: number, n: number) {
  const recorder: RemoteRecorder<Save> = await runtime.createRecorder<Save>(`drops-${rate}-${n}`);
  const achieved = await paced(rate, total, (e) => recorder.emit(e));
  await recorder.flush();
  const s = recorder.getStats()!;
  const bridge = recorder.getBridgeStats();
  await runtime.stopAndRemoveRecorder(recorder.recorderId);
  return {
    achieved,
    emitted: bridge.emitted,
    offered: s.offered,
    processed: s.processed,
    dropped: s.dropped,
    shed: bridge.shed,
  };
}

async function drops(): Promise<DropsCell[]> {
  const runtime = new WorkerMetricsRuntime({ namespace: 'bench.reliability', metricsModule });
  await runtime.start();
  const cells: DropsCell[] = [];
  try {
    for (const where of [
      'in-process, through a running recorder',
      'worker-hosted, through the bridge',
    ] as const) {
      for (const rate of RATES) {
        const cell = {
          where,
          rate,
          achievedRate: [] as number[],
          emitted: [] as number[],
          offered: [] as number[],
          processed: [] as number[],
          dropped: [] as number[],
          shed: [] as number[],
        };
        for (let round = 0; round < ROUNDS; round++) {
          const total = Math.round(rate * CELL_SECONDS);
          const r =
            where === 'worker-hosted, through the bridge'
              ? await workerDrops(runtime, rate, total, round)
              : await inProcessDrops(rate, total);
          cell.achievedRate.push(r.achieved);
          cell.emitted.push(r.emitted);
          cell.offered.push(r.offered);
          cell.processed.push(r.processed);
          cell.dropped.push(r.dropped);
          cell.shed.push(r.shed);
        }
        cells.push(cell);
      }
    }
  } finally {
    await runtime.shutdown();
  }
  return cells;
}

// ---------------------------------------------------------------- 2. soak

export interface Soak {
  readonly events: number;
  readonly seconds: number;
  readonly samples: readonly (Memory & { readonly events: number })[];
  readonly processed: number;
  readonly dropped: number;
}

async function soak(): Promise<Soak> {
  const recorder = new MetricsRecorder<Save>('soak');
  for (const metric of createMetrics()) recorder.registerMetric(metric);
  await recorder.start();
  const samples: (Memory & { events: number })[] = [{ events: 0, ...memory() }];
  const started = performance.now();
  for (let sent = 0; sent < SOAK_EVENTS;) {
    for (let i = 0; i < BURST; i++) recorder.emit(SAVES[(sent + i) & 4095]!);
    sent += BURST;
    await turn();
    if (sent % SOAK_EVERY === 0) {
      await recorder.flush();
      samples.push({ events: sent, ...memory() });
    }
  }
  const seconds = (performance.now() - started) / 1_000;
  const s = recorder.getStats();
  await recorder.dispose();
  return { events: SOAK_EVENTS, seconds, samples, processed: s.processed, dropped: s.dropped };
}

// ---------------------------------------------------------------- 3. flood

export interface Flood {
  readonly where: string;
  readonly events: number;
  readonly before: Memory;
  readonly peak: Memory;
  readonly after: Memory;
  readonly processed: number;
  readonly dropped: number;
  /** Worker-hosted: dropped by the facade beyond `maxInFlightEvents` (bridge stats `shed`). */
  readonly shed: number;
}

async function floodInProcess(): Promise<Flood> {
  const recorder = new MetricsRecorder<Save>('flood', { capacity: 10_000 });
  for (const metric of createMetrics()) recorder.registerMetric(metric);
  await recorder.start();
  const before = memory();
  for (let i = 0; i < FLOOD_EVENTS; i++) recorder.emit(SAVES[i & 4095]!);
  const peak = memory();
  await recorder.flush();
  const after = memory();
  const s = recorder.getStats();
  await recorder.dispose();
  return {
    where: 'in-process, through a running recorder',
    events: FLOOD_EVENTS,
    before,
    peak,
    after,
    processed: s.processed,
    dropped: s.dropped,
    shed: 0,
  };
}

async function floodWorker(): Promise<Flood> {
  const runtime = new WorkerMetricsRuntime({ namespace: 'bench.flood', metricsModule });
  await runtime.start();
  try {
    const recorder = await runtime.createRecorder<Save>('flood', { capacity: 10_000 });
    const before = memory();
    for (let i = 0; i < FLOOD_EVENTS; i++) recorder.emit(SAVES[i & 4095]!);
    const peak = memory();
    await recorder.flush();
    const after = memory();
    const s = recorder.getStats()!;
    return {
      where: 'worker-hosted, through the bridge',
      events: FLOOD_EVENTS,
      before,
      peak,
      after,
      processed: s.processed,
      dropped: s.dropped,
      shed: recorder.getBridgeStats().shed,
    };
  } finally {
    await runtime.shutdown();
  }
}

// ---------------------------------------------------------------- 4-5. labels

export interface Labels {
  readonly name: string;
  readonly events: number;
  readonly valueLength: number;
  readonly heapDeltaMb: number;
  readonly rssDeltaMb: number;
  readonly series: number;
  readonly overflow: number;
}

interface Tagged extends MetricEvent {
  readonly type: 'tagged';
  readonly tag: string;
}

async function labelled(
  name: string,
  events: number,
  tagOf: (i: number) => string,
  valueLength: number,
): Promise<Labels> {
  const recorder = new MetricsRecorder<Tagged>('labels', { capacity: 100_000 });
  recorder.registerMetric(counter<Tagged>({ name: 'tagged', on: 'tagged', by: ['tag'] }));
  await recorder.start();
  const before = memory();
  for (let i = 0; i < events; i++) {
    recorder.emit({ type: 'tagged', tag: tagOf(i) });
    if ((i & 1023) === 1023) await recorder.flush();
  }
  await recorder.flush();
  const snapshot = recorder.getMetricSnapshot('tagged')!.dimensions as {
    series: unknown[];
    overflow: number;
  };
  const after = memory();
  const result = {
    name,
    events,
    valueLength,
    heapDeltaMb: after.heapMb - before.heapMb,
    rssDeltaMb: after.rssMb - before.rssMb,
    series: snapshot.series.length,
    overflow: snapshot.overflow,
  };
  await recorder.dispose();
  return result;
}

// ---------------------------------------------------------------- run and print

export interface ReliabilityResult {
  readonly quick: boolean;
  readonly drops?: DropsCell[];
  readonly soak?: Soak;
  readonly flood?: Flood[];
  readonly labels?: Labels[];
}

export async function run(): Promise<ReliabilityResult> {
  const result: { -readonly [K in keyof ReliabilityResult]: ReliabilityResult[K] } = { quick: QUICK };
  if (runs('drops')) result.drops = await drops();
  if (runs('soak')) result.soak = await soak();
  if (runs('flood')) result.flood = [await floodInProcess(), await floodWorker()];
  if (runs('labels')) {
    const huge = 'x'.repeat(MB - 8);
    result.labels = [
      await labelled(
        `${DISTINCT_LABELS.toLocaleString('en')} distinct label values`,
        DISTINCT_LABELS,
        (i) => `u${i}`,
        8,
      ),
      await labelled(
        `${HUGE_LABELS} distinct label values of 1 MB`,
        HUGE_LABELS,
        (i) => huge + String(i).padStart(8, '0'),
        MB,
      ),
    ];
  }
  return result;
}

const range = (values: readonly number[], digits = 0): string => {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const f = (v: number) => v.toLocaleString('en', { maximumFractionDigits: digits });
  return min === max ? f(min) : `${f(min)} – ${f(max)}`;
};
const signed = (v: number, digits: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
const pct = (part: number, whole: number): string => (whole === 0 ? '0' : ((100 * part) / whole).toFixed(2));

export function print(r: ReliabilityResult): void {
  console.log(
    `mode: ${r.quick ? 'quick (smoke run)' : 'full'}${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: memory figures include garbage)'}`,
  );
  if (r.drops) {
    console.log(
      `\nDrops, four kinds, bursts of ${BURST.toLocaleString('en')} per event-loop turn, ${CELL_SECONDS} s per cell, ` +
        `${ROUNDS} round(s) (ranges over rounds; lost = emitted - processed):`,
    );
    for (const c of r.drops) {
      const lostPct = c.processed.map((p, i) => Number(pct(c.emitted[i]! - p, c.emitted[i]!)));
      console.log(
        `${c.where.padEnd(40)} ${(c.rate / 1_000).toString().padStart(5)}k/s  achieved ${range(c.achievedRate.map((v) => v / 1_000))}k/s  ` +
          `emitted ${range(c.emitted)}  offered ${range(c.offered)}  processed ${range(c.processed)}  ` +
          `dropped ${range(c.dropped)}` +
          (c.where.startsWith('worker') ? `  shed ${range(c.shed)}` : '') +
          `  (not processed: ${range(lostPct, 2)} %)`,
      );
    }
  }
  if (r.soak) {
    const s = r.soak;
    console.log(
      `\nSoak: ${s.events.toLocaleString('en')} events through a running in-process recorder (four kinds), ${s.seconds.toFixed(1)} s, processed ${s.processed.toLocaleString('en')}, dropped ${s.dropped.toLocaleString('en')}`,
    );
    for (const m of s.samples)
      console.log(
        `  after ${(m.events / 1e6).toFixed(1).padStart(5)}M events: heapUsed ${m.heapMb.toFixed(1)} MB, rss ${m.rssMb.toFixed(1)} MB`,
      );
    const first = s.samples[1] ?? s.samples[0]!;
    const last = s.samples[s.samples.length - 1]!;
    const heaps = s.samples.slice(1).map((m) => m.heapMb);
    const rss = s.samples.slice(1).map((m) => m.rssMb);
    console.log(
      `  drift from the first sample to the last: heapUsed ${(last.heapMb - first.heapMb).toFixed(2)} MB, rss ${(last.rssMb - first.rssMb).toFixed(1)} MB` +
        `  (spread: heapUsed ${(Math.max(...heaps) - Math.min(...heaps)).toFixed(2)} MB, rss ${(Math.max(...rss) - Math.min(...rss)).toFixed(1)} MB)`,
    );
  }
  if (r.flood) {
    console.log('\nFlood: one synchronous loop of emits into capacity 10,000 (memory after gc()):');
    for (const f of r.flood) {
      console.log(
        `${f.where.padEnd(40)} ${f.events.toLocaleString('en')} events: heap ${signed(f.peak.heapMb - f.before.heapMb, 2)} MB at the end of the loop, ` +
          `${signed(f.after.heapMb - f.before.heapMb, 2)} MB after flush; rss ${signed(f.peak.rssMb - f.before.rssMb, 1)} / ${signed(f.after.rssMb - f.before.rssMb, 1)} MB; ` +
          `processed ${f.processed.toLocaleString('en')}, dropped ${f.dropped.toLocaleString('en')}` +
          (f.where.startsWith('worker') ? `, shed by the facade ${f.shed.toLocaleString('en')}` : ''),
      );
    }
  }
  if (r.labels) {
    console.log('\nLabels: a counter by one label (series cap 2,000), in-process, memory after gc():');
    for (const l of r.labels) {
      console.log(
        `${l.name.padEnd(40)} heap ${l.heapDeltaMb >= 0 ? '+' : ''}${l.heapDeltaMb.toFixed(1)} MB, rss ${l.rssDeltaMb >= 0 ? '+' : ''}${l.rssDeltaMb.toFixed(1)} MB; ` +
          `series ${l.series.toLocaleString('en')}, folded into overflow ${l.overflow.toLocaleString('en')}` +
          (l.valueLength >= MB
            ? `; ${(l.heapDeltaMb / l.events).toFixed(2)} MB per distinct value (x 2,000 series = ${(((l.heapDeltaMb / l.events) * 2_000) / 1024).toFixed(1)} GB at the cap)`
            : ''),
      );
    }
  }
}

if (require.main === module) void run().then(print);
