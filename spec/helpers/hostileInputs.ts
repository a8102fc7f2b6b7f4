/**
 * Hostile inputs for the logger's property and fuzz tests: values that attack a normalizer (throwing
 * getters, Proxies with throwing traps, revoked Proxies, cycles, exotic objects, dangerous keys) and log
 * context components that fail in every way a component can (throw, throw a non-Error or a revoked Proxy,
 * return garbage, be revoked after configuration).
 */
import fc from 'fast-check';
import { LogContext, PayloadNormalizer } from 'mvx-common/logger';
import type {
  LogErrorHandling,
  LogEvent,
  LogEventPolicy,
  LogPayloadProcessor,
  LogSink,
} from 'mvx-common/logger';

/** Keys that break naive maps keyed by user strings. */
export const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'toJSON',
  'prototype',
  '__more__',
  '',
] as const;

/** Any string, biased towards the dangerous keys. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_KEYS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A revoked Proxy: every operation on it throws a TypeError. */
export function revoked<T extends object>(target: T = {} as T): T {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

/** A Proxy whose every trap throws. */
export function trapping<T extends object>(target: T = {} as T): T {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getPrototypeOf: boom,
    getOwnPropertyDescriptor: boom,
    apply: boom,
  });
}

/** An object whose `key` getter throws `thrown`. */
function throwingGetter(key: string, thrown: unknown): object {
  return Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw thrown;
    },
  });
}

/** Builds a (fresh) hostile value; labelled so fast-check can print a counterexample without touching it. */
export type Build = (() => unknown) & { readonly label: string };

export function build(label: string, make: () => unknown): Build {
  const fn = Object.assign(() => make(), { label });
  Object.defineProperty(fn, fc.toStringMethod, { value: () => label });
  return fn;
}

const made = (label: string, make: () => unknown): fc.Arbitrary<Build> => fc.constant(build(label, make));

/** Something to throw: an Error, a non-Error, or a revoked Proxy (whose every inspection throws). */
export const thrownArb: fc.Arbitrary<Build> = fc.oneof(
  made('Error', () => new Error('component failed')),
  made('"a string"', () => 'a string'),
  made('undefined', () => undefined),
  made('revoked()', () => revoked()),
  made('revoked(Error)', () => revoked(new Error('revoked error'))),
  made('null-prototype object', () => Object.create(null) as object),
  made('hostileError()', () => hostileError()),
);

/** An Error whose every property is hostile. */
export function hostileError(): Error {
  const err = new Error('base');
  for (const key of ['stack', 'message', 'name', 'cause', 'code', 'toLogPayload']) {
    Object.defineProperty(err, key, {
      get() {
        throw new Error(`${key} getter`);
      },
    });
  }
  return err;
}

/** Errors with hostile props, cyclic causes, null prototypes, providers. */
export const hostileErrorArb: fc.Arbitrary<Build> = fc.oneof(
  made('hostileError()', () => hostileError()),
  fc.string().map((m) =>
    build(`cyclic causes (${JSON.stringify(m)})`, () => {
      const a = new Error(m);
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      return a;
    }),
  ),
  made('null-prototype error-like', () =>
    Object.assign(Object.create(null) as object, { name: 'X', message: 'm' }),
  ),
  made('null-prototype object', () => Object.create(null) as object),
  made('revoked(Error)', () => revoked(new Error('gone'))),
  made('trapping(Error)', () => trapping(new Error('traps'))),
  made('throwing toLogPayload', () =>
    Object.assign(new Error('provider'), {
      toLogPayload: () => {
        throw new Error('provider bug');
      },
    }),
  ),
  made('toLogPayload returns revoked', () =>
    Object.assign(new Error('provider'), { toLogPayload: () => revoked() }),
  ),
  made('huge code and cause', () =>
    Object.assign(new Error('huge'), { code: 10n ** 400n, cause: 'x'.repeat(100_000) }),
  ),
  made('symbol code', () => Object.assign(new Error('sym'), { code: Symbol('code') })),
  fc.anything().map((v) => build(`thrown ${fc.stringify(v)}`, () => v)),
);

