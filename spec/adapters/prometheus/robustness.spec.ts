/**
 * Attacks on the Prometheus exporter: hostile snapshots, hostile sources, recorders and runtimes going
 * away during a scrape, throwing log sinks. One broken metric never fails a scrape.
 */
import { Registry } from 'prom-client';
import {
  counter,
  defineMetric,
  kindsFor,
  LogContext,
  MemorySink,
  MetricsRecorder,
  MetricsRuntime,
  type MetricEvent,
  type RecorderReading,
  type RecorderReadingsProvider,
} from 'mvx-common';
import { exposeToPrometheus, type PrometheusExposure } from 'mvx-common/prometheus';
import { parseExposition, promtoolCheck, samplesOf, valueOf } from '../../helpers/promText.js';

type Hit = { type: 'hit'; n: number };
const k = kindsFor<Hit>();

const exposures: PrometheusExposure[] = [];
afterEach(() => {
  for (const e of exposures.splice(0)) e.close();
});
function expose(...args: Parameters<typeof exposeToPrometheus>) {
  const e = exposeToPrometheus(...args);
  exposures.push(e);
  return e;
}

function reading(
  recorderId: string,
  snapshots: Record<string, unknown>,
  extra: Partial<RecorderReading> = {},
) {
  return {
    recorderId,
    entityId: recorderId,
    namespace: 'test',
    state: 'running',
    stats: undefined,
    startTime: undefined,
    snapshots,
    ...extra,
  } as RecorderReading;
}
const provider = (...readings: RecorderReading[]): RecorderReadingsProvider => ({
  readRecorders: () => readings,
});
const goodCounter = {
  name: 'good',
  kind: 'counter',
  dimensions: { total: 3, refused: 0, overflow: 0, series: [] },
};

