/**
 * While nobody observes `snapshots$`, a recorder builds the snapshots of built-in kinds on read instead
 * of at every batch. Nothing of that may be visible: every read, every single-metric read and every
 * subscriber's first map show exactly what the accepted events make, reads without changes in between
 * return the same object, and a subscriber's latest map is the one the getters return.
 */
import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  quantiles,
  type AnyMetric,
  type MetricEvent,
  type MetricSnapshots,
} from 'mvx-common';
import { createTestScheduler, reduceEvents } from 'mvx-common/testing';

interface Job extends MetricEvent {
  readonly type: 'job';
  readonly region: string;
  readonly ms: number;
}

const metrics = (): AnyMetric[] => [
  counter({ name: 'jobs', on: 'job', by: ['region'] }),
  histogram({ name: 'latency', on: 'job', value: 'ms', buckets: [1, 10, 100] }),
  gauge({ name: 'last', on: 'job', value: 'ms' }),
  quantiles({ name: 'q', on: 'job', value: 'ms' }),
  // A custom metric is built at commit, where its failures belong, whoever observes.
  defineMetric({
    name: 'custom',
    kind: 'custom',
    accepts: (e: MetricEvent): e is Job => e.type === 'job',
    init: () => 0,
    reduce: (n: number) => n + 1,
    dimensions: (n) => ({ n }),
  }),
];

type Op =
  | { readonly op: 'emit'; readonly region: string; readonly ms: number }
  | { readonly op: 'readAll' }
  | { readonly op: 'readOne'; readonly index: number }
  | { readonly op: 'subscribe' }
  | { readonly op: 'unsubscribe'; readonly index: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('emit' as const),
      region: fc.constantFrom('a', 'b', 'c', '__proto__'),
      ms: fc.integer({ min: 0, max: 200 }),
    }),
    weight: 6,
  },
  { arbitrary: fc.constant({ op: 'readAll' as const }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('readOne' as const), index: fc.nat(4) }), weight: 2 },
  { arbitrary: fc.constant({ op: 'subscribe' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('unsubscribe' as const), index: fc.nat(3) }), weight: 1 },
);

describe('MetricsRecorder: snapshots of built-in kinds built on read while unobserved', () => {
  it('every read, single read and first replay equals the model, whoever subscribes when', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), (ops, eager) => {
        const registered = metrics();
        // A virtual clock that stays at 0 (gauges stamp `updated_at`); reads drain synchronously.
        const recorder = new MetricsRecorder('deferred', {
          capacity: 1000,
          scheduler: createTestScheduler(),
        });
        for (const m of registered) recorder.registerMetric(m);
        void recorder.start();
        const emitted: Job[] = [];
        const subs: { sub: Subscription; last: MetricSnapshots | undefined }[] = [];
        const subscribe = () => {
          const entry = {
            sub: undefined as unknown as Subscription,
            last: undefined as MetricSnapshots | undefined,
          };
          const seen: MetricSnapshots[] = [];
          entry.sub = recorder.snapshots$.subscribe((m) => {
            seen.push(m);
            entry.last = m;
          });
          // The replay is the current map: what the events accepted so far make (after a read drains them).
          expect(seen).toHaveLength(1);
          subs.push(entry);
        };
        const expectModel = (all: MetricSnapshots) => {
          for (const m of registered) {
            expect(all[m.name]!.dimensions).toEqual(reduceEvents(m, emitted));
          }
        };
        if (eager) subscribe();
        let previous: MetricSnapshots | undefined;
        let changedSinceRead = true;
        for (const op of ops) {
          switch (op.op) {
            case 'emit': {
              const job: Job = { type: 'job', region: op.region, ms: op.ms };
              recorder.emit(job);
              emitted.push(job);
              changedSinceRead = true;
              break;
            }
            case 'readAll': {
              const all = recorder.getMetricSnapshots();
              expectModel(all);
              if (!changedSinceRead && previous !== undefined) expect(all).toBe(previous);
              for (const s of subs) expect(s.last).toBe(all);
              previous = all;
              changedSinceRead = false;
              break;
            }
            case 'readOne': {
              const m = registered[op.index]!;
              const one = recorder.getMetricSnapshot(m.name);
              expect(one!.dimensions).toEqual(reduceEvents(m, emitted));
              // The single read and a later full read agree on the object.
              expect(recorder.getMetricSnapshots()[m.name]).toBe(one);
              break;
            }
            case 'subscribe': {
              recorder.getMetricSnapshots(); // drain, so the replay can be compared with the model
              subscribe();
              expectModel(subs[subs.length - 1]!.last!);
              break;
            }
            case 'unsubscribe': {
              const s = subs.splice(op.index % Math.max(1, subs.length), 1)[0];
              s?.sub.unsubscribe();
              break;
            }
          }
        }
        expectModel(recorder.getMetricSnapshots());
        for (const s of subs) s.sub.unsubscribe();
        void recorder.dispose();
      }),
      { numRuns: 150 },
    );
  });

  it('a subscriber that arrives after unobserved batches gets the current map, not the last built one', async () => {
    const recorder = new MetricsRecorder('late');
    const jobs = counter({ name: 'jobs', on: 'job' });
    recorder.registerMetric(jobs);
    await recorder.start();
    for (let i = 0; i < 5; i++) recorder.emit({ type: 'job' });
    await recorder.flush(); // processed by batches nobody observed
    const first: MetricSnapshots[] = [];
    const sub = recorder.snapshots$.subscribe((m) => first.push(m));
    expect(first[0]!['jobs']!.dimensions.total).toBe(5);
    const typed: number[] = [];
    const one = recorder.snapshot$(jobs).subscribe((s) => typed.push(s.dimensions.total));
    expect(typed).toEqual([5]);
    recorder.emit({ type: 'job' });
    await recorder.flush();
    expect(typed).toEqual([5, 6]); // observed now: built at the batch
    expect(first[first.length - 1]!['jobs']!.dimensions.total).toBe(6);
    sub.unsubscribe();
    one.unsubscribe();
    await recorder.dispose();
    expect(recorder.getMetricSnapshot(jobs)!.dimensions.total).toBe(6);
  });
});
