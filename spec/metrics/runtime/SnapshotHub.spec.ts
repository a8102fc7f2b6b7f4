import fc from 'fast-check';
import { BehaviorSubject, Observable, VirtualTimeScheduler, type Subscription } from 'rxjs';
// Internal on purpose: the runtime's merge of its recorders' snapshots (not exported).
import { SnapshotHub } from '../../../lib/metrics/runtime/SnapshotHub.js';
import type { MetricSnapshots } from '../../../lib/metrics/snapshot.js';
import type { RuntimeSnapshots } from '../../../lib/metrics/runtime/types.js';

/** A recorder's `snapshots$` stand-in: replays its latest map and counts its subscribers. */
class Source {
  readonly subject = new BehaviorSubject<MetricSnapshots>(Object.freeze({}));
  subscribed = 0;
  readonly snapshots$ = new Observable<MetricSnapshots>((subscriber) => {
    this.subscribed++;
    const sub = this.subject.subscribe(subscriber);
    return () => {
      this.subscribed--;
      sub.unsubscribe();
    };
  });
  set(version: number): void {
    this.subject.next(Object.freeze({ m: version } as unknown as MetricSnapshots));
  }
}

const versionOf = (map: RuntimeSnapshots): Record<string, unknown> =>
  Object.fromEntries(Object.entries(map).map(([id, m]) => [id, (m as unknown as { m?: number }).m]));

describe('SnapshotHub', () => {
  it('follows no recorder while nobody subscribes, and gives the first subscriber the current map at once', () => {
    const scheduler = new VirtualTimeScheduler();
    const hub = new SnapshotHub(scheduler);
    const a = new Source();
    const b = new Source();
    hub.add('a', a.snapshots$);
    hub.add('b', b.snapshots$);
    a.set(1);
    b.set(2);
    scheduler.flush();
    expect(a.subscribed + b.subscribed).toBe(0);
    const seen: RuntimeSnapshots[] = [];
    const sub = hub.snapshots$.subscribe((m) => seen.push(m));
    expect(seen.map(versionOf)).toEqual([{ a: 1, b: 2 }]);
    expect([a.subscribed, b.subscribed]).toEqual([1, 1]);
    a.set(3);
    b.set(4);
    expect(seen).toHaveLength(1); // coalesced: one emission per turn
    scheduler.flush();
    expect(seen.map(versionOf)).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    sub.unsubscribe();
    expect(a.subscribed + b.subscribed).toBe(0);
    hub.close();
  });

  it('matches a model under any interleaving of adds, removes, updates and subscribers', () => {
    type Op =
      | { op: 'add'; id: string }
      | { op: 'remove'; id: string }
      | { op: 'set'; id: string; v: number }
      | { op: 'subscribe' }
      | { op: 'unsubscribe'; i: number }
      | { op: 'flush' };
    const id = fc.constantFrom('a', 'b', '__proto__', 'constructor');
    const ops: fc.Arbitrary<Op[]> = fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('add' as const), id }),
        fc.record({ op: fc.constant('remove' as const), id }),
        fc.record({ op: fc.constant('set' as const), id, v: fc.nat(100) }),
        fc.constant({ op: 'subscribe' as const }),
        fc.record({ op: fc.constant('unsubscribe' as const), i: fc.nat(3) }),
        fc.constant({ op: 'flush' as const }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(ops, (list) => {
        const scheduler = new VirtualTimeScheduler();
        const hub = new SnapshotHub(scheduler);
        const sources = new Map<string, Source>();
        const registered: string[] = []; // model: ids in creation order
        const subs: { sub: Subscription; last: RuntimeSnapshots | undefined }[] = [];
        const model = () =>
          Object.fromEntries(registered.map((r) => [r, sources.get(r)!.subject.getValue()['m' as never]]));
        for (const op of list) {
          switch (op.op) {
            case 'add':
              if (!registered.includes(op.id)) {
                const source = new Source();
                sources.set(op.id, source);
                registered.push(op.id);
                hub.add(op.id, source.snapshots$);
              }
              break;
            case 'remove':
              if (registered.includes(op.id)) registered.splice(registered.indexOf(op.id), 1);
              hub.remove(op.id);
              break;
            case 'set':
              if (registered.includes(op.id)) sources.get(op.id)!.set(op.v);
              break;
            case 'subscribe': {
              const entry = {
                sub: undefined as unknown as Subscription,
                last: undefined as RuntimeSnapshots | undefined,
              };
              entry.sub = hub.snapshots$.subscribe((m) => (entry.last = m));
              // The first map a subscriber sees: current for the first subscriber; for later ones the
              // latest emitted map (at most one turn behind), so compare after the flush below.
              if (subs.length === 0) expect(versionOf(entry.last!)).toEqual(model());
              subs.push(entry);
              break;
            }
            case 'unsubscribe': {
              const s = subs.splice(op.i % Math.max(1, subs.length), 1)[0];
              s?.sub.unsubscribe();
              break;
            }
            case 'flush':
              scheduler.flush();
              for (const s of subs) expect(versionOf(s.last!)).toEqual(model());
              expect(Object.keys(hub.current())).toEqual(registered);
              break;
          }
          // Followed exactly while someone subscribes.
          for (const [sid, source] of sources) {
            expect(source.subscribed).toBe(subs.length > 0 && registered.includes(sid) ? 1 : 0);
          }
        }
        scheduler.flush();
        for (const s of subs) expect(versionOf(s.last!)).toEqual(model());
        hub.close();
        for (const source of sources.values()) expect(source.subscribed).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a source that fails when followed is skipped; the others are followed', () => {
    const scheduler = new VirtualTimeScheduler();
    const hub = new SnapshotHub(scheduler);
    const good = new Source();
    good.set(5);
    hub.add(
      'broken',
      new Observable<MetricSnapshots>(() => {
        throw new Error('cannot follow');
      }),
    );
    hub.add('good', good.snapshots$);
    const seen: RuntimeSnapshots[] = [];
    const sub = hub.snapshots$.subscribe((m) => seen.push(m));
    expect(seen.map(versionOf)).toEqual([{ broken: undefined, good: 5 }]);
    good.set(6);
    scheduler.flush();
    expect(versionOf(seen[seen.length - 1]!)).toEqual({ broken: undefined, good: 6 });
    sub.unsubscribe();
    hub.close();
  });
});
