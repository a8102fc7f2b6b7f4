import type { MetricEvent } from '../event.js';
import type { Metric } from '../metric.js';
import { rangeError, typeError } from '../../internal/validate.js';
import { defineKind } from './internal/defineKind.js';
import { readKindOptions } from './internal/kindOptions.js';
import { labelString } from './internal/labels.js';
import type { FieldOf, KindOptions } from './types.js';

/**
 * Options of {@link outcomeCounter}.
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
 */
export type OutcomeCounterDimensions<O extends string = 'success' | 'failure'> = {
  readonly total: number;
} & {
  readonly [K in O as `${K}_total`]: number;
} & { readonly other_total: number };

/** State of {@link outcomeCounter}: `[total, ...per outcome, other]` counts. */
export interface OutcomeCounterState {
  /** Owner token (copy-on-write). */
  o: number;
  /** Owner of `counts`. */
  co: number;
  counts: number[];
}

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
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder, outcomeCounter } from 'mvx-common';
 *
 * const saves = outcomeCounter({ name: 'document_storage.save.attempts', on: 'document_storage.save.attempt' });
 * const recorder = new MetricsRecorder('document_storage');
 * recorder.registerMetric(saves);
 * for (const outcome of ['success', 'success', 'failure', 'timeout']) {
 *   recorder.emit({ type: 'document_storage.save.attempt', outcome });
 * }
 * console.log(JSON.stringify(recorder.getMetricSnapshot(saves)!.dimensions));
 * // → {"total":4,"success_total":2,"failure_total":1,"other_total":1}
 * ```
 * @throws TypeError / RangeError naming the bad option (unknown options included).
 */
export function outcomeCounter<
  A extends MetricEvent = MetricEvent,
  const O extends string = 'success' | 'failure',
>(options: OutcomeCounterOptions<A, O>): OutcomeCounterMetric<A, O> {
  const { values, base } = readKindOptions(options, ['outcomes', 'outcome']);
  const outcomes = (values.outcomes ?? ['success', 'failure']) as readonly string[];
  const expected = 'a non-empty list of distinct outcome names (letters, digits, _; not `other`)';
  if (!Array.isArray(outcomes)) throw typeError('outcomes', expected, outcomes);
  if (outcomes.length === 0 || outcomes.length > 64 || new Set(outcomes).size !== outcomes.length)
    throw rangeError('outcomes', expected, outcomes);
  outcomes.forEach((o: unknown, i) => {
    if (typeof o !== 'string') throw typeError(`outcomes[${i}]`, 'a string', o);
    if (!OUTCOME_NAME.test(o) || o === 'other') throw rangeError(`outcomes[${i}]`, expected, o);
  });
  const field = values.outcome ?? 'outcome';
  if (typeof field !== 'function' && (typeof field !== 'string' || field === '')) {
    throw typeError('outcome', 'a field name or a function', field);
  }
  const read =
    typeof field === 'function'
      ? (field as (event: MetricEvent) => unknown)
      : field in Object.prototype
        ? (event: MetricEvent) =>
            Object.hasOwn(event, field) ? (event as unknown as Record<string, unknown>)[field] : undefined
        : (event: MetricEvent) => (event as unknown as Record<string, unknown>)[field];
  const names = Object.freeze([...outcomes]);
  const other = outcomes.length + 1;
  // Per event: one linear scan (outcome lists are short; equal interned strings compare by pointer).
  const slotOf = (value: unknown): number => {
    if (typeof value === 'string') {
      for (let i = 0; i < names.length; i++) if (names[i] === value) return i + 1;
      return other;
    }
    const label = labelString(value, 256);
    if (label === undefined) return other;
    for (let i = 0; i < names.length; i++) if (names[i] === label) return i + 1;
    return other;
  };
  const width = outcomes.length + 2;
  return defineKind<A, OutcomeCounterState, OutcomeCounterDimensions<O>>({
    base,
    kind: 'counter',
    init: (owner) => ({ o: owner, co: owner, counts: new Array<number>(width).fill(0) }),
    update(s: OutcomeCounterState, event: A): boolean {
      const slot = slotOf(read(event));
      if (s.co !== s.o) {
        s.counts = s.counts.slice();
        s.co = s.o;
      }
      const c = s.counts;
      c[0] = (c[0] as number) + 1;
      c[slot] = (c[slot] as number) + 1;
      return true;
    },
    fork: (s, owner) => ({ o: owner, co: s.co, counts: s.counts }),
    dimensions(s: OutcomeCounterState): OutcomeCounterDimensions<O> {
      const c = s.counts;
      const out: Record<string, number> = { total: c[0] ?? 0 };
      outcomes.forEach((o, i) => (out[`${o}_total`] = c[i + 1] ?? 0));
      out['other_total'] = c[other] ?? 0;
      return out as OutcomeCounterDimensions<O>;
    },
  });
}
