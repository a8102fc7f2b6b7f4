import fc from 'fast-check';
// Internal on purpose: the machinery shared by counter and upDownCounter (not exported).
import { sumKind, type SumState } from '../../../../lib/metrics/kinds/internal/sumKind.js';
import {
  compileLabelled,
  compileOn,
  compileValue,
  type BaseParts,
} from '../../../../lib/metrics/kinds/internal/kindOptions.js';
import { hasFreshDimensions } from '../../../../lib/metrics/snapshots/freshDimensions.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';

type Ev = MetricEvent & { readonly v?: unknown; readonly a?: unknown; readonly b?: unknown };

const base: BaseParts<MetricEvent> = { name: 'sum', accepts: compileOn('on', 'e') };

interface Config {
  readonly monotonic: boolean;
  readonly valued: boolean;
  readonly by: readonly string[] | null;
  readonly maxSeries: number;
  readonly maxLabelLength: number;
  readonly ttlMs: number | undefined;
  readonly removeOn: boolean;
}

function make(c: Config) {
  const labelled = compileLabelled({
    ...(c.by === null ? {} : { by: c.by, maxSeries: c.maxSeries, maxLabelLength: c.maxLabelLength }),
    ...(c.by !== null && c.ttlMs !== undefined ? { ttlMs: c.ttlMs } : {}),
    ...(c.by !== null && c.removeOn ? { removeOn: 'rm' } : {}),
  });
  const valueOf = c.valued ? compileValue('value', 'v', true) : undefined;
  const accept = c.monotonic ? (v: number) => v >= 0 : () => true;
  return sumKind<Ev, 'total' | 'value'>(
    base,
    c.monotonic ? 'counter' : 'gauge',
    c.monotonic ? 'total' : 'value',
    valueOf,
    accept,
    labelled,
  );
}

/** The label value of a raw field, as the kinds promise (strings cut, scalars as strings, objects refused). */
function labelOf(v: unknown, max: number): string | undefined {
  if (typeof v === 'string') return v.slice(0, max);
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v).slice(0, max);
  return undefined;
}

interface ModelSeries {
  labels: Record<string, string>;
  cell: number;
  t: number;
}

/** The naive model: a sum, refusals, and a map of label sets. */
class Model {
  sum = 0;
  refused = 0;
  series = new Map<string, ModelSeries>();
  overflowCell: number | undefined;
  overflow = 0;
  evicted = 0;

  constructor(readonly c: Config) {}

  labelsOf(e: Ev): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const name of this.c.by!) {
      const raw = Object.hasOwn(e, name) ? (e as unknown as Record<string, unknown>)[name] : undefined;
      const v = labelOf(raw, this.c.maxLabelLength);
      if (v === undefined) return undefined;
      Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** Applies `e`; returns whether the state changed. */
  apply(e: Ev, now: number): boolean {
    const c = this.c;
    if (c.by !== null && c.removeOn && e.type === 'rm') {
      const labels = this.labelsOf(e);
      const key = labels && JSON.stringify(labels);
      if (key === undefined || !this.series.has(key)) return false;
      this.series.delete(key);
      this.evicted++;
      return true;
    }
    let v = 1;
    if (c.valued) {
      const raw = e.v;
      if (typeof raw !== 'number' || !Number.isFinite(raw) || (c.monotonic && raw < 0)) return this.refuse();
      v = raw;
    }
    const sum = this.sum + v;
    if (!Number.isFinite(sum)) return this.refuse();
    if (c.by === null) {
      if (v === 0) return false;
      this.sum = sum;
      return true;
    }
    const labels = this.labelsOf(e);
    if (labels === undefined) return this.refuse();
    const key = JSON.stringify(labels);
    const existing = this.series.get(key);
    if (existing === undefined && this.series.size >= c.maxSeries) {
      const cell = (this.overflowCell ?? 0) + v;
      if (!Number.isFinite(cell)) return this.refuse();
      this.overflowCell = cell;
      this.overflow++;
      this.sum = sum;
      return true;
    }
    if (existing !== undefined && v === 0) {
      existing.t = now;
      return false;
    }
    const cell = (existing?.cell ?? 0) + v;
    if (!Number.isFinite(cell)) return this.refuse();
    this.series.set(key, { labels, cell, t: now });
    this.sum = sum;
    return true;
  }

  expire(now: number): boolean {
    let n = 0;
    for (const [key, s] of this.series) {
      if (now - s.t >= this.c.ttlMs!) {
        this.series.delete(key);
        n++;
      }
    }
    this.evicted += n;
    return n > 0;
  }

  refuse(): boolean {
    this.refused++;
    return true;
  }

  dimensions(key: string) {
    const names = this.c.by ?? [];
    const rows = [...this.series.values()].sort((x, y) => {
      for (const n of [...names].sort()) {
        if (x.labels[n] !== y.labels[n]) return x.labels[n]! < y.labels[n]! ? -1 : 1;
      }
      return 0;
    });
    const series: Array<Record<string, unknown>> = rows.map((s) => ({ labels: s.labels, [key]: s.cell }));
    if (this.overflowCell !== undefined)
      series.push({ labels: { mvx_overflow: 'true' }, [key]: this.overflowCell });
    return { [key]: this.sum, refused: this.refused, overflow: this.overflow, evicted: this.evicted, series };
  }
}

