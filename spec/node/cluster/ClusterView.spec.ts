import fc from 'fast-check';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  readSnapshotSource,
  upDownCounter,
  type MetricEvent,
  type RecorderReading,
} from 'mvx-common';
// Internal on purpose: the primary's merged view behind clusterSnapshotSource, tested without a cluster.
import { ClusterView } from '../../../lib/node/cluster/ClusterView.js';

type Job = MetricEvent & { type: 'job'; region: string; ms: number; delta: number };

/** One worker's recorder `jobs`: a labelled counter, a histogram, an up-down counter, a gauge, a custom counter. */
function workerRecorder(): MetricsRecorder<Job> {
  const r = new MetricsRecorder<Job>('jobs');
  r.registerMetric(counter<Job>({ name: 'jobs.done', on: 'job', by: ['region'] }));
  r.registerMetric(histogram<Job>({ name: 'jobs.ms', on: 'job', value: 'ms', buckets: [10, 100] }));
  r.registerMetric(upDownCounter<Job>({ name: 'jobs.in_flight', on: 'job', value: 'delta' }));
  r.registerMetric(gauge<Job>({ name: 'jobs.last_ms', on: 'job', value: 'ms' }));
  r.registerMetric(
    defineMetric({
      name: 'jobs.custom',
      kind: 'counter',
      accepts: (e: MetricEvent): e is Job => e.type === 'job',
      init: () => ({ total: 0 }),
      reduce: (s) => ({ total: s.total + 1 }),
      dimensions: (s) => s,
    }),
  );
  return r;
}

const readingOf = (r: MetricsRecorder<Job>): RecorderReading[] =>
  JSON.parse(JSON.stringify(readSnapshotSource(r)));
const merged = (view: ClusterView) => view.read().find((r) => r.labels === undefined)!;
const dims = (r: RecorderReading, name: string) =>
  r.snapshots[name]?.dimensions as Record<string, unknown> | undefined;

