import { counter, MetricsRecorder, MetricsRuntime, readSnapshotSource, type MetricEvent } from 'mvx-common';
// Internal on purpose: checkSnapshotSource, the adapters' argument check.
import { checkSnapshotSource } from '../../../lib/metrics/source/snapshotSource.js';

const hit: MetricEvent = { type: 'hit' };

describe('readSnapshotSource', () => {
  it('reads a lone recorder under its entity id, with state, stats, start time and snapshots', async () => {
    const recorder = new MetricsRecorder('lone', { namespace: 'ns' });
    recorder.registerMetric(counter({ name: 'hits', on: 'hit' }));
    expect(readSnapshotSource(recorder)).toEqual([
      expect.objectContaining({ recorderId: 'lone', entityId: 'lone', namespace: 'ns', state: 'virgin' }),
    ]);
    expect(readSnapshotSource(recorder)[0]!.startTime).toBeUndefined();
    const before = Date.now();
    await recorder.start();
    recorder.emit(hit);
    recorder.emit(hit);
    const [reading] = readSnapshotSource(recorder);
    expect(reading!.state).toBe('running');
    expect(reading!.startTime).toBeGreaterThanOrEqual(before);
    expect(reading!.stats).toMatchObject({ offered: 2, processed: 2, pending: 0 });
    expect(reading!.snapshots['hits']!.dimensions).toMatchObject({ total: 2 });
    const started = reading!.startTime;
    await recorder.stop();
    await recorder.start();
    expect(readSnapshotSource(recorder)[0]!.startTime).toBe(started);
    await recorder.dispose();
    expect(readSnapshotSource(recorder)[0]!.state).toBe('disposed');
  });

  it('reads every recorder of a running runtime in creation order, and nothing once it is closed', async () => {
    const runtime = new MetricsRuntime({ namespace: 'rt' });
    expect(readSnapshotSource(runtime)).toEqual([]);
    await runtime.start();
    const b = await runtime.createRecorder('b');
    await runtime.createRecorder('a', { entityId: 'alpha' });
    b.registerMetric(counter({ name: 'hits', on: 'hit' }));
    b.emit(hit);
    const readings = readSnapshotSource(runtime);
    expect(readings.map((r) => [r.recorderId, r.entityId, r.namespace])).toEqual([
      ['b', 'b', 'rt'],
      ['a', 'alpha', 'rt'],
    ]);
    expect(readings[0]!.snapshots['hits']!.dimensions).toMatchObject({ total: 1 });
    await runtime.stopAndRemoveRecorder('a');
    expect(readSnapshotSource(runtime).map((r) => r.recorderId)).toEqual(['b']);
    await runtime.shutdown();
    expect(readSnapshotSource(runtime)).toEqual([]);
  });

  it('checkSnapshotSource refuses anything else with a TypeError naming the parameter', () => {
    for (const bad of [null, undefined, {}, 'x', { getMetricSnapshots: () => ({}) }]) {
      expect(() => checkSnapshotSource('source', bad)).toThrow(TypeError);
      expect(() => checkSnapshotSource('source', bad)).toThrow(/`source`/);
    }
    const recorder = new MetricsRecorder('ok');
    expect(checkSnapshotSource('source', recorder)).toBe(recorder);
  });

  it('accepts a RecorderReadingsProvider: checkSnapshotSource lets it through, readSnapshotSource calls it', () => {
    const good = {
      recorderId: 'jobs',
      entityId: 'jobs',
      namespace: 'ns',
      state: 'running' as const,
      stats: undefined,
      startTime: undefined,
      snapshots: {},
      labels: { worker: '1' },
    };
    const provider = {
      readRecorders: () => [good, null, 7, { recorderId: 3, snapshots: {} }, { recorderId: 'x' }],
    };
    expect(checkSnapshotSource('source', provider)).toBe(provider);
    expect(readSnapshotSource(provider as never)).toEqual([good]);
  });

  it('never throws on a hostile provider: a throwing call, a non-array, a Proxy, a throwing getter', () => {
    const throwing = {
      readRecorders: () => {
        throw new Error('boom');
      },
    };
    const notArray = { readRecorders: () => ({ length: 1 }) };
    const getter = Object.defineProperty({}, 'readRecorders', {
      get: () => {
        throw new Error('getter');
      },
    });
    const trap = new Proxy(
      { readRecorders: () => [] },
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    const arrayTrap = {
      readRecorders: () =>
        new Proxy([], {
          get: () => {
            throw new Error('array trap');
          },
        }),
    };
    expect(readSnapshotSource(throwing)).toEqual([]);
    expect(readSnapshotSource(notArray as never)).toEqual([]);
    expect(readSnapshotSource(arrayTrap as never)).toEqual([]);
    expect(() => checkSnapshotSource('source', getter)).toThrow(/`source`/);
    expect(() => checkSnapshotSource('source', trap)).toThrow(TypeError);
    expect(readSnapshotSource(getter as never)).toEqual([]);
    expect(readSnapshotSource(trap as never)).toEqual([]);
  });
});
