import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { rangeError, typeError } from '../../internal/validate.js';
import { compileBase, labelValue } from './internals.js';
import type { FieldOf, KindOptions } from './types.js';

/**
 * Options of {@link outcomeCounter}.
 *
 * ## Example
 * ```ts
 * const options: OutcomeCounterOptions<SaveAttempt, 'success' | 'failure'> = { name: 'doc.saves', on: 'doc.save' };
 * ```
 */
export interface OutcomeCounterOptions<A extends MetricEvent, O extends string> extends KindOptions<A> {
  /**
   * The outcome values with their own total (`<outcome>_total`); other values count in `other_total`.
   * Names: letters, digits and `_`, starting with a letter; `other` is reserved.
   * @default ['success', 'failure']
   */
  readonly outcomes?: readonly O[];
  /**
   * Where the outcome is read: a field name or a function.
   * @default 'outcome'
   */
  readonly outcome?: FieldOf<A> | ((event: A) => string | undefined);
}

/**
 * Snapshot dimensions of {@link outcomeCounter}: `total`, one `<outcome>_total` per declared outcome, and
 * `other_total` for any other (or missing) outcome.
 *
 * ## Example
 * ```ts
 * // { total: 3, success_total: 2, failure_total: 1, other_total: 0 }
 * ```
 */
export type OutcomeCounterDimensions<O extends string = 'success' | 'failure'> = {
  readonly total: number;
} & {
  readonly [K in O as `${K}_total`]: number;
} & { readonly other_total: number };

/**
 * State of {@link outcomeCounter}: `[total, ...per outcome, other]` (never mutated).
 *
 * ## Example
 * ```ts
 * const s: OutcomeCounterState = saves.init(); // [0, 0, 0, 0]
 * ```
 */
export type OutcomeCounterState = readonly number[];

/** An {@link outcomeCounter} metric. */
export type OutcomeCounterMetric<
  A extends MetricEvent = MetricEvent,
  O extends string = 'success' | 'failure',
> = Metric<A, OutcomeCounterState, OutcomeCounterDimensions<O>>;

const OUTCOME_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The reference's canonical metric: a total plus one total per outcome value. Kind `counter`; snapshots
 * merge exactly (every total adds).
 *
 * ## Example
 * ```ts
 * import { outcomeCounter } from 'mvx-common';
 *
 * const saves = outcomeCounter({ name: 'document_storage.save.attempts', on: 'document_storage.save.attempt' });
 * // dimensions: { total: 3, success_total: 2, failure_total: 1, other_total: 0 }
 * ```
 * @throws TypeError / RangeError naming the bad option.
 */
export function outcomeCounter<
  A extends MetricEvent = MetricEvent,
  const O extends string = 'success' | 'failure',
>(options: OutcomeCounterOptions<A, O>): OutcomeCounterMetric<A, O> {
  const base = compileBase(options);
  const outcomes = (options.outcomes ?? ['success', 'failure']) as readonly string[];
  const expected = 'a non-empty list of distinct outcome names (letters, digits, _; not `other`)';
  if (!Array.isArray(outcomes)) throw typeError('outcomes', expected, outcomes);
  if (outcomes.length === 0 || new Set(outcomes).size !== outcomes.length)
    throw rangeError('outcomes', expected, outcomes);
  outcomes.forEach((o: unknown, i) => {
    if (typeof o !== 'string') throw typeError(`outcomes[${i}]`, 'a string', o);
    if (!OUTCOME_NAME.test(o) || o === 'other') throw rangeError(`outcomes[${i}]`, expected, o);
  });
  const field = options.outcome ?? 'outcome';
  if (typeof field !== 'function' && (typeof field !== 'string' || field === '')) {
    throw typeError('outcome', 'a field name or a function', field);
  }
  const read =
    typeof field === 'function'
      ? (field as (event: MetricEvent) => unknown)
      : (event: MetricEvent) => (event as unknown as Record<string, unknown>)[field];
  const names = Object.freeze([...outcomes]);
  const other = outcomes.length + 1;
  const zero = Object.freeze(new Array<number>(outcomes.length + 2).fill(0));
  // Per event: one linear scan (outcome lists are short; equal interned strings compare by pointer) and
  // one copy of a small packed array.
  const slotOf = (value: unknown): number => {
    if (typeof value === 'string') {
      for (let i = 0; i < names.length; i++) if (names[i] === value) return i + 1;
      return other;
    }
    const label = labelValue(value);
    for (let i = 0; i < names.length; i++) if (names[i] === label) return i + 1;
    return other;
  };
  // Small states are rebuilt as array literals (cheaper than `slice()`, which is slowest on frozen arrays).
  const bump: (state: OutcomeCounterState, slot: number) => OutcomeCounterState =
    other === 2
      ? (s, slot) => [
          (s[0] as number) + 1,
          (s[1] as number) + +(slot === 1),
          (s[2] as number) + +(slot === 2),
        ]
      : other === 3
        ? (s, slot) => [
            (s[0] as number) + 1,
            (s[1] as number) + +(slot === 1),
            (s[2] as number) + +(slot === 2),
            (s[3] as number) + +(slot === 3),
          ]
        : other === 4
          ? (s, slot) => [
              (s[0] as number) + 1,
              (s[1] as number) + +(slot === 1),
              (s[2] as number) + +(slot === 2),
              (s[3] as number) + +(slot === 3),
              (s[4] as number) + +(slot === 4),
            ]
          : (s, slot) => {
              const next = s.slice();
              next[0] = (next[0] as number) + 1;
              next[slot] = (next[slot] as number) + 1;
              return next;
            };
  return Object.freeze({
    ...base,
    kind: 'counter',
    init: (): OutcomeCounterState => zero,
    reduce: (state: OutcomeCounterState, event: A): OutcomeCounterState => bump(state, slotOf(read(event))),
    dimensions(state: OutcomeCounterState): OutcomeCounterDimensions<O> {
      const out: Record<string, number> = { total: state[0] ?? 0 };
      outcomes.forEach((o, i) => (out[`${o}_total`] = state[i + 1] ?? 0));
      out['other_total'] = state[other] ?? 0;
      return out as OutcomeCounterDimensions<O>;
    },
  });
}
