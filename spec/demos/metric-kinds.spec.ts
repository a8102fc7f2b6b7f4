import { main } from '../../demos/metric-kinds.js';

describe('demos/metric-kinds', () => {
  it('runs and merges two workers', () => {
    const r = main() as Record<string, Record<string, unknown>>;
    expect(r['doc.save.attempts']).toEqual({ total: 4, success_total: 3, failure_total: 1, other_total: 0 });
    expect(r['doc.save.ms']).toMatchObject({ count: 4, sum: 45, min: 4, max: 30, counts: [2, 1, 1, 0] });
    expect(r['doc.save.by_region']).toMatchObject({ total: 4 });
    expect(r['cache.entries']).toMatchObject({ min: 80, max: 120, count: 2 });
    expect(r['doc.save.ms.q']).toMatchObject({ count: 4, max: 30 });
  });
});
