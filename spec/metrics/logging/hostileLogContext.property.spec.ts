/**
 * The recorder's and the runtime's own logging can never break them: every operation behaves exactly as
 * without a log context, whatever the context's components do (throw, return garbage, are revoked
 * Proxies) and whatever its error handling (`'raise'` included).
 */
import fc from 'fast-check';
import {
  defineMetric,
  LogDeliveryError,
  MetricsRecorder,
  MetricsRuntime,
  type LogContext,
  type MetricEvent,
} from 'mvx-common';
import { contextPlanArb, hostileContext, revoked } from '../../helpers/hostileInputs.js';
import { BrokenStartRecorder } from '../../helpers/runtimeFixtures.js';

const RUN = { numRuns: 40, interruptAfterTimeLimit: 6_000 } as const;

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

/** A recorder whose cleanup fails (after a fail-recorder failure): exercises `cleanup.failed` logging. */
class FailingCleanup extends MetricsRecorder<Tick> {
  protected override onStopped(): void {
    throw new Error('cannot close');
  }
}

/** Reduces any outcome to comparable data (errors by class, code and message). */
function summarize(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      error: value.constructor.name,
      code: (value as { code?: unknown }).code,
      message: value.message,
    };
  }
  if (value instanceof MetricsRecorder) return { recorder: value.entityId, state: value.getStatus() };
  if (Array.isArray(value)) return value.map(summarize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarize(v)]));
  }
  return value;
}

/** Records what each step returned or threw, and whether a Promise-returning step threw synchronously. */
function recorderOf(out: unknown[]) {
  return {
    sync(label: string, fn: () => unknown): void {
      try {
        out.push([label, 'returned', summarize(fn())]);
      } catch (error) {
        out.push([label, 'threw', summarize(error)]);
      }
    },
    async async(label: string, fn: () => unknown): Promise<void> {
      let promise: unknown;
      try {
        promise = fn();
      } catch (error) {
        out.push([label, 'threw synchronously', summarize(error)]);
        return;
      }
      out.push([label, promise instanceof Promise ? 'promise' : 'not a promise']);
      try {
        out.push([label, 'resolved', summarize(await promise)]);
      } catch (error) {
        out.push([label, 'rejected', summarize(error)]);
      }
    },
  };
}

async function recorderScenario(logContext: LogContext | null): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = recorderOf(out);
  const recorder = new MetricsRecorder<Tick>('hostile', { logContext });
  const errors: unknown[] = [];
  recorder.errors$.subscribe((e) => {
    if (!(e instanceof LogDeliveryError)) errors.push(summarize(e)); // logging failures may be reported too
  });
  step.sync('registerMetric', () => recorder.registerMetric(ticks));
  step.sync('registerMetric broken', () => recorder.registerMetric(broken));
  // The first accepted event starts a virgin recorder through its (logged) start().
  step.sync('emit (lazy start)', () => recorder.emit({ type: 'tick', n: 1 }));
  step.sync('emit invalid', () => recorder.emit({} as Tick));
  step.sync('emit revoked', () => recorder.emit(revoked() as Tick));
  step.sync('registerEvent invalid', () => recorder.registerEvent(null as unknown as Tick));
  await step.async('start (joins)', () => recorder.start());
  step.sync('emit', () => recorder.emit({ type: 'tick', n: 2 }));
  step.sync('getMetricSnapshots', () => recorder.getMetricSnapshots());
  step.sync('getMetricSnapshot', () => recorder.getMetricSnapshot('ticks'));
  step.sync('getMetricSnapshot hostile name', () =>
    recorder.getMetricSnapshot(revoked() as unknown as string),
  );
  step.sync('iterMetrics', () => recorder.iterMetrics().map((m) => m.name));
  step.sync('registerMetric bad', () => recorder.registerMetric({} as never));
  await step.async('flush', () => recorder.flush());
  await step.async('stop', () => recorder.stop());
  await step.async('stop again', () => recorder.stop());
  step.sync('emit after stop', () => recorder.emit({ type: 'tick', n: 3 }));
  step.sync('registerEvent after stop', () => recorder.registerEvent({ type: 'tick', n: 3 }));
  await step.async('start again', () => recorder.start());
  step.sync('getStats', () => recorder.getStats());
  await step.async('dispose', () => recorder.dispose());
  await step.async('dispose again', () => recorder.dispose());
  await step.async('start after dispose', () => recorder.start());
  step.sync('emit after dispose', () => recorder.emit({ type: 'tick', n: 4 }));
  step.sync('state', () => recorder.getStatus());

  // fail-recorder with a failing cleanup: dispatch_error and cleanup.failed are logged on the processing side.
  const failing = new FailingCleanup('failing', { logContext, metricErrors: 'fail-recorder' });
  failing.registerMetric(broken);
  await step.async('failing start', () => failing.start());
  step.sync('failing emit', () => failing.emit({ type: 'tick', n: 1 }));
  step.sync('failing snapshots', () => failing.getMetricSnapshots());
  await new Promise((resolve) => setImmediate(resolve));
  step.sync('failing state', () => failing.getStatus());
  await step.async('failing dispose', () => failing.dispose());
  out.push(['errors$', errors]);
  return out;
}

