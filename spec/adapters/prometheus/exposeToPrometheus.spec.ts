import {
  AggregatorRegistry,
  Counter,
  Registry,
  register as globalRegister,
  type OpenMetricsContentType,
} from 'prom-client';
import {
  defineMetric,
  gauge,
  quantiles,
  kindsFor,
  LogContext,
  MemorySink,
  MetricsRecorder,
  MetricsRuntime,
  type MetricEvent,
  type RecorderReadingsProvider,
} from 'mvx-common';
import type * as promEntry from 'mvx-common/prometheus';
import type * as core from 'mvx-common';
import {
  exposeToPrometheus,
  PrometheusConflictError,
  type PeerDependencyMissingError,
  type PrometheusExposure,
} from 'mvx-common/prometheus';
import {
  parseExposition,
  promtoolCheck,
  samplesOf,
  valueOf,
  type ParsedExposition,
} from '../../helpers/promText.js';

type Save = {
  type: 'save';
  outcome: string;
  durationMs: number;
  region: string;
  size: number;
};
const k = kindsFor<Save>();
const save = (i: number): Save => ({
  type: 'save',
  outcome: ['success', 'failure', 'timeout'][i % 3]!,
  durationMs: (i % 10) * 5 + 1,
  region: i % 2 ? 'eu' : 'us',
  size: 100 * (i % 4),
});

async function scrape(registry: Registry<OpenMetricsContentType> | Registry): Promise<ParsedExposition> {
  return parseExposition(await registry.metrics());
}

const exposures: PrometheusExposure[] = [];
const recorders: { dispose(): Promise<void> }[] = [];
const runtimes: MetricsRuntime[] = [];
function expose(...args: Parameters<typeof exposeToPrometheus>): PrometheusExposure {
  const e = exposeToPrometheus(...args);
  exposures.push(e);
  return e;
}
function recorder(id = 'docs'): MetricsRecorder<Save> {
  const r = new MetricsRecorder<Save>(id);
  recorders.push(r);
  return r;
}
async function runtime(): Promise<MetricsRuntime> {
  const rt = new MetricsRuntime({ namespace: 'test.prom' });
  runtimes.push(rt);
  await rt.start();
  return rt;
}

afterEach(async () => {
  for (const e of exposures.splice(0)) e.close();
  for (const r of recorders.splice(0)) await r.dispose();
  for (const rt of runtimes.splice(0)) await rt.shutdown().catch(() => undefined);
});

