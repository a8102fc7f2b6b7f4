/**
 * Shared option compilation for the built-in kinds.
 * @internal
 */
import type { MetricEvent } from '../event.js';
import {
  checkOptionalString,
  checkPlainObject,
  checkPositiveInteger,
  checkString,
  rangeError,
  typeError,
} from '../../internal/validate.js';
import { DEFAULT_MAX_SERIES, type KindOptions, type LabelInput, type SeriesLabels } from './types.js';

/** Validated common options. @internal */
export interface BaseParts<A extends MetricEvent> {
  readonly name: string;
  readonly description?: string;
  readonly unit?: string;
  readonly accepts: (event: MetricEvent) => event is A;
}

/** Validates `options` (an object with `name`, `on`, `description?`, `unit?`). @internal */
export function compileBase<A extends MetricEvent>(options: KindOptions<A>): BaseParts<A> {
  checkPlainObject('options', options);
  const name = checkString('name', options.name, { nonEmpty: true });
  const description = checkOptionalString('description', options.description);
  const unit = checkOptionalString('unit', options.unit);
  return {
    name,
    ...(description === undefined ? {} : { description }),
    ...(unit === undefined ? {} : { unit }),
    accepts: compileOn<A>(options.on),
  };
}

const ON_EXPECTED = 'an event type, a non-empty list of event types, or a type-guard function';

function compileOn<A extends MetricEvent>(on: unknown): (event: MetricEvent) => event is A {
  if (typeof on === 'function') return on as (event: MetricEvent) => event is A;
  if (typeof on === 'string') {
    if (on === '') throw rangeError('on', ON_EXPECTED, on);
    return (event): event is A => event.type === on;
  }
  if (Array.isArray(on)) {
    if (on.length === 0) throw rangeError('on', ON_EXPECTED, on);
    on.forEach((t: unknown, i) => checkString(`on[${i}]`, t, { nonEmpty: true }));
    const types = new Set<string>(on as string[]);
    return (event): event is A => types.has(event.type);
  }
  throw typeError('on', ON_EXPECTED, on);
}

/** Reads the raw (unchecked) number of an event. @internal */
export type ValueReader = (event: MetricEvent) => unknown;

/** Compiles a `value` option (field name or function); `undefined` when absent and optional. @internal */
export function compileValue(param: string, value: unknown, required: true): ValueReader;
/** @internal */
export function compileValue(param: string, value: unknown, required: false): ValueReader | undefined;
export function compileValue(param: string, value: unknown, required: boolean): ValueReader | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === 'function') return value as ValueReader;
  if (typeof value === 'string' && value !== '') {
    return (event) => (event as unknown as Record<string, unknown>)[value];
  }
  const expected = 'a numeric event field name or a function returning a number';
  if (typeof value === 'string') throw rangeError(param, expected, value);
  throw typeError(param, expected, value);
}

const isFiniteNumber = Number.isFinite;

/** A finite number, or `undefined` for anything else (a refused value). @internal */
export function finite(raw: unknown): number | undefined {
  return typeof raw === 'number' && isFiniteNumber(raw) ? raw : undefined;
}

/** Converts a label input to its snapshot string. @internal */
export function labelValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return String(v);
}

/** Canonical, order-independent key of a label set (also the series sort key). @internal */
export function canonicalKey(labels: SeriesLabels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) key += `${JSON.stringify(n)}:${JSON.stringify(labels[n])},`;
  return key;
}

/**
 * Nested lookup maps of a labelled metric: one level per label (keyed by the label's string value), the
 * last level mapping to a series slot. Built without concatenating strings per event.
 * @internal
 */
export type LabelLookup = Map<string, unknown>;

/** Derives the series lookup path and labels of an event. @internal */
export interface Labeller {
  /** The slot of the event's label set in `lookup` (cheap; called per event), or `undefined`. */
  find(lookup: LabelLookup, event: MetricEvent): number | undefined;
  /** The lookup path of the event's label set (computed once per new series). */
  path(event: MetricEvent): readonly string[];
  /** The labels (computed once per new series). */
  labels(event: MetricEvent): SeriesLabels;
  readonly maxSeries: number;
}

/** Records `slot` under `path` in `lookup`, creating the intermediate levels. @internal */
export function insertPath(lookup: LabelLookup, path: readonly string[], slot: number): void {
  let level = lookup;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const k = path[i] as string;
    let next = level.get(k) as LabelLookup | undefined;
    if (next === undefined) {
      next = new Map();
      level.set(k, next);
    }
    level = next;
  }
  level.set(path[last] as string, slot);
}

type Fields = Record<string, unknown>;

/** Compiles `by` and `maxSeries`; `null` when the metric is unlabelled. @internal */
export function compileLabeller(by: unknown, maxSeries: unknown): Labeller | null {
  const max = maxSeries === undefined ? DEFAULT_MAX_SERIES : checkPositiveInteger('maxSeries', maxSeries);
  if (by === undefined) return null;
  if (typeof by === 'function') {
    const fn = by as (event: MetricEvent) => { readonly [label: string]: LabelInput };
    const labelsOf = (event: MetricEvent): SeriesLabels => {
      const raw = fn(event) as unknown;
      if (raw === null || typeof raw !== 'object') throw typeError('by(event)', 'an object of labels', raw);
      const out: Record<string, string> = {};
      for (const k of Object.keys(raw)) out[k] = labelValue((raw as Record<string, unknown>)[k]);
      return out;
    };
    return {
      find: (lookup, event) => lookup.get(canonicalKey(labelsOf(event))) as number | undefined,
      path: (event) => [canonicalKey(labelsOf(event))],
      labels: labelsOf,
      maxSeries: max,
    };
  }
  const expected = 'a non-empty list of distinct field names or a function returning labels';
  if (!Array.isArray(by)) throw typeError('by', expected, by);
  if (by.length === 0 || new Set(by).size !== by.length) throw rangeError('by', expected, by);
  by.forEach((k: unknown, i) => checkString(`by[${i}]`, k, { nonEmpty: true }));
  const keys = Object.freeze([...(by as readonly string[])]);
  const labels = (event: MetricEvent): SeriesLabels => {
    const e = event as unknown as Fields;
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = labelValue(e[k]);
    return out;
  };
  const path = (event: MetricEvent): readonly string[] => {
    const e = event as unknown as Fields;
    return keys.map((k) => labelValue(e[k]));
  };
  if (keys.length === 1) {
    const k0 = keys[0] as string;
    return {
      find: (lookup, event) => lookup.get(labelValue((event as unknown as Fields)[k0])) as number | undefined,
      path,
      labels,
      maxSeries: max,
    };
  }
  if (keys.length === 2) {
    const [k0, k1] = keys as unknown as [string, string];
    return {
      find: (lookup, event) => {
        const e = event as unknown as Fields;
        const level = lookup.get(labelValue(e[k0])) as LabelLookup | undefined;
        return level === undefined ? undefined : (level.get(labelValue(e[k1])) as number | undefined);
      },
      path,
      labels,
      maxSeries: max,
    };
  }
  return {
    find: (lookup, event) => {
      const e = event as unknown as Fields;
      let level: unknown = lookup;
      for (let i = 0; i < keys.length; i++) {
        level = (level as LabelLookup).get(labelValue(e[keys[i] as string]));
        if (level === undefined) return undefined;
      }
      return level as number;
    },
    path,
    labels,
    maxSeries: max,
  };
}
