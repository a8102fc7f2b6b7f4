/**
 * Every options object of the recorder, the runtime, `defineMetric`, `aggregate` and the metric kinds
 * refuses unknown keys (a TypeError naming the key and the accepted ones) and answers hostile values
 * (throwing getters, Proxies) with a TypeError naming the option; valid options are accepted.
 */
import fc from 'fast-check';
import {
  aggregate,
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  MetricsRuntime,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type MetricEvent,
} from 'mvx-common';

const base = { name: 'm', on: 'e' };
const entries: Array<[string, Record<string, unknown>, (o: never) => unknown]> = [
  ['MetricsRecorder options', { capacity: 5 }, (o) => new MetricsRecorder('r', o)],
  ['MetricsRuntime options', { namespace: 'rt' }, (o) => new MetricsRuntime(o)],
  [
    'MetricsRuntime recorderDefaults',
    { namespace: 'rt', recorderDefaults: { capacity: 5 } },
    (o) => new MetricsRuntime(o),
  ],
  [
    'defineMetric definition',
    {
      name: 'd',
      accepts: (_e: MetricEvent): _e is MetricEvent => true,
      init: () => 0,
      reduce: (s: number) => s,
      dimensions: () => ({}),
    },
    (o) => defineMetric(o),
  ],
  ['counter', { ...base, by: ['a'] }, (o) => counter(o)],
  ['upDownCounter', { ...base, value: 'v' }, (o) => upDownCounter(o)],
  ['gauge', { ...base, value: 'v' }, (o) => gauge(o)],
  ['histogram', { ...base, value: 'v', windowMs: 1000 }, (o) => histogram(o)],
  ['quantiles', { ...base, value: 'v' }, (o) => quantiles(o)],
  ['rate', { ...base, windowMs: 1000 }, (o) => rate(o)],
  ['outcomeCounter', { ...base, outcomes: ['ok'] }, (o) => outcomeCounter(o)],
  ['aggregate options', { coalesce: 10 }, (o) => aggregate(counter(base), o)],
];

const typo = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter(
    (k) =>
      ![
        'capacity',
        'namespace',
        'name',
        'on',
        'by',
        'value',
        'windowMs',
        'outcomes',
        'coalesce',
        'recorderDefaults',
        'accepts',
        'init',
        'reduce',
        'dimensions',
      ].includes(k),
  );

describe('options objects', () => {
  for (const [title, valid, make] of entries) {
    describe(title, () => {
      it('accepts the valid options', () => {
        expect(() => make(valid as never)).not.toThrow();
      });

      it('refuses unknown keys, naming the key (property)', () => {
        const nested = title === 'MetricsRuntime recorderDefaults';
        fc.assert(
          fc.property(typo, (key) => {
            const options = nested
              ? { ...valid, recorderDefaults: { ...(valid['recorderDefaults'] as object), [key]: 1 } }
              : { ...valid, [key]: 1 };
            // Keys valid for some options object of the library may be valid here too.
            let error: unknown;
            try {
              make(options as never);
            } catch (e) {
              error = e;
            }
            if (error === undefined) return; // the key happened to be a valid option
            expect(error).toBeInstanceOf(TypeError);
            expect((error as Error).message).toContain(JSON.stringify(key));
          }),
          { numRuns: 60 },
        );
      });

      it('answers a throwing getter and a revoked Proxy with a TypeError naming the option', () => {
        const key = Object.keys(valid)[0]!;
        const getter = Object.defineProperty({ ...valid }, key, {
          enumerable: true,
          get() {
            throw new Error('boom');
          },
        });
        expect(() => make(getter as never)).toThrow(TypeError);
        expect(() => make(getter as never)).toThrow(new RegExp(`\`[^\`]*${key}\` threw`));
        const { proxy, revoke } = Proxy.revocable({ ...valid }, {});
        revoke();
        expect(() => make(proxy as never)).toThrow(TypeError);
      });
    });
  }

  it('the misspellings of the issue are refused', () => {
    expect(() => new MetricsRecorder('r', { capcity: 5 } as never)).toThrow(/"capcity".*`capacity`/);
    expect(() => new MetricsRuntime({ namespace: 'x', recorderDefaults: { capcity: 5 } as never })).toThrow(
      /"capcity" in `options.recorderDefaults`/,
    );
    expect(() =>
      defineMetric({
        name: 'n',
        accepts: (_e: MetricEvent): _e is MetricEvent => true,
        init: () => 0,
        reducer: (s: number) => s,
        dimensions: () => ({}),
      } as never),
    ).toThrow(/"reducer" in `definition`/);
    expect(() => new MetricsRuntime({} as never)).toThrow(/`options.namespace` \(required\)/);
    expect(() => new MetricsRuntime(undefined as never)).toThrow(/namespace.*required/);
  });
});
