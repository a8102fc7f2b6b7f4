/**
 * Arguments of the testing helpers: `createTestRecorder`'s unknown option keys are refused naming the key
 * and the accepted ones, valid options accepted; bad and hostile arguments of every helper become
 * TypeErrors naming the parameter.
 */
import fc from 'fast-check';
import { of } from 'rxjs';
import { defineMetric, LogContext, MemorySink, type MetricEvent } from 'mvx-common';
import { collect, createTestRecorder, createTestScheduler, reduceEvents } from 'mvx-common/testing';
import {
  expectReadFailure,
  expectUnknownKey,
  throwingGetter,
  throwingKeysProxy,
  unknownKey,
  withKey,
} from '../helpers/optionArbitraries.js';

const counter = defineMetric({
  name: 'c',
  accepts: (e: MetricEvent): e is MetricEvent => e.type === 'a',
  init: () => ({ total: 0 }),
  reduce: (s: { total: number }) => ({ total: s.total + 1 }),
  dimensions: (s) => ({ total: s.total }),
});

const KEYS = [
  'namespace',
  'capacity',
  'overflow',
  'metricErrors',
  'stopTimeoutMs',
  'startTimeoutMs',
  'logContext',
  'entityId',
  'events$',
];
const options = fc.record(
  {
    namespace: fc.constantFrom('t', 'test.ns'),
    capacity: fc.integer({ min: 2, max: 1000 }), // events$ emits 2 events synchronously
    overflow: fc.constantFrom('drop-newest' as const, 'drop-oldest' as const, 'error' as const),
    metricErrors: fc.constantFrom('isolate' as const, 'fail-recorder' as const),
    stopTimeoutMs: fc.integer({ min: 0, max: 10_000 }),
    startTimeoutMs: fc.integer({ min: 0, max: 10_000 }),
    logContext: fc.constantFrom(null, LogContext.root({ sink: new MemorySink() })),
    entityId: fc.constantFrom('e', 'other'),
    events$: fc.constant(of({ type: 'a' }, { type: 'a' })),
  },
  { requiredKeys: [] },
);

describe('createTestRecorder options', () => {
  it('accepts every combination of valid options (property)', () => {
    fc.assert(
      fc.property(options, (o) => {
        const scheduler = createTestScheduler();
        scheduler.run(({ flush }) => {
          const recorder = createTestRecorder(scheduler, [counter], o);
          flush();
          expect(recorder.entityId).toBe(o.entityId ?? 'test');
          expect(recorder.getMetricSnapshot('c')?.dimensions).toEqual({ total: o.events$ ? 2 : 0 });
        });
      }),
      { numRuns: 50 },
    );
  });

  it('refuses any unknown key, naming it and the accepted keys (property)', () => {
    fc.assert(
      fc.property(options, unknownKey(KEYS), fc.anything(), (o, key, value) => {
        expectUnknownKey(
          () => createTestRecorder(createTestScheduler(), [counter], withKey(o, key, value) as never),
          'options',
          key,
          KEYS,
        );
      }),
    );
  });

  it('refuses a scheduler option (it is the first argument) and names bad arguments', () => {
    const scheduler = createTestScheduler();
    expectUnknownKey(
      () => createTestRecorder(scheduler, [], { scheduler } as never),
      'options',
      'scheduler',
      KEYS,
    );
    expect(() => createTestRecorder(undefined as never, [])).toThrow(/`scheduler`/);
    expect(() => createTestRecorder(scheduler, counter as never)).toThrow(/`metrics`/);
    expect(() => createTestRecorder(scheduler, [], { events$: [1] as never })).toThrow(/`options.events\$`/);
    expectReadFailure(
      () => createTestRecorder(scheduler, [], throwingGetter('capacity')),
      '`options.capacity`',
    );
    expectReadFailure(() => createTestRecorder(scheduler, [], throwingKeysProxy()), '`options`');
    const trap = new Proxy([], {
      get() {
        throw new Error('get trap');
      },
    });
    expectReadFailure(() => createTestRecorder(scheduler, trap), '`metrics`');
  });
});

describe('other testing helpers', () => {
  it('name their bad arguments', () => {
    expect(() => createTestScheduler('x' as never)).toThrow(/`assertEqual`/);
    expect(() => reduceEvents(counter, 'a' as never)).toThrow(/`events`/);
    expect(() => reduceEvents(counter, [], NaN)).toThrow(/`now`/);
    expect(() => reduceEvents({} as never, [])).toThrow(/`metric\./);
    expect(() => collect(null as never)).toThrow(/`source\$`/);
    expectReadFailure(() => collect(throwingGetter('subscribe') as never), '`source$.subscribe`');
    expect(reduceEvents(counter, [{ type: 'a' }], (i) => i)).toEqual({ total: 1 });
  });
});
