import { BehaviorSubject, type Observable } from 'rxjs';
import {
  RecorderNotFoundError,
  RecorderStopError,
  RuntimeInvalidStateError,
  RuntimeShutdownError,
  type MetricEvent,
} from 'mvx-common';
// Internal on purpose: the base shared by MetricsRuntime and WorkerMetricsRuntime.
import { RuntimeBase, type RecorderKind } from '../../../lib/metrics/runtime/RuntimeBase.js';
import type { MetricSnapshots } from 'mvx-common';
import { collect } from 'mvx-common/testing';

class FakeRecorder<E extends MetricEvent = MetricEvent> {
  readonly snapshots$: Observable<MetricSnapshots> = new BehaviorSubject<MetricSnapshots>({});
  released = false;
  stops = 0;
  failStop = false;
  /** Phantom use of E so the kind is checked. */
  readonly sample?: E;
}

interface FakeKind extends RecorderKind {
  readonly recorder: FakeRecorder<this['event']>;
}

/** A minimal runtime over the base that logs its hook calls. */
class FakeRuntime extends RuntimeBase<FakeKind, FakeRecorder> {
  readonly calls: string[] = [];
  failStart: Error | undefined;

  constructor() {
    super('fake.ns', null);
  }

  add(id: string): FakeRecorder {
    this.requireRunning('create a recorder');
    const recorder = new FakeRecorder();
    this.register(id, recorder);
    return recorder;
  }

  protected override async startHost(): Promise<void> {
    this.calls.push('startHost');
    if (this.failStart) throw this.failStart;
  }

  protected override async stopHosted(id: string, recorder: FakeRecorder): Promise<void> {
    this.calls.push(`stop:${id}`);
    recorder.stops++;
    if (recorder.failStop) throw new RecorderStopError(id, { reason: 'boom' });
  }

  protected override async stopAll(
    entries: ReadonlyArray<readonly [string, FakeRecorder]>,
    wasRunning: boolean,
  ): Promise<void> {
    this.calls.push(`stopAll:${entries.map(([id]) => id).join(',')}:${wasRunning}`);
    const failed = entries.filter(([, r]) => r.failStop).map(([id]) => id);
    if (failed.length > 0) throw new RuntimeShutdownError(failed, {});
  }

  protected override releaseHosted(recorder: FakeRecorder): void {
    recorder.released = true;
  }

  protected override releaseHost(): void {
    this.calls.push(`releaseHost:${this.getStatus()}`);
  }

  protected override onClosed(): void {
    this.calls.push(`closed:${this.getStatus()}`);
  }
}

type Evt = { readonly type: 'e.x' };

describe('RuntimeBase', () => {
  it('runs the state machine through the host hooks', async () => {
    const runtime = new FakeRuntime();
    const states = collect(runtime.state$);
    expect(runtime.entityId).toBe('fake.ns');
    await Promise.all([runtime.start(), runtime.start()]);
    await runtime.shutdown();
    expect(states.values).toEqual(['virgin', 'starting', 'running', 'stopping', 'closed']);
    expect(runtime.calls).toEqual(['startHost', 'stopAll::true', 'releaseHost:stopping', 'closed:closed']);
  });

  it('ends failure when the host does not start, and still shuts down', async () => {
    const runtime = new FakeRuntime();
    runtime.failStart = new Error('no host');
    await expect(runtime.start()).rejects.toThrow('no host');
    expect(runtime.getStatus()).toBe('failure');
    await expect(runtime.start()).rejects.toBeInstanceOf(RuntimeInvalidStateError);
    await runtime.shutdown();
    expect(runtime.calls).toContain('stopAll::false');
    expect(runtime.getStatus()).toBe('closed');
  });

  it('looks recorders up by trimmed id with the kind-mapped type', async () => {
    const runtime = new FakeRuntime();
    await runtime.start();
    const a = runtime.add('a');
    const found: FakeRecorder<Evt> = runtime.getRecorder<Evt>(' a ');
    expect(found).toBe(a);
    expect(runtime.tryGetRecorder('b')).toBeUndefined();
    expect(() => runtime.getRecorder('b')).toThrow(RecorderNotFoundError);
    expect(runtime.listRecorderIds()).toEqual(['a']);
    await runtime.shutdown();
    expect(() => runtime.listRecorderIds()).toThrow(RuntimeInvalidStateError);
  });

  it('stops without removing; removes and releases even when the stop fails', async () => {
    const runtime = new FakeRuntime();
    await runtime.start();
    const a = runtime.add('a');
    await runtime.stopRecorder('a');
    expect(runtime.listRecorderIds()).toEqual(['a']);
    a.failStop = true;
    const [first, second] = await Promise.allSettled([
      runtime.stopAndRemoveRecorder('a'),
      runtime.stopAndRemoveRecorder('a'),
    ]);
    expect(first).toMatchObject({ status: 'rejected', reason: expect.any(RecorderStopError) });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(RecorderNotFoundError) });
    expect(a.released).toBe(true);
    expect(a.stops).toBe(2);
    expect(runtime.listRecorderIds()).toEqual([]);
    await runtime.shutdown();
  });

  it('releases every recorder and closes when stopAll rejects', async () => {
    const runtime = new FakeRuntime();
    await runtime.start();
    const a = runtime.add('a');
    const b = runtime.add('b');
    b.failStop = true;
    const snapshots = collect(runtime.snapshots$);
    await expect(runtime.shutdown()).rejects.toBeInstanceOf(RuntimeShutdownError);
    expect([a.released, b.released]).toEqual([true, true]);
    expect(runtime.getStatus()).toBe('closed');
    expect(snapshots.completed).toBe(true);
    await expect(runtime.shutdown()).resolves.toBeUndefined();
  });
});
