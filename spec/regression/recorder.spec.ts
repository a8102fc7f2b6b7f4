/**
 * Regressions of the recorder: one test per fixed defect, named for what broke and in which version.
 * Each fails on the code that had the defect. The class of each defect is covered in full elsewhere
 * (cited per test); these pin the examples that were found.
 *
 * Pinned elsewhere (a test there names the example):
 * - 0.3.0: with a `'raise'` log context and a failing sink, `emit`, `start`, `stop` and `dispose` threw
 *   synchronously: spec/metrics/recorder/MetricsRecorder.logging.spec.ts, "MetricsRecorder logging
 *   failures".
 * - 0.3.0: `stop()` overran `stopTimeoutMs` by 32 slow events; a snapshot read while stopping blocked
 *   the event loop: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "bounded work on the caller".
 */
import { config, throwError } from 'rxjs';
import {
  counter,
  defineMetric,
  InvalidMetricEventError,
  isMetricEvent,
  MetricsRecorder,
  MetricsRuntime,
  RuntimeShutdownError,
  type MetricEvent,
} from 'mvx-common';
import { collect, createTestScheduler, dimensionsOf } from 'mvx-common/testing';
import { countingMetric, count, expectInvariant, type TestEvent } from '../helpers/recorderFixtures.js';
import { tick } from '../helpers/wait.js';

const hits = defineMetric({
  name: 'hits',
  accepts: (e: MetricEvent): e is MetricEvent => e.type === 'hit',
  init: () => 0,
  reduce: (s: number) => s + 1,
  dimensions: (s) => ({ n: s }),
});

