/** Colours of the page, read from its CSS custom properties (so light and dark follow the stylesheet). */
export interface Theme {
  readonly axis: string;
  readonly grid: string;
  readonly series: readonly string[];
  readonly good: string;
  readonly bad: string;
  readonly neutral: string;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const series: string[] = [];
  for (let i = 1; i <= 8; i++) series.push(v(`--series-${i}`, '#3b82f6'));
  return {
    axis: v('--muted', '#6b7280'),
    grid: v('--grid', 'rgba(127,127,127,0.15)'),
    series,
    good: v('--good', '#16a34a'),
    bad: v('--bad', '#dc2626'),
    neutral: v('--neutral', '#9ca3af'),
  };
}

/** A stable colour index for a key (labelled series keep their colour when the top N changes). */
export function colorIndex(key: string, count: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % count;
}
