/**
 * Prometheus names: metric family names and label names made valid, snake_case and free of the
 * words `promtool check metrics` refuses, with units following the Prometheus conventions.
 * (Internal to the adapter: not exported from the entry point.)
 */

/** The exposition types this adapter emits. */
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** How a unit is exported: the name suffix (tokens) and the factor applied to every value. */
export interface UnitMapping {
  /** Name tokens appended to the family name (`['seconds']`), empty for dimensionless units. */
  readonly suffix: readonly string[];
  /**
   * Turns a value in the snapshot's unit into the exported unit: `value * mul / div` (ms → s: `/ 1000`;
   * dividing by an exact integer keeps `12 ms` at exactly `0.012`).
   */
  readonly mul: number;
  readonly div: number;
  /**
   * Name tokens that spell the same dimension in another unit or abbreviated (`ms`, `sec`, `minutes`,
   * ...: refused by promtool): dropped from the metric name.
   */
  readonly words: ReadonlySet<string>;
}

const TIME_WORDS = new Set([
  's',
  'sec',
  'secs',
  'second',
  'seconds',
  'ms',
  'msec',
  'millis',
  'millisecond',
  'milliseconds',
  'us',
  'usec',
  'microsecond',
  'microseconds',
  'ns',
  'nsec',
  'nanosecond',
  'nanoseconds',
  'min',
  'mins',
  'minute',
  'minutes',
  'h',
  'hour',
  'hours',
  'd',
  'day',
  'days',
]);
const BYTE_WORDS = new Set([
  'b',
  'by',
  'byte',
  'bytes',
  'kb',
  'kib',
  'kilobyte',
  'kilobytes',
  'kibibytes',
  'mb',
  'mib',
  'megabyte',
  'megabytes',
  'mebibytes',
  'gb',
  'gib',
  'gigabyte',
  'gigabytes',
  'gibibytes',
  'tb',
  'pb',
]);
const NO_WORDS: ReadonlySet<string> = new Set();

const without = (words: ReadonlySet<string>, base: string): ReadonlySet<string> =>
  new Set([...words].filter((w) => w !== base));
const TIME_OTHER = without(TIME_WORDS, 'seconds');
const BYTES_OTHER = without(BYTE_WORDS, 'bytes');
const time = (mul: number, div = 1): UnitMapping => ({ suffix: ['seconds'], mul, div, words: TIME_OTHER });
const bytes = (mul: number): UnitMapping => ({ suffix: ['bytes'], mul, div: 1, words: BYTES_OTHER });
const NONE: UnitMapping = { suffix: [], mul: 1, div: 1, words: NO_WORDS };

/** Units with a conversion (case-sensitive first, then lower-cased). */
const KNOWN_UNITS: { readonly [unit: string]: UnitMapping } = {
  ns: time(1, 1e9),
  us: time(1, 1e6),
  μs: time(1, 1e6),
  µs: time(1, 1e6),
  ms: time(1, 1e3),
  s: time(1),
  sec: time(1),
  second: time(1),
  seconds: time(1),
  min: time(60),
  minute: time(60),
  minutes: time(60),
  h: time(3600),
  hour: time(3600),
  hours: time(3600),
  d: time(86_400),
  day: time(86_400),
  days: time(86_400),
  B: bytes(1),
  By: bytes(1),
  byte: bytes(1),
  bytes: bytes(1),
  kB: bytes(1e3),
  KB: bytes(1e3),
  kBy: bytes(1e3),
  KiB: bytes(1024),
  KiBy: bytes(1024),
  MB: bytes(1e6),
  MBy: bytes(1e6),
  MiB: bytes(1024 ** 2),
  MiBy: bytes(1024 ** 2),
  GB: bytes(1e9),
  GBy: bytes(1e9),
  GiB: bytes(1024 ** 3),
  GiBy: bytes(1024 ** 3),
  '1': NONE,
  '%': { suffix: ['percent'], mul: 1, div: 1, words: new Set(['pct']) },
};

/** Per-time denominators (`By/s`, `{req}/ms`): suffix `per_second`, values scaled to one second. */
const PER_TIME: { readonly [unit: string]: readonly [mul: number, div: number] } = {
  ns: [1e9, 1],
  us: [1e6, 1],
  ms: [1e3, 1],
  s: [1, 1],
  sec: [1, 1],
  min: [1, 60],
  h: [1, 3600],
  d: [1, 86_400],
};

/** `value` in the exported unit of `unit`. */
export function scaled(unit: UnitMapping, value: number): number {
  return unit.mul === 1 && unit.div === 1 ? value : (value * unit.mul) / unit.div;
}

const unitCache = new Map<string, UnitMapping>();

/**
 * The mapping of a snapshot's `unit`: time units to seconds, byte units to bytes, `'1'`, `''` and UCUM
 * annotations (`{requests}`) to nothing, `x/<time>` to `<x>_per_second`, anything else to its
 * snake_case spelling as a suffix with no conversion.
 */
export function unitMapping(unit: unknown): UnitMapping {
  if (typeof unit !== 'string') return NONE;
  const cached = unitCache.get(unit);
  if (cached !== undefined) return cached;
  const mapping = computeUnit(unit);
  if (unitCache.size < 1000) unitCache.set(unit, mapping);
  return mapping;
}

