import { defineMetric, type MetricEvent } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const counter = defineMetric({
  name: 'c',
  accepts: (e: MetricEvent): e is MetricEvent => e.type === 'a',
  init: () => ({ total: 0 }),
  reduce: (s: { total: number }) => ({ total: s.total + 1 }),
  dimensions: (s) => ({ total: s.total }),
});
const clock = defineMetric({
  name: 'clock',
  accepts: (_e: MetricEvent): _e is MetricEvent => true,
  init: () => ({ at: [] as number[] }),
  reduce: (s: { at: number[] }, _e, ctx) => ({ at: [...s.at, ctx.now] }),
  dimensions: (s) => ({ at: s.at }),
});

describe('reduceEvents', () => {
  it('folds events through a metric synchronously, skipping unaccepted ones', () => {
    expect(reduceEvents(counter, [{ type: 'a' }, { type: 'b' }, { type: 'a' }])).toEqual({ total: 2 });
    expect(reduceEvents(counter, [])).toEqual({ total: 0 });
  });

  it('passes now as a constant or per index', () => {
    expect(reduceEvents(clock, [{ type: 'a' }, { type: 'a' }], 7)).toEqual({ at: [7, 7] });
    expect(reduceEvents(clock, [{ type: 'a' }, { type: 'a' }], (i) => i * 10)).toEqual({ at: [0, 10] });
  });

  it('lets an error of the metric through', () => {
    const boom = new Error('reduce');
    const failing = defineMetric({
      ...counter,
      reduce: () => {
        throw boom;
      },
    });
    expect(() => reduceEvents(failing, [{ type: 'a' }])).toThrow(boom);
  });
});
