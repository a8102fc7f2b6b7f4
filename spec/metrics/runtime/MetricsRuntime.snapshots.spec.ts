import { MetricsRuntime } from 'mvx-common';
import { collect } from 'mvx-common/testing';
import { tick } from '../../helpers/wait.js';
import { saveAttempts, type SaveAttempt } from '../../helpers/runtimeFixtures.js';

describe('MetricsRuntime.snapshots$', () => {
  it('keys every recorder snapshots by recorder id, coalesced, with added and removed recorders', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const seen = collect(runtime.snapshots$);
    expect(seen.values).toEqual([{}]);

    const a = await runtime.createRecorder<SaveAttempt>('a');
    const b = await runtime.createRecorder<SaveAttempt>('b');
    a.registerMetric(saveAttempts);
    b.registerMetric(saveAttempts);
    await tick();
    expect(Object.keys(seen.last!)).toEqual(['a', 'b']);
    const before = seen.values.length;

    for (let i = 0; i < 100; i++) {
      a.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
      b.emit({ type: 'document_storage.save.attempt', outcome: 'failure' });
    }
    await tick();
    // 200 events over two recorders: far fewer emissions than events (one per turn).
    expect(seen.values.length - before).toBeLessThanOrEqual(2);
    expect(seen.last!['a']!['document_storage.save.attempts']!.dimensions).toEqual({
      total: 100,
      success_total: 100,
      failure_total: 0,
    });
    expect(seen.last!['b']!['document_storage.save.attempts']!.dimensions).toMatchObject({
      failure_total: 100,
    });

    await runtime.stopAndRemoveRecorder('a');
    await tick();
    expect(Object.keys(seen.last!)).toEqual(['b']);

    await runtime.shutdown();
    expect(seen.last).toEqual({});
    expect(seen.completed).toBe(true);
  });

  it('replays the latest map to late subscribers', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const recorder = await runtime.createRecorder('a');
    recorder.registerMetric(saveAttempts);
    await tick();
    const late = collect(runtime.snapshots$);
    expect(Object.keys(late.values[0]!)).toEqual(['a']);
    await runtime.shutdown();
  });

  it('a first subscriber after unobserved activity gets the current values at once', async () => {
    const runtime = new MetricsRuntime({ namespace: 'test' });
    await runtime.start();
    const recorder = await runtime.createRecorder<SaveAttempt>('a');
    recorder.registerMetric(saveAttempts);
    for (let i = 0; i < 7; i++) recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
    await recorder.flush(); // processed while nobody watched the runtime's map
    const seen = collect(runtime.snapshots$);
    expect(seen.values).toHaveLength(1);
    expect(seen.values[0]!['a']!['document_storage.save.attempts']!.dimensions).toMatchObject({ total: 7 });
    seen.unsubscribe();
    recorder.emit({ type: 'document_storage.save.attempt', outcome: 'failure' });
    await recorder.flush();
    const again = collect(runtime.snapshots$);
    expect(again.values[0]!['a']!['document_storage.save.attempts']!.dimensions).toMatchObject({ total: 8 });
    again.unsubscribe();
    await runtime.shutdown();
  });
});
