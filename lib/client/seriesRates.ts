import { Observable, type OperatorFunction } from 'rxjs';
import type { SeriesLabels } from '../metrics/kinds/types.js';
import { checkString } from '../internal/validate.js';
import type { TimedValue } from './TimedValue.js';

/** A labelled series' per-second rate at one sample. */
export interface SeriesRate {
  /** A stable key of the label set (JSON of the labels with sorted names). */
  readonly key: string;
  readonly labels: SeriesLabels;
  /** The series' cumulative value at this sample. */
  readonly total: number;
  /** Increase per second since the previous sample. */
  readonly rate: number;
}

/** What {@link seriesRates} reads of each sample (a labelled counter's dimensions fit). */
export interface LabelledSeries {
  readonly series: readonly { readonly labels: SeriesLabels; readonly [field: string]: unknown }[];
}

/**
 * Per-second rates of every labelled series of a cumulative counter (its `series` array), between
 * consecutive samples, with the same reset rule as {@link perSecondRate}. A label set that appears
 * after the first sample counts from zero (series exist once an event arrived). `field` names the
 * cumulative value in each series (`total` for a counter).
 *
 * ## Example
 * ```ts
 * import { seriesRates, topSeries, type LabelledSeries, type TimedValue } from 'mvx-common';
 * import type { Observable } from 'rxjs';
 *
 * declare const requests$: Observable<TimedValue<LabelledSeries>>; // samples of a labelled counter
 * requests$.pipe(seriesRates(), topSeries(5, (s) => s.rate)); // the 5 busiest label sets
 * ```
 * @throws TypeError naming `field` unless it is a string.
 */
export function seriesRates(
  field = 'total',
): OperatorFunction<TimedValue<LabelledSeries>, TimedValue<readonly SeriesRate[]>> {
  checkString('field', field);
  return (source) =>
    new Observable<TimedValue<readonly SeriesRate[]>>((subscriber) => {
      let prev: Map<string, number> | undefined;
      let prevTime = -Infinity;
      return source.subscribe({
        next: ({ time, value }) => {
          const series = value?.series;
          if (!Number.isFinite(time) || time <= prevTime || !Array.isArray(series)) return;
          const dt = time - prevTime;
          const current = new Map<string, number>();
          const out: SeriesRate[] = [];
          for (const s of series) {
            const total = (s as Record<string, unknown>)?.[field];
            if (s === null || typeof s !== 'object' || typeof total !== 'number' || !Number.isFinite(total))
              continue;
            const key = labelKey(s.labels);
            current.set(key, total);
            if (prev === undefined) continue;
            const before = prev.get(key) ?? 0;
            const increase = total >= before ? total - before : total;
            out.push(Object.freeze({ key, labels: s.labels, total, rate: (increase * 1000) / dt }));
          }
          const first = prev === undefined;
          prev = current;
          prevTime = time;
          if (!first) subscriber.next({ time, value: Object.freeze(out) });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/** A stable key for a label set: JSON of its entries sorted by name. @internal */
export function labelKey(labels: SeriesLabels | null | undefined): string {
  if (labels === null || typeof labels !== 'object') return '{}';
  const names = Object.keys(labels).sort();
  return JSON.stringify(names.map((n) => [n, labels[n]]));
}
