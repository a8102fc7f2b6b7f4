import { EventEmitter } from 'node:events';
import { VirtualTimeScheduler } from 'rxjs';
import { counter, LogContext, MemorySink, MetricsRecorder, type MetricEvent } from 'mvx-common';
import {
  CLUSTER_SNAPSHOTS_MESSAGE,
  clusterSnapshotSource,
  isClusterSnapshotsMessage,
  shareSnapshotsWithPrimary,
  type ClusterSnapshotsMessage,
} from 'mvx-common/node';

const hit: MetricEvent = { type: 'hit' };

/** A fake worker `process`: records messages; `deliver()` completes sends (as the IPC channel would). */
class FakeProcess {
  connected = true;
  readonly sent: ClusterSnapshotsMessage[] = [];
  private pending: (() => void)[] = [];
  failWith: Error | undefined;
  send(message: unknown, callback: (error: Error | null) => void): boolean {
    this.sent.push(JSON.parse(JSON.stringify(message)) as ClusterSnapshotsMessage);
    const error = this.failWith ?? null;
    this.pending.push(() => callback(error));
    return true;
  }
  deliver(): void {
    for (const p of this.pending.splice(0)) p();
  }
}

function setup() {
  const scheduler = new VirtualTimeScheduler();
  const proc = new FakeProcess();
  const recorder = new MetricsRecorder('jobs');
  recorder.registerMetric(counter({ name: 'hits', on: 'hit' }));
  return { scheduler, proc, recorder };
}

const totalOf = (m: ClusterSnapshotsMessage | undefined) =>
  (m?.readings[0]?.snapshots['hits']?.dimensions as { total: number } | undefined)?.total;

describe('shareSnapshotsWithPrimary', () => {
  it('sends tagged, numbered readings on its interval, only when they changed, one at a time', async () => {
    const { scheduler, proc, recorder } = setup();
    await recorder.start();
    const sharing = shareSnapshotsWithPrimary(recorder, { process: proc, scheduler, intervalMs: 100 });
    recorder.emit(hit);
    const advance = (ms: number) => {
      scheduler.maxFrames = scheduler.frame + ms;
      scheduler.flush();
    };
    advance(100);
    expect(proc.sent).toHaveLength(1);
    expect(proc.sent[0]).toMatchObject({ type: CLUSTER_SNAPSHOTS_MESSAGE, version: 1, seq: 1 });
    expect(isClusterSnapshotsMessage(proc.sent[0])).toBe(true);
    expect(totalOf(proc.sent[0])).toBe(1);
    // In flight: later readings are coalesced into one message after the channel took the first.
    recorder.emit(hit);
    advance(100);
    recorder.emit(hit);
    advance(100);
    expect(proc.sent).toHaveLength(1);
    proc.deliver();
    expect(proc.sent).toHaveLength(2);
    expect(totalOf(proc.sent[1])).toBe(3);
    proc.deliver();
    advance(300); // nothing changed: nothing sent
    expect(proc.sent).toHaveLength(2);
    expect(sharing.getStats()).toMatchObject({ sent: 2, failed: 0 });
    expect(sharing.getStats().unchanged).toBeGreaterThanOrEqual(3);
    await sharing.close();
    await recorder.dispose();
  });

  it('flush() sends now and resolves once the channel took it; close() sends a last reading and stops', async () => {
    const { scheduler, proc, recorder } = setup();
    await recorder.start();
    const sharing = shareSnapshotsWithPrimary(recorder, { process: proc, scheduler, intervalMs: 60_000 });
    recorder.emit(hit);
    let flushed = false;
    const f = sharing.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    proc.deliver();
    await f;
    expect(totalOf(proc.sent[0])).toBe(1);
    await sharing.flush(); // unchanged: resolves at once
    recorder.emit(hit);
    const closing = sharing.close();
    proc.deliver();
    await closing;
    await sharing.close();
    expect(proc.sent.map(totalOf)).toEqual([1, 2]);
    recorder.emit(hit);
    scheduler.flush();
    await sharing.flush();
    expect(proc.sent).toHaveLength(2);
    await recorder.dispose();
  });

  it('a closed channel or a failing send is counted and logged once, never thrown', async () => {
    const { scheduler, proc, recorder } = setup();
    const sink = new MemorySink();
    const sharing = shareSnapshotsWithPrimary(recorder, {
      process: proc,
      scheduler,
      logContext: LogContext.root({ sink }),
    });
    proc.failWith = new Error('EPIPE');
    recorder.emit(hit);
    const f = sharing.flush();
    proc.deliver();
    await f;
    proc.connected = false;
    recorder.emit(hit);
    await sharing.flush();
    expect(sharing.getStats()).toMatchObject({ sent: 0, failed: 2 });
    expect(sink.events.map((e) => e.meta.eventName)).toEqual(['cluster_snapshots.send_failed']);
    const throwing = {
      send: () => {
        throw new Error('channel closed');
      },
    };
    const s2 = shareSnapshotsWithPrimary(recorder, { process: throwing, scheduler });
    await expect(s2.flush()).resolves.toBeUndefined();
    expect(s2.getStats().failed).toBe(1);
    await s2.close();
    await sharing.close();
    await recorder.dispose();
  });

  it('validates its arguments', () => {
    const { proc, recorder } = setup();
    expect(() => shareSnapshotsWithPrimary({} as never, { process: proc })).toThrow(/`source`/);
    expect(() => shareSnapshotsWithPrimary(recorder, { process: {} })).toThrow(
      /`options.process`.*cluster worker/,
    );
    expect(() => shareSnapshotsWithPrimary(recorder, { process: proc, intervalMs: 0 })).toThrow(RangeError);
    expect(() => shareSnapshotsWithPrimary(recorder, { process: proc, scheduler: {} as never })).toThrow(
      /`options.scheduler`/,
    );
    expect(() => shareSnapshotsWithPrimary(recorder, { process: proc, extra: 1 } as never)).toThrow(
      /Unknown option "extra"/,
    );
    expect(() => shareSnapshotsWithPrimary(recorder, { process: proc, logContext: 'x' as never })).toThrow(
      /`options.logContext`/,
    );
    // In the Jest process (not a cluster worker) there is no IPC channel by default.
    if (typeof process.send !== 'function')
      expect(() => shareSnapshotsWithPrimary(recorder)).toThrow(/cluster worker/);
  });
});

