/**
 * Arguments of `measure`: unknown option keys are refused naming the key and the accepted ones, valid
 * options accepted, hostile values (throwing getters, Proxies) become TypeErrors naming the parameter.
 */
import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { measure } from 'mvx-common';
import type { MetricEvent } from 'mvx-common';
import {
  expectReadFailure,
  expectUnknownKey,
  throwingGetter,
  throwingKeysProxy,
  unknownKey,
  withKey,
} from '../../helpers/optionArbitraries.js';

const emitter = (events: MetricEvent[] = []) => ({ emit: (e: MetricEvent) => void events.push(e) });
const options = fc.record(
  { clock: fc.constantFrom({ now: () => 7 }, new TestScheduler(() => undefined)) },
  { requiredKeys: [] },
);

describe('measure options', () => {
  it('accepts valid options and measures with the given clock (property)', () => {
    fc.assert(
      fc.property(options, (o) => {
        const events: MetricEvent[] = [];
        expect(measure(emitter(events), 'job', () => 1, {}, o)).toBe(1);
        expect(events).toHaveLength(1);
        if (o.clock) expect((events[0] as unknown as Record<string, unknown>)['durationMs']).toBe(0);
      }),
    );
  });

  it('refuses any unknown key before running the work (property)', () => {
    fc.assert(
      fc.property(options, unknownKey(['clock']), fc.anything(), (o, key, value) => {
        let ran = false;
        expectUnknownKey(
          () =>
            measure(
              emitter(),
              'job',
              () => {
                ran = true;
              },
              {},
              withKey(o, key, value),
            ),
          'options',
          key,
          ['clock'],
        );
        expect(ran).toBe(false);
      }),
    );
  });

  it('names bad and hostile arguments', () => {
    const work = () => 1;
    expect(() => measure(emitter(), 'job', work, {}, { clock: {} as never })).toThrow(/`options.clock`/);
    expect(() => measure(emitter(), 'job', work, {}, null as never)).toThrow(/`options`/);
    expectReadFailure(() => measure(emitter(), 'job', work, {}, throwingGetter('clock')), '`options.clock`');
    expectReadFailure(() => measure(emitter(), 'job', work, {}, throwingKeysProxy()), '`options`');
    expectReadFailure(
      () => measure(emitter(), 'job', work, {}, { clock: throwingGetter('now') as never }),
      '`options.clock.now`',
    );
    for (const bad of [null, undefined, {}, { emit: 'x' }]) {
      expect(() => measure(bad as never, 'job', work)).toThrow(/`emitter`/);
    }
    expectReadFailure(() => measure(throwingGetter('emit') as never, 'job', work), '`emitter.emit`');
    expect(() => measure(emitter(), 'job', work, 'eu' as never)).toThrow(/`fields`/);
    expectReadFailure(() => measure(emitter(), 'job', work, throwingGetter('region')), '`fields`');
  });

  it('copies fields when called', () => {
    const events: MetricEvent[] = [];
    const fields = { region: 'eu' };
    const p = measure(emitter(events), 'job', Promise.resolve(1), fields);
    fields.region = 'us';
    return Promise.resolve(p).then(() => {
      expect(events[0]).toMatchObject({ region: 'eu', type: 'job', outcome: 'success' });
    });
  });
});
