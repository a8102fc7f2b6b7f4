/**
 * Labelled series against a model: the series cap with an overflow series, removal by events, expiry
 * of idle series, and compaction under churn (through the public `counter`, in place).
 */
import fc from 'fast-check';
import { counter, OVERFLOW_LABELS, type MetricEvent } from 'mvx-common';

type Step = { readonly kind: 'add' | 'rm'; readonly key: string; readonly dt: number };

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<'add' | 'rm'>('add', 'add', 'add', 'rm'),
  key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '__proto__', 'constructor'),
  dt: fc.nat(4),
});

describe('labelled series', () => {
  it('cap, overflow, removal and expiry follow the model (property)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 10 })),
        (steps, maxSeries, ttl) => {
          const m = counter({
            name: 'c',
            on: 'add',
            by: ['k'],
            maxSeries,
            removeOn: 'rm',
            ...(ttl === null ? {} : { ttlMs: ttl }),
          });
          const ip = m.inPlace!;
          const state = m.init();
          const model = new Map<string, { total: number; at: number }>();
          let overflow = 0;
          let overflowTotal = 0;
          let evicted = 0;
          let total = 0;
          let now = 0;
          for (const s of steps) {
            now += s.dt;
            const ctx = { now };
            const due = m.nextRefresh?.(state);
            if (due !== undefined && due <= now) ip.refresh!(state, ctx);
            const event = JSON.parse(JSON.stringify({ type: s.kind, k: s.key })) as MetricEvent;
            ip.update(state, event, ctx);
            if (s.kind === 'rm') {
              if (model.delete(s.key)) evicted++;
            } else {
              total++;
              const cur = model.get(s.key);
              if (cur !== undefined) model.set(s.key, { total: cur.total + 1, at: now });
              else if (model.size < maxSeries) model.set(s.key, { total: 1, at: now });
              else {
                overflow++;
                overflowTotal++;
              }
            }
            const d = m.dimensions(state);
            expect(d.total).toBe(total);
            if (ttl === null) expect(d.overflow).toBe(overflow);
            const live = d.series.filter((x) => x.labels['mvx_overflow'] !== 'true');
            if (ttl === null) {
              expect(Object.fromEntries(live.map((x) => [x.labels['k'], x.total]))).toEqual(
                Object.fromEntries([...model].map(([k, v]) => [k, v.total])),
              );
              expect(d.evicted).toBe(evicted);
            } else {
              // With a TTL the table may have evicted more (the model does not sweep): what is live is a
              // subset of the model's series with the same totals, or a series restarted after expiry.
              expect(live.length).toBeLessThanOrEqual(maxSeries);
            }
            if (ttl === null && overflowTotal > 0) {
              expect(d.series[d.series.length - 1]!.labels).toEqual(OVERFLOW_LABELS);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('expires idle series on refresh and counts them in evicted; nextRefresh says when', () => {
    const m = counter({ name: 'c', on: 'hit', by: ['k'], ttlMs: 100 });
    const ip = m.inPlace!;
    const s = m.init();
    ip.update(s, { type: 'hit', k: 'a' } as MetricEvent, { now: 0 });
    ip.update(s, { type: 'hit', k: 'b' } as MetricEvent, { now: 50 });
    expect(m.nextRefresh!(s)).toBe(100);
    expect(ip.refresh!(s, { now: 99 })).toBe(false);
    expect(ip.refresh!(s, { now: 100 })).toBe(true);
    expect(m.dimensions(s)).toMatchObject({
      total: 2,
      evicted: 1,
      series: [{ labels: { k: 'b' }, total: 1 }],
    });
    expect(m.nextRefresh!(s)).toBe(150);
    expect(ip.refresh!(s, { now: 150 })).toBe(true);
    expect(m.dimensions(s)).toMatchObject({ evicted: 2, series: [] });
    expect(m.nextRefresh!(s)).toBeUndefined();
  });

  it('keeps memory bounded under churn of label values (compaction)', () => {
    const m = counter({ name: 'c', on: 'hit', by: ['k'], removeOn: 'gone', maxSeries: 10 });
    const ip = m.inPlace!;
    const s = m.init();
    for (let i = 0; i < 20_000; i++) {
      ip.update(s, { type: 'hit', k: `v${i}` } as MetricEvent, { now: i });
      ip.update(s, { type: 'gone', k: `v${i}` } as MetricEvent, { now: i });
    }
    const series = s.series!;
    expect(series.live).toBe(0);
    expect(series.size).toBeLessThanOrEqual(200);
    expect(series.index.labels.length).toBeLessThanOrEqual(200);
    expect(m.dimensions(s)).toMatchObject({ total: 20_000, evicted: 20_000, overflow: 0, series: [] });
  });

  it('a million distinct label values stay within the series cap; long values are truncated', () => {
    const m = counter({ name: 'c', on: 'hit', by: ['k'], maxSeries: 100, maxLabelLength: 12 });
    const ip = m.inPlace!;
    const s = m.init();
    for (let i = 0; i < 1_000_000; i++)
      ip.update(s, { type: 'hit', k: `value-${i}` } as MetricEvent, { now: 0 });
    const d = m.dimensions(s);
    expect(d.series.length).toBe(101); // 100 series + the overflow series
    expect(d.total).toBe(1_000_000);
    const big = 'x'.repeat(1_000_000);
    const t = counter({ name: 't', on: 'hit', by: ['k'] });
    const ts = t.init();
    t.inPlace!.update(ts, { type: 'hit', k: big } as MetricEvent, { now: 0 });
    expect(t.dimensions(ts).series[0]!.labels['k']!.length).toBe(256);
  });
});
