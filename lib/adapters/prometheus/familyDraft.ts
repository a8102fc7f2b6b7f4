import type { PromType } from './promNames.js';

/** Label name to value (names already valid). */
export type Labels = { [name: string]: string };

/**
 * One exposition line, shaped as prom-client's text formatter reads it: a value, the labels it adds to
 * its series (`le`, `quantile`, or none), the series' labels as `sharedLabels` (formatted once per
 * series), and for `_bucket` / `_sum` / `_count` its sample name.
 */
export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly sharedLabels: Labels;
  readonly metricName?: string;
}

/** The labels of a sample that adds none to its series (shared, frozen). */
export const NO_LABELS: Labels = Object.freeze({}) as Labels;

const extraLabels = new Map<string, Labels>();

/** A frozen `{ [name]: value }` for `le` / `quantile` values, shared across scrapes. */
export function extraLabel(name: 'le' | 'quantile', value: string): Labels {
  const key = `${name}=${value}`;
  let labels = extraLabels.get(key);
  if (labels === undefined) {
    labels = Object.freeze({ [name]: value }) as Labels;
    if (extraLabels.size < 10_000) extraLabels.set(key, labels);
  }
  return labels;
}

/** One series of a family (a histogram or summary series has several samples). */
export interface SeriesDraft {
  /** The series' labels (without `le` / `quantile`), for duplicate detection. */
  readonly labels: Labels;
  readonly samples: readonly Sample[];
}

/** prom-client's `AggregatorRegistry` aggregation of a family across cluster workers. */
export type Aggregator = 'sum' | 'max' | 'min';

/**
 * The samples one exposure contributes to one metric family in one scrape.
 * (Internal to the adapter: not exported from the entry point.)
 */
export interface FamilyDraft {
  readonly name: string;
  readonly type: PromType;
  readonly help: string;
  readonly aggregator: Aggregator;
  /** What the family comes from: the source metric's name, or the adapter's own family name. */
  readonly origin: string;
  readonly series: SeriesDraft[];
}

const keys = new WeakMap<Labels, string>();

/**
 * A canonical key of a label set (order-independent), memoized per labels object (series labels are
 * reused from scrape to scrape while their snapshot does not change). @internal
 */
export function labelsKey(labels: Labels): string {
  let key = keys.get(labels);
  if (key === undefined) {
    const names = Object.keys(labels);
    if (names.length > 1) names.sort();
    key = '';
    for (const n of names) key += `${n}\u0001${labels[n]}\u0002`;
    keys.set(labels, key);
  }
  return key;
}
