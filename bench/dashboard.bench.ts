/**
 * Dashboard benchmark: the server's CPU per tick of `snapshotEventStream` with 50 connected clients
 * and 100 metrics (40 labelled counters, 20 gauges, 20 histograms, 10 quantile sketches, 10 outcome
 * counters), over real sockets. The clients run in a child process, so `process.cpuUsage()` of this
 * process is the server's alone: reading the recorder, serialising once, writing to 50 sockets.
 *
 * 1. idle: no metric changes between ticks (each snapshot's JSON is cached: concatenation only);
 * 2. busy: every metric changes before every tick (the cost of emitting those events is measured
 *    without the stream and subtracted).
 *
 * Run: node --expose-gc -r ts-node/register/transpile-only bench/dashboard.bench.ts
 * Imports are relative: ts-node does not apply the `mvx-common` path mapping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  counter,
  gauge,
  histogram,
  MetricsRecorder,
  outcomeCounter,
  quantiles,
  type MetricEvent,
} from '../lib/index.js';
import { snapshotEventStream } from '../lib/dashboard/index.js';
import { fmt, repeatAsync, type Sample } from './harness.js';

const CLIENTS = 50;
const INTERVAL_MS = 20;
const TICKS = 100;

type Ev = MetricEvent & {
  readonly i: number;
  readonly v: number;
  readonly route: string;
  readonly outcome: string;
};

function recorderWith100Metrics(): { recorder: MetricsRecorder<Ev>; touch(round: number): void } {
  const recorder = new MetricsRecorder<Ev>('bench', { capacity: 100_000 });
  for (let m = 0; m < 40; m++)
    recorder.registerMetric(counter<Ev>({ name: `counter.${m}`, on: `c${m}`, by: ['route'] }));
  for (let m = 0; m < 20; m++)
    recorder.registerMetric(gauge<Ev>({ name: `gauge.${m}`, on: `g${m}`, value: 'v' }));
  for (let m = 0; m < 20; m++) {
    recorder.registerMetric(histogram<Ev>({ name: `histogram.${m}`, on: `h${m}`, value: 'v', unit: 'ms' }));
  }
  for (let m = 0; m < 10; m++)
    recorder.registerMetric(quantiles<Ev>({ name: `quantiles.${m}`, on: `q${m}`, value: 'v' }));
  for (let m = 0; m < 10; m++)
    recorder.registerMetric(outcomeCounter<Ev>({ name: `outcomes.${m}`, on: `o${m}` }));
  const types = [
    ...Array.from({ length: 40 }, (_, m) => `c${m}`),
    ...Array.from({ length: 20 }, (_, m) => `g${m}`),
    ...Array.from({ length: 20 }, (_, m) => `h${m}`),
    ...Array.from({ length: 10 }, (_, m) => `q${m}`),
    ...Array.from({ length: 10 }, (_, m) => `o${m}`),
  ];
  const touch = (round: number) => {
    for (let k = 0; k < types.length; k++) {
      const v = ((round * 7919 + k * 104_729) % 1000) + 1;
      recorder.emit({
        type: types[k]!,
        i: round,
        v,
        route: `/r${(round + k) % 8}`,
        outcome: v % 10 === 0 ? 'failure' : 'success',
      });
    }
  };
  // a realistic spread of series and sketch bins before measuring
  for (let round = 0; round < 400; round++) touch(round);
  return { recorder, touch };
}

/** 50 SSE clients in a child process; resolves once all are streaming. */
function startClients(url: string): Promise<ChildProcess> {
  const script = `
    const http = require('node:http');
    let ready = 0;
    let bytes = 0;
    for (let i = 0; i < ${CLIENTS}; i++) {
      http.get(${JSON.stringify(url)}, { agent: false }, (res) => {
        let first = true;
        res.on('data', (d) => {
          bytes += d.length;
          if (first) { first = false; if (++ready === ${CLIENTS}) process.stdout.write('ready\\n'); }
        });
      });
    }
    process.stdin.on('data', () => process.stdout.write('bytes ' + bytes + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`clients exited (${code})`)));
  });
}

/** Bytes the clients received so far (all together). */
function received(clients: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      const m = /bytes (\d+)/.exec(String(d));
      if (m) {
        clients.stdout!.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    clients.stdout!.on('data', onData);
    clients.stdin!.write('?\n');
  });
}

interface TickCost {
  readonly cpuUsPerTick: number;
  readonly bytesPerTick: number;
}

async function measure(busy: boolean): Promise<TickCost> {
  const { recorder, touch } = recorderWith100Metrics();
  const handler = snapshotEventStream(recorder, { intervalMs: INTERVAL_MS, history: 10 });
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clients = await startClients(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  let round = 1000;
  const churn = busy ? setInterval(() => touch(round++), INTERVAL_MS / 2) : undefined;
  await new Promise((resolve) => setTimeout(resolve, 200));
  // the cost of the events alone, to subtract
  let eventsUs = 0;
  if (busy) {
    const before = process.cpuUsage();
    for (let r = 0; r < 200; r++) touch(round++);
    recorder.getMetricSnapshots();
    const d = process.cpuUsage(before);
    eventsUs = (d.user + d.system) / 200;
  }
  const startTicks = handler.getStats().ticks;
  const startRound = round;
  const startBytes = await received(clients);
  const before = process.cpuUsage();
  while (handler.getStats().ticks - startTicks < TICKS)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const cpu = process.cpuUsage(before);
  const ticks = handler.getStats().ticks - startTicks;
  const churnUs = eventsUs * (round - startRound);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const bytes = (await received(clients)) - startBytes;
  if (churn) clearInterval(churn);
  clients.kill();
  handler.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await recorder.dispose();
  return { cpuUsPerTick: (cpu.user + cpu.system - churnUs) / ticks, bytesPerTick: bytes / ticks / CLIENTS };
}

export interface DashboardBench {
  readonly idle: Sample;
  readonly busy: Sample;
  readonly idleBytes: number;
  readonly busyBytes: number;
}

export async function run(): Promise<DashboardBench> {
  const bytes = { idle: 0, busy: 0 };
  const idle = await repeatAsync('tick, 50 clients, 100 metrics, nothing changed', 'µs CPU', 3, async () => {
    const r = await measure(false);
    bytes.idle = r.bytesPerTick;
    return r.cpuUsPerTick;
  });
  const busy = await repeatAsync('tick, 50 clients, 100 metrics, all changed', 'µs CPU', 3, async () => {
    const r = await measure(true);
    bytes.busy = r.bytesPerTick;
    return r.cpuUsPerTick;
  });
  return { idle, busy, idleBytes: bytes.idle, busyBytes: bytes.busy };
}

export function print(r: DashboardBench): void {
  const line = (s: Sample, b: number) =>
    `${s.name.padEnd(52)} median ${fmt(s.median).padStart(7)} ${s.unit} per tick (min ${fmt(s.min)}, max ${fmt(s.max)}), ` +
    `${fmt(b / 1024)} KiB per event, ${fmt(s.median / CLIENTS)} µs per client`;
  console.log(line(r.idle, r.idleBytes));
  console.log(line(r.busy, r.busyBytes));
  console.log(
    `(one tick every ${INTERVAL_MS} ms here; at the default 1 s interval that is ${fmt(r.busy.median / 10_000)}% of a core, all metrics changing)`,
  );
}

if (require.main === module) {
  run().then(print, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
