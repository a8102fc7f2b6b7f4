import fc from 'fast-check';
// Internal on purpose: the kinds' label machinery (spec mirrors lib/metrics/kinds/internal).
import {
  canonicalKey,
  compareLabels,
  fieldLabeller,
  functionLabeller,
  labelString,
  REFUSED,
  type LabelLookup,
} from '../../../../lib/metrics/kinds/internal/labels.js';
import type { MetricEvent } from 'mvx-common';

const ev = (fields: Record<string, unknown>): MetricEvent => ({ type: 'e', ...fields }) as MetricEvent;

describe('labelString', () => {
  it('keeps strings (truncated), stringifies numbers, booleans and bigints, refuses objects', () => {
    expect(labelString('abc', 2)).toBe('ab');
    expect(labelString(12, 10)).toBe('12');
    expect(labelString(true, 10)).toBe('true');
    expect(labelString(5n, 10)).toBe('5');
    expect(labelString(null, 10)).toBe('');
    expect(labelString(undefined, 10)).toBe('');
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
    };
    expect(labelString(hostile, 10)).toBeUndefined();
    expect(labelString(Object.create(null), 10)).toBeUndefined();
    expect(labelString(Symbol('s'), 10)).toBeUndefined();
    expect(labelString(() => 1, 10)).toBeUndefined();
  });
});

describe('fieldLabeller', () => {
  for (const keys of [['a'], ['a', 'b'], ['a', 'b', 'c']]) {
    it(`finds what it inserted and nothing else, for ${keys.length} key(s) (property)`, () => {
      const labeller = fieldLabeller(keys, 16);
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.string(), { minLength: keys.length, maxLength: keys.length }), {
            maxLength: 30,
          }),
          (rows) => {
            const lookup: LabelLookup = new Map();
            const slots = new Map<string, number>();
            rows.forEach((values, i) => {
              const event = ev(Object.fromEntries(keys.map((k, j) => [k, values[j]])));
              const labels = labeller.labels(event)!;
              const key = canonicalKey(labels);
              if (!slots.has(key)) {
                expect(labeller.find(lookup, event)).toBeUndefined();
                labeller.insert(lookup, labels, i);
                slots.set(key, i);
              }
              expect(labeller.find(lookup, event)).toBe(slots.get(key));
            });
            for (const [key] of slots) {
              const labels = Object.fromEntries(JSON.parse(key) as [string, string][]);
              labeller.remove(lookup, labels);
              expect(labeller.find(lookup, ev(labels))).toBeUndefined();
            }
            expect(lookup.size).toBe(0);
          },
        ),
      );
    });
  }

  it('keeps `__proto__` and `constructor` as ordinary label names', () => {
    const labeller = fieldLabeller(['__proto__', 'constructor'], 16);
    const event = JSON.parse('{"type":"e","__proto__":"x","constructor":"y"}') as MetricEvent;
    const labels = labeller.labels(event)!;
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(labels['__proto__']).toBe('x');
    expect(labeller.labels(ev({}))!['__proto__']).toBe(''); // an inherited __proto__ is not a field
  });

  it('refuses events whose label values are objects', () => {
    const labeller = fieldLabeller(['a'], 16);
    expect(labeller.find(new Map(), ev({ a: {} }))).toBe(REFUSED);
    expect(labeller.labels(ev({ a: [] }))).toBeUndefined();
  });
});

describe('functionLabeller', () => {
  it('orders names, bounds values, refuses non-objects and too many labels', () => {
    const labeller = functionLabeller((e) => (e as unknown as { l: Record<string, unknown> }).l, 3);
    expect(labeller.labels(ev({ l: { b: 'long', a: 1 } }))).toEqual({ a: '1', b: 'lon' });
    expect(Object.keys(labeller.labels(ev({ l: { b: 1, a: 2 } }))!)).toEqual(['a', 'b']);
    expect(labeller.labels(ev({ l: null }))).toBeUndefined();
    expect(
      labeller.labels(ev({ l: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) })),
    ).toBeUndefined();
  });
});

describe('compareLabels', () => {
  it('is a total order consistent with canonical keys (property)', () => {
    const labels = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.string(), { maxKeys: 3 });
    fc.assert(
      fc.property(labels, labels, (x, y) => {
        const c = compareLabels(x, y);
        expect(Math.sign(c)).toBe(-Math.sign(compareLabels(y, x)) || 0);
        if (c === 0) expect(canonicalKey(x)).toBe(canonicalKey(y));
      }),
    );
  });
});
