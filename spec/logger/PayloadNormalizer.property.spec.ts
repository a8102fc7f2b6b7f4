import fc from 'fast-check';
import {
  PayloadNormalizer,
  createLogEvent,
  createLogEventMeta,
  toLogRecord,
  type JsonValue,
} from 'mvx-common/logger';
import { hostilePayloadArb, hostileValueArb, keyArb } from '../helpers/hostileInputs.js';
import { countNodes, expectJsonSafe } from './jsonAssertions.js';

/** Each property is bounded in runs and in time (fast-check prints the seed of a failure). */
const RUN = { numRuns: 200, interruptAfterTimeLimit: 4_000 } as const;

const limitsArb = fc.record(
  {
    maxStringLength: fc.integer({ min: 1, max: 300 }),
    maxItems: fc.integer({ min: 1, max: 20 }),
    maxDepth: fc.integer({ min: 1, max: 5 }),
    maxPayloadKeys: fc.integer({ min: 1, max: 120 }),
    maxTotalItems: fc.integer({ min: 1, max: 6_000 }),
  },
  { requiredKeys: [] },
);

/** A JSON value built with own (possibly dangerous) keys, within the given size limits. */
function jsonWithin(maxLen: number, maxStr: number, depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (d === 0 ? 0 : d)),
    fc.string({ maxLength: maxStr }),
  );
  if (depth === 0) return leaf;
  const inner = jsonWithin(maxLen, maxStr, depth - 1);
  return fc.oneof(
    leaf,
    fc.array(inner, { maxLength: maxLen }),
    fc.uniqueArray(fc.tuple(keyArb, inner), { maxLength: maxLen, selector: ([k]) => k }).map((entries) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }),
  );
}

/** An object with `n` enumerable getters that count their invocations. */
function countingObject(n: number, counter: { reads: number }): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    Object.defineProperty(obj, `k${i}`, {
      enumerable: true,
      get() {
        counter.reads++;
        return i;
      },
    });
  }
  return obj;
}

