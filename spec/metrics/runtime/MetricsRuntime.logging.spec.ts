import {
  MetricsRuntime,
  RecorderNotFoundError,
  RecorderStartupError,
  RUNTIME_LOG_EVENTS,
  RuntimeInvalidStateError,
  runtimeLogPolicy,
  type MetricsLogMode,
} from 'mvx-common';
import { LogContext, MemorySink } from 'mvx-common/logger';
import { BrokenStartRecorder } from '../../helpers/runtimeFixtures.js';

const NS = 'test.runtime';

function logged(mode: MetricsLogMode = 'inspection') {
  const sink = new MemorySink();
  const ctx = LogContext.root({ namespace: 'app', sink, eventPolicy: runtimeLogPolicy(mode) });
  return { sink, ctx };
}

/** `[eventName, outcome]` of the runtime's own events. */
function trail(sink: MemorySink): ReturnType<MemorySink['trail']> {
  return sink.trail().filter(([name]) => name.startsWith('metrics_runtime.'));
}

/** Runs one scenario and reduces every step to a comparable outcome (value or error class + message). */
async function scenario(logContext: LogContext | null): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (fn: () => unknown): Promise<void> => {
    try {
      const value: unknown = await fn();
      out.push({ ok: summarize(value) });
    } catch (error) {
      out.push({ error: (error as Error).constructor.name, message: (error as Error).message });
    }
  };
  const summarize = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && 'entityId' in value
      ? { recorder: (value as { entityId: string }).entityId }
      : value;
  const runtime = new MetricsRuntime({ namespace: NS, logContext });
  await step(() => runtime.getRecorder('a'));
  await step(() => runtime.start());
  await step(() => runtime.createRecorder('a', { capacity: 8 }));
  await step(() => runtime.createRecorder('a'));
  await step(() => runtime.createRecorder('  '));
  await step(() => runtime.createRecorder('broken', { factory: (id, o) => new BrokenStartRecorder(id, o) }));
  await step(() => runtime.getRecorder('a'));
  await step(() => runtime.getRecorder('missing'));
  await step(() => runtime.tryGetRecorder('missing'));
  await step(() => runtime.listRecorderIds());
  await step(() => runtime.stopRecorder('a'));
  await step(() => runtime.stopRecorder('missing'));
  await step(() => runtime.stopAndRemoveRecorder('a'));
  await step(() => runtime.stopAndRemoveRecorder('a'));
  await step(() => runtime.shutdown());
  await step(() => runtime.shutdown());
  await step(() => runtime.start());
  return out;
}

