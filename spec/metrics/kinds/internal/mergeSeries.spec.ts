import fc from 'fast-check';
import { counter, upDownCounter, type MetricEvent } from '../../../../lib/index.js';
// Internal on purpose: the merge of labelled series used by mergeSnapshots (not exported).
import { mergeSeriesLists } from '../../../../lib/metrics/kinds/internal/mergeSeries.js';
import type { SeriesLabels } from '../../../../lib/metrics/kinds/types.js';

interface Row {
  readonly labels: SeriesLabels;
  readonly total: number;
}

const OVERFLOW: SeriesLabels = Object.freeze({ mvx_overflow: 'true' });
const sum = (x: Row, y: Row): Row => ({ labels: x.labels, total: x.total + y.total });

/** Label sets over a few names and values, with names in any order and prototype names included. */
const labelsArb: fc.Arbitrary<SeriesLabels> = fc
  .uniqueArray(fc.constantFrom('a', 'b', '__proto__', 'constructor'), { maxLength: 3 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.constantFrom('x', 'y', ''), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, values]) => {
    const out: Record<string, string> = {};
    names.forEach((n, i) => Object.defineProperty(out, n, { value: values[i], enumerable: true }));
    return Object.freeze(out);
  });

const rowArb: fc.Arbitrary<Row> = fc.record({
  labels: fc.oneof({ weight: 6, arbitrary: labelsArb }, { weight: 1, arbitrary: fc.constant(OVERFLOW) }),
  total: fc.integer({ min: 0, max: 100 }),
});

/** The reference: one row per distinct label set (names sorted, then values), totals summed, overflow last. */
function whole(rows: readonly Row[]): Array<{ labels: Record<string, string>; total: number }> {
  const byKey = new Map<string, { labels: Record<string, string>; total: number }>();
  let overflow: number | undefined;
  for (const r of rows) {
    const pairs = Object.keys(r.labels)
      .sort()
      .map((n) => [n, r.labels[n] as string] as const);
    if (pairs.length === 1 && pairs[0]![0] === 'mvx_overflow' && pairs[0]![1] === 'true') {
      overflow = (overflow ?? 0) + r.total;
      continue;
    }
    const key = JSON.stringify(pairs);
    const prev = byKey.get(key);
    byKey.set(key, { labels: prev?.labels ?? plain(r.labels), total: (prev?.total ?? 0) + r.total });
  }
  const out = [...byKey.entries()].sort(([a], [b]) => byPairs(a, b)).map(([, v]) => v);
  if (overflow !== undefined) out.push({ labels: { mvx_overflow: 'true' }, total: overflow });
  return out;
}

function byPairs(a: string, b: string): number {
  const pa = JSON.parse(a) as [string, string][];
  const pb = JSON.parse(b) as [string, string][];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i]![0] !== pb[i]![0]) return pa[i]![0] < pb[i]![0] ? -1 : 1;
    if (pa[i]![1] !== pb[i]![1]) return pa[i]![1] < pb[i]![1] ? -1 : 1;
  }
  return pa.length - pb.length;
}

function plain(labels: SeriesLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels))
    Object.defineProperty(out, n, { value: labels[n], enumerable: true, writable: true, configurable: true });
  return out;
}

const normalize = (rows: readonly Row[]) => rows.map((r) => ({ labels: plain(r.labels), total: r.total }));

describe('mergeSeriesLists', () => {
  it('merging the series of parts gives the series of the whole, however the rows are split (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(rowArb, fc.nat(2)), { maxLength: 40 }), (tagged) => {
        // Each part is a snapshot's series: one row per label set.
        const parts = [0, 1, 2].map((p) => whole(tagged.filter(([, t]) => t === p).map(([r]) => r)));
        const all = tagged.map(([r]) => r);
        const twoThenOne = mergeSeriesLists(mergeSeriesLists(parts[0]!, parts[1]!, sum), parts[2]!, sum);
        const oneThenTwo = mergeSeriesLists(parts[0]!, mergeSeriesLists(parts[1]!, parts[2]!, sum), sum);
        expect(normalize(twoThenOne)).toEqual(whole(all));
        expect(normalize(oneThenTwo)).toEqual(whole(all));
        expect(normalize(mergeSeriesLists(parts[1]!, parts[0]!, sum))).toEqual(
          normalize(mergeSeriesLists(parts[0]!, parts[1]!, sum)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('matches label sets whatever the order of their names', () => {
    const merged = mergeSeriesLists(
      [{ labels: { a: 'x', b: 'y' }, total: 1 }],
      [{ labels: { b: 'y', a: 'x' }, total: 2 }],
      sum,
    );
    expect(merged).toEqual([{ labels: { a: 'x', b: 'y' }, total: 3 }]);
  });

  it('keeps rows that need no merge as they are, and passes the first part’s row first', () => {
    const only: Row = { labels: { a: 'x' }, total: 1 };
    const calls: Array<[Row, Row]> = [];
    const a: Row = { labels: { a: 'y' }, total: 1 };
    const b: Row = { labels: { a: 'y' }, total: 2 };
    const merged = mergeSeriesLists([only, a], [b], (x, y) => (calls.push([x, y]), sum(x, y)));
    expect(merged[0]).toBe(only);
    expect(calls).toEqual([[a, b]]);
  });

  it('merging the counters of two halves of the events gives the counter of all of them (property)', () => {
    type Ev = MetricEvent & { a: string; b: string; v: number };
    const event = fc.record({
      type: fc.constant('e'),
      a: fc.constantFrom('x', 'y', 'z', '__proto__'),
      b: fc.constantFrom('1', '2'),
      v: fc.integer({ min: -5, max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, fc.boolean()), { maxLength: 40 }),
        fc.boolean(),
        (tagged, upDown) => {
          const key = upDown ? 'value' : 'total';
          const make = () =>
            upDown
              ? upDownCounter({ name: 'c', on: 'e', value: 'v', by: ['a', 'b'] })
              : counter({ name: 'c', on: 'e', value: 'v', by: ['a', 'b'] });
          const seriesOf = (events: readonly Ev[]) => {
            const m = make();
            let s = m.init();
            for (const x of events) s = m.reduce(s, x, { now: 0 });
            return m.dimensions(s).series as unknown as ReadonlyArray<
              { labels: SeriesLabels } & Record<string, number>
            >;
          };
          const left = seriesOf(tagged.filter(([, t]) => t).map(([x]) => x));
          const right = seriesOf(tagged.filter(([, t]) => !t).map(([x]) => x));
          const merged = mergeSeriesLists(
            left,
            right,
            (x, y) => ({ labels: x.labels, [key]: x[key]! + y[key]! }) as typeof x,
          );
          expect(JSON.parse(JSON.stringify(merged))).toEqual(
            JSON.parse(JSON.stringify(seriesOf(tagged.map(([x]) => x)))),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