describe('exposeToPrometheus: mapping of each kind', () => {
  it('counter → counter, unlabelled and labelled; HELP from the description or a default', async () => {
    const r = recorder();
    r.registerMetric(
      k.counter({ name: 'document_storage.save.attempts', on: 'save', description: 'Save attempts' }),
    );
    r.registerMetric(k.counter({ name: 'saves.by.region', on: 'save', by: ['region'] }));
    r.registerMetric(k.counter({ name: 'bytes.written', on: 'save', value: 'size', unit: 'bytes' }));
    for (let i = 0; i < 9; i++) r.emit(save(i));
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    expect(valueOf(p, 'document_storage_save_attempts_total', { recorder: 'docs' })).toBe(9);
    expect(p.types.get('document_storage_save_attempts_total')).toBe('counter');
    expect(p.help.get('document_storage_save_attempts_total')).toBe('Save attempts');
    expect(p.help.get('saves_by_region_total')).toMatch(/saves\.by\.region/);
    expect(valueOf(p, 'saves_by_region_total', { region: 'eu' })).toBe(4);
    expect(valueOf(p, 'saves_by_region_total', { region: 'us' })).toBe(5);
    // No unlabelled aggregate next to the labelled series (it would double `sum()`).
    expect(samplesOf(p, 'saves_by_region_total')).toHaveLength(2);
    expect(valueOf(p, 'bytes_written_total')).toBe(100 * (0 + 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0));
  });

  it('up-down counter, gauge and rate → gauge (gauge: `last` only, nothing before the first update)', async () => {
    const r = recorder();
    r.registerMetric(
      k.upDownCounter({
        name: 'jobs.in_flight',
        on: 'save',
        value: (e) => (e.outcome === 'success' ? 1 : -1),
      }),
    );
    r.registerMetric(k.gauge({ name: 'pool.size', on: 'save', value: 'size', by: ['region'] }));
    r.registerMetric(
      gauge<Save>({
        name: 'never.updated',
        on: (e: MetricEvent): e is Save => e.type === 'nothing',
        value: 'size',
      }),
    );
    r.registerMetric(k.rate({ name: 'save.rate', on: 'save', windowMs: 60_000 }));
    for (let i = 0; i < 6; i++) r.emit(save(i));
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    expect(p.types.get('jobs_in_flight')).toBe('gauge');
    expect(valueOf(p, 'jobs_in_flight')).toBe(2 - 4);
    expect(valueOf(p, 'pool_size', { region: 'us' })).toBe(0); // last of i = 4
    expect(valueOf(p, 'pool_size', { region: 'eu' })).toBe(100); // last of i = 5
    expect(p.types.get('never_updated')).toBe('gauge');
    expect(samplesOf(p, 'never_updated')).toEqual([]);
    expect(p.types.get('save_rate')).toBe('gauge');
    expect(valueOf(p, 'save_rate')).toBeCloseTo(6 / 60, 10);
  });

  it('histogram → cumulative `le` buckets, +Inf, _sum, _count; ms exported in seconds', async () => {
    const r = recorder();
    r.registerMetric(
      k.histogram({
        name: 'save.duration',
        on: 'save',
        value: 'durationMs',
        unit: 'ms',
        buckets: [5, 10, 25],
      }),
    );
    r.registerMetric(
      k.histogram({ name: 'save.size', on: 'save', value: 'size', buckets: [100, 200], by: ['region'] }),
    );
    const durations: number[] = [];
    for (let i = 0; i < 20; i++) {
      r.emit(save(i));
      durations.push(save(i).durationMs);
    }
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    expect(p.types.get('save_duration_seconds')).toBe('histogram');
    const le = (b: string) => valueOf(p, 'save_duration_seconds_bucket', { le: b });
    expect(le('0.005')).toBe(durations.filter((d) => d <= 5).length);
    expect(le('0.01')).toBe(durations.filter((d) => d <= 10).length);
    expect(le('0.025')).toBe(durations.filter((d) => d <= 25).length);
    expect(le('+Inf')).toBe(20);
    expect(valueOf(p, 'save_duration_seconds_count')).toBe(20);
    expect(valueOf(p, 'save_duration_seconds_sum')).toBeCloseTo(durations.reduce((a, b) => a + b) / 1000, 12);
    expect(valueOf(p, 'save_size_bucket', { region: 'eu', le: '100' })).toBe(5);
    expect(valueOf(p, 'save_size_bucket', { region: 'eu', le: '+Inf' })).toBe(10);
    expect(valueOf(p, 'save_size_count', { region: 'us' })).toBe(10);
    expect(promtoolCheck(await registry.metrics())).toEqual({ status: 0, output: '' });
  });

  it('quantiles → summary with `quantile` labels (window quantiles when present), NaN while empty', async () => {
    const r = recorder();
    r.registerMetric(
      k.quantiles({ name: 'save.latency', on: 'save', value: 'durationMs', unit: 's', quantiles: [0.75] }),
    );
    r.registerMetric(
      quantiles<Save>({ name: 'idle', on: (e: MetricEvent): e is Save => e.type === 'none', value: 'size' }),
    );
    for (let i = 0; i < 100; i++) r.emit({ ...save(i), durationMs: i + 1 });
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    expect(p.types.get('save_latency_seconds')).toBe('summary');
    const q = (x: string) => valueOf(p, 'save_latency_seconds', { quantile: x });
    expect(q('0.5')).toBeGreaterThan(49 * 0.98);
    expect(q('0.5')).toBeLessThan(51 * 1.02);
    expect(q('0.75')).toBeGreaterThan(74 * 0.98);
    expect(q('0.99')).toBeGreaterThan(98 * 0.98);
    expect(samplesOf(p, 'save_latency_seconds')).toHaveLength(5);
    expect(valueOf(p, 'save_latency_seconds_count')).toBe(100);
    expect(valueOf(p, 'save_latency_seconds_sum')).toBe(5050);
    expect(valueOf(p, 'idle', { quantile: '0.5' })).toBeNaN();
    expect(valueOf(p, 'idle_count')).toBe(0);
  });

  it('a summary exports the quantiles of `window` and the cumulative count / sum', async () => {
    const provider: RecorderReadingsProvider = {
      readRecorders: () => [
        reading('w', {
          lat: {
            name: 'lat',
            kind: 'summary',
            unit: 'ms',
            dimensions: {
              count: 10,
              sum: 1000,
              min: 1,
              max: 500,
              p50: 50,
              p90: 90,
              p99: 99,
              p999: 99.9,
              quantiles: {},
              refused: 0,
              sketch: { relative_accuracy: 0.01, max_bins: 2048, zero_count: 0, bins: [] },
              window: { count: 2, sum: 30, p50: 10, p90: 20, p99: 20, p999: 20, quantiles: {} },
            },
          },
        }),
      ],
    };
    const registry = new Registry();
    expose(provider, { registry });
    const p = await scrape(registry);
    expect(valueOf(p, 'lat_seconds', { quantile: '0.5' })).toBe(0.01);
    expect(valueOf(p, 'lat_seconds', { quantile: '0.9' })).toBe(0.02);
    expect(valueOf(p, 'lat_seconds_count')).toBe(10);
    expect(valueOf(p, 'lat_seconds_sum')).toBe(1);
  });

  it('outcome counter → counter with an `outcome` label: each declared outcome plus `other`', async () => {
    const r = recorder();
    r.registerMetric(k.outcomeCounter({ name: 'document_storage.save.attempts', on: 'save' }));
    for (let i = 0; i < 9; i++) r.emit(save(i)); // success, failure, timeout (→ other) x 3
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    const series = samplesOf(p, 'document_storage_save_attempts_total');
    expect(series.map((s) => [s.labels['outcome'], s.value])).toEqual([
      ['success', 3],
      ['failure', 3],
      ['other', 3],
    ]);
  });

  it('custom metrics → one family per numeric top-level dimension (counters for kind counter)', async () => {
    const r = recorder();
    r.registerMetric(
      defineMetric({
        name: 'jobs.done',
        kind: 'counter',
        accepts: (e: MetricEvent): e is Save => e.type === 'save',
        init: () => ({ total: 0, success_total: 0 }),
        reduce: (s, e: Save) => ({
          total: s.total + 1,
          success_total: s.success_total + (e.outcome === 'success' ? 1 : 0),
        }),
        dimensions: (s) => s,
      }),
    );
    r.registerMetric(
      defineMetric({
        name: 'queueState',
        accepts: (e: MetricEvent): e is Save => e.type === 'save',
        init: () => 0,
        reduce: (s: number) => s + 1,
        dimensions: (s) => ({
          depth: s,
          count: s * 2,
          label: 'text',
          ok: true,
          nested: { a: 1 },
          list: [1, 2],
          none: null,
        }),
      }),
    );
    for (let i = 0; i < 4; i++) r.emit(save(i));
    const registry = new Registry();
    expose(r, { registry });
    const text = await registry.metrics();
    const p = parseExposition(text);
    expect(p.types.get('jobs_done_total')).toBe('counter');
    expect(valueOf(p, 'jobs_done_total')).toBe(4);
    expect(valueOf(p, 'jobs_done_success_total')).toBe(2);
    expect(p.types.get('queue_state_depth')).toBe('gauge');
    expect(valueOf(p, 'queue_state_depth')).toBe(4);
    // `_count` is reserved for histograms and summaries: the gauge gets `_value`.
    expect(valueOf(p, 'queue_state_count_value')).toBe(8);
    expect(text).not.toMatch(/queue_state_(label|ok|nested|list|none)/);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('custom metrics with a `series` array export labelled series (replacing the top-level field)', async () => {
    const provider: RecorderReadingsProvider = {
      readRecorders: () => [
        reading('c', {
          pools: {
            name: 'pools',
            kind: 'gauge',
            dimensions: {
              size: 7,
              idle: 1,
              series: [
                { labels: { pool: 'db' }, size: 3 },
                { labels: { pool: 'cache' }, size: 4 },
              ],
            },
          },
        }),
      ],
    };
    const registry = new Registry();
    expose(provider, { registry });
    const p = await scrape(registry);
    expect(samplesOf(p, 'pools_size').map((s) => [s.labels['pool'], s.value])).toEqual([
      ['db', 3],
      ['cache', 4],
    ]);
    expect(valueOf(p, 'pools_idle')).toBe(1);
  });
});

describe('exposeToPrometheus: names, units, labels', () => {
  it('units: s and ms → _seconds, bytes → _bytes, 1 / empty → none, others as a suffix', async () => {
    const r = recorder();
    r.registerMetric(k.gauge({ name: 'a', on: 'save', value: 'durationMs', unit: 'ms' }));
    r.registerMetric(k.gauge({ name: 'b.seconds', on: 'save', value: 'durationMs', unit: 's' }));
    r.registerMetric(k.gauge({ name: 'c', on: 'save', value: 'size', unit: 'bytes' }));
    r.registerMetric(k.gauge({ name: 'd', on: 'save', value: 'size', unit: '1' }));
    r.registerMetric(k.gauge({ name: 'e', on: 'save', value: 'size', unit: '' }));
    r.registerMetric(k.gauge({ name: 'f', on: 'save', value: 'size', unit: 'celsius' }));
    r.registerMetric(k.gauge({ name: 'g', on: 'save', value: 'size', unit: 'KiB' }));
    r.registerMetric(k.gauge({ name: 'h', on: 'save', value: 'size', unit: '{requests}' }));
    r.registerMetric(k.counter({ name: 'save.ms', on: 'save', value: 'durationMs', unit: 'ms' }));
    r.emit({ ...save(1), durationMs: 1500, size: 3 });
    const registry = new Registry();
    expose(r, { registry, includeStats: false });
    const p = await scrape(registry);
    expect(valueOf(p, 'a_seconds')).toBe(1.5);
    expect(valueOf(p, 'b_seconds')).toBe(1500);
    expect(valueOf(p, 'c_bytes')).toBe(3);
    expect(valueOf(p, 'd')).toBe(3);
    expect(valueOf(p, 'e')).toBe(3);
    expect(valueOf(p, 'f_celsius')).toBe(3);
    expect(valueOf(p, 'g_bytes')).toBe(3072);
    expect(valueOf(p, 'h')).toBe(3);
    expect(valueOf(p, 'save_seconds_total')).toBe(1.5);
    expect(promtoolCheck(await registry.metrics())).toEqual({ status: 0, output: '' });
  });

  it('names and label names are made valid; reserved and clashing label names get `exported_`', async () => {
    const provider: RecorderReadingsProvider = {
      readRecorders: () => [
        reading('r', {
          '9lives.HTTPRequests-per/route': counterSnapshot('9lives.HTTPRequests-per/route', [
            { labels: { userId: 'u"1\\\n', le: 'x', recorder: 'mine', é: 'accent' }, total: 2 },
          ]),
        }),
      ],
    };
    const registry = new Registry();
    expose(provider, { registry, includeStats: false });
    const text = await registry.metrics();
    const p = parseExposition(text);
    expect(samplesOf(p, '_9lives_http_requests_per_route_total')).toEqual([
      {
        name: '_9lives_http_requests_per_route_total',
        labels: {
          recorder: 'r',
          user_id: 'u"1\\\n',
          exported_le: 'x',
          exported_recorder: 'mine',
          label: 'accent',
        },
        value: 2,
      },
    ]);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('two metrics of one recorder that sanitise to one name: the first wins, the other is counted and logged', async () => {
    const sink = new MemorySink();
    const logContext = LogContext.root({ namespace: 'app', sink });
    const r = recorder();
    r.registerMetric(k.counter({ name: 'a.b', on: 'save' }));
    r.registerMetric(k.counter({ name: 'a_b', on: 'save', value: 'size' }));
    r.emit(save(1));
    const registry = new Registry();
    expose(r, { registry, logContext });
    let p = await scrape(registry);
    expect(valueOf(p, 'a_b_total')).toBe(1);
    expect(valueOf(p, 'mvx_exporter_errors_total', { metric: 'a_b', reason: 'name_collision' })).toBe(1);
    p = await scrape(registry);
    expect(valueOf(p, 'mvx_exporter_errors_total', { metric: 'a_b', reason: 'name_collision' })).toBe(2);
    const logged = sink.events.filter((e) => e.meta.eventName === 'prometheus_exporter.metric_skipped');
    expect(logged).toHaveLength(1); // once when it starts failing, not at every scrape
    expect(logged[0]!.level).toBe('warning');
    expect(logged[0]!.payload).toMatchObject({ recorderId: 'docs', metric: 'a_b', reason: 'name_collision' });
  });

  it('prefix and constant labels apply to every series, health included', async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    r.emit(save(1));
    const registry = new Registry();
    expose(r, { registry, prefix: 'myapp_', labels: { service: 'docs', zone: 'a' } });
    const p = await scrape(registry);
    expect(valueOf(p, 'myapp_saves_total')).toBe(1);
    for (const s of p.samples) {
      expect(s.name.startsWith('myapp_')).toBe(true);
      expect(s.labels).toMatchObject({ service: 'docs', zone: 'a' });
    }
    expect(valueOf(p, 'myapp_mvx_recorder_events_offered_total', { recorder: 'docs' })).toBe(1);
  });

  it('validates every argument, naming it', () => {
    const r = recorder();
    const registry = new Registry();
    expect(() => exposeToPrometheus({} as never, { registry })).toThrow(/`source`/);
    expect(() => exposeToPrometheus(null as never)).toThrow(TypeError);
    expect(() => exposeToPrometheus(r, { registry, nope: 1 } as never)).toThrow(/Unknown option "nope"/);
    expect(() => exposeToPrometheus(r, 'x' as never)).toThrow(/`options`/);
    expect(() => exposeToPrometheus(r, { registry: {} as never })).toThrow(/`options.registry`/);
    expect(() => exposeToPrometheus(r, { registry, prefix: 1 as never })).toThrow(TypeError);
    expect(() => exposeToPrometheus(r, { registry, prefix: '9x' })).toThrow(RangeError);
    expect(() => exposeToPrometheus(r, { registry, prefix: 'a-b' })).toThrow(/`options.prefix`/);
    expect(() => exposeToPrometheus(r, { registry, labels: [] as never })).toThrow(/`options.labels`/);
    expect(() => exposeToPrometheus(r, { registry, labels: { 'a-b': 'x' } })).toThrow(RangeError);
    expect(() => exposeToPrometheus(r, { registry, labels: { __x: 'x' } })).toThrow(RangeError);
    expect(() => exposeToPrometheus(r, { registry, labels: { recorder: 'x' } })).toThrow(
      /set by the exporter/,
    );
    expect(() => exposeToPrometheus(r, { registry, labels: { a: 1 as never } })).toThrow(
      /`options.labels.a`/,
    );
    const throwing = Object.defineProperty({}, 'a', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => exposeToPrometheus(r, { registry, labels: throwing })).toThrow(/options.labels.a/);
    expect(() => exposeToPrometheus(r, { registry, includeStats: 'no' as never })).toThrow(
      /`options.includeStats`/,
    );
    expect(() => exposeToPrometheus(r, { registry, logContext: {} as never })).toThrow(
      /`options.logContext`/,
    );
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => exposeToPrometheus(r, trap as never)).toThrow(TypeError);
    expect(registry.getMetricsAsArray()).toEqual([]); // nothing registered by a refused call
  });
});

describe('exposeToPrometheus: stats, lifecycle and registries', () => {
  it('exports recorder health: counters, gauges and the state enum', async () => {
    const r = new MetricsRecorder<Save>('small', { capacity: 2 });
    recorders.push(r);
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    await r.start();
    await r.stop();
    r.emit(save(1)); // rejected: stopped
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    const l = { recorder: 'small' };
    expect(valueOf(p, 'mvx_recorder_events_offered_total', l)).toBe(1);
    expect(valueOf(p, 'mvx_recorder_events_rejected_total', l)).toBe(1);
    expect(valueOf(p, 'mvx_recorder_events_dropped_total', l)).toBe(0);
    expect(valueOf(p, 'mvx_recorder_capacity_events', l)).toBe(2);
    expect(valueOf(p, 'mvx_recorder_pending_events', l)).toBe(0);
    const states = samplesOf(p, 'mvx_recorder_state', l);
    expect(states.map((s) => s.labels['state'])).toEqual([
      'virgin',
      'starting',
      'running',
      'stopping',
      'stopped',
      'failure',
      'disposed',
    ]);
    expect(states.filter((s) => s.value === 1).map((s) => s.labels['state'])).toEqual(['stopped']);
    expect(valueOf(p, 'mvx_recorder_start_time_seconds', l)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(valueOf(p, 'mvx_metric_refused_total', { ...l, metric: 'saves' })).toBe(0);
  });

  it('drops are never silent: dropped events show in the health series', async () => {
    const r = new MetricsRecorder<Save>('tiny', { capacity: 1 });
    recorders.push(r);
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    await r.start();
    for (let i = 0; i < 5; i++) r.emit(save(i)); // one pending slot: the rest are dropped
    const registry = new Registry();
    expose(r, { registry });
    const p = await scrape(registry);
    const dropped = valueOf(p, 'mvx_recorder_events_dropped_total', { recorder: 'tiny' });
    expect(dropped).toBeGreaterThan(0);
    expect(valueOf(p, 'saves_total') + dropped).toBe(5);
  });

  it('includeStats: false exports only the metrics (and the exporter errors)', async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    r.emit(save(1));
    const registry = new Registry();
    expose(r, { registry, includeStats: false });
    const text = await registry.metrics();
    expect(text).not.toMatch(/mvx_recorder|mvx_metric_/);
    expect(parseExposition(text).types.get('mvx_exporter_errors_total')).toBe('counter');
    expect(valueOf(parseExposition(text), 'saves_total')).toBe(1);
  });

  it('a lone recorder gets the `recorder` label of its entity id, like a runtime recorder', async () => {
    const lone = recorder('jobs');
    lone.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    lone.emit(save(1));
    const rt = await runtime();
    const hosted = await rt.createRecorder<Save>('jobs', { entityId: 'entity-of-jobs' });
    hosted.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    hosted.emit(save(1));
    const a = new Registry();
    const b = new Registry();
    expose(lone, { registry: a });
    expose(rt, { registry: b });
    expect(samplesOf(await scrape(a), 'saves_total')).toEqual(samplesOf(await scrape(b), 'saves_total'));
  });

  it('recorders created or removed later appear and disappear at the next scrape', async () => {
    const rt = await runtime();
    const registry = new Registry();
    expose(rt, { registry });
    expect(samplesOf(await scrape(registry), 'mvx_recorder_events_offered_total')).toEqual([]);
    const a = await rt.createRecorder<Save>('a');
    a.registerMetric(k.counter({ name: 'only.in.a', on: 'save' }));
    a.emit(save(1));
    let p = await scrape(registry);
    expect(valueOf(p, 'only_in_a_total', { recorder: 'a' })).toBe(1);
    const b = await rt.createRecorder<Save>('b');
    b.registerMetric(k.histogram({ name: 'only.in.b', on: 'save', value: 'size', buckets: [1] }));
    b.emit(save(2));
    p = await scrape(registry);
    expect(valueOf(p, 'only_in_b_count', { recorder: 'b' })).toBe(1);
    expect(samplesOf(p, 'mvx_recorder_events_offered_total').map((s) => s.labels['recorder'])).toEqual([
      'a',
      'b',
    ]);
    await rt.stopAndRemoveRecorder('a');
    p = await scrape(registry);
    expect(p.types.has('only_in_a_total')).toBe(false);
    expect(samplesOf(p, 'mvx_recorder_events_offered_total').map((s) => s.labels['recorder'])).toEqual(['b']);
    await rt.shutdown();
    p = await scrape(registry);
    expect(p.types.has('only_in_b')).toBe(false);
    expect(samplesOf(p, 'mvx_recorder_events_offered_total')).toEqual([]);
  });

  it('close() unregisters everything it added, is idempotent, and leaves other metrics alone', async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    const registry = new Registry();
    const own = new Counter({ name: 'own_total', help: 'mine', registers: [registry] });
    own.inc();
    const exposure = exposeToPrometheus(r, { registry });
    expect(registry.getMetricsAsArray().length).toBeGreaterThan(1);
    exposure.close();
    exposure.close();
    expect(registry.getMetricsAsArray()).toEqual([own]);
    expect(Object.hasOwn(registry, 'getMetricsAsArray')).toBe(false);
    expect(await registry.metrics()).toBe('# HELP own_total mine\n# TYPE own_total counter\nown_total 1\n');
  });

  it('works with an OpenMetrics registry: counters get `_total` once, the output ends with # EOF', async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'saves', on: 'save', by: ['region'] }));
    r.registerMetric(
      k.histogram({ name: 'lat', on: 'save', value: 'durationMs', unit: 'ms', buckets: [10] }),
    );
    r.emit(save(1));
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expose(r, { registry });
    for (let scrapeNo = 0; scrapeNo < 2; scrapeNo++) {
      const text = await registry.metrics();
      expect(text.endsWith('# EOF\n')).toBe(true);
      expect(text).toContain('# TYPE saves counter\nsaves_total{recorder="docs",region="eu"} 1');
      expect(text).not.toContain('_total_total');
      expect(text).toContain('lat_seconds_bucket{le="+Inf",recorder="docs"} 1');
      expect(text).toContain('# TYPE mvx_recorder_events_offered counter');
    }
    // The same source in a Prometheus-format registry keeps its names.
    const classic = new Registry();
    expose(r, { registry: classic });
    expect(await classic.metrics()).toContain(
      '# TYPE saves_total counter\nsaves_total{recorder="docs",region="eu"} 1',
    );
  });

  it('works with an AggregatorRegistry: every family carries an aggregator prom-client knows', async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    r.registerMetric(k.quantiles({ name: 'lat', on: 'save', value: 'durationMs' }));
    r.emit(save(1));
    const registry = new AggregatorRegistry();
    expose(r, { registry });
    const json = await registry.getMetricsAsJSON();
    expect(json.length).toBeGreaterThan(5);
    for (const m of json) expect(['sum', 'max', 'min']).toContain((m as { aggregator: string }).aggregator);
    const merged = AggregatorRegistry.aggregate([json, json]);
    expect(await merged.getSingleMetricAsString('saves_total')).toContain('saves_total{recorder="docs"} 2');
    expect(await merged.getSingleMetricAsString('mvx_recorder_state')).toContain('state="running"} 1');
  });

  it("uses prom-client's global registry by default", async () => {
    const r = recorder();
    r.registerMetric(k.counter({ name: 'global.saves', on: 'save' }));
    r.emit(save(1));
    const exposure = exposeToPrometheus(r);
    try {
      expect(valueOf(parseExposition(await globalRegister.metrics()), 'global_saves_total')).toBe(1);
    } finally {
      exposure.close();
    }
    expect(globalRegister.getSingleMetric('global_saves_total')).toBeUndefined();
  });

  it('gives a clear error when prom-client is missing and no registry is given', () => {
    jest.isolateModules(() => {
      jest.doMock('prom-client', () => {
        const error = new Error("Cannot find module 'prom-client' from 'loadPromClient.ts'") as Error & {
          code: string;
        };
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      });
      const entry = require('mvx-common/prometheus') as typeof promEntry;
      const { MetricsRecorder: IsolatedRecorder } = require('mvx-common') as typeof core;
      const r = new IsolatedRecorder('x');
      let thrown: unknown;
      try {
        entry.exposeToPrometheus(r);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(entry.PeerDependencyMissingError);
      expect((thrown as InstanceType<typeof PeerDependencyMissingError>).code).toBe(
        'PEER_DEPENDENCY_MISSING',
      );
      expect((thrown as Error).message).toMatch(
        /mvx-common\/prometheus needs the optional peer dependency prom-client \(\^15\).*npm install prom-client/,
      );
      // With an explicit registry, prom-client is not needed at all.
      const registry = {
        registerMetric() {},
        removeSingleMetric() {},
        getSingleMetric() {},
        getMetricsAsArray: () => [],
      };
      entry.exposeToPrometheus(r, { registry: registry as never }).close();
      jest.dontMock('prom-client');
    });
  });
});

