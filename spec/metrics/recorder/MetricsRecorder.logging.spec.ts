import {
  defineMetric,
  LogContext,
  MemorySink,
  MetricsRecorder,
  recorderLogPolicy,
  RECORDER_LOG_EVENTS,
  type MetricEvent,
  type MetricsLogMode,
} from 'mvx-common';

type Tick = { type: 'tick'; n: number };
const ticks = defineMetric({
  name: 'ticks',
  accepts: (e: MetricEvent): e is Tick => e.type === 'tick',
  init: () => ({ total: 0 }),
  reduce: (s, e) => ({ total: s.total + e.n }),
  dimensions: (s) => s,
});
const broken = defineMetric({
  name: 'broken',
  accepts: (e: MetricEvent): e is Tick => e.type === 'tick',
  init: () => 0,
  reduce: () => {
    throw new Error('reducer exploded');
  },
  dimensions: (s) => ({ s }),
});

function context(mode?: MetricsLogMode): { sink: MemorySink; ctx: LogContext } {
  const sink = new MemorySink();
  const ctx = LogContext.root({
    namespace: 'app.metrics',
    sink,
    errorHandling: 'raise',
    eventPolicy: mode === undefined ? null : recorderLogPolicy(mode),
  });
  return { sink, ctx };
}

const trail = (sink: MemorySink) => sink.events.map((e) => `${e.meta.eventName}:${e.outcome}`);