const config: fc.Arbitrary<Config> = fc.record({
  monotonic: fc.boolean(),
  valued: fc.boolean(),
  by: fc.option(fc.constantFrom(['a'], ['a', 'b'], ['b', 'a'], ['__proto__']), { nil: null }),
  maxSeries: fc.integer({ min: 1, max: 4 }),
  maxLabelLength: fc.integer({ min: 1, max: 4 }),
  ttlMs: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  removeOn: fc.boolean(),
});

const value = fc.oneof(
  fc.integer({ min: -5, max: 20 }),
  fc.constantFrom(
    0,
    -0,
    0.5,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Infinity,
    -Infinity,
    NaN,
    '3',
    null,
    undefined,
    10n,
  ),
);
const label = fc.constantFrom('x', 'y', 'long-label', '', 7, true, null, undefined, {}, 10n);

type Step =
  | {
      readonly kind: 'event';
      readonly type: string;
      readonly v: unknown;
      readonly a: unknown;
      readonly b: unknown;
      readonly dt: number;
      readonly proto: boolean;
    }
  | { readonly kind: 'refresh'; readonly dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      type: fc.constantFrom('e', 'e', 'e', 'rm'),
      v: value,
      a: label,
      b: label,
      dt: fc.nat(6),
      proto: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refresh' as const), dt: fc.nat(30) }) },
);

function eventOf(s: Extract<Step, { kind: 'event' }>): Ev {
  const e: Record<string, unknown> = { type: s.type, a: s.a, b: s.b };
  if (s.v !== undefined) e['v'] = s.v;
  if (s.proto) Object.defineProperty(e, '__proto__', { value: s.a, enumerable: true });
  return e as unknown as Ev;
}

