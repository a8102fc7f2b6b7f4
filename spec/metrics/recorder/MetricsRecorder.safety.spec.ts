/**
 * The recorder's safety promises, attacked: snapshots are deeply frozen and JSON-safe; maps keyed by
 * user strings are safe for any string; hostile values never make `emit` or the emitter throw; reads
 * and stops are bounded even with slow metrics.
 */
import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { VirtualTimeScheduler } from 'rxjs';
import {
  counter,
  defineMetric,
  histogram,
  InvalidMetricEventError,
  MetricFailedError,
  MetricsRecorder,
  MetricsRuntime,
  quantiles,
  RecorderStopTimeoutError,
  RuntimeShutdownError,
  upDownCounter,
  type MetricEvent,
} from 'mvx-common';

const any = (e: unknown): MetricEvent => e as MetricEvent;

function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(deeplyFrozen);
}

describe('MetricsRecorder safety', () => {
  describe('snapshots are deeply frozen', () => {
    it('for built-in kinds, custom metrics, snapshots$ replays and change snapshots', () => {
      const recorder = new MetricsRecorder('frozen');
      const h = histogram({ name: 'h', on: 'e', value: 'v', by: ['k'] });
      const leak = { counts: [0, 0] };
      const custom = defineMetric({
        name: 'leaky',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
        init: () => leak,
        reduce: (s) => ({ counts: [s.counts[0]! + 1, s.counts[1]!] }),
        dimensions: (s) => s, // returns its state: a reader must still not be able to change it
      });
      recorder.registerMetric(h);
      recorder.registerMetric(custom);
      const changes: unknown[] = [];
      recorder.changes$.subscribe((c) => changes.push(c.snapshot));
      let replayed: unknown;
      recorder.emit(any({ type: 'e', v: 3, k: 'a' }));
      recorder.snapshots$.subscribe((s) => (replayed = s)).unsubscribe();
      const all = recorder.getMetricSnapshots();
      expect(deeplyFrozen(all)).toBe(true);
      expect(deeplyFrozen(replayed)).toBe(true);
      for (const c of changes) expect(deeplyFrozen(c)).toBe(true);
      expect(() => {
        (all['h']!.dimensions['counts'] as number[])[0] = 99;
      }).toThrow(TypeError);
      expect(() => {
        (all['leaky']!.dimensions['counts'] as number[])[0] = 99;
      }).toThrow(TypeError);
      // The metric's own state was never frozen or shared: it goes on counting.
      recorder.emit(any({ type: 'e', v: 4, k: 'b' }));
      expect(recorder.getMetricSnapshot('leaky')!.dimensions).toEqual({ counts: [2, 0] });
      expect(Object.isFrozen(leak)).toBe(false);
    });
  });

  describe('snapshots are JSON-safe', () => {
    it('refuses sums that would overflow to Infinity, and counts them', () => {
      const recorder = new MetricsRecorder('json');
      recorder.registerMetric(counter({ name: 'c', on: 'e', value: 'v' }));
      recorder.registerMetric(upDownCounter({ name: 'u', on: 'e', value: 'v' }));
      recorder.registerMetric(histogram({ name: 'h', on: 'e', value: 'v' }));
      recorder.registerMetric(quantiles({ name: 'q', on: 'e', value: 'v' }));
      for (let i = 0; i < 3; i++) recorder.emit(any({ type: 'e', v: 1e308 }));
      const text = JSON.stringify(recorder.getMetricSnapshots());
      const back = JSON.parse(text) as Record<string, { dimensions: Record<string, number> }>;
      expect(back['c']!.dimensions).toMatchObject({ total: 1e308, refused: 2 });
      expect(back['u']!.dimensions).toMatchObject({ value: 1e308, refused: 2 });
      expect(back['h']!.dimensions).toMatchObject({ sum: 1e308, count: 1, refused: 2 });
      expect(back['q']!.dimensions).toMatchObject({ sum: 1e308, count: 1, refused: 2 });
    });

    it('fails a custom metric whose dimensions are not JSON-safe (isolated, last good snapshot kept)', () => {
      const values: unknown[] = [
        1,
        2n,
        () => 1,
        Symbol('s'),
        NaN,
        Infinity,
        new Date(0),
        new Map(),
        { nested: [undefined, 1n] },
      ];
      for (const bad of values) {
        const recorder = new MetricsRecorder('unsafe');
        const errors: Error[] = [];
        recorder.errors$.subscribe((e) => errors.push(e));
        recorder.registerMetric(
          defineMetric({
            name: 'm',
            accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
            init: () => 0,
            reduce: (s: number) => s + 1,
            dimensions: (s) => (s === 0 ? { v: 0 } : ({ v: bad } as never)),
          }),
        );
        recorder.emit({ type: 'e' });
        const snapshots = recorder.getMetricSnapshots();
        expect(() => JSON.stringify(snapshots)).not.toThrow();
        if (bad === 1) {
          expect(snapshots['m']!.dimensions).toEqual({ v: 1 });
        } else {
          expect(snapshots['m']!.dimensions).toEqual({ v: 0 });
          expect(errors).toEqual([expect.any(MetricFailedError)]);
          expect(recorder.getStats().metricErrors).toBe(1);
        }
      }
    });

    it('keeps every snapshot serialisable whatever custom dimensions return (property)', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => {
          const recorder = new MetricsRecorder('any');
          recorder.registerMetric(
            defineMetric({
              name: 'm',
              accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
              init: () => 0,
              reduce: (s: number) => s + 1,
              dimensions: (s) => (s === 0 ? {} : ({ v: value } as never)),
            }),
          );
          recorder.emit({ type: 'e' });
          const text = JSON.stringify(recorder.getMetricSnapshots());
          expect(typeof text).toBe('string');
          expect(deeplyFrozen(recorder.getMetricSnapshots())).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('maps keyed by user strings are safe for any string', () => {
    it('metric names __proto__ and constructor are ordinary keys; unknown names read as undefined', () => {
      const recorder = new MetricsRecorder('proto');
      expect(recorder.getMetricSnapshot('constructor')).toBeUndefined();
      expect(recorder.getMetricSnapshot('toString')).toBeUndefined();
      expect(recorder.getMetricSnapshot('__proto__')).toBeUndefined();
      recorder.registerMetric(counter({ name: '__proto__', on: 'e' }));
      recorder.registerMetric(counter({ name: 'constructor', on: 'e' }));
      recorder.emit({ type: 'e' });
      const all = recorder.getMetricSnapshots();
      expect(Object.keys(all)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
      expect(recorder.getMetricSnapshot('__proto__')!.dimensions['total']).toBe(1);
      expect(JSON.parse(JSON.stringify(all))['__proto__'].dimensions.total).toBe(1);
    });

    it('recorder ids __proto__ and constructor survive a failed shutdown report', async () => {
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
      await runtime.createRecorder('constructor');
      const error = (await runtime.shutdown().catch((e: unknown) => e)) as RuntimeShutdownError;
      expect(error).toBeInstanceOf(RuntimeShutdownError);
      expect(error.failedRecorderIds).toEqual(['__proto__', 'constructor']);
      expect(Object.keys(error.recorderErrors)).toEqual(['__proto__', 'constructor']);
      expect(error.recorderErrors['__proto__']!.name).toBe('RecorderStopError');
    });
  });

  describe('hostile values never make emit or the emitter throw', () => {
    const hostile = (): unknown[] => {
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const revokedType = Proxy.revocable({}, {});
      revokedType.revoke();
      return [
        revoked.proxy,
        { type: revokedType.proxy },
        Object.create(null),
        { type: Object.create(null) },
        Object.defineProperty({}, 'type', {
          get: () => {
            throw new Error('getter');
          },
        }),
        new Proxy(
          {},
          {
            get: () => {
              throw new Error('trap');
            },
          },
        ),
        {
          type: {
            toString: () => {
              throw new Error('toString');
            },
          },
        },
        { type: 1n },
        { type: Symbol('s') },
      ];
    };

    it('emit of any value never throws, also while errors$ has subscribers; refusals keep a code', () => {
      const recorder = new MetricsRecorder('hostile');
      const errors: Error[] = [];
      recorder.errors$.subscribe((e) => errors.push(e));
      for (const value of hostile()) expect(() => recorder.emit(value as MetricEvent)).not.toThrow();
      fc.assert(fc.property(fc.anything(), (v) => void recorder.emit(v as MetricEvent)));
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e).toBeInstanceOf(InvalidMetricEventError);
        expect((e as InvalidMetricEventError).code).toBe('INVALID_EVENT');
      }
      const causes = errors
        .filter((e) => e.message === 'Reading `event.type` threw')
        .map((e) => (e.cause as Error).message);
      expect(causes).toEqual(expect.arrayContaining(['getter', 'trap']));
      const s = recorder.getStats();
      expect(s.offered).toBe(s.processed + s.pending + s.dropped + s.rejected);
    });

    it('the emitter as an Observer never throws on error(), whatever the value', () => {
      const recorder = new MetricsRecorder('observer');
      const errors: Error[] = [];
      recorder.errors$.subscribe((e) => errors.push(e));
      for (const value of [...hostile(), undefined, null, 'text']) {
        expect(() => recorder.emitter.error(value)).not.toThrow();
      }
      expect(errors.length).toBe(hostile().length + 3);
    });
  });

  describe('bounded work on the caller', () => {
    it('a read-your-writes getter processes at most about its budget when metrics are slow', () => {
      const slow = defineMetric({
        name: 'slow',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
        init: () => 0,
        reduce: (s: number) => {
          const until = performance.now() + 20;
          while (performance.now() < until) {
            // a metric that takes 20 ms per event
          }
          return s + 1;
        },
        dimensions: (s) => ({ n: s }),
      });
      const recorder = new MetricsRecorder('slow', { scheduler: new VirtualTimeScheduler() });
      recorder.registerMetric(slow);
      void recorder.start();
      for (let i = 0; i < 200; i++) recorder.emit({ type: 'e' }); // 4 s of work
      const t0 = performance.now();
      recorder.getMetricSnapshots();
      const elapsed = performance.now() - t0;
      // Bounded by the read budget (250 ms) plus about one event; generous for a busy machine.
      expect(elapsed).toBeLessThan(1_500);
      expect(recorder.getStats().pending).toBeGreaterThan(100);
    });

    it('stop() overruns stopTimeoutMs by about one slow event, not 32', async () => {
      const slow = defineMetric({
        name: 'slow',
        accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
        init: () => 0,
        reduce: (s: number) => {
          const until = performance.now() + 50;
          while (performance.now() < until) {
            // 50 ms per event
          }
          return s + 1;
        },
        dimensions: (s) => ({ n: s }),
      });
      const recorder = new MetricsRecorder('slow-stop', {
        stopTimeoutMs: 200,
        scheduler: new VirtualTimeScheduler(),
      });
      recorder.registerMetric(slow);
      await recorder.start();
      for (let i = 0; i < 100; i++) recorder.emit({ type: 'e' });
      const t0 = performance.now();
      const result = await recorder.stop();
      const elapsed = performance.now() - t0;
      expect(result.error).toBeInstanceOf(RecorderStopTimeoutError);
      // 200 ms plus one 50 ms event plus scheduling; the old bound was 32 events (1.6 s).
      expect(elapsed).toBeLessThan(1_200);
      const s = recorder.getStats();
      expect(s.pending).toBeGreaterThan(80);
      expect(s.offered).toBe(s.processed + s.pending + s.dropped + s.rejected);
    });
  });

  it('a TestScheduler recorder still drains what is pending on read (read-your-writes)', () => {
    const scheduler = new TestScheduler(() => undefined);
    const recorder = new MetricsRecorder('ryw', { scheduler });
    recorder.registerMetric(counter({ name: 'c', on: 'e' }));
    for (let i = 0; i < 5_000; i++) recorder.emit({ type: 'e' });
    expect(recorder.getMetricSnapshot('c')!.dimensions['total']).toBe(5_000);
  });
});
