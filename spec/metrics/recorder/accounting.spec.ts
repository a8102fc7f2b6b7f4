import fc from 'fast-check';
// Internal on purpose: the recorder's accounting over its stages' counters (not exported).
import { accountingHolds } from '../../../lib/metrics/recorder/accounting.js';
import type { OverflowPolicy, RecorderStats } from '../../../lib/metrics/recorder/types.js';
import { e, pipeline, summing } from './pipeline/harness.js';

type Op =
  | { readonly kind: 'emit'; readonly n: number }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'accepting'; readonly value: boolean }
  | { readonly kind: 'batch'; readonly max: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('emit' as const), n: fc.integer({ min: 1, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'invalid' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accepting' as const), value: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('batch' as const), max: fc.integer({ min: 1, max: 8 }) }),
  },
);

const ZERO: RecorderStats = {
  offered: 0,
  accepted: 0,
  processed: 0,
  dropped: 0,
  rejected: 0,
  pending: 0,
  capacity: 10,
  metricErrors: 0,
};

describe('Accounting', () => {
  it('every offered event is processed, pending, dropped or rejected, at every observation (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<OverflowPolicy>('drop-newest', 'drop-oldest', 'error'),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.array(op, { maxLength: 60 }),
        (overflow, capacity, failFast, ops) => {
          const p = pipeline({ capacity, overflow, failFast });
          p.register(summing('ok'));
          p.register(summing('flaky', { throwWhen: (x) => x.seq! % 7 === 3 }));
          let seq = 0;
          let offered = 0;
          let failures = 0;
          for (const o of ops) {
            if (o.kind === 'emit') {
              for (let i = 0; i < o.n; i++) p.admission.admit(e(seq++));
              offered += o.n;
            } else if (o.kind === 'invalid') {
              p.admission.admit({ type: '' });
              offered++;
            } else if (o.kind === 'accepting') {
              p.admission.accepting = o.value;
            } else {
              const before = p.drain.processed;
              p.drain.runBatch(o.max, Infinity);
              expect(p.drain.processed - before).toBeLessThanOrEqual(o.max);
            }
            const s = p.accounting.stats();
            const evicted = p.buffer.evicted;
            expect(Object.isFrozen(s)).toBe(true);
            expect(s.offered).toBe(offered);
            expect(s.offered).toBe(s.processed + s.pending + s.dropped + s.rejected);
            expect(s.accepted).toBe(s.processed + s.pending + evicted);
            expect(evicted).toBeLessThanOrEqual(s.dropped);
            if (overflow !== 'drop-oldest') expect(evicted).toBe(0);
            expect(s.pending).toBeLessThanOrEqual(capacity);
            expect(s.capacity).toBe(capacity);
            expect(p.accounting.accepted()).toBe(s.accepted);
            expect(p.accounting.settled()).toBe(s.processed + evicted);
            expect(accountingHolds(s)).toBe(true);
            failures = s.metricErrors;
          }
          expect(failures).toBe(p.logged.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('accountingHolds', () => {
    it('holds for the zero stats and for consistent counters', () => {
      expect(accountingHolds(ZERO)).toBe(true);
      const s = { ...ZERO, offered: 10, accepted: 7, processed: 4, pending: 2, dropped: 2, rejected: 2 };
      expect(accountingHolds(s)).toBe(true); // one evicted: 7 = 4 + 2 + 1, and 1 <= dropped
    });

    it('fails when an offered event is unaccounted for, or counted twice', () => {
      expect(accountingHolds({ ...ZERO, offered: 1 })).toBe(false);
      expect(accountingHolds({ ...ZERO, offered: 1, accepted: 1, processed: 1, pending: 1 })).toBe(false);
    });

    it('fails when more events left the buffer than entered it, or more were evicted than dropped', () => {
      // offered = processed + pending + dropped + rejected holds in both, accepted does not add up.
      expect(accountingHolds({ ...ZERO, offered: 5, accepted: 0, processed: 5 })).toBe(false);
      expect(accountingHolds({ ...ZERO, offered: 5, accepted: 9, processed: 5 })).toBe(false);
    });
  });
});
