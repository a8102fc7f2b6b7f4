/**
 * Demo: a runtime's snapshots and the Node process metrics reach OpenTelemetry through
 * `MvxMetricProducer`: scraped once through the OpenTelemetry Prometheus exporter, and exported once over
 * OTLP/HTTP (JSON) to a local receiver standing in for an OpenTelemetry Collector. Everything listens on
 * 127.0.0.1 and is closed at the end, so the demo exits by itself.
 *
 * Run: npm run build && npx ts-node demos/otel-exporter.ts
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { counter, histogram, MetricsRuntime, outcomeCounter, type MetricEvent } from 'mvx-common';
import { processMetrics } from 'mvx-common/node';
import { MvxMetricProducer } from 'mvx-common/otel';

type Order = MetricEvent & {
  type: 'checkout.order';
  region: 'eu' | 'us';
  outcome: 'success' | 'failure';
  durationMs: number;
};

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** One OTLP/HTTP export to a local receiver; resolves with the metric names and the orders' points. */
async function exportOtlp(producer: MvxMetricProducer): Promise<{ names: string[]; orders: string[] }> {
  // loaded here: its transport uses a dynamic import(), which runs in Node but not inside Jest's VM
  const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
  const received: unknown[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await listen(receiver);
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${port}/v1/metrics` }),
    exportIntervalMillis: 60_000,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [reader] });
  try {
    await reader.forceFlush();
  } finally {
    await provider.shutdown();
    await close(receiver);
  }
  type Otlp = {
    resourceMetrics: {
      scopeMetrics: {
        metrics: {
          name: string;
          sum?: {
            dataPoints: { attributes: { key: string; value: { stringValue: string } }[]; asDouble: number }[];
          };
        }[];
      }[];
    }[];
  };
  const metrics = (received[0] as Otlp).resourceMetrics[0]!.scopeMetrics.flatMap((s) => s.metrics);
  const orders = metrics
    .find((m) => m.name === 'checkout.orders')!
    .sum!.dataPoints.map(
      (p) => `${p.attributes.map((a) => `${a.key}=${a.value.stringValue}`).join(',')} ${p.asDouble}`,
    );
  return { names: metrics.map((m) => m.name), orders };
}

/** Runs the scenario; `otlp: false` skips the OTLP export (for Jest). */
export async function main(options: { otlp?: boolean } = {}) {
  const runtime = new MetricsRuntime({ namespace: 'shop' });
  await runtime.start();
  const checkout = await runtime.createRecorder('checkout');
  checkout.registerMetric(counter<Order>({ name: 'checkout.orders', on: 'checkout.order', by: ['region'] }));
  checkout.registerMetric(outcomeCounter<Order>({ name: 'checkout.outcomes', on: 'checkout.order' }));
  checkout.registerMetric(
    histogram<Order>({
      name: 'checkout.duration',
      on: 'checkout.order',
      value: 'durationMs',
      unit: 'ms',
      buckets: [50, 100, 250],
    }),
  );
  const sampler = processMetrics(await runtime.createRecorder('process'), { intervalMs: 5_000 });

  // production code emits facts
  for (let i = 0; i < 40; i++) {
    checkout.emit({
      type: 'checkout.order',
      region: i % 4 === 0 ? 'us' : 'eu',
      outcome: i % 10 === 0 ? 'failure' : 'success',
      durationMs: 20 + ((i * 37) % 300),
    } as Order);
  }
  sampler.sample();

  const producer = new MvxMetricProducer(runtime);
  const prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers: [producer] });
  const provider = new MeterProvider({ readers: [prometheus] });
  const server = createServer((req, res) => prometheus.getMetricsRequestHandler(req, res));
  let scrape: string;
  try {
    const port = await listen(server);
    scrape = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } finally {
    await close(server);
    await provider.shutdown();
  }
  const otlp = options.otlp === false ? undefined : await exportOtlp(new MvxMetricProducer(runtime));
  sampler.stop();
  await runtime.shutdown();
  const show =
    /^(checkout_|process_cpu_time|v8js_gc_duration_count|nodejs_eventloop_utilization|mvx_recorder_dropped)/;
  return { prometheus: scrape.split('\n').filter((l) => show.test(l)), otlp };
}

if (require.main === module) {
  main().then(({ prometheus, otlp }) => {
    console.log('# one scrape of the OpenTelemetry Prometheus exporter (selected lines)');
    for (const l of prometheus) console.log(l);
    console.log(`\n# one OTLP/HTTP export: ${otlp!.names.length} metrics`);
    console.log(otlp!.names.join(', '));
    console.log('checkout.orders points:', otlp!.orders.join(' | '));
  });
}
