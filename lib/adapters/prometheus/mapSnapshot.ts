import { builtinKindOf, type BuiltinKind } from '../../metrics/kinds/builtinKindOf.js';
import type { MetricSnapshot } from '../../metrics/snapshot.js';
import {
  extraLabel,
  NO_LABELS,
  type FamilyDraft,
  type Labels,
  type Sample,
  type SeriesDraft,
} from './familyDraft.js';
import { familyName, labelName, scaled, unitMapping, type PromType, type UnitMapping } from './promNames.js';

/** A snapshot whose dimensions do not have the shape its kind promises. */
export class MalformedSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedSnapshotError';
  }
}

/** A dimension of a custom metric that cannot be exported (e.g. a negative counter). */
export interface SkippedDimension {
  readonly dimension: string;
  readonly message: string;
}

/** What mapping one snapshot needs. */
export interface MapContext {
  readonly prefix: string;
  /** The labels every series of this reading starts with (constant labels, `recorder`, reading labels). */
  readonly base: Labels;
}

type Loose = { readonly [k: string]: unknown };

/** Label names the adapter sets itself, per family type (series labels of the same name are renamed). */
const RESERVED_BY_TYPE: { readonly [T in PromType]: ReadonlySet<string> } = {
  counter: new Set(),
  gauge: new Set(),
  histogram: new Set(['le']),
  summary: new Set(['quantile']),
};
const ALWAYS_RESERVED = new Set(['le', 'quantile']);
const OUTCOME_RESERVED = new Set(['le', 'quantile', 'outcome']);

function fail(message: string): never {
  throw new MalformedSnapshotError(message);
}

function isObject(value: unknown): value is Loose {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function finite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`\`${what}\` is not a finite number`);
  return value;
}

function count(value: unknown, what: string): number {
  const n = finite(value, what);
  if (n < 0) fail(`\`${what}\` is negative`);
  return n;
}

/**
 * `base` plus the series' own labels under valid names; a name already taken (by `base` or by a label
 * the adapter sets, like `le`) is exported as `exported_<name>` (then `exported_<name>_2`, ...), as
 * Prometheus does for clashing target labels.
 */
export function withLabels(base: Labels, raw: unknown, reserved: ReadonlySet<string>): Labels {
  const out: Labels = { ...base };
  if (raw === undefined || raw === null) return out;
  if (!isObject(raw)) fail('series `labels` is not an object');
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      fail(`label \`${key}\` is not a string`);
    }
    const name = freeLabelName(labelName(key), out, reserved);
    if (name !== key) renames++;
    out[name] = String(value);
  }
  return out;
}

let renames = 0;

/**
 * How many label names {@link withLabels} has changed so far: distinct label sets stay distinct unless
 * a name changed (`a.b` and `a_b` both become `a_b`), so only then can a mapping repeat a series.
 */
export function labelRenames(): number {
  return renames;
}

/** `name`, or `exported_<name>`, `exported_<name>_2`, ... : the first not in `taken` nor `reserved`. */
export function freeLabelName(name: string, taken: Labels, reserved: ReadonlySet<string>): string {
  const free = (n: string) => !Object.hasOwn(taken, n) && !reserved.has(n);
  if (free(name)) return name;
  const exported = `exported_${name}`;
  if (free(exported)) return exported;
  for (let i = 2; ; i++) if (free(`${exported}_${i}`)) return `${exported}_${i}`;
}

/** The entries holding values: each `series` entry when there are any, else the dimensions themselves. */
function entriesOf(d: Loose): readonly { labels: unknown; values: Loose }[] {
  const series = d['series'];
  if (series !== undefined && !Array.isArray(series)) fail('`series` is not an array');
  if (Array.isArray(series) && series.length > 0) {
    return series.map((s: unknown, i) => {
      if (!isObject(s)) fail(`\`series[${i}]\` is not an object`);
      return { labels: s['labels'], values: s };
    });
  }
  return [{ labels: undefined, values: d }];
}

function helpOf(snapshot: MetricSnapshot, kind: string): string {
  const d = snapshot.description;
  return typeof d === 'string' && d.trim() !== '' ? d : `${snapshot.name} (mvx-common ${kind})`;
}

const INF = extraLabel('le', '+Inf');

/** `le` label value of a bound (Prometheus parses Go float syntax; JS `String` is compatible). */
function leOf(bound: number): string {
  return String(bound);
}

interface Target {
  readonly name: string;
  readonly type: PromType;
  readonly unit: UnitMapping;
}

function draft(snapshot: MetricSnapshot, t: Target, help: string, series: SeriesDraft[]): FamilyDraft {
  return { name: t.name, type: t.type, help, aggregator: 'sum', origin: snapshot.name, series };
}

