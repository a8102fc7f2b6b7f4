import type { MetricSnapshot, Dimensions } from '../snapshot.js';
import { checkPlainObject } from '../../internal/validate.js';
import { builtinKindOf, type BuiltinKind } from './builtinKindOf.js';
import { mergeGaugeDimensions, type GaugeDimensions } from './gauge.js';
import { mergeHistogramDimensions, type HistogramDimensions } from './histogram.js';
import { mergeQuantilesDimensions, type QuantilesDimensions } from './quantiles.js';
import { mergeRateDimensions, type RateDimensions } from './rate.js';
import { mergeSeriesLists } from './internal/mergeSeries.js';
import type { SeriesLabels } from './types.js';

type Loose = { readonly [k: string]: unknown };
type SumSeries = { readonly labels: SeriesLabels } & { readonly [k: string]: unknown };

/** Adds every numeric top-level field (counters, outcome counters) and merges `series` by `key`. */
function mergeSums(a: Loose, b: Loose, key: string | undefined): Loose {
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    if (typeof x === 'number' || typeof y === 'number') out[k] = ((x as number) ?? 0) + ((y as number) ?? 0);
  }
  if (key !== undefined) {
    out['series'] = mergeSeriesLists(a['series'] as SumSeries[], b['series'] as SumSeries[], (x, y) => ({
      ...x,
      [key]: (x[key] as number) + (y[key] as number),
    }));
  }
  return out;
}

function mergeDimensions(kind: BuiltinKind | undefined, a: Loose, b: Loose): Loose {
  switch (kind) {
    case 'quantiles':
      return mergeQuantilesDimensions(a as QuantilesDimensions, b as QuantilesDimensions);
    case 'histogram':
      return mergeHistogramDimensions(a as HistogramDimensions, b as HistogramDimensions);
    case 'rate':
      return mergeRateDimensions(a as RateDimensions, b as RateDimensions);
    case 'gauge':
      return mergeGaugeDimensions(a as GaugeDimensions, b as GaugeDimensions);
    case 'outcomeCounter':
      return mergeSums(a, b, undefined);
    case 'counter':
      return mergeSums(a, b, 'total');
    case 'upDownCounter':
      return mergeSums(a, b, 'value');
    default:
      throw new TypeError(
        'Expected snapshots of a built-in metric kind (counter, upDownCounter, gauge, histogram, quantiles, rate, outcomeCounter)',
      );
  }
}

/**
 * Combines two snapshots of the same built-in metric, e.g. from two workers, processes or tabs.
 *
 * Exact for counters, up-down counters, histograms, quantile sketches, rates, outcome counters and labelled
 * series (label sets are matched by their labels; the series cap is not re-applied). Sums of non-integer
 * values are exact up to floating-point rounding. Gauges merge by a rule: `last` from the later
 * `updated_at` (ties: the larger value), min/max/count exactly. The result is a new snapshot; the inputs
 * are not changed. Merging is commutative and associative.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { counter, mergeSnapshots, MetricsRecorder } from 'mvx-common';
 *
 * const saves = counter({ name: 'doc.saves', on: 'doc.save' });
 * const [a, b] = [new MetricsRecorder('worker-a'), new MetricsRecorder('worker-b')];
 * a.registerMetric(saves);
 * b.registerMetric(saves);
 * a.emit({ type: 'doc.save' });
 * b.emit({ type: 'doc.save' });
 * b.emit({ type: 'doc.save' });
 * const total = mergeSnapshots(a.getMetricSnapshot(saves)!, b.getMetricSnapshot(saves)!);
 * console.log(total.dimensions.total); // → 3
 * ```
 * @throws RangeError when the snapshots are of different metrics (name, kind) or incompatible settings
 *   (bounds, accuracy, window); TypeError when they are not snapshots of a built-in kind.
 */
export function mergeSnapshots<D extends Dimensions>(
  a: MetricSnapshot<D>,
  b: MetricSnapshot<D>,
): MetricSnapshot<D> {
  checkPlainObject('a', a);
  checkPlainObject('b', b);
  if (a.name !== b.name || a.kind !== b.kind) {
    throw new RangeError(
      `Expected snapshots of the same metric, got \`${a.name}\` (${a.kind}) and \`${b.name}\` (${b.kind})`,
    );
  }
  checkPlainObject('a.dimensions', a.dimensions);
  checkPlainObject('b.dimensions', b.dimensions);
  const kind = builtinKindOf(a);
  if (kind !== builtinKindOf(b)) {
    throw new RangeError(`Expected snapshots of the same metric kind for \`${a.name}\``);
  }
  const dimensions = mergeDimensions(kind, a.dimensions, b.dimensions) as D;
  const out: { -readonly [K in keyof MetricSnapshot<D>]: MetricSnapshot<D>[K] } = {
    name: a.name,
    kind: a.kind,
    dimensions,
  };
  if (a.description !== undefined) out.description = a.description;
  if (a.unit !== undefined) out.unit = a.unit;
  return Object.freeze(out);
}
