/**
 * The producer through real exporters: OTLP/HTTP (JSON) to a local receiver, and the Prometheus
 * exporter scraped over HTTP. Servers listen on 127.0.0.1, on free ports, and are always closed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { MetricSnapshots, MetricsRecorder } from 'mvx-common';
import { MvxMetricProducer } from 'mvx-common/otel';
import { recorderWithData } from './fixtures/otelData.js';

/** Runs the OTLP export in a child process (see fixtures/otlpExport.ts); resolves with what it printed. */
function exportInChild(
  url: string,
): Promise<{ errors: string[]; startTime: number; snapshots: MetricSnapshots }> {
  const script = join(__dirname, 'fixtures', 'otlpExport.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', script, url],
      { cwd: join(__dirname, '..', '..', '..'), timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const close = (server: Server | undefined): Promise<void> =>
  new Promise((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));

type OtlpAttr = { key: string; value: { stringValue?: string } };
type OtlpPoint = {
  attributes: OtlpAttr[];
  asDouble?: number;
  asInt?: number | string;
  startTimeUnixNano: string | number;
  timeUnixNano: string | number;
  count?: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  min?: number;
  max?: number;
};
type OtlpMetric = {
  name: string;
  unit?: string;
  description?: string;
  sum?: { dataPoints: OtlpPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: OtlpPoint[] };
  histogram?: { dataPoints: OtlpPoint[]; aggregationTemporality: number };
};

const attrs = (p: OtlpPoint): Record<string, string | undefined> =>
  Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue]));