function simple(
  snapshot: MetricSnapshot,
  kind: BuiltinKind,
  type: PromType,
  field: string,
  ctx: MapContext,
  check: (value: unknown, what: string) => number | null,
): FamilyDraft {
  const unit = unitMapping(snapshot.unit);
  const t: Target = { name: familyName(ctx.prefix, snapshot.name, type, unit), type, unit };
  const reserved = RESERVED_BY_TYPE[type].size === 0 ? ALWAYS_RESERVED : RESERVED_BY_TYPE[type];
  const series: SeriesDraft[] = [];
  for (const entry of entriesOf(snapshot.dimensions)) {
    const v = check(entry.values[field], field);
    const labels = withLabels(ctx.base, entry.labels, reserved);
    series.push({
      labels,
      samples: v === null ? [] : [{ value: scaled(unit, v), labels: NO_LABELS, sharedLabels: labels }],
    });
  }
  return draft(snapshot, t, helpOf(snapshot, kind), series);
}

const nullableFinite = (v: unknown, what: string): number | null => (v === null ? null : finite(v, what));

function histogramDraft(snapshot: MetricSnapshot, ctx: MapContext): FamilyDraft {
  const d = snapshot.dimensions as Loose;
  const unit = unitMapping(snapshot.unit);
  const name = familyName(ctx.prefix, snapshot.name, 'histogram', unit);
  const rawBounds = d['bounds'];
  if (!Array.isArray(rawBounds)) fail('`bounds` is not an array');
  const bounds = rawBounds.map((b: unknown, i) => finite(b, `bounds[${i}]`));
  for (let i = 1; i < bounds.length; i++) {
    if (!(bounds[i]! > bounds[i - 1]!)) fail('`bounds` are not strictly increasing');
  }
  const les = bounds.map((b) => extraLabel('le', leOf(scaled(unit, b))));
  const [bucket, sumName, countName] = [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  const series: SeriesDraft[] = [];
  for (const entry of entriesOf(d)) {
    const v = entry.values;
    const counts = v['counts'];
    if (!Array.isArray(counts) || counts.length !== bounds.length + 1) {
      fail('`counts` does not have one entry per bucket (bounds.length + 1)');
    }
    const total = count(v['count'], 'count');
    const sum = finite(v['sum'], 'sum');
    const labels = withLabels(ctx.base, entry.labels, RESERVED_BY_TYPE.histogram);
    const samples: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += count(counts[i], `counts[${i}]`);
      samples.push({ value: cumulative, labels: les[i]!, sharedLabels: labels, metricName: bucket });
    }
    cumulative += count(counts[bounds.length], `counts[${bounds.length}]`);
    if (cumulative !== total) fail('`counts` do not add up to `count`');
    samples.push(
      { value: total, labels: INF, sharedLabels: labels, metricName: bucket },
      { value: scaled(unit, sum), labels: NO_LABELS, sharedLabels: labels, metricName: sumName },
      { value: total, labels: NO_LABELS, sharedLabels: labels, metricName: countName },
    );
    series.push({ labels, samples });
  }
  return draft(snapshot, { name, type: 'histogram', unit }, helpOf(snapshot, 'histogram'), series);
}

const FIXED_QUANTILES: readonly (readonly [string, string])[] = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
];

function summaryDraft(snapshot: MetricSnapshot, ctx: MapContext): FamilyDraft {
  const unit = unitMapping(snapshot.unit);
  const name = familyName(ctx.prefix, snapshot.name, 'summary', unit);
  const series: SeriesDraft[] = [];
  for (const entry of entriesOf(snapshot.dimensions)) {
    const v = entry.values;
    const window = v['window'];
    const q = isObject(window) ? window : v;
    const labels = withLabels(ctx.base, entry.labels, RESERVED_BY_TYPE.summary);
    const samples: Sample[] = [];
    const seen = new Set<number>();
    const add = (quantile: number, value: unknown, what: string) => {
      if (seen.has(quantile)) return;
      seen.add(quantile);
      const x = nullableFinite(value, what);
      samples.push({
        value: x === null ? Number.NaN : scaled(unit, x),
        labels: extraLabel('quantile', String(quantile)),
        sharedLabels: labels,
      });
    };
    for (const [label, field] of FIXED_QUANTILES) add(Number(label), q[field], field);
    const extra = q['quantiles'];
    if (isObject(extra)) {
      for (const key of Object.keys(extra)) {
        const quantile = Number(key);
        if (key.trim() === '' || !(quantile >= 0 && quantile <= 1))
          fail(`quantile key \`${key}\` is not in [0, 1]`);
        add(quantile, extra[key], `quantiles.${key}`);
      }
    }
    samples.push(
      {
        value: scaled(unit, finite(v['sum'], 'sum')),
        labels: NO_LABELS,
        sharedLabels: labels,
        metricName: `${name}_sum`,
      },
      {
        value: count(v['count'], 'count'),
        labels: NO_LABELS,
        sharedLabels: labels,
        metricName: `${name}_count`,
      },
    );
    series.push({ labels, samples });
  }
  return draft(snapshot, { name, type: 'summary', unit }, helpOf(snapshot, 'quantiles'), series);
}

const OUTCOME_FIELD = /^(.+)_total$/;

