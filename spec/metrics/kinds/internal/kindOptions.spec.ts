import fc from 'fast-check';
// Internal on purpose: the option compilation shared by the built-in kinds (not exported).
import {
  BASE_KEYS,
  checkOptionalMs,
  compileLabelled,
  compileOn,
  compileValue,
  finite,
  LABELLED_KEYS,
  MAX_LABEL_LENGTH_LIMIT,
  readKindOptions,
} from '../../../../lib/metrics/kinds/internal/kindOptions.js';
import { DEFAULT_MAX_SERIES } from '../../../../lib/metrics/kinds/types.js';
import { DEFAULT_MAX_LABEL_LENGTH } from '../../../../lib/metrics/kinds/internal/labels.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';

const ev = (fields: Record<string, unknown>): MetricEvent => ({ type: 'e', ...fields }) as MetricEvent;

/** Asserts `fn` throws `type` with exactly `message`. */
function throws(
  fn: () => unknown,
  type: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor,
  message: string | RegExp,
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(type);
  if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
  else expect((thrown as Error).message).toMatch(message);
}

describe('kindOptions', () => {
  describe('readKindOptions', () => {
    it('reads the common fields and the kind’s own keys', () => {
      const { values, base } = readKindOptions(
        { name: 'm', on: 'e', description: 'd', unit: 'ms', value: 'v' },
        ['value'],
      );
      expect(base.name).toBe('m');
      expect(base.description).toBe('d');
      expect(base.unit).toBe('ms');
      expect(values.value).toBe('v');
      expect(base.accepts({ type: 'e' })).toBe(true);
      expect(base.accepts({ type: 'f' })).toBe(false);
      const bare = readKindOptions({ name: 'm', on: 'e' }, []).base;
      expect('description' in bare || 'unit' in bare).toBe(false);
      expect(BASE_KEYS).toEqual(['name', 'on', 'description', 'unit']);
      expect(LABELLED_KEYS).toEqual(['by', 'maxSeries', 'maxLabelLength', 'ttlMs', 'removeOn']);
    });

    it('refuses unknown keys by name, with the accepted ones (also prototype names and symbols)', () => {
      throws(
        () => readKindOptions({ name: 'm', on: 'e', vaule: 'v' }, ['value']),
        TypeError,
        'Unknown option "vaule" in `options`; accepted options: `name`, `on`, `description`, `unit`, `value`',
      );
      throws(
        () => readKindOptions(JSON.parse('{"name":"m","on":"e","__proto__":{}}'), []),
        TypeError,
        /Unknown option "__proto__"/,
      );
      throws(
        () => readKindOptions({ name: 'm', on: 'e', constructor: 1 }, []),
        TypeError,
        /Unknown option "constructor"/,
      );
      throws(
        () => readKindOptions({ name: 'm', on: 'e', [Symbol('s')]: 1 }, []),
        TypeError,
        /Unknown option Symbol\(s\)/,
      );
    });

    it('names the parameter of every bad common field', () => {
      throws(
        () => readKindOptions(undefined, []),
        TypeError,
        'Expected `options` to be an object, got `undefined` (undefined)',
      );
      throws(() => readKindOptions(null, []), TypeError, /^Expected `options` to be an object/);
      throws(() => readKindOptions([], []), TypeError, /^Expected `options` to be an object/);
      throws(
        () => readKindOptions({ on: 'e' }, []),
        TypeError,
        'Expected `name` to be a string, got `undefined` (undefined)',
      );
      throws(
        () => readKindOptions({ name: '  ', on: 'e' }, []),
        RangeError,
        'Expected `name` to be a non-empty string, got `"  "` (string)',
      );
      throws(
        () => readKindOptions({ name: 'm', on: 'e', description: 3 }, []),
        TypeError,
        /^Expected `description` to be a string/,
      );
      throws(
        () => readKindOptions({ name: 'm', on: 'e', unit: null }, []),
        TypeError,
        /^Expected `unit` to be a string/,
      );
      throws(() => readKindOptions({ name: 'm' }, []), TypeError, /^Expected `on` to be an event type/);
    });

    it('turns a throwing getter or Proxy trap into a TypeError naming the option, with the cause', () => {
      const cause = new Error('getter');
      const options = Object.defineProperty({ on: 'e' }, 'name', {
        enumerable: true,
        get() {
          throw cause;
        },
      });
      let thrown: unknown;
      try {
        readKindOptions(options, []);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toBe('Reading `options.name` threw');
      expect((thrown as Error).cause).toBe(cause);
      const trap = new Proxy(
        {},
        {
          ownKeys: () => {
            throw cause;
          },
        },
      );
      throws(() => readKindOptions(trap, []), TypeError, 'Reading the keys of `options` threw');
    });
  });

  describe('compileOn', () => {
    it('compiles one type, a list of types and a guard', () => {
      expect(compileOn('on', 'a')({ type: 'a' })).toBe(true);
      expect(compileOn('on', 'a')({ type: 'b' })).toBe(false);
      const one = compileOn('on', ['a']);
      expect([one({ type: 'a' }), one({ type: 'b' })]).toEqual([true, false]);
      const many = compileOn('on', ['a', 'b']);
      expect([many({ type: 'a' }), many({ type: 'b' }), many({ type: 'c' })]).toEqual([true, true, false]);
      const guard = (e: MetricEvent): e is MetricEvent => e.type.startsWith('x');
      expect(compileOn('on', guard)).toBe(guard);
    });

    it('matches exactly the listed types (property)', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(
            fc.string({ minLength: 1, maxLength: 4 }).filter((t) => t.trim() !== ''),
            { minLength: 1, maxLength: 6 },
          ),
          fc.string({ maxLength: 4 }),
          (types, probe) => {
            const accepts = compileOn('on', types);
            expect(accepts({ type: probe })).toBe(types.includes(probe));
            for (const t of types) expect(accepts({ type: t })).toBe(true);
          },
        ),
      );
    });

    it('refuses a blank type alone as in a list', () => {
      for (const blank of ['', ' ', '\t\n']) {
        expect(() => compileOn('on', blank)).toThrow(RangeError);
        expect(() => compileOn('on', [blank])).toThrow(RangeError);
      }
    });

    it('names the parameter (and the item) of a bad value', () => {
      const expected = 'an event type, a non-empty list of event types, or a type-guard function';
      throws(
        () => compileOn('removeOn', ''),
        RangeError,
        `Expected \`removeOn\` to be ${expected}, got \`""\` (string)`,
      );
      throws(() => compileOn('on', []), RangeError, `Expected \`on\` to be ${expected}, got \`[]\` (object)`);
      throws(() => compileOn('on', 5), TypeError, `Expected \`on\` to be ${expected}, got \`5\` (number)`);
      throws(() => compileOn('on', { type: 'a' }), TypeError, /^Expected `on` to be/);
      throws(() => compileOn('on', ['a', 3]), TypeError, 'Expected `on[1]` to be a string, got `3` (number)');
      throws(() => compileOn('on', ['a', ' ']), RangeError, /^Expected `on\[1\]` to be a non-empty string/);
    });
  });

  describe('compileValue', () => {
    it('reads a field or calls a function; absent is allowed only when optional', () => {
      expect(compileValue('value', 'v', true)(ev({ v: 3 }))).toBe(3);
      expect(
        compileValue('value', (e: MetricEvent) => (e as unknown as { n: number }).n * 2, true)(ev({ n: 4 })),
      ).toBe(8);
      expect(compileValue('value', undefined, false)).toBeUndefined();
      throws(
        () => compileValue('value', undefined, true),
        TypeError,
        /^Expected `value` to be a numeric event field name or a function returning a number, got `undefined`/,
      );
    });

    it('reads `__proto__` as an own field only', () => {
      const read = compileValue('value', '__proto__', true);
      expect(read(ev({}))).toBeUndefined();
      expect(read(JSON.parse('{"type":"e","__proto__":7}') as MetricEvent)).toBe(7);
    });

    it('names the parameter of a bad value', () => {
      throws(
        () => compileValue('value', '', true),
        RangeError,
        'Expected `value` to be a numeric event field name or a function returning a number, got `""` (string)',
      );
      throws(
        () => compileValue('value', 3, false),
        TypeError,
        /^Expected `value` to be a numeric event field name/,
      );
      throws(() => compileValue('value', null, false), TypeError, /got `null` \(null\)$/);
    });
  });

  describe('checkOptionalMs', () => {
    it('accepts a positive finite number or undefined, and names the parameter otherwise', () => {
      expect(checkOptionalMs('ttlMs', undefined)).toBeUndefined();
      expect(checkOptionalMs('ttlMs', 0.5)).toBe(0.5);
      for (const bad of [0, -1, Infinity, NaN]) {
        throws(
          () => checkOptionalMs('ttlMs', bad),
          RangeError,
          /^Expected `ttlMs` to be a positive finite number of milliseconds, got/,
        );
      }
      for (const bad of ['10', null, 10n, {}]) {
        throws(
          () => checkOptionalMs('windowMs', bad),
          TypeError,
          /^Expected `windowMs` to be a positive finite number of milliseconds, got/,
        );
      }
    });
  });

  describe('compileLabelled', () => {
    it('is unlabelled without `by`, with the defaults', () => {
      expect(compileLabelled({})).toEqual({ rules: null, removeOn: undefined });
      expect(compileLabelled({ maxSeries: 3, maxLabelLength: 8 })).toEqual({
        rules: null,
        removeOn: undefined,
      });
    });

    it('compiles `by` fields or a function with the bounds and ttl', () => {
      const fields = compileLabelled({ by: ['a', 'b'], ttlMs: 100, removeOn: 'rm' });
      expect(fields.rules?.maxSeries).toBe(DEFAULT_MAX_SERIES);
      expect(fields.rules?.ttlMs).toBe(100);
      expect(fields.rules?.labeller.names).toEqual(['a', 'b']);
      expect(fields.rules?.labeller.labels(ev({ a: 'x', b: 2 }))).toEqual({ a: 'x', b: '2' });
      expect(fields.removeOn?.({ type: 'rm' })).toBe(true);
      const long = 'x'.repeat(DEFAULT_MAX_LABEL_LENGTH + 10);
      expect(fields.rules?.labeller.labels(ev({ a: long, b: '' }))?.['a']).toHaveLength(
        DEFAULT_MAX_LABEL_LENGTH,
      );
      const fn = compileLabelled({
        by: (e: MetricEvent) => ({ k: e.type }),
        maxSeries: 7,
        maxLabelLength: 2,
      });
      expect(fn.rules?.maxSeries).toBe(7);
      expect(fn.rules?.labeller.names).toBeUndefined();
      expect(fn.rules?.labeller.labels({ type: 'long' })).toEqual({ k: 'lo' });
      expect(compileLabelled({ by: ['a'], maxLabelLength: MAX_LABEL_LENGTH_LIMIT }).rules).not.toBeNull();
    });

    it('names the parameter of every bad labelled option', () => {
      const by = 'a non-empty list of distinct field names or a function returning labels';
      throws(
        () => compileLabelled({ by: 'a' }),
        TypeError,
        `Expected \`by\` to be ${by}, got \`"a"\` (string)`,
      );
      throws(
        () => compileLabelled({ by: [] }),
        RangeError,
        `Expected \`by\` to be ${by}, got \`[]\` (object)`,
      );
      throws(
        () => compileLabelled({ by: ['a', 'a'] }),
        RangeError,
        /^Expected `by` to be a non-empty list of distinct/,
      );
      throws(
        () => compileLabelled({ by: Array.from({ length: 33 }, (_, i) => `k${i}`) }),
        RangeError,
        /^Expected `by` to be/,
      );
      throws(
        () => compileLabelled({ by: ['a', 1] }),
        TypeError,
        'Expected `by[1]` to be a string, got `1` (number)',
      );
      throws(
        () => compileLabelled({ by: ['a', ''] }),
        RangeError,
        /^Expected `by\[1\]` to be a non-empty string/,
      );
      throws(
        () => compileLabelled({ by: ['a'], maxSeries: 0 }),
        RangeError,
        'Expected `maxSeries` to be a positive integer, got `0` (number)',
      );
      throws(
        () => compileLabelled({ by: ['a'], maxSeries: 1.5 }),
        RangeError,
        /^Expected `maxSeries` to be a positive integer/,
      );
      throws(
        () => compileLabelled({ by: ['a'], maxSeries: '2' }),
        TypeError,
        /^Expected `maxSeries` to be a positive integer/,
      );
      throws(
        () => compileLabelled({ by: ['a'], maxLabelLength: true }),
        TypeError,
        /^Expected `maxLabelLength` to be a positive integer/,
      );
      throws(
        () => compileLabelled({ by: ['a'], maxLabelLength: MAX_LABEL_LENGTH_LIMIT + 1 }),
        RangeError,
        `Expected \`maxLabelLength\` to be a positive integer up to ${MAX_LABEL_LENGTH_LIMIT}, got \`${MAX_LABEL_LENGTH_LIMIT + 1}\` (number)`,
      );
      throws(
        () => compileLabelled({ by: ['a'], ttlMs: -5 }),
        RangeError,
        /^Expected `ttlMs` to be a positive finite number/,
      );
      throws(
        () => compileLabelled({ by: ['a'], removeOn: 7 }),
        TypeError,
        /^Expected `removeOn` to be an event type/,
      );
    });

    it('refuses ttlMs and removeOn without `by`, naming them', () => {
      throws(
        () => compileLabelled({ ttlMs: 10 }),
        TypeError,
        'Expected `options.ttlMs` only with `by` (labels)',
      );
      throws(
        () => compileLabelled({ removeOn: 'rm' }),
        TypeError,
        'Expected `options.removeOn` only with `by` (labels)',
      );
    });
  });

  it('finite keeps finite numbers only', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(finite(x)).toBe(typeof x === 'number' && Number.isFinite(x) ? x : undefined);
      }),
    );
    expect([finite(NaN), finite(Infinity), finite(-Infinity), finite('1'), finite(-0)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      -0,
    ]);
  });
});
