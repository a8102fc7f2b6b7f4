import { kindsFor } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

type AppEvent = { type: 'save'; outcome: string; ms: number } | { type: 'size'; n: number };

describe('kindsFor', () => {
  it('returns the same factories, typed for the union', () => {
    const k = kindsFor<AppEvent>();
    const saves = k.counter({ name: 'saves', on: 'save', by: ['outcome'] });
    const size = k.gauge({ name: 'size', on: 'size', value: (e) => e.n });
    const events: AppEvent[] = [
      { type: 'save', outcome: 'success', ms: 3 },
      { type: 'size', n: 9 },
    ];
    expect(reduceEvents(saves, events).total).toBe(1);
    expect(reduceEvents(size, events).last).toBe(9);
  });
});
