import { Observable, Subject, firstValueFrom, of, throwError } from 'rxjs';
import {
  LogContext,
  LogDeliveryError,
  MemorySink,
  PatternLogEventPolicy,
  isErrorLogged,
  logInvocation,
  markErrorLogged,
} from 'mvx-common/logger';

class AbortError extends Error {
  override name = 'AbortError';
}

function setup(policy?: PatternLogEventPolicy) {
  const sink = new MemorySink();
  const ctx = LogContext.root({ namespace: 'app', sink, eventPolicy: policy ?? null, clock: () => 7 });
  return { sink, ctx };
}

/** A class using the TC39 decorator; the HOF variant below must behave the same. */
class Store {
  readonly entityId = 'store-1';
  state = 'idle';
  constructor(private readonly log: LogContext | null) {}
  getLogContext(): LogContext | null {
    return this.log;
  }

  @logInvocation('store.save', {
    context: (self: Store) => ({ state: self.state }),
    args: (_self: Store, [doc]: [{ id: string }]) => ({ docId: doc.id }),
    result: (r: string) => ({ saved: r }),
  })
  save(doc: { id: string }): string {
    if (doc.id === 'bad') throw new Error('invalid doc');
    this.state = 'saved';
    return doc.id;
  }

  @logInvocation('store.load')
  load(id: string): Promise<string> {
    return id === 'missing' ? Promise.reject(new Error('not found')) : Promise.resolve(`doc:${id}`);
  }

  @logInvocation('store.watch')
  watch(source: Observable<number>): Observable<number> {
    return source;
  }
}

