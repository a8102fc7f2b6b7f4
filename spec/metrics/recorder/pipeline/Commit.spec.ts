import fc from 'fast-check';
// Internal on purpose: the commit stage (not exported), driven through the stages it is wired with.
import { EMPTY_SNAPSHOTS } from '../../../../lib/metrics/snapshots/snapshotMap.js';
import type { AnyMetric } from '../../../../lib/metrics/metric.js';
import type { MetricEvent } from '../../../../lib/metrics/event.js';
import type { MetricSnapshots } from '../../../../lib/metrics/snapshot.js';
import { MetricFailedError } from '../../../../lib/metrics/errors/recorderErrors.js';
import { UnsafeDimensionError } from '../../../../lib/metrics/snapshots/jsonSafe.js';
import type { MetricSlot } from '../../../../lib/metrics/recorder/pipeline/Dispatch.js';
import { markFreshDimensions } from '../../../../lib/metrics/snapshots/freshDimensions.js';
import { pipeline, type Pipeline } from './harness.js';

const acceptsNone = (event: MetricEvent): event is MetricEvent => event === undefined;

interface Cell {
  readonly value: number;
}

/** A metric whose state is set by the test; `dimensions` counts its calls and can be made to fail. */
function settable(name: string, calls: Map<string, number>, failing: Set<string>): AnyMetric {
  return Object.freeze({
    name,
    kind: 'custom' as const,
    accepts: acceptsNone,
    init: (): Cell => ({ value: 0 }),
    reduce: (s: Cell) => s,
    dimensions: (s: Cell) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (failing.has(name)) throw new Error(`no dimensions for ${name}`);
      return { value: s.value };
    },
  }) as AnyMetric;
}

function setState(p: Pipeline, slot: MetricSlot, value: number): void {
  slot.state = { value };
  slot.dirty = true;
  p.dispatch.anyDirty = true;
}

