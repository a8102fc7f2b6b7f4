// Type tests for the recorder's typed surface (compiled by `npm run typecheck`; never run): untyped
// recorders take payload fields, typed recorders stay strict, metrics of unrelated events do not
// register, and snapshots read by metric are typed by it.
import type { Observable } from 'rxjs';
import {
  counter,
  defineMetric,
  histogram,
  kindsFor,
  MetricsRecorder,
  MetricsRuntime,
  noopEmitter,
  outcomeCounter,
  readSnapshotSource,
  type CounterDimensions,
  type HistogramDimensions,
  type MetricEmitter,
  type MetricEvent,
  type MetricSnapshot,
  type OutcomeCounterDimensions,
  type SnapshotSource,
} from 'mvx-common';

type HttpRequest = { type: 'http.request'; route: string; status: number; ms: number };
type Save = { type: 'doc.save'; outcome: 'success' | 'failure' };
type AppEvent = HttpRequest | Save;
interface Login extends MetricEvent {
  readonly type: 'auth.login';
  readonly user: string;
}

// ---- an untyped recorder accepts any event object with a string `type` and payload fields
const untyped = new MetricsRecorder('x');
untyped.emit({ type: 'http.request', route: '/x' });
untyped.emit({ type: 'http.request', route: '/x', status: 200, nested: { ok: true } });
untyped.registerEvent({ type: 'a', n: 1 });
untyped.emitter.emit({ type: 'job.done', outcome: 'success' });
untyped.emitter.next({ type: 'job.done', ms: 3 });
const plain: MetricEvent = { type: 'plain' };
untyped.emit(plain);
// @ts-expect-error a number `type` is not an event
untyped.emit({ type: 1 });
// @ts-expect-error an event needs a `type`
untyped.emit({ route: '/x' });

// ---- a typed recorder stays strict
const typed = new MetricsRecorder<AppEvent>('typed');
typed.emit({ type: 'http.request', route: '/x', status: 200, ms: 3 });
typed.emit({ type: 'doc.save', outcome: 'failure' });
// @ts-expect-error an unknown event type
typed.emit({ type: 'other' });
// @ts-expect-error an excess property on a typed event
typed.emit({ type: 'doc.save', outcome: 'success', extra: 1 });
// @ts-expect-error a wrong payload type
typed.emit({ type: 'doc.save', outcome: 'maybe' });
const emitter: MetricEmitter<Save> = typed.emitter;
emitter.emit({ type: 'doc.save', outcome: 'success' });
const quiet: MetricEmitter<Save> = noopEmitter;
quiet.emit({ type: 'doc.save', outcome: 'success' });

// ---- registerMetric: a metric whose events cannot occur on the recorder does not compile
const k = kindsFor<AppEvent>();
const requests = k.histogram({ name: 'http.ms', on: 'http.request', value: 'ms', by: ['route'] });
const saves = k.outcomeCounter({ name: 'doc.saves', on: 'doc.save' });
const logins = kindsFor<Login>().counter({ name: 'logins', on: 'auth.login', by: ['user'] });
typed.registerMetric(requests);
typed.registerMetric(saves);
typed.registerMetric(counter({ name: 'all', on: (_e: MetricEvent): _e is MetricEvent => true }));
// @ts-expect-error the metric accepts only auth.login events, which this recorder never records
typed.registerMetric(logins);
untyped.registerMetric(logins);
new MetricsRecorder<Login>('auth').registerMetric(logins);
const custom = defineMetric({
  name: 'custom',
  accepts: (e: MetricEvent): e is Login => e.type === 'auth.login',
  init: () => 0,
  reduce: (s: number) => s + 1,
  dimensions: (s) => ({ n: s }),
});
// @ts-expect-error a custom metric of unrelated events
typed.registerMetric(custom);

// ---- snapshots read by metric are typed by it; by name they stay generic
const h: MetricSnapshot<HistogramDimensions> | undefined = typed.getMetricSnapshot(requests);
const p99Count: number | undefined = h?.dimensions.count;
const outcome = typed.getMetricSnapshot(saves);
const failures: number | undefined = outcome?.dimensions.failure_total;
const saves$: Observable<MetricSnapshot<OutcomeCounterDimensions<'success' | 'failure'>>> =
  typed.snapshot$(saves);
const total$: Observable<MetricSnapshot<CounterDimensions>> = untyped.snapshot$(
  counter({ name: 'c', on: 'x' }),
);
const byName = typed.getMetricSnapshot('http.ms');
// @ts-expect-error by name, dimensions are not known to be a histogram's
const bad: number = byName?.dimensions.count;
// @ts-expect-error dimensions of a histogram have no `total`
const noTotal = h?.dimensions.total;

// ---- typed recorders and runtimes are snapshot sources (what exporters and the dashboard take)
readSnapshotSource(typed);
readSnapshotSource(untyped);
readSnapshotSource(new MetricsRecorder<Login>('l'));
const runtime = new MetricsRuntime({ namespace: 'rt' });
readSnapshotSource(runtime);
const sources: SnapshotSource[] = [typed, untyped, runtime];
void histogram;
void outcomeCounter;
void [p99Count, failures, saves$, total$, bad, noTotal, sources];
