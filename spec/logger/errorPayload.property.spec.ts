import fc from 'fast-check';
import { LogContext, MemorySink, buildErrorPayload, isErrorLogged, markErrorLogged } from 'mvx-common/logger';
import {
  contextPlanArb,
  hostileContext,
  hostileErrorArb,
  hostileValueArb,
} from '../helpers/hostileInputs.js';
import { expectJsonSafe } from './jsonAssertions.js';

const RUN = { numRuns: 200, interruptAfterTimeLimit: 4_000 } as const;

describe('buildErrorPayload (properties)', () => {
  it('never throws and always gives a frozen JSON-safe payload, whatever is thrown', () => {
    fc.assert(
      fc.property(fc.oneof(hostileErrorArb, hostileValueArb), (make) => {
        const value = make();
        const payload = buildErrorPayload(value);
        expectJsonSafe(payload);
        let provider = false;
        try {
          provider = typeof (value as { toLogPayload?: unknown }).toLogPayload === 'function';
        } catch {
          // unreadable: no provider
        }
        if (!provider) {
          // Without a provider, always a summary.
          expect(typeof payload.name).toBe('string');
          expect(typeof payload.message).toBe('string');
        }
      }),
      RUN,
    );
  });

  it('never throws through a context, whatever its processor does', () => {
    fc.assert(
      fc.property(contextPlanArb, hostileErrorArb, (plan, make) => {
        const { ctx } = hostileContext(plan);
        expectJsonSafe(ctx.buildErrorPayload(make()));
      }),
      RUN,
    );
  });

  it('summarizes an error chain one level deep, whatever its length (cycles included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (messages, cyclic) => {
          const errors = messages.map((m) => new Error(m));
          errors.forEach((e, i) => {
            const next = errors[i + 1] ?? (cyclic ? errors[0] : undefined);
            if (next) (e as { cause?: unknown }).cause = next;
          });
          const payload = buildErrorPayload(errors[0]);
          expect(payload.message).toBe(messages[0]);
          const cause = payload.cause as Record<string, unknown> | undefined;
          if (errors[0]!.cause === undefined) expect(cause).toBeUndefined();
          else {
            expect(cause?.message).toBe((errors[0]!.cause as Error).message);
            expect(cause).not.toHaveProperty('cause');
          }
        },
      ),
      RUN,
    );
  });

  it('marks without modifying, for any object (revoked Proxies included)', () => {
    fc.assert(
      fc.property(fc.oneof(hostileErrorArb, hostileValueArb), (make) => {
        const value = make();
        expect(() => markErrorLogged(value)).not.toThrow();
        expect(isErrorLogged(value)).toBe(
          value !== null && (typeof value === 'object' || typeof value === 'function'),
        );
      }),
      RUN,
    );
  });

  it('is what a context logs for a failure: the same payload in ctx.error', () => {
    const sink = new MemorySink();
    const ctx = LogContext.root({ sink });
    fc.assert(
      fc.property(hostileErrorArb, (make) => {
        sink.clear();
        const error = make();
        expect(ctx.error('op.failed', { error })).toBe(true);
        expectJsonSafe(sink.events[0]?.payload);
      }),
      RUN,
    );
  });
});