describe('ClusterView', () => {
  it('merges built-in metrics and sums stats across workers; custom metrics stay per worker', async () => {
    const [a, b] = [workerRecorder(), workerRecorder()];
    for (let i = 0; i < 3; i++) a.emit({ type: 'job', region: 'eu', ms: 5, delta: 1 });
    for (let i = 0; i < 5; i++) b.emit({ type: 'job', region: i % 2 ? 'eu' : 'us', ms: 50, delta: 1 });
    await a.flush();
    await b.flush();
    const view = new ClusterView();
    view.update('1', readingOf(a));
    view.update('2', readingOf(b));
    const m = merged(view);
    expect(m.recorderId).toBe('jobs');
    expect(dims(m, 'jobs.done')).toMatchObject({
      total: 8,
      series: [
        { labels: { region: 'eu' }, total: 5 },
        { labels: { region: 'us' }, total: 3 },
      ],
    });
    expect(dims(m, 'jobs.ms')).toMatchObject({ count: 8, counts: [3, 5, 0] });
    expect(dims(m, 'jobs.in_flight')).toMatchObject({ value: 8 });
    expect(m.stats).toMatchObject({ offered: 8, processed: 8, capacity: 20_000 });
    expect(m.state).toBe('running');
    expect(m.snapshots['jobs.custom']).toBeUndefined();
    const perWorker = view.read().filter((r) => r.labels !== undefined);
    expect(perWorker.map((r) => [r.labels, dims(r, 'jobs.custom'), r.stats])).toEqual([
      [{ worker: '1' }, { total: 3 }, undefined],
      [{ worker: '2' }, { total: 5 }, undefined],
    ]);
    expect(Object.isFrozen(m.snapshots['jobs.done']!.dimensions)).toBe(true);
    expect(view.read()).toBe(view.read()); // cached until something changes
    await a.dispose();
    await b.dispose();
  });

  it('a retired worker keeps its monotonic counts; its gauges and up-down counters leave; pending become dropped', async () => {
    const [a, b] = [workerRecorder(), workerRecorder()];
    for (let i = 0; i < 4; i++) a.emit({ type: 'job', region: 'eu', ms: 5, delta: 1 });
    b.emit({ type: 'job', region: 'eu', ms: 500, delta: 1 });
    await a.flush();
    await b.flush();
    const view = new ClusterView();
    const ra = readingOf(a);
    // Pretend worker 1 had 2 events pending when it last reported.
    view.update('1', [
      {
        ...ra[0]!,
        stats: {
          ...ra[0]!.stats!,
          pending: 2,
          offered: ra[0]!.stats!.offered + 2,
          accepted: ra[0]!.stats!.accepted + 2,
        },
      },
    ]);
    view.update('2', readingOf(b));
    view.retire('1');
    view.retire('1'); // twice: nothing more
    const m = merged(view);
    expect(dims(m, 'jobs.done')).toMatchObject({ total: 5 });
    expect(dims(m, 'jobs.ms')).toMatchObject({ count: 5 });
    expect(dims(m, 'jobs.in_flight')).toMatchObject({ value: 1 }); // only the live worker
    expect(dims(m, 'jobs.last_ms')).toMatchObject({ last: 500 });
    expect(m.stats).toMatchObject({ offered: 7, processed: 5, dropped: 2, pending: 0, capacity: 10_000 });
    expect(
      view
        .read()
        .filter((r) => r.labels)
        .map((r) => [r.labels!['worker'], dims(r, 'jobs.custom')]),
    ).toEqual([
      ['2', { total: 1 }],
      ['1', { total: 4 }],
    ]);
    view.retire('2');
    const gone = merged(view);
    expect(dims(gone, 'jobs.done')).toMatchObject({ total: 5 });
    expect(gone.snapshots['jobs.in_flight']).toBeUndefined();
    expect(gone.state).toBeUndefined();
    await a.dispose();
    await b.dispose();
  });

  it('snapshots that cannot be merged (different bounds) fall back to per-worker readings', () => {
    const snap = (bounds: number[]) => ({
      name: 'h',
      kind: 'histogram' as const,
      dimensions: {
        bounds,
        count: 1,
        sum: 1,
        min: 1,
        max: 1,
        counts: [1, ...bounds.map(() => 0)],
        refused: 0,
        overflow: 0,
        series: [],
      },
    });
    const reading = (s: unknown): RecorderReading => ({
      recorderId: 'r',
      entityId: 'r',
      namespace: 'n',
      state: 'running',
      stats: undefined,
      startTime: 5,
      snapshots: { h: s } as never,
    });
    const view = new ClusterView();
    view.update('1', [reading(snap([1, 2]))]);
    view.update('2', [reading(snap([1, 3]))]);
    const all = view.read();
    expect(all[0]!.snapshots['h']).toBeUndefined();
    expect(all.slice(1).map((r) => r.labels)).toEqual([{ worker: '1' }, { worker: '2' }]);
  });

  it("model: merged counters equal the sum of every worker's last report and never go backwards", () => {
    type Step =
      { kind: 'emit'; worker: number; n: number; region: string } | { kind: 'exit'; worker: number };
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('emit' as const),
        worker: fc.integer({ min: 0, max: 3 }),
        n: fc.integer({ min: 0, max: 5 }),
        region: fc.constantFrom('eu', 'us', 'ap'),
      }),
      fc.record({ kind: fc.constant('exit' as const), worker: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps: Step[]) => {
        const view = new ClusterView();
        // Worker generations: an exited worker id is replaced by a fresh worker (new id, counts from 0).
        const generation = [0, 0, 0, 0];
        const counts = new Map<string, Map<string, number>>(); // worker id → region → count (last reported)
        let before = new Map<string, number>();
        for (const s of steps) {
          const id = `${s.worker}.${generation[s.worker]}`;
          if (s.kind === 'exit') {
            view.retire(id);
            generation[s.worker]!++;
          } else {
            const c = counts.get(id) ?? new Map<string, number>();
            c.set(s.region, (c.get(s.region) ?? 0) + s.n);
            counts.set(id, c);
            const series = [...c]
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([region, total]) => ({ labels: { region }, total }));
            view.update(id, [
              {
                recorderId: 'jobs',
                entityId: 'jobs',
                namespace: 'n',
                state: 'running',
                stats: undefined,
                startTime: undefined,
                snapshots: {
                  done: {
                    name: 'done',
                    kind: 'counter',
                    dimensions: {
                      total: series.reduce((a, x) => a + x.total, 0),
                      refused: 0,
                      overflow: 0,
                      series,
                    },
                  },
                },
              },
            ]);
          }
          const now = new Map<string, number>();
          const m = view.read().find((r) => r.labels === undefined);
          for (const sr of (
            m?.snapshots['done']?.dimensions as { series?: { labels: { region: string }; total: number }[] }
          )?.series ?? []) {
            now.set(sr.labels.region, sr.total);
          }
          const expected = new Map<string, number>();
          for (const c of counts.values())
            for (const [region, n] of c) expected.set(region, (expected.get(region) ?? 0) + n);
          for (const [region, n] of expected) expect(now.get(region) ?? 0).toBe(n);
          for (const [region, n] of before) expect(now.get(region) ?? 0).toBeGreaterThanOrEqual(n);
          before = now;
        }
      }),
      { numRuns: 200 },
    );
  });
});
