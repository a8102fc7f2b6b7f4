import { map, Subject, Subscription, type Observable } from 'rxjs';
import { perSecondRate, rollingWindow, type MetricSnapshot, type TimedValue } from '../../index.js';
import { TimeChart, type ChartData, type LineSpec } from './TimeChart.js';
import type { Theme } from './theme.js';

/** What panels read of the dashboard around them. */
export interface PanelContext {
  theme(): Theme;
}

/** How much every panel keeps: the longest time window plus a margin. */
export const BUFFER = Object.freeze({ maxAgeMs: 15 * 60_000 + 30_000, maxPoints: 20_000 });

/** The shortest span a chart shows. */
const MIN_SPAN_MS = 30_000;

/** Headline of a panel: the number people look at, with a unit and a secondary line. */
export interface Headline {
  /** The exact number (written to the `data-value` attribute); null when there is none yet. */
  readonly value: number | null;
  /** The number as shown (the element's text). */
  readonly text: string;
  readonly unit?: string;
  readonly secondary?: string;
  /** Optional chip next to the headline (an error ratio). */
  readonly chip?: { readonly text: string; readonly alert: boolean };
}

/**
 * One metric's card: title, kind, headline number and a chart. Subclasses turn the metric's
 * snapshots (pushed once per tick) into chart lines with the library's operators over `samples$`;
 * the dashboard calls `renderHeadline` for dirty panels and `renderChart` for dirty visible ones.
 */
export abstract class MetricPanel {
  readonly element: HTMLElement;
  /** New data since the headline was last written. */
  headlineDirty = true;
  /** New data (or a new time window) since the chart was last drawn. */
  chartDirty = true;
  /** True while the panel intersects the viewport. */
  visible = false;
  protected latest: MetricSnapshot;
  protected latestTime = 0;
  private firstTime = Infinity;
  private readonly samples = new Subject<TimedValue<MetricSnapshot>>();
  private readonly subscriptions = new Subscription();
  private readonly valueEl: HTMLElement;
  private readonly unitEl: HTMLElement;
  private readonly secondaryEl: HTMLElement;
  private readonly chipEl: HTMLElement;
  private readonly chart: TimeChart;

  constructor(
    readonly recorderId: string,
    snapshot: MetricSnapshot,
    readonly kindLabel: string,
    protected readonly ctx: PanelContext,
  ) {
    this.latest = snapshot;
    const el = document.createElement('article');
    el.className = 'panel';
    el.dataset['recorder'] = recorderId;
    el.dataset['metric'] = snapshot.name;
    el.dataset['kind'] = kindLabel;
    const head = element('header', 'panel-head');
    const title = element('h3', 'panel-title', snapshot.name);
    title.title = snapshot.name;
    head.append(title, element('span', 'badge', kindLabel));
    const headline = element('div', 'headline');
    this.valueEl = element('span', 'value', '–');
    this.valueEl.dataset['value'] = '';
    this.unitEl = element('span', 'unit');
    this.chipEl = element('span', 'chip');
    this.chipEl.hidden = true;
    headline.append(this.valueEl, this.unitEl, this.chipEl);
    this.secondaryEl = element('div', 'secondary', '\u00a0');
    const chartHost = element('div', 'chart');
    el.append(head, headline, this.secondaryEl, chartHost);
    if (snapshot.description) el.append(element('p', 'description', snapshot.description));
    this.element = el;
    this.chart = new TimeChart(chartHost, this.chartUnit());
  }

  /** The snapshots pushed into the panel, one per tick, for the subclass pipelines. */
  protected get samples$(): Observable<TimedValue<MetricSnapshot>> {
    return this.samples.asObservable();
  }

  /** Keeps `source$`'s latest value in `assign` for as long as the panel lives. */
  protected track<T>(source$: Observable<T>, assign: (value: T) => void): void {
    this.subscriptions.add(source$.subscribe(assign));
  }

  /** Keeps the per-second rate of the cumulative dimension `field` (over the buffer) in `assign`. */
  protected trackRate(field: string, assign: (rates: readonly TimedValue[]) => void): void {
    this.track(
      this.samples$.pipe(
        map(({ time, value }) => ({
          time,
          value: num((value.dimensions as Record<string, unknown>)[field]) ?? NaN,
        })),
        perSecondRate(),
        rollingWindow(BUFFER),
      ),
      assign,
    );
  }

  /** One tick's snapshot of this metric. */
  push(time: number, snapshot: MetricSnapshot): void {
    if (time <= this.latestTime) return;
    this.latest = snapshot;
    this.latestTime = time;
    if (this.firstTime === Infinity) this.firstTime = time;
    this.samples.next({ time, value: snapshot });
    this.headlineDirty = true;
    this.chartDirty = true;
  }

  renderHeadline(): void {
    this.headlineDirty = false;
    const h = this.headline();
    this.valueEl.textContent = h.text;
    this.valueEl.dataset['value'] = h.value === null ? '' : String(h.value);
    this.unitEl.textContent = h.unit ?? '';
    this.secondaryEl.textContent = h.secondary ?? '\u00a0';
    if (h.chip === undefined) this.chipEl.hidden = true;
    else {
      this.chipEl.hidden = false;
      this.chipEl.textContent = h.chip.text;
      this.chipEl.classList.toggle('alert', h.chip.alert);
    }
  }

  /**
   * Draws the last `windowMs` before `endMs`; while the panel holds less than that, the chart spans
   * what it has (at least 30 s), so a young dashboard is not a sliver at the right edge.
   */
  renderChart(windowMs: number, endMs: number): void {
    this.chartDirty = false;
    const from = Math.max(endMs - windowMs, Math.min(this.firstTime, endMs - MIN_SPAN_MS));
    const { lines, data } = this.chartContent(from);
    this.chart.render(lines, data, from, endMs, this.ctx.theme());
  }

  /** The theme changed: charts are rebuilt at their next render. */
  resetChart(): void {
    this.chart.reset();
    this.chartDirty = true;
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
    this.samples.complete();
    this.chart.destroy();
    this.element.remove();
  }

  /** The unit of the chart's value axis. */
  protected chartUnit(): string | undefined {
    return this.latest.unit;
  }

  protected abstract headline(): Headline;

  /** The lines and their points from `fromMs` on. */
  protected abstract chartContent(fromMs: number): { lines: LineSpec[]; data: ChartData };

  protected color(i: number): string {
    const s = this.ctx.theme().series;
    return s[i % s.length] ?? '#3b82f6';
  }
}

/** An element with a class and text. */
export function element(tag: string, className?: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Index of the first point at or after `fromMs` (points sorted by time). */
export function firstIndexFrom(points: readonly { readonly time: number }[], fromMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.time < fromMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The points from `fromMs` on. */
export function since<T extends { readonly time: number }>(
  points: readonly T[],
  fromMs: number,
): readonly T[] {
  const i = firstIndexFrom(points, fromMs);
  return i === 0 ? points : points.slice(i);
}

/** A finite number or null. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
