import fc from 'fast-check';
// Internal on purpose: the admission stage and its outcome codes (not exported).
import {
  ACCEPTED,
  ACCEPTING_STATES,
  Admission,
  DROPPED,
  INVALID,
  OVERFLOW_REFUSED,
  WRONG_STATE,
} from '../../../../lib/metrics/recorder/pipeline/Admission.js';
import { EventBuffer } from '../../../../lib/metrics/recorder/pipeline/EventBuffer.js';
import { InvalidMetricEventError, type MetricEvent } from '../../../../lib/metrics/event.js';
import {
  RecorderInvalidStateError,
  RecorderOverflowError,
} from '../../../../lib/metrics/errors/recorderErrors.js';
import type { OverflowPolicy } from '../../../../lib/metrics/recorder/types.js';

const revoked = (() => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
})();

/** Values that are not events: admission refuses them without throwing. */
const INVALID_VALUES: readonly unknown[] = [
  null,
  undefined,
  0,
  'e',
  Symbol('e'),
  () => ({ type: 'e' }),
  {},
  { type: '' },
  { type: 5 },
  { type: new String('e') },
  Object.create(null),
  Object.defineProperty({}, 'type', {
    get() {
      throw new Error('getter');
    },
  }),
  new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
    },
  ),
  revoked,
];

const POLICIES: readonly OverflowPolicy[] = ['drop-newest', 'drop-oldest', 'error'];

describe('Admission', () => {
  it('accepts only in virgin, starting and running', () => {
    expect(ACCEPTING_STATES).toEqual(['virgin', 'starting', 'running']);
    expect(Object.isFrozen(ACCEPTING_STATES)).toBe(true);
  });

  it('refuses every invalid value as INVALID (counted as offered and rejected), whatever the state', () => {
    for (const accepting of [true, false]) {
      const buffer = new EventBuffer<MetricEvent>(4);
      const admission = new Admission(buffer, 'drop-newest');
      admission.accepting = accepting;
      for (const value of INVALID_VALUES) expect(admission.admit(value as MetricEvent)).toBe(INVALID);
      expect(admission.offered).toBe(INVALID_VALUES.length);
      expect(admission.rejected).toBe(INVALID_VALUES.length);
      expect(admission.accepted + admission.dropped + buffer.size).toBe(0);
    }
  });

  it('accepts a null-prototype event and a type read through a getter, reading it once', () => {
    const buffer = new EventBuffer<MetricEvent>(4);
    const admission = new Admission(buffer, 'drop-newest');
    const bare = Object.assign(Object.create(null) as object, { type: 'e' }) as MetricEvent;
    let reads = 0;
    const viaGetter = Object.defineProperty({}, 'type', { get: () => (reads++, 'e') }) as MetricEvent;
    expect(admission.admit(bare)).toBe(ACCEPTED);
    expect(admission.admit(viaGetter)).toBe(ACCEPTED);
    expect(reads).toBe(1);
    expect([buffer.shift(), buffer.shift()]).toEqual([bare, viaGetter]);
  });

  for (const policy of POLICIES) {
    it(`matches a model of outcomes, counters and pending events under '${policy}' (model)`, () => {
      type Op =
        | { readonly kind: 'valid' }
        | { readonly kind: 'invalid'; readonly which: number }
        | { readonly kind: 'accepting'; readonly value: boolean }
        | { readonly kind: 'process' };
      const op: fc.Arbitrary<Op> = fc.oneof(
        { weight: 5, arbitrary: fc.constant({ kind: 'valid' as const }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalid' as const), which: fc.nat() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('accepting' as const), value: fc.boolean() }) },
        { weight: 2, arbitrary: fc.constant({ kind: 'process' as const }) },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 80 }), (capacity, ops) => {
          const buffer = new EventBuffer<MetricEvent>(capacity);
          const admission = new Admission(buffer, policy);
          const model = { offered: 0, accepted: 0, dropped: 0, rejected: 0, evicted: 0, accepting: true };
          const pending: MetricEvent[] = [];
          let seq = 0;
          for (const o of ops) {
            if (o.kind === 'accepting') {
              admission.accepting = o.value;
              model.accepting = o.value;
              continue;
            }
            if (o.kind === 'process') {
              if (pending.length > 0) expect(buffer.shift()).toBe(pending.shift());
              continue;
            }
            const value =
              o.kind === 'valid'
                ? { type: 'e', seq: seq++ }
                : INVALID_VALUES[o.which % INVALID_VALUES.length];
            let expected: number;
            model.offered++;
            if (o.kind === 'invalid') {
              model.rejected++;
              expected = INVALID;
            } else if (!model.accepting) {
              model.rejected++;
              expected = WRONG_STATE;
            } else if (pending.length >= capacity) {
              model.dropped++;
              if (policy === 'drop-newest') expected = DROPPED;
              else if (policy === 'error') expected = OVERFLOW_REFUSED;
              else {
                pending.shift();
                model.evicted++;
                pending.push(value as MetricEvent);
                model.accepted++;
                expected = ACCEPTED;
              }
            } else {
              pending.push(value as MetricEvent);
              model.accepted++;
              expected = ACCEPTED;
            }
            expect(admission.admit(value as MetricEvent)).toBe(expected);
            expect({
              offered: admission.offered,
              accepted: admission.accepted,
              dropped: admission.dropped,
              rejected: admission.rejected,
              evicted: buffer.evicted,
              accepting: admission.accepting,
            }).toEqual(model);
            expect(buffer.size).toBe(pending.length);
          }
          const left: MetricEvent[] = [];
          while (buffer.size > 0) left.push(buffer.shift());
          expect(left).toEqual(pending);
        }),
        { numRuns: 150 },
      );
    });
  }

  describe('refusal', () => {
    const admission = new Admission(new EventBuffer<MetricEvent>(7), 'error');

    it('explains an invalid event (TypeError, code INVALID_EVENT)', () => {
      const error = admission.refusal(INVALID, { type: 5 }, 'running', undefined);
      expect(error).toBeInstanceOf(InvalidMetricEventError);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as InvalidMetricEventError).code).toBe('INVALID_EVENT');
      expect(error.message).toBe('Expected `event.type` to be a non-empty string, got `5` (number)');
    });

    it('explains an overflow with the capacity', () => {
      const error = admission.refusal(OVERFLOW_REFUSED, { type: 'e' }, 'running', undefined);
      expect(error).toBeInstanceOf(RecorderOverflowError);
      expect((error as RecorderOverflowError).capacity).toBe(7);
      expect((error as RecorderOverflowError).code).toBe('QUEUE_OVERFLOW');
    });

    it('explains a wrong state with the state, the accepting states and the cause', () => {
      const cause = new Error('earlier failure');
      const error = admission.refusal(WRONG_STATE, { type: 'e' }, 'failure', { cause });
      expect(error).toBeInstanceOf(RecorderInvalidStateError);
      const e = error as RecorderInvalidStateError;
      expect(e.state).toBe('failure');
      expect(e.expectedStates).toEqual(ACCEPTING_STATES);
      expect(e.cause).toBe(cause);
      expect(e.message).toMatch(/register an event.*'failure'/);
    });

    it('never throws for any value, even ones whose `type` cannot be read', () => {
      for (const value of INVALID_VALUES) {
        expect(() => admission.refusal(INVALID, value, 'running', undefined)).not.toThrow();
      }
    });
  });
});
