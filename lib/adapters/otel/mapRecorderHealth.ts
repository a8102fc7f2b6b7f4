import type { RecorderReading } from '../../metrics/source/snapshotSource.js';
import type { RecorderState, RecorderStats } from '../../metrics/recorder/types.js';
import type { InstrumentKind, MappedMetric, StreamShape } from './mappedMetric.js';
import { RECORDER_ATTRIBUTE } from './mapSnapshot.js';

/** Every recorder state, for the `mvx.recorder.state` state set. */
const STATES: readonly RecorderState[] = [
  'virgin',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failure',
  'disposed',
];

interface HealthMetric {
  readonly name: string;
  readonly stat: keyof RecorderStats;
  readonly shape: StreamShape;
  readonly instrument: InstrumentKind;
  readonly unit: string;
  readonly description: string;
}

/** The recorder health metrics (names, units and what they count). */
const HEALTH: readonly HealthMetric[] = [
  ['offered', 'offered', 'Events offered to the recorder (every emit / registerEvent call)'],
  ['accepted', 'accepted', 'Events that entered the buffer'],
  ['processed', 'processed', 'Events dispatched to the metrics'],
  ['dropped', 'dropped', 'Events refused or evicted for capacity'],
  ['rejected', 'rejected', 'Invalid events and events refused in a wrong state'],
  ['metric_errors', 'metricErrors', 'Failures of metrics and of onMetricChanged'],
].map(([suffix, stat, description]): HealthMetric => ({
  name: `mvx.recorder.${suffix as string}`,
  stat: stat as keyof RecorderStats,
  shape: 'monotonicSum',
  instrument: 'counter',
  unit: suffix === 'metric_errors' ? '{error}' : '{event}',
  description: description as string,
}));

const LEVELS: readonly HealthMetric[] = [
  {
    name: 'mvx.recorder.pending',
    stat: 'pending',
    shape: 'gauge',
    instrument: 'gauge',
    unit: '{event}',
    description: 'Events accepted, not yet processed',
  },
  {
    name: 'mvx.recorder.capacity',
    stat: 'capacity',
    shape: 'gauge',
    instrument: 'gauge',
    unit: '{event}',
    description: 'Maximum pending events',
  },
];

/** Names of the recorder health metrics, in export order. */
export const RECORDER_HEALTH_METRICS: readonly string[] = Object.freeze([
  ...HEALTH.map((h) => h.name),
  ...LEVELS.map((h) => h.name),
  'mvx.recorder.state',
]);

/**
 * The health metrics of one recorder reading: its stats as counters (`offered`, `accepted`,
 * `processed`, `dropped`, `rejected`, `metric_errors`) and gauges (`pending`, `capacity`), and its
 * lifecycle state as a state set (`mvx.recorder.state{state}`: 1 for the current state, 0 for the
 * others). Stats or state that are not known yet (a worker-hosted recorder before its first mirror) are
 * left out.
 * @internal
 */
export function mapRecorderHealth(reading: RecorderReading): MappedMetric[] {
  const out: MappedMetric[] = [];
  const recorder = { [RECORDER_ATTRIBUTE]: reading.recorderId };
  const stats = reading.stats as { readonly [k: string]: unknown } | undefined;
  if (stats !== null && typeof stats === 'object') {
    for (const h of [...HEALTH, ...LEVELS]) {
      const v = stats[h.stat];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      out.push({
        name: h.name,
        source: '',
        shape: h.shape,
        instrument: h.instrument,
        description: h.description,
        unit: h.unit,
        integer: true,
        points: [{ attributes: { ...recorder }, value: v }],
      });
    }
  }
  const state = reading.state;
  if (typeof state === 'string') {
    out.push({
      name: 'mvx.recorder.state',
      source: '',
      shape: 'gauge',
      instrument: 'gauge',
      description: 'Recorder lifecycle state (1 for the current state)',
      unit: '1',
      integer: true,
      points: STATES.map((s) => ({ attributes: { ...recorder, state: s }, value: s === state ? 1 : 0 })),
    });
  }
  return out;
}
