import { map } from 'rxjs';
import {
  builtinKindOf,
  histogramQuantiles,
  rollingWindow,
  seriesRates,
  sketchQuantiles,
  type BucketCounts,
  type Dimensions,
  type LabelledSeries,
  type MetricSnapshot,
  type QuantileEstimate,
  type SeriesRate,
  type SketchSample,
  type TimedValue,
} from '../../index.js';
import { formatCount, formatNumber, formatPercent, formatWithUnit } from './format.js';
import { BUFFER, MetricPanel, num, since, type Headline, type PanelContext } from './MetricPanel.js';
import type { ChartData, LineSpec } from './TimeChart.js';
import { colorIndex } from './theme.js';

/** Labelled series plotted at most. */
const TOP_N = 4;
/** Quantiles over a trailing window of this length (smoother than tick to tick). */
const QUANTILE_WINDOW_MS = 5_000;
const QUANTILES = [0.5, 0.9, 0.99];
/** Outcomes that count as errors in the error ratio. */
const ERROR_OUTCOMES = /^(failure|error|errors|failed|fail|timeout)_total$/;

type Labels = { readonly [name: string]: string };

/** A series' label set, short: `status=200` for one label, `GET /docs 200` (the values) for several. */
function labelText(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  const names = Object.keys(labels);
  if (names.length === 0) return '(no labels)';
  if (names.length === 1) return `${names[0]}=${labels[names[0]!]}`;
  return names.map((k) => labels[k] || '∅').join(' ');
}

function dims(snapshot: MetricSnapshot): { readonly [k: string]: unknown } {
  return snapshot.dimensions as { readonly [k: string]: unknown };
}

function seriesOf(d: { readonly [k: string]: unknown }): readonly { labels: Labels; [k: string]: unknown }[] {
  const s = d['series'];
  return Array.isArray(s) ? (s as { labels: Labels }[]) : [];
}

/** Aligns per-key values of timed points into chart lines (null where a key has no value). */
function alignKeyed<P extends { readonly time: number }>(
  points: readonly P[],
  keys: readonly string[],
  valueOf: (point: P, key: string) => number | null,
): ChartData {
  return {
    times: points.map((p) => p.time),
    lines: keys.map((k) => points.map((p) => valueOf(p, k))),
  };
}

/** Counter: the rate per second over time (total, plus the busiest labelled series), total as headline. */
class CounterPanel extends MetricPanel {
  private rates: readonly TimedValue[] = [];
  private series: readonly TimedValue<readonly SeriesRate[]>[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, 'counter', ctx);
    this.trackRate('total', (p) => (this.rates = p));
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: value.dimensions as unknown as LabelledSeries })),
        seriesRates('total'),
        rollingWindow(BUFFER),
      ),
      (p) => (this.series = p),
    );
  }

  protected override chartUnit(): string | undefined {
    return '/s';
  }

  protected headline(): Headline {
    const total = num(dims(this.latest)['total']);
    const rate = this.rates[this.rates.length - 1]?.value;
    const unit = this.latest.unit;
    return {
      value: total,
      text: total === null ? '–' : formatCount(total),
      unit: unit && unit !== '1' ? unit : 'total',
      secondary: rate === undefined ? 'rate: waiting for a second tick' : `${formatNumber(rate)} /s`,
    };
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    const rates = since(this.rates, fromMs);
    const series = since(this.series, fromMs);
    const labelled = seriesOf(dims(this.latest)).length > 0;
    const lines: LineSpec[] = [
      { key: 'all', label: labelled ? 'all' : 'rate', color: this.color(0), fill: !labelled },
    ];
    if (!labelled)
      return { lines, data: { times: rates.map((p) => p.time), lines: [rates.map((p) => p.value)] } };
    const top = topKeys(series, (s) => s.rate);
    const byTime = new Map<number, number>(rates.map((p) => [p.time, p.value]));
    for (const [key, labels] of top) {
      lines.push({ key, label: labelText(labels), color: this.color(1 + colorIndex(key, 7)) });
    }
    lines[0] = { ...lines[0]!, dashed: true };
    const keys = top.map(([k]) => k);
    const data = alignKeyed(series, ['all', ...keys], (p, key) => {
      if (key === 'all') return byTime.get(p.time) ?? null;
      return p.value.find((s) => s.key === key)?.rate ?? null;
    });
    return { lines, data };
  }
}

