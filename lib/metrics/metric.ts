import type { MetricEvent } from './event.js';
import type { Dimensions } from './snapshot.js';
import {
  checkFunction,
  checkOneOf,
  checkOptionalString,
  checkString,
  readOptions,
  typeError,
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
  /** `scheduler.now()` of the drain batch (or of the refresh), in milliseconds (read once per batch). */
  readonly now: number;
}

/**
 * The optional in-place path of a metric: a recorder that owns the state may update it in place instead
 * of calling the pure `reduce` (the built-in kinds use it; it is several times cheaper). The pure
 * functions stay the contract for `aggregate` and for every reader of old states.
 *
 * Rules: `update` and `refresh` mutate only a state the recorder owns (one returned by `init()` or by
 * `fork`), and never throw after they started mutating (so an isolated failure leaves the last good
 * state); `fork(state)` returns a state equal to `state` that later updates may mutate while `state`
 * itself never changes again (copy-on-write: it should cost O(1), copying only what a later update
 * touches). The recorder forks only when a reader needs the state at a change (`changes$` subscribers,
 * `onMetricChanged`).
 */
export interface InPlaceUpdate<E extends MetricEvent = MetricEvent, S = unknown> {
  /** Applies `event` to `state` in place; true when the snapshot may have changed. */
  update(state: S, event: E, ctx: MetricContext): boolean;
  /** Applies the passage of time to `state` in place (time-aware metrics); true when it changed. */
  refresh?(state: S, ctx: MetricContext): boolean;
  /** A copy-on-write copy of `state`; `state` stays as it is from now on. */
  fork(state: S): S;
}

/**
 * A metric: a pure reducer with a relevance filter and a projection to snapshot dimensions.
 *
 * "Changed" means `reduce` returned a different state object; only then do snapshot streams,
 * `changes$` and `onMetricChanged` see the event. Return `state` itself when nothing changed.
 *
 * Time-aware metrics (a rate, a sliding window, series that expire) also implement `refresh` and
 * `nextRefresh`: while a recorder runs it calls `refresh` at the time `nextRefresh` asks for, on its
 * scheduler, so their snapshots stay true when events stop (a rate decays to 0).
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
  /** Pure: the state after time passed until `ctx.now`, or `state` itself when nothing changed. */
  refresh?(state: S, ctx: MetricContext): S;
  /**
   * When `refresh` should next run (on the `ctx.now` clock, in ms), or `undefined` when nothing will
   * change without new events. Asked after every batch and every refresh.
   */
  nextRefresh?(state: S): number | undefined;
  /** Optional in-place path for recorders (see {@link InPlaceUpdate}). */
  readonly inPlace?: InPlaceUpdate<E, S>;
}

/** Any metric, whatever its event, state and dimension types (for registries and adapters). */
// Method syntax in `Metric` makes its parameters bivariant, so every Metric<E, S, D> is assignable here.
export type AnyMetric = Metric<MetricEvent, unknown, Dimensions>;

/**
 * The argument of {@link defineMetric}: a {@link Metric} whose `kind` is optional (default `'custom'`).
 * Unknown keys are refused (a misspelt `reducer` is an error, not a metric that never changes).
 */
export interface MetricDefinition<E extends MetricEvent, S, D extends Dimensions> {
  readonly name: string;
  readonly kind?: MetricKind;
  readonly description?: string;
  readonly unit?: string;
  accepts(event: MetricEvent): event is E;
  init(): S;
  reduce(state: S, event: E, ctx: MetricContext): S;
  dimensions(state: S): D;
  refresh?(state: S, ctx: MetricContext): S;
  nextRefresh?(state: S): number | undefined;
  readonly inPlace?: InPlaceUpdate<E, S>;
}

const DEFINITION_KEYS = [
  'name',
  'kind',
  'description',
  'unit',
  'accepts',
  'init',
  'reduce',
  'dimensions',
  'refresh',
  'nextRefresh',
  'inPlace',
] as const;
const IN_PLACE_KEYS = ['update', 'refresh', 'fork'] as const;

/**
 * Validates a metric definition and returns it as a frozen {@link Metric}.
 *
 * Each field is checked; a bad one throws a `TypeError` (wrong type, unknown key) or `RangeError` (empty
 * name, unknown kind) whose message names the field. `refresh` and `nextRefresh` come together.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { defineMetric, MetricsRecorder, type MetricEvent } from 'mvx-common';
 *
 * type Save = { type: 'doc.save'; outcome: 'success' | 'failure' };
 * const saves = defineMetric({
 *   name: 'doc.saves',
 *   kind: 'counter',
 *   accepts: (e: MetricEvent): e is Save => e.type === 'doc.save',
 *   init: () => ({ total: 0, failures: 0 }),
 *   reduce: (s, e) => ({ total: s.total + 1, failures: s.failures + (e.outcome === 'failure' ? 1 : 0) }),
 *   dimensions: (s) => s,
 * });
 * const recorder = new MetricsRecorder<Save>('docs');
 * recorder.registerMetric(saves);
 * recorder.emit({ type: 'doc.save', outcome: 'failure' });
 * console.log(JSON.stringify(recorder.getMetricSnapshot(saves)?.dimensions)); // → {"total":1,"failures":1}
 * ```
 */
