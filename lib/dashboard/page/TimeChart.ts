import uPlot from 'uplot';
import { formatPercent, formatWithUnit } from './format.js';
import type { Theme } from './theme.js';

/** One line of a chart. */
export interface LineSpec {
  /** Identity of the line (a chart is rebuilt when its set of keys changes). */
  readonly key: string;
  readonly label: string;
  readonly color: string;
  /** Which y axis: values (left) or a 0..1 ratio (right, as a percentage). */
  readonly axis?: 'value' | 'ratio';
  readonly dashed?: boolean;
  readonly fill?: boolean;
}

/** What a chart draws at one render: x in epoch ms, one y array per line. */
export interface ChartData {
  readonly times: readonly number[];
  readonly lines: readonly (readonly (number | null)[])[];
}

const HEIGHT = 150;

/**
 * A uPlot time-series chart inside a panel, created on first render (so charts that are never
 * visible cost nothing), resized with its container, rebuilt when its lines or the theme change.
 * Cursors of all charts move together (uPlot cursor sync).
 */
export class TimeChart {
  private plot: uPlot | undefined;
  private keys = '';
  private range: [number, number] = [0, 1];
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(
    private readonly host: HTMLElement,
    private readonly unit: string | undefined,
  ) {
    this.resize.observe(host);
  }

  /** Draws `data` over `[fromMs, toMs]` with `lines` (rebuilding the plot if they changed). */
  render(lines: readonly LineSpec[], data: ChartData, fromMs: number, toMs: number, theme: Theme): void {
    const keys = lines.map((l) => `${l.key}|${l.color}`).join('\n');
    this.range = [fromMs / 1000, toMs / 1000];
    if (this.plot === undefined || keys !== this.keys) {
      this.plot?.destroy();
      this.keys = keys;
      this.plot = new uPlot(this.options(lines, theme), toAligned(data), this.host);
    } else {
      this.plot.setData(toAligned(data), true);
    }
    // Without a cursor on the chart, the legend shows the latest values (not dashes).
    const plot = this.plot;
    if (plot.cursor.left === undefined || plot.cursor.left < 0) {
      const last = data.times.length - 1;
      if (last >= 0) plot.setLegend({ idx: last });
    }
  }

  /** Forgets the plot (the theme changed): the next render builds a new one. */
  reset(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  destroy(): void {
    this.resize.disconnect();
    this.reset();
  }

  private fit(): void {
    const width = Math.floor(this.host.clientWidth);
    if (this.plot !== undefined && width > 0 && width !== this.plot.width) {
      this.plot.setSize({ width, height: HEIGHT });
    }
  }

  private options(lines: readonly LineSpec[], theme: Theme): uPlot.Options {
    const unit = this.unit;
    const hasRatio = lines.some((l) => l.axis === 'ratio');
    const axisFont = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
    const axes: uPlot.Axis[] = [
      {
        stroke: theme.axis,
        font: axisFont,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1, size: 4 },
        space: 70,
        values: (_u, values) => {
          const span = this.range[1] - this.range[0];
          return values.map((v) => clock(v, span < 600));
        },
      },
      {
        stroke: theme.axis,
        font: axisFont,
        size: 56,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { show: false },
        values: (_u, values) => values.map((v) => formatWithUnit(v, unit)),
      },
    ];
    if (hasRatio) {
      axes.push({
        scale: 'ratio',
        side: 1,
        stroke: theme.bad,
        font: axisFont,
        size: 44,
        grid: { show: false },
        ticks: { show: false },
        values: (_u, values) => values.map((v) => formatPercent(v)),
      });
    }
    return {
      width: Math.max(200, Math.floor(this.host.clientWidth)),
      height: HEIGHT,
      // room on the right for the last time label (and the ratio axis has its own)
      padding: [10, hasRatio ? 8 : 28, 0, 0],
      cursor: { sync: { key: 'mvx-dashboard' }, drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: lines.length > 1, live: true },
      scales: {
        x: { time: true, range: () => this.range },
        y: { range: (_u, min, max) => yRange(min, max) },
        ratio: { range: (_u, _min, max) => [0, Math.max(0.05, Math.min(1, (max ?? 0) * 1.2))] },
      },
      axes,
      series: [
        { label: 'time', value: (_u, v) => (v === null ? '–' : clock(v, true)) },
        ...lines.map((l): uPlot.Series => ({
          label: l.label,
          stroke: l.color,
          width: 1.6,
          scale: l.axis === 'ratio' ? 'ratio' : 'y',
          ...(l.dashed ? { dash: [4, 4] } : {}),
          ...(l.fill ? { fill: `${l.color}22` } : {}),
          points: { show: false },
          value: (_u, v) => (l.axis === 'ratio' ? formatPercent(v) : formatWithUnit(v, unit)),
        })),
      ],
    };
  }
}

const timeWithSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A tick label: the time of day (with seconds over short spans). */
function clock(seconds: number, withSeconds: boolean): string {
  return (withSeconds ? timeWithSeconds : timeOfDay).format(new Date(seconds * 1000));
}

function yRange(min: number | null, max: number | null): uPlot.Range.MinMax {
  const lo = min === null || !Number.isFinite(min) ? 0 : Math.min(0, min);
  const hi = max === null || !Number.isFinite(max) || max <= lo ? lo + 1 : max;
  return [lo, hi + (hi - lo) * 0.1];
}

function toAligned(data: ChartData): uPlot.AlignedData {
  const xs = data.times.map((t) => t / 1000);
  return [xs, ...data.lines.map((ys) => ys.slice())] as unknown as uPlot.AlignedData;
}
