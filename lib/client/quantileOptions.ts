import {
  checkNonNegativeNumber,
  orDefault,
  rangeError,
  readOptions,
  typeError,
} from '../internal/validate.js';

/** Options of the windowed quantile operators ({@link histogramQuantiles}, {@link sketchQuantiles}). */
export interface QuantilesOverTimeOptions {
  /**
   * The distribution of each point covers the observations of the last `windowMs` (like
   * `rate(x[window])` in PromQL); 0 = since the previous sample. @default 0
   */
  readonly windowMs?: number;
}

/** Quantile estimates for one point in time. */
export interface QuantileEstimate {
  /** Observations in the window the estimates cover. */
  readonly count: number;
  /** One value per requested quantile, in request order; null while the window is empty. */
  readonly values: readonly (number | null)[];
}

/** Checks a quantile list and the options. @internal */
export function readQuantileArgs(qs: unknown, options: unknown): { qs: readonly number[]; windowMs: number } {
  if (!Array.isArray(qs) || qs.length === 0) throw typeError('qs', 'a non-empty array of quantiles', qs);
  for (const q of qs as unknown[]) {
    if (typeof q !== 'number') throw typeError('qs', 'an array of numbers between 0 and 1', qs);
    if (!(q >= 0 && q <= 1)) throw rangeError('qs', 'an array of numbers between 0 and 1', qs);
  }
  const o = readOptions('options', options, ['windowMs']);
  const windowMs = orDefault(o.windowMs, 0, (v) => checkNonNegativeNumber('options.windowMs', v));
  return { qs: Object.freeze((qs as number[]).slice()), windowMs };
}