/** A fake `node:cluster` primary. */
class FakeCluster extends EventEmitter {
  isPrimary = true;
}

function message(seq: number, total: number, extra: Partial<ClusterSnapshotsMessage> = {}) {
  return {
    type: CLUSTER_SNAPSHOTS_MESSAGE,
    version: 1,
    seq,
    readings: [
      {
        recorderId: 'jobs',
        entityId: 'jobs',
        namespace: 'n',
        state: 'running',
        stats: {
          offered: total,
          accepted: total,
          processed: total,
          dropped: 0,
          rejected: 0,
          pending: 0,
          capacity: 10,
          metricErrors: 0,
        },
        startTime: 1000 + seq,
        snapshots: {
          hits: { name: 'hits', kind: 'counter', dimensions: { total, refused: 0, overflow: 0, series: [] } },
        },
      },
    ],
    ...extra,
  };
}

describe('clusterSnapshotSource', () => {
  it("merges the workers' last reports; ignores app messages, stale and invalid ones", () => {
    const c = new FakeCluster();
    const sink = new MemorySink();
    const merged = clusterSnapshotSource({ cluster: c, logContext: LogContext.root({ sink }) });
    c.emit('message', { id: 1 }, { app: 'hello' });
    c.emit('message', { id: 1 }, message(1, 3));
    c.emit('message', { id: 2 }, message(1, 4));
    c.emit('message', { id: 2 }, message(3, 6));
    c.emit('message', { id: 2 }, message(2, 5)); // older than seq 3: ignored
    c.emit('message', { id: 1 }, message(2, 9, { version: 99 }));
    c.emit('message', { id: 1 }, { type: CLUSTER_SNAPSHOTS_MESSAGE, version: 1, seq: 5, readings: 'x' });
    const [reading] = merged.readRecorders();
    expect((reading!.snapshots['hits']!.dimensions as { total: number }).total).toBe(9);
    expect(reading!.stats).toMatchObject({ offered: 9, capacity: 20 });
    expect(reading!.startTime).toBe(1001);
    expect(merged.getStats()).toEqual({ messages: 3, invalid: 2 });
    expect(merged.listWorkers().map((w) => [w.workerId, w.alive, w.seq])).toEqual([
      ['1', true, 1],
      ['2', true, 3],
    ]);
    expect(sink.events.map((e) => e.payload['workerId'])).toEqual(['1']); // logged once per worker
    c.emit('exit', { id: 1 });
    c.emit('message', { id: 1 }, message(7, 100)); // a dead worker's late message
    expect((merged.readRecorders()[0]!.snapshots['hits']!.dimensions as { total: number }).total).toBe(9);
    expect(merged.listWorkers()[0]).toMatchObject({ workerId: '1', alive: false });
    merged.close();
    merged.close();
    expect(c.listenerCount('message')).toBe(0);
    expect(c.listenerCount('exit')).toBe(0);
  });

  it('validates its options; refuses to run in a worker', () => {
    expect(() => clusterSnapshotSource({ cluster: {} as never })).toThrow(/`options.cluster`/);
    const worker = new FakeCluster();
    worker.isPrimary = false;
    expect(() => clusterSnapshotSource({ cluster: worker })).toThrow(/primary/);
    expect(() => clusterSnapshotSource({ nope: 1 } as never)).toThrow(/Unknown option/);
    expect(() => clusterSnapshotSource({ cluster: new FakeCluster(), logContext: 1 as never })).toThrow(
      /`options.logContext`/,
    );
  });
});