/** Leaf values a payload may carry, hostile ones included. */
const leafArb: fc.Arbitrary<Build> = fc.oneof(
  fc
    .anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      maxDepth: 2,
    })
    .map((v) => build(fc.stringify(v), () => v)),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE).map((v) => build(String(v), () => v)),
  fc.bigInt().map((v) => build(`${v}n`, () => v)),
  made('10n ** 500n', () => 10n ** 500n),
  fc.string().map((d) => build(`Symbol(${JSON.stringify(d)})`, () => Symbol(d))),
  made('() => 1', () => () => 1),
  made('Invalid Date', () => new Date(NaN)),
  made('Date(0)', () => new Date(0)),
  made('50k string', () => 'x'.repeat(50_000)),
  made('emoji string', () => '\ud83d\ude00'.repeat(150)),
  made('Uint8Array(16)', () => new Uint8Array(16)),
  made('DataView', () => new DataView(new ArrayBuffer(4))),
  made('sparse array (length 1e6+1)', () => {
    const sparse: unknown[] = [];
    sparse[1_000_000] = 1;
    return sparse;
  }),
  made('array of length 2^32-1', () => {
    const list: unknown[] = [];
    list.length = 2 ** 32 - 1;
    return list;
  }),
  made('revoked()', () => revoked()),
  made('revoked([])', () => revoked([])),
  made('trapping()', () => trapping()),
  made('trapping([1, 2])', () => trapping([1, 2])),
  made('trapping(Map)', () => trapping(new Map([[1, 2]]))),
  made('Proxy(Set)', () => new Proxy(new Set([1]), {})),
  keyArb.map((k) =>
    build(`throwing getter ${JSON.stringify(k)}`, () => throwingGetter(k, new Error('getter'))),
  ),
  keyArb.map((k) =>
    build(`getter ${JSON.stringify(k)} throwing revoked`, () => throwingGetter(k, revoked())),
  ),
  made('provider of bigint', () => ({ toLogPayload: () => ({ a: 1n }) })),
  made('throwing provider', () => ({
    toLogPayload() {
      throw new Error('provider');
    },
  })),
  made('non-function toLogPayload', () => ({ toLogPayload: 'not a function' })),
  made('throwing toJSON', () => {
    class WithToJson {
      toJSON(): never {
        throw new Error('toJSON');
      }
    }
    return new WithToJson();
  }),
  made('toJSON returns this', () => {
    class SelfJson {
      toJSON(): unknown {
        return this;
      }
    }
    return new SelfJson();
  }),
  made('cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a, { back: a }];
    return a;
  }),
  made('self-keyed Map', () => {
    const m = new Map<unknown, unknown>();
    m.set(m, m);
    m.set({}, revoked());
    return m;
  }),
  hostileErrorArb,
  made('/re+/giu', () => /re+/giu),
  made('class instance', () => new (class Custom {})()),
  made('function with throwing name', () =>
    Object.defineProperty(function f() {}, 'name', {
      get: () => {
        throw new Error('name');
      },
    }),
  ),
);

/** A payload value built with arbitrary (and dangerous) keys over hostile leaves, nested a little. */
export const hostileValueArb: fc.Arbitrary<Build> = fc.letrec<{ value: Build; record: Build }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc
      .array(tie('value'), { maxLength: 4 })
      .map((items) => build(`[${items.map((b) => b.label).join(', ')}]`, () => items.map((b) => b()))),
    tie('record'),
  ),
  record: fc
    .tuple(fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 5 }), fc.boolean())
    .map(([entries, nullProto]) =>
      build(
        `${nullProto ? 'null-proto ' : ''}{${entries.map(([k, b]) => `${JSON.stringify(k)}: ${b.label}`).join(', ')}}`,
        () => {
          const out: Record<string, unknown> = nullProto
            ? (Object.create(null) as Record<string, unknown>)
            : {};
          for (const [k, b] of entries) {
            Object.defineProperty(out, k, {
              value: b(),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          }
          return out;
        },
      ),
    ),
})).value;

/** A payload: usually a record, sometimes anything at all. */
export const hostilePayloadArb: fc.Arbitrary<Build> = fc.oneof(
  { weight: 3, arbitrary: hostileValueArb },
  { weight: 1, arbitrary: leafArb },
);

/** How one component behaves. */
export type Behaviour = 'ok' | 'throws' | 'garbage' | 'revoked';
export const behaviourArb: fc.Arbitrary<Behaviour> = fc.constantFrom('ok', 'throws', 'garbage', 'revoked');