/** The keys of the busiest series over the window (by mean of `score`), with their labels. */
function topKeys(
  points: readonly TimedValue<readonly SeriesRate[]>[],
  score: (s: SeriesRate) => number,
): [string, Labels][] {
  const sums = new Map<string, { sum: number; labels: Labels }>();
  for (const p of points) {
    for (const s of p.value) {
      const entry = sums.get(s.key) ?? { sum: 0, labels: s.labels as Labels };
      entry.sum += Math.abs(score(s));
      sums.set(s.key, entry);
    }
  }
  return [...sums.entries()]
    .sort((a, b) => b[1].sum - a[1].sum)
    .slice(0, TOP_N)
    .map(([k, v]) => [k, v.labels]);
}

/** Gauges and up-down counters: the value over time (and the top labelled series), min/max for gauges. */
class ValuePanel extends MetricPanel {
  private points: readonly TimedValue<Dimensions>[] = [];

  constructor(
    recorderId: string,
    snapshot: MetricSnapshot,
    ctx: PanelContext,
    private readonly field: 'last' | 'value',
  ) {
    super(recorderId, snapshot, field === 'last' ? 'gauge' : 'up-down counter', ctx);
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: value.dimensions })),
        rollingWindow(BUFFER),
      ),
      (p) => (this.points = p),
    );
  }

  protected headline(): Headline {
    const d = dims(this.latest);
    const value = num(d[this.field]);
    const unit = this.latest.unit;
    const secondary =
      this.field === 'last'
        ? `min ${formatWithUnit(num(d['min']), unit)} · max ${formatWithUnit(num(d['max']), unit)} · ${formatCount(num(d['count']) ?? 0)} updates`
        : `${seriesOf(d).length || 'no'} labelled series`;
    return { value, text: value === null ? '–' : formatNumber(value), unit: unitText(unit), secondary };
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    const points = since(this.points, fromMs);
    const field = this.field;
    const latestSeries = seriesOf(dims(this.latest));
    const lines: LineSpec[] = [
      { key: 'all', label: field, color: this.color(0), fill: latestSeries.length === 0 },
    ];
    if (latestSeries.length === 0) {
      return {
        lines,
        data: { times: points.map((p) => p.time), lines: [points.map((p) => num(p.value[field]))] },
      };
    }
    const ranked = latestSeries
      .map((s) => ({ key: labelText(s.labels), v: Math.abs(num(s[field]) ?? 0) }))
      .sort((a, b) => b.v - a.v)
      .slice(0, TOP_N);
    for (const r of ranked)
      lines.push({ key: r.key, label: r.key, color: this.color(1 + colorIndex(r.key, 7)) });
    lines[0] = { ...lines[0]!, dashed: true, label: field === 'last' ? 'last (any series)' : 'sum' };
    const data = alignKeyed(points, ['all', ...ranked.map((r) => r.key)], (p, key) => {
      if (key === 'all') return num(p.value[field]);
      const s = seriesOf(p.value).find((x) => labelText(x.labels) === key);
      return s === undefined ? null : num(s[field]);
    });
    return { lines, data };
  }
}

/** Histograms: p50/p90/p99 over time from the bucket counts (interpolated like Prometheus). */
class HistogramPanel extends MetricPanel {
  private quantiles: readonly TimedValue<QuantileEstimate>[] = [];
  private rates: readonly TimedValue[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, 'histogram', ctx);
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: value.dimensions as unknown as BucketCounts })),
        histogramQuantiles(QUANTILES, { windowMs: QUANTILE_WINDOW_MS }),
        rollingWindow(BUFFER),
      ),
      (p) => (this.quantiles = p),
    );
    this.trackRate('count', (p) => (this.rates = p));
  }

  protected headline(): Headline {
    return quantileHeadline(this.quantiles, this.rates, this.latest);
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    return quantileChart(since(this.quantiles, fromMs), (i) => this.color(i));
  }
}

