import {
  readSnapshotSource,
  type ConnectionStatus,
  type MetricsRecorder,
  type RecorderReading,
  type SnapshotUpdate,
} from '../../index.js';
import { formatNumber } from './format.js';
import type { MetricPanel, PanelContext } from './MetricPanel.js';
import type { PageEvent } from './pageRecorder.js';
import { RecorderSection } from './RecorderSection.js';
import { readTheme, type Theme } from './theme.js';

/** The elements the dashboard drives (from index.html). */
export interface DashboardElements {
  readonly recorders: HTMLElement;
  readonly pageMetrics: HTMLElement;
  readonly connection: HTMLElement;
  readonly summary: HTMLElement;
  readonly pause: HTMLButtonElement;
  readonly windows: readonly HTMLButtonElement[];
  readonly empty: HTMLElement;
}

/**
 * The page: one section per recorder of the server (created and removed as the stream's
 * definitions change), plus the page's own recorder. Data arrives per tick; rendering happens on
 * animation frames, only for panels in the viewport, never while the tab is hidden or paused.
 */
export class Dashboard {
  private readonly sections = new Map<string, RecorderSection>();
  private readonly pageSection: RecorderSection;
  private readonly panelsByElement = new Map<Element, MetricPanel>();
  private readonly observer: IntersectionObserver;
  private readonly ctx: PanelContext;
  private theme: Theme;
  private windowMs = 5 * 60_000;
  private paused = false;
  private frameRequested = false;
  private serverTime = 0;
  private pageTime = 0;
  private intervalMs = 1000;