async function runtimeScenario(logContext: LogContext | null): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = recorderOf(out);
  const runtime = new MetricsRuntime({ namespace: 'test.hostile', logContext });
  step.sync('getRecorder before start', () => runtime.getRecorder('a'));
  await step.async('start', () => runtime.start());
  await step.async('createRecorder', () => runtime.createRecorder('a', { capacity: 8 }));
  await step.async('createRecorder duplicate', () => runtime.createRecorder('a'));
  await step.async('createRecorder blank', () => runtime.createRecorder('  '));
  await step.async('createRecorder hostile options', () => runtime.createRecorder('h', revoked() as never));
  await step.async('createRecorder broken', () =>
    runtime.createRecorder('broken', { factory: (id, o) => new BrokenStartRecorder(id, o) }),
  );
  step.sync('getRecorder', () => runtime.getRecorder('a'));
  step.sync('getRecorder missing', () => runtime.getRecorder('missing'));
  step.sync('tryGetRecorder', () => runtime.tryGetRecorder('missing'));
  step.sync('listRecorderIds', () => runtime.listRecorderIds());
  step.sync('emit through a created recorder', () => runtime.tryGetRecorder('a')?.emit({ type: 'x' }));
  await step.async('stopRecorder', () => runtime.stopRecorder('a'));
  await step.async('stopRecorder missing', () => runtime.stopRecorder('missing'));
  await step.async('stopAndRemoveRecorder', () => runtime.stopAndRemoveRecorder('a'));
  await step.async('stopAndRemoveRecorder again', () => runtime.stopAndRemoveRecorder('a'));
  await step.async('shutdown', () => runtime.shutdown());
  await step.async('shutdown again', () => runtime.shutdown());
  await step.async('start after shutdown', () => runtime.start());
  step.sync('state', () => runtime.getStatus());
  return out;
}

describe('metrics logging with a hostile LogContext (property)', () => {
  let silence: jest.SpyInstance;
  beforeAll(() => {
    silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => silence.mockRestore());

  it('every recorder operation behaves exactly as without a log context', async () => {
    const expected = await recorderScenario(null);
    await fc.assert(
      fc.asyncProperty(contextPlanArb, async (plan) => {
        const { ctx } = hostileContext(plan);
        expect(await recorderScenario(ctx)).toEqual(expected);
      }),
      RUN,
    );
  });

  it('every runtime operation behaves exactly as without a log context', async () => {
    const expected = await runtimeScenario(null);
    await fc.assert(
      fc.asyncProperty(contextPlanArb, async (plan) => {
        const { ctx } = hostileContext(plan);
        expect(await runtimeScenario(ctx)).toEqual(expected);
      }),
      RUN,
    );
  });

  it("emit, start, stop and dispose never throw synchronously with 'raise' and a failing sink (the reported defect)", async () => {
    await fc.assert(
      fc.asyncProperty(contextPlanArb, async (plan) => {
        const { ctx } = hostileContext({ ...plan, errorHandling: 'raise', sink: 'throws' });
        const recorder = new MetricsRecorder<Tick>('raise', { logContext: ctx });
        const lazy = new MetricsRecorder<Tick>('lazy', { logContext: ctx });
        expect(() => lazy.emit({ type: 'tick', n: 1 })).not.toThrow(); // starts it through the logged start()
        let start: unknown;
        expect(() => (start = recorder.start())).not.toThrow();
        expect(await start).toEqual({ op: 'start', success: true });
        expect(() => recorder.emit({ type: 'tick', n: 1 })).not.toThrow();
        let stop: unknown;
        expect(() => (stop = recorder.stop())).not.toThrow();
        expect(await stop).toEqual({ op: 'stop', success: true });
        let dispose: unknown;
        expect(() => (dispose = recorder.dispose())).not.toThrow();
        await expect(dispose).resolves.toBeUndefined();
        await lazy.dispose();
        expect(lazy.getStatus()).toBe('disposed');
        expect(ctx.failureCount).toBeGreaterThan(0); // the failures were counted, not thrown
      }),
      RUN,
    );
  });
});
