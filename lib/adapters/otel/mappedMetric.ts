import type { Attributes } from '@opentelemetry/api';

/**
 * The OpenTelemetry shape a snapshot maps to, before times and temporality are applied.
 * @internal
 */
export type StreamShape = 'monotonicSum' | 'sum' | 'gauge' | 'histogram';

/** What the instrument would have been in the SDK (selects the temporality). @internal */
export type InstrumentKind = 'counter' | 'upDownCounter' | 'gauge' | 'histogram';

/** A histogram data point value (per-bucket counts, `boundaries.length + 1` of them). @internal */
export interface HistogramPointValue {
  readonly boundaries: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
  readonly min: number | undefined;
  readonly max: number | undefined;
}

/** One data point before times are applied. @internal */
export interface MappedPoint {
  readonly attributes: Attributes;
  readonly value: number | HistogramPointValue;
}

/** One exported metric of one recorder, before times and temporality are applied. @internal */
export interface MappedMetric {
  /** The exported metric name. */
  readonly name: string;
  /** The snapshot it comes from (`''` for recorder health). Two sources may not share an exported name. */
  readonly source: string;
  readonly shape: StreamShape;
  readonly instrument: InstrumentKind;
  readonly description: string;
  readonly unit: string;
  /** Whether every value is an integer count (`ValueType.INT`) rather than a double. */
  readonly integer: boolean;
  readonly points: MappedPoint[];
}
