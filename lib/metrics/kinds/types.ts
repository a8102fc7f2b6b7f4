import type { MetricEvent } from '../event.js';

/**
 * A type guard selecting the events a metric accepts.
 *
 * ## Example
 * ```ts
 * const isSave = (e: MetricEvent): e is SaveAttempt => e.type === 'doc.save';
 * ```
 */
export type EventGuard<A extends MetricEvent> = (event: MetricEvent) => event is A;

/**
 * Which events a built-in metric accepts: one event type, a list of types, or a type guard.
 *
 * ## Example
 * ```ts
 * counter({ name: 'saves', on: 'doc.save' });
 * counter({ name: 'io', on: ['doc.save', 'doc.load'] });
 * ```
 */
export type On<A extends MetricEvent> = A['type'] | readonly A['type'][] | EventGuard<A>;

/**
 * The members of the event union `E` whose `type` is `T` (or `E & { type: T }` for open event types).
 *
 * ## Example
 * ```ts
 * type Save = Narrow<AppEvent, 'doc.save'>;
 * ```
 */
export type Narrow<E extends MetricEvent, T extends string> = [Extract<E, { readonly type: T }>] extends [
  never,
]
  ? E & { readonly type: T }
  : Extract<E, { readonly type: T }>;

/**
 * Field names of the accepted event `A` (any string when `A` is the open {@link MetricEvent}).
 *
 * ## Example
 * ```ts
 * const keys: readonly FieldOf<SaveAttempt>[] = ['outcome', 'region'];
 * ```
 */
export type FieldOf<A extends MetricEvent> = string extends A['type'] ? string : keyof A & string;

/**
 * Field names of `A` whose values are numbers (any string when `A` is the open {@link MetricEvent}).
 *
 * ## Example
 * ```ts
 * const field: NumericFieldOf<SaveAttempt> = 'durationMs';
 * ```
 */
export type NumericFieldOf<A extends MetricEvent> = string extends A['type']
  ? string
  : { [K in keyof A]-?: A[K] extends number | undefined ? K : never }[keyof A] & string;

/**
 * Where a metric reads its number: a numeric event field name or a function of the event.
 *
 * ## Example
 * ```ts
 * histogram({ name: 'save.ms', on: 'doc.save', value: 'durationMs' });
 * histogram({ name: 'save.s', on: 'doc.save', value: (e) => e.durationMs / 1000 });
 * ```
 */
export type ValueOption<A extends MetricEvent> = NumericFieldOf<A> | ((event: A) => number);

/** A label value as produced from an event field (converted to a string in snapshots). */
export type LabelInput = string | number | boolean | null | undefined;

/**
 * Where a labelled metric reads its labels: event field names, or a function returning labels.
 *
 * ## Example
 * ```ts
 * counter({ name: 'saves', on: 'doc.save', by: ['outcome', 'region'] });
 * counter({ name: 'saves', on: 'doc.save', by: (e) => ({ slow: e.durationMs > 100 }) });
 * ```
 */
export type LabelsOption<A extends MetricEvent> =
  readonly FieldOf<A>[] | ((event: A) => { readonly [label: string]: LabelInput });

/**
 * The labels of one series in a snapshot: label name to string value.
 *
 * ## Example
 * ```ts
 * const labels: SeriesLabels = { outcome: 'success', region: 'eu' };
 * ```
 */
export type SeriesLabels = { readonly [label: string]: string };

/**
 * Options every built-in kind takes.
 *
 * ## Example
 * ```ts
 * const base: KindOptions<SaveAttempt> = { name: 'doc.saves', on: 'doc.save', unit: '1' };
 * ```
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
 *
 * ## Example
 * ```ts
 * counter({ name: 'saves', on: 'doc.save', by: ['outcome'], maxSeries: 100 });
 * ```
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
 *
 * ## Example
 * ```ts
 * const folded = snapshot.dimensions.series.find((s) => s.labels.mvx_overflow === 'true');
 * ```
 */
export const OVERFLOW_LABELS: SeriesLabels = Object.freeze({ mvx_overflow: 'true' });

/** Default {@link LabelledOptions.maxSeries} (as OpenTelemetry's cardinality limit). */
export const DEFAULT_MAX_SERIES = 2000;
