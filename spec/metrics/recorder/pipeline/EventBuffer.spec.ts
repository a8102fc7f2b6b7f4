import fc from 'fast-check';
// Internal on purpose: the recorder's pending buffer.
import { EventBuffer as RingBuffer } from '../../../../lib/metrics/recorder/pipeline/EventBuffer.js';

describe('EventBuffer', () => {
  it('is FIFO', () => {
    const buffer = new RingBuffer<number>(4);
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    expect(buffer.shift()).toBe(1);
    buffer.push(4);
    buffer.push(5);
    expect(buffer.size).toBe(4);
    expect([buffer.shift(), buffer.shift(), buffer.shift(), buffer.shift()]).toEqual([2, 3, 4, 5]);
    expect(buffer.size).toBe(0);
  });

  it('grows past its initial storage up to a capacity that is not a power of two, keeping order', () => {
    const buffer = new RingBuffer<number>(3000);
    for (let i = 0; i < 500; i++) buffer.push(i);
    for (let i = 0; i < 400; i++) expect(buffer.shift()).toBe(i); // head moved: growth must unwrap
    for (let i = 500; i < 3400; i++) buffer.push(i);
    expect(buffer.size).toBe(3000);
    for (let i = 400; i < 3400; i++) expect(buffer.shift()).toBe(i);
    expect(buffer.size).toBe(0);
  });

  it('releases references to shifted items', () => {
    const buffer = new RingBuffer<object>(2);
    buffer.push({});
    buffer.shift();
    expect((buffer as unknown as { items: unknown[] }).items.every((x) => x === undefined)).toBe(true);
  });

  it('behaves like an array queue for any sequence of operations within capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.integer({ min: -5, max: 200 }), { maxLength: 60 }),
        (capacity, ops) => {
          const buffer = new RingBuffer<number>(capacity);
          const model: number[] = [];
          let next = 0;
          for (const op of ops) {
            if (op < 0) {
              if (model.length === 0) continue;
              expect(buffer.shift()).toBe(model.shift());
            } else {
              for (let i = 0; i < op && model.length < capacity; i++) {
                buffer.push(next);
                model.push(next++);
              }
            }
            expect(buffer.size).toBe(model.length);
          }
          while (model.length > 0) expect(buffer.shift()).toBe(model.shift());
        },
      ),
      { numRuns: 200 },
    );
  });
});
