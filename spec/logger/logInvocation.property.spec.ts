import fc from 'fast-check';
import { Observable, Subject, take } from 'rxjs';
import { LogContext, logInvocation, type LogInvocationOptions } from 'mvx-common/logger';
import {
  build,
  contextPlanArb,
  hostileErrorArb,
  hostileContext,
  hostileValueArb,
  revoked,
  type Build,
  type ContextPlan,
} from '../helpers/hostileInputs.js';

const RUN = { numRuns: 150, interruptAfterTimeLimit: 5_000 } as const;

class AbortError extends Error {
  override name = 'AbortError';
}

/** What the wrapped function does with the value it is given. */
type Shape =
  | 'return'
  | 'throw'
  | 'resolve'
  | 'reject'
  | 'thenable'
  | 'observable-complete'
  | 'observable-error'
  | 'observable-open';
const shapeArb = fc.constantFrom<Shape>(
  'return',
  'throw',
  'resolve',
  'reject',
  'thenable',
  'observable-complete',
  'observable-error',
  'observable-open',
);

/** Values a function returns or throws: ordinary, hostile, and ones that look like thenables/Observables. */
const outcomeValueArb: fc.Arbitrary<Build> = fc.oneof(
  hostileValueArb,
  hostileErrorArb,
  fc
    .constantFrom<[string, () => unknown]>(
      ['AbortError', () => new AbortError('aborted')],
      ['revoked function', () => revoked(() => 1)],
      [
        'throwing then getter',
        () =>
          Object.defineProperty({}, 'then', {
            get: () => {
              throw new Error('then getter');
            },
          }),
      ],
      [
        'then that throws',
        () => ({
          then() {
            throw new Error('then');
          },
        }),
      ],
      ['observable-like without pipe', () => ({ lift() {}, subscribe() {} })],
    )
    .map(([label, make]) => build(label, make)),
);

/** How the log context reaches the call. */
type Provision =
  'option' | 'option-fn' | 'option-fn-throws' | 'option-fn-garbage' | 'this' | 'this-throws' | 'this-missing';
const provisionArb = fc.constantFrom<Provision>(
  'option',
  'option-fn',
  'option-fn-throws',
  'option-fn-garbage',
  'this',
  'this-throws',
  'this-missing',
);

/** Selector / getter / hook behaviour. */
type Aux = 'none' | 'ok' | 'throws' | 'hostile';
const auxArb = fc.constantFrom<Aux>('none', 'ok', 'throws', 'hostile');

interface Scenario {
  readonly plan: ContextPlan;
  readonly shape: Shape;
  readonly value: Build;
  readonly provision: Provision;
  readonly selectors: Aux;
  readonly entity: Aux;
  readonly hook: Aux;
  readonly decorator: boolean;
  readonly consumer: 'all' | 'take1' | 'unsubscribe';
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  plan: contextPlanArb,
  shape: shapeArb,
  value: outcomeValueArb,
  provision: provisionArb,
  selectors: auxArb,
  entity: auxArb,
  hook: auxArb,
  decorator: fc.boolean(),
  consumer: fc.constantFrom<'all' | 'take1' | 'unsubscribe'>('all', 'take1', 'unsubscribe'),
});

type Notification = ['next', unknown] | ['error', unknown] | ['complete'];

/**
 * The body: returns or throws what `shape` says. Promises and thenables are made once per scenario (the
 * same object for the raw and the logged call); Observables are fresh per call but emit the same objects.
 */
function makeBody(shape: Shape, value: unknown, calls: { self: unknown; args: unknown[] }[], made: unknown) {
  return function body(this: unknown, ...args: unknown[]): unknown {
    calls.push({ self: this, args });
    switch (shape) {
      case 'return':
        return value;
      case 'throw':
        throw value;
      case 'resolve':
      case 'reject':
      case 'thenable':
        return made;
      case 'observable-complete':
        return new Observable((sub) => {
          sub.next(1);
          sub.next(value);
          sub.complete();
        });
      case 'observable-error':
        return new Observable((sub) => {
          sub.next(1);
          sub.error(value);
        });
      case 'observable-open': {
        const subject = new Subject<unknown>();
        return new Observable((sub) => {
          const inner = subject.subscribe(sub);
          sub.next(value);
          return inner;
        });
      }
    }
  };
}

/** The Promise or thenable a scenario returns (made once). */
function makeSettling(shape: Shape, value: unknown): unknown {
  if (shape === 'resolve') return new Promise((resolve) => resolve(value)); // adopts (or fails on) a thenable
  if (shape === 'reject') return Promise.reject(value);
  if (shape === 'thenable') {
    // A custom handle with extra methods that settles twice (the logger must log once and not care).
    return {
      handle: true,
      then(onOk: (v: unknown) => unknown, onErr: (e: unknown) => unknown) {
        onOk(value);
        onErr(value);
        return undefined;
      },
    };
  }
  return undefined;
}

function sameNotifications(a: readonly Notification[], b: readonly Notification[]): boolean {
  return (
    a.length === b.length &&
    a.every((n, i) => n.length === b[i]!.length && n.every((x, j) => Object.is(x, b[i]![j])))
  );
}

function hostile(aux: Aux, ok: () => unknown): (() => unknown) | undefined {
  if (aux === 'none') return undefined;
  if (aux === 'ok') return ok;
  if (aux === 'throws')
    return () => {
      throw revoked();
    };
  return () => revoked();
}

