import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  MetricsRuntime,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type MetricEvent,
} from 'mvx-common';
import { MetricExportError, MvxMetricProducer } from 'mvx-common/otel';
import { harness, histogramPoints, hrMillis, numberPoints, type Harness } from './otelHarness.js';

type Req = { type: 'req'; region: string; ms: number; bytes: number; outcome: string; delta: number };

function allKinds(recorder: MetricsRecorder): void {
  recorder.registerMetric(
    counter<Req>({ name: 'req.count', on: 'req', description: 'requests', unit: '{request}' }),
  );
  recorder.registerMetric(counter<Req>({ name: 'req.by_region', on: 'req', by: ['region'] }));
  recorder.registerMetric(upDownCounter<Req>({ name: 'req.inflight', on: 'req', value: 'delta' }));
  recorder.registerMetric(gauge<Req>({ name: 'req.last_bytes', on: 'req', value: 'bytes', unit: 'bytes' }));
  recorder.registerMetric(
    gauge<Req>({ name: 'req.bytes_by_region', on: 'req', value: 'bytes', by: ['region'] }),
  );
  recorder.registerMetric(
    histogram<Req>({
      name: 'req.ms',
      on: 'req',
      value: 'ms',
      buckets: [1, 10, 100],
      by: ['region'],
      unit: 'ms',
    }),
  );
  recorder.registerMetric(
    quantiles<Req>({ name: 'req.ms.q', on: 'req', value: 'ms', unit: 'ms', quantiles: [0.75] }),
  );
  recorder.registerMetric(rate<Req>({ name: 'req.rate', on: 'req', windowMs: 60_000 }));
  recorder.registerMetric(outcomeCounter<Req>({ name: 'req.outcomes', on: 'req' }));
  recorder.registerMetric(
    defineMetric({
      name: 'custom.pool',
      accepts: (e: MetricEvent): e is Req => e.type === 'req',
      init: () => ({ size: 0, label: 'x', nested: { a: 1 }, ok: true }),
      reduce: (s, e: Req) => ({ ...s, size: s.size + e.bytes }),
      dimensions: (s) => s,
    }),
  );
}

const REQS: Req[] = [
  { type: 'req', region: 'eu', ms: 0.5, bytes: 100, outcome: 'success', delta: 1 },
  { type: 'req', region: 'us', ms: 7, bytes: 250, outcome: 'failure', delta: 1 },
  { type: 'req', region: 'eu', ms: 70, bytes: 50, outcome: 'success', delta: -1 },
  { type: 'req', region: 'eu', ms: 700, bytes: 10, outcome: 'timeout', delta: 1 },
];