/** Quantile sketches: p50/p90/p99 over time (of the snapshot's `window` when it has one, else of sketch deltas). */
class SummaryPanel extends MetricPanel {
  private fromSketch: readonly TimedValue<QuantileEstimate>[] = [];
  private fromWindow: readonly TimedValue<QuantileEstimate>[] = [];
  private rates: readonly TimedValue[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, 'quantiles', ctx);
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: value.dimensions as unknown as SketchSample })),
        sketchQuantiles(QUANTILES, { windowMs: QUANTILE_WINDOW_MS }),
        rollingWindow(BUFFER),
      ),
      (p) => (this.fromSketch = p),
    );
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: windowEstimate(dims(value)['window']) })),
        rollingWindow(BUFFER),
      ),
      (p) => (this.fromWindow = p),
    );
    this.trackRate('count', (p) => (this.rates = p));
  }

  private source(): readonly TimedValue<QuantileEstimate>[] {
    const w = dims(this.latest)['window'];
    return w !== null && typeof w === 'object' ? this.fromWindow : this.fromSketch;
  }

  protected headline(): Headline {
    return quantileHeadline(this.source(), this.rates, this.latest);
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    return quantileChart(since(this.source(), fromMs), (i) => this.color(i));
  }
}

function windowEstimate(window: unknown): QuantileEstimate {
  const w = (window ?? {}) as { readonly [k: string]: unknown };
  return { count: num(w['count']) ?? 0, values: [num(w['p50']), num(w['p90']), num(w['p99'])] };
}

function quantileHeadline(
  quantiles: readonly TimedValue<QuantileEstimate>[],
  rates: readonly TimedValue[],
  latest: MetricSnapshot,
): Headline {
  let p: QuantileEstimate | undefined;
  for (let i = quantiles.length - 1; i >= 0 && p === undefined; i--) {
    const q = quantiles[i]!.value;
    if (q.values[2] !== null && q.values[2] !== undefined) p = q;
  }
  const unit = latest.unit;
  const d = dims(latest);
  const rate = rates[rates.length - 1]?.value;
  const p99 = p?.values[2] ?? null;
  const count = num(d['count']);
  const sum = num(d['sum']);
  const mean = count !== null && count > 0 && sum !== null ? sum / count : null;
  return {
    value: p99,
    text: p99 === null ? '–' : formatNumber(p99),
    unit: `${unitText(unit) ?? ''} p99`.trim(),
    secondary:
      `p50 ${formatWithUnit(p?.values[0] ?? null, unit)} · p90 ${formatWithUnit(p?.values[1] ?? null, unit)}` +
      ` · mean ${formatWithUnit(mean, unit)} · ${rate === undefined ? '–' : formatNumber(rate)} obs/s`,
  };
}

function quantileChart(
  points: readonly TimedValue<QuantileEstimate>[],
  color: (i: number) => string,
): { lines: LineSpec[]; data: ChartData } {
  const lines: LineSpec[] = [
    { key: 'p50', label: 'p50', color: color(0) },
    { key: 'p90', label: 'p90', color: color(2) },
    { key: 'p99', label: 'p99', color: color(3) },
  ];
  return {
    lines,
    data: {
      times: points.map((p) => p.time),
      lines: [0, 1, 2].map((i) => points.map((p) => p.value.values[i] ?? null)),
    },
  };
}

/** Sliding-window rates: events per second in the window, as of each tick. */
class RatePanel extends MetricPanel {
  private points: readonly TimedValue[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, 'rate', ctx);
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: rateAt(dims(value), time) })),
        rollingWindow(BUFFER),
      ),
      (p) => (this.points = p),
    );
  }

  protected override chartUnit(): string | undefined {
    return '/s';
  }

  protected headline(): Headline {
    const v = this.points[this.points.length - 1]?.value ?? null;
    const d = dims(this.latest);
    return {
      value: v,
      text: formatNumber(v),
      unit: '/s',
      secondary: `over ${formatNumber((num(d['window_ms']) ?? 0) / 1000)} s · ${formatCount(num(d['total']) ?? 0)} total`,
    };
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    const points = since(this.points, fromMs);
    return {
      lines: [{ key: 'rate', label: 'rate', color: this.color(0), fill: true }],
      data: { times: points.map((p) => p.time), lines: [points.map((p) => p.value)] },
    };
  }
}

