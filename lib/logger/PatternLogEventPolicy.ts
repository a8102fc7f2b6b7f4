import { readOptions, typeError } from '../internal/validate.js';
import { compileGlobGroup } from './glob.js';
import type { LogEventMeta } from './LogEvent.js';
import type { LogEventPolicy } from './types.js';

/**
 * What a matching rule does.
 */
export type PatternLogEventAction = 'allow' | 'deny';

/**
 * One rule. Groups are ANDed, patterns inside a group are ORed, an absent or empty group does not restrict,
 * and a `null` metadata value never matches a non-empty group. Globs are case-sensitive (`*`, `?`, `[...]`).
 */
export interface PatternLogEventRule {
  readonly action: PatternLogEventAction;
  /** Globs on the composed key `namespace + '.' + eventName` (the name alone when the namespace is empty). */
  readonly events?: readonly string[];
  /** Globs on `meta.namespace`. */
  readonly namespaces?: readonly string[];
  /** Globs on `meta.eventName` (namespace-independent, the usual choice for presets). */
  readonly eventNames?: readonly string[];
  /** Globs on `meta.entityId`. */
  readonly entityIds?: readonly string[];
  /** Globs on `meta.source.path`. */
  readonly sourcePaths?: readonly string[];
  /** Globs on `meta.source.func`. */
  readonly sourceFuncs?: readonly string[];
}

/**
 * Configuration of a {@link PatternLogEventPolicy}.
 */
export interface PatternLogEventPolicyConfig {
  /** Result when no rule matches. @default true */
  readonly defaultEnabled?: boolean;
  /** Ordered rules; the first match wins. @default [] */
  readonly rules?: readonly PatternLogEventRule[];
}

const GROUPS = ['events', 'namespaces', 'eventNames', 'entityIds', 'sourcePaths', 'sourceFuncs'] as const;
const RULE_KEYS = ['action', ...GROUPS] as const;
const CONFIG_KEYS = ['defaultEnabled', 'rules'] as const;

type CompiledRule = { allow: boolean; matches: (meta: LogEventMeta) => boolean };

/**
 * The ready-made event policy: ordered allow/deny rules with globs on the event metadata; the first matching
 * rule wins, and `defaultEnabled` applies when none matches. Immutable once built.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, MemorySink, PatternLogEventPolicy } from 'mvx-common/logger';
 *
 * const policy = PatternLogEventPolicy.fromObject({
 *   defaultEnabled: true,
 *   rules: [{ action: 'deny', eventNames: ['*.get_*'] }],
 * });
 * const sink = new MemorySink();
 * const ctx = LogContext.root({ namespace: 'app', sink, eventPolicy: policy });
 * ctx.info('cache.get_user'); // denied: the first matching rule wins
 * ctx.info('cache.put_user'); // no rule matches: defaultEnabled
 * console.log(sink.events.map((e) => e.meta.eventName).join(', ')); // → cache.put_user
 * ```
 */
export class PatternLogEventPolicy implements LogEventPolicy {
  readonly defaultEnabled: boolean;
  readonly rules: readonly PatternLogEventRule[];
  private readonly compiled: readonly CompiledRule[];

  /** @throws TypeError naming the bad field (same checks as {@link PatternLogEventPolicy.fromObject}). */
  constructor(config: PatternLogEventPolicyConfig = {}) {
    const checked = checkConfig(config);
    this.defaultEnabled = checked.defaultEnabled;
    this.rules = checked.rules;
    this.compiled = checked.rules.map(compileRule);
  }

  /**
   * Builds a policy from a plain (e.g. JSON-parsed) object, validating every field. Unknown keys are refused
   * so a typo in config does not silently widen or narrow logging.
   * @throws TypeError naming the bad field, e.g. "Expected `rules[0].action` to be 'allow' or 'deny', got ..."
   */
  static fromObject(config: unknown): PatternLogEventPolicy {
    return new PatternLogEventPolicy(config as PatternLogEventPolicyConfig);
  }

  /** Alias of {@link PatternLogEventPolicy.fromObject} (the Python name). */
  static fromMapping(config: unknown): PatternLogEventPolicy {
    return PatternLogEventPolicy.fromObject(config);
  }

  isEventEnabled(meta: LogEventMeta): boolean {
    for (const rule of this.compiled) if (rule.matches(meta)) return rule.allow;
    return this.defaultEnabled;
  }
}

function compileRule(rule: PatternLogEventRule): CompiledRule {
  const events = compileGlobGroup(rule.events);
  const namespaces = compileGlobGroup(rule.namespaces);
  const eventNames = compileGlobGroup(rule.eventNames);
  const entityIds = compileGlobGroup(rule.entityIds);
  const sourcePaths = compileGlobGroup(rule.sourcePaths);
  const sourceFuncs = compileGlobGroup(rule.sourceFuncs);
  return {
    allow: rule.action === 'allow',
    matches: (meta) =>
      events(meta.namespace ? `${meta.namespace}.${meta.eventName}` : meta.eventName) &&
      namespaces(meta.namespace) &&
      eventNames(meta.eventName) &&
      entityIds(meta.entityId) &&
      sourcePaths(meta.source?.path ?? null) &&
      sourceFuncs(meta.source?.func ?? null),
  };
}

function checkConfig(config: unknown): { defaultEnabled: boolean; rules: readonly PatternLogEventRule[] } {
  if (config === undefined) return { defaultEnabled: true, rules: Object.freeze([]) };
  const obj = readOptions('config', config, CONFIG_KEYS);
  const defaultEnabled = obj.defaultEnabled ?? true;
  if (typeof defaultEnabled !== 'boolean') throw typeError('defaultEnabled', 'a boolean', defaultEnabled);
  const rules = obj.rules === undefined ? [] : readArray('rules', obj.rules, 'an array');
  return {
    defaultEnabled,
    rules: Object.freeze(rules.map((rule, i) => checkRule(`rules[${i}]`, rule))),
  };
}

function checkRule(path: string, rule: unknown): PatternLogEventRule {
  const obj = readOptions(path, rule, RULE_KEYS);
  if (obj.action !== 'allow' && obj.action !== 'deny') {
    throw typeError(`${path}.action`, "'allow' or 'deny'", obj.action);
  }
  const out: Record<string, unknown> = { action: obj.action };
  for (const group of GROUPS) {
    const value = obj[group];
    if (value === undefined) continue;
    const param = `${path}.${group}`;
    const patterns = readArray(param, value, 'an array of glob strings');
    patterns.forEach((p, i) => {
      if (typeof p !== 'string') throw typeError(`${param}[${i}]`, 'a glob string', p);
    });
    out[group] = Object.freeze(patterns);
  }
  return Object.freeze(out) as unknown as PatternLogEventRule;
}

/** A copy of an array, read once; a non-array is a TypeError, a throwing read one with `cause`. */
function readArray(param: string, value: unknown, expected: string): unknown[] {
  let copy: unknown[] | undefined;
  try {
    if (Array.isArray(value)) copy = Array.from(value as readonly unknown[]);
  } catch (cause) {
    throw new TypeError(`Reading \`${param}\` threw`, { cause });
  }
  if (copy === undefined) throw typeError(param, expected, value);
  return copy;
}
