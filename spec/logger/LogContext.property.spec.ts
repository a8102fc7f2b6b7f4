import fc from 'fast-check';
import {
  LogContext,
  LogDeliveryError,
  createLogEvent,
  createLogEventMeta,
  toLogRecord,
  type LogEvent,
} from 'mvx-common/logger';
import {
  build,
  contextPlanArb,
  hostileContext,
  hostilePayloadArb,
  revoked,
  trapping,
  type Build,
} from '../helpers/hostileInputs.js';
import { expectJsonSafe } from './jsonAssertions.js';

const RUN = { numRuns: 300, interruptAfterTimeLimit: 4_000 } as const;

/** Per-call options: valid ones, and every way of getting them wrong. */
const optionsArb: fc.Arbitrary<Build> = fc.oneof(
  fc
    .record(
      {
        outcome: fc.oneof(fc.constant(null), fc.constantFrom('invoke', 'success', 'custom')),
        entityId: fc.oneof(fc.constant(null), fc.string({ maxLength: 10 })),
        namespace: fc.oneof(fc.constant(null), fc.constantFrom('other', 'a.b')),
        source: fc.record(
          { path: fc.string({ maxLength: 8 }), line: fc.nat(), func: fc.string({ maxLength: 8 }) },
          { requiredKeys: [] },
        ),
        skipNormalization: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((o) => build(JSON.stringify(o), () => o)),
  fc
    .constantFrom<[string, () => unknown]>(
      ['undefined', () => undefined],
      ['null', () => null],
      ['"opts"', () => 'opts'],
      ['{ entityId: 42 }', () => ({ entityId: 42 })],
      ['{ entityID: "a" }', () => ({ entityID: 'a' })],
      ['{ __proto__ key }', () => JSON.parse('{"__proto__": {"entityId": "x"}}') as unknown],
      ['revoked()', () => revoked()],
      ['trapping()', () => trapping()],
      ['{ source: revoked() }', () => ({ source: revoked() })],
      [
        '{ source: throwing getter }',
        () => ({
          source: Object.defineProperty({}, 'path', {
            enumerable: true,
            get: () => {
              throw new Error('path getter');
            },
          }),
        }),
      ],
      ['{ source: { line: -1 } }', () => ({ source: { line: -1 } })],
      ['{ skipNormalization: "yes" }', () => ({ skipNormalization: 'yes' })],
      [
        'throwing entityId getter',
        () =>
          Object.defineProperty({}, 'entityId', {
            enumerable: true,
            get: () => {
              throw revoked();
            },
          }),
      ],
    )
    .map(([label, make]) => build(label, make)),
);

const eventNameArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('store.save', 'x', 'a-b_c.1') },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('', '   ', 42, null, undefined, Symbol('s')) },
);

type Entry = 'debug' | 'info' | 'warning' | 'warn' | 'error' | 'critical' | 'log' | 'logEvent';
const entryArb = fc.constantFrom<Entry>(
  'debug',
  'info',
  'warning',
  'warn',
  'error',
  'critical',
  'log',
  'logEvent',
);
const levelArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('debug', 'info', 'warning', 'error', 'critical') },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('fatal', 'warn', 7, null) },
);

function call(
  ctx: LogContext,
  entry: Entry,
  level: unknown,
  name: unknown,
  payload: unknown,
  options: unknown,
): unknown {
  const c = ctx as unknown as Record<string, (...a: unknown[]) => unknown>;
  return entry === 'log' || entry === 'logEvent'
    ? c[entry]!.call(ctx, level, name, payload, options)
    : c[entry]!.call(ctx, name, payload, options);
}

/** Every delivered event is frozen, JSON-safe and serializable as a record. */
function checkDelivered(events: readonly LogEvent[]): void {
  for (const event of events) {
    expect(Object.isFrozen(event)).toBe(true);
    expect(Number.isFinite(event.timestamp)).toBe(true);
    expectJsonSafe(event.payload);
    expect(typeof event.meta.eventName).toBe('string');
    expect(event.meta.entityId === null || typeof event.meta.entityId === 'string').toBe(true);
    expect(() => JSON.stringify(toLogRecord(event))).not.toThrow();
  }
}

