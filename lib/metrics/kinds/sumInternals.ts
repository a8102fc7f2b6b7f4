/**
 * Shared reducer of `counter` and `upDownCounter`: a sum, optionally per label set.
 * @internal
 */
import type { MetricEvent } from '../event.js';
import type { MetricContext } from '../metric.js';
import type { Labeller, ValueReader } from './internals.js';
import { emptySeries, listSeries, updateSeries, type SeriesStore } from './series.js';
import type { SeriesLabels } from './types.js';

/**
 * State of a `counter` or `upDownCounter` (persistent; never mutated).
 *
 * ## Example
 * ```ts
 * const s0: SumState = saves.init();
 * ```
 */
export interface SumState {
  /** Sum over every series. */
  readonly sum: number;
  /** Events whose value was refused. */
  readonly refused: number;
  /** Per label set, or `null` when unlabelled. */
  readonly series: SeriesStore<number> | null;
}

/** @internal */
export type SumDimensions<K extends string> = { readonly [P in K]: number } & {
  readonly refused: number;
  readonly overflow: number;
  readonly series: readonly ({ readonly labels: SeriesLabels } & { readonly [P in K]: number })[];
};

const addCell = (cell: number | undefined, v: number): number =>
  cell === undefined ? v : v === 0 ? cell : cell + v;

/** Builds init/reduce/dimensions for a sum kind whose dimension is `key`. @internal */
export function sumParts<K extends 'total' | 'value'>(
  key: K,
  valueOf: ValueReader | undefined,
  accept: (v: number) => boolean,
  labeller: Labeller | null,
) {
  const init = (): SumState => ({
    sum: 0,
    refused: 0,
    series: labeller === null ? null : emptySeries<number>(),
  });
  const reduce = (state: SumState, event: MetricEvent, ctx: MetricContext): SumState => {
    let v = 1;
    if (valueOf !== undefined) {
      const raw = valueOf(event);
      if (typeof raw !== 'number' || !Number.isFinite(raw) || !accept(raw)) {
        return { sum: state.sum, refused: state.refused + 1, series: state.series };
      }
      v = raw;
    }
    if (state.series === null || labeller === null) {
      return v === 0 ? state : { sum: state.sum + v, refused: state.refused, series: null };
    }
    const series = updateSeries(state.series, labeller, event, v, ctx.now, addCell);
    return series === state.series && v === 0
      ? state
      : { sum: state.sum + v, refused: state.refused, series };
  };
  const dimensions = (state: SumState): SumDimensions<K> =>
    ({
      [key]: state.sum,
      refused: state.refused,
      overflow: state.series === null ? 0 : state.series.overflow,
      series:
        state.series === null
          ? []
          : listSeries(state.series, (labels: SeriesLabels, cell: number) => ({ labels, [key]: cell })),
    }) as unknown as SumDimensions<K>;
  return { init, reduce, dimensions };
}