/** The plan of a hostile context: a behaviour per component, a thing to throw, the error handling. */
export interface ContextPlan {
  readonly sink: Behaviour;
  readonly processor: Behaviour;
  readonly policy: Behaviour;
  readonly clock: Behaviour;
  readonly diagnostics: Behaviour;
  readonly errorHandling: LogErrorHandling;
  readonly thrown: Build;
  /** A child context with its own (hostile) overrides is used instead of the root. */
  readonly child: boolean;
  /** Picks the garbage components return (deterministic per plan). */
  readonly seed: number;
}

export const contextPlanArb: fc.Arbitrary<ContextPlan> = fc.record({
  sink: behaviourArb,
  processor: behaviourArb,
  policy: behaviourArb,
  clock: behaviourArb,
  diagnostics: behaviourArb,
  errorHandling: fc.constantFrom<LogErrorHandling>('ignore', 'print-stderr', 'raise'),
  thrown: thrownArb,
  child: fc.boolean(),
  seed: fc.nat(),
});

/** Garbage a component may return. */
const GARBAGE: readonly (() => unknown)[] = [
  () => 'yes',
  () => NaN,
  () => 10n,
  () => Symbol('s'),
  () => revoked(),
  () => {
    const c: Record<string, unknown> = {};
    c.c = c;
    return c;
  },
  () => ({ a: 1n, b: () => 1 }),
  () => [1, 2],
  () => ({ toJSON: () => ({}) }),
  () => undefined,
];

/** Delivered events are recorded here (by the sink, before it fails) so tests can inspect them. */
export interface HostileContext {
  readonly ctx: LogContext;
  readonly delivered: LogEvent[];
  readonly plan: ContextPlan;
}

/**
 * Builds a context whose components behave as `plan` says. Revoked components are valid when configured
 * and revoked right after, so the context holds dead Proxies.
 */
export function hostileContext(plan: ContextPlan): HostileContext {
  const delivered: LogEvent[] = [];
  const revokers: (() => void)[] = [];
  let next = plan.seed;
  const garbage = (): unknown => GARBAGE[next++ % GARBAGE.length]!();
  const fail = (): never => {
    throw plan.thrown();
  };
  const wrap = <T extends object>(behaviour: Behaviour, ok: T, bad: T): T => {
    if (behaviour === 'ok') return ok;
    if (behaviour === 'revoked') {
      const { proxy, revoke } = Proxy.revocable(ok, {});
      revokers.push(revoke);
      return proxy;
    }
    return bad;
  };
  const sink = wrap<LogSink>(
    plan.sink,
    { log: (e) => void delivered.push(e) },
    {
      log: (e) => {
        delivered.push(e);
        if (plan.sink === 'throws') fail();
        return garbage() as void;
      },
    },
  );
  const processor = wrap<LogPayloadProcessor>(
    plan.processor,
    {
      // A custom (untrusted) processor with valid output: the context copies and checks it.
      normalizePayload: (p) => reference.normalizePayload(p),
      normalizeValue: (v) => reference.normalizeValue(v),
    },
    {
      normalizePayload: () => (plan.processor === 'throws' ? fail() : (garbage() as never)),
      normalizeValue: () => (plan.processor === 'throws' ? fail() : (garbage() as never)),
    },
  );
  const policy = wrap<LogEventPolicy>(
    plan.policy,
    { isEventEnabled: () => true },
    { isEventEnabled: () => (plan.policy === 'throws' ? fail() : (garbage() as boolean)) },
  );
  const clock = wrap<() => number>(
    plan.clock,
    () => 1_700_000_000_000,
    () => (plan.clock === 'throws' ? fail() : (garbage() as number)),
  );
  const diagnostics = wrap<(line: string) => void>(
    plan.diagnostics,
    () => undefined,
    () => (plan.diagnostics === 'throws' ? fail() : (garbage() as void)),
  );
  const components = {
    sink,
    payloadProcessor: processor,
    eventPolicy: policy,
    clock,
    diagnostics,
    errorHandling: plan.errorHandling,
  };
  const ctx = plan.child
    ? LogContext.root({ namespace: 'root', errorHandling: 'ignore', diagnostics: () => undefined }).child(
        'hostile',
        components,
      )
    : LogContext.root({ namespace: 'hostile', ...components });
  for (const revoke of revokers) revoke();
  return { ctx, delivered, plan };
}

const reference = new PayloadNormalizer();
