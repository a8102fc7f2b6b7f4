import type { Attributes } from '@opentelemetry/api';
import { builtinKindOf } from '../../metrics/kinds/builtinKindOf.js';
import type { MetricSnapshot } from '../../metrics/snapshot.js';
import type {
  HistogramPointValue,
  InstrumentKind,
  MappedMetric,
  MappedPoint,
  StreamShape,
} from './mappedMetric.js';
import { otelUnit } from './otelUnit.js';

/** The attribute carrying the recorder id on every data point. */
export const RECORDER_ATTRIBUTE = 'mvx.recorder';
/** The attribute carrying the outcome of an outcome counter's data points. */
export const OUTCOME_ATTRIBUTE = 'outcome';
/** The attribute carrying the quantile of a quantiles metric's gauge points. */
export const QUANTILE_ATTRIBUTE = 'quantile';

type Loose = { readonly [k: string]: unknown };

/** The named quantile fields of a quantiles snapshot, with their quantile. */
const NAMED_QUANTILES: readonly (readonly [string, number])[] = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
  ['p999', 0.999],
];

function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finite(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`\`${where}\` is not a finite number`);
  }
  return v;
}

/** A finite number, or undefined for null / missing / non-finite (empty gauges and histograms). */
function optionalFinite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

type AttributeValue = string | number | boolean;

/**
 * Attributes of frozen label objects (snapshots are deeply frozen, and a series keeps its labels object
 * from one snapshot to the next): the same attributes object is handed out again, so an idle collection
 * allocates none. Keyed by the labels object; the recorder id is checked.
 */
const cache = new WeakMap<object, { readonly recorderId: string; readonly attributes: Attributes }>();

function buildAttributes(labels: Loose | undefined, recorderId: string, extra?: Attributes): Attributes {
  const out: Record<string, AttributeValue> = {};
  if (labels !== undefined) {
    for (const key of Object.keys(labels)) {
      const v = labels[key];
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new TypeError(`label ${JSON.stringify(key)} is not a string`);
      }
      // a `__proto__` label must stay an own property (plain assignment would set the prototype)
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      } else out[key] = v;
    }
  }
  if (extra !== undefined) for (const key of Object.keys(extra)) out[key] = extra[key] as AttributeValue;
  out[RECORDER_ATTRIBUTE] = recorderId;
  return out;
}

function attributesOf(labels: unknown, recorderId: string, extra?: Attributes): Attributes {
  if (labels === undefined) return buildAttributes(undefined, recorderId, extra);
  if (!isObject(labels)) throw new TypeError('`labels` of a series is not an object');
  if (extra !== undefined || !Object.isFrozen(labels)) return buildAttributes(labels, recorderId, extra);
  const hit = cache.get(labels);
  if (hit !== undefined && hit.recorderId === recorderId) return hit.attributes;
  const attributes = buildAttributes(labels, recorderId);
  cache.set(labels, { recorderId, attributes });
  return attributes;
}

/**
 * Calls `fn` for every series of `d` (its `series` array when non-empty), or once for `d` itself.
 */
function eachSeries(d: Loose, fn: (values: Loose, labels: unknown) => void): void {
  const series = d['series'];
  if (Array.isArray(series) && series.length > 0) {
    series.forEach((s: unknown, i) => {
      if (!isObject(s)) throw new TypeError(`\`series[${i}]\` is not an object`);
      fn(s, s['labels']);
    });
  } else fn(d, undefined);
}

function metric(
  snapshot: MetricSnapshot,
  name: string,
  shape: StreamShape,
  instrument: InstrumentKind,
  points: MappedPoint[],
  options: { readonly unit?: string; readonly integer?: boolean } = {},
): MappedMetric {
  return {
    name,
    source: snapshot.name,
    shape,
    instrument,
    description: typeof snapshot.description === 'string' ? snapshot.description : '',
    unit: options.unit ?? otelUnit(snapshot.unit),
    integer: options.integer ?? false,
    points,
  };
}