describe('sumKind', () => {
  it('builds a fresh, frozen metric of the given kind whose value dimension is `key`', () => {
    const m = make({
      monotonic: true,
      valued: false,
      by: null,
      maxSeries: 1,
      maxLabelLength: 1,
      ttlMs: undefined,
      removeOn: false,
    });
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.kind).toBe('counter');
    expect(hasFreshDimensions(m)).toBe(true);
    expect(m.dimensions(m.init())).toEqual({ total: 0, refused: 0, overflow: 0, evicted: 0, series: [] });
    expect(m.refresh).toBeUndefined();
    const ud = make({
      monotonic: false,
      valued: true,
      by: ['a'],
      maxSeries: 1,
      maxLabelLength: 1,
      ttlMs: 5,
      removeOn: false,
    });
    expect(ud.dimensions(ud.init())).toEqual({ value: 0, refused: 0, overflow: 0, evicted: 0, series: [] });
    expect(typeof ud.refresh).toBe('function');
    expect(ud.nextRefresh!(ud.init())).toBeUndefined();
  });

  it('matches a naive model of sums, refusals, series, overflow, removal and expiry (model)', () => {
    fc.assert(
      fc.property(config, fc.array(step, { maxLength: 60 }), (c, steps) => {
        const m = make(c);
        const model = new Model(c);
        const key = c.monotonic ? 'total' : 'value';
        const state: SumState = m.init();
        let now = 0;
        for (const s of steps) {
          now += s.dt;
          if (s.kind === 'refresh') {
            if (m.inPlace!.refresh === undefined) continue;
            expect(m.inPlace!.refresh(state, { now })).toBe(model.expire(now));
          } else {
            const e = eventOf(s);
            if (!m.accepts(e)) {
              expect(s.type === 'rm' && !(c.by !== null && c.removeOn)).toBe(true);
              continue;
            }
            expect(m.inPlace!.update(state, e, { now })).toBe(model.apply(e, now));
          }
          expect(JSON.parse(JSON.stringify(m.dimensions(state)))).toEqual(model.dimensions(key));
          expect(state.series === null ? 0 : state.series.live).toBe(model.series.size);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never lets a sum or a series reach Infinity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 1), fc.constantFrom('x', 'y')),
          { maxLength: 20 },
        ),
        (values) => {
          const m = make({
            monotonic: false,
            valued: true,
            by: ['a'],
            maxSeries: 1,
            maxLabelLength: 4,
            ttlMs: undefined,
            removeOn: false,
          });
          let s = m.init();
          for (const [v, a] of values) s = m.reduce(s, { type: 'e', v, a } as Ev, { now: 0 });
          const d = m.dimensions(s) as unknown as { value: number; series: Array<{ value: number }> };
          expect(Number.isFinite(d.value)).toBe(true);
          for (const row of d.series) expect(Number.isFinite(row.value)).toBe(true);
        },
      ),
    );
  });

  it('with ttlMs, an idle series is evicted within ttl + max(1, ttl / 8) of its last update when refreshed on time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.nat(20), fc.constantFrom('x', 'y', 'z')), { minLength: 1, maxLength: 20 }),
        (ttl, events) => {
          const m = make({
            monotonic: true,
            valued: false,
            by: ['a'],
            maxSeries: 10,
            maxLabelLength: 4,
            ttlMs: ttl,
            removeOn: false,
          });
          const s = m.init();
          const last = new Map<string, number>();
          let now = 0;
          let due = m.nextRefresh!(s);
          const evictedAt = new Map<string, number>();
          const sweep = (at: number): void => {
            const before = new Set(last.keys());
            m.inPlace!.refresh!(s, { now: at });
            const alive = new Set(
              (m.dimensions(s).series as unknown as ReadonlyArray<{ labels: { a: string } }>).map(
                (r) => r.labels.a,
              ),
            );
            for (const a of before) {
              if (!alive.has(a)) {
                evictedAt.set(a, at);
                last.delete(a);
              }
            }
          };
          for (const [dt, a] of events) {
            now += dt;
            // Refreshes due before this event run first, on time (as the Refresh stage runs them).
            while (due !== undefined && due <= now) {
              sweep(due);
              due = m.nextRefresh!(s);
            }
            m.inPlace!.update(s, { type: 'e', a } as Ev, { now });
            last.set(a, now);
            evictedAt.delete(a);
            due = m.nextRefresh!(s);
          }
          const lastSeen = new Map(last);
          for (let i = 0; i < 100 && due !== undefined; i++) {
            sweep(due);
            due = m.nextRefresh!(s);
          }
          expect(due).toBeUndefined();
          expect(m.dimensions(s).series).toEqual([]);
          for (const [a, t] of lastSeen) {
            expect(evictedAt.get(a)).toBeGreaterThanOrEqual(t + ttl);
            expect(evictedAt.get(a)).toBeLessThanOrEqual(t + ttl + Math.max(1, ttl / 8));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
