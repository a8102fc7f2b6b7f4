/**
 * Built-in metric kinds: counter, upDownCounter, gauge, histogram, quantiles, rate, outcomeCounter,
 * plus `mergeSnapshots`, `measure` and the typed `kindsFor`. Every public name is exported explicitly.
 */
export type {
  EventGuard,
  On,
  Narrow,
  FieldOf,
  NumericFieldOf,
  ValueOption,
  LabelInput,
  LabelsOption,
  SeriesLabels,
  KindOptions,
  LabelledOptions,
} from './types.js';
export { OVERFLOW_LABELS, DEFAULT_MAX_SERIES } from './types.js';
export type { SumState } from './internal/sumKind.js';
export { DEFAULT_MAX_LABEL_LENGTH } from './internal/labels.js';
export { counter } from './counter.js';
export type {
  CounterOptions,
  CounterSeries,
  CounterDimensions,
  CounterState,
  CounterMetric,
} from './counter.js';
export { upDownCounter } from './upDownCounter.js';
export type {
  UpDownCounterOptions,
  UpDownCounterSeries,
  UpDownCounterDimensions,
  UpDownCounterState,
  UpDownCounterMetric,
} from './upDownCounter.js';
export { gauge } from './gauge.js';
export type {
  GaugeOptions,
  GaugeValues,
  GaugeSeries,
  GaugeDimensions,
  GaugeState,
  GaugeMetric,
} from './gauge.js';
export { histogram, DEFAULT_SUB_WINDOWS } from './histogram.js';
export type {
  HistogramWindow,
  HistogramOptions,
  HistogramValues,
  HistogramSeries,
  HistogramDimensions,
  HistogramState,
  HistogramMetric,
} from './histogram.js';
export { DEFAULT_MS_BUCKETS, linearBuckets, exponentialBuckets } from './buckets.js';
export {
  quantiles,
  sketchQuantile,
  DEFAULT_RELATIVE_ACCURACY,
  DEFAULT_MAX_BINS,
  MIN_RELATIVE_ACCURACY,
} from './quantiles.js';
export type {
  QuantileValues,
  QuantilesWindow,
  QuantilesOptions,
  SketchDimensions,
  QuantilesDimensions,
  QuantilesState,
  QuantilesMetric,
} from './quantiles.js';
export { rate } from './rate.js';
export type { RateOptions, RateDimensions, RateState, RateMetric } from './rate.js';
export { outcomeCounter } from './outcomeCounter.js';
export type {
  OutcomeCounterOptions,
  OutcomeCounterDimensions,
  OutcomeCounterState,
  OutcomeCounterMetric,
} from './outcomeCounter.js';
export { mergeSnapshots } from './mergeSnapshots.js';
export { builtinKindOf } from './builtinKindOf.js';
export type { BuiltinKind } from './builtinKindOf.js';
export { measure } from './measure.js';
export type { MeasureOutcome, MeasuredEvent, MeasureOptions } from './measure.js';
export { kindsFor } from './kindsFor.js';
export type { MetricKinds, TypedOptions } from './kindsFor.js';