describe('exposeToPrometheus: several exposures in one registry', () => {
  it('merges families of exposures told apart by constant labels; close() of one keeps the others', async () => {
    const a = recorder('jobs');
    const b = recorder('jobs');
    for (const r of [a, b]) r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    a.emit(save(1));
    b.emit(save(1));
    b.emit(save(2));
    const registry = new Registry();
    const ea = expose(a, { registry, labels: { process: 'main' } });
    expose(b, { registry, labels: { process: 'worker' } });
    let p = await scrape(registry);
    expect(valueOf(p, 'saves_total', { process: 'main' })).toBe(1);
    expect(valueOf(p, 'saves_total', { process: 'worker' })).toBe(2);
    expect(promtoolCheck(await registry.metrics()).status).toBe(0);
    ea.close();
    p = await scrape(registry);
    expect(samplesOf(p, 'saves_total').map((s) => s.labels['process'])).toEqual(['worker']);
  });

  it("refuses an exposure whose series duplicate another exposure's, naming the metric", () => {
    const a = recorder('jobs');
    const b = recorder('jobs');
    for (const r of [a, b]) r.registerMetric(k.counter({ name: 'saves', on: 'save' }));
    const registry = new Registry();
    expose(a, { registry });
    const before = registry.getMetricsAsArray().length;
    let error: unknown;
    try {
      exposeToPrometheus(b, { registry });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PrometheusConflictError);
    expect((error as PrometheusConflictError).code).toBe('PROMETHEUS_CONFLICT');
    expect((error as PrometheusConflictError).metricNames).toContain('saves_total');
    expect((error as Error).message).toMatch(/`saves_total`/);
    expect(registry.getMetricsAsArray()).toHaveLength(before);
  });

  it('refuses an exposure whose family is registered by other code; later clashes are skipped and counted', async () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'app counter', registers: [registry] }).inc(5);
    const r = recorder();
    r.registerMetric(k.counter({ name: 'jobs', on: 'save' }));
    expect(() => exposeToPrometheus(r, { registry })).toThrow(
      /`jobs_total`.*already registered by another metric/,
    );
    const late = recorder('late');
    expose(late, { registry });
    late.registerMetric(k.counter({ name: 'jobs', on: 'save' }));
    late.emit(save(1));
    await late.flush();
    const p = await scrape(registry);
    expect(samplesOf(p, 'jobs_total')).toEqual([{ name: 'jobs_total', labels: {}, value: 5 }]);
    expect(valueOf(p, 'mvx_exporter_errors_total', { metric: 'jobs', reason: 'name_taken' })).toBe(1);
  });
});

function reading(recorderId: string, snapshots: Record<string, unknown>) {
  return {
    recorderId,
    entityId: recorderId,
    namespace: 'test',
    state: 'running' as const,
    stats: undefined,
    startTime: undefined,
    snapshots: snapshots as never,
  };
}

function counterSnapshot(name: string, series: { labels: Record<string, string>; total: number }[]) {
  return {
    name,
    kind: 'counter',
    dimensions: { total: series.reduce((a, s) => a + s.total, 0), refused: 0, overflow: 0, series },
  };
}