/**
 * The rate at `time` from the window's buckets: a rate metric only updates when events arrive, so
 * buckets that left the window since then no longer count (no events at all: 0).
 */
function rateAt(d: { readonly [k: string]: unknown }, time: number): number {
  const windowMs = num(d['window_ms']);
  const buckets = d['buckets'];
  if (windowMs === null || windowMs <= 0 || !Array.isArray(buckets)) return num(d['rate']) ?? 0;
  const resolution = num(d['resolution_ms']) ?? 0;
  const updatedAt = num(d['updated_at']) ?? time;
  const end = Math.max(time, updatedAt);
  let sum = 0;
  for (const b of buckets as unknown[]) {
    if (!Array.isArray(b)) continue;
    const start = num(b[0]);
    const value = num(b[1]);
    if (start !== null && value !== null && start + resolution > end - windowMs) sum += value;
  }
  return (sum * 1000) / windowMs;
}

/** Outcome counters: rate per outcome, the error ratio, total as headline. */
class OutcomePanel extends MetricPanel {
  private readonly outcomes: readonly string[];
  private rates = new Map<string, readonly TimedValue[]>();
  private totals: readonly TimedValue<{ readonly total: number; readonly errors: number }>[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, 'outcomes', ctx);
    this.outcomes = Object.keys(snapshot.dimensions).filter((k) => k.endsWith('_total') && k !== 'total');
    for (const key of this.outcomes) {
      this.trackRate(key, (p) => this.rates.set(key, p));
    }
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: errorsOf(dims(value)) })),
        rollingWindow(BUFFER),
      ),
      (p) => (this.totals = p),
    );
  }

  protected override chartUnit(): string | undefined {
    return '/s';
  }

  /** Errors / total over the trailing `QUANTILE_WINDOW_MS` ending at point `i`. */
  private ratioAt(i: number): number | null {
    const end = this.totals[i];
    if (end === undefined) return null;
    let j = i;
    while (j > 0 && this.totals[j - 1]!.time >= end.time - QUANTILE_WINDOW_MS) j--;
    const start = this.totals[j === i ? i - 1 : j];
    if (start === undefined || start === end) return null;
    const total = end.value.total - start.value.total;
    const errors = end.value.errors - start.value.errors;
    if (total <= 0 || errors < 0) return total === 0 ? 0 : null;
    return errors / total;
  }

  protected headline(): Headline {
    const d = dims(this.latest);
    const total = num(d['total']);
    const ratio = this.ratioAt(this.totals.length - 1);
    const perOutcome = this.outcomes
      .filter((k) => k !== 'other_total' || (num(d[k]) ?? 0) > 0)
      .map((k) => `${k.slice(0, -'_total'.length)} ${formatCount(num(d[k]) ?? 0)}`)
      .join(' · ');
    return {
      value: total,
      text: total === null ? '–' : formatCount(total),
      unit: 'total',
      secondary: perOutcome,
      chip: { text: `${formatPercent(ratio)} errors`, alert: ratio !== null && ratio > 0.01 },
    };
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    const theme = this.ctx.theme();
    const shown = this.outcomes.filter((k) => k !== 'other_total' || (num(dims(this.latest)[k]) ?? 0) > 0);
    const lines: LineSpec[] = shown.map((key, i) => {
      const name = key.slice(0, -'_total'.length);
      const color = /^(success|ok|hit|succeeded)$/.test(name)
        ? theme.good
        : ERROR_OUTCOMES.test(key)
          ? theme.bad
          : name === 'other' || name === 'miss'
            ? theme.neutral
            : this.color(i);
      return { key, label: `${name} /s`, color };
    });
    lines.push({ key: 'ratio', label: 'error ratio', color: theme.bad, axis: 'ratio', dashed: true });
    const first = this.rates.get(shown[0] ?? '') ?? [];
    const points = since(first, fromMs);
    const lookups = shown.map((k) => new Map((this.rates.get(k) ?? []).map((p) => [p.time, p.value])));
    const ratioByTime = new Map<number, number | null>();
    for (let i = 0; i < this.totals.length; i++) {
      const t = this.totals[i]!.time;
      if (t >= fromMs) ratioByTime.set(t, this.ratioAt(i));
    }
    return {
      lines,
      data: {
        times: points.map((p) => p.time),
        lines: [
          ...lookups.map((m) => points.map((p) => m.get(p.time) ?? null)),
          points.map((p) => ratioByTime.get(p.time) ?? null),
        ],
      },
    };
  }
}

