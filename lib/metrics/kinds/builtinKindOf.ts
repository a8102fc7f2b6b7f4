import type { MetricSnapshot } from '../snapshot.js';

/**
 * The built-in metric factories whose snapshots adapters and {@link mergeSnapshots} understand.
 */
export type BuiltinKind =
  'counter' | 'upDownCounter' | 'gauge' | 'histogram' | 'quantiles' | 'rate' | 'outcomeCounter';

type Loose = { readonly [k: string]: unknown };

const has = (d: Loose, ...keys: string[]): boolean => keys.every((k) => Object.hasOwn(d, k));
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isArray = Array.isArray;

/**
 * Which built-in kind produced `snapshot`, from its `kind` and the shape of its dimensions, or
 * `undefined` for a custom metric (or anything that is not a snapshot). Exporters use it to map each
 * built-in kind to its backend type and treat everything else as custom.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { builtinKindOf, histogram, MetricsRecorder } from 'mvx-common';
 *
 * const recorder = new MetricsRecorder('http');
 * recorder.registerMetric(histogram({ name: 'http.ms', on: 'http.request', value: 'ms', buckets: [10, 100] }));
 * recorder.emit({ type: 'http.request', ms: 42 });
 * for (const snapshot of Object.values(recorder.getMetricSnapshots())) {
 *   if (builtinKindOf(snapshot) === 'histogram') console.log(JSON.stringify(snapshot.dimensions['counts'])); // → [0,1,0]
 * }
 * ```
 */
export function builtinKindOf(snapshot: MetricSnapshot | null | undefined): BuiltinKind | undefined {
  if (snapshot === null || typeof snapshot !== 'object') return undefined;
  const d = snapshot.dimensions as Loose | null | undefined;
  if (d === null || typeof d !== 'object') return undefined;
  switch (snapshot.kind) {
    case 'summary':
      return has(d, 'sketch', 'count', 'sum', 'p50') && isNumber(d['count']) ? 'quantiles' : undefined;
    case 'histogram':
      return has(d, 'bounds', 'counts', 'count', 'sum') && isArray(d['bounds']) && isArray(d['counts'])
        ? 'histogram'
        : undefined;
    case 'counter':
      if (has(d, 'total', 'other_total') && isNumber(d['total'])) return 'outcomeCounter';
      return has(d, 'total', 'series') && isNumber(d['total']) && isArray(d['series'])
        ? 'counter'
        : undefined;
    case 'gauge':
      if (has(d, 'rate', 'window_ms', 'buckets') && isNumber(d['rate'])) return 'rate';
      if (has(d, 'last', 'updated_at', 'series') && isArray(d['series'])) return 'gauge';
      return has(d, 'value', 'series') && isNumber(d['value']) && isArray(d['series'])
        ? 'upDownCounter'
        : undefined;
    default:
      return undefined;
  }
}
