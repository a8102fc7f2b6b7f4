// Type tests for the built-in kinds (compiled by `npx tsc -p tsconfig.json`; never run).
import type { MetricEvent, MetricEmitter, Metric } from 'mvx-common';
import {
  counter,
  gauge,
  histogram,
  kindsFor,
  measure,
  outcomeCounter,
  quantiles,
  type CounterDimensions,
  type MetricKinds,
} from 'mvx-common';

type Save = { type: 'doc.save'; outcome: 'success' | 'failure'; durationMs: number; region: string };
type CacheSize = { type: 'cache.size'; entries: number; cache: string };
type AppEvent = Save | CacheSize;

const k: MetricKinds<AppEvent> = kindsFor<AppEvent>();

// `on: 'x'` narrows the event inside value/by.
k.counter({ name: 'a', on: 'doc.save', by: ['outcome', 'region'] });
k.counter({ name: 'a', on: 'doc.save', value: (e) => e.durationMs });
k.gauge({ name: 'b', on: 'cache.size', value: 'entries', by: ['cache'] });
k.gauge({ name: 'b', on: 'cache.size', value: (e) => e.entries });
k.histogram({ name: 'c', on: 'doc.save', value: 'durationMs', by: (e) => ({ region: e.region }) });
k.quantiles({ name: 'd', on: 'doc.save', value: 'durationMs' });
k.rate({ name: 'e', on: ['doc.save', 'cache.size'], windowMs: 1000 });
k.upDownCounter({ name: 'f', on: 'cache.size', value: 'entries' });
const oc = k.outcomeCounter({ name: 'g', on: 'doc.save', outcomes: ['success', 'failure'] });
const ocDims: { total: number; success_total: number; failure_total: number; other_total: number } =
  oc.dimensions(oc.init());
void ocDims;

// @ts-expect-error `entries` is not a field of Save
k.counter({ name: 'a', on: 'doc.save', by: ['entries'] });
// @ts-expect-error `regio` is misspelled
k.counter({ name: 'a', on: 'doc.save', by: ['outcome', 'regio'] });
// @ts-expect-error `region` is a string, not a numeric field
k.histogram({ name: 'c', on: 'doc.save', value: 'region' });
// @ts-expect-error Save has no `entries` (the event is narrowed)
k.gauge({ name: 'b', on: 'doc.save', value: (e) => e.entries });
// @ts-expect-error unknown event type
k.counter({ name: 'a', on: 'doc.delete' });
// @ts-expect-error `value` is required for a gauge
k.gauge({ name: 'b', on: 'cache.size' });
// @ts-expect-error outcomes are checked against the declared dimensions
const wrongDims: { ok_total: number } = oc.dimensions(oc.init());
void wrongDims;

// Plain factories: a type guard infers the event; open events accept any field name.
const isSave = (e: MetricEvent): e is Save => e.type === 'doc.save';
const c1 = counter({ name: 'a', on: isSave, by: ['region'] });
const c1Typed: Metric<Save, unknown, CounterDimensions> = c1;
void c1Typed;
// @ts-expect-error `regon` is not a field of Save
counter({ name: 'a', on: isSave, by: ['regon'] });
counter({ name: 'a', on: 'anything', by: ['whatever'], value: 'size' });
counter<Save>({ name: 'a', on: 'doc.save', value: 'durationMs' });
// @ts-expect-error 'cache.size' is not Save's type
counter<Save>({ name: 'a', on: 'cache.size' });
histogram<Save>({ name: 'h', on: 'doc.save', value: (e) => e.durationMs });
gauge<CacheSize>({ name: 'g', on: 'cache.size', value: 'entries' });
quantiles<Save>({ name: 'q', on: 'doc.save', value: 'durationMs', quantiles: [0.75] });
outcomeCounter<Save>({ name: 'o', on: 'doc.save' });

// measure keeps the work's return type.
declare const emitter: MetricEmitter<MetricEvent>;
const n: number = measure(emitter, 'job.run', () => 42);
const p: PromiseLike<string> = measure(emitter, 'job.run', () => Promise.resolve('x'));
// @ts-expect-error the result type is kept (number, not string)
const wrong: string = measure(emitter, 'job.run', () => 42);
void n;
void p;
void wrong;