describe('MetricsRecorder logging', () => {
  it('rejects a log context that is not a LogContext, naming the option', () => {
    expect(() => new MetricsRecorder('x', { logContext: {} as LogContext })).toThrow(/options\.logContext/);
  });

  it('exposes its log context', () => {
    const { ctx } = context();
    expect(new MetricsRecorder('x', { logContext: ctx }).getLogContext()).toBe(ctx);
    expect(new MetricsRecorder('x').getLogContext()).toBeNull();
  });

  it('logs start, registerMetric and stop with the entity id and the state, never emit', async () => {
    const { sink, ctx } = context('normal');
    const recorder = new MetricsRecorder<Tick>('document_storage', { logContext: ctx });
    await recorder.start();
    recorder.registerMetric(ticks);
    for (let i = 0; i < 100; i++) recorder.emit({ type: 'tick', n: 1 });
    recorder.registerEvent({ type: 'tick', n: 1 });
    expect(recorder.getMetricSnapshot('ticks')?.dimensions).toEqual({ total: 101 });
    await recorder.stop();
    expect(trail(sink)).toEqual([
      'metrics_recorder.start:invoke',
      'metrics_recorder.start:success',
      'metrics_recorder.register_metric:invoke',
      'metrics_recorder.register_metric:success',
      'metrics_recorder.stop:invoke',
      'metrics_recorder.stop:success',
    ]);
    expect(sink.events.every((e) => e.meta.entityId === 'document_storage')).toBe(true);
    expect(sink.events.every((e) => e.meta.namespace === 'app.metrics')).toBe(true);
    const states = sink.events.map((e) => (e.payload as { state?: string }).state);
    expect(states).toEqual(['virgin', 'running', 'running', 'running', 'running', 'stopped']);
    const register = sink.filter({ eventName: RECORDER_LOG_EVENTS.registerMetric, outcome: 'invoke' })[0];
    expect(register?.payload).toMatchObject({ args: { metricName: 'ticks' } });
  });

  it('logs snapshot reads only with the inspection preset', () => {
    for (const [mode, expected] of [
      ['normal', 0],
      ['inspection', 2],
    ] as const) {
      const { sink, ctx } = context(mode);
      const recorder = new MetricsRecorder('r', { logContext: ctx });
      recorder.getMetricSnapshots();
      expect(sink.filter({ eventName: RECORDER_LOG_EVENTS.getMetricSnapshots }).length).toBe(expected);
    }
  });

  it('logs nothing for successful operations with the silent preset, but still logs failures', async () => {
    const { sink, ctx } = context('silent');
    const recorder = new MetricsRecorder('r', { logContext: ctx });
    await recorder.start();
    await recorder.stop();
    expect(sink.events).toEqual([]);
    expect(() => recorder.registerMetric(ticks)).toThrow();
    expect(trail(sink)).toEqual(['metrics_recorder.register_metric:failed']);
    expect(sink.events[0]?.level).toBe('error');
  });

  it('logs a dispatch error at error level with the recorder entity id', async () => {
    const { sink, ctx } = context('normal');
    const recorder = new MetricsRecorder<Tick>('ingest', { logContext: ctx });
    recorder.registerMetric(broken);
    await recorder.start();
    recorder.emit({ type: 'tick', n: 1 });
    recorder.getMetricSnapshots();
    const [event] = sink.filter({ eventName: RECORDER_LOG_EVENTS.dispatchError });
    expect(event?.level).toBe('error');
    expect(event?.meta.entityId).toBe('ingest');
    expect(JSON.stringify(event?.payload)).toContain('reducer exploded');
    await recorder.dispose();
  });

  it('logs a failing cleanup after a fail-recorder failure', async () => {
    class Failing extends MetricsRecorder<Tick> {
      protected override onStopped(): void {
        throw new Error('cannot close');
      }
    }
    const { sink, ctx } = context('normal');
    const recorder = new Failing('ingest', { logContext: ctx, metricErrors: 'fail-recorder' });
    recorder.registerMetric(broken);
    await recorder.start();
    recorder.emit({ type: 'tick', n: 1 });
    recorder.getMetricSnapshots();
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorder.getStatus()).toBe('failure');
    const [event] = sink.filter({ eventName: RECORDER_LOG_EVENTS.cleanupFailed });
    expect(event?.meta.entityId).toBe('ingest');
    expect(JSON.stringify(event?.payload)).toContain('cannot close');
  });

  it('never changes what an operation returns or throws', async () => {
    async function scenario(logContext: LogContext | null) {
      const recorder = new MetricsRecorder<Tick>('same', { logContext });
      const results: unknown[] = [];
      const startPromise = recorder.start();
      results.push(startPromise instanceof Promise);
      results.push(await startPromise, await recorder.start());
      recorder.registerMetric(ticks);
      recorder.emit({ type: 'tick', n: 2 });
      results.push(
        recorder.getMetricSnapshots(),
        recorder.getMetricSnapshot('ticks'),
        recorder.iterMetrics(),
      );
      results.push(await recorder.stop(), await recorder.stop());
      try {
        recorder.registerMetric(ticks);
      } catch (error) {
        results.push((error as Error).constructor.name, (error as Error).message);
      }
      results.push(await recorder.dispose());
      return JSON.parse(JSON.stringify(results, (_k, v) => (typeof v === 'function' ? 'fn' : v)));
    }
    expect(await scenario(context('inspection').ctx)).toEqual(await scenario(null));
  });
});

describe('MetricsRecorder logging failures', () => {
  it('never throw and are reported on errors$ as LogDeliveryError, whatever the error handling', async () => {
    const { LogContext, LogDeliveryError, MetricsRecorder } = await import('mvx-common');
    for (const errorHandling of ['raise', 'print-stderr'] as const) {
      const logContext = LogContext.root({
        namespace: 'failing',
        sink: {
          log() {
            throw new Error('sink down');
          },
        },
        errorHandling,
      });
      const recorder = new MetricsRecorder('log-fail', { logContext });
      const errors: Error[] = [];
      recorder.errors$.subscribe((e) => errors.push(e));
      expect(() => recorder.emit({ type: 'x' })).not.toThrow();
      expect((await recorder.stop()).success).toBe(true);
      await expect(recorder.dispose()).resolves.toBeUndefined();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e instanceof LogDeliveryError)).toBe(true);
    }
  });
});
