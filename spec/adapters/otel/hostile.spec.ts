/**
 * Attacks on the producer: malformed and weird snapshots, recorders and runtimes going away during a
 * collection, a crashed worker runtime. `collect()` must always resolve, report what it skips, and
 * export only well-formed data.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  DataPointType,
  MeterProvider,
  type CollectionResult,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import * as fc from 'fast-check';
import {
  counter,
  defineMetric,
  METRIC_KINDS,
  MetricsRecorder,
  MetricsRuntime,
  type MetricEvent,
  type MetricKind,
} from 'mvx-common';
import { WorkerMetricsRuntime } from 'mvx-common/node';
import { MetricExportError, MvxMetricProducer } from 'mvx-common/otel';
import { harness, numberPoints } from './otelHarness.js';

const any = (e: MetricEvent): e is MetricEvent => e.type === 'e';

/** A metric whose snapshot is exactly `dims` (with `kind`). */
function fixed(name: string, kind: MetricKind, dims: Record<string, unknown>) {
  return defineMetric({
    name,
    kind,
    accepts: any,
    init: () => 0,
    reduce: (s: number) => s + 1,
    dimensions: () => dims as never,
  });
}

const metricsOf = (r: CollectionResult): MetricData[] =>
  r.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);

/** Every exported point is well-formed: finite numbers; histogram counts fit the boundaries. */
function expectWellFormed(result: CollectionResult): void {
  for (const m of metricsOf(result)) {
    expect(typeof m.descriptor.name).toBe('string');
    for (const p of m.dataPoints) {
      expect(p.attributes['mvx.recorder']).toEqual(expect.any(String));
      for (const v of Object.values(p.attributes))
        expect(['string', 'number', 'boolean']).toContain(typeof v);
      if (m.dataPointType === DataPointType.HISTOGRAM) {
        const h = p.value as {
          buckets: { boundaries: number[]; counts: number[] };
          sum: number;
          count: number;
        };
        expect(h.buckets.counts).toHaveLength(h.buckets.boundaries.length + 1);
        for (const n of [...h.buckets.counts, ...h.buckets.boundaries, h.sum, h.count])
          expect(Number.isFinite(n)).toBe(true);
      } else expect(Number.isFinite(p.value as number)).toBe(true);
    }
  }
  for (const e of result.errors) expect(e).toBeInstanceOf(MetricExportError);
}

