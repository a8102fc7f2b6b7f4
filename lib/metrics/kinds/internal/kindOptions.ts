/**
 * Option compilation shared by the built-in kinds: strict keys, the common fields, `on` / `removeOn`,
 * `value`, and the labelled options (`by`, `maxSeries`, `maxLabelLength`, `ttlMs`).
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { MetricEvent } from '../../event.js';
import {
  checkOptionalString,
  checkPositiveInteger,
  checkString,
  rangeError,
  readOptions,
  typeError,
} from '../../../internal/validate.js';
import { DEFAULT_MAX_SERIES } from '../types.js';
import { DEFAULT_MAX_LABEL_LENGTH, fieldLabeller, functionLabeller } from './labels.js';
import type { SeriesRules } from './seriesTable.js';

/** Keys every kind accepts. */
export const BASE_KEYS = ['name', 'on', 'description', 'unit'] as const;
/** Keys every labelled kind accepts besides {@link BASE_KEYS}. */
export const LABELLED_KEYS = ['by', 'maxSeries', 'maxLabelLength', 'ttlMs', 'removeOn'] as const;

/** Validated common options. */
export interface BaseParts<A extends MetricEvent> {
  readonly name: string;
  readonly description?: string;
  readonly unit?: string;
  readonly accepts: (event: MetricEvent) => event is A;
}

/** Reads `options` strictly (unknown keys refused) and validates the common fields. */
export function readKindOptions<K extends string>(
  options: unknown,
  keys: readonly K[],
): {
  readonly values: { readonly [P in K | (typeof BASE_KEYS)[number]]?: unknown };
  readonly base: BaseParts<MetricEvent>;
} {
  if (options === undefined) throw typeError('options', 'an object', options);
  const values = readOptions('options', options, [...BASE_KEYS, ...keys]);
  const name = checkString('name', values.name, { nonEmpty: true });
  const description = checkOptionalString('description', values.description);
  const unit = checkOptionalString('unit', values.unit);
  const base: BaseParts<MetricEvent> = {
    name,
    ...(description === undefined ? {} : { description }),
    ...(unit === undefined ? {} : { unit }),
    accepts: compileOn('on', values.on),
  };
  return { values, base };
}

const ON_EXPECTED = 'an event type, a non-empty list of event types, or a type-guard function';

/** Compiles `on` (or `removeOn`): one type, a list of types, or a guard. */
export function compileOn<A extends MetricEvent>(
  param: string,
  on: unknown,
): (event: MetricEvent) => event is A {
  if (typeof on === 'function') return on as (event: MetricEvent) => event is A;
  if (typeof on === 'string') {
    if (on.trim() === '') throw rangeError(param, ON_EXPECTED, on); // blank, as in a list
    return (event): event is A => event.type === on;
  }
  if (Array.isArray(on)) {
    if (on.length === 0) throw rangeError(param, ON_EXPECTED, on);
    on.forEach((t: unknown, i) => checkString(`${param}[${i}]`, t, { nonEmpty: true }));
    if (on.length === 1) {
      const only = on[0] as string;
      return (event): event is A => event.type === only;
    }
    const types = new Set<string>(on as string[]);
    return (event): event is A => types.has(event.type);
  }
  throw typeError(param, ON_EXPECTED, on);
}

/** Reads the raw (unchecked) number of an event. */
export type ValueReader = (event: MetricEvent) => unknown;

/** Compiles a `value` option (field name or function); `undefined` when absent and optional. */
export function compileValue(param: string, value: unknown, required: true): ValueReader;
export function compileValue(param: string, value: unknown, required: false): ValueReader | undefined;
export function compileValue(param: string, value: unknown, required: boolean): ValueReader | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === 'function') return value as ValueReader;
  if (typeof value === 'string' && value !== '') {
    if (value === '__proto__') {
      return (event) =>
        Object.hasOwn(event, value) ? (event as unknown as Record<string, unknown>)[value] : undefined;
    }
    return (event) => (event as unknown as Record<string, unknown>)[value];
  }
  const expected = 'a numeric event field name or a function returning a number';
  if (typeof value === 'string') throw rangeError(param, expected, value);
  throw typeError(param, expected, value);
}

/** A positive finite number of milliseconds, or undefined when absent. */
export function checkOptionalMs(param: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const expected = 'a positive finite number of milliseconds';
  if (typeof value !== 'number') throw typeError(param, expected, value);
  if (!Number.isFinite(value) || value <= 0) throw rangeError(param, expected, value);
  return value;
}

/** The compiled labelled options: series rules (null when unlabelled) and the removal filter. */
export interface LabelledParts {
  readonly rules: SeriesRules | null;
  readonly removeOn: ((event: MetricEvent) => boolean) | undefined;
}

/** Upper bound of `maxLabelLength`. */
export const MAX_LABEL_LENGTH_LIMIT = 65_536;

/** Compiles `by`, `maxSeries`, `maxLabelLength`, `ttlMs` and `removeOn`. */
export function compileLabelled(values: {
  readonly by?: unknown;
  readonly maxSeries?: unknown;
  readonly maxLabelLength?: unknown;
  readonly ttlMs?: unknown;
  readonly removeOn?: unknown;
}): LabelledParts {
  const maxSeries =
    values.maxSeries === undefined ? DEFAULT_MAX_SERIES : checkPositiveInteger('maxSeries', values.maxSeries);
  const maxLabelLength =
    values.maxLabelLength === undefined
      ? DEFAULT_MAX_LABEL_LENGTH
      : checkPositiveInteger('maxLabelLength', values.maxLabelLength);
  if (maxLabelLength > MAX_LABEL_LENGTH_LIMIT) {
    throw rangeError('maxLabelLength', `a positive integer up to ${MAX_LABEL_LENGTH_LIMIT}`, maxLabelLength);
  }
  const ttlMs = checkOptionalMs('ttlMs', values.ttlMs);
  const by = values.by;
  const labelledOnly = (key: string, v: unknown): void => {
    if (v !== undefined) throw new TypeError(`Expected \`options.${key}\` only with \`by\` (labels)`);
  };
  if (by === undefined) {
    labelledOnly('ttlMs', values.ttlMs);
    labelledOnly('removeOn', values.removeOn);
    return { rules: null, removeOn: undefined };
  }
  const removeOn = values.removeOn === undefined ? undefined : compileOn('removeOn', values.removeOn);
  if (typeof by === 'function') {
    const fn = by as (event: MetricEvent) => { readonly [label: string]: unknown };
    return { rules: { labeller: functionLabeller(fn, maxLabelLength), maxSeries, ttlMs }, removeOn };
  }
  const expected = 'a non-empty list of distinct field names or a function returning labels';
  if (!Array.isArray(by)) throw typeError('by', expected, by);
  if (by.length === 0 || by.length > 32 || new Set(by).size !== by.length)
    throw rangeError('by', expected, by);
  by.forEach((k: unknown, i) => checkString(`by[${i}]`, k, { nonEmpty: true }));
  return { rules: { labeller: fieldLabeller(by as string[], maxLabelLength), maxSeries, ttlMs }, removeOn };
}

const isFiniteNumber = Number.isFinite;

/** A finite number, or `undefined` for anything else (a refused value). */
export function finite(raw: unknown): number | undefined {
  return typeof raw === 'number' && isFiniteNumber(raw) ? raw : undefined;
}
