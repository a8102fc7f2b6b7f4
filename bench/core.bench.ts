/**
 * Core pipeline benchmarks (issue 2): emit() against rxjs Subject.next and prom-client Counter.inc,
 * end-to-end processing against calling the reducers directly, memory under a flood, and the cost of a
 * changes$ subscriber. Run with `npm run bench` (or directly with ts-node, after `npm run build`).
 */
import { Subject } from 'rxjs';
import { Counter, Registry } from 'prom-client';
import { defineMetric, MetricsRecorder, type AnyMetric, type MetricEvent } from 'mvx-common';
import { gc, line, ratio, repeat, repeatAsync, type Sample } from './harness';

interface Op extends MetricEvent {
  readonly type: 'op';
  readonly outcome: 'success' | 'failure';
  readonly durationMs: number;
  readonly route: string;
}

const N = 1_000_000;
const ROUNDS = 7;
const events: Op[] = Array.from({ length: 4096 }, (_, i) => ({
  type: 'op',
  outcome: i % 10 === 0 ? 'failure' : 'success',
  durationMs: (i * 7) % 250,
  route: `/r${i % 8}`,
}));

const isOp = (e: MetricEvent): e is Op => e.type === 'op';
/** Four simple metrics: a count, an outcome split, a duration sum and a duration max. */
export const simpleMetrics: AnyMetric[] = [
  defineMetric({
    name: 'ops',
    accepts: isOp,
    init: () => ({ n: 0 }),
    reduce: (s) => ({ n: s.n + 1 }),
    dimensions: (s) => s,
  }),
  defineMetric({
    name: 'failures',
    accepts: (e): e is Op => isOp(e) && e.outcome === 'failure',
    init: () => ({ n: 0 }),
    reduce: (s) => ({ n: s.n + 1 }),
    dimensions: (s) => s,
  }),
  defineMetric({
    name: 'duration.sum',
    accepts: isOp,
    init: () => ({ sum: 0 }),
    reduce: (s, e) => ({ sum: s.sum + e.durationMs }),
    dimensions: (s) => s,
  }),
  defineMetric({
    name: 'duration.max',
    accepts: isOp,
    init: () => ({ max: 0 }),
    reduce: (s, e) => (e.durationMs > s.max ? { max: e.durationMs } : s),
    dimensions: (s) => s,
  }),
];

function emitLoop(target: { emit(e: Op): void }, n: number): void {
  for (let i = 0; i < n; i++) target.emit(events[i & 4095]!);
}

async function runningRecorder(metrics: AnyMetric[], capacity: number): Promise<MetricsRecorder<Op>> {
  const recorder = new MetricsRecorder<Op>('bench', { capacity });
  for (const m of metrics) recorder.registerMetric(m);
  await recorder.start();
  return recorder;
}

function time(body: () => void, n: number): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start) / n;
}

