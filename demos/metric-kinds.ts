/**
 * Demo: the built-in metric kinds on one typed event stream, and merging two workers' snapshots.
 *
 * Run: npm run build && npx ts-node demos/metric-kinds.ts
 */
import { from } from 'rxjs';
import { aggregate, type MetricSnapshot } from 'mvx-common';
import { kindsFor, measure, mergeSnapshots } from 'mvx-common';

type AppEvent =
  | { type: 'doc.save'; outcome: 'success' | 'failure' | 'cancelled'; durationMs: number; region: string }
  | { type: 'cache.size'; entries: number };

const k = kindsFor<AppEvent>();
const saves = k.outcomeCounter({ name: 'doc.save.attempts', on: 'doc.save' });
const byRegion = k.counter({ name: 'doc.save.by_region', on: 'doc.save', by: ['region', 'outcome'] });
const saveMs = k.histogram({
  name: 'doc.save.ms',
  on: 'doc.save',
  value: 'durationMs',
  buckets: [5, 10, 50],
});
const saveQ = k.quantiles({ name: 'doc.save.ms.q', on: 'doc.save', value: 'durationMs' });
const cache = k.gauge({ name: 'cache.entries', on: 'cache.size', value: 'entries' });

/** Runs the scenario and returns what it would print. */
export function main(): Record<string, unknown> {
  // Production side: measure() emits one event per piece of work.
  const worker1: AppEvent[] = [];
  const worker2: AppEvent[] = [];
  let t = 0;
  const clock = { now: () => (t += 4) };
  const emit1 = { emit: (e: AppEvent) => void worker1.push(e) };
  measure(emit1, 'doc.save', () => 'saved', { region: 'eu' }, { clock });
  try {
    measure(
      emit1,
      'doc.save',
      () => {
        throw new Error('disk full');
      },
      { region: 'eu' },
      { clock },
    );
  } catch {
    // the work's error is rethrown unchanged
  }
  worker1.push({ type: 'cache.size', entries: 120 });
  worker2.push(
    { type: 'doc.save', outcome: 'success', durationMs: 7, region: 'us' },
    { type: 'doc.save', outcome: 'success', durationMs: 30, region: 'us' },
    { type: 'cache.size', entries: 80 },
  );

  // Processing side: the pure-RxJS path, one last snapshot per worker and metric.
  const lastOf = <D extends MetricSnapshot['dimensions']>(
    metric: Parameters<typeof aggregate>[0],
    events: AppEvent[],
  ) => {
    let last: MetricSnapshot<D> | undefined;
    from(events)
      .pipe(aggregate(metric))
      .subscribe((s) => (last = s as MetricSnapshot<D>));
    return last as MetricSnapshot<D>;
  };
  const result: Record<string, unknown> = {};
  for (const metric of [saves, byRegion, saveMs, saveQ, cache]) {
    const merged = mergeSnapshots(lastOf(metric, worker1), lastOf(metric, worker2));
    result[metric.name] = merged.dimensions;
  }
  return result;
}

if (require.main === module) console.log(JSON.stringify(main(), null, 2));

// Output (abridged):
// "doc.save.attempts": { "total": 4, "success_total": 3, "failure_total": 1, "other_total": 0 }
// "doc.save.by_region": { "total": 4, ..., "series": [{ "labels": { "outcome": "failure", "region": "eu" }, "total": 1 }, ...] }
// "doc.save.ms": { "bounds": [5, 10, 50], "count": 4, "sum": 45, "min": 4, "max": 30, "counts": [2, 1, 1, 0], ... }
// "cache.entries": { "last": 80, "min": 80, "max": 120, "count": 2, ... }
