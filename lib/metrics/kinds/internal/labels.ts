/**
 * Labels of labelled kinds: how an event's label set is read (event fields or a function), turned into
 * bounded strings, and found in a series lookup without building strings per event.
 * (Internal to the kinds: not exported from the package entry points.)
 */
import type { MetricEvent } from '../../event.js';
import { setOwn } from '../../../internal/ownProperty.js';
import type { SeriesLabels } from '../types.js';

/** Default bound on the length of one label value, in UTF-16 code units (longer values are truncated). */
export const DEFAULT_MAX_LABEL_LENGTH = 256;
/** Bound on the number of labels a `by` function may return for one event (more: the event is refused). */
export const MAX_LABELS = 32;

/** Nested lookup maps: one level per label (keyed by its string value); the last level maps to a slot. */
export type LabelLookup = Map<string, unknown>;

/**
 * The label value of a raw event field: strings (truncated to `max`), numbers, booleans and bigints as
 * strings, `null`/`undefined` as `''`; anything else (objects, symbols, functions) is `undefined`: the
 * event is refused. Never throws (no `toString` of user objects is called).
 */
export function labelString(v: unknown, max: number): string | undefined {
  if (typeof v === 'string') return v.length > max ? v.slice(0, max) : v;
  if (v === undefined || v === null) return '';
  const t = typeof v;
  if (t === 'number' || t === 'boolean' || t === 'bigint') {
    const s = String(v);
    return s.length > max ? s.slice(0, max) : s;
  }
  return undefined;
}

type FieldReader = (event: MetricEvent) => unknown;

/**
 * The reader of label field `key`. Names that `Object.prototype` has (`__proto__`, `constructor`,
 * `toString`, ...) are read as own properties only: otherwise every event would carry them. A throwing
 * getter throws: the metric's failure, isolated by the recorder.
 */
function fieldReader(key: string): FieldReader {
  if (key in Object.prototype) {
    return (event) =>
      Object.hasOwn(event, key) ? (event as unknown as Record<string, unknown>)[key] : undefined;
  }
  return (event) => (event as unknown as Record<string, unknown>)[key];
}

/**
 * Reads label sets from events and keeps a nested lookup from label values to series slots. `find` and
 * `insert` work on one event; `keyOf` / `insertLabels` / `removeLabels` on stored labels (rebuilds and
 * removals). Lookup misses cost no allocation for up to two label fields.
 */
export interface Labeller {
  /** The slot of the event's label set in `lookup`; `undefined` when absent; {@link REFUSED} when the labels are not usable. */
  find(lookup: LabelLookup, event: MetricEvent): number | undefined;
  /** The frozen labels of the event's label set (called once per new series), or `undefined` when refused. */
  labels(event: MetricEvent): SeriesLabels | undefined;
  /** Records `slot` for `labels` in `lookup`. */
  insert(lookup: LabelLookup, labels: SeriesLabels, slot: number): void;
  /** Deletes `labels` from `lookup`. */
  remove(lookup: LabelLookup, labels: SeriesLabels): void;
  /** Label names in snapshot order (field lists), or `undefined` (a function: names vary). */
  readonly names: readonly string[] | undefined;
}

/** `find` result for an event whose labels are not usable (refused, counted in `refused`). */
export const REFUSED = -1;

