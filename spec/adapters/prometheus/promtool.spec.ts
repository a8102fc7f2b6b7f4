/**
 * Property tests: random metrics (every built-in kind and custom ones, random names, label names,
 * label values, units and values) recorded by a real recorder and exposed through prom-client; every
 * exposition is linted by `promtool check metrics`.
 */
import fc from 'fast-check';
import { Registry } from 'prom-client';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type AnyMetric,
  type MetricEvent,
} from 'mvx-common';
import { exposeToPrometheus } from 'mvx-common/prometheus';
import { parseExposition, promtoolCheck, requireBinary } from '../../helpers/promText.js';

type Ev = MetricEvent & {
  readonly type: 'e';
  readonly v: number;
  readonly outcome: string;
  readonly labels: Record<string, string>;
};

/** Words of conventional names: no unit abbreviations, but type words and reserved endings included. */
const WORDS = [
  'http',
  'request',
  'requests',
  'document',
  'storage',
  'save',
  'attempts',
  'queue',
  'depth',
  'latency',
  'duration',
  'size',
  'errors',
  'jobs',
  'done',
  'pool',
  'cache',
  'hits',
  'in',
  'flight',
  'total',
  'count',
  'sum',
  'bucket',
  'counter',
  'gauge',
  'histogram',
  'summary',
  'User',
  'Id',
  'API',
  'x2',
  '9lives',
  'tenant',
];
const SEPARATORS = ['.', '_', '-', ' ', '/', ':', ''];
const UNITS = [
  'ms',
  's',
  'bytes',
  'By',
  '1',
  '',
  'requests',
  '%',
  'KiB',
  '{req}',
  'By/s',
  'min',
  'us',
  undefined,
];

const conventionalName = fc
  .tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }), fc.constantFrom(...SEPARATORS))
  .map(([words, sep]) =>
    sep === ''
      ? words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('')
      : words.join(sep),
  );
const anyName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== '');
const labelValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('"', '\\', '\n', 'a"b\\c\nd', '', ' ', '{}', '=', ','),
);

interface MetricSpec {
  readonly kind:
    'counter' | 'upDownCounter' | 'gauge' | 'histogram' | 'quantiles' | 'rate' | 'outcomeCounter' | 'custom';
  readonly name: string;
  readonly unit: string | undefined;
  readonly labelled: boolean;
  readonly customKind: 'counter' | 'gauge' | 'custom';
}

const metricSpec = (name: fc.Arbitrary<string>) =>
  fc.record({
    kind: fc.constantFrom(
      'counter',
      'upDownCounter',
      'gauge',
      'histogram',
      'quantiles',
      'rate',
      'outcomeCounter',
      'custom',
    ),
    name,
    unit: fc.constantFrom(...UNITS),
    labelled: fc.boolean(),
    customKind: fc.constantFrom('counter', 'gauge', 'custom'),
  }) as fc.Arbitrary<MetricSpec>;

const event = (labelName: fc.Arbitrary<string>) =>
  fc.record({
    type: fc.constant('e' as const),
    v: fc.oneof(
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: 1000 }),
      fc.constant(1e300),
    ),
    outcome: fc.constantFrom('success', 'failure', 'weird"one'),
    labels: fc.dictionary(
      labelName.filter((l) => l !== '__proto__'),
      labelValue,
      { minKeys: 1, maxKeys: 2 },
    ),
  });

function build(spec: MetricSpec): AnyMetric {
  const on = 'e' as const;
  const by = spec.labelled ? (e: Ev) => e.labels : undefined;
  const base = {
    name: spec.name,
    on,
    unit: spec.unit,
    description: `random ${spec.kind} "${spec.name}"\n\\`,
  };
  switch (spec.kind) {
    case 'counter':
      return counter<Ev>({ ...base, value: 'v', by });
    case 'upDownCounter':
      return upDownCounter<Ev>({ ...base, value: (e) => (e.outcome === 'success' ? e.v : -e.v), by });
    case 'gauge':
      return gauge<Ev>({ ...base, value: 'v', by });
    case 'histogram':
      return histogram<Ev>({ ...base, value: 'v', buckets: [0.5, 10, 250, 1e4], by });
    case 'quantiles':
      return quantiles<Ev>({ ...base, value: 'v', quantiles: [0.25, 0.75] });
    case 'rate':
      return rate<Ev>({ ...base, value: 'v' });
    case 'outcomeCounter':
      return outcomeCounter<Ev, 'success' | 'failure'>({ ...base });
    case 'custom':
      return defineMetric({
        name: spec.name,
        kind: spec.customKind,
        unit: spec.unit,
        accepts: (e: MetricEvent): e is Ev => e.type === 'e',
        init: () => ({ seen: 0, sum: 0, last_total: 0 }),
        reduce: (s, e: Ev) => ({ seen: s.seen + 1, sum: s.sum + e.v, last_total: e.v }),
        dimensions: (s) => ({ ...s, note: 'text', nested: { a: 1 } }),
      });
  }
}

/** Records `events` into `specs` with a real recorder and returns the exposition. */
async function exposition(
  specs: readonly MetricSpec[],
  events: readonly Ev[],
  recorderId: string,
): Promise<string> {
  const recorder = new MetricsRecorder<Ev>(recorderId);
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    recorder.registerMetric(build(spec));
  }
  for (const e of events) recorder.emit(e);
  await recorder.flush();
  const registry = new Registry();
  const exposure = exposeToPrometheus(recorder, { registry, labels: { service: 'prop' } });
  try {
    return await registry.metrics();
  } finally {
    exposure.close();
    await recorder.dispose();
  }
}

beforeAll(() => requireBinary('promtool'));

describe('promtool check metrics on random expositions', () => {
  it('conventional names (any case, separators, type words, reserved endings, every unit): lint-clean', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(metricSpec(conventionalName), { minLength: 1, maxLength: 6 }),
        fc.array(event(conventionalName), { maxLength: 12 }),
        conventionalName,
        async (specs, events, recorderId) => {
          const text = await exposition(specs, events, recorderId);
          expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
          parseExposition(text); // and our own parser reads it back
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it("arbitrary unicode names, label names and label values: always parses; only the user's own unit words are linted", async () => {
    const allowed = /metric names should not contain abbreviated units|use base unit/;
    await fc.assert(
      fc.asyncProperty(
        fc.array(metricSpec(anyName), { minLength: 1, maxLength: 5 }),
        fc.array(event(anyName), { maxLength: 10 }),
        anyName,
        async (specs, events, recorderId) => {
          const text = await exposition(specs, events, recorderId);
          const lint = promtoolCheck(text);
          expect([0, 3]).toContain(lint.status);
          for (const line of lint.output.split('\n').filter((l) => l.trim() !== ''))
            expect(line).toMatch(allowed);
          const parsed = parseExposition(text);
          // Every recorded sample carries the constant label and the recorder id, whatever the names.
          for (const s of parsed.samples) {
            expect(s.labels['service']).toBe('prop');
            if (!s.name.startsWith('mvx_exporter')) expect(s.labels['recorder']).toBe(recorderId.trim()); // entity ids are trimmed
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
