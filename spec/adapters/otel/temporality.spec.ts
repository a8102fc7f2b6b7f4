import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import * as fc from 'fast-check';
import {
  counter,
  gauge,
  histogram,
  MetricsRecorder,
  MetricsRuntime,
  upDownCounter,
  type MetricEvent,
} from 'mvx-common';
import { MetricExportError, MvxMetricProducer } from 'mvx-common/otel';
import { harness, histogramPoints, hrMillis, numberPoints, type Harness } from './otelHarness.js';

type E = { type: 'e'; v: number; k?: string };
const { DELTA, CUMULATIVE } = AggregationTemporality;
const ev = (e: E): MetricEvent => e;

function byName(result: {
  resourceMetrics: { scopeMetrics: { metrics: MetricData[] }[] };
}): Map<string, MetricData> {
  return new Map(
    result.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]),
  );
}

function register(r: MetricsRecorder): void {
  r.registerMetric(counter<E>({ name: 'c', on: 'e', value: 'v', by: ['k'] }));
  r.registerMetric(upDownCounter<E>({ name: 'u', on: 'e', value: (e) => e.v - 2 }));
  r.registerMetric(gauge<E>({ name: 'g', on: 'e', value: 'v' }));
  r.registerMetric(histogram<E>({ name: 'h', on: 'e', value: 'v', buckets: [1, 3] }));
}