describe('MetricsRuntime logging', () => {
  it('validates options.logContext and exposes it through getLogContext()', () => {
    expect(new MetricsRuntime({ namespace: NS }).getLogContext()).toBeNull();
    expect(new MetricsRuntime({ namespace: NS, logContext: null }).getLogContext()).toBeNull();
    const { ctx } = logged();
    expect(new MetricsRuntime({ namespace: NS, logContext: ctx }).getLogContext()).toBe(ctx);
    for (const bad of [{}, 'ctx', 1, { namespace: 'x', emit: () => true }]) {
      expect(() => new MetricsRuntime({ namespace: NS, logContext: bad as unknown as LogContext })).toThrow(
        /`options\.logContext`/,
      );
      expect(() => new MetricsRuntime({ namespace: NS, logContext: bad as unknown as LogContext })).toThrow(
        TypeError,
      );
    }
  });

  it('never changes what a method returns or throws', async () => {
    const { ctx } = logged('inspection');
    const without = await scenario(null);
    const withLogging = await scenario(ctx);
    expect(withLogging).toEqual(without);
    // the scenario does cover failures
    expect(without).toContainEqual(expect.objectContaining({ error: RecorderNotFoundError.name }));
    expect(without).toContainEqual(expect.objectContaining({ error: RecorderStartupError.name }));
    expect(without).toContainEqual(expect.objectContaining({ error: RuntimeInvalidStateError.name }));
    expect(without).toContainEqual(expect.objectContaining({ error: 'RangeError' }));
  });

  it('returns the very same objects with and without a log context', async () => {
    const { ctx } = logged();
    const runtime = new MetricsRuntime({ namespace: NS, logContext: ctx });
    await runtime.start();
    const created = await runtime.createRecorder('a');
    expect(runtime.getRecorder('a')).toBe(created);
    expect(runtime.tryGetRecorder('a')).toBe(created);
    await expect(runtime.stopAndRemoveRecorder('a')).resolves.toBe(created);
    await runtime.shutdown();
  });

  it("'normal' logs lifecycle and recorder operations with the runtime's entity id and state", async () => {
    const { sink, ctx } = logged('normal');
    const runtime = new MetricsRuntime({ namespace: ` ${NS} `, logContext: ctx });
    await runtime.start();
    await runtime.createRecorder('a', { entityId: 'e', capacity: 16, overflow: 'drop-oldest' });
    runtime.getRecorder('a');
    runtime.tryGetRecorder('a');
    runtime.listRecorderIds();
    await runtime.stopRecorder('a');
    await runtime.stopAndRemoveRecorder('a');
    await runtime.shutdown();
    expect(trail(sink)).toEqual([
      [RUNTIME_LOG_EVENTS.start, 'invoke'],
      [RUNTIME_LOG_EVENTS.start, 'success'],
      [RUNTIME_LOG_EVENTS.createRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.createRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.stopRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.stopRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.stopAndRemoveRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.shutdown, 'invoke'],
      [RUNTIME_LOG_EVENTS.shutdown, 'success'],
    ]);
    const events = sink.filter((e) => e.meta.eventName.startsWith('metrics_runtime.'));
    for (const e of events) {
      expect(e.meta.entityId).toBe(NS);
      expect(e.meta.namespace).toBe('app');
    }
    const [startInvoke, startSuccess] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.start });
    expect(startInvoke!.payload['state']).toBe('virgin');
    expect(startSuccess!.payload['state']).toBe('running');
    const [shutdownInvoke, shutdownSuccess] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.shutdown });
    expect(shutdownInvoke!.payload['state']).toBe('running');
    expect(shutdownSuccess!.payload['state']).toBe('closed');
    const [create] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.createRecorder, outcome: 'invoke' });
    expect(create!.payload).toEqual({
      state: 'running',
      args: { recorderId: 'a', entityId: 'e', namespace: null, capacity: 16, overflow: 'drop-oldest' },
    });
    const [stop] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.stopRecorder, outcome: 'invoke' });
    expect(stop!.payload).toEqual({ state: 'running', args: { recorderId: 'a' } });
    expect(events.every((e) => !('result' in e.payload))).toBe(true);
  });

  it("'inspection' adds the lookups", async () => {
    const { sink, ctx } = logged('inspection');
    const runtime = new MetricsRuntime({ namespace: NS, logContext: ctx });
    await runtime.start();
    runtime.tryGetRecorder('a');
    runtime.listRecorderIds();
    expect(() => runtime.getRecorder('a')).toThrow(RecorderNotFoundError);
    expect(trail(sink)).toEqual([
      [RUNTIME_LOG_EVENTS.start, 'invoke'],
      [RUNTIME_LOG_EVENTS.start, 'success'],
      [RUNTIME_LOG_EVENTS.tryGetRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.tryGetRecorder, 'success'],
      [RUNTIME_LOG_EVENTS.listRecorderIds, 'invoke'],
      [RUNTIME_LOG_EVENTS.listRecorderIds, 'success'],
      [RUNTIME_LOG_EVENTS.getRecorder, 'invoke'],
      [RUNTIME_LOG_EVENTS.getRecorder, 'failed'],
    ]);
    const [failed] = sink.filter({ eventName: RUNTIME_LOG_EVENTS.getRecorder, outcome: 'failed' });
    expect(failed!.level).toBe('error');
    expect(failed!.meta.entityId).toBe(NS);
    expect(failed!.payload['error']).toMatchObject({ message: expect.stringContaining('a') });
    await runtime.shutdown();
  });

  it("'silent' logs only failures (they bypass the policy)", async () => {
    const { sink, ctx } = logged('silent');
    const runtime = new MetricsRuntime({ namespace: NS, logContext: ctx });
    await runtime.start();
    await runtime.createRecorder('a');
    runtime.listRecorderIds();
    await expect(runtime.stopRecorder('missing')).rejects.toBeInstanceOf(RecorderNotFoundError);
    await expect(
      runtime.createRecorder('broken', { factory: (id, o) => new BrokenStartRecorder(id, o) }),
    ).rejects.toBeInstanceOf(RecorderStartupError);
    await runtime.shutdown();
    expect(trail(sink)).toEqual([
      [RUNTIME_LOG_EVENTS.stopRecorder, 'failed'],
      [RUNTIME_LOG_EVENTS.createRecorder, 'failed'],
    ]);
    for (const e of sink.filter((x) => x.meta.eventName.startsWith('metrics_runtime.'))) {
      expect(e.meta.entityId).toBe(NS);
      expect(e.payload['state']).toBe('running');
    }
  });

  it('passes its log context to created recorders unless the create options override it', async () => {
    const { ctx } = logged();
    const other = LogContext.root({ namespace: 'other', sink: new MemorySink() });
    const runtime = new MetricsRuntime({ namespace: NS, logContext: ctx });
    await runtime.start();
    const inherited = await runtime.createRecorder('a');
    const overridden = await runtime.createRecorder('b', { logContext: other });
    const disabled = await runtime.createRecorder('c', { logContext: null });
    const read = (r: unknown) => (r as { getLogContext(): LogContext | null }).getLogContext();
    expect(read(inherited)).toBe(ctx);
    expect(read(overridden)).toBe(other);
    expect(read(disabled)).toBeNull();
    await runtime.shutdown();
  });
});