describe('MvxMetricProducer through real exporters', () => {
  let server: Server | undefined;
  let provider: MeterProvider | undefined;
  let recorder: MetricsRecorder | undefined;
  afterEach(async () => {
    await provider?.shutdown().catch(() => undefined);
    await close(server);
    await recorder?.dispose();
    server = provider = recorder = undefined;
  });

  it('OTLP/HTTP JSON carries the snapshot values (CUMULATIVE is 2 in the proto enum)', async () => {
    const bodies: unknown[] = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        expect(req.url).toBe('/v1/metrics');
        expect(req.headers['content-type']).toMatch(/json/);
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const port = await listen(server);
    const child = await exportInChild(`http://127.0.0.1:${port}/v1/metrics`);
    expect(child.errors).toEqual([]);
    expect(bodies).toHaveLength(2); // forceFlush, then the flush of shutdown
    const body = bodies[0] as {
      resourceMetrics: {
        scopeMetrics: { scope: { name: string; version?: string }; metrics: OtlpMetric[] }[];
      }[];
    };
    const scope = body.resourceMetrics[0]!.scopeMetrics.find((s) => s.scope.name === 'mvx-common')!;
    expect(scope.scope.version).toBe(require('../../../package.json').version);
    const m = new Map(scope.metrics.map((x) => [x.name, x]));

    const requests = m.get('http.requests')!;
    expect(requests.description).toBe('Requests served');
    expect(requests.sum!.aggregationTemporality).toBe(2);
    expect(requests.sum!.isMonotonic).toBe(true);
    const byRegion = requests
      .sum!.dataPoints.map((p) => [attrs(p), p.asDouble] as const)
      .sort((a, b) => String(a[0]['region']).localeCompare(String(b[0]['region'])));
    expect(byRegion).toEqual([
      [{ region: 'eu', 'mvx.recorder': 'api' }, 2],
      [{ region: 'us', 'mvx.recorder': 'api' }, 1],
    ]);
    const start = BigInt(String(requests.sum!.dataPoints[0]!.startTimeUnixNano));
    expect(start).toBe(BigInt(child.startTime) * 1_000_000n);
    expect(BigInt(String(requests.sum!.dataPoints[0]!.timeUnixNano))).toBeGreaterThanOrEqual(start);

    expect(m.get('http.inflight')!.sum).toMatchObject({ isMonotonic: false, aggregationTemporality: 2 });
    expect(m.get('http.inflight')!.sum!.dataPoints[0]!.asDouble).toBe(3);

    const hist = m.get('http.duration')!;
    expect(hist.unit).toBe('ms');
    expect(hist.histogram!.aggregationTemporality).toBe(2);
    const hp = hist.histogram!.dataPoints[0]!;
    expect(hp).toMatchObject({ explicitBounds: [10, 100], sum: 555, min: 5, max: 500 });
    expect(hp.bucketCounts!.map(Number)).toEqual([1, 1, 1]);
    expect(Number(hp.count)).toBe(3);

    const q = m.get('http.duration.q')!.gauge!.dataPoints.map((p) => [attrs(p)['quantile'], p.asDouble]);
    const snap = child.snapshots['http.duration.q']!.dimensions as Record<string, number>;
    expect(q).toEqual([
      ['0.5', snap['p50']],
      ['0.9', snap['p90']],
      ['0.99', snap['p99']],
      ['0.999', snap['p999']],
    ]);
    expect(Number(m.get('http.duration.q.count')!.sum!.dataPoints[0]!.asInt)).toBe(3);

    const outcomes = m
      .get('http.outcomes')!
      .sum!.dataPoints.map((p) => [attrs(p)['outcome'], p.asDouble] as const)
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(outcomes).toEqual([
      ['failure', 1],
      ['other', 0],
      ['success', 2],
    ]);
    expect(Number(m.get('mvx.recorder.processed')!.sum!.dataPoints[0]!.asInt)).toBe(3);

    // the second export: same start time, same values
    const again = (bodies[1] as typeof body).resourceMetrics[0]!.scopeMetrics.find(
      (s) => s.scope.name === 'mvx-common',
    )!;
    const requestsAgain = again.metrics.find((x) => x.name === 'http.requests')!.sum!.dataPoints;
    expect(requestsAgain.map((p) => BigInt(String(p.startTimeUnixNano)))).toEqual([start, start]);
    expect(requestsAgain.map((p) => p.asDouble).sort()).toEqual([1, 2]);
  });

  it('the Prometheus exporter with metricProducers shows the series (and promtool accepts them)', async () => {
    recorder = recorderWithData();
    await recorder.flush();
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      metricProducers: [new MvxMetricProducer(recorder)],
    });
    provider = new MeterProvider({ readers: [exporter] });
    server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
    const port = await listen(server);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(/http_requests_total\{[^}]*region="eu"[^}]*\} 2/);
    expect(text).toMatch(/http_requests_total\{[^}]*mvx_recorder="api"/);
    expect(text).toMatch(/http_inflight\{[^}]*\} 3/);
    expect(text).toContain('# TYPE http_duration histogram');
    expect(text).toMatch(/http_duration_bucket\{[^}]*le="10"\} 1/);
    expect(text).toMatch(/http_duration_bucket\{[^}]*le="100"\} 2/);
    expect(text).toMatch(/http_duration_bucket\{[^}]*le="\+Inf"\} 3/);
    expect(text).toMatch(/http_duration_sum\{[^}]*\} 555/);
    expect(text).toMatch(/http_duration_count\{[^}]*\} 3/);
    expect(text).toMatch(/http_duration_q\{[^}]*quantile="0.5"/);
    expect(text).toMatch(/http_outcomes_total\{[^}]*outcome="success"[^}]*\} 2/);
    expect(text).toMatch(/mvx_recorder_dropped_total\{[^}]*\} 0/);
    expect(text).toMatch(/mvx_recorder_state\{[^}]*state="running"[^}]*\} 1/);
    expect(text).not.toContain('failed to export');

    // promtool (Debian prometheus, installed by CI) parses the exposition: exit 1 is a format error,
    // exit 3 lint findings. The only finding allowed is the `quantile` label on the quantiles gauge.
    try {
      execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { status?: number; stdout?: Buffer; stderr?: Buffer };
      const findings = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n');
      expect(e.status).toBe(3);
      for (const f of findings)
        expect(f).toBe('http_duration_q non-summary metrics should not have "quantile" label');
    }
  });
});
