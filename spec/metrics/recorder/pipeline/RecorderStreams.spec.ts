import fc from 'fast-check';
import type { Observable } from 'rxjs';
// Internal on purpose: the recorder's subjects and the read-only streams handed out for them (not exported).
import { RecorderStreams, snapshotOf } from '../../../../lib/metrics/recorder/pipeline/RecorderStreams.js';
import type { MetricSnapshot, MetricSnapshots } from '../../../../lib/metrics/snapshot.js';
import { snapshotMap } from '../../../../lib/metrics/snapshots/snapshotMap.js';
import type { RecorderStats } from '../../../../lib/metrics/recorder/types.js';

const STATS: RecorderStats = Object.freeze({
  offered: 0,
  accepted: 0,
  processed: 0,
  dropped: 0,
  rejected: 0,
  pending: 0,
  capacity: 1,
  metricErrors: 0,
});

const snap = (name: string, n: number): MetricSnapshot =>
  Object.freeze({ name, kind: 'custom', dimensions: Object.freeze({ n }) });

function record<T>(source: Observable<T>) {
  const out = { values: [] as T[], completed: false };
  source.subscribe({ next: (v) => out.values.push(v), complete: () => (out.completed = true) });
  return out;
}

describe('RecorderStreams', () => {
  it('state$ replays the current state and emits each change once', () => {
    const s = new RecorderStreams(Object.freeze({}), STATS);
    const seen = record(s.state$);
    s.state.next('virgin');
    s.state.next('starting');
    s.state.next('running');
    s.state.next('running');
    expect(seen.values).toEqual(['virgin', 'starting', 'running']);
    expect(record(s.state$).values).toEqual(['running']);
  });

  it('snapshots$ and stats$ replay the latest value', () => {
    const initial = snapshotMap([snap('a', 0)]);
    const s = new RecorderStreams(initial, STATS);
    expect(record(s.snapshots$).values).toEqual([initial]);
    expect(record(s.stats$).values).toEqual([STATS]);
  });

  it('hands out read-only streams: none can be fed through a cast (regression)', () => {
    const s = new RecorderStreams(snapshotMap([snap('a', 0)]), STATS);
    const streams = [
      s.state$,
      s.snapshots$,
      snapshotOf(s.snapshots$, 'a'),
      s.stats$,
      s.changes$,
      s.errors$,
      s.events$,
    ];
    for (const stream of streams) {
      expect((stream as unknown as { next?: unknown }).next).toBeUndefined();
      expect((stream as unknown as { error?: unknown }).error).toBeUndefined();
      expect((stream as unknown as { complete?: unknown }).complete).toBeUndefined();
    }
  });

  it('snapshot$(name) emits that metric’s snapshot only when it changes; nothing before it exists (model)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
        fc.array(
          fc.tuple(
            fc.constantFrom('a', 'b', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
            fc.boolean(),
          ),
          {
            maxLength: 20,
          },
        ),
        (watched, steps) => {
          const s = new RecorderStreams(Object.freeze({}), STATS);
          const seen = record(snapshotOf(s.snapshots$, watched));
          const current = new Map<string, MetricSnapshot>();
          const expected: MetricSnapshot[] = [];
          let n = 0;
          for (const [name, changed] of steps) {
            // Each step publishes a new map; only `changed` gives `name` a new snapshot object.
            if (changed || !current.has(name)) {
              current.set(name, snap(name, n++));
              if (name === watched) expected.push(current.get(name)!);
            }
            s.snapshots.next(snapshotMap([...current.values()]));
          }
          expect(seen.values).toEqual(expected);
          for (let i = 0; i < seen.values.length; i++) expect(seen.values[i]).toBe(expected[i]);
          // A late subscriber gets the latest one, if any.
          expect(record(snapshotOf(s.snapshots$, watched)).values).toEqual(expected.slice(-1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('changes$, errors$ and events$ are hot: no replay', () => {
    const s = new RecorderStreams(Object.freeze({}), STATS);
    s.errors.next(new Error('before'));
    const errors = record(s.errors$);
    s.errors.next(new Error('after'));
    expect(errors.values.map((e) => e.message)).toEqual(['after']);
    s.events.next({ type: 'x' });
    expect(record(s.events$).values).toEqual([]);
  });

  it('completeAll completes every stream, and later subscribers at once', () => {
    const s = new RecorderStreams(Object.freeze({}) as MetricSnapshots, STATS);
    const streams = () => [
      s.state$,
      s.snapshots$,
      snapshotOf(s.snapshots$, 'a'),
      s.stats$,
      s.changes$,
      s.errors$,
      s.events$,
    ];
    const before = streams().map((x) => record(x as never));
    s.completeAll();
    expect(before.every((r) => r.completed)).toBe(true);
    const after = streams().map((x) => record(x as never));
    expect(after.every((r) => r.completed && r.values.length === 0)).toBe(true);
  });
});
