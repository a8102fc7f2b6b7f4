import type { RecorderStats } from '../../metrics/recorder/types.js';
import type { RecorderReading } from '../../metrics/source/snapshotSource.js';
import type { MetricSnapshot } from '../../metrics/snapshot.js';
import { NO_LABELS, type Aggregator, type FamilyDraft, type Labels } from './familyDraft.js';
import type { PromType } from './promNames.js';

/** Every recorder state, in lifecycle order: one `mvx_recorder_state` series each. */
export const RECORDER_STATES = [
  'virgin',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failure',
  'disposed',
] as const;

/** Every runtime state: one `mvx_runtime_state` series each. */
export const RUNTIME_STATES = ['virgin', 'starting', 'running', 'stopping', 'closed', 'failure'] as const;

interface HealthSpec {
  /** Family name without the prefix. */
  readonly name: string;
  readonly type: PromType;
  readonly help: string;
  readonly aggregator: Aggregator;
}

const spec = (name: string, type: PromType, help: string, aggregator: Aggregator = 'sum'): HealthSpec => ({
  name,
  type,
  help,
  aggregator,
});

/** Recorder stats exported per recorder: the stats field and its family. */
const STATS: readonly (readonly [keyof RecorderStats, HealthSpec])[] = [
  [
    'offered',
    spec(
      'mvx_recorder_events_offered_total',
      'counter',
      'Events offered to the recorder (emit / registerEvent calls).',
    ),
  ],
  [
    'accepted',
    spec('mvx_recorder_events_accepted_total', 'counter', 'Events accepted into the recorder buffer.'),
  ],
  ['processed', spec('mvx_recorder_events_processed_total', 'counter', 'Events dispatched to the metrics.')],
  [
    'dropped',
    spec(
      'mvx_recorder_events_dropped_total',
      'counter',
      'Events refused or evicted because the buffer was full.',
    ),
  ],
  [
    'rejected',
    spec(
      'mvx_recorder_events_rejected_total',
      'counter',
      'Invalid events and events refused in a state that does not accept them.',
    ),
  ],
  [
    'metricErrors',
    spec(
      'mvx_recorder_metric_errors_total',
      'counter',
      'Failures of metrics (and of onMetricChanged) while processing events.',
    ),
  ],
  ['pending', spec('mvx_recorder_pending_events', 'gauge', 'Events accepted and not yet processed.')],
  ['capacity', spec('mvx_recorder_capacity_events', 'gauge', 'Maximum number of pending events.')],
];
const STATE = spec(
  'mvx_recorder_state',
  'gauge',
  'Recorder lifecycle state: 1 for the current state, 0 for the others.',
  'max',
);
const RUNTIME_STATE = spec(
  'mvx_runtime_state',
  'gauge',
  'Runtime lifecycle state: 1 for the current state, 0 for the others (a runtime that is not running exports no recorders).',
  'max',
);
const START_TIME = spec(
  'mvx_recorder_start_time_seconds',
  'gauge',
  'When the recorder first started (Unix epoch seconds); its metrics count from about then.',
  'min',
);

/** Per-metric loss counters: the dimension and its family. */
const METRIC_LOSSES: readonly (readonly [string, HealthSpec])[] = [
  [
    'refused',
    spec(
      'mvx_metric_refused_total',
      'counter',
      'Events a metric refused (a negative, non-finite or missing value).',
    ),
  ],
  [
    'overflow',
    spec(
      'mvx_metric_overflow_total',
      'counter',
      'Events a labelled metric folded into its overflow series (series cap reached).',
    ),
  ],
  [
    'evicted',
    spec(
      'mvx_metric_evicted_total',
      'counter',
      'Series a labelled metric removed (TTL or explicit removal).',
    ),
  ],
];

/** The exporter's own error counter (always exported). */
export const EXPORTER_ERRORS = spec(
  'mvx_exporter_errors_total',
  'counter',
  'Metric families or series the Prometheus exporter left out of a scrape, by source metric and reason.',
);

function empty(prefix: string, s: HealthSpec): FamilyDraft {
  return {
    name: prefix + s.name,
    type: s.type,
    help: s.help,
    aggregator: s.aggregator,
    origin: s.name,
    series: [],
  };
}

/**
 * The health families of an exposure, empty (filled by {@link addHealth} and {@link addMetricLosses}),
 * so that they are registered even before a recorder exists.
 */
export function healthFamilies(prefix: string): Map<string, FamilyDraft> {
  const out = new Map<string, FamilyDraft>();
  for (const [, s] of STATS) out.set(s.name, empty(prefix, s));
  out.set(STATE.name, empty(prefix, STATE));
  out.set(START_TIME.name, empty(prefix, START_TIME));
  out.set(RUNTIME_STATE.name, empty(prefix, RUNTIME_STATE));
  for (const [, s] of METRIC_LOSSES) out.set(s.name, empty(prefix, s));
  return out;
}

/** An empty exporter-errors family. */
export function exporterErrorsFamily(prefix: string): FamilyDraft {
  return empty(prefix, EXPORTER_ERRORS);
}

function push(family: FamilyDraft | undefined, labels: Labels, value: number): void {
  family?.series.push({ labels, samples: [{ value, labels: NO_LABELS, sharedLabels: labels }] });
}

/** Adds one reading's stats, state and start time to the health families. */
export function addHealth(families: Map<string, FamilyDraft>, reading: RecorderReading, base: Labels): void {
  const stats = reading.stats as { readonly [k: string]: unknown } | undefined;
  if (stats !== null && typeof stats === 'object') {
    for (const [field, s] of STATS) {
      const v = stats[field];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) push(families.get(s.name), base, v);
    }
  }
  const state: unknown = reading.state;
  if (typeof state === 'string') {
    const family = families.get(STATE.name);
    for (const s of RECORDER_STATES) push(family, { ...base, state: s }, s === state ? 1 : 0);
    if (!(RECORDER_STATES as readonly string[]).includes(state)) push(family, { ...base, state }, 1);
  }
  const start: unknown = reading.startTime;
  if (typeof start === 'number' && Number.isFinite(start))
    push(families.get(START_TIME.name), base, start / 1000);
}

/** Adds a runtime's state (`runtime` label: its namespace). */
export function addRuntimeState(
  families: Map<string, FamilyDraft>,
  namespace: string,
  state: string,
  constant: Labels,
): void {
  const family = families.get(RUNTIME_STATE.name);
  for (const s of RUNTIME_STATES)
    push(family, { ...constant, runtime: namespace, state: s }, s === state ? 1 : 0);
  if (!(RUNTIME_STATES as readonly string[]).includes(state))
    push(family, { ...constant, runtime: namespace, state }, 1);
}

/** Adds a built-in metric's `refused` / `overflow` / `evicted` counts (labelled `metric`). */
export function addMetricLosses(
  families: Map<string, FamilyDraft>,
  snapshot: MetricSnapshot,
  base: Labels,
): void {
  const d = snapshot.dimensions as { readonly [k: string]: unknown };
  let labels: Labels | undefined;
  for (const [field, s] of METRIC_LOSSES) {
    const v = d[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) continue;
    labels ??= { ...base, metric: snapshot.name };
    push(families.get(s.name), labels, v);
  }
}

/** Label names the health families set themselves. */
export const HEALTH_LABELS: ReadonlySet<string> = new Set(['state', 'metric', 'reason', 'runtime']);