describe('logInvocation', () => {
  describe('sync', () => {
    it('logs invoke then success with context fields re-read per outcome, args and result', () => {
      const { sink, ctx } = setup();
      const store = new Store(ctx);
      expect(store.save({ id: 'd1' })).toBe('d1');
      expect(sink.events).toEqual([
        {
          level: 'debug',
          meta: { namespace: 'app', eventName: 'store.save', entityId: 'store-1', source: null },
          outcome: 'invoke',
          timestamp: 7,
          payload: { state: 'idle', args: { docId: 'd1' } },
        },
        {
          level: 'debug',
          meta: { namespace: 'app', eventName: 'store.save', entityId: 'store-1', source: null },
          outcome: 'success',
          timestamp: 7,
          payload: { state: 'saved', result: { saved: 'd1' } },
        },
      ]);
      expect(sink.events[0]?.meta).toBe(sink.events[1]?.meta);
    });

    it('logs failed with the error payload, rethrows the same error and marks it logged', () => {
      const { sink, ctx } = setup();
      let thrown: unknown;
      try {
        new Store(ctx).save({ id: 'bad' });
      } catch (err) {
        thrown = err;
      }
      expect((thrown as Error).message).toBe('invalid doc');
      expect(isErrorLogged(thrown)).toBe(true);
      expect(sink.trail()).toEqual([
        ['store.save', 'invoke'],
        ['store.save', 'failed'],
      ]);
      expect(sink.events[1]).toMatchObject({
        level: 'error',
        payload: { state: 'idle', error: { name: 'Error', message: 'invalid doc' } },
      });
    });

    it('logs an already-logged error at debug without the error payload', () => {
      const { sink, ctx } = setup();
      const err = new Error('inner');
      markErrorLogged(err);
      const fn = logInvocation('outer.op', { logContext: ctx })(() => {
        throw err;
      });
      expect(() => fn()).toThrow(err);
      expect(sink.events[1]).toMatchObject({ level: 'debug', outcome: 'failed', payload: {} });
    });

    it('lets nested layers log the full error once, outer layers at debug', () => {
      const { sink, ctx } = setup();
      const inner = logInvocation('inner.op', { logContext: ctx })(() => {
        throw new Error('deep');
      });
      const outer = logInvocation('outer.op', { logContext: ctx })(() => inner());
      expect(() => outer()).toThrow('deep');
      const failed = sink.filter({ outcome: 'failed' });
      expect(failed.map((e) => [e.meta.eventName, e.level, 'error' in e.payload])).toEqual([
        ['inner.op', 'error', true],
        ['outer.op', 'debug', false],
      ]);
    });

    it('applies errorPolicy rules (first instanceof match)', () => {
      const { sink, ctx } = setup();
      class Expected extends Error {}
      const quiet = logInvocation('q.op', { logContext: ctx, errorPolicy: [[Expected, false]] })(() => {
        throw new Expected('fine');
      });
      const loud = logInvocation('l.op', { logContext: ctx, errorPolicy: [[Error, true]] })((e: Error) => {
        throw e;
      });
      expect(() => quiet()).toThrow(Expected);
      const logged = new Error('again');
      markErrorLogged(logged);
      expect(() => loud(logged)).toThrow(logged);
      expect(sink.filter({ outcome: 'failed' }).map((e) => [e.level, 'error' in e.payload])).toEqual([
        ['debug', false],
        ['error', true],
      ]);
    });

    it('logs an AbortError as cancelled at info, once', () => {
      const { sink, ctx } = setup();
      const abort = new AbortError('stop');
      const inner = logInvocation('in.op', { logContext: ctx })(() => {
        throw abort;
      });
      const outer = logInvocation('out.op', { logContext: ctx })(() => inner());
      expect(() => outer()).toThrow(abort);
      expect(sink.filter({ outcome: 'cancelled' })).toHaveLength(1);
      expect(sink.filter({ outcome: 'cancelled' })[0]).toMatchObject({
        level: 'info',
        payload: { cancelled: true, error: { name: 'AbortError', message: 'stop' } },
      });
      expect(sink.filter({ outcome: 'failed' })).toHaveLength(0);
    });

    it('uses configured levels', () => {
      const { sink, ctx } = setup();
      const fn = logInvocation('x.op', { logContext: ctx, levels: { invoke: 'info', success: 'warning' } })(
        () => 1,
      );
      fn();
      expect(sink.events.map((e) => e.level)).toEqual(['info', 'warning']);
    });
  });

  describe('Promise', () => {
    it('returns the ORIGINAL promise and logs success when it settles', async () => {
      const { sink, ctx } = setup();
      const p = Promise.resolve(42);
      const fn = logInvocation('p.op', { logContext: ctx, result: (r: number) => r })(() => p);
      const returned = fn();
      expect(returned).toBe(p);
      expect(sink.trail()).toEqual([['p.op', 'invoke']]);
      await expect(returned).resolves.toBe(42);
      await Promise.resolve();
      expect(sink.trail()).toEqual([
        ['p.op', 'invoke'],
        ['p.op', 'success'],
      ]);
      expect(sink.events[1]?.payload).toEqual({ result: 42 });
    });

    it('keeps custom handles (a thenable with extra methods) intact', async () => {
      const { sink, ctx } = setup();
      const handle = Object.assign(Promise.resolve('done'), { wait: () => 'waited' });
      const fn = logInvocation('h.op', { logContext: ctx })(() => handle);
      const returned = fn();
      expect(returned).toBe(handle);
      expect(returned.wait()).toBe('waited');
      await returned;
      await Promise.resolve();
      expect(sink.trail().map(([, o]) => o)).toEqual(['invoke', 'success']);
    });

    it('logs failed on rejection; the caller still sees the rejection', async () => {
      const { sink, ctx } = setup();
      const store = new Store(ctx);
      await expect(store.load('missing')).rejects.toThrow('not found');
      expect(sink.trail()).toEqual([
        ['store.load', 'invoke'],
        ['store.load', 'failed'],
      ]);
    });

    it('logs cancelled when the promise rejects with an AbortError', async () => {
      const { sink, ctx } = setup();
      const controller = new AbortController();
      const fn = logInvocation('a.op', { logContext: ctx })(
        (signal: AbortSignal) =>
          new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
      );
      const p = fn(controller.signal);
      controller.abort();
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
      expect(sink.trail().map(([, o]) => o)).toEqual(['invoke', 'cancelled']);
    });

    it('reports (never raises) logging failures in the side chain', async () => {
      let calls = 0;
      const lines: string[] = [];
      const ctx = LogContext.root({
        errorHandling: 'raise',
        diagnostics: (l) => lines.push(l),
        sink: {
          log() {
            calls += 1;
            if (calls > 1) throw new Error('sink down');
          },
        },
      });
      const fn = logInvocation('s.op', { logContext: ctx })(async () => 1);
      await expect(fn()).resolves.toBe(1);
      await new Promise((r) => setImmediate(r));
      expect(lines[0]).toMatch(/sink down/);
    });
  });

  describe('Observable', () => {
    it('logs success on complete with the last value for the result selector', async () => {
      const { sink, ctx } = setup();
      const fn = logInvocation('o.op', { logContext: ctx, result: (v: number | undefined) => v })(() =>
        of(1, 2, 3),
      );
      await expect(firstValueFrom(fn())).resolves.toBe(1);
      // firstValueFrom unsubscribes after the first value: that is a cancellation of this subscription.
      expect(sink.trail().map(([, o]) => o)).toEqual(['invoke', 'cancelled']);
      sink.clear();
      const values: number[] = [];
      fn().subscribe((v) => values.push(v));
      expect(values).toEqual([1, 2, 3]);
      expect(sink.events[1]).toMatchObject({ outcome: 'success', payload: { result: 3 } });
    });

    it('logs cancelled on unsubscribe before completion', () => {
      const { sink, ctx } = setup();
      const subject = new Subject<number>();
      const store = new Store(ctx);
      const sub = store.watch(subject).subscribe();
      subject.next(1);
      expect(sink.trail()).toEqual([['store.watch', 'invoke']]);
      sub.unsubscribe();
      expect(sink.events[1]).toMatchObject({
        outcome: 'cancelled',
        level: 'info',
        payload: { cancelled: true },
      });
      sub.unsubscribe();
      expect(sink.events).toHaveLength(2);
    });

    it('logs failed on error (and cancelled for an AbortError)', () => {
      const { sink, ctx } = setup();
      const store = new Store(ctx);
      const errors: unknown[] = [];
      store.watch(throwError(() => new Error('stream broke'))).subscribe({ error: (e) => errors.push(e) });
      store.watch(throwError(() => new AbortError('aborted'))).subscribe({ error: (e) => errors.push(e) });
      expect(errors).toHaveLength(2);
      expect(sink.trail().map(([, o]) => o)).toEqual(['invoke', 'failed', 'invoke', 'cancelled']);
    });

    it('returns a wrapping Observable (the one case where identity cannot be kept)', () => {
      const { ctx } = setup();
      const source = of(1);
      const fn = logInvocation('o.op', { logContext: ctx })(() => source);
      const out = fn();
      expect(out).not.toBe(source);
      expect(out).toBeInstanceOf(Observable);
    });

    it('returns the Observable untouched with trackObservables: false', () => {
      const { sink, ctx } = setup();
      const source = of(1);
      const fn = logInvocation('o.op', { logContext: ctx, trackObservables: false })(() => source);
      expect(fn()).toBe(source);
      expect(sink.trail().map(([, o]) => o)).toEqual(['invoke', 'success']);
    });
  });

  describe('policy', () => {
    const denyAll = () => new PatternLogEventPolicy({ defaultEnabled: false });

    it('gates invoke and success', () => {
      const { sink, ctx } = setup(denyAll());
      const args = jest.fn(() => ({}));
      const fn = logInvocation('x.op', { logContext: ctx, args })(() => 1);
      expect(fn()).toBe(1);
      expect(sink.events).toHaveLength(0);
      expect(args).not.toHaveBeenCalled();
    });

    it('never gates failed and cancelled', () => {
      const { sink, ctx } = setup(denyAll());
      const store = new Store(ctx);
      expect(() => store.save({ id: 'bad' })).toThrow();
      const sub = store.watch(new Subject<number>()).subscribe();
      sub.unsubscribe();
      expect(sink.trail()).toEqual([
        ['store.save', 'failed'],
        ['store.watch', 'cancelled'],
      ]);
    });
  });

  describe('context resolution', () => {
    it('disables logging when getLogContext() returns null (the body still runs)', () => {
      const store = new Store(null);
      expect(store.save({ id: 'a' })).toBe('a');
      expect(store.state).toBe('saved');
    });

    it('accepts a function of `this`, and null from it disables logging', () => {
      const { sink, ctx } = setup();
      const on = { enabled: true };
      const fn = logInvocation('x.op', { logContext: (self: typeof on) => (self.enabled ? ctx : null) })(
        function (this: typeof on) {
          return 1;
        },
      );
      fn.call(on);
      on.enabled = false;
      fn.call(on);
      expect(sink.events).toHaveLength(2);
    });

    it('disables logging with logContext: null', () => {
      const body = jest.fn(() => 5);
      expect(logInvocation('x.op', { logContext: null })(body)()).toBe(5);
      expect(body).toHaveBeenCalledTimes(1);
    });

    it('runs the call unlogged when no context can be found, reporting it (printed once per function)', () => {
      const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const failures: Error[] = [];
        const body = jest.fn(() => 'ran');
        const fn = logInvocation('x.op', { onLogFailure: (e) => failures.push(e) })(body);
        expect(fn()).toBe('ran');
        expect(fn()).toBe('ran');
        const bad = { getLogContext: () => 'nope' };
        expect(fn.call(bad)).toBe('ran');
        const throwing = {
          getLogContext(): never {
            throw new Error('provider bug');
          },
        };
        expect(fn.call(throwing)).toBe('ran');
        expect(body).toHaveBeenCalledTimes(4);
        expect(failures.map((e) => e.message)).toEqual([
          expect.stringMatching(/Expected `this` to be an object with getLogContext\(\)/),
          expect.stringMatching(/Expected `this` to be an object with getLogContext\(\)/),
          expect.stringMatching(/Expected `logContext` to be a LogContext/),
          expect.stringMatching(/provider bug/),
        ]);
        expect(failures.every((e) => e instanceof LogDeliveryError)).toBe(true);
        expect(printed).toHaveBeenCalledTimes(1);
        expect(String(printed.mock.calls[0]?.[0])).toMatch(/x\.op.*the call runs unlogged/);
      } finally {
        printed.mockRestore();
      }
    });
  });

  describe('entity id', () => {
    it('prefers the getter option, then a string entityId property, else null', () => {
      const { sink, ctx } = setup();
      const withGetter = logInvocation('x.op', {
        logContext: ctx,
        entityId: (_s, [id]: [string]) => `e-${id}`,
      })((id: string) => id);
      withGetter('7');
      const fromProp = logInvocation('x.op', { logContext: ctx })(function (this: unknown) {});
      fromProp.call({ entityId: 'prop' });
      fromProp.call({ entityId: 42 });
      fromProp.call(undefined);
      expect(sink.filter({ outcome: 'invoke' }).map((e) => e.meta.entityId)).toEqual([
        'e-7',
        'prop',
        null,
        null,
      ]);
    });

    it('never reads an `identity` property', () => {
      const { sink, ctx } = setup();
      const identity = jest.fn(() => {
        throw new Error('identity must not be read');
      });
      class Legacy {
        get identity(): string {
          return identity();
        }
        getLogContext(): LogContext {
          return ctx;
        }
        @logInvocation('legacy.op')
        run(): string {
          return 'ran';
        }
      }
      expect(new Legacy().run()).toBe('ran');
      expect(identity).not.toHaveBeenCalled();
      expect(sink.events.map((e) => e.meta.entityId)).toEqual([null, null]);
    });

    it('reports a throwing or non-string entity getter and logs with a null entity id (the body still runs)', () => {
      const sink = new MemorySink();
      const lines: string[] = [];
      const ctx = LogContext.root({ sink, diagnostics: (l) => lines.push(l) });
      const body = jest.fn(() => 1);
      const fn = logInvocation('x.op', {
        logContext: ctx,
        entityId: () => {
          throw new Error('getter bug');
        },
      })(body);
      expect(fn()).toBe(1);
      expect(body).toHaveBeenCalledTimes(1);
      expect(sink.events.map((e) => e.meta.entityId)).toEqual([null, null]);
      expect(lines.join('\n')).toMatch(/getter bug/);
      const numeric = logInvocation('y.op', { logContext: ctx, entityId: () => 42 as never })(() => 2);
      expect(numeric()).toBe(2);
      expect(ctx.failureCount).toBe(2);
    });
  });

  describe('payload selectors', () => {
    it('nests context fields under `context` when they collide with reserved keys', () => {
      const { sink, ctx } = setup();
      const fn = logInvocation('x.op', { logContext: ctx, context: () => ({ error: 'mine', state: 1 }) })(
        () => 1,
      );
      fn();
      expect(sink.events[0]?.payload).toEqual({ context: { error: 'mine', state: 1 } });
    });

    it('are best effort: a throwing selector never breaks the call', () => {
      const { sink, ctx } = setup();
      const boom = () => {
        throw new Error('selector bug');
      };
      const fn = logInvocation('x.op', { logContext: ctx, context: boom, args: boom, result: boom })(() => 1);
      expect(fn()).toBe(1);
      expect(sink.events.map((e) => e.payload)).toEqual([
        { context: '<selector failed>', args: '<selector failed>' },
        { context: '<selector failed>', result: '<selector failed>' },
      ]);
    });

    it('normalizes selector output', () => {
      const { sink, ctx } = setup();
      const fn = logInvocation('x.op', { logContext: ctx, args: (_s, a: [bigint]) => ({ n: a[0] }) })(
        (_n: bigint) => 1,
      );
      fn(5n);
      expect(sink.events[0]?.payload).toEqual({ args: { n: '5' } });
    });
  });

  describe('logging failures', () => {
    it('do not break the caller by default (sink throwing)', () => {
      const ctx = LogContext.root({
        sink: {
          log() {
            throw new Error('down');
          },
        },
        diagnostics: () => {},
      });
      expect(logInvocation('x.op', { logContext: ctx })(() => 3)()).toBe(3);
      const failing = logInvocation('y.op', { logContext: ctx })(() => {
        throw new RangeError('domain');
      });
      expect(() => failing()).toThrow(RangeError);
    });

    it("never reach the caller, even under 'raise': they are printed and handed to onLogFailure", () => {
      const lines: string[] = [];
      const ctx = LogContext.root({
        errorHandling: 'raise',
        diagnostics: (l) => lines.push(l),
        sink: {
          log() {
            throw new Error('down');
          },
        },
      });
      const failures: unknown[] = [];
      const body = jest.fn(() => 3);
      const ok = logInvocation('x.op', { logContext: ctx, onLogFailure: (e) => failures.push(e) })(body);
      expect(ok()).toBe(3);
      expect(body).toHaveBeenCalledTimes(1);
      expect(failures).toHaveLength(2); // invoke and success
      expect(failures[0]).toBeInstanceOf(LogDeliveryError);
      expect(lines).toHaveLength(1); // the first failure of the streak
      const domain = new RangeError('domain');
      const failing = logInvocation('y.op', { logContext: ctx })(() => {
        throw domain;
      });
      expect(() => failing()).toThrow(domain);
    });

    it('print one line per failure streak, even when the failure comes before invoke (an entity getter)', () => {
      const lines: string[] = [];
      const ctx = LogContext.root({ sink: new MemorySink(), diagnostics: (l) => lines.push(l) });
      const fn = logInvocation('x.op', {
        logContext: ctx,
        entityId: () => {
          throw new Error('getter bug');
        },
      })(() => 1);
      for (let i = 0; i < 5; i++) fn();
      expect(ctx.failureCount).toBe(5);
      expect(lines).toHaveLength(1);
    });

    it("do not call onLogFailure under 'ignore', and a throwing hook is ignored", () => {
      const hook = jest.fn();
      const sink = {
        log() {
          throw new Error('down');
        },
      };
      const ignoring = LogContext.root({ errorHandling: 'ignore', sink });
      expect(logInvocation('x.op', { logContext: ignoring, onLogFailure: hook })(() => 1)()).toBe(1);
      expect(hook).not.toHaveBeenCalled();
      expect(ignoring.failureCount).toBe(2);
      const printing = LogContext.root({ sink, diagnostics: () => {} });
      const throwingHook = () => {
        throw new Error('hook bug');
      };
      expect(logInvocation('x.op', { logContext: printing, onLogFailure: throwingHook })(() => 1)()).toBe(1);
    });
  });

  describe('decorator and HOF parity', () => {
    it('produce the same events for the same operation', () => {
      const a = setup();
      const b = setup();
      new Store(a.ctx).save({ id: 'd1' });
      const self = { entityId: 'store-1', state: 'idle', getLogContext: () => b.ctx };
      const save = logInvocation('store.save', {
        context: (s: typeof self) => ({ state: s.state }),
        args: (_s: typeof self, [doc]: [{ id: string }]) => ({ docId: doc.id }),
        result: (r: string) => ({ saved: r }),
      })(function (this: typeof self, doc: { id: string }) {
        this.state = 'saved';
        return doc.id;
      });
      expect(save.call(self, { id: 'd1' })).toBe('d1');
      expect(b.sink.events).toEqual(a.sink.events);
    });

    it('keeps the function name', () => {
      function namedOp(): number {
        return 1;
      }
      expect(logInvocation('x.op', { logContext: null })(namedOp).name).toBe('namedOp');
      expect(Store.prototype.save.name).toBe('save');
    });

    it('refuses non-method decorator kinds', () => {
      const deco = logInvocation('x.op');
      expect(() => deco(() => 1, { kind: 'getter' } as never)).toThrow(
        /Expected `context.kind` to be 'method'/,
      );
    });
  });

  describe('argument checks at decoration time', () => {
    it.each([
      ['', RangeError, /`event`/],
      ['has space', RangeError, /`event`/],
      [5, TypeError, /`event`/],
    ])('refuses event %j', (event, Ctor, message) => {
      expect(() => logInvocation(event as never)).toThrow(Ctor);
      expect(() => logInvocation(event as never)).toThrow(message);
    });

    it('accepts digits and hyphens in event names', () => {
      expect(() => logInvocation('v2.http-call')).not.toThrow();
    });

    it('refuses bad options, naming them', () => {
      expect(() => logInvocation('x', { levels: { invoke: 'loud' as never } })).toThrow(
        /`options.levels.invoke`/,
      );
      expect(() => logInvocation('x', { levels: { start: 'info' } as never })).toThrow(
        /Unknown option "start" in `options.levels`/,
      );
      expect(() => logInvocation('x', { levels: { __proto__: 'info' } as never })).not.toThrow();
      expect(() => logInvocation('x', { levels: JSON.parse('{"__proto__": "info"}') as never })).toThrow(
        /Unknown option "__proto__" in `options.levels`/,
      );
      expect(() => logInvocation('x', { context: 1 as never })).toThrow(
        /Expected `options.context` to be a function/,
      );
      expect(() => logInvocation('x', { logContext: {} as never })).toThrow(/`options.logContext`/);
      expect(() => logInvocation('x', { errorPolicy: [[Error, 'yes']] as never })).toThrow(
        /`options.errorPolicy\[0\]`/,
      );
      expect(() => logInvocation('x', { ctx: null } as never)).toThrow(/Unknown option "ctx" in `options`/);
      expect(() => logInvocation('x', { trackObservables: 1 as never })).toThrow(
        /`options.trackObservables`/,
      );
      expect(() => logInvocation('x', { onLogFailure: 'log' as never })).toThrow(/`options.onLogFailure`/);
      expect(() => logInvocation('x')(5 as never)).toThrow(/Expected `fn` to be a function/);
    });
  });
});
