/**
 * The shared machinery of `counter` and `upDownCounter`: a sum, optionally per label set, updated in
 * place. Values that are not finite numbers, that the kind refuses (negative for a counter), or that
 * would make a sum overflow to `Infinity` are refused and counted in `refused`.
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { MetricEvent } from '../../event.js';
import type { Metric, MetricContext, MetricKind } from '../../metric.js';
import type { SeriesLabels } from '../types.js';
import { defineKind } from './defineKind.js';
import { finite, type BaseParts, type LabelledParts, type ValueReader } from './kindOptions.js';
import {
  cellAt,
  createSeries,
  forkSeries,
  listSeries,
  OVERFLOW,
  REFUSED,
  removeSeriesOf,
  seriesSlot,
  setCell,
  sweepExpired,
  touch,
  type Series,
} from './seriesTable.js';

/**
 * State of a `counter` or `upDownCounter` (updated in place by a recorder; copy-on-write otherwise).
 */
export interface SumState {
  /** Owner token (copy-on-write). */
  o: number;
  /** Sum over every event (series removed later included). */
  sum: number;
  /** Events whose value was refused. */
  refused: number;
  /** Per label set, or `null` when unlabelled. */
  series: Series<number> | null;
}

/** Dimensions of a sum kind whose value dimension is `K`. */
export type SumDimensions<K extends string> = { readonly [P in K]: number } & {
  readonly refused: number;
  readonly overflow: number;
  readonly evicted: number;
  readonly series: readonly ({ readonly labels: SeriesLabels } & { readonly [P in K]: number })[];
};

const isFiniteNumber = Number.isFinite;

/** Builds a sum kind: `key` names its value dimension (`total` or `value`). */
export function sumKind<A extends MetricEvent, K extends 'total' | 'value'>(
  base: BaseParts<MetricEvent>,
  kind: MetricKind,
  key: K,
  valueOf: ValueReader | undefined,
  acceptValue: (v: number) => boolean,
  labelled: LabelledParts,
): Metric<A, SumState, SumDimensions<K>> {
  const { rules, removeOn } = labelled;
  const onEvent = base.accepts;
  const accepts = removeOn === undefined ? undefined : (e: MetricEvent): e is A => onEvent(e) || removeOn(e);
  const refuse = (s: SumState): boolean => {
    s.refused++;
    return true;
  };
  const update = (s: SumState, event: A, ctx: MetricContext): boolean => {
    const series = s.series;
    if (removeOn !== undefined && series !== null && rules !== null && removeOn(event)) {
      return removeSeriesOf(series, rules, event);
    }
    let v = 1;
    if (valueOf !== undefined) {
      const raw = finite(valueOf(event));
      if (raw === undefined || !acceptValue(raw)) return refuse(s);
      v = raw;
    }
    const sum = s.sum + v;
    if (!isFiniteNumber(sum)) return refuse(s);
    if (series === null || rules === null) {
      if (v === 0) return false;
      s.sum = sum;
      return true;
    }
    const now = ctx.now;
    const slot = seriesSlot(series, rules, event, now);
    if (slot === REFUSED) return refuse(s);
    if (slot === OVERFLOW) {
      const cell = (series.overflowCell ?? 0) + v;
      if (!isFiniteNumber(cell)) return refuse(s);
      series.overflowCell = cell;
      series.overflow++;
      s.sum = sum;
      return true;
    }
    const previous = cellAt(series, slot);
    if (previous !== undefined && v === 0) {
      touch(series, slot, now);
      return false;
    }
    const cell = (previous ?? 0) + v;
    if (!isFiniteNumber(cell)) return refuse(s);
    setCell(series, slot, cell, now);
    s.sum = sum;
    return true;
  };
  const ttl = rules?.ttlMs;
  return defineKind<A, SumState, SumDimensions<K>>({
    base,
    kind,
    ...(accepts === undefined ? {} : { accepts }),
    init: (owner) => ({
      o: owner,
      sum: 0,
      refused: 0,
      series: rules === null ? null : createSeries<number>(owner, rules),
    }),
    update,
    fork: (s, owner) => ({
      o: owner,
      sum: s.sum,
      refused: s.refused,
      series: s.series === null ? null : forkSeries(s.series, owner),
    }),
    dimensions: (s) =>
      ({
        [key]: s.sum,
        refused: s.refused,
        overflow: s.series === null ? 0 : s.series.overflow,
        evicted: s.series === null ? 0 : s.series.evicted,
        series:
          s.series === null
            ? []
            : listSeries(
                s.series,
                (labels: SeriesLabels, cell: number) => ({ labels, [key]: cell }),
                undefined,
                Object.freeze, // frozen labels and a number: nothing deeper to freeze
              ),
      }) as unknown as SumDimensions<K>,
    ...(ttl === undefined || rules === null
      ? {}
      : {
          refresh: (s: SumState, ctx: MetricContext) =>
            s.series !== null && sweepExpired(s.series, rules, ctx.now) > 0,
          nextRefresh: (s: SumState) => s.series?.sweepAt,
        }),
  });
}
