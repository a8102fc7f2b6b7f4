import type { RecorderReading, RecorderStats } from '../../index.js';
import { formatCount, formatDuration, formatNumber } from './format.js';
import { createPanel, panelKindOf } from './kindPanels.js';
import { element, type MetricPanel, type PanelContext } from './MetricPanel.js';

/** The health strip's cells: label, the stat, and whether a non-zero value is an alert. */
const CELLS: readonly {
  readonly stat: keyof RecorderStats;
  readonly label: string;
  readonly alert: boolean;
}[] = [
  { stat: 'processed', label: 'processed', alert: false },
  { stat: 'pending', label: 'pending', alert: false },
  { stat: 'dropped', label: 'dropped', alert: true },
  { stat: 'rejected', label: 'rejected', alert: true },
  { stat: 'metricErrors', label: 'metric errors', alert: true },
];

/**
 * One recorder: a header (id, namespace, state), the health strip (offered rate, processed,
 * pending, dropped, rejected, metric errors, uptime; losses highlighted, flashing when they grow)
 * and a grid of metric panels.
 */
export class RecorderSection {
  readonly element: HTMLElement;
  readonly panels = new Map<string, { readonly kind: string; readonly panel: MetricPanel }>();
  private readonly grid: HTMLElement;
  private readonly stateEl: HTMLElement;
  private readonly metaEl: HTMLElement;
  private readonly cells = new Map<string, HTMLElement>();
  private readonly rateEl: HTMLElement;
  private readonly uptimeEl: HTMLElement;
  private previous: { readonly time: number; readonly stats: RecorderStats } | undefined;
  private reading: RecorderReading | undefined;
  private time = 0;
  private offeredRate: number | null = null;
  private grew = new Set<string>();
  dirty = true;

  constructor(
    readonly recorderId: string,
    private readonly ctx: PanelContext,
    private readonly observe: (panel: MetricPanel) => void,
    private readonly unobserve: (panel: MetricPanel) => void,
    subtitle?: string,
    labels?: string,
  ) {
    const el = element('section', 'recorder');
    el.dataset['recorder'] = recorderId;
    const head = element('header', 'recorder-head');
    const title = element('h2', 'recorder-title', labels ? `${recorderId} {${labels}}` : recorderId);
    if (labels) el.dataset['labels'] = labels;
    this.metaEl = element('span', 'recorder-meta', subtitle ?? '');
    this.stateEl = element('span', 'state-pill', '…');
    head.append(title, this.stateEl, this.metaEl);
    const health = element('div', 'health');
    health.dataset['recorder'] = recorderId;
    health.setAttribute('aria-label', `${recorderId} health`);
    const rateCell = this.cell('offered', 'offered /s');
    this.rateEl = rateCell.querySelector('.stat-value') as HTMLElement;
    health.append(rateCell);
    for (const c of CELLS) {
      const cell = this.cell(c.stat, c.label);
      this.cells.set(c.stat, cell);
      health.append(cell);
    }
    const uptime = this.cell('uptime', 'up');
    this.uptimeEl = uptime.querySelector('.stat-value') as HTMLElement;
    health.append(uptime);
    this.grid = element('div', 'grid');
    el.append(head, health, this.grid);
    this.element = el;
  }

  /** Applies one tick's reading of this recorder. */
  apply(time: number, reading: RecorderReading): void {
    this.reading = reading;
    this.time = time;
    const stats = reading.stats;
    this.grew.clear();
    if (stats !== undefined) {
      const prev = this.previous;
      if (prev !== undefined && time > prev.time) {
        const delta = stats.offered - prev.stats.offered;
        this.offeredRate = delta >= 0 ? (delta * 1000) / (time - prev.time) : null;
        for (const c of CELLS) if (c.alert && stats[c.stat] > prev.stats[c.stat]) this.grew.add(c.stat);
      }
      this.previous = { time, stats };
    }
    const seen = new Set<string>();
    for (const name of Object.keys(reading.snapshots)) {
      const snapshot = reading.snapshots[name]!;
      seen.add(name);
      const kind = panelKindOf(snapshot);
      let entry = this.panels.get(name);
      if (entry !== undefined && entry.kind !== kind) {
        this.unobserve(entry.panel);
        entry.panel.dispose();
        this.panels.delete(name);
        entry = undefined;
      }
      if (entry === undefined) {
        entry = { kind, panel: createPanel(this.recorderId, snapshot, this.ctx) };
        this.panels.set(name, entry);
        this.grid.append(entry.panel.element);
        this.observe(entry.panel);
      }
      entry.panel.push(time, snapshot);
    }
    for (const [name, entry] of this.panels) {
      if (!seen.has(name)) {
        this.unobserve(entry.panel);
        entry.panel.dispose();
        this.panels.delete(name);
      }
    }
    this.dirty = true;
  }

  /** Writes the header and the health strip. */
  render(): void {
    const r = this.reading;
    if (r === undefined) return;
    const state = r.state ?? 'unknown';
    this.stateEl.textContent = state;
    this.stateEl.dataset['state'] = state;
    if (this.metaEl.textContent === '') {
      this.metaEl.textContent = r.entityId === r.recorderId ? r.namespace : `${r.namespace} · ${r.entityId}`;
    }
    this.rateEl.textContent = formatNumber(this.offeredRate);
    const stats = r.stats;
    for (const c of CELLS) {
      const cell = this.cells.get(c.stat)!;
      const value = stats?.[c.stat];
      const valueEl = cell.querySelector('.stat-value') as HTMLElement;
      valueEl.textContent = value === undefined ? '–' : formatCount(value);
      valueEl.dataset['value'] = value === undefined ? '' : String(value);
      cell.classList.toggle('alert', c.alert && value !== undefined && value > 0);
      cell.classList.toggle('growing', this.grew.has(c.stat));
    }
    this.uptimeEl.textContent = r.startTime === undefined ? '–' : formatDuration(this.time - r.startTime);
    this.dirty = false;
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) {
      this.unobserve(panel);
      panel.dispose();
    }
    this.panels.clear();
    this.element.remove();
  }

  private cell(stat: string, label: string): HTMLElement {
    const cell = element('div', 'stat');
    cell.dataset['stat'] = stat;
    cell.append(element('span', 'stat-label', label), element('span', 'stat-value', '–'));
    return cell;
  }
}
