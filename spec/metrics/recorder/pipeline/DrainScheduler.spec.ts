import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
// Internal on purpose: when the recorder's drain and refresh run (not exported).
import { DrainScheduler } from '../../../../lib/metrics/recorder/pipeline/DrainScheduler.js';

function virtual(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

/** A DrainScheduler whose batch task clears `scheduled` (as the facade's does) and logs runs. */
function make(scheduler: TestScheduler | undefined, onBatch: (s: DrainScheduler) => void = () => {}) {
  const log: string[] = [];
  const refreshes: number[] = [];
  const s: DrainScheduler = new DrainScheduler(
    scheduler,
    () => {
      s.scheduled = false;
      log.push(`batch@${s.now()}`);
      onBatch(s);
    },
    () => refreshes.push(s.now()),
  );
  return { s, log, refreshes };
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DrainScheduler', () => {
  describe('on an injected scheduler', () => {
    it('schedules one batch per request until it ran; follow-ups are scheduled from the batch', () => {
      const ts = virtual();
      let followUps = 2;
      const { s, log } = make(ts, (self) => {
        if (followUps-- > 0) self.requestNext();
      });
      s.request();
      s.request();
      s.requestNext();
      expect(s.scheduled).toBe(true);
      expect(log).toEqual([]); // nothing runs on the caller's stack
      ts.flush();
      expect(log).toEqual(['batch@0', 'batch@0', 'batch@0']);
      expect(s.scheduled).toBe(false);
    });

    it('reads ctx.now from the scheduler and defers tasks on it without marking a batch scheduled', () => {
      const ts = virtual();
      const { s } = make(ts);
      const seen: number[] = [];
      ts.schedule(() => {
        s.defer(() => seen.push(s.now()));
        expect(s.scheduled).toBe(false);
      }, 30);
      ts.flush();
      expect(seen).toEqual([30]);
    });

    it('runs the refresh at the earliest due time asked for: earlier replaces later, later keeps earlier (model)', () => {
      type Call = { readonly gap: number; readonly due: number | undefined; readonly cancel: boolean };
      const call = fc.record({
        gap: fc.integer({ min: 1, max: 20 }),
        due: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        cancel: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(call, { maxLength: 25 }), (calls: Call[]) => {
          const ts = virtual();
          const { s, refreshes } = make(ts);
          // The model: the due time kept, and when its timer fires (a due in the past fires at once).
          let kept: { due: number; fireAt: number } | undefined;
          const fired: number[] = [];
          let t = 0;
          for (const c of calls) {
            t += c.gap;
            // Ops are scheduled first, so an op at the time a timer fires runs before it.
            if (kept !== undefined && kept.fireAt < t) {
              fired.push(kept.fireAt);
              kept = undefined;
            }
            const at = t;
            if (c.cancel && c.due === undefined) {
              ts.schedule(() => s.cancelPendingRefresh(), at);
              kept = undefined;
            } else {
              ts.schedule(() => s.refreshAt(c.due), at);
              if (c.due === undefined) kept = undefined;
              else if (kept === undefined || kept.due > c.due)
                kept = { due: c.due, fireAt: Math.max(c.due, at) };
            }
          }
          if (kept !== undefined) fired.push(kept.fireAt);
          ts.flush();
          expect(refreshes).toEqual(fired);
        }),
        { numRuns: 300 },
      );
    });

    it('can plan the next refresh from inside the refresh', () => {
      const ts = virtual();
      const times: number[] = [];
      const s: DrainScheduler = new DrainScheduler(
        ts,
        () => {},
        () => {
          times.push(s.now());
          if (times.length < 3) s.refreshAt(s.now() + 10);
        },
      );
      s.refreshAt(5);
      ts.flush();
      expect(times).toEqual([5, 15, 25]);
    });
  });

  describe('without a scheduler', () => {
    afterEach(() => jest.useRealTimers());

    it('runs the first batch on a microtask and a follow-up after a macrotask', async () => {
      const order: string[] = [];
      const { s } = make(undefined, () => order.push('batch'));
      setImmediate(() => order.push('macrotask'));
      s.request();
      void Promise.resolve().then(() => order.push('microtask'));
      await macrotask();
      expect(order).toEqual(['batch', 'microtask', 'macrotask']);

      order.length = 0;
      s.requestNext();
      void Promise.resolve().then(() => order.push('microtask'));
      await macrotask();
      expect(order).toEqual(['microtask', 'batch']);
    });

    it('defers on a microtask and reads ctx.now from Date.now()', async () => {
      const { s } = make(undefined);
      const before = Date.now();
      const now = s.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
      let ran = false;
      s.defer(() => (ran = true));
      expect(ran).toBe(false);
      await Promise.resolve();
      expect(ran).toBe(true);
    });

    it('runs the refresh on a real timer at the due time (fake timers), and cancels it', () => {
      jest.useFakeTimers({ now: 1_000 });
      const { s, refreshes } = make(undefined);
      s.refreshAt(1_050);
      jest.advanceTimersByTime(49);
      expect(refreshes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(refreshes).toEqual([1_050]);
      s.refreshAt(1_100);
      s.refreshAt(undefined);
      jest.advanceTimersByTime(1_000);
      expect(refreshes).toEqual([1_050]);
    });

    it('uses an unref’d timer: a pending refresh never keeps the process alive', () => {
      const handles: NodeJS.Timeout[] = [];
      const real = globalThis.setTimeout;
      const spy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
        const handle = real(fn, ms);
        handles.push(handle);
        return handle;
      }) as typeof setTimeout);
      const { s } = make(undefined);
      s.refreshAt(Date.now() + 60_000);
      spy.mockRestore();
      expect(handles).toHaveLength(1);
      expect(handles[0]!.hasRef()).toBe(false);
      s.cancelPendingRefresh();
    });
  });
});