/** Observes what a caller sees of a result: the value itself, or an Observable's notifications. */
async function observe(result: unknown, consumer: Scenario['consumer']): Promise<Notification[]> {
  const seen: Notification[] = [];
  const observer = {
    next: (v: unknown) => void seen.push(['next', v]),
    error: (e: unknown) => void seen.push(['error', e]),
    complete: () => void seen.push(['complete']),
  };
  const source = result as Observable<unknown>;
  if (consumer === 'take1') source.pipe(take(1)).subscribe(observer);
  else {
    const sub = source.subscribe(observer);
    if (consumer === 'unsubscribe') sub.unsubscribe();
  }
  await Promise.resolve();
  return seen;
}

describe('logInvocation (fuzz: the caller sees exactly what the un-logged call would)', () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('runs the function once and returns/throws the very same value, Promise or error', async () => {
    const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (s) => {
          const { ctx } = hostileContext(s.plan);
          const value = s.value();
          const rawCalls: { self: unknown; args: unknown[] }[] = [];
          const loggedCalls: { self: unknown; args: unknown[] }[] = [];
          const made = makeSettling(s.shape, value);
          const raw = makeBody(s.shape, value, rawCalls, made);
          const body = makeBody(s.shape, value, loggedCalls, made);

          const provide = (): unknown => {
            switch (s.provision) {
              case 'option':
              case 'this':
                return ctx;
              case 'option-fn':
                return () => ctx;
              case 'option-fn-throws':
                return () => {
                  throw revoked();
                };
              default:
                return () => revoked();
            }
          };
          const options: Record<string, unknown> = {};
          if (s.provision.startsWith('option')) options.logContext = provide();
          const selector = hostile(s.selectors, () => ({ state: 'ok', n: 1n }));
          if (selector) {
            options.context = selector;
            options.args = selector;
            options.result = selector;
          }
          const entity = hostile(s.entity, () => 'entity-1');
          if (entity) options.entityId = entity;
          const hook = hostile(s.hook, () => undefined);
          if (hook) options.onLogFailure = hook;

          const self: Record<string, unknown> = { entityId: 'self-id' };
          if (s.provision === 'this') self.getLogContext = () => ctx;
          if (s.provision === 'this-throws')
            self.getLogContext = () => {
              throw new Error('provider');
            };
          const wrap = logInvocation('fuzz.op', options as LogInvocationOptions);
          let wrapped: (this: unknown, ...a: unknown[]) => unknown;
          if (s.decorator) {
            class Target {
              @wrap
              run(...a: unknown[]): unknown {
                return body.apply(this, a);
              }
            }
            wrapped = Target.prototype.run;
          } else wrapped = wrap(body);

          const args = [1, { a: 2 }, value];
          const expected = run(() => raw.apply(self, args));
          const actual = run(() => wrapped.apply(self, args));

          // The body ran exactly once, with the same `this` and the same arguments.
          expect(loggedCalls).toHaveLength(1);
          expect(loggedCalls[0]!.self).toBe(self);
          expect(loggedCalls[0]!.args).toHaveLength(args.length);
          loggedCalls[0]!.args.forEach((a, i) => expect(a).toBe(args[i]));

          expect(actual.threw).toBe(expected.threw);
          if (expected.threw)
            expect(actual.error).toBe(value); // the same error object
          else if (s.shape.startsWith('observable')) {
            const seen = await observe(actual.value, s.consumer);
            const wanted = await observe(expected.value, s.consumer);
            expect(sameNotifications(seen, wanted)).toBe(true);
          } else {
            // The very same value, Promise or handle.
            expect(actual.value).toBe(s.shape === 'return' ? value : made);
            if (s.shape === 'resolve' || s.shape === 'reject') await Promise.allSettled([made]);
          }
          await new Promise((resolve) => setImmediate(resolve));
          expect(unhandled).toEqual([]);
        }),
        RUN,
      );
    } finally {
      silence.mockRestore();
    }
  });

  it('never raises, even on a raising context whose sink fails', () => {
    fc.assert(
      fc.property(contextPlanArb, shapeArb, (plan, shape) => {
        const { ctx } = hostileContext({ ...plan, errorHandling: 'raise', sink: 'throws' });
        const value = new Error('domain');
        const calls: { self: unknown; args: unknown[] }[] = [];
        const made = makeSettling(shape, value);
        const fn = logInvocation('raise.op', { logContext: ctx })(makeBody(shape, value, calls, made));
        const outcome = run(() => fn());
        expect(calls).toHaveLength(1);
        if (shape === 'throw') expect(outcome.error).toBe(value);
        else expect(outcome.threw).toBe(false);
        if (shape === 'reject') (made as Promise<unknown>).catch(() => undefined);
      }),
      RUN,
    );
  });

  it('keeps working on a healthy context: the lifecycle is logged', () => {
    const plan = fc.constantFrom<Shape>('return', 'throw');
    fc.assert(
      fc.property(plan, (shape) => {
        const sink = {
          events: [] as string[],
          log: (e: { outcome: unknown }) => void sink.events.push(String(e.outcome)),
        };
        const ctx = LogContext.root({ sink });
        const fn = logInvocation('ok.op', { logContext: ctx })(
          makeBody(shape, new Error('e'), [], undefined),
        );
        run(() => fn());
        expect(sink.events).toEqual(['invoke', shape === 'return' ? 'success' : 'failed']);
      }),
    );
  });
});

function run(fn: () => unknown): { threw: boolean; value?: unknown; error?: unknown } {
  try {
    return { threw: false, value: fn() };
  } catch (error) {
    return { threw: true, error };
  }
}
