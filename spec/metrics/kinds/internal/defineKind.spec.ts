import fc from 'fast-check';
// Internal on purpose: how a built-in kind is made from its in-place definition (not exported).
import { defineKind, type KindDefinition } from '../../../../lib/metrics/kinds/internal/defineKind.js';
import type { BaseParts } from '../../../../lib/metrics/kinds/internal/kindOptions.js';
import { hasFreshDimensions, hasHeavyDimensions } from '../../../../lib/metrics/snapshots/freshDimensions.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { MetricContext } from '../../../../lib/metrics/metric.js';

type Ev = MetricEvent & { readonly v?: number };

/** A toy copy-on-write kind: the values seen (an owned array) and their sum; `v: 0` changes nothing. */
interface ListState {
  o: number;
  /** Owner of `items`. */
  io: number;
  items: number[];
  sum: number;
  /** Last refresh time. */
  at: number;
}

const base: BaseParts<MetricEvent> = {
  name: 'toy',
  accepts: (e): e is Ev => e.type === 'e',
};

function definition(
  extra: Partial<KindDefinition<Ev, ListState, { items: number[]; sum: number; at: number }>> = {},
) {
  const def: KindDefinition<Ev, ListState, { items: number[]; sum: number; at: number }> = {
    base,
    kind: 'gauge',
    init: (owner) => ({ o: owner, io: owner, items: [], sum: 0, at: 0 }),
    update(s, e) {
      const v = e.v ?? 1;
      if (v === 0) return false;
      if (s.io !== s.o) {
        s.items = s.items.slice();
        s.io = s.o;
      }
      s.items.push(v);
      s.sum += v;
      return true;
    },
    fork: (s, owner) => ({ o: owner, io: s.io, items: s.items, sum: s.sum, at: s.at }),
    dimensions: (s) => ({ items: [...s.items], sum: s.sum, at: s.at }),
    ...extra,
  };
  return def;
}

const timeAware = {
  refresh(s: ListState, ctx: MetricContext): boolean {
    if (ctx.now <= s.at) return false;
    s.at = ctx.now;
    return true;
  },
  nextRefresh: (s: ListState) => s.at + 10,
};

const deepCopy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('defineKind', () => {
  it('builds a frozen metric with the base fields, and no description or unit keys when absent', () => {
    const m = defineKind(definition());
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.name).toBe('toy');
    expect(m.kind).toBe('gauge');
    expect('description' in m).toBe(false);
    expect('unit' in m).toBe(false);
    expect(m.refresh).toBeUndefined();
    expect(m.nextRefresh).toBeUndefined();
    expect(Object.isFrozen(m.inPlace)).toBe(true);
    expect(m.inPlace?.refresh).toBeUndefined();
    const described = defineKind({ ...definition(), base: { ...base, description: 'd', unit: 'ms' } });
    expect([described.description, described.unit]).toEqual(['d', 'ms']);
  });

  it('accepts with base.accepts, or with the definition’s own accepts', () => {
    const m = defineKind(definition());
    expect([m.accepts({ type: 'e' }), m.accepts({ type: 'rm' })]).toEqual([true, false]);
    const widened = defineKind(definition({ accepts: (e): e is Ev => e.type === 'e' || e.type === 'rm' }));
    expect(widened.accepts({ type: 'rm' })).toBe(true);
  });

  it('marks the metric fresh (frozen in place by the recorder) and heavy only when asked', () => {
    expect(hasFreshDimensions(defineKind(definition()))).toBe(true);
    expect(hasHeavyDimensions(defineKind(definition()))).toBe(false);
    expect(hasHeavyDimensions(defineKind(definition({ heavyDimensions: true })))).toBe(true);
  });

  it('gives every init() and every fork a new owner', () => {
    const m = defineKind(definition());
    const a = m.init();
    const b = m.init();
    const c = m.inPlace!.fork(a);
    expect(new Set([a.o, b.o, c.o]).size).toBe(3);
  });

  it('derives a pure reduce: the input state never changes; the same state back when nothing changed', () => {
    const m = defineKind(definition());
    const s0 = m.init();
    const copy = deepCopy(s0);
    const s1 = m.reduce(s0, { type: 'e', v: 2 }, { now: 0 });
    expect(s0).toEqual(copy);
    expect(s1).not.toBe(s0);
    expect(m.dimensions(s1)).toEqual({ items: [2], sum: 2, at: 0 });
    expect(m.reduce(s1, { type: 'e', v: 0 }, { now: 0 })).toBe(s1);
  });

  it('derives refresh and nextRefresh only when both are defined; the pure refresh forks first', () => {
    expect(defineKind(definition({ refresh: timeAware.refresh })).refresh).toBeUndefined();
    expect(defineKind(definition({ nextRefresh: timeAware.nextRefresh })).nextRefresh).toBeUndefined();
    const m = defineKind(definition(timeAware));
    expect(m.inPlace?.refresh).toBe(timeAware.refresh);
    const s0 = m.init();
    const s1 = m.refresh!(s0, { now: 5 });
    expect(s0.at).toBe(0);
    expect(s1.at).toBe(5);
    expect(m.refresh!(s1, { now: 5 })).toBe(s1);
    expect(m.nextRefresh!(s1)).toBe(15);
  });

  it('the in-place path with forks at any point agrees with the pure contract; old states never change (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('event' as const), v: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('refresh' as const), dt: fc.nat(20) }),
      fc.constant({ kind: 'fork' as const }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        const m = defineKind(definition(timeAware));
        const inPlace = m.inPlace!;
        let pure = m.init();
        let live = m.init();
        let now = 0;
        const frozen: Array<[ListState, unknown]> = [];
        const history: Array<[ListState, unknown]> = [];
        for (const s of steps) {
          if (s.kind === 'fork') {
            frozen.push([live, deepCopy(m.dimensions(live))]);
            live = inPlace.fork(live);
            continue;
          }
          history.push([pure, deepCopy(m.dimensions(pure))]);
          if (s.kind === 'event') {
            const e: Ev = { type: 'e', v: s.v };
            const next = m.reduce(pure, e, { now });
            expect(next !== pure).toBe(inPlace.update(live, e, { now }));
            pure = next;
          } else {
            now += s.dt;
            const next = m.refresh!(pure, { now });
            expect(next !== pure).toBe(inPlace.refresh!(live, { now }));
            pure = next;
          }
          expect(m.dimensions(live)).toEqual(m.dimensions(pure));
        }
        for (const [state, dims] of [...frozen, ...history]) expect(m.dimensions(state)).toEqual(dims);
      }),
      { numRuns: 200 },
    );
  });
});