function computeUnit(raw: string): UnitMapping {
  const unit = raw.replace(/\{[^}]*\}/g, '').trim();
  if (unit === '') return NONE;
  const known = KNOWN_UNITS[unit] ?? KNOWN_UNITS[unit.toLowerCase()];
  if (known !== undefined) return known;
  const slash = unit.indexOf('/');
  if (slash >= 0) {
    const per = PER_TIME[unit.slice(slash + 1).trim()];
    if (per !== undefined) {
      const numerator = computeUnit(unit.slice(0, slash));
      return {
        suffix: [...numerator.suffix, 'per', 'second'],
        mul: numerator.mul * per[0],
        div: numerator.div * per[1],
        words: numerator.words,
      };
    }
  }
  return { suffix: tokensOf(unit), mul: 1, div: 1, words: NO_WORDS };
}

const TYPE_WORDS = new Set(['counter', 'gauge', 'histogram', 'summary']);
/** Name endings `promtool` reserves for other types. */
const RESERVED_ENDINGS: { readonly [T in PromType]: ReadonlySet<string> } = {
  counter: new Set(),
  gauge: new Set(['total', 'count', 'sum', 'bucket']),
  histogram: new Set(['total']),
  summary: new Set(['total', 'bucket']),
};

/**
 * The snake_case tokens of a user string: camelCase boundaries split, lower-cased, every character
 * outside `[a-z0-9]` a separator, empty tokens dropped.
 */
export function tokensOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/** Whether `part` occurs in `tokens` as a contiguous run. */
function contains(tokens: readonly string[], part: readonly string[]): boolean {
  outer: for (let i = 0; i + part.length <= tokens.length; i++) {
    for (let j = 0; j < part.length; j++) if (tokens[i + j] !== part[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The family name of a metric: `prefix` + the metric name's tokens (type words and other spellings
 * of the unit dropped, so `save.ms` in ms becomes `save_seconds`) + `extra` tokens (a custom metric's
 * dimension) + the unit suffix unless the name already has it (`bytes.written` in bytes stays
 * `bytes_written`), then `_total` for counters; a name that would end in a suffix reserved for another
 * type (`_total`, `_count`, `_sum`, `_bucket`) gets `_value` appended, as does a name prom-client's
 * registry cannot hold (`constructor`); a leading digit gets a leading `_`.
 */
export function familyName(
  prefix: string,
  metricName: string,
  type: PromType,
  unit: UnitMapping,
  extra: readonly string[] = [],
): string {
  const key = `${prefix}\u0000${metricName}\u0000${type}\u0000${unitId(unit)}\u0000${extra.join('\u0001')}`;
  let name = familyNames.get(key);
  if (name === undefined) {
    name = computeFamilyName(prefix, metricName, type, unit, extra);
    if (familyNames.size >= NAME_CACHE_SIZE) familyNames.clear();
    familyNames.set(key, name);
  }
  return name;
}

function computeFamilyName(
  prefix: string,
  metricName: string,
  type: PromType,
  unit: UnitMapping,
  extra: readonly string[],
): string {
  const original = [...tokensOf(metricName), ...extra.flatMap(tokensOf)];
  let tokens = original.filter((t) => !TYPE_WORDS.has(t) && !unit.words.has(t));
  if (type === 'counter') {
    while (tokens.length > 0 && tokens[tokens.length - 1] === 'total') tokens.pop();
  }
  // Nothing left: keep the first word (promtool only minds type and unit words after an `_`).
  if (tokens.length === 0) tokens = original.filter((t) => t !== 'total').slice(0, 1);
  if (tokens.length === 0 && unit.suffix.length === 0) tokens = ['value'];
  if (!contains(tokens, unit.suffix)) tokens.push(...unit.suffix);
  if (type === 'counter') tokens.push('total');
  else if (RESERVED_ENDINGS[type].has(tokens[tokens.length - 1]!)) tokens.push('value');
  let name = tokens.join('_');
  if (prefix === '' && /^[0-9]/.test(name)) name = `_${name}`;
  name = `${prefix}${name}`;
  // prom-client keeps metrics in a plain object: `constructor` reads as registered already.
  return name in Object.prototype ? `${name}_value` : name;
}

/**
 * A valid Prometheus label name for a user string: snake_case tokens joined by `_` (`userId` →
 * `user_id`, `__proto__` → `proto`), a leading digit prefixed by `_`, `label` when nothing is left.
 */
export function labelName(text: string): string {
  let name = labelNames.get(text);
  if (name === undefined) {
    const joined = tokensOf(text).join('_');
    name = joined === '' ? 'label' : /^[0-9]/.test(joined) ? `_${joined}` : joined;
    if (labelNames.size >= NAME_CACHE_SIZE) labelNames.clear();
    labelNames.set(text, name);
  }
  return name;
}

/** Bound of each name cache (names are computed again at every scrape: cheap, but not free). */
const NAME_CACHE_SIZE = 10_000;
const labelNames = new Map<string, string>();
const familyNames = new Map<string, string>();
const unitIds = new WeakMap<UnitMapping, number>();
let nextUnitId = 0;
const unitId = (unit: UnitMapping): number => {
  let id = unitIds.get(unit);
  if (id === undefined) unitIds.set(unit, (id = nextUnitId++));
  return id;
};

/** Valid label names (and not reserved for Prometheus' own use with `__`). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A valid family-name prefix (possibly empty). */
export const NAME_PREFIX = /^([a-zA-Z_][a-zA-Z0-9_]*)?$/;