describe('MvxMetricProducer under attack', () => {
  let recorder: MetricsRecorder | undefined;
  let runtime: MetricsRuntime | WorkerMetricsRuntime | undefined;
  afterEach(async () => {
    await recorder?.dispose();
    await runtime?.shutdown().catch(() => undefined);
    recorder = runtime = undefined;
  });

  it('custom metrics with weird dimensions: one gauge per finite number, named <metric>.<key>', async () => {
    recorder = new MetricsRecorder('w');
    const dims = Object.create(null) as Record<string, unknown>;
    Object.assign(dims, {
      constructor: 2,
      '': 3,
      'a b\n"c"': 4,
      ключ: 5,
      big: 1e308,
      neg: -1,
      nested: { x: 1 },
    });
    Object.defineProperty(dims, '__proto__', { value: 1, enumerable: true });
    Object.assign(dims, { list: [1, 2], flag: true, nothing: null, text: '7', a_b_c_: 6 });
    recorder.registerMetric(fixed('weird', 'custom', dims));
    recorder.registerMetric(fixed('weird.kind', 'counter', { total: 'many', series: 3 })); // not a counter shape: custom
    recorder.emit({ type: 'e' });
    const result = await new MvxMetricProducer(recorder, { includeStats: false }).collect();
    expectWellFormed(result);
    const values = Object.fromEntries(
      metricsOf(result).map((m) => [m.descriptor.name, m.dataPoints[0]!.value as number]),
    );
    expect(values).toEqual({
      'weird.__proto__': 1,
      'weird.constructor': 2,
      'weird._': 3,
      'weird.a_b_c_': 4,
      'weird.big': 1e308,
      'weird.neg': -1,
      'weird.kind.series': 3,
    });
    for (const m of metricsOf(result)) expect(m.dataPointType).toBe(DataPointType.GAUGE);
    // 'ключ' sanitizes to '_' like '', and 'a_b_c_' is what 'a b\n"c"' becomes: reported, not exported twice
    expect((result.errors as MetricExportError[]).map((e) => e.message)).toEqual([
      expect.stringMatching(/'weird._' of recorder 'w' is skipped/),
      expect.stringMatching(/'weird.a_b_c_' of recorder 'w' is skipped/),
    ]);

    // the same through the Prometheus exporter: names are sanitized, the scrape works
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      metricProducers: [new MvxMetricProducer(recorder)],
    });
    const provider = new MeterProvider({ readers: [exporter] });
    try {
      const text = await scrape(exporter);
      expect(text).not.toContain('failed to export');
      expect(text).toMatch(/weird_a_b_c_\{[^}]*\} 4/);
      const families = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
      expect(new Set(families).size).toBe(families.length);
    } finally {
      await provider.shutdown();
    }
  });

  it('a __proto__ attribute stays an attribute', async () => {
    recorder = new MetricsRecorder('w');
    const labels = Object.create(null) as Record<string, string>;
    Object.defineProperty(labels, '__proto__', { value: 'p', enumerable: true });
    labels['constructor'] = 'k';
    recorder.registerMetric(
      fixed('c', 'counter', { total: 1, refused: 0, overflow: 0, series: [{ labels, total: 1 }] }),
    );
    recorder.emit({ type: 'e' });
    const h = harness(new MvxMetricProducer(recorder));
    try {
      const [[attributes, value]] = numberPoints((await h.metrics()).get('c')) as [
        [Record<string, unknown>, number],
      ];
      expect(value).toBe(1);
      expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'constructor', 'mvx.recorder']);
      expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('p');
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    } finally {
      await h.shutdown();
    }
  });

  it('malformed built-in shapes are reported and skipped; the rest is exported', async () => {
    recorder = new MetricsRecorder('m');
    recorder.registerMetric(
      fixed('h.counts', 'histogram', { bounds: [1, 2], counts: [1, 2], count: 3, sum: 1 }),
    );
    recorder.registerMetric(
      fixed('h.bounds', 'histogram', { bounds: [2, 1], counts: [0, 0, 0], count: 0, sum: 0 }),
    );
    recorder.registerMetric(
      fixed('h.negative', 'histogram', { bounds: [1], counts: [-1, 1], count: 0, sum: 0 }),
    );
    recorder.registerMetric(
      fixed('c.labels', 'counter', { total: 1, series: [{ labels: { a: { deep: 1 } }, total: 1 }] }),
    );
    recorder.registerMetric(
      fixed('c.value', 'counter', { total: 1, series: [{ labels: {}, total: 'one' }] }),
    );
    recorder.registerMetric(fixed('c.entry', 'counter', { total: 1, series: [null] }));
    recorder.registerMetric(fixed('q.count', 'summary', { sketch: {}, count: 1, sum: 'x', p50: 1 }));
    recorder.registerMetric(counter({ name: 'ok', on: 'e' }));
    recorder.emit({ type: 'e' });
    const result = await new MvxMetricProducer(recorder, { includeStats: false }).collect();
    expectWellFormed(result);
    expect((result.errors as MetricExportError[]).map((e) => e.metricName)).toEqual([
      'h.counts',
      'h.bounds',
      'h.negative',
      'c.labels',
      'c.value',
      'c.entry',
      'q.count',
    ]);
    expect((result.errors[0] as MetricExportError).message).toMatch(
      /Metric 'h.counts' of recorder 'm' cannot be exported: `counts`/,
    );
    expect(metricsOf(result).map((m) => m.descriptor.name)).toEqual(['ok']);
  });

  it('property: any snapshot shape gives well-formed data or a reported error, never a rejection', async () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 }),
      fc.constantFrom(0, 1, -1, 1e308, -1e308, null),
    );
    const series = fc.array(
      fc.record(
        {
          labels: fc.dictionary(fc.string(), fc.oneof(fc.string(), value)),
          total: value,
          value,
          last: value,
          count: value,
          sum: value,
          counts: value,
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    );
    const dims = fc.record(
      {
        total: value,
        value,
        last: value,
        rate: value,
        count: value,
        sum: value,
        bounds: value,
        counts: value,
        series,
        sketch: value,
        p50: value,
        p99: value,
        quantiles: value,
        window: value,
        window_ms: value,
        buckets: value,
        updated_at: value,
        other_total: value,
        success_total: value,
        min: value,
        max: value,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...METRIC_KINDS), dims), { minLength: 1, maxLength: 4 }),
        async (metrics) => {
          const r = new MetricsRecorder('fuzz');
          try {
            metrics.forEach(([kind, d], i) =>
              r.registerMetric(fixed(`m${i}`, kind, JSON.parse(JSON.stringify(d)))),
            );
            r.emit({ type: 'e' });
            await r.flush();
            const result = await new MvxMetricProducer(r).collect();
            expectWellFormed(result);
          } finally {
            await r.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a recorder disposed during collections: every collect resolves', async () => {
    recorder = new MetricsRecorder('d');
    recorder.registerMetric(counter({ name: 'c', on: 'e' }));
    for (let i = 0; i < 1000; i++) recorder.emit({ type: 'e' });
    const producer = new MvxMetricProducer(recorder);
    const during = [
      producer.collect(),
      recorder.dispose().then(() => producer.collect()),
      producer.collect(),
    ];
    const results = await Promise.all(during as Promise<CollectionResult>[]);
    for (const r of results) expectWellFormed(r as CollectionResult);
    const last = results[1] as CollectionResult;
    const state = metricsOf(last).find((m) => m.descriptor.name === 'mvx.recorder.state')!;
    expect(numberPoints(state).filter(([, v]) => v === 1)).toEqual([
      [{ state: 'disposed', 'mvx.recorder': 'd' }, 1],
    ]);
  });

  it('a recorder whose reads throw is left out; collect resolves', async () => {
    class Broken extends MetricsRecorder {
      override getMetricSnapshots(): never {
        throw new Error('broken');
      }
    }
    recorder = new Broken('b');
    const result = await new MvxMetricProducer(recorder).collect();
    expect(result.resourceMetrics.scopeMetrics).toEqual([]);
  });

  it('a runtime shutting down while collected: every collect resolves', async () => {
    const rt = (runtime = new MetricsRuntime({ namespace: 'app' }));
    await rt.start();
    for (const id of ['a', 'b', 'c']) {
      const r = await rt.createRecorder(id);
      r.registerMetric(counter({ name: 'c', on: 'e' }));
      r.emit({ type: 'e' });
    }
    const producer = new MvxMetricProducer(rt);
    const before = await producer.collect();
    expect(numberPoints(metricsOf(before).find((m) => m.descriptor.name === 'c'))).toHaveLength(3);
    const shutdown = rt.shutdown();
    const during = await Promise.all([producer.collect(), producer.collect()]);
    await shutdown;
    const after = await producer.collect();
    for (const r of [...during, after]) expectWellFormed(r);
    expect(after.resourceMetrics.scopeMetrics).toEqual([]);
    expect(after.errors).toEqual([]);
  });

  it('a crashed worker runtime: collect resolves before, during and after the crash', async () => {
    const rt = new WorkerMetricsRuntime({
      namespace: 'w',
      metricsModule: join(__dirname, 'fixtures', 'workerMetrics.ts'),
    });
    runtime = rt;
    await rt.start();
    const jobs = await rt.createRecorder('jobs');
    jobs.emit({ type: 'job', ms: 12, queue: 'q1' } as MetricEvent);
    await jobs.flush();
    const producer = new MvxMetricProducer(rt);
    const h = harness(producer);
    try {
      const before = await h.metrics();
      expect(numberPoints(before.get('jobs'))).toEqual([[{ queue: 'q1', 'mvx.recorder': 'jobs' }, 1]]);
      expect(numberPoints(before.get('mvx.recorder.processed'))).toEqual([[{ 'mvx.recorder': 'jobs' }, 1]]);
      jobs.emit({ type: 'test.crash' });
      const polls: Promise<CollectionResult>[] = [];
      const deadline = Date.now() + 10_000;
      while (rt.getStatus() !== 'failure' && Date.now() < deadline) {
        polls.push(producer.collect());
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(rt.getStatus()).toBe('failure');
      for (const r of await Promise.all(polls)) expectWellFormed(r);
      const after = await producer.collect();
      expectWellFormed(after);
      await h.collect(); // the reader too
    } finally {
      await h.shutdown();
    }
  });
});

async function scrape(exporter: PrometheusExporter): Promise<string> {
  const server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const port = (server.address() as { port: number }).port;
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