describe('Commit', () => {
  it('starts with the empty map and publishes the map in slot order on registration', () => {
    const p = pipeline();
    expect(p.commit.current()).toBe(EMPTY_SNAPSHOTS);
    const maps: MetricSnapshots[] = [];
    p.streams.snapshots$.subscribe((m) => maps.push(m));
    const calls = new Map<string, number>();
    p.register(settable('b', calls, new Set()));
    p.register(settable('__proto__', calls, new Set()));
    p.register(settable('a', calls, new Set()));
    expect(maps).toHaveLength(4);
    const current = p.commit.current();
    expect(maps[3]).toBe(current);
    expect(Object.keys(current)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(current)).toBe(Object.prototype);
    expect(Object.isFrozen(current)).toBe(true);
  });

  it('replacing a metric drops its old snapshot and keeps its position', () => {
    const p = pipeline();
    const calls = new Map<string, number>();
    p.register(settable('a', calls, new Set()));
    p.register(settable('b', calls, new Set()));
    const old = p.commit.current()['a'];
    const replacement = Object.freeze({ ...settable('a', calls, new Set()), description: 'v2' });
    p.register(replacement);
    expect(Object.keys(p.commit.current())).toEqual(['a', 'b']);
    expect(p.commit.current()['a']).not.toBe(old);
    expect(p.commit.current()['a']?.description).toBe('v2');
  });

  it('does nothing when nothing is dirty', () => {
    const p = pipeline();
    const calls = new Map<string, number>();
    p.register(settable('a', calls, new Set()));
    const maps: MetricSnapshots[] = [];
    p.streams.snapshots$.subscribe((m) => maps.push(m));
    calls.clear();
    expect(p.commit.commit()).toBe(false);
    expect(calls.size).toBe(0);
    expect(maps).toHaveLength(1);
  });

  it('builds only the dirty slots and publishes one new map; unchanged snapshots stay === (model)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.array(fc.tuple(fc.nat(5), fc.integer({ min: -3, max: 3 }), fc.boolean()), { maxLength: 6 }),
          { maxLength: 8 },
        ),
        (n, rounds) => {
          const p = pipeline();
          const calls = new Map<string, number>();
          const failing = new Set<string>();
          const names = Array.from({ length: n }, (_, i) => `m${i}`);
          const slots = names.map((name) => p.register(settable(name, calls, failing)));
          const maps: MetricSnapshots[] = [];
          p.streams.snapshots$.subscribe((m) => maps.push(m));
          const model = new Map<string, number>(names.map((name) => [name, 0]));
          let errors = 0;
          for (const round of rounds) {
            calls.clear();
            failing.clear();
            const before = p.commit.current();
            const dirty = new Set<string>();
            for (const [i, value, fail] of round) {
              const name = names[i % n]!;
              setState(p, slots[i % n]!, value);
              dirty.add(name);
              if (fail) failing.add(name);
              else failing.delete(name);
            }
            const published = maps.length;
            expect(p.commit.commit()).toBe(false);
            // Exactly the dirty slots were built, once each.
            expect([...calls.keys()].sort()).toEqual([...dirty].sort());
            for (const count of calls.values()) expect(count).toBe(1);
            const built = [...dirty].filter((name) => !failing.has(name));
            errors += dirty.size - built.length;
            for (const name of built) model.set(name, (slots[names.indexOf(name)]!.state as Cell).value);
            const after = p.commit.current();
            if (built.length === 0) {
              expect(after).toBe(before);
              expect(maps).toHaveLength(published);
            } else {
              expect(after).not.toBe(before);
              expect(maps).toHaveLength(published + 1);
              expect(maps[maps.length - 1]).toBe(after);
            }
            expect(Object.keys(after)).toEqual(names);
            for (const name of names) {
              expect(after[name]?.dimensions).toEqual({ value: model.get(name) });
              if (!built.includes(name)) expect(after[name]).toBe(before[name]);
            }
            expect(p.dispatch.anyDirty).toBe(false);
            expect(slots.every((s) => !s.dirty)).toBe(true);
          }
          expect(p.dispatch.metricErrors).toBe(errors);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a snapshot that fails keeps the last good one and is reported as a failure of the metric', () => {
    const p = pipeline();
    const calls = new Map<string, number>();
    const failing = new Set<string>();
    const slot = p.register(settable('a', calls, failing));
    const good = p.commit.current()['a'];
    failing.add('a');
    setState(p, slot, 5);
    expect(p.commit.commit()).toBe(false);
    expect(p.commit.current()['a']).toBe(good);
    expect(p.logged).toHaveLength(1);
    expect(p.logged[0]).toBeInstanceOf(MetricFailedError);
    expect(p.logged[0]?.metricName).toBe('a');
  });

  it('refuses dimensions that are not JSON-safe (isolated), and fails the recorder under fail-recorder', () => {
    for (const failFast of [false, true]) {
      const p = pipeline({ failFast });
      let value: unknown = 1;
      const slot = p.register({
        name: 'a',
        kind: 'custom',
        accepts: acceptsNone,
        init: () => 0,
        reduce: (s: unknown) => s,
        dimensions: () => ({ value }),
      } as AnyMetric);
      value = NaN;
      slot.dirty = true;
      p.dispatch.anyDirty = true;
      expect(p.commit.commit()).toBe(failFast);
      expect(p.commit.current()['a']?.dimensions).toEqual({ value: 1 });
      expect(p.logged[0]?.cause).toBeInstanceOf(UnsafeDimensionError);
    }
  });

  it('publishes snapshots that are deeply frozen copies of what dimensions returned', () => {
    const p = pipeline();
    const shared = { nested: { n: 1 } };
    const slot = p.register({
      name: 'a',
      kind: 'custom',
      accepts: acceptsNone,
      init: () => 0,
      reduce: (s: unknown) => s,
      dimensions: () => shared,
    } as AnyMetric);
    slot.dirty = true;
    p.dispatch.anyDirty = true;
    p.commit.commit();
    const dims = p.commit.current()['a']!.dimensions as typeof shared;
    expect(dims).toEqual(shared);
    expect(dims).not.toBe(shared);
    expect(Object.isFrozen(dims.nested)).toBe(true);
    shared.nested.n = 2; // the metric's own object: the snapshot does not change
    expect(dims.nested.n).toBe(1);
  });
  describe('built-in kinds while snapshots$ is unobserved', () => {
    /** A metric the commit treats as a built-in kind (library-built dimensions, cannot fail). */
    const builtIn = (name: string, calls: Map<string, number>) =>
      markFreshDimensions(settable(name, calls, new Set()));

    it('defers their builds to the next read, builds each once, and keeps the map === while unchanged', () => {
      const p = pipeline();
      const calls = new Map<string, number>();
      const a = p.register(builtIn('a', calls));
      const custom = p.register(settable('custom', calls, new Set()));
      calls.clear();
      for (let batch = 1; batch <= 3; batch++) {
        setState(p, a, batch);
        setState(p, custom, batch);
        expect(p.commit.commit()).toBe(false);
      }
      // The custom metric was built at every commit; the built-in one not at all.
      expect(calls.get('custom')).toBe(3);
      expect(calls.get('a')).toBeUndefined();
      const read = p.commit.current();
      expect(read['a']?.dimensions).toEqual({ value: 3 });
      expect(calls.get('a')).toBe(1);
      expect(p.commit.current()).toBe(read);
      expect(calls.get('a')).toBe(1);
    });

    it('a single read builds only its own metric', () => {
      const p = pipeline();
      const calls = new Map<string, number>();
      const a = p.register(builtIn('a', calls));
      const b = p.register(builtIn('b', calls));
      calls.clear();
      setState(p, a, 1);
      setState(p, b, 2);
      p.commit.commit();
      expect(p.commit.currentOf('a')?.dimensions).toEqual({ value: 1 });
      expect([...calls.keys()]).toEqual(['a']);
      expect(p.commit.currentOf('nope')).toBeUndefined();
      expect(p.commit.current()['b']?.dimensions).toEqual({ value: 2 });
      expect(calls.get('a')).toBe(1);
      expect(calls.get('b')).toBe(1);
    });

    it('builds at commit while snapshots$ is observed, and settles before a new subscriber replays', () => {
      const p = pipeline();
      const calls = new Map<string, number>();
      const a = p.register(builtIn('a', calls));
      setState(p, a, 7);
      p.commit.commit();
      // The streams' own subject replays what was last published; the commit's view builds first.
      const raw: MetricSnapshots[] = [];
      p.streams.snapshots$.subscribe((m) => raw.push(m)).unsubscribe();
      expect(raw.map((m) => m['a']?.dimensions)).toEqual([{ value: 0 }]);
      const maps: MetricSnapshots[] = [];
      const sub = p.commit.snapshots$.subscribe((m) => maps.push(m));
      expect(maps.map((m) => m['a']?.dimensions)).toEqual([{ value: 7 }]);
      calls.clear();
      setState(p, a, 8);
      p.commit.commit();
      expect(calls.get('a')).toBe(1);
      expect(maps.map((m) => m['a']?.dimensions)).toEqual([{ value: 7 }, { value: 8 }]);
      sub.unsubscribe();
    });
  });
});
