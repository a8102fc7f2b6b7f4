import { PayloadNormalizer, createPayloadNormalizer } from 'mvx-common/logger';

describe('PayloadNormalizer', () => {
  const n = new PayloadNormalizer();

  describe('leaves', () => {
    it('keeps JSON primitives', () => {
      expect(n.normalizePayload({ a: 1, b: 'x', c: true, d: null })).toEqual({
        a: 1,
        b: 'x',
        c: true,
        d: null,
      });
    });

    it('turns NaN, Infinity and -0 into JSON-safe values', () => {
      expect(n.normalizePayload({ a: NaN, b: Infinity, c: -Infinity, d: -0 })).toEqual({
        a: 'NaN',
        b: 'Infinity',
        c: '-Infinity',
        d: 0,
      });
    });

    it('maps undefined to null, bigint to a decimal string', () => {
      expect(n.normalizePayload({ u: undefined, big: 12345678901234567890n })).toEqual({
        u: null,
        big: '12345678901234567890',
      });
    });

    it('marks functions and symbols', () => {
      function save(): void {}
      expect(n.normalizeValue(save)).toBe('<function save>');
      expect(n.normalizeValue(() => 1)).toBe('<function anonymous>');
      expect(n.normalizeValue(Symbol('tag'))).toBe('Symbol(tag)');
    });

    it('cuts long strings at 200 characters with ...', () => {
      const out = n.normalizeValue('x'.repeat(500)) as string;
      expect(out).toBe(`${'x'.repeat(200)}...`);
      expect(n.normalizeValue('x'.repeat(200))).toBe('x'.repeat(200));
    });

    it('renders Dates as ISO strings', () => {
      expect(n.normalizeValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
      expect(n.normalizeValue(new Date(NaN))).toBe('Invalid Date');
    });

    it('renders RegExps and typed arrays', () => {
      expect(n.normalizeValue(/a+/g)).toBe('/a+/g');
      expect(n.normalizeValue(new Uint8Array(4))).toBe('<Uint8Array(4 bytes)>');
    });

    it('renders Errors as error payloads', () => {
      expect(n.normalizeValue(new RangeError('r'))).toEqual({ name: 'RangeError', message: 'r' });
    });
  });

  describe('collections', () => {
    it('caps arrays at 10 items with a trailing marker', () => {
      const out = n.normalizeValue(Array.from({ length: 15 }, (_, i) => i));
      expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, '... (5 more)']);
    });

    it('caps objects at 10 keys with __more__', () => {
      const obj = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
      const out = n.normalizeValue(obj) as Record<string, unknown>;
      expect(Object.keys(out)).toHaveLength(11);
      expect(out.__more__).toBe('2 more keys');
    });

    it('lifts the item cap with unbounded, but still cuts strings', () => {
      const out = n.normalizeValue(
        Array.from({ length: 15 }, () => 'y'.repeat(300)),
        { unbounded: true },
      ) as string[];
      expect(out).toHaveLength(15);
      expect(out[0]).toHaveLength(203);
    });

    it('turns Sets into arrays and Maps into objects', () => {
      expect(n.normalizeValue(new Set([1, 2]))).toEqual([1, 2]);
      expect(
        n.normalizeValue(
          new Map<unknown, unknown>([
            ['a', 1],
            [2, new Date(0)],
          ]),
        ),
      ).toEqual({
        a: 1,
        2: '1970-01-01T00:00:00.000Z',
      });
    });

    it('does not apply the item cap to the top-level payload record', () => {
      const payload = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
      expect(Object.keys(n.normalizePayload(payload))).toHaveLength(12);
    });

    it('replaces containers deeper than maxDepth by markers', () => {
      const deep = { a: { b: { c: { d: 1 } } }, list: [[[[1]]]], m: { x: { y: { z: new Map([[1, 2]]) } } } };
      expect(n.normalizeValue(deep)).toEqual({
        a: { b: { c: '<Object>' } },
        list: [['<Array(1)>']],
        m: { x: { y: '<Object>' } },
      });
      // In a payload the record itself does not count as a level.
      expect(n.normalizePayload({ m: { x: { y: new Map([[1, 2]]) } } })).toEqual({
        m: { x: { y: { 1: 2 } } },
      });
      expect(n.normalizePayload({ m: { x: { y: { z: {} } } } })).toEqual({
        m: { x: { y: { z: '<Object>' } } },
      });
    });
  });

  describe('objects', () => {
    it('renders class instances by class name', () => {
      class Connection {
        secret = 'pw';
      }
      expect(n.normalizeValue(new Connection())).toBe('<Connection>');
    });

    it('uses toJSON when a class instance has one', () => {
      expect(n.normalizeValue(new URL('https://example.com/a'))).toBe('https://example.com/a');
    });

    it('uses toLogPayload first', () => {
      class Job {
        toLogPayload(): Record<string, unknown> {
          return { jobId: 'j1', at: new Date(0) };
        }
      }
      expect(n.normalizePayload({ job: new Job() })).toEqual({
        job: { jobId: 'j1', at: '1970-01-01T00:00:00.000Z' },
      });
    });

    it('marks cycles instead of recursing forever', () => {
      const a: Record<string, unknown> = { name: 'a' };
      a.self = a;
      const list: unknown[] = [1];
      list.push(list);
      expect(n.normalizeValue(a)).toEqual({ name: 'a', self: '[Circular]' });
      expect(n.normalizeValue(list)).toEqual([1, '[Circular]']);
      expect(n.normalizePayload(a)).toEqual({ name: 'a', self: '[Circular]' });
    });

    it('does not mistake repeated (non-cyclic) references for cycles', () => {
      const shared = { v: 1 };
      expect(n.normalizeValue({ a: shared, b: shared })).toEqual({ a: { v: 1 }, b: { v: 1 } });
    });

    it('never throws on hostile values', () => {
      const hostile = Object.defineProperty({}, 'boom', {
        enumerable: true,
        get() {
          throw new Error('no');
        },
      });
      const provider = {
        toLogPayload() {
          throw new Error('no');
        },
      };
      expect(n.normalizeValue(hostile)).toEqual({ boom: '<unreadable>' });
      expect(n.normalizeValue(provider)).toBe('<unreadable>');
      expect(n.normalizePayload(null as never)).toEqual({});
      expect(n.normalizePayload('text' as never)).toEqual({ value: 'text' });
    });

    it('always produces JSON that round-trips', () => {
      const payload = {
        a: 1n,
        b: NaN,
        c: new Map([[Symbol('s'), () => 1]]),
        d: new Error('e'),
        e: undefined,
      };
      const out = n.normalizePayload(payload);
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    });
  });

  describe('options', () => {
    it('are configurable', () => {
      const small = createPayloadNormalizer({ maxStringLength: 3, maxItems: 1, maxDepth: 1 });
      expect(small.normalizeValue('abcdef')).toBe('abc...');
      expect(small.normalizeValue([1, 2])).toEqual([1, '... (1 more)']);
      expect(small.normalizeValue({ a: { b: 1 } })).toEqual({ a: '<Object>' });
    });

    it('are validated, naming the parameter', () => {
      expect(() => new PayloadNormalizer({ maxItems: 0 })).toThrow(
        /Expected `options.maxItems` to be a positive integer/,
      );
      expect(() => new PayloadNormalizer({ maxKeys: 3 } as never)).toThrow(
        /Unknown option "maxKeys" in `options`; accepted options: `maxStringLength`/,
      );
      expect(() => new PayloadNormalizer({ maxStringLength: '5' as never })).toThrow(TypeError);
      expect(() => new PayloadNormalizer({ maxDepth: 1.5 })).toThrow(RangeError);
    });
  });
});
