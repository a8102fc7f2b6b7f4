import type { MetricKind } from './metric.js';

/** A JSON-safe value inside a snapshot's dimensions. */
export type DimensionValue =
  number | string | boolean | null | readonly DimensionValue[] | { readonly [k: string]: DimensionValue };

/** The JSON-safe view of a metric's state: dimension name to value. */
export type Dimensions = { readonly [k: string]: DimensionValue };

/**
 * The current state of one metric, as readers see it. Immutable by contract and JSON-safe; names and
 * dimension keys are a public contract for dashboards and adapters.
 */
export interface MetricSnapshot<D extends Dimensions = Dimensions> {
  readonly name: string;
  readonly kind: MetricKind;
  readonly description?: string;
  readonly unit?: string;
  readonly dimensions: D;
}

/** Snapshots of every metric of a recorder, keyed by metric name, in registration order. */
export type MetricSnapshots = { readonly [metricName: string]: MetricSnapshot };