describe('MvxMetricProducer temporality', () => {
  let h: Harness | undefined;
  let recorder: MetricsRecorder | undefined;
  let runtime: MetricsRuntime | undefined;
  afterEach(async () => {
    await h?.shutdown();
    await recorder?.dispose();
    await runtime?.shutdown().catch(() => undefined);
    h = recorder = runtime = undefined;
  });

  it('DELTA: sums and histograms carry the change since the previous collection, over that interval', async () => {
    recorder = new MetricsRecorder('r');
    register(recorder);
    recorder.emit(ev({ type: 'e', v: 1, k: 'a' }));
    recorder.emit(ev({ type: 'e', v: 4, k: 'b' }));
    await recorder.flush();
    h = harness(new MvxMetricProducer(recorder, { aggregationTemporality: DELTA }), DELTA);
    const first = await h.metrics();
    for (const m of first.values()) expect(m.aggregationTemporality).toBe(DELTA);
    expect(numberPoints(first.get('c'))).toEqual([
      [{ k: 'a', 'mvx.recorder': 'r' }, 1],
      [{ k: 'b', 'mvx.recorder': 'r' }, 4],
    ]);
    expect(hrMillis(first.get('c')!.dataPoints[0]!.startTime)).toBe(recorder.getStartTime());
    expect(histogramPoints(first.get('h'))[0]![1]).toEqual({
      buckets: { boundaries: [1, 3], counts: [1, 0, 1] },
      sum: 5,
      count: 2,
      min: 1,
      max: 4,
    });

    recorder.emit(ev({ type: 'e', v: 2, k: 'a' }));
    await recorder.flush();
    await new Promise((r) => setTimeout(r, 3));
    const second = await h.metrics();
    expect(numberPoints(second.get('c'))).toEqual([
      [{ k: 'a', 'mvx.recorder': 'r' }, 2],
      [{ k: 'b', 'mvx.recorder': 'r' }, 0],
    ]);
    expect(numberPoints(second.get('u'))).toEqual([[{ 'mvx.recorder': 'r' }, 0]]); // u adds v - 2: the new event adds 0
    expect(numberPoints(second.get('g'))).toEqual([[{ 'mvx.recorder': 'r' }, 2]]); // gauges stay last values
    const hist = histogramPoints(second.get('h'))[0]![1];
    expect(hist).toEqual({ buckets: { boundaries: [1, 3], counts: [0, 1, 0] }, sum: 2, count: 1 }); // no min/max
    const firstEnd = hrMillis(first.get('c')!.dataPoints[0]!.endTime);
    for (const name of ['c', 'u', 'h']) {
      for (const p of second.get(name)!.dataPoints) expect(hrMillis(p.startTime)).toBe(firstEnd);
    }
  });

  it('DELTA: a reset (a replaced metric, a new recorder under the same id) restarts the stream', async () => {
    runtime = new MetricsRuntime({ namespace: 'app' });
    await runtime.start();
    let r = await runtime.createRecorder('r');
    register(r);
    r.emit(ev({ type: 'e', v: 5, k: 'a' }));
    await r.flush();
    const producer = new MvxMetricProducer(runtime, { aggregationTemporality: DELTA, includeStats: false });
    await producer.collect();
    // a metric replaced under its name starts from zero: the cumulative value went down
    r.registerMetric(counter<E>({ name: 'c', on: 'e', value: 'v', by: ['k'] }));
    r.emit(ev({ type: 'e', v: 2, k: 'a' }));
    await r.flush();
    let m = byName(await producer.collect());
    expect(numberPoints(m.get('c'))).toEqual([[{ k: 'a', 'mvx.recorder': 'r' }, 2]]);

    // a new recorder under the same id: every stream starts again at its start time
    await runtime.stopAndRemoveRecorder('r');
    await new Promise((res) => setTimeout(res, 3));
    r = await runtime.createRecorder('r');
    register(r);
    r.emit(ev({ type: 'e', v: 7, k: 'a' }));
    r.emit(ev({ type: 'e', v: 0.5, k: 'a' }));
    await r.flush();
    m = byName(await producer.collect());
    expect(numberPoints(m.get('c'))).toEqual([[{ k: 'a', 'mvx.recorder': 'r' }, 7.5]]);
    expect(numberPoints(m.get('u'))).toEqual([[{ 'mvx.recorder': 'r' }, 3.5]]);
    expect(histogramPoints(m.get('h'))[0]![1]).toMatchObject({ count: 2, min: 0.5, max: 7 });
    for (const name of ['c', 'u', 'h']) {
      expect(hrMillis(m.get(name)!.dataPoints[0]!.startTime)).toBe(r.getStartTime());
    }
  });

  it('takes a selector by instrument type (an exporter preference)', async () => {
    recorder = new MetricsRecorder('r');
    register(recorder);
    const asked: InstrumentType[] = [];
    const producer = new MvxMetricProducer(recorder, {
      aggregationTemporality: (t) => (asked.push(t), t === InstrumentType.COUNTER ? DELTA : CUMULATIVE),
    });
    recorder.emit(ev({ type: 'e', v: 1, k: 'a' }));
    await producer.collect();
    recorder.emit(ev({ type: 'e', v: 1, k: 'a' }));
    const m = byName(await producer.collect());
    expect(asked).toEqual(
      expect.arrayContaining([
        InstrumentType.COUNTER,
        InstrumentType.UP_DOWN_COUNTER,
        InstrumentType.HISTOGRAM,
        InstrumentType.GAUGE,
      ]),
    );
    expect(m.get('c')!.aggregationTemporality).toBe(DELTA);
    expect(numberPoints(m.get('c'))).toEqual([[{ k: 'a', 'mvx.recorder': 'r' }, 1]]);
    expect(m.get('mvx.recorder.offered')!.aggregationTemporality).toBe(DELTA);
    expect(numberPoints(m.get('mvx.recorder.offered'))).toEqual([[{ 'mvx.recorder': 'r' }, 1]]);
    expect(m.get('h')!.aggregationTemporality).toBe(CUMULATIVE);
    expect((m.get('h')!.dataPoints[0] as DataPoint<Histogram>).value.count).toBe(2);
    expect(m.get('u')!.aggregationTemporality).toBe(CUMULATIVE);
  });

  it('a throwing or wrong selector falls back to CUMULATIVE and is reported', async () => {
    recorder = new MetricsRecorder('r');
    register(recorder);
    const throwing = new MvxMetricProducer(recorder, {
      aggregationTemporality: () => {
        throw new Error('nope');
      },
    });
    const result = await throwing.collect();
    expect(result.errors).toHaveLength(4);
    expect(result.errors[0]).toBeInstanceOf(MetricExportError);
    expect(byName(result).get('c')!.aggregationTemporality).toBe(CUMULATIVE);
    const wrong = await new MvxMetricProducer(recorder, {
      aggregationTemporality: () => 7 as never,
    }).collect();
    expect(wrong.errors).toHaveLength(4);
    expect(byName(wrong).get('h')!.aggregationTemporality).toBe(CUMULATIVE);
  });

  it('property: the DELTA points of any event sequence add up to the cumulative snapshot', async () => {
    const step = fc.record({
      events: fc.array(
        fc.record({
          v: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 10, noNaN: true })),
          k: fc.constantFrom('a', 'b', 'c'),
        }),
        { maxLength: 8 },
      ),
      replace: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const r = new MetricsRecorder('p');
        register(r);
        const producer = new MvxMetricProducer(r, { aggregationTemporality: DELTA, includeStats: false });
        // model: per stream, the running sum of exported deltas since the last reset
        const sums = new Map<string, number>();
        const counts = new Map<string, number[]>();
        try {
          for (const s of steps) {
            if (s.replace) r.registerMetric(counter<E>({ name: 'c', on: 'e', value: 'v', by: ['k'] }));
            for (const e of s.events) r.emit(ev({ type: 'e', ...e }));
            await r.flush();
            const m = byName(await producer.collect());
            const snapC = r.getMetricSnapshot('c')!.dimensions as any;
            const points = numberPoints(m.get('c'));
            // streams absent from a collection are forgotten: their next point starts over
            for (const key of [...sums.keys()]) {
              if (!points.some(([a]) => String(a['k'] ?? '') === key)) sums.delete(key);
            }
            for (const [attrs, v] of points) {
              // a labelled counter without series yet exports its total without labels
              const key = String(attrs['k'] ?? '');
              const total = snapC.series.find((x: any) => x.labels.k === key)?.total ?? snapC.total;
              const next = (sums.get(key) ?? 0) + v;
              // either a continuation or, after a replace, a restart at the new cumulative value
              if (Math.abs(next - total) > 1e-9) {
                expect(s.replace).toBe(true);
                expect(v).toBeCloseTo(total, 9);
                sums.set(key, v);
              } else sums.set(key, next);
            }
            const hp = histogramPoints(m.get('h'))[0]![1];
            const total = counts.get('h') ?? [0, 0, 0];
            const added = total.map((c, i) => c + hp.buckets.counts[i]!);
            counts.set('h', added);
            expect(added).toEqual((r.getMetricSnapshot('h')!.dimensions as any).counts);
            expect(m.get('h')!.dataPointType).toBe(DataPointType.HISTOGRAM);
          }
        } finally {
          await r.dispose();
        }
      }),
      { numRuns: 40 },
    );
  });
});
