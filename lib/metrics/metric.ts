import type { MetricEvent } from './event.js';
import type { Dimensions, MetricSnapshot } from './snapshot.js';
import {
  checkFunction,
  checkOneOf,
  checkOptionalString,
  checkPlainObject,
  checkString,
} from '../internal/validate.js';

/** How adapters export a metric. */
export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary' | 'custom';

/** Every valid {@link MetricKind}. */
export const METRIC_KINDS: readonly MetricKind[] = Object.freeze([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'custom',
]);

/** What a reducer knows about the moment of processing. */
export interface MetricContext {
  /** `scheduler.now()` of the drain batch, in milliseconds (read once per batch). */
  readonly now: number;
}

/**
 * A metric: a pure reducer with a relevance filter and a projection to snapshot dimensions.
 *
 * "Changed" means `reduce` returned a different state object; only then do snapshot streams,
 * `changes$` and `onMetricChanged` see the event. Return `state` itself when nothing changed.
 */
export interface Metric<E extends MetricEvent = MetricEvent, S = unknown, D extends Dimensions = Dimensions> {
  /** Stable name; the registry key and the snapshot key (`'document_storage.save.attempts'`). */
  readonly name: string;
  /** How adapters export it. */
  readonly kind: MetricKind;
  readonly description?: string;
  readonly unit?: string;
  /** Relevance filter: only accepted events reach `reduce`. */
  accepts(event: MetricEvent): event is E;
  /** A fresh state. */
  init(): S;
  /** Pure: returns the next state, or `state` itself when the event changes nothing. */
  reduce(state: S, event: E, ctx: MetricContext): S;
  /** JSON-safe view of the state. */
  dimensions(state: S): D;
}

/** Any metric, whatever its event, state and dimension types (for registries and adapters). */
// Method syntax in `Metric` makes its parameters bivariant, so every Metric<E, S, D> is assignable here.
export type AnyMetric = Metric<MetricEvent, unknown, Dimensions>;

/** The argument of {@link defineMetric}: a {@link Metric} whose `kind` is optional (default `'custom'`). */
export interface MetricDefinition<E extends MetricEvent, S, D extends Dimensions> {
  readonly name: string;
  readonly kind?: MetricKind;
  readonly description?: string;
  readonly unit?: string;
  accepts(event: MetricEvent): event is E;
  init(): S;
  reduce(state: S, event: E, ctx: MetricContext): S;
  dimensions(state: S): D;
}

/**
 * Validates a metric definition and returns it as a frozen {@link Metric}.
 *
 * Each field is checked; a bad one throws a `TypeError` (wrong type) or `RangeError` (empty name,
 * unknown kind) whose message names the field.
 *
 * ## Example
 * ```ts
 * import { defineMetric } from 'mvx-common';
 *
 * type Save = { type: 'doc.save'; outcome: 'success' | 'failure' };
 * const saves = defineMetric({
 *   name: 'doc.saves',
 *   kind: 'counter',
 *   accepts: (e): e is Save => e.type === 'doc.save',
 *   init: () => ({ total: 0, failures: 0 }),
 *   reduce: (s, e) => ({ total: s.total + 1, failures: s.failures + (e.outcome === 'failure' ? 1 : 0) }),
 *   dimensions: (s) => s,
 * });
 * ```
 */
export function defineMetric<E extends MetricEvent, S, D extends Dimensions>(
  definition: MetricDefinition<E, S, D>,
): Metric<E, S, D> {
  checkPlainObject('definition', definition);
  const name = checkString('definition.name', definition.name, { nonEmpty: true });
  const kind =
    definition.kind === undefined ? 'custom' : checkOneOf('definition.kind', definition.kind, METRIC_KINDS);
  const description = checkOptionalString('definition.description', definition.description);
  const unit = checkOptionalString('definition.unit', definition.unit);
  const accepts = checkFunction<MetricDefinition<E, S, D>['accepts']>(
    'definition.accepts',
    definition.accepts,
  );
  const init = checkFunction<MetricDefinition<E, S, D>['init']>('definition.init', definition.init);
  const reduce = checkFunction<MetricDefinition<E, S, D>['reduce']>('definition.reduce', definition.reduce);
  const dimensions = checkFunction<MetricDefinition<E, S, D>['dimensions']>(
    'definition.dimensions',
    definition.dimensions,
  );
  const metric: Metric<E, S, D> = {
    name,
    kind,
    ...(description === undefined ? {} : { description }),
    ...(unit === undefined ? {} : { unit }),
    accepts,
    init,
    reduce,
    dimensions,
  };
  return Object.freeze(metric);
}

/**
 * Throws a `TypeError`/`RangeError` naming the field when `metric` does not satisfy the
 * {@link Metric} contract (used by `registerMetric`).
 * @internal
 */
export function checkMetric(param: string, metric: unknown): AnyMetric {
  if (metric === null || typeof metric !== 'object') {
    checkPlainObject(param, metric);
  }
  const m = metric as Record<string, unknown>;
  checkString(`${param}.name`, m['name'], { nonEmpty: true });
  checkOneOf(`${param}.kind`, m['kind'], METRIC_KINDS);
  for (const fn of ['accepts', 'init', 'reduce', 'dimensions']) checkFunction(`${param}.${fn}`, m[fn]);
  return metric as AnyMetric;
}

/**
 * Builds the immutable snapshot of `metric` for `state`.
 * @internal
 */
export function buildSnapshot<D extends Dimensions>(
  metric: Pick<Metric<MetricEvent, unknown, D>, 'name' | 'kind' | 'description' | 'unit' | 'dimensions'>,
  state: unknown,
): MetricSnapshot<D> {
  const snapshot: { -readonly [K in keyof MetricSnapshot<D>]: MetricSnapshot<D>[K] } = {
    name: metric.name,
    kind: metric.kind,
    dimensions: metric.dimensions(state),
  };
  if (metric.description !== undefined) snapshot.description = metric.description;
  if (metric.unit !== undefined) snapshot.unit = metric.unit;
  return Object.freeze(snapshot);
}