describe('recorder regressions', () => {
  it('0.3.0 (pre-release): stats$ stayed stale after a refusal when a read had already drained the scheduled batch', async () => {
    // The refusal relied on the scheduled drain to publish stats$; that drain found nothing to process
    // (the read had drained it) and published nothing. Class: spec/metrics/recorder/invariant.property.spec.ts.
    const recorder = new MetricsRecorder<TestEvent>('r');
    recorder.registerMetric(countingMetric());
    await recorder.start();
    const stats = collect(recorder.stats$);
    recorder.emit(count());
    recorder.getMetricSnapshots();
    recorder.emit(null as never);
    await recorder.flush();
    await tick();
    expect(stats.last).toEqual(recorder.getStats());
    expect(stats.last?.rejected).toBe(1);
  });

  it('0.3.0 (pre-release): a recorder without onStarting was not running when start() returned, so inside TestScheduler.run nothing was processed', () => {
    const scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const recorder = new MetricsRecorder('sync-start', { scheduler });
      recorder.registerMetric(hits);
      void recorder.start();
      expect(recorder.getStatus()).toBe('running');
      const events = cold('  -h-h|', { h: { type: 'hit' } });
      const expected = '     xy-z';
      events.subscribe((e) => recorder.emit(e));
      expectObservable(recorder.snapshot$('hits').pipe(dimensionsOf())).toBe(expected, {
        x: { n: 0 },
        y: { n: 1 },
        z: { n: 2 },
      });
    });
  });

  it('0.3.0 (pre-release): emit threw, and broke the accounting, when reading event.type threw', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "emit of any value never throws".
    const recorder = new MetricsRecorder('r');
    const errors = collect(recorder.errors$);
    const hostile = {
      get type(): string {
        throw new Error('getter');
      },
    };
    expect(isMetricEvent(hostile)).toBe(false);
    expect(() => recorder.emit(hostile)).not.toThrow();
    expect(() => recorder.registerEvent(hostile)).toThrow(TypeError);
    expect(recorder.getStats()).toMatchObject({ offered: 2, rejected: 2 });
    expect(errors.values[0]).toBeInstanceOf(TypeError);
    expect((errors.values[0] as Error).message).toContain('`event.type`');
    expectInvariant(recorder);
  });

  it('0.3.0: a piped source erroring with a null-prototype value crashed the process (the emitter threw inside rxjs)', async () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "the emitter as an Observer never throws".
    const unhandled: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (error) => unhandled.push(error);
    try {
      const recorder = new MetricsRecorder('piped');
      const errors = collect(recorder.errors$);
      throwError(() => Object.create(null) as unknown).subscribe(recorder.emitter);
      await tick();
      expect(unhandled).toEqual([]);
      expect(errors.values).toHaveLength(1);
    } finally {
      config.onUnhandledError = previous;
    }
  });

  it('0.3.0: emit threw for an event whose type is a revoked Proxy while errors$ had a subscriber', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "emit of any value never throws".
    const recorder = new MetricsRecorder('revoked');
    const errors = collect(recorder.errors$);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => recorder.emit({ type: proxy } as never)).not.toThrow();
    expect(errors.values).toEqual([expect.any(InvalidMetricEventError)]);
    expectInvariant(recorder);
  });

  it('0.3.0: dispose() called from a state$ subscriber while stopping failed the stop (RecorderUnexpectedError) and left accepted events unprocessed', async () => {
    // Class: spec/metrics/recorder/MetricsRecorder.lifecycle.model.spec.ts (random re-entrant interleavings).
    const recorder = new MetricsRecorder('reentrant');
    const seen: string[] = [];
    recorder.registerMetric(hits);
    let disposed: Promise<void> | undefined;
    recorder.state$.subscribe((s) => {
      seen.push(s);
      if (s === 'stopping') disposed = recorder.dispose();
    });
    await recorder.start();
    for (let i = 0; i < 10; i++) recorder.emit({ type: 'hit' });
    const stopped = await recorder.stop();
    await disposed;
    expect(stopped.success).toBe(true);
    expect(recorder.getStatus()).toBe('disposed');
    expect(recorder.getMetricSnapshot('hits')!.dimensions).toEqual({ n: 10 });
    expect(seen).toEqual(['virgin', 'starting', 'running', 'stopping', 'stopped', 'disposed']);
  });

  it('0.3.0: writing into a snapshot (a histogram count, a series list) showed up in later reads', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "snapshots are deeply frozen".
    const recorder = new MetricsRecorder('mutable');
    recorder.registerMetric(counter({ name: 'c', on: 'e', by: ['k'] }));
    recorder.emit({ type: 'e', k: 'a' } as MetricEvent);
    const series = recorder.getMetricSnapshot('c')!.dimensions['series'] as { total: number }[];
    expect(() => {
      series[0]!.total = 99;
    }).toThrow(TypeError);
    expect(() => (series as unknown[]).push({})).toThrow(TypeError);
    expect(recorder.getMetricSnapshot('c')!.dimensions['series']).toEqual([{ labels: { k: 'a' }, total: 1 }]);
  });

  it('0.3.0: a custom metric whose dimensions returned its own state let a reader corrupt it for good', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "snapshots are deeply frozen".
    const recorder = new MetricsRecorder('leaky');
    recorder.registerMetric(
      defineMetric({
        name: 'leaky',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
        init: () => ({ counts: [0] }),
        reduce: (s: { counts: number[] }) => ({ counts: [s.counts[0]! + 1] }),
        dimensions: (s) => s, // hands out its own state
      }),
    );
    recorder.emit({ type: 'e' });
    const read = recorder.getMetricSnapshot('leaky')!.dimensions as { counts: number[] };
    expect(() => {
      read.counts[0] = 1_000;
    }).toThrow(TypeError);
    recorder.emit({ type: 'e' });
    expect(recorder.getMetricSnapshot('leaky')!.dimensions).toEqual({ counts: [2] });
  });

  it('0.3.0: JSON.stringify of the snapshots threw when a custom metric returned a bigint', () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "keeps every snapshot serialisable (property)".
    const recorder = new MetricsRecorder('bigint');
    recorder.registerMetric(
      defineMetric({
        name: 'big',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
        init: () => 0n,
        reduce: (s: bigint) => s + 1n,
        dimensions: (s) => (s === 0n ? { n: 0 } : ({ n: s } as never)),
      }),
    );
    recorder.emit({ type: 'e' });
    expect(() => JSON.stringify(recorder.getMetricSnapshots())).not.toThrow();
    expect(recorder.getStats().metricErrors).toBe(1);
  });

  it("0.3.0: getMetricSnapshot('constructor') returned the Object function, and a metric named __proto__ vanished", () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "maps keyed by user strings are safe".
    const recorder = new MetricsRecorder('proto');
    expect(recorder.getMetricSnapshot('constructor')).toBeUndefined();
    recorder.registerMetric(counter({ name: '__proto__', on: 'e' }));
    recorder.emit({ type: 'e' });
    expect(Object.keys(recorder.getMetricSnapshots())).toEqual(['__proto__']);
    expect(recorder.getMetricSnapshot('__proto__')?.dimensions['total']).toBe(1);
  });

  it('0.3.0: RuntimeShutdownError.recorderErrors lost the error of a recorder with id __proto__', async () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "maps keyed by user strings are safe".
    class Stuck extends MetricsRecorder {
      protected override onStopped(): Promise<void> {
        return new Promise(() => undefined);
      }
    }
    const runtime = new MetricsRuntime({
      namespace: 'rt',
      recorderDefaults: { stopTimeoutMs: 10 },
      recorderFactory: (id, options) => new Stuck(id, options),
    });
    await runtime.start();
    await runtime.createRecorder('__proto__');
    const error = (await runtime.shutdown().catch((e: unknown) => e)) as RuntimeShutdownError;
    expect(error).toBeInstanceOf(RuntimeShutdownError);
    expect(Object.keys(error.recorderErrors)).toEqual(['__proto__']);
  });

  it('0.3.0: streams built by piping a subject could be written to (next reached every subscriber)', async () => {
    // Class: spec/metrics/recorder/pipeline/RecorderStreams.spec.ts (the recorder's streams). rxjs's
    // Subject.pipe returns a subject whose next() feeds the source; every public stream is read-only.
    const { MetricsRuntime, mirrorSnapshots, snapshotsFromEventSource } = await import('mvx-common');
    const { MessageChannel } = await import('node:worker_threads');
    const { FakeEventSource } = await import('../helpers/FakeEventSource.js');
    const runtime = new MetricsRuntime({ namespace: 'app' });
    const recorder = new MetricsRecorder('r');
    const { port1, port2 } = new MessageChannel();
    const mirror = mirrorSnapshots(port1);
    const client = snapshotsFromEventSource('http://127.0.0.1:1/events', { EventSource: FakeEventSource });
    try {
      for (const stream of [runtime.state$, mirror.snapshots$, client.connection$, recorder.state$]) {
        expect(typeof (stream as unknown as { next?: unknown }).next).toBe('undefined');
      }
    } finally {
      mirror.close();
      port1.close();
      port2.close();
      await recorder.dispose();
      await runtime.shutdown();
    }
  });
});
