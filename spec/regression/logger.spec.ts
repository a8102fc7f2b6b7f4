/**
 * Regressions of the logger: one test per fixed defect, named for what broke and in which version. Each
 * fails on the code that had the defect; the class of each is covered in full by the spec cited in the test.
 *
 * Pinned elsewhere: a payload key `__proto__` became the prototype of the normalized payload (0.3.0):
 * spec/logger/PayloadNormalizer.property.spec.ts, "keeps every payload key ... as an own key".
 */
import {
  buildErrorPayload,
  createLogEventMeta,
  LogContext,
  logInvocation,
  MemorySink,
  PatternLogEventPolicy,
  PayloadNormalizer,
} from 'mvx-common/logger';
import { tick } from '../helpers/wait.js';

const throwingClock = (): number => {
  throw new Error('clock down');
};

describe('logger regressions', () => {
  it('0.3.0: ctx.info threw when the clock threw', () => {
    // Class: spec/logger/LogContext.property.spec.ts (every component failing in every way).
    const sink = new MemorySink();
    const ctx = LogContext.root({ namespace: 'app', sink, clock: throwingClock, errorHandling: 'ignore' });
    expect(() => ctx.info('app.ready')).not.toThrow();
    expect(sink.events).toHaveLength(1);
    expect(typeof sink.events[0]!.timestamp).toBe('number');
  });

  it('0.3.0: with a throwing clock, logInvocation threw before the wrapped function ran', () => {
    // Class: spec/logger/logInvocation.property.spec.ts.
    const ctx = LogContext.root({ sink: new MemorySink(), clock: throwingClock, errorHandling: 'ignore' });
    let runs = 0;
    const work = logInvocation('job.run', { logContext: ctx })((n: number) => {
      runs++;
      return n * 2;
    });
    expect(work(21)).toBe(42);
    expect(runs).toBe(1);
  });

  it("0.3.0: with a throwing clock, logInvocation replaced the function's own error", () => {
    // Class: spec/logger/logInvocation.property.spec.ts.
    const ctx = LogContext.root({ sink: new MemorySink(), clock: throwingClock, errorHandling: 'ignore' });
    const own = new Error('own');
    const work = logInvocation('job.run', { logContext: ctx })(() => {
      throw own;
    });
    expect(() => work()).toThrow(own);
  });

  it('0.3.0: with a throwing clock, a Promise-returning function gave an unhandled rejection', async () => {
    // Class: spec/logger/logInvocation.property.spec.ts.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ctx = LogContext.root({ sink: new MemorySink(), clock: throwingClock, errorHandling: 'ignore' });
      const work = logInvocation('job.run', { logContext: ctx })(async () => 'done');
      await expect(work()).resolves.toBe('done');
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('0.3.0: the payload normalizer read every key and getter before applying its cap', () => {
    // Class: spec/logger/PayloadNormalizer.property.spec.ts, "getters beyond every cap are never invoked".
    let reads = 0;
    const payload: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) {
      Object.defineProperty(payload, `k${i}`, {
        enumerable: true,
        get: () => {
          reads++;
          return i;
        },
      });
    }
    new PayloadNormalizer({ maxPayloadKeys: 10 }).normalizePayload(payload);
    expect(reads).toBe(10);
  });

  it('0.3.0: one throwing getter made buildErrorPayload summarize the whole error as unreadable', () => {
    // Class: spec/logger/errorPayload.property.spec.ts.
    const error = new Error('save failed');
    Object.defineProperty(error, 'name', {
      get: () => {
        throw new Error('getter');
      },
    });
    expect(buildErrorPayload(error)).toMatchObject({ name: '<unreadable>', message: 'save failed' });
  });

  it('0.3.0: PatternLogEventPolicy globs backtracked (*a*a*a*a*a*a*b against an 80-character entity id took 6 s)', () => {
    // Class: spec/logger/glob.spec.ts.
    const policy = new PatternLogEventPolicy({ rules: [{ action: 'deny', entityIds: ['*a*a*a*a*a*a*b'] }] });
    const meta = createLogEventMeta({ eventName: 'x', entityId: 'a'.repeat(80) });
    const started = performance.now();
    expect(policy.isEventEnabled(meta)).toBe(true);
    // Linear matching takes microseconds; the backtracking one took seconds. Generous for a busy machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