export async function run(): Promise<string[]> {
  const out: string[] = [];
  const results: Record<string, Sample> = {};

  // 1. emit() alone (accept path: validation, admission, ring-buffer store). Draining is outside the timing.
  const emitRecorder = await runningRecorder([], 1 << 20);
  results.emit = repeat('recorder.emit (accepted, no metrics)', 'ns/event', ROUNDS, () => {
    const ns = time(() => emitLoop(emitRecorder, N), N);
    emitRecorder.getMetricSnapshots(); // drains, untimed
    return ns;
  });
  await emitRecorder.dispose();

  const subject = new Subject<Op>();
  let sink: Op | undefined;
  subject.subscribe((e) => {
    sink = e;
  });
  results.subject = repeat('rxjs Subject.next (one subscriber)', 'ns/event', ROUNDS, () =>
    time(() => {
      for (let i = 0; i < N; i++) subject.next(events[i & 4095]!);
    }, N),
  );
  void sink;

  const registry = new Registry();
  const counter = new Counter({
    name: 'ops_total',
    help: 'ops',
    labelNames: ['route', 'outcome'],
    registers: [registry],
  });
  results.prom = repeat('prom-client Counter.inc (two labels)', 'ns/event', ROUNDS, () =>
    time(() => {
      for (let i = 0; i < N; i++) {
        const e = events[i & 4095]!;
        counter.inc({ route: e.route, outcome: e.outcome });
      }
    }, N),
  );

  // 2. End to end: emit + processing with four simple metrics, versus the reducers called directly.
  const e2eRecorder = await runningRecorder(simpleMetrics, 1 << 20);
  results.e2e = repeat('emit + processing, four simple metrics', 'ns/event', ROUNDS, () =>
    time(() => {
      emitLoop(e2eRecorder, N);
      e2eRecorder.getMetricSnapshots();
    }, N),
  );
  results.direct = repeat('the same four reducers called directly', 'ns/event', ROUNDS, () => {
    const states = simpleMetrics.map((m) => m.init());
    const ctx = { now: Date.now() };
    return time(() => {
      for (let i = 0; i < N; i++) {
        const e = events[i & 4095]!;
        for (let j = 0; j < simpleMetrics.length; j++) {
          const m = simpleMetrics[j]!;
          if (m.accepts(e)) states[j] = m.reduce(states[j], e, ctx);
        }
      }
    }, N);
  });

  // 3. changes$ subscriber that ignores the snapshot.
  let seen = 0;
  const sub = e2eRecorder.changes$.subscribe(() => {
    seen++;
  });
  results.changes = repeat('emit + processing with a changes$ subscriber', 'ns/event', ROUNDS, () =>
    time(() => {
      emitLoop(e2eRecorder, N);
      e2eRecorder.getMetricSnapshots();
    }, N),
  );
  sub.unsubscribe();
  if (seen === 0) throw new Error('changes$ saw nothing');
  await e2eRecorder.dispose();

  // 3b. End to end on the default scheduling (microtask/macrotask batches), not the sync drain.
  results.e2eAsync = await repeatAsync(
    'emit + scheduled batches (flush), four metrics',
    'ns/event',
    5,
    async () => {
      const r = await runningRecorder(simpleMetrics, 10_000);
      const start = process.hrtime.bigint();
      for (let burst = 0; burst < N / 5000; burst++) {
        emitLoop(r, 5000);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await r.flush();
      const ns = Number(process.hrtime.bigint() - start) / N;
      if (r.getStats().dropped !== 0) throw new Error('bursts of 5,000 per turn lost events');
      await r.dispose();
      return ns;
    },
  );

  // 4. Memory: a flood of 10 million events into capacity 10,000.
  const flood = await runningRecorder(simpleMetrics, 10_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let chunk = 0; chunk < 100; chunk++) {
    emitLoop(flood, 100_000);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await flood.flush();
  gc();
  const growthMb = (process.memoryUsage().heapUsed - before) / (1024 * 1024);
  const floodStats = flood.getStats();
  await flood.dispose();

  for (const s of Object.values(results)) out.push(line(s));
  out.push('');
  out.push(ratio('emit / Subject.next', results.emit!, results.subject!, 0.5));
  out.push(ratio('emit / prom-client Counter.inc', results.emit!, results.prom!, 0.1));
  out.push(ratio('end-to-end / direct reducers', results.e2e!, results.direct!, 1.5));
  out.push(
    `${'end-to-end ns per event (target <= 150)'.padEnd(58)} ${results.e2e!.median.toFixed(1)} ns: ${results.e2e!.median <= 150 ? 'met' : 'NOT met'}`,
  );
  out.push(ratio('with changes$ subscriber / without', results.changes!, results.e2e!, 2));
  out.push(
    `${'flood of 10M events into capacity 10k: heap growth'.padEnd(58)} ${growthMb.toFixed(2)} MB (target < 5): ${growthMb < 5 ? 'met' : 'NOT met'}` +
      `  [processed ${floodStats.processed}, dropped ${floodStats.dropped}]`,
  );
  return out;
}

if (require.main === module) {
  void run().then((lines) => console.log(lines.join('\n')));
}
