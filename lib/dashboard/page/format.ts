/** Number formatting of the dashboard page: readable at a glance, units attached. */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** An exact count with grouping: `1,234,567`. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? grouped.format(value) : '–';
}

/** Three significant digits at most, without exponent for everyday magnitudes: `12.3`, `0.042`, `1.2k`. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return trim(value, 1);
  if (abs >= 0.01) return trim(value, 2);
  return value.toPrecision(2);
}

/** `value` with `digits` decimals, trailing zeros of the decimals removed (`1.50` → `1.5`, `100` stays). */
function trim(value: number, digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2): string {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A value with its unit: milliseconds and seconds scale between each other, bytes to KiB/MiB/GiB. */
export function formatWithUnit(value: number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'ms':
      return Math.abs(value) >= 1000 ? `${formatNumber(value / 1000)} s` : `${formatNumber(value)} ms`;
    case 's':
      return Math.abs(value) < 1 && value !== 0
        ? `${formatNumber(value * 1000)} ms`
        : `${formatNumber(value)} s`;
    case 'bytes':
    case 'By': {
      const abs = Math.abs(value);
      if (abs >= 2 ** 30) return `${formatNumber(value / 2 ** 30)} GiB`;
      if (abs >= 2 ** 20) return `${formatNumber(value / 2 ** 20)} MiB`;
      if (abs >= 2 ** 10) return `${formatNumber(value / 2 ** 10)} KiB`;
      return `${formatNumber(value)} B`;
    }
    case '1':
    case undefined:
    case '':
      return formatNumber(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

/** A ratio in [0, 1] as a percentage: `2.5%`. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** A duration for humans: `45 s`, `12 min`, `3 h 5 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}
