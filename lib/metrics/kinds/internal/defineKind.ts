/**
 * Builds a built-in metric from its in-place definition: the recorder uses the in-place path
 * (`inPlace.update` / `inPlace.refresh` / `inPlace.fork`), and the pure contract (`reduce`, `refresh`)
 * is derived from it by forking first, so `aggregate` and every reader of old states see persistent
 * states. The metric's dimensions are marked fresh (frozen in place, not copied, by the recorder).
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { MetricEvent } from '../../event.js';
import type { InPlaceUpdate, Metric, MetricContext, MetricKind } from '../../metric.js';
import type { Dimensions } from '../../snapshot.js';
import { markFreshDimensions } from '../../snapshots/freshDimensions.js';
import type { BaseParts } from './kindOptions.js';
import { newOwner } from './owner.js';

/** The in-place definition of a built-in kind. */
export interface KindDefinition<A extends MetricEvent, S, D extends Dimensions> {
  readonly base: BaseParts<MetricEvent>;
  readonly kind: MetricKind;
  /** Overrides `base.accepts` (e.g. to accept removal events too). */
  readonly accepts?: (event: MetricEvent) => event is A;
  /** A fresh state owned by `owner`. */
  init(owner: number): S;
  /** Applies `event` in place; true when the snapshot may have changed. Never throws after mutating. */
  update(state: S, event: A, ctx: MetricContext): boolean;
  /** A copy-on-write copy of `state` owned by `owner`. */
  fork(state: S, owner: number): S;
  dimensions(state: S): D;
  /** Time-aware kinds: applies the passage of time in place; true when changed. */
  refresh?(state: S, ctx: MetricContext): boolean;
  /** Time-aware kinds: when `refresh` should next run. */
  nextRefresh?(state: S): number | undefined;
}

/** The frozen metric of a kind definition. */
export function defineKind<A extends MetricEvent, S, D extends Dimensions>(
  def: KindDefinition<A, S, D>,
): Metric<A, S, D> {
  const { update, fork, dimensions, refresh, nextRefresh } = def;
  const inPlace: InPlaceUpdate<A, S> = Object.freeze({
    update,
    fork: (state: S) => fork(state, newOwner()),
    ...(refresh === undefined ? {} : { refresh }),
  });
  const metric: { -readonly [K in keyof Metric<A, S, D>]: Metric<A, S, D>[K] } = {
    name: def.base.name,
    kind: def.kind,
    accepts: def.accepts ?? (def.base.accepts as (event: MetricEvent) => event is A),
    init: () => def.init(newOwner()),
    reduce(state: S, event: A, ctx: MetricContext): S {
      const next = fork(state, newOwner());
      return update(next, event, ctx) ? next : state;
    },
    dimensions,
    inPlace,
  };
  if (def.base.description !== undefined) metric.description = def.base.description;
  if (def.base.unit !== undefined) metric.unit = def.base.unit;
  if (refresh !== undefined && nextRefresh !== undefined) {
    metric.refresh = (state: S, ctx: MetricContext): S => {
      const next = fork(state, newOwner());
      return refresh(next, ctx) ? next : state;
    };
    metric.nextRefresh = nextRefresh;
  }
  return Object.freeze(markFreshDimensions(metric));
}