describe('PayloadNormalizer (properties)', () => {
  it('never throws and always returns frozen JSON-safe data, whatever the value and the limits', () => {
    fc.assert(
      fc.property(hostilePayloadArb, limitsArb, fc.boolean(), (make, limits, unbounded) => {
        const n = new PayloadNormalizer(limits);
        const value = make();
        const payload = n.normalizePayload(value as Record<string, unknown>, { unbounded });
        expectJsonSafe(payload);
        expect(Array.isArray(payload)).toBe(false);
        expectJsonSafe(n.normalizeValue(make(), { unbounded }));
        // Every record built from it serializes.
        const event = createLogEvent({
          level: 'info',
          meta: createLogEventMeta({ eventName: 'x', namespace: 'ns', entityId: 'e' }),
          timestamp: 1,
          payload,
        });
        expect(() => JSON.stringify(toLogRecord(event))).not.toThrow();
      }),
      RUN,
    );
  });

  it('keeps JSON data within the limits unchanged, dangerous keys as ordinary own keys', () => {
    const n = new PayloadNormalizer({ maxItems: 6, maxDepth: 3, maxStringLength: 40 });
    fc.assert(
      fc.property(jsonWithin(6, 40, 3), (value) => {
        const out = n.normalizeValue(value);
        expect(out).toEqual(JSON.parse(JSON.stringify(value)));
        expectJsonSafe(out);
      }),
      RUN,
    );
  });

  it('keeps every payload key (up to maxPayloadKeys) as an own key: __proto__ never becomes the prototype', () => {
    const n = new PayloadNormalizer();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyArb, fc.integer()), { selector: ([k]) => k, maxLength: 30 }),
        (entries) => {
          const payload = JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>;
          // JSON.parse makes "__proto__" an own key; build the same with defineProperty for the literal case.
          const out = n.normalizePayload(payload);
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          expect(Object.keys(out).sort()).toEqual(Object.keys(payload).sort());
          for (const key of Object.keys(payload)) {
            expect(Object.getOwnPropertyDescriptor(out, key)?.value).toBe(payload[key]);
          }
        },
      ),
      RUN,
    );
  });

  it('reads no more values than it keeps: getters beyond every cap are never invoked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat({ max: 2 }),
        (size, maxItems, maxPayloadKeys, nesting) => {
          const n = new PayloadNormalizer({ maxItems, maxPayloadKeys });
          const counter = { reads: 0 };
          let value: unknown = countingObject(size, counter);
          for (let i = 0; i < nesting; i++) value = { wrap: value };
          const out =
            nesting === 0 ? n.normalizePayload(value as Record<string, unknown>) : n.normalizeValue(value);
          const cap = nesting === 0 ? maxPayloadKeys : maxItems;
          expect(counter.reads).toBe(Math.min(size, cap));
          let inner = out as Record<string, JsonValue>;
          for (let i = 0; i < nesting; i++) inner = inner.wrap as Record<string, JsonValue>;
          const kept = Math.min(size, cap);
          expect(Object.keys(inner)).toHaveLength(size > cap ? kept + 1 : kept);
          if (size > cap) expect(inner.__more__).toBe(`${size - kept} more keys`);
        },
      ),
      RUN,
    );
  });

  it('reads at most maxItems elements of an array (Proxy-counted), whatever its length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 20 }),
        (length, maxItems) => {
          const n = new PayloadNormalizer({ maxItems });
          let reads = 0;
          const target: unknown[] = [];
          target.length = length;
          const list = new Proxy(target, {
            get(t, key, receiver) {
              if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
              return Reflect.get(t, key, receiver) as unknown;
            },
          });
          const out = n.normalizeValue(list) as JsonValue[];
          expect(reads).toBe(Math.min(length, maxItems));
          expect(out.length).toBe(length > maxItems ? maxItems + 1 : length);
          if (length > maxItems) expect(out[maxItems]).toBe(`... (${length - maxItems} more)`);
        },
      ),
      RUN,
    );
  });

  it('bounds the total work of a call by maxTotalItems, even with unbounded: true', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (budget, width, depth) => {
          const n = new PayloadNormalizer({ maxTotalItems: budget, maxDepth: 5 });
          const counter = { reads: 0 };
          const build = (level: number): Record<string, unknown> => {
            const obj = countingObject(width, counter);
            if (level > 0) Object.defineProperty(obj, 'child', { enumerable: true, value: build(level - 1) });
            return obj;
          };
          const out = n.normalizeValue(build(depth), { unbounded: true });
          expect(counter.reads).toBeLessThanOrEqual(budget);
          expectJsonSafe(out);
        },
      ),
      RUN,
    );
  });

  it('cuts strings and keys at maxStringLength (+ "..."), never inside a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 1, max: 100 }),
        (text, max) => {
          const n = new PayloadNormalizer({ maxStringLength: max });
          const out = n.normalizeValue(text) as string;
          expect(out.length).toBeLessThanOrEqual(max + 3);
          if (text.length <= max) expect(out).toBe(text);
          else {
            expect(out.endsWith('...')).toBe(true);
            expect(text.startsWith(out.slice(0, -3))).toBe(true);
            expect(out).not.toMatch(/[\ud800-\udbff]\.\.\.$/); // no lone high surrogate before the marker
          }
          const keyed = n.normalizePayload({ [text]: 1 });
          for (const key of Object.keys(keyed)) expect(key.length).toBeLessThanOrEqual(max + 3);
        },
      ),
      RUN,
    );
  });

  it('bounds depth: containers at maxDepth become markers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 12 }), (maxDepth, nesting) => {
        const n = new PayloadNormalizer({ maxDepth });
        let value: unknown = { leaf: 1 };
        for (let i = 0; i < nesting; i++) value = i % 2 ? [value] : { v: value };
        const depthOf = (v: unknown): number =>
          v !== null && typeof v === 'object'
            ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf))
            : 0;
        expect(depthOf(n.normalizeValue(value))).toBeLessThanOrEqual(maxDepth);
      }),
      RUN,
    );
  });

  it('normalizes any value in bounded output size', () => {
    fc.assert(
      fc.property(hostileValueArb, (make) => {
        const n = new PayloadNormalizer({ maxTotalItems: 100 });
        const value = make();
        // every node but the markers spends the budget; markers add at most one per container
        expect(countNodes(n.normalizeValue(value, { unbounded: true }))).toBeLessThanOrEqual(2 * 100 + 1);
      }),
      RUN,
    );
  });
});