/** Numeric points: one per series (or one for the whole metric), reading `field`. */
function numberPoints(d: Loose, field: string, recorderId: string, skipNull = false): MappedPoint[] {
  const points: MappedPoint[] = [];
  eachSeries(d, (values, labels) => {
    const v = values[field];
    if (skipNull && (v === null || v === undefined)) return;
    points.push({ attributes: attributesOf(labels, recorderId), value: finite(field, v) });
  });
  return points;
}

/**
 * Validated histogram values and bounds of frozen snapshot parts, by identity: a series that did not
 * change since the previous collection is not validated again. The arrays are the snapshot's own
 * (frozen); the data points get copies.
 */
const validHistograms = new WeakMap<
  object,
  { readonly bounds: readonly number[]; readonly value: HistogramPointValue }
>();
const validBounds = new WeakSet<object>();

function histogramValue(values: Loose, bounds: readonly number[]): HistogramPointValue {
  const cached = validHistograms.get(values);
  if (cached !== undefined && cached.bounds === bounds) return cached.value;
  const counts = values['counts'];
  if (!Array.isArray(counts) || counts.length !== bounds.length + 1) {
    throw new TypeError(`\`counts\` must be an array of bounds.length + 1 (${bounds.length + 1}) numbers`);
  }
  const frozen = Object.isFrozen(values) && Object.isFrozen(counts);
  counts.forEach((c: unknown, i) => {
    if (finite(`counts[${i}]`, c) < 0) throw new RangeError(`\`counts[${i}]\` is negative`);
  });
  const value: HistogramPointValue = {
    boundaries: bounds,
    counts: frozen ? (counts as readonly number[]) : (counts.slice() as number[]),
    sum: finite('sum', values['sum']),
    count: finite('count', values['count']),
    min: optionalFinite(values['min']),
    max: optionalFinite(values['max']),
  };
  if (frozen) validHistograms.set(values, { bounds, value });
  return value;
}

function checkBounds(raw: unknown): readonly number[] {
  if (!Array.isArray(raw)) throw new TypeError('`bounds` is not an array');
  if (validBounds.has(raw)) return raw as readonly number[];
  const bounds = raw.map((b: unknown, i) => finite(`bounds[${i}]`, b));
  for (let i = 1; i < bounds.length; i++) {
    if (!((bounds[i] as number) > (bounds[i - 1] as number))) {
      throw new RangeError('`bounds` are not strictly increasing');
    }
  }
  if (!Object.isFrozen(raw)) return bounds;
  validBounds.add(raw);
  return raw as readonly number[];
}

/** The quantile values of one quantiles reading (its `window` when present): `[q, value]`, sorted. */
function quantileValues(values: Loose): (readonly [number, number])[] {
  const window = values['window'];
  const source = isObject(window) ? window : values;
  const found = new Map<number, number>();
  for (const [field, q] of NAMED_QUANTILES) {
    const v = optionalFinite(source[field]);
    if (v !== undefined) found.set(q, v);
  }
  const extra = source['quantiles'];
  if (isObject(extra)) {
    for (const key of Object.keys(extra)) {
      const q = Number(key);
      const v = optionalFinite(extra[key]);
      if (Number.isFinite(q) && q >= 0 && q <= 1 && v !== undefined && !found.has(q)) found.set(q, v);
    }
  }
  return [...found].sort((a, b) => a[0] - b[0]);
}

function mapQuantiles(snapshot: MetricSnapshot, d: Loose, recorderId: string): MappedMetric[] {
  const gauges: MappedPoint[] = [];
  const counts: MappedPoint[] = [];
  const sums: MappedPoint[] = [];
  eachSeries(d, (values, labels) => {
    for (const [q, v] of quantileValues(values)) {
      gauges.push({
        attributes: attributesOf(labels, recorderId, { [QUANTILE_ATTRIBUTE]: String(q) }),
        value: v,
      });
    }
    const attributes = attributesOf(labels, recorderId);
    counts.push({ attributes, value: finite('count', values['count']) });
    sums.push({ attributes, value: finite('sum', values['sum']) });
  });
  return [
    metric(snapshot, snapshot.name, 'gauge', 'gauge', gauges),
    metric(snapshot, `${snapshot.name}.count`, 'monotonicSum', 'counter', counts, {
      unit: '1',
      integer: true,
    }),
    metric(snapshot, `${snapshot.name}.sum`, 'monotonicSum', 'counter', sums),
  ];
}

