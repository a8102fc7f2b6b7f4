/**
 * End to end with a real Prometheus (Debian `prometheus` 2.42; CI installs it): a node:http server on
 * 127.0.0.1 serves `/metrics` (Prometheus text format) and `/om` (OpenMetrics) from exposeToPrometheus;
 * Prometheus scrapes both every second, and its query API must show what was emitted.
 * A missing `prometheus` binary fails this test (it never skips).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, type OpenMetricsContentType } from 'prom-client';
import { kindsFor, MetricsRuntime } from 'mvx-common';
import { exposeToPrometheus, type PrometheusExposure } from 'mvx-common/prometheus';
import { requireBinary } from '../../helpers/promText.js';
import { sleep } from '../../helpers/wait.js';

type Save = { type: 'save'; region: 'eu' | 'us'; outcome: 'success' | 'failure'; durationMs: number };
const k = kindsFor<Save>();
const BOUNDS = [5, 10, 25, 50];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A JSON request without keep-alive (nothing left open when the test ends). */
function requestJson(url: string, form?: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    const req = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent: false,
        headers: body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface QueryResult {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

describe('a real Prometheus scraping exposeToPrometheus', () => {
  let tmp: string | undefined;
  let prometheus: ChildProcess | undefined;
  let server: Server | undefined;
  let runtime: MetricsRuntime | undefined;
  const exposures: PrometheusExposure[] = [];
  let promLog = '';
  let api = '';

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const child = prometheus;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    for (const e of exposures) e.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await runtime?.shutdown().catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<QueryResult[]> {
    const body = (await requestJson(`${api}/api/v1/query`, { query: expr })) as {
      status: string;
      data: { result: QueryResult[] };
      error?: string;
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result;
  }

  async function scalar(expr: string): Promise<number> {
    const result = await query(expr);
    if (result.length !== 1)
      throw new Error(`query ${expr} returned ${result.length} series: ${JSON.stringify(result)}`);
    return Number(result[0]!.value[1]);
  }

  /** Polls `expr` until it equals `want` (the scrape interval is 1 s). */
  async function eventually(expr: string, want: number, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        last = await scalar(expr);
        if (last === want) return;
      } catch (error) {
        last = error;
      }
      await sleep(250);
    }
    throw new Error(`${expr}: expected ${want}, last ${String(last)}`);
  }

  it('ingests counters, histograms and summaries with the values that were emitted', async () => {
    const binary = requireBinary('prometheus');

    // The application: a runtime with two recorders, exposed in a text and an OpenMetrics registry.
    runtime = new MetricsRuntime({ namespace: 'e2e' });
    await runtime.start();
    const docs = await runtime.createRecorder<Save>('docs');
    docs.registerMetric(k.counter({ name: 'document_storage.save.attempts', on: 'save', by: ['region'] }));
    docs.registerMetric(k.outcomeCounter({ name: 'saves', on: 'save' }));
    docs.registerMetric(
      k.histogram({ name: 'save.duration', on: 'save', value: 'durationMs', unit: 'ms', buckets: BOUNDS }),
    );
    docs.registerMetric(k.quantiles({ name: 'save.latency', on: 'save', value: 'durationMs', unit: 'ms' }));
    const other = await runtime.createRecorder<Save>('other');
    other.registerMetric(k.counter({ name: 'document_storage.save.attempts', on: 'save', by: ['region'] }));
    const durations: number[] = [];
    for (let i = 0; i < 200; i++) {
      const durationMs = (i * 37) % 60; // 0..59 ms
      durations.push(durationMs);
      docs.emit({
        type: 'save',
        region: i % 4 === 0 ? 'us' : 'eu',
        outcome: i % 5 === 0 ? 'failure' : 'success',
        durationMs,
      });
    }
    for (let i = 0; i < 7; i++) other.emit({ type: 'save', region: 'eu', outcome: 'success', durationMs: 1 });
    await docs.flush();
    await other.flush();

    const text = new Registry();
    const om = new Registry<OpenMetricsContentType>();
    om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    exposures.push(exposeToPrometheus(runtime, { registry: text, labels: { service: 'e2e' } }));
    exposures.push(exposeToPrometheus(runtime, { registry: om, labels: { service: 'e2e' } }));
    server = createServer((req, res) => {
      const registry = req.url === '/om' ? om : req.url === '/metrics' ? text : undefined;
      if (!registry) {
        res.writeHead(404).end();
        return;
      }
      registry.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const appPort = (server.address() as AddressInfo).port;

    // Prometheus with its own config, storage and listen address.
    tmp = mkdtempSync(join(tmpdir(), 'mvx-prom-e2e-'));
    const promPort = await freePort();
    api = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(tmp, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        `  - job_name: mvx`,
        `    static_configs: [ { targets: ['127.0.0.1:${appPort}'] } ]`,
        `  - job_name: mvx_om`,
        `    metrics_path: /om`,
        `    static_configs: [ { targets: ['127.0.0.1:${appPort}'] } ]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      binary,
      [
        `--config.file=${join(tmp, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(tmp, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d: Buffer) => (promLog += d.toString()));
    prometheus.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));

    // Wait until both targets are up (the first scrape comes ~6 s after start).
    const deadline = Date.now() + 20_000;
    let targets: { health: string; lastError: string; scrapeUrl: string }[] = [];
    while (Date.now() < deadline) {
      if (prometheus.exitCode !== null)
        throw new Error(`prometheus exited (${prometheus.exitCode}):\n${promLog}`);
      try {
        const res = (await requestJson(`${api}/api/v1/targets`)) as {
          data: { activeTargets: typeof targets };
        };
        targets = res.data.activeTargets;
        if (targets.length === 2 && targets.every((t) => t.health === 'up')) break;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    expect(targets.map((t) => [t.scrapeUrl, t.health, t.lastError]).sort()).toEqual([
      [`http://127.0.0.1:${appPort}/metrics`, 'up', ''],
      [`http://127.0.0.1:${appPort}/om`, 'up', ''],
    ]);

    // Counter totals, per series and summed over recorders.
    const c = 'document_storage_save_attempts_total';
    expect(await scalar(`${c}{job="mvx",recorder="docs",region="eu"}`)).toBe(150);
    expect(await scalar(`${c}{job="mvx",recorder="docs",region="us"}`)).toBe(50);
    expect(await scalar(`sum(${c}{job="mvx"})`)).toBe(207);
    expect(await scalar(`sum(${c}{job="mvx_om"})`)).toBe(207);
    expect(await scalar(`saves_total{job="mvx",outcome="failure"}`)).toBe(40);
    // Histogram: _count, _sum and histogram_quantile over the exported buckets.
    expect(await scalar('save_duration_seconds_count{job="mvx"}')).toBe(200);
    expect(await scalar('save_duration_seconds_sum{job="mvx"}')).toBeCloseTo(
      durations.reduce((a, b) => a + b) / 1000,
      9,
    );
    expect(await scalar('histogram_quantile(0.5, save_duration_seconds_bucket{job="mvx"})')).toBeCloseTo(
      expectedHistogramQuantile(0.5, durations),
      9,
    );
    expect(await scalar('histogram_quantile(0.9, save_duration_seconds_bucket{job="mvx_om"})')).toBeCloseTo(
      expectedHistogramQuantile(0.9, durations),
      9,
    );
    // Summary: the sketch's quantile (relative error 1%), in seconds.
    const sorted = [...durations].sort((a, b) => a - b);
    const p90 = await scalar('save_latency_seconds{job="mvx",quantile="0.9"}');
    expect(p90).toBeGreaterThan((sorted[179]! / 1000) * 0.98);
    expect(p90).toBeLessThan((sorted[180]! / 1000) * 1.02);
    expect(await scalar('save_latency_seconds_count{job="mvx"}')).toBe(200);
    // Recorder health.
    expect(await scalar('mvx_recorder_events_processed_total{job="mvx",recorder="docs"}')).toBe(200);
    expect(await scalar('mvx_recorder_events_dropped_total{job="mvx",recorder="docs"}')).toBe(0);
    expect(await scalar('mvx_recorder_state{job="mvx",recorder="docs",state="running"}')).toBe(1);

    // Fresh samples at every scrape: new events show up at the next one.
    for (let i = 0; i < 5; i++) other.emit({ type: 'save', region: 'us', outcome: 'success', durationMs: 1 });
    await eventually(`${c}{job="mvx",recorder="other",region="us"}`, 5);
    await eventually(`sum(${c}{job="mvx_om"})`, 212);
  }, 60_000);
});

/** Prometheus' histogram_quantile over BOUNDS (ms) for `values` (ms), in seconds. */
function expectedHistogramQuantile(q: number, values: readonly number[]): number {
  const upper = BOUNDS.map((b) => b / 1000);
  const cumulative = BOUNDS.map((b) => values.filter((v) => v <= b).length);
  const rank = q * values.length;
  for (let i = 0; i < upper.length; i++) {
    if (cumulative[i]! >= rank) {
      const lowerBound = i === 0 ? 0 : upper[i - 1]!;
      const below = i === 0 ? 0 : cumulative[i - 1]!;
      return lowerBound + ((upper[i]! - lowerBound) * (rank - below)) / (cumulative[i]! - below);
    }
  }
  return upper[upper.length - 1]!; // in the +Inf bucket: Prometheus returns the highest finite bound
}