describe('MvxMetricProducer through a real sdk-metrics reader', () => {
  let h: Harness | undefined;
  let recorder: MetricsRecorder | undefined;
  let runtime: MetricsRuntime | undefined;
  afterEach(async () => {
    await h?.shutdown();
    await recorder?.dispose();
    await runtime?.shutdown().catch(() => undefined);
    h = recorder = runtime = undefined;
  });

  it('maps every built-in kind: values, attributes, descriptors, temporality', async () => {
    recorder = new MetricsRecorder('svc');
    allKinds(recorder);
    for (const e of REQS) recorder.emit(e);
    await recorder.flush();
    h = harness(new MvxMetricProducer(recorder));
    const m = await h.metrics();
    const snap = (name: string) => recorder!.getMetricSnapshot(name)!.dimensions as Record<string, any>;
    const R = { 'mvx.recorder': 'svc' };

    const count = m.get('req.count')!;
    expect(count).toMatchObject({
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      descriptor: {
        name: 'req.count',
        description: 'requests',
        unit: '{request}',
        valueType: ValueType.DOUBLE,
      },
    });
    expect(numberPoints(count)).toEqual([[R, 4]]);
    expect(numberPoints(m.get('req.by_region'))).toEqual([
      [{ region: 'eu', ...R }, 3],
      [{ region: 'us', ...R }, 1],
    ]);

    const inflight = m.get('req.inflight')!;
    expect(inflight).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: false });
    expect(numberPoints(inflight)).toEqual([[R, 2]]);

    const last = m.get('req.last_bytes')!;
    expect(last).toMatchObject({ dataPointType: DataPointType.GAUGE, descriptor: { unit: 'By' } });
    expect(numberPoints(last)).toEqual([[R, 10]]);
    expect(numberPoints(m.get('req.bytes_by_region'))).toEqual([
      [{ region: 'eu', ...R }, 10],
      [{ region: 'us', ...R }, 250],
    ]);

    const ms = m.get('req.ms')!;
    expect(ms).toMatchObject({ dataPointType: DataPointType.HISTOGRAM, descriptor: { unit: 'ms' } });
    const series = snap('req.ms').series as any[];
    expect(histogramPoints(ms)).toEqual(
      series.map((s) => [
        { ...s.labels, ...R },
        {
          buckets: { boundaries: [1, 10, 100], counts: [...s.counts] },
          sum: s.sum,
          count: s.count,
          min: s.min,
          max: s.max,
        },
      ]),
    );
    expect(histogramPoints(ms)[0]![1].buckets.counts).toEqual([1, 0, 1, 1]); // eu: 0.5, 70, 700

    const q = snap('req.ms.q');
    expect(m.get('req.ms.q')).toMatchObject({ dataPointType: DataPointType.GAUGE });
    expect(numberPoints(m.get('req.ms.q'))).toEqual([
      [{ quantile: '0.5', ...R }, q.p50],
      [{ quantile: '0.75', ...R }, q.quantiles['0.75']],
      [{ quantile: '0.9', ...R }, q.p90],
      [{ quantile: '0.99', ...R }, q.p99],
      [{ quantile: '0.999', ...R }, q.p999],
    ]);
    expect(m.get('req.ms.q.count')).toMatchObject({
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      descriptor: { unit: '1', valueType: ValueType.INT },
    });
    expect(numberPoints(m.get('req.ms.q.count'))).toEqual([[R, 4]]);
    expect(numberPoints(m.get('req.ms.q.sum'))).toEqual([[R, 777.5]]);
    expect(m.get('req.ms.q.sum')!.descriptor.unit).toBe('ms');

    expect(m.get('req.rate')).toMatchObject({ dataPointType: DataPointType.GAUGE });
    expect(numberPoints(m.get('req.rate'))).toEqual([[R, snap('req.rate').rate]]);

    expect(m.get('req.outcomes')).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(numberPoints(m.get('req.outcomes'))).toEqual([
      [{ outcome: 'failure', ...R }, 1],
      [{ outcome: 'other', ...R }, 1],
      [{ outcome: 'success', ...R }, 2],
    ]);

    expect(numberPoints(m.get('custom.pool.size'))).toEqual([[R, 410]]);
    expect(m.get('custom.pool.size')!.dataPointType).toBe(DataPointType.GAUGE);
    expect([...m.keys()].filter((k) => k.startsWith('custom.'))).toEqual(['custom.pool.size']);

    const stats = recorder.getStats();
    expect(numberPoints(m.get('mvx.recorder.offered'))).toEqual([[R, stats.offered]]);
    expect(numberPoints(m.get('mvx.recorder.processed'))).toEqual([[R, 4]]);
    expect(numberPoints(m.get('mvx.recorder.dropped'))).toEqual([[R, 0]]);
    expect(numberPoints(m.get('mvx.recorder.pending'))).toEqual([[R, 0]]);
    expect(numberPoints(m.get('mvx.recorder.capacity'))).toEqual([[R, stats.capacity]]);
    expect(m.get('mvx.recorder.offered')).toMatchObject({
      isMonotonic: true,
      descriptor: { valueType: ValueType.INT },
    });
    const state = numberPoints(m.get('mvx.recorder.state'));
    expect(state.filter(([, v]) => v === 1)).toEqual([[{ state: 'running', ...R }, 1]]);
    expect(state).toHaveLength(7);
  });

  it('keeps startTime at the recorder start across collections; endTime is the collection time', async () => {
    recorder = new MetricsRecorder('svc');
    allKinds(recorder);
    recorder.emit(REQS[0]!);
    await recorder.flush();
    const started = recorder.getStartTime()!;
    h = harness(new MvxMetricProducer(recorder));
    const first = await h.metrics();
    recorder.emit(REQS[1]!);
    await recorder.flush();
    await new Promise((r) => setTimeout(r, 5));
    const second = await h.metrics();
    for (const [name, m] of second) {
      const before = first.get(name) as MetricData;
      for (const p of [...m.dataPoints, ...before.dataPoints]) {
        expect(hrMillis(p.startTime)).toBe(started);
        expect(hrMillis(p.endTime)).toBeGreaterThanOrEqual(started);
      }
      expect(hrMillis(m.dataPoints[0]!.endTime)).toBeGreaterThan(hrMillis(before.dataPoints[0]!.endTime));
    }
    expect(numberPoints(second.get('req.count'))).toEqual([[{ 'mvx.recorder': 'svc' }, 2]]);
  });

  it('merges the recorders of a runtime under one metric per name, told apart by mvx.recorder', async () => {
    runtime = new MetricsRuntime({ namespace: 'app' });
    await runtime.start();
    const a = await runtime.createRecorder('a');
    const b = await runtime.createRecorder('b', { entityId: 'tenant-b' });
    const idle = await runtime.createRecorder('idle');
    for (const r of [a, b, idle]) r.registerMetric(counter<Req>({ name: 'req.count', on: 'req' }));
    a.emit(REQS[0]!);
    b.emit(REQS[0]!);
    b.emit(REQS[1]!);
    await Promise.all([a.flush(), b.flush()]);
    h = harness(new MvxMetricProducer(runtime));
    const m = await h.metrics();
    expect(numberPoints(m.get('req.count'))).toEqual([
      [{ 'mvx.recorder': 'a' }, 1],
      [{ 'mvx.recorder': 'b' }, 2],
      [{ 'mvx.recorder': 'idle' }, 0],
    ]);
    expect(m.get('req.count')!.dataPoints.map((p) => hrMillis(p.startTime))).toEqual(
      [a, b, idle].map((r) => r.getStartTime()),
    );
  });

  it('falls back to the time it first saw a recorder that never started, and keeps it once it starts', async () => {
    recorder = new MetricsRecorder('lazy');
    recorder.registerMetric(counter<Req>({ name: 'req.count', on: 'req' }));
    h = harness(new MvxMetricProducer(recorder));
    const before = Date.now();
    const first = (await h.metrics()).get('req.count')!.dataPoints[0]!;
    expect(recorder.getStartTime()).toBeUndefined();
    expect(first.value).toBe(0);
    const seen = hrMillis(first.startTime);
    expect(seen).toBeGreaterThanOrEqual(before);
    await new Promise((r) => setTimeout(r, 5));
    recorder.emit(REQS[0]!); // starts lazily
    await recorder.flush();
    expect(recorder.getStartTime()).toBeGreaterThan(seen);
    const again = (await h.metrics()).get('req.count')!.dataPoints[0]!;
    expect(hrMillis(again.startTime)).toBe(seen);
    expect(again.value).toBe(1);
  });

  it('reports a metric whose exported name is taken and exports the rest', async () => {
    runtime = new MetricsRuntime({ namespace: 'app' });
    await runtime.start();
    const a = await runtime.createRecorder('a');
    const b = await runtime.createRecorder('b');
    a.registerMetric(quantiles<Req>({ name: 'lat', on: 'req', value: 'ms' }));
    a.registerMetric(counter<Req>({ name: 'lat.count', on: 'req' })); // collides with the quantiles' count
    a.registerMetric(counter<Req>({ name: 'shared', on: 'req' }));
    b.registerMetric(gauge<Req>({ name: 'shared', on: 'req', value: 'ms' })); // same name, another kind
    b.registerMetric(counter<Req>({ name: 'fine', on: 'req' }));
    a.emit(REQS[0]!);
    b.emit(REQS[0]!);
    const producer = new MvxMetricProducer(runtime);
    const result = await producer.collect();
    const names = result.resourceMetrics.scopeMetrics[0]!.metrics.map((m) => m.descriptor.name);
    expect(names).toEqual(expect.arrayContaining(['lat', 'lat.count', 'lat.sum', 'shared', 'fine']));
    const errors = result.errors as MetricExportError[];
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e instanceof MetricExportError && e.code === 'METRIC_EXPORT_FAILED')).toBe(
      true,
    );
    expect(errors.map((e) => [e.recorderId, e.metricName])).toEqual([
      ['a', 'lat.count'],
      ['b', 'shared'],
    ]);
    const latCount = result.resourceMetrics.scopeMetrics[0]!.metrics.find(
      (m) => m.descriptor.name === 'lat.count',
    )!;
    expect(latCount.descriptor.valueType).toBe(ValueType.INT); // the quantiles' count won
    const shared = result.resourceMetrics.scopeMetrics[0]!.metrics.find(
      (m) => m.descriptor.name === 'shared',
    )!;
    expect(shared.dataPointType).toBe(DataPointType.SUM);
    expect(shared.dataPoints.map((p) => p.attributes['mvx.recorder'])).toEqual(['a']);
  });

  it('exports alongside the SDK own instruments; the SDK resource is kept', async () => {
    recorder = new MetricsRecorder('svc');
    recorder.registerMetric(counter<Req>({ name: 'req.count', on: 'req' }));
    recorder.emit(REQS[0]!);
    h = harness(
      new MvxMetricProducer(recorder, {
        scope: { name: 'billing', version: '2.0.0', schemaUrl: 'https://x/s' },
      }),
    );
    h.provider.getMeter('native').createCounter('native.count').add(3);
    const rm = await h.collect();
    expect(rm.resource.attributes['service.name']).toBeDefined();
    expect(rm.scopeMetrics.map((s) => s.scope)).toEqual([
      expect.objectContaining({ name: 'native' }),
      { name: 'billing', version: '2.0.0', schemaUrl: 'https://x/s' },
    ]);
    expect(numberPoints((await h.metrics('billing')).get('req.count'))).toEqual([
      [{ 'mvx.recorder': 'svc' }, 1],
    ]);
  });

  it('includeStats: false leaves recorder health out; the default scope is mvx-common and the package version', async () => {
    recorder = new MetricsRecorder('svc');
    recorder.registerMetric(counter<Req>({ name: 'req.count', on: 'req' }));
    const producer = new MvxMetricProducer(recorder, { includeStats: false });
    expect(producer.scope).toEqual({ name: 'mvx-common', version: require('../../../package.json').version });
    const result = await producer.collect();
    expect(result.resourceMetrics.scopeMetrics[0]!.metrics.map((m) => m.descriptor.name)).toEqual([
      'req.count',
    ]);
    const withStats = await new MvxMetricProducer(recorder).collect();
    const names = withStats.resourceMetrics.scopeMetrics[0]!.metrics.map((m) => m.descriptor.name);
    expect(names).toEqual([
      'req.count',
      'mvx.recorder.offered',
      'mvx.recorder.accepted',
      'mvx.recorder.processed',
      'mvx.recorder.dropped',
      'mvx.recorder.rejected',
      'mvx.recorder.metric_errors',
      'mvx.recorder.pending',
      'mvx.recorder.capacity',
      'mvx.recorder.state',
    ]);
  });

  it('exports dropped and rejected events of an overflowing recorder', async () => {
    recorder = new MetricsRecorder('svc', { capacity: 2 });
    recorder.registerMetric(counter<Req>({ name: 'req.count', on: 'req' }));
    for (let i = 0; i < 5; i++) recorder.emit(REQS[0]!);
    recorder.emit({ type: '' } as never);
    const m = await (h = harness(new MvxMetricProducer(recorder))).metrics();
    const stats = recorder.getStats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(numberPoints(m.get('mvx.recorder.dropped'))).toEqual([[{ 'mvx.recorder': 'svc' }, stats.dropped]]);
    expect(numberPoints(m.get('mvx.recorder.rejected'))).toEqual([[{ 'mvx.recorder': 'svc' }, 1]]);
  });

  describe('argument validation', () => {
    const r = new MetricsRecorder('v');
    afterAll(() => r.dispose());

    it('names the bad argument', () => {
      expect(() => new MvxMetricProducer({} as never)).toThrow(/`source`/);
      expect(() => new MvxMetricProducer(null as never)).toThrow(TypeError);
      expect(() => new MvxMetricProducer(r, { scope: { name: '' } })).toThrow(RangeError);
      expect(() => new MvxMetricProducer(r, { scope: { name: '' } })).toThrow(/`options.scope.name`/);
      expect(() => new MvxMetricProducer(r, { scope: { name: 'x', version: 1 as never } })).toThrow(
        /`options.scope.version`/,
      );
      expect(() => new MvxMetricProducer(r, { scope: { name: 'x', nme: 1 } as never })).toThrow(/"nme"/);
      expect(() => new MvxMetricProducer(r, { scop: {} } as never)).toThrow(/Unknown option "scop"/);
      expect(() => new MvxMetricProducer(r, { includeStats: 'yes' as never })).toThrow(
        /`options.includeStats`/,
      );
      expect(() => new MvxMetricProducer(r, { aggregationTemporality: 2 as never })).toThrow(RangeError);
      expect(() => new MvxMetricProducer(r, { aggregationTemporality: 'delta' as never })).toThrow(
        /`options.aggregationTemporality`/,
      );
      const hostile = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
        },
      );
      expect(() => new MvxMetricProducer(r, hostile)).toThrow(TypeError);
      const getter = {
        get includeStats(): boolean {
          throw new Error('boom');
        },
      };
      expect(() => new MvxMetricProducer(r, getter)).toThrow(/`options.includeStats` threw/);
    });
  });
});