/** A labeller reading the fields `keys` (in this order) of each event. */
export function fieldLabeller(keys: readonly string[], maxLength: number): Labeller {
  const names = Object.freeze([...keys]);
  const readers = names.map(fieldReader);
  const last = names.length - 1;
  const labelsOf = (values: readonly string[]): SeriesLabels => {
    const out: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) setOwn(out, names[i] as string, values[i]);
    return Object.freeze(out);
  };
  const valuesOf = (event: MetricEvent): string[] | undefined => {
    const values: string[] = [];
    for (const read of readers) {
      const v = labelString(read(event), maxLength);
      if (v === undefined) return undefined;
      values.push(v);
    }
    return values;
  };
  const insertValues = (lookup: LabelLookup, values: readonly string[], slot: number): void => {
    let level = lookup;
    for (let i = 0; i < last; i++) {
      const k = values[i] as string;
      let next = level.get(k) as LabelLookup | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(k, next);
      }
      level = next;
    }
    level.set(values[last] as string, slot);
  };
  const valuesOfLabels = (labels: SeriesLabels): string[] => names.map((n) => labels[n] as string);
  let find: Labeller['find'];
  if (names.length === 1) {
    const r0 = readers[0] as FieldReader;
    find = (lookup, event) => {
      const v = labelString(r0(event), maxLength);
      return v === undefined ? REFUSED : (lookup.get(v) as number | undefined);
    };
  } else if (names.length === 2) {
    const r0 = readers[0] as FieldReader;
    const r1 = readers[1] as FieldReader;
    find = (lookup, event) => {
      const v0 = labelString(r0(event), maxLength);
      const v1 = labelString(r1(event), maxLength);
      if (v0 === undefined || v1 === undefined) return REFUSED;
      const level = lookup.get(v0) as LabelLookup | undefined;
      return level === undefined ? undefined : (level.get(v1) as number | undefined);
    };
  } else {
    find = (lookup, event) => {
      const values = valuesOf(event);
      if (values === undefined) return REFUSED;
      let level: unknown = lookup;
      for (const v of values) {
        level = (level as LabelLookup).get(v);
        if (level === undefined) return undefined;
      }
      return level as number;
    };
  }
  return {
    find,
    labels: (event) => {
      const values = valuesOf(event);
      return values === undefined ? undefined : labelsOf(values);
    },
    insert: (lookup, labels, slot) => insertValues(lookup, valuesOfLabels(labels), slot),
    remove: (lookup, labels) => {
      const values = valuesOfLabels(labels);
      const path: LabelLookup[] = [];
      let level = lookup;
      for (let i = 0; i < last; i++) {
        path.push(level);
        const next = level.get(values[i] as string) as LabelLookup | undefined;
        if (next === undefined) return;
        level = next;
      }
      level.delete(values[last] as string);
      // Drop levels left empty, so a churn of label values never leaves empty maps behind.
      for (let i = last - 1; i >= 0 && level.size === 0; i--) {
        const parent = path[i] as LabelLookup;
        parent.delete(values[i] as string);
        level = parent;
      }
    },
    names,
  };
}

/** A labeller calling `fn(event)` for the labels of each event (one canonical key string per event). */
export function functionLabeller(
  fn: (event: MetricEvent) => { readonly [label: string]: unknown },
  maxLength: number,
): Labeller {
  const read = (event: MetricEvent): SeriesLabels | undefined => {
    const raw: unknown = fn(event);
    if (raw === null || typeof raw !== 'object') return undefined;
    const keys = Object.keys(raw);
    if (keys.length > MAX_LABELS) return undefined;
    keys.sort();
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = labelString((raw as Record<string, unknown>)[k], maxLength);
      if (v === undefined) return undefined;
      setOwn(out, k.length > maxLength ? k.slice(0, maxLength) : k, v);
    }
    return Object.freeze(out);
  };
  return {
    find: (lookup, event) => {
      const labels = read(event);
      return labels === undefined ? REFUSED : (lookup.get(canonicalKey(labels)) as number | undefined);
    },
    labels: read,
    insert: (lookup, labels, slot) => void lookup.set(canonicalKey(labels), slot),
    remove: (lookup, labels) => void lookup.delete(canonicalKey(labels)),
    names: undefined,
  };
}

/** Canonical, order-independent key of a label set (a JSON array of sorted `[name, value]` pairs). */
export function canonicalKey(labels: SeriesLabels): string {
  const names = Object.keys(labels).sort();
  return JSON.stringify(names.map((n) => [n, labels[n]]));
}

/** Orders label sets by their sorted names, then values (the order of `series` in snapshots). */
export function compareLabels(a: SeriesLabels, b: SeriesLabels): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const x = ka[i] as string;
    const y = kb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const vx = a[x] as string;
    const vy = b[y] as string;
    if (vx !== vy) return vx < vy ? -1 : 1;
  }
  return ka.length - kb.length;
}
