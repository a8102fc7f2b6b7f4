/**
 * Two real node:cluster workers share their snapshots with this process (the primary), which merges
 * them and exposes them through exposeToPrometheus; one worker is then killed.
 */
import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { clusterSnapshotSource, isClusterSnapshotsMessage, type ClusterSnapshots } from 'mvx-common/node';
import { exposeToPrometheus, type PrometheusExposure } from 'mvx-common/prometheus';
import { parseExposition, samplesOf, valueOf, type ParsedExposition } from '../../helpers/promText.js';

const fixture = join(__dirname, '..', 'fixtures', 'clusterWorker.cjs');

function appMessage(worker: Worker, app: string, ms = 30_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${worker.id}: no '${app}' message`)), ms);
    const onMessage = (message: unknown) => {
      if (isClusterSnapshotsMessage(message)) return; // mvx-common's traffic, not the app's
      if ((message as { app?: unknown })?.app === app) {
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(message as Record<string, unknown>);
      }
    };
    worker.on('message', onMessage);
    worker.once('exit', (code) => reject(new Error(`worker ${worker.id} exited with ${code}`)));
  });
}

/** Expected per-outcome counts of the fixture's `n` jobs. */
const failures = (n: number) => Math.ceil(n / 3);

describe('node:cluster workers merged in the primary', () => {
  let merged: ClusterSnapshots | undefined;
  let exposure: PrometheusExposure | undefined;
  const workers: Worker[] = [];

  afterAll(async () => {
    exposure?.close();
    merged?.close();
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGKILL');
          }),
      ),
    );
  });

  it('exposes merged totals; a killed worker keeps its counts; counters never go backwards', async () => {
    merged = clusterSnapshotSource();
    const registry = new Registry();
    exposure = exposeToPrometheus(merged, { registry });
    cluster.setupPrimary({ exec: fixture, silent: false });
    const a = cluster.fork({ MVX_COUNT: '300' });
    const b = cluster.fork({ MVX_COUNT: '500' });
    workers.push(a, b);
    await Promise.all([appMessage(a, 'ready'), appMessage(b, 'ready')]);
    const scrape = async (): Promise<ParsedExposition> => parseExposition(await registry.metrics());

    let p = await scrape();
    expect(valueOf(p, 'jobs_done_total', { recorder: 'jobs', outcome: 'failure' })).toBe(
      failures(300) + failures(500),
    );
    expect(valueOf(p, 'jobs_done_total', { recorder: 'jobs', outcome: 'success' })).toBe(
      800 - failures(300) - failures(500),
    );
    expect(valueOf(p, 'jobs_duration_seconds_count', { recorder: 'jobs' })).toBe(800);
    expect(valueOf(p, 'jobs_in_flight', { recorder: 'jobs' })).toBe(800);
    expect(valueOf(p, 'mvx_recorder_events_processed_total', { recorder: 'jobs' })).toBe(800);
    expect(valueOf(p, 'mvx_recorder_capacity_events', { recorder: 'jobs' })).toBe(20_000);
    // The custom metric cannot be merged: one series per worker.
    expect(
      samplesOf(p, 'jobs_custom_total')
        .map((s) => [s.labels['worker'], s.value])
        .sort(),
    ).toEqual([
      [String(a.id), 300],
      [String(b.id), 500],
    ]);

    // Kill worker a: its counts stay, its up-down counter leaves with it.
    await new Promise<void>((resolve) => {
      a.once('exit', () => resolve());
      a.process.kill('SIGKILL');
    });
    await new Promise((r) => setImmediate(r));
    p = await scrape();
    expect(valueOf(p, 'jobs_done_total', { recorder: 'jobs', outcome: 'failure' })).toBe(
      failures(300) + failures(500),
    );
    expect(valueOf(p, 'jobs_duration_seconds_count', { recorder: 'jobs' })).toBe(800);
    expect(valueOf(p, 'mvx_recorder_events_processed_total', { recorder: 'jobs' })).toBe(800);
    expect(valueOf(p, 'jobs_in_flight', { recorder: 'jobs' })).toBe(500);
    expect(valueOf(p, 'mvx_recorder_capacity_events', { recorder: 'jobs' })).toBe(10_000);
    expect(valueOf(p, 'jobs_custom_total', { worker: String(a.id) })).toBe(300);
    expect(merged.listWorkers().find((w) => w.workerId === String(a.id))?.alive).toBe(false);

    // The survivor keeps counting on top.
    b.send({ app: 'more', n: 30 });
    await appMessage(b, 'flushed');
    p = await scrape();
    expect(valueOf(p, 'jobs_duration_seconds_count', { recorder: 'jobs' })).toBe(830);
    expect(valueOf(p, 'jobs_custom_total', { worker: String(b.id) })).toBe(530);
  }, 60_000);
});
