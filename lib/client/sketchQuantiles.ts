import { Observable, type OperatorFunction } from 'rxjs';
import {
  sketchQuantile,
  type QuantilesDimensions,
  type SketchDimensions,
} from '../metrics/kinds/quantiles.js';
import { readQuantileArgs, type QuantileEstimate, type QuantilesOverTimeOptions } from './quantileOptions.js';
import { IncrementWindow } from './timeWindow.js';
import type { TimedValue } from './TimedValue.js';

/** What {@link sketchQuantiles} reads of each sample (the `quantiles` kind's dimensions fit). */
export interface SketchSample {
  readonly min: number | null;
  readonly max: number | null;
  readonly sketch: SketchDimensions;
}

interface SketchIncrement {
  readonly zero: number;
  readonly bins: ReadonlyMap<number, number>;
}

/**
 * Quantiles over time from samples of a cumulative `quantiles` sketch: the sketches are subtracted
 * (bin by bin) to get the distribution of the observations since the previous sample, or within
 * `windowMs`, and each quantile is read from it with the sketch's relative accuracy (clamped to the
 * cumulative min and max). A bin that decreases is a reset (or bins collapsed at `max_bins`): the new
 * sketch is the increase. A change of accuracy starts over; the first sample sets the baseline.
 *
 * ## Example
 * ```ts
 * import { sketchQuantiles, type SketchSample, type TimedValue } from 'mvx-common';
 * import type { Observable } from 'rxjs';
 *
 * declare const latencySketch$: Observable<TimedValue<SketchSample>>; // samples of a quantiles kind
 * latencySketch$.pipe(sketchQuantiles([0.5, 0.99])).subscribe(({ value }) => console.log(value.values));
 * ```
 * @throws TypeError / RangeError naming `qs` or the bad option.
 */
export function sketchQuantiles(
  qs: readonly number[],
  options?: QuantilesOverTimeOptions,
): OperatorFunction<TimedValue<SketchSample>, TimedValue<QuantileEstimate>> {
  const args = readQuantileArgs(qs, options);
  return (source) =>
    new Observable<TimedValue<QuantileEstimate>>((subscriber) => {
      let accuracy: number | undefined;
      let maxBins = 0;
      let prev: SketchIncrement | undefined;
      let prevTime = -Infinity;
      let zeroSum = 0;
      let binSum = new Map<number, number>();
      const window = new IncrementWindow<SketchIncrement>(
        args.windowMs,
        (inc) => {
          zeroSum += inc.zero;
          for (const [k, c] of inc.bins) binSum.set(k, (binSum.get(k) ?? 0) + c);
        },
        (inc) => {
          zeroSum -= inc.zero;
          for (const [k, c] of inc.bins) {
            const left = (binSum.get(k) ?? 0) - c;
            if (left > 0) binSum.set(k, left);
            else binSum.delete(k);
          }
        },
      );
      return source.subscribe({
        next: ({ time, value }) => {
          const current = readSketch(value?.sketch);
          if (!Number.isFinite(time) || time <= prevTime || current === undefined) return;
          prevTime = time;
          const s = value.sketch;
          if (prev === undefined || accuracy !== s.relative_accuracy) {
            accuracy = s.relative_accuracy;
            maxBins = s.max_bins;
            prev = current;
            zeroSum = 0;
            binSum = new Map();
            window.clear();
            return;
          }
          const before = prev;
          let reset = current.zero < before.zero;
          for (const [k, c] of before.bins) if ((current.bins.get(k) ?? 0) < c) reset = true;
          const bins = new Map<number, number>();
          for (const [k, c] of current.bins) {
            const inc = reset ? c : c - (before.bins.get(k) ?? 0);
            if (inc > 0) bins.set(k, inc);
          }
          prev = current;
          window.push(time, { zero: reset ? current.zero : current.zero - before.zero, bins });
          let count = zeroSum;
          for (const c of binSum.values()) count += c;
          const dims = {
            count,
            min: typeof value.min === 'number' ? value.min : 0,
            max: typeof value.max === 'number' ? value.max : 0,
            sketch: {
              relative_accuracy: accuracy,
              max_bins: maxBins,
              zero_count: zeroSum,
              bins: [...binSum.entries()].sort((a, b) => a[0] - b[0]),
            },
          } as unknown as QuantilesDimensions;
          const values = args.qs.map((q) => (count > 0 ? sketchQuantile(dims, q) : null));
          subscriber.next({ time, value: Object.freeze({ count, values: Object.freeze(values) }) });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

function readSketch(sketch: SketchDimensions | undefined): SketchIncrement | undefined {
  if (sketch === null || typeof sketch !== 'object') return undefined;
  const { relative_accuracy: a, zero_count: zero, bins } = sketch;
  if (typeof a !== 'number' || !(a > 0 && a < 1) || typeof zero !== 'number' || !Array.isArray(bins)) {
    return undefined;
  }
  const map = new Map<number, number>();
  for (const bin of bins as unknown[]) {
    if (!Array.isArray(bin)) return undefined;
    const [k, c] = bin as unknown[];
    if (typeof k !== 'number' || typeof c !== 'number' || !Number.isFinite(c) || c < 0) return undefined;
    map.set(k, c);
  }
  return { zero, bins: map };
}
