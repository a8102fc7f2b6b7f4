/**
 * A service exposing its metrics to Prometheus: a runtime's recorders exposed in a prom-client registry,
 * served on GET /metrics by node:http (127.0.0.1, a free port). The demo scrapes itself twice (as
 * Prometheus would) and exits.
 *
 * Run: npm run build && npx ts-node --transpile-only demos/prometheus-exporter.ts
 *
 * Expected output (the second scrape sees the events emitted after the first):
 *   serving http://127.0.0.1:<port>/metrics
 *   scrape 1: document_storage_save_attempts_total{service="demo",recorder="document_storage",outcome="success"} 3
 *   scrape 2: document_storage_save_attempts_total{service="demo",recorder="document_storage",outcome="success"} 6
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { kindsFor, MetricsRuntime, type MetricEvent } from 'mvx-common';
import { exposeToPrometheus } from 'mvx-common/prometheus';

interface SaveAttempt extends MetricEvent {
  readonly type: 'document_storage.save.attempt';
  readonly outcome: 'success' | 'failure';
  readonly durationMs: number;
}

const k = kindsFor<SaveAttempt>();
const on = 'document_storage.save.attempt';

function scrape(url: string): Promise<{ contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ contentType: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

export async function main(): Promise<{ url: string; scrapes: string[]; contentType: string }> {
  const runtime = new MetricsRuntime({ namespace: 'demo.service' });
  await runtime.start();
  const registry = new Registry();
  const exposure = exposeToPrometheus(runtime, { registry, labels: { service: 'demo' } });
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  try {
    // The recorder is created after the exposure: it shows in the very next scrape.
    const storage = await runtime.createRecorder<SaveAttempt>('document_storage');
    storage.registerMetric(k.outcomeCounter({ name: 'document_storage.save.attempts', on }));
    storage.registerMetric(
      k.histogram({
        name: 'document_storage.save.duration',
        on,
        value: 'durationMs',
        unit: 'ms',
        buckets: [10, 50, 250],
      }),
    );
    const save = (n: number) => {
      for (let i = 0; i < n; i++)
        storage.emit({ type: on, outcome: i % 4 === 3 ? 'failure' : 'success', durationMs: 5 + i * 20 });
    };
    const scrapes: string[] = [];
    let contentType = '';
    for (const n of [4, 4]) {
      save(n);
      const res = await scrape(url);
      contentType = res.contentType;
      scrapes.push(res.body);
    }
    return { url, scrapes, contentType };
  } finally {
    server.close();
    exposure.close();
    await runtime.shutdown();
  }
}

if (require.main === module) {
  main().then(
    ({ url, scrapes }) => {
      console.log(`serving ${url}`);
      scrapes.forEach((body, i) => {
        const line = body.split('\n').find((l) => l.includes('outcome="success"'));
        console.log(`scrape ${i + 1}: ${line}`);
      });
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
