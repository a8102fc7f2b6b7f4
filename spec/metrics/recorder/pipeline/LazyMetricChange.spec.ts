// Internal on purpose: the lazily built change of a pure (or forked in-place) metric (not exported).
import { LazyMetricChange } from '../../../../lib/metrics/recorder/pipeline/LazyMetricChange.js';
import type { AnyMetric } from '../../../../lib/metrics/metric.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';

function metric(dimensions: (s: { n: number }) => unknown): AnyMetric {
  return {
    name: 'm',
    kind: 'custom',
    accepts: (event: MetricEvent): event is MetricEvent => event !== undefined,
    init: () => ({ n: 0 }),
    reduce: (s: unknown) => s,
    dimensions,
  } as AnyMetric;
}

describe('LazyMetricChange', () => {
  it('builds its snapshot on first read only, once, from the captured state', () => {
    const dimensions = jest.fn((s: { n: number }) => ({ n: s.n }));
    const change = new LazyMetricChange(metric(dimensions), { type: 'x' }, { n: 3 });
    expect(dimensions).not.toHaveBeenCalled();
    const snapshot = change.snapshot;
    expect(snapshot).toEqual({ name: 'm', kind: 'custom', dimensions: { n: 3 } });
    expect(change.snapshot).toBe(snapshot);
    expect(dimensions).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen(snapshot.dimensions)).toBe(true);
  });

  it('throws what dimensions throws, on each read, and serializes as { metric, event, snapshot }', () => {
    const failing = new LazyMetricChange(
      metric(() => {
        throw new Error('no dimensions');
      }),
      { type: 'x' },
      { n: 0 },
    );
    expect(() => failing.snapshot).toThrow('no dimensions');
    expect(() => failing.snapshot).toThrow('no dimensions');
    const change = new LazyMetricChange(
      metric((s) => ({ n: s.n })),
      { type: 'x' },
      { n: 1 },
    );
    expect(JSON.parse(JSON.stringify(change))).toEqual({
      metric: 'm',
      event: { type: 'x' },
      snapshot: { name: 'm', kind: 'custom', dimensions: { n: 1 } },
    });
  });
});