function outcomeDraft(snapshot: MetricSnapshot, ctx: MapContext): FamilyDraft {
  const unit = unitMapping(snapshot.unit);
  const name = familyName(ctx.prefix, snapshot.name, 'counter', unit);
  const series: SeriesDraft[] = [];
  for (const entry of entriesOf(snapshot.dimensions)) {
    const labels = withLabels(ctx.base, entry.labels, OUTCOME_RESERVED);
    for (const key of Object.keys(entry.values)) {
      const outcome = OUTCOME_FIELD.exec(key)?.[1];
      if (outcome === undefined) continue;
      const value = count(entry.values[key], key);
      const l = { ...labels, outcome };
      series.push({
        labels: l,
        samples: [{ value: scaled(unit, value), labels: NO_LABELS, sharedLabels: l }],
      });
    }
  }
  return draft(snapshot, { name, type: 'counter', unit }, helpOf(snapshot, 'outcomeCounter'), series);
}

/**
 * The families of a built-in kind's snapshot (one family; throws {@link MalformedSnapshotError} when
 * its dimensions lack what the kind promises).
 */
export function mapBuiltin(snapshot: MetricSnapshot, kind: BuiltinKind, ctx: MapContext): FamilyDraft {
  switch (kind) {
    case 'counter':
      return simple(snapshot, kind, 'counter', 'total', ctx, count);
    case 'upDownCounter':
      return simple(snapshot, kind, 'gauge', 'value', ctx, finite);
    case 'gauge':
      return simple(snapshot, kind, 'gauge', 'last', ctx, nullableFinite);
    case 'rate':
      return simple(snapshot, kind, 'gauge', 'rate', ctx, finite);
    case 'histogram':
      return histogramDraft(snapshot, ctx);
    case 'quantiles':
      return summaryDraft(snapshot, ctx);
    case 'outcomeCounter':
      return outcomeDraft(snapshot, ctx);
  }
}

/**
 * The families of a custom metric: one per numeric top-level dimension, named `<metric>_<dimension>`
 * (counters when the snapshot's `kind` is `'counter'`, gauges otherwise); numeric fields of `series`
 * entries (objects with `labels`) become labelled series of the same families, and then replace the
 * top-level field of that name. Strings, booleans, null, arrays and nested objects are not exported;
 * the unit is not applied (nothing says which dimension it measures). A dimension that cannot be
 * exported (a negative or non-finite counter) is reported in `skipped` and left out.
 */
export function mapCustom(
  snapshot: MetricSnapshot,
  ctx: MapContext,
  skipped: SkippedDimension[],
): FamilyDraft[] {
  const d = snapshot.dimensions as unknown;
  if (!isObject(d)) fail('`dimensions` is not an object');
  const type: PromType = snapshot.kind === 'counter' ? 'counter' : 'gauge';
  const unit = unitMapping(undefined);
  const families = new Map<string, FamilyDraft>();
  const bad = new Set<string>();
  const add = (dimension: string, value: number, labels: Labels) => {
    if (bad.has(dimension)) return;
    if (type === 'counter' && !(Number.isFinite(value) && value >= 0)) {
      bad.add(dimension);
      families.delete(dimension);
      skipped.push({ dimension, message: `counter dimension \`${dimension}\` is ${String(value)}` });
      return;
    }
    let family = families.get(dimension);
    if (family === undefined) {
      const base = snapshot.description;
      const help =
        typeof base === 'string' && base.trim() !== ''
          ? `${base} (dimension ${dimension})`
          : `${snapshot.name} dimension ${dimension} (mvx-common custom metric)`;
      family = {
        name: familyName(ctx.prefix, snapshot.name, type, unit, [dimension]),
        type,
        help,
        aggregator: 'sum',
        origin: snapshot.name,
        series: [],
      };
      families.set(dimension, family);
    }
    family.series.push({ labels, samples: [{ value, labels: NO_LABELS, sharedLabels: labels }] });
  };
  const series = d['series'];
  const inSeries = new Set<string>();
  if (Array.isArray(series)) {
    for (const s of series as unknown[]) {
      if (!isObject(s) || !isObject(s['labels'])) continue;
      for (const key of Object.keys(s)) if (key !== 'labels' && typeof s[key] === 'number') inSeries.add(key);
    }
  }
  const top = withLabels(ctx.base, undefined, ALWAYS_RESERVED);
  for (const key of Object.keys(d)) {
    const value = d[key];
    if (key !== 'series' && typeof value === 'number' && !inSeries.has(key)) add(key, value, top);
  }
  if (inSeries.size > 0) {
    for (const s of series as unknown[]) {
      if (!isObject(s) || !isObject(s['labels'])) continue;
      const labels = withLabels(ctx.base, s['labels'], ALWAYS_RESERVED);
      for (const key of Object.keys(s)) {
        const value = s[key];
        if (key !== 'labels' && typeof value === 'number') add(key, value, labels);
      }
    }
  }
  return [...families.values()];
}

/** The snapshot's built-in kind, or undefined for a custom metric (never throws). */
export function kindOf(snapshot: MetricSnapshot): BuiltinKind | undefined {
  try {
    return builtinKindOf(snapshot);
  } catch {
    return undefined;
  }
}