  constructor(
    private readonly els: DashboardElements,
    private readonly pageRecorder: MetricsRecorder<PageEvent>,
  ) {
    this.theme = readTheme();
    this.ctx = { theme: () => this.theme };
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const panel = this.panelsByElement.get(entry.target);
          if (panel === undefined) continue;
          panel.visible = entry.isIntersecting;
          if (panel.visible && panel.chartDirty) this.requestRender();
        }
      },
      { rootMargin: '200px 0px' },
    );
    this.pageSection = new RecorderSection(
      pageRecorder.entityId,
      this.ctx,
      (p) => this.observe(p),
      (p) => this.unobserve(p),
      'this browser',
    );
    els.pageMetrics.append(this.pageSection.element);
    this.wireControls();
  }

  /** One tick from the server. */
  applyServer(update: SnapshotUpdate): void {
    if (!update.replayed && this.serverTime > 0 && update.time > this.serverTime) {
      this.intervalMs = update.time - this.serverTime;
    }
    this.serverTime = Math.max(this.serverTime, update.time);
    this.pageRecorder.emit({
      type: 'page.update',
      lagMs: Math.max(0, Date.now() - update.time),
      replayed: update.replayed,
    });
    const seen = new Set<string>();
    for (const reading of update.recorders) {
      const key = sectionKey(reading);
      seen.add(key);
      this.section(key, reading).apply(update.time, reading);
    }
    if (!update.replayed) {
      for (const [id, section] of this.sections) {
        if (!seen.has(id)) {
          section.dispose();
          this.sections.delete(id);
        }
      }
    }
    this.els.empty.hidden = this.sections.size > 0;
    if (this.sections.size === 0) this.els.empty.textContent = 'The source has no recorders yet.';
    this.requestRender();
  }

  /** Reads the page's own recorder (once per second). */
  applyPage(): void {
    const time = Date.now();
    this.pageTime = time;
    const [reading] = readSnapshotSource(this.pageRecorder) as readonly RecorderReading[];
    if (reading !== undefined) this.pageSection.apply(time, reading);
    this.requestRender();
  }

  setConnection(status: ConnectionStatus): void {
    const el = this.els.connection;
    el.dataset['connection'] = status.state;
    el.title = status.lastError ?? '';
    el.textContent = connectionText(status);
    this.pageRecorder.emit({ type: 'page.connection', state: status.state });
  }

  /** Renders on the next animation frame (once, however many ticks arrive before it). */
  requestRender(): void {
    if (this.frameRequested || this.paused || document.hidden) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  private render(): void {
    if (this.paused || document.hidden) return;
    const started = performance.now();
    let charts = 0;
    for (const section of this.sections.values()) charts += this.renderSection(section, this.serverTime);
    charts += this.renderSection(this.pageSection, this.pageTime);
    this.renderSummary();
    const ms = performance.now() - started;
    if (charts > 0) this.pageRecorder.emit({ type: 'page.frame', ms, charts });
  }

  private renderSection(section: RecorderSection, endMs: number): number {
    if (section.dirty) section.render();
    let charts = 0;
    for (const { panel } of section.panels.values()) {
      if (panel.headlineDirty) panel.renderHeadline();
      if (panel.visible && panel.chartDirty) {
        panel.renderChart(this.windowMs, endMs);
        charts++;
      }
    }
    return charts;
  }

  private renderSummary(): void {
    let metrics = 0;
    for (const s of this.sections.values()) metrics += s.panels.size;
    const recorders = this.sections.size;
    this.els.summary.textContent =
      `${recorders} recorder${recorders === 1 ? '' : 's'} · ${metrics} metric${metrics === 1 ? '' : 's'}` +
      ` · every ${formatNumber(this.intervalMs / 1000)} s`;
  }

  private section(key: string, reading: RecorderReading): RecorderSection {
    let section = this.sections.get(key);
    if (section === undefined) {
      section = new RecorderSection(
        reading.recorderId,
        this.ctx,
        (p) => this.observe(p),
        (p) => this.unobserve(p),
        undefined,
        labelsText(reading.labels),
      );
      this.sections.set(key, section);
      this.els.recorders.append(section.element);
    }
    return section;
  }

  private observe(panel: MetricPanel): void {
    this.panelsByElement.set(panel.element, panel);
    this.observer.observe(panel.element);
  }

  private unobserve(panel: MetricPanel): void {
    this.panelsByElement.delete(panel.element);
    this.observer.unobserve(panel.element);
  }

  private allPanels(): MetricPanel[] {
    const out: MetricPanel[] = [];
    for (const s of [...this.sections.values(), this.pageSection])
      for (const { panel } of s.panels.values()) out.push(panel);
    return out;
  }

  private wireControls(): void {
    const { pause, windows } = this.els;
    const setPaused = (paused: boolean): void => {
      this.paused = paused;
      pause.setAttribute('aria-pressed', String(paused));
      pause.textContent = paused ? 'Resume' : 'Pause';
      document.body.classList.toggle('paused', paused);
      if (!paused) this.requestRender();
    };
    pause.addEventListener('click', () => setPaused(!this.paused));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'p' && !e.ctrlKey && !e.metaKey && !e.altKey) setPaused(!this.paused);
    });
    for (const button of windows) {
      button.addEventListener('click', () => {
        this.windowMs = Number(button.dataset['window']);
        for (const b of windows) b.setAttribute('aria-pressed', String(b === button));
        for (const p of this.allPanels()) p.chartDirty = true;
        this.requestRender();
      });
    }
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.requestRender();
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.theme = readTheme();
      for (const p of this.allPanels()) p.resetChart();
      this.requestRender();
    });
  }
}

/** A section per recorder id, and per label set when readings share an id (a cluster view). */
function sectionKey(reading: RecorderReading): string {
  return JSON.stringify([reading.recorderId, labelsText(reading.labels)]);
}

function labelsText(labels: RecorderReading['labels']): string {
  if (labels === undefined) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(', ');
}

function connectionText(status: ConnectionStatus): string {
  switch (status.state) {
    case 'live':
      return 'live';
    case 'connecting':
      return status.attempt === 0 ? 'connecting…' : `reconnecting… (attempt ${status.attempt + 1})`;
    case 'reconnecting':
      return `reconnecting in ${Math.max(1, Math.ceil((status.retryInMs ?? 0) / 1000))} s`;
    case 'failed':
      return 'offline';
    default:
      return 'idle';
  }
}