function mapOutcomes(d: Loose, recorderId: string): MappedPoint[] {
  const points: MappedPoint[] = [];
  eachSeries(d, (values, labels) => {
    for (const key of Object.keys(values)) {
      if (key === 'total' || key === 'labels' || !key.endsWith('_total')) continue;
      const outcome = key.slice(0, -'_total'.length);
      points.push({
        attributes: attributesOf(labels, recorderId, { [OUTCOME_ATTRIBUTE]: outcome }),
        value: finite(key, values[key]),
      });
    }
  });
  return points;
}

/**
 * A dimension key as an instrument name part: each run of characters outside OpenTelemetry's
 * instrument-name set (`A-Z a-z 0-9 _ . - /`) becomes one `_`; an empty key is `_`.
 */
export function dimensionNamePart(key: string): string {
  return key === '' ? '_' : key.replace(/[^A-Za-z0-9_.\-/]+/g, '_');
}

/**
 * Custom metrics: one gauge per finite numeric top-level dimension, named
 * `<metric>.<dimension key>` (see {@link dimensionNamePart}).
 */
function mapCustom(snapshot: MetricSnapshot, d: Loose, recorderId: string): MappedMetric[] {
  const out: MappedMetric[] = [];
  for (const key of Object.keys(d)) {
    const v = d[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const point = { attributes: attributesOf(undefined, recorderId), value: v };
    out.push(metric(snapshot, `${snapshot.name}.${dimensionNamePart(key)}`, 'gauge', 'gauge', [point]));
  }
  return out;
}

/**
 * Maps one snapshot of one recorder to the metrics it exports. Throws (a `TypeError` / `RangeError`
 * saying what is malformed) when the snapshot cannot be exported; the caller reports and skips it.
 * @internal
 */
export function mapSnapshot(snapshot: MetricSnapshot, recorderId: string): MappedMetric[] {
  if (!isObject(snapshot)) throw new TypeError('the snapshot is not an object');
  if (typeof snapshot.name !== 'string' || snapshot.name === '') {
    throw new TypeError('the snapshot has no name');
  }
  const d = snapshot.dimensions as unknown;
  if (!isObject(d)) throw new TypeError('`dimensions` is not an object');
  const name = snapshot.name;
  switch (builtinKindOf(snapshot)) {
    case 'counter':
      return [metric(snapshot, name, 'monotonicSum', 'counter', numberPoints(d, 'total', recorderId))];
    case 'outcomeCounter':
      return [metric(snapshot, name, 'monotonicSum', 'counter', mapOutcomes(d, recorderId))];
    case 'upDownCounter':
      return [metric(snapshot, name, 'sum', 'upDownCounter', numberPoints(d, 'value', recorderId))];
    case 'gauge':
      return [metric(snapshot, name, 'gauge', 'gauge', numberPoints(d, 'last', recorderId, true))];
    case 'rate':
      return [metric(snapshot, name, 'gauge', 'gauge', numberPoints(d, 'rate', recorderId))];
    case 'histogram': {
      const bounds = checkBounds(d['bounds']);
      const points: MappedPoint[] = [];
      eachSeries(d, (values, labels) =>
        points.push({ attributes: attributesOf(labels, recorderId), value: histogramValue(values, bounds) }),
      );
      return [metric(snapshot, name, 'histogram', 'histogram', points)];
    }
    case 'quantiles':
      return mapQuantiles(snapshot, d, recorderId);
    default:
      return mapCustom(snapshot, d, recorderId);
  }
}
