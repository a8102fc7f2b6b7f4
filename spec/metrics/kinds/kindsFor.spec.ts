import { kindsFor } from '../../../lib/metrics/kinds/kindsFor.js';
import { dims } from './helpers.js';

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
    expect(dims(saves, events).total).toBe(1);
    expect(dims(size, events).last).toBe(9);
  });
});
