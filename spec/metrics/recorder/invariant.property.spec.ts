import fc from 'fast-check';
import { MetricsRecorder, type OverflowPolicy, type RecorderStats } from 'mvx-common';
import { createTestScheduler } from 'mvx-common/testing';
import { count, countingMetric, type TestEvent } from '../../helpers/recorderFixtures.js';

type Step =
  | { kind: 'emit'; valid: boolean }
  | { kind: 'registerEvent'; valid: boolean }
  | { kind: 'burst'; n: number }
  | { kind: 'start' | 'stop' | 'flush' | 'read' | 'stats' | 'tick' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('emit' as const), valid: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('registerEvent' as const), valid: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('burst' as const), n: fc.integer({ min: 1, max: 20 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'start' as const,
        'stop' as const,
        'flush' as const,
        'read' as const,
        'stats' as const,
        'tick' as const,
      ),
    }),
  },
);

function checkStats(s: RecorderStats, label: string): void {
  const ok =
    s.offered === s.processed + s.pending + s.dropped + s.rejected &&
    s.accepted <= s.offered &&
    s.processed + s.pending <= s.accepted &&
    // every accepted event was processed, is pending, or was evicted (counted in dropped)
    s.accepted - s.processed - s.pending <= s.dropped &&
    s.pending >= 0 &&
    s.pending <= s.capacity;
  if (!ok) throw new Error(`${label}: invariant broken ${JSON.stringify(s)}`);
}

describe('MetricsRecorder accounting invariant (property)', () => {
  it('offered = processed + pending + dropped + rejected after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<OverflowPolicy>('drop-newest', 'drop-oldest', 'error'),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        async (capacity, overflow, virtual, steps) => {
          const recorder = new MetricsRecorder<TestEvent>('p', {
            capacity,
            overflow,
            ...(virtual ? { scheduler: createTestScheduler() } : {}),
          });
          recorder.registerMetric(countingMetric());
          const seenOnStream: RecorderStats[] = [];
          const sub = recorder.stats$.subscribe((s) => seenOnStream.push(s));
          let offered = 0;
          for (const [i, s] of steps.entries()) {
            switch (s.kind) {
              case 'emit':
                recorder.emit(s.valid ? count() : (null as never));
                offered++;
                break;
              case 'registerEvent':
                try {
                  recorder.registerEvent(s.valid ? count() : ({ type: '' } as never));
                } catch {
                  // refusals are counted, asserted through the invariant
                }
                offered++;
                break;
              case 'burst':
                for (let k = 0; k < s.n; k++) recorder.emit(count());
                offered += s.n;
                break;
              case 'start':
                await recorder.start();
                break;
              case 'stop':
                await recorder.stop();
                break;
              case 'flush':
                await recorder.flush();
                break;
              case 'read':
                recorder.getMetricSnapshots();
                break;
              case 'stats':
                break;
              case 'tick':
                await new Promise((resolve) => setImmediate(resolve));
                break;
            }
            const stats = recorder.getStats();
            checkStats(stats, `step ${i} (${s.kind})`);
            expect(stats.offered).toBe(offered);
          }
          for (const [i, s] of seenOnStream.entries()) checkStats(s, `stats$ #${i}`);
          sub.unsubscribe();
          await recorder.dispose();
          const final = recorder.getStats();
          checkStats(final, 'after dispose');
          // every processed event (all count events of value 1) reached the metric exactly once
          expect(recorder.getMetricSnapshot('test.metric')!.dimensions['total']).toBe(final.processed);
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 12_000 },
    );
  });
});