/**
 * The error count of an outcome counter: its error-like outcomes (`failure`, `error`, ...) when it
 * has any, else everything that is not `success` (a `miss` is not an error).
 */
function errorsOf(d: { readonly [k: string]: unknown }): { total: number; errors: number } {
  const total = num(d['total']) ?? 0;
  const errorKeys = Object.keys(d).filter((k) => ERROR_OUTCOMES.test(k));
  if (errorKeys.length > 0) return { total, errors: errorKeys.reduce((a, k) => a + (num(d[k]) ?? 0), 0) };
  const success = num(d['success_total']);
  return { total, errors: success === null ? 0 : total - success };
}

/** Custom metrics: their top-level numeric fields over time, the first as headline. */
class CustomPanel extends MetricPanel {
  private points: readonly TimedValue<Dimensions>[] = [];

  constructor(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext) {
    super(recorderId, snapshot, snapshot.kind === 'custom' ? 'custom' : `custom ${snapshot.kind}`, ctx);
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({ time, value: value.dimensions })),
        rollingWindow(BUFFER),
      ),
      (p) => (this.points = p),
    );
  }

  private fields(): string[] {
    const d = dims(this.latest);
    return Object.keys(d)
      .filter((k) => num(d[k]) !== null)
      .slice(0, 4);
  }

  protected headline(): Headline {
    const d = dims(this.latest);
    const fields = this.fields();
    const first = fields[0];
    const value = first === undefined ? null : num(d[first]);
    const rest = Object.keys(d)
      .filter((k) => k !== first)
      .slice(0, 4)
      .map((k) => `${k} ${shortValue(d[k])}`)
      .join(' · ');
    return {
      value,
      text: value === null ? '–' : formatNumber(value),
      unit: [first, unitText(this.latest.unit)].filter(Boolean).join(' · '),
      secondary: rest,
    };
  }

  protected chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData } {
    const points = since(this.points, fromMs);
    const fields = this.fields();
    return {
      lines: fields.map((f, i) => ({ key: f, label: f, color: this.color(i) })),
      data: {
        times: points.map((p) => p.time),
        lines: fields.map((f) => points.map((p) => num(p.value[f]))),
      },
    };
  }
}

function shortValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v.length > 16 ? `${v.slice(0, 16)}…` : v;
  if (v === null || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? `[${v.length}]` : '{…}';
}

function unitText(unit: string | undefined): string | undefined {
  return unit === undefined || unit === '1' ? undefined : unit;
}

/** The panel for a snapshot, by the built-in kind that produced it (custom otherwise). */
export function createPanel(recorderId: string, snapshot: MetricSnapshot, ctx: PanelContext): MetricPanel {
  switch (builtinKindOf(snapshot)) {
    case 'counter':
      return new CounterPanel(recorderId, snapshot, ctx);
    case 'upDownCounter':
      return new ValuePanel(recorderId, snapshot, ctx, 'value');
    case 'gauge':
      return new ValuePanel(recorderId, snapshot, ctx, 'last');
    case 'histogram':
      return new HistogramPanel(recorderId, snapshot, ctx);
    case 'quantiles':
      return new SummaryPanel(recorderId, snapshot, ctx);
    case 'rate':
      return new RatePanel(recorderId, snapshot, ctx);
    case 'outcomeCounter':
      return new OutcomePanel(recorderId, snapshot, ctx);
    default:
      return new CustomPanel(recorderId, snapshot, ctx);
  }
}

/** The kind a panel was made for (a metric whose kind changes gets a new panel). */
export function panelKindOf(snapshot: MetricSnapshot): string {
  return builtinKindOf(snapshot) ?? `custom:${snapshot.kind}`;
}