describe('LogContext (fuzz: every component fails randomly)', () => {
  it("never throws from a logging entry unless 'raise', and then only a LogDeliveryError", () => {
    fc.assert(
      fc.property(
        contextPlanArb,
        entryArb,
        levelArb,
        eventNameArb,
        hostilePayloadArb,
        optionsArb,
        (plan, entry, level, name, payload, options) => {
          const { ctx, delivered } = hostileContext(plan);
          const before = ctx.failureCount;
          let result: unknown;
          let thrown: unknown = undefined;
          let threw = false;
          try {
            result = call(ctx, entry, level, name, payload(), options());
          } catch (err) {
            threw = true;
            thrown = err;
          }
          if (threw) {
            expect(plan.errorHandling).toBe('raise');
            expect(thrown).toBeInstanceOf(LogDeliveryError);
            expect((thrown as LogDeliveryError).code).toBe('LOG_DELIVERY_FAILED');
            expect(typeof (thrown as LogDeliveryError).message).toBe('string');
          } else expect(typeof result).toBe('boolean');
          expect(ctx.failureCount).toBeGreaterThanOrEqual(before);
          if (result === false || threw) {
            // Not delivered: some component failed, and that failure was counted.
            expect(ctx.failureCount).toBeGreaterThan(before);
          }
          checkDelivered(delivered);
        },
      ),
      RUN,
    );
  });

  it('delivers exactly one event and counts no failure when every component is healthy', () => {
    const healthy = contextPlanArb.map((p) => ({
      ...p,
      sink: 'ok' as const,
      processor: 'ok' as const,
      policy: 'ok' as const,
      clock: 'ok' as const,
    }));
    fc.assert(
      fc.property(healthy, entryArb, hostilePayloadArb, (plan, entry, payload) => {
        const { ctx, delivered } = hostileContext(plan);
        expect(call(ctx, entry, 'info', 'store.save', payload(), { entityId: 'e1' })).toBe(true);
        expect(ctx.failureCount).toBe(0);
        expect(delivered).toHaveLength(1);
        expect(delivered[0]?.meta.entityId).toBe('e1');
        checkDelivered(delivered);
      }),
      RUN,
    );
  });

  it('never throws from the helpers (now, normalize*, buildErrorPayload, isEventEnabled outside raise)', () => {
    fc.assert(
      fc.property(contextPlanArb, hostilePayloadArb, (plan, payload) => {
        const { ctx } = hostileContext(plan);
        expect(Number.isFinite(ctx.now())).toBe(true);
        expectJsonSafe(ctx.normalizePayload(payload() as Record<string, unknown>));
        expectJsonSafe(ctx.normalizeValue(payload()));
        expectJsonSafe(ctx.buildErrorPayload(payload()));
        const meta = createLogEventMeta({ eventName: 'x', namespace: 'n' });
        if (plan.errorHandling === 'raise') {
          try {
            expect(typeof ctx.isEventEnabled(meta)).toBe('boolean');
          } catch (err) {
            expect(err).toBeInstanceOf(LogDeliveryError);
          }
        } else expect(typeof ctx.isEventEnabled(meta)).toBe('boolean');
      }),
      RUN,
    );
  });

  it('emit hands over any event, even garbage, without throwing outside raise', () => {
    const eventArb = fc.constantFrom<[string, () => unknown]>(
      [
        'valid',
        () => createLogEvent({ level: 'info', meta: createLogEventMeta({ eventName: 'e' }), timestamp: 1 }),
      ],
      ['null', () => null],
      ['revoked()', () => revoked()],
      ['{ meta: trapping() }', () => ({ meta: trapping() })],
      ['bigint payload', () => ({ level: 'info', meta: { eventName: 'b' }, payload: { n: 1n } })],
    );
    fc.assert(
      fc.property(contextPlanArb, eventArb, (plan, [, make]) => {
        const { ctx } = hostileContext(plan);
        try {
          expect(typeof ctx.emit(make() as LogEvent)).toBe('boolean');
        } catch (err) {
          expect(plan.errorHandling).toBe('raise');
          expect(err).toBeInstanceOf(LogDeliveryError);
        }
      }),
      RUN,
    );
  });

  it('prints at most one diagnostics line per failure streak', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (failures) => {
        const lines: string[] = [];
        let fail = false;
        const ctx = LogContext.root({
          sink: {
            log() {
              if (fail) throw new Error('down');
            },
          },
          diagnostics: (l) => lines.push(l),
        });
        let streaks = 0;
        let previous = false;
        for (const f of failures) {
          fail = f;
          ctx.info('x');
          if (f && !previous) streaks++;
          previous = f;
        }
        expect(lines).toHaveLength(streaks);
        expect(ctx.failureCount).toBe(failures.filter(Boolean).length);
      }),
      RUN,
    );
  });
});
