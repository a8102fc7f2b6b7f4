import type { MetricEvent } from '../event.js';

/**
 * A type guard selecting the events a metric accepts.
 */
export type EventGuard<A extends MetricEvent> = (event: MetricEvent) => event is A;

/**
 * Which events a built-in metric accepts: one event type, a list of types, or a type guard.
 */
export type On<A extends MetricEvent> = A['type'] | readonly A['type'][] | EventGuard<A>;

/**
 * The members of the event union `E` whose `type` is `T` (or `E & { type: T }` for open event types).
 */
export type Narrow<E extends MetricEvent, T extends string> = [Extract<E, { readonly type: T }>] extends [
  never,
]
  ? E & { readonly type: T }
  : Extract<E, { readonly type: T }>;

/**
 * Field names of the accepted event `A` (any string when `A` is the open {@link MetricEvent}).
 */
export type FieldOf<A extends MetricEvent> = string extends A['type'] ? string : keyof A & string;

/**
 * Field names of `A` whose values are numbers (any string when `A` is the open {@link MetricEvent}).
 */
export type NumericFieldOf<A extends MetricEvent> = string extends A['type']
  ? string
  : { [K in keyof A]-?: A[K] extends number | undefined ? K : never }[keyof A] & string;

/**
 * Where a metric reads its number: a numeric event field name or a function of the event.
 */
export type ValueOption<A extends MetricEvent> = NumericFieldOf<A> | ((event: A) => number);

/** A label value as produced from an event field (converted to a string in snapshots). */
export type LabelInput = string | number | boolean | null | undefined;

/**
 * Where a labelled metric reads its labels: event field names, or a function returning labels.
 */
export type LabelsOption<A extends MetricEvent> =
  readonly FieldOf<A>[] | ((event: A) => { readonly [label: string]: LabelInput });

/**
 * The labels of one series in a snapshot: label name to string value.
 */
export type SeriesLabels = { readonly [label: string]: string };

/**
 * Options every built-in kind takes.
 */
export interface KindOptions<A extends MetricEvent> {
  /** Stable metric name (the snapshot key). */
  readonly name: string;
  /** Accepted events: a type, a list of types, or a type guard. */
  readonly on: On<A>;
  readonly description?: string;
  readonly unit?: string;
}

/**
 * Options of the kinds that keep one series per label set.
 */
export interface LabelledOptions<A extends MetricEvent> {
  /** Label keys taken from event fields, or a function returning labels. Default: no labels. */
  readonly by?: LabelsOption<A>;
  /**
   * Maximum number of live label sets; later new label sets fold into one overflow series
   * (labels {@link OVERFLOW_LABELS}) and are counted in the `overflow` dimension. Removed and expired
   * series free their place.
   * @default 2000
   */
  readonly maxSeries?: number;
  /**
   * Bound on the length of each label value (longer values are truncated), so the series cap bounds
   * memory: at most `maxSeries` x labels x `maxLabelLength` characters of labels.
   * @default 256
   */
  readonly maxLabelLength?: number;
  /**
   * Series not updated for this many milliseconds (on the `ctx.now` clock) are evicted and counted in
   * the `evicted` dimension; a running recorder checks on its scheduler, at least every `ttlMs / 8`.
   * Default: series never expire.
   */
  readonly ttlMs?: number;
  /**
   * Events that remove a label set: the series whose labels these events carry (read like `by`) is
   * removed and counted in `evicted` (for example `removeOn: 'ws.closed'` for series `by: ['connection']`).
   */
  readonly removeOn?: string | readonly string[] | ((event: MetricEvent) => boolean);
}

/**
 * The labels of the overflow series of a labelled metric.
 */
export const OVERFLOW_LABELS: SeriesLabels = Object.freeze({ mvx_overflow: 'true' });

/** Default {@link LabelledOptions.maxSeries} (as OpenTelemetry's cardinality limit). */
export const DEFAULT_MAX_SERIES = 2000;