describe('a broken metric is skipped, counted and logged; the scrape goes on', () => {
  const broken: Record<string, unknown> = {
    'histogram counts that do not add up': {
      name: 'h1',
      kind: 'histogram',
      dimensions: {
        bounds: [1, 2],
        counts: [1, 1, 1],
        count: 5,
        sum: 3,
        refused: 0,
        overflow: 0,
        series: [],
      },
    },
    'histogram bounds not increasing': {
      name: 'h2',
      kind: 'histogram',
      dimensions: {
        bounds: [2, 1],
        counts: [0, 0, 0],
        count: 0,
        sum: 0,
        refused: 0,
        overflow: 0,
        series: [],
      },
    },
    'histogram counts of the wrong length': {
      name: 'h3',
      kind: 'histogram',
      dimensions: { bounds: [1], counts: [0], count: 0, sum: 0, refused: 0, overflow: 0, series: [] },
    },
    'a negative counter': {
      name: 'c1',
      kind: 'counter',
      dimensions: { total: -1, refused: 0, overflow: 0, series: [] },
    },
    'a NaN counter series': {
      name: 'c2',
      kind: 'counter',
      dimensions: { total: 1, refused: 0, overflow: 0, series: [{ labels: { a: 'x' }, total: NaN }] },
    },
    'series labels that are not an object': {
      name: 'c3',
      kind: 'counter',
      dimensions: { total: 1, refused: 0, overflow: 0, series: [{ labels: 'a=x', total: 1 }] },
    },
    'a label value that is an object': {
      name: 'c4',
      kind: 'counter',
      dimensions: { total: 1, refused: 0, overflow: 0, series: [{ labels: { a: { b: 1 } }, total: 1 }] },
    },
    'a summary quantile key out of range': {
      name: 's1',
      kind: 'summary',
      dimensions: {
        count: 1,
        sum: 1,
        p50: 1,
        p90: 1,
        p99: 1,
        p999: 1,
        quantiles: { '2': 1 },
        sketch: { relative_accuracy: 0.01, max_bins: 10, zero_count: 0, bins: [] },
      },
    },
    'a null snapshot': null,
    'a snapshot without a name': { kind: 'counter', dimensions: {} },
    'dimensions behind a throwing Proxy': {
      name: 'p1',
      kind: 'custom',
      dimensions: new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
        },
      ),
    },
    'a throwing getter': Object.defineProperty({ name: 'g1', kind: 'gauge' }, 'dimensions', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    }),
  };

  it.each(Object.entries(broken))('%s', async (_title, snapshot) => {
    const sink = new MemorySink();
    const registry = new Registry();
    expose(provider(reading('r', { bad: snapshot, good: goodCounter })), {
      registry,
      logContext: LogContext.root({ sink }),
    });
    const text = await registry.metrics();
    const p = parseExposition(text);
    expect(valueOf(p, 'good_total')).toBe(3);
    const errors = samplesOf(p, 'mvx_exporter_errors_total', { reason: 'invalid_snapshot' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.value).toBe(1);
    expect(sink.events.map((e) => e.meta.eventName)).toEqual(['prometheus_exporter.metric_skipped']);
    expect(sink.events[0]!.payload).toMatchObject({ recorderId: 'r', reason: 'invalid_snapshot' });
    expect(typeof sink.events[0]!.payload['message']).toBe('string');
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('custom dimensions with NaN, ±Infinity, huge, nested and string values', async () => {
    const weird = {
      name: 'weird',
      kind: 'gauge',
      dimensions: {
        nan: NaN,
        inf: Infinity,
        ninf: -Infinity,
        huge: 1.7976931348623157e308,
        tiny: 5e-324,
        negzero: -0,
        text: 'a string',
        flag: true,
        nested: { deeper: { n: 1 } },
        list: [1, 2, 3],
        nothing: null,
      },
    };
    const weirdCounter = {
      name: 'weird.counter',
      kind: 'counter',
      dimensions: { ok: 1, nan: NaN, neg: -2, inf: Infinity },
    };
    const registry = new Registry();
    expose(provider(reading('r', { weird, weirdCounter })), { registry });
    const text = await registry.metrics();
    const p = parseExposition(text);
    expect(valueOf(p, 'weird_nan')).toBeNaN();
    expect(valueOf(p, 'weird_inf')).toBe(Infinity);
    expect(valueOf(p, 'weird_ninf')).toBe(-Infinity);
    expect(valueOf(p, 'weird_huge')).toBe(1.7976931348623157e308);
    expect(valueOf(p, 'weird_tiny')).toBe(5e-324);
    expect(valueOf(p, 'weird_negzero')).toBe(0);
    expect(text).not.toMatch(/weird_(text|flag|nested|list|nothing)/);
    expect(valueOf(p, 'weird_ok_total')).toBe(1);
    expect(text).not.toMatch(/weird_(nan|neg|inf)_total/);
    expect(
      valueOf(p, 'mvx_exporter_errors_total', { metric: 'weird.counter', reason: 'invalid_value' }),
    ).toBe(3);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('`__proto__` and `constructor` as metric names, label names, label values and recorder ids', async () => {
    const snap = (name: string) => ({
      name,
      kind: 'counter',
      dimensions: {
        total: 1,
        refused: 0,
        overflow: 0,
        series: [{ labels: { __proto__: 'p', constructor: 'c' }, total: 1 }],
      },
    });
    const labels = JSON.parse('{"__proto__":"p","constructor":"c"}') as Record<string, string>;
    const s = snap('__proto__');
    (s.dimensions.series[0] as { labels: unknown }).labels = labels;
    const registry = new Registry();
    const snapshots = Object.fromEntries([
      ['__proto__', s],
      ['constructor', { ...snap('constructor'), dimensions: { ...s.dimensions } }],
    ]);
    expect(Object.keys(snapshots)).toEqual(['__proto__', 'constructor']);
    expose(provider(reading('__proto__', snapshots)), { registry });
    const p = parseExposition(await registry.metrics());
    expect(samplesOf(p, 'proto_total')).toEqual([
      { name: 'proto_total', labels: { recorder: '__proto__', proto: 'p', constructor: 'c' }, value: 1 },
    ]);
    expect(valueOf(p, 'constructor_total')).toBe(1);
  });

  it('label sets that become equal once their names are made valid: one series kept, the repeat counted', async () => {
    const r = new MetricsRecorder<Hit & { labels: Record<string, string> }>('r');
    r.registerMetric(
      counter({ name: 'hits', on: 'hit', by: (e: Hit & { labels: Record<string, string> }) => e.labels }),
    );
    r.emit({ type: 'hit', n: 1, labels: { 'a.b': 'x' } });
    r.emit({ type: 'hit', n: 1, labels: { a_b: 'x' } });
    r.emit({ type: 'hit', n: 1, labels: { a_b: 'y' } });
    await r.flush();
    const registry = new Registry();
    expose(r, { registry });
    const p = parseExposition(await registry.metrics());
    expect(samplesOf(p, 'hits_total').map((s) => s.labels['a_b'])).toEqual(['x', 'y']);
    expect(valueOf(p, 'mvx_exporter_errors_total', { metric: 'hits', reason: 'duplicate_series' })).toBe(1);
    await r.dispose();
  });

  it('names prom-client cannot hold (`constructor`) get `_value`', async () => {
    const registry = new Registry();
    const gaugeSnap = {
      name: 'constructor',
      kind: 'gauge',
      dimensions: { value: 2, refused: 0, overflow: 0, series: [] },
    };
    expose(provider(reading('r', { constructor: gaugeSnap })), { registry });
    const text = await registry.metrics();
    expect(valueOf(parseExposition(text), 'constructor_value')).toBe(2);
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('readings with the same recorder id: told apart by their labels, or duplicates skipped', async () => {
    const registry = new Registry();
    expose(
      provider(
        reading('jobs', { good: goodCounter }),
        reading('jobs', { good: goodCounter }, { labels: { worker: '2' } }),
        reading('jobs', { good: goodCounter }),
      ),
      { registry, includeStats: false },
    );
    const p = parseExposition(await registry.metrics());
    expect(samplesOf(p, 'good_total').map((s) => s.labels)).toEqual([
      { recorder: 'jobs' },
      { recorder: 'jobs', worker: '2' },
    ]);
    expect(valueOf(p, 'mvx_exporter_errors_total', { metric: 'good', reason: 'duplicate_series' })).toBe(1);
  });

  it('a throwing log sink (even with errorHandling raise) never fails the scrape', async () => {
    const logContext = LogContext.root({
      sink: {
        log: () => {
          throw new Error('sink down');
        },
      },
      errorHandling: 'raise',
    });
    const registry = new Registry();
    expose(provider(reading('r', { bad: null, good: goodCounter })), { registry, logContext });
    expect(valueOf(parseExposition(await registry.metrics()), 'good_total')).toBe(3);
  });

  it('a provider that throws, returns garbage, or changes shape between scrapes', async () => {
    let mode = 0;
    const hostile: RecorderReadingsProvider = {
      readRecorders: () => {
        mode++;
        if (mode === 1) throw new Error('boom');
        if (mode === 2) return 'nonsense' as never;
        if (mode === 3) return [reading('r', { good: goodCounter })];
        return [
          reading('r', {
            good: {
              ...goodCounter,
              kind: 'gauge',
              dimensions: { value: 1, refused: 0, overflow: 0, series: [] },
            },
          }),
        ];
      },
    };
    const registry = new Registry();
    expose(hostile, { registry }); // first read happens here
    expect(parseExposition(await registry.metrics()).types.has('good_total')).toBe(false);
    expect(valueOf(parseExposition(await registry.metrics()), 'good_total')).toBe(3);
    // The same metric turned into an up-down counter: a gauge family now, the counter family is gone.
    const p = parseExposition(await registry.metrics());
    expect(p.types.get('good')).toBe('gauge');
    expect(p.types.has('good_total')).toBe(false);
  });

  it('families re-register after the user clears the registry', async () => {
    const registry = new Registry();
    expose(provider(reading('r', { good: goodCounter })), { registry });
    registry.clear();
    expect(valueOf(parseExposition(await registry.metrics()), 'good_total')).toBe(3);
  });

  it('a collector read on its own (getSingleMetricAsString) builds fresh samples', async () => {
    const registry = new Registry();
    expose(provider(reading('r', { good: goodCounter })), { registry });
    expect(await registry.getSingleMetricAsString('good_total')).toBe(
      '# HELP good_total good (mvx-common counter)\n# TYPE good_total counter\ngood_total{recorder="r"} 3',
    );
  });
});

describe('recorders and runtimes going away', () => {
  it('a recorder disposed during the scrape: the scrape completes with a consistent reading', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test.dispose' });
    await runtime.start();
    const doomed = await runtime.createRecorder<Hit>('doomed');
    const other = await runtime.createRecorder<Hit>('other');
    for (const r of [doomed, other]) {
      r.registerMetric(k.counter({ name: 'hits', on: 'hit' }));
      r.emit({ type: 'hit', n: 1 });
    }
    let disposal: Promise<unknown> | undefined;
    // An exposure read before the runtime's in the same scrape disposes a recorder mid-scrape.
    const saboteur: RecorderReadingsProvider = {
      readRecorders: () => {
        disposal ??= runtime.stopAndRemoveRecorder('doomed').then((r) => r.dispose());
        return [];
      },
    };
    const registry = new Registry();
    expose(saboteur, { registry, labels: { side: 'saboteur' } });
    expose(runtime, { registry, labels: { side: 'runtime' } });
    const text = await registry.metrics();
    await disposal;
    const p = parseExposition(text);
    expect(valueOf(p, 'hits_total', { recorder: 'other' })).toBe(1);
    expect(promtoolCheck(text).status).toBe(0);
    const after = parseExposition(await registry.metrics());
    expect(samplesOf(after, 'hits_total').map((s) => s.labels['recorder'])).toEqual(['other']);
    await runtime.shutdown();
  });

  it('a lone recorder disposed while exposed keeps exporting its final counts, state `disposed`', async () => {
    const r = new MetricsRecorder<Hit>('lone');
    r.registerMetric(k.counter({ name: 'hits', on: 'hit' }));
    r.emit({ type: 'hit', n: 1 });
    const registry = new Registry();
    expose(r, { registry });
    const scrape = registry.metrics();
    await r.dispose();
    expect(valueOf(parseExposition(await scrape), 'hits_total')).toBe(1);
    const p = parseExposition(await registry.metrics());
    expect(samplesOf(p, 'mvx_recorder_state', { state: 'disposed' })[0]?.value).toBe(1);
  });

  it('a runtime shutting down during scrapes', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test.shutdown' });
    await runtime.start();
    for (const id of ['a', 'b', 'c']) {
      const r = await runtime.createRecorder<Hit>(id);
      r.registerMetric(
        defineMetric({
          name: 'slow.to.stop',
          accepts: (e: MetricEvent): e is Hit => e.type === 'hit',
          init: () => 0,
          reduce: (s: number) => s + 1,
          dimensions: (s) => ({ seen: s }),
        }),
      );
      r.emit({ type: 'hit', n: 1 });
    }
    const registry = new Registry();
    expose(runtime, { registry });
    const shutdown = runtime.shutdown();
    const during = await Promise.all([registry.metrics(), registry.metrics()]);
    for (const text of during) expect(promtoolCheck(text).status).toBe(0);
    await shutdown;
    const p = parseExposition(await registry.metrics());
    expect(samplesOf(p, 'slow_to_stop_seen')).toEqual([]);
    expect(p.types.has('mvx_recorder_state')).toBe(true); // health families stay registered
  });
});