export function defineMetric<E extends MetricEvent, S, D extends Dimensions>(
  definition: MetricDefinition<E, S, D>,
): Metric<E, S, D> {
  if (definition === undefined) throw typeError('definition', 'an object', definition);
  const d = readOptions('definition', definition, DEFINITION_KEYS);
  const name = checkString('definition.name', d.name, { nonEmpty: true });
  const kind = d.kind === undefined ? 'custom' : checkOneOf('definition.kind', d.kind, METRIC_KINDS);
  const description = checkOptionalString('definition.description', d.description);
  const unit = checkOptionalString('definition.unit', d.unit);
  type Def = MetricDefinition<E, S, D>;
  const accepts = checkFunction<Def['accepts']>('definition.accepts', d.accepts);
  const init = checkFunction<Def['init']>('definition.init', d.init);
  const reduce = checkFunction<Def['reduce']>('definition.reduce', d.reduce);
  const dimensions = checkFunction<Def['dimensions']>('definition.dimensions', d.dimensions);
  const refresh = optionalFunction<NonNullable<Def['refresh']>>('definition.refresh', d.refresh);
  const nextRefresh = optionalFunction<NonNullable<Def['nextRefresh']>>(
    'definition.nextRefresh',
    d.nextRefresh,
  );
  if ((refresh === undefined) !== (nextRefresh === undefined)) {
    throw new TypeError(
      'Expected `definition.refresh` and `definition.nextRefresh` together (a time-aware metric needs both)',
    );
  }
  const inPlace = d.inPlace === undefined ? undefined : checkInPlace<E, S>('definition.inPlace', d.inPlace);
  const metric: { -readonly [K in keyof Metric<E, S, D>]: Metric<E, S, D>[K] } = {
    name,
    kind,
    accepts,
    init,
    reduce,
    dimensions,
  };
  if (description !== undefined) metric.description = description;
  if (unit !== undefined) metric.unit = unit;
  if (refresh !== undefined) metric.refresh = refresh;
  if (nextRefresh !== undefined) metric.nextRefresh = nextRefresh;
  if (inPlace !== undefined) metric.inPlace = inPlace;
  return Object.freeze(metric);
}

function optionalFunction<F>(param: string, value: unknown): F | undefined {
  return value === undefined ? undefined : checkFunction<F>(param, value);
}

function checkInPlace<E extends MetricEvent, S>(param: string, value: unknown): InPlaceUpdate<E, S> {
  const o = readOptions(param, value, IN_PLACE_KEYS);
  const inPlace: { -readonly [K in keyof InPlaceUpdate<E, S>]: InPlaceUpdate<E, S>[K] } = {
    update: checkFunction(`${param}.update`, o.update),
    fork: checkFunction(`${param}.fork`, o.fork),
  };
  if (o.refresh !== undefined) inPlace.refresh = checkFunction(`${param}.refresh`, o.refresh);
  return Object.freeze(inPlace);
}

/**
 * Throws a `TypeError`/`RangeError` naming the field when `metric` does not satisfy the
 * {@link Metric} contract (used by `registerMetric`). A metric may be any object (a class instance
 * too); only the contract's fields are read, each once, and a throwing getter is a TypeError.
 * @internal
 */
export function checkMetric(param: string, metric: unknown): AnyMetric {
  if (metric === null || typeof metric !== 'object') throw typeError(param, 'a metric object', metric);
  const read = (key: string): unknown => {
    try {
      return (metric as Record<string, unknown>)[key];
    } catch (cause) {
      throw new TypeError(`Reading \`${param}.${key}\` threw`, { cause });
    }
  };
  checkString(`${param}.name`, read('name'), { nonEmpty: true });
  checkOneOf(`${param}.kind`, read('kind'), METRIC_KINDS);
  checkOptionalString(`${param}.description`, read('description'));
  checkOptionalString(`${param}.unit`, read('unit'));
  for (const fn of ['accepts', 'init', 'reduce', 'dimensions']) checkFunction(`${param}.${fn}`, read(fn));
  const refresh = read('refresh');
  const nextRefresh = read('nextRefresh');
  if (refresh !== undefined) checkFunction(`${param}.refresh`, refresh);
  if (nextRefresh !== undefined) checkFunction(`${param}.nextRefresh`, nextRefresh);
  if ((refresh === undefined) !== (nextRefresh === undefined)) {
    throw new TypeError(`Expected \`${param}.refresh\` and \`${param}.nextRefresh\` together`);
  }
  const inPlace = read('inPlace');
  if (inPlace !== undefined) {
    if (inPlace === null || typeof inPlace !== 'object') {
      throw typeError(`${param}.inPlace`, 'an object with `update` and `fork`', inPlace);
    }
    const ip = inPlace as Record<string, unknown>;
    checkFunction(`${param}.inPlace.update`, ip['update']);
    checkFunction(`${param}.inPlace.fork`, ip['fork']);
    if (ip['refresh'] !== undefined) checkFunction(`${param}.inPlace.refresh`, ip['refresh']);
  }
  return metric as AnyMetric;
}
