/**
 * Class identity across copies of the library: a second copy of every module (as when the ESM and the
 * CommonJS build are both loaded) is made with `jest.isolateModules`, and `instanceof` between the copies
 * must give exactly what it gives within one copy. spec/package/pack.spec.ts checks the same with the two
 * real builds of the installed tarball.
 */
import fc from 'fast-check';
import * as one from 'mvx-common';
import * as oneNode from 'mvx-common/node';

type Lib = typeof one & typeof oneNode;

function loadCopy(): Lib {
  let copy: Lib | undefined;
  jest.isolateModules(() => {
    copy = { ...require('mvx-common'), ...require('mvx-common/node') } as Lib;
  });
  if (!copy) throw new Error('no copy loaded');
  return copy;
}

const two = loadCopy();
const first: Lib = { ...one, ...oneNode };

/** Every error class of the package, with a way to make an instance (abstract bases have none). */
const ERROR_CLASSES = {
  MetricsError: undefined,
  MetricsRecorderError: undefined,
  MetricsRuntimeError: undefined,
  RecorderInvalidStateError: (l: Lib) => new l.RecorderInvalidStateError('stopped', ['running'], 'emit'),
  RecorderOverflowError: (l: Lib) => new l.RecorderOverflowError(3),
  RecorderHookError: (l: Lib) => new l.RecorderHookError('starting', { cause: new Error('x') }),
  RecorderStopTimeoutError: (l: Lib) => new l.RecorderStopTimeoutError(10),
  MetricFailedError: (l: Lib) => new l.MetricFailedError('m'),
  RecorderUnexpectedError: (l: Lib) => new l.RecorderUnexpectedError('boom'),
  RuntimeInvalidStateError: (l: Lib) => new l.RuntimeInvalidStateError('closed', ['running'], 'start'),
  RecorderAlreadyExistsError: (l: Lib) => new l.RecorderAlreadyExistsError('a'),
  RecorderNotFoundError: (l: Lib) => new l.RecorderNotFoundError('a'),
  RecorderStartupError: (l: Lib) => new l.RecorderStartupError('a'),
  RecorderStopError: (l: Lib) => new l.RecorderStopError('a'),
  RuntimeShutdownError: (l: Lib) => new l.RuntimeShutdownError(['a'], {}),
  WorkerStartupError: (l: Lib) => new l.WorkerStartupError('no module'),
  WorkerCrashedError: (l: Lib) => new l.WorkerCrashedError(1, {}),
  LogDeliveryError: (l: Lib) => new l.LogDeliveryError('app.crash', new Error('disk full')),
} as const;
type ClassName = keyof typeof ERROR_CLASSES;
const NAMES = Object.keys(ERROR_CLASSES) as ClassName[];
const CONCRETE = NAMES.filter((n) => ERROR_CLASSES[n] !== undefined);

const ctor = (l: Lib, name: ClassName) => l[name] as unknown as abstract new (...args: never[]) => unknown;
const make = (l: Lib, name: ClassName): Error => (ERROR_CLASSES[name] as (l: Lib) => Error)(l);

describe('error class identity across two copies of the library', () => {
  it('brands every exported error class (a class without its own brand loses identity across builds)', () => {
    const errorClasses = Object.entries(first).filter(
      ([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error,
    );
    expect(errorClasses.length).toBeGreaterThanOrEqual(NAMES.length);
    const unbranded = errorClasses
      .filter(
        ([name, v]) =>
          (Object.getOwnPropertyDescriptor(v, 'mvxBrand')?.value as unknown) !== `mvx-common/${name}`,
      )
      .map(([name]) => name);
    expect(unbranded).toEqual([]);
  });

  it('loads two distinct copies', () => {
    expect(two.RecorderOverflowError).not.toBe(first.RecorderOverflowError);
  });

  it('instanceof between copies equals instanceof within one copy, for every pair of classes', () => {
    for (const made of CONCRETE) {
      for (const tested of NAMES) {
        const within = make(first, made) instanceof ctor(first, tested);
        expect([made, tested, make(two, made) instanceof ctor(first, tested)]).toEqual([
          made,
          tested,
          within,
        ]);
        expect([made, tested, make(first, made) instanceof ctor(two, tested)]).toEqual([
          made,
          tested,
          within,
        ]);
      }
    }
  });

  it('keeps the documented hierarchy', () => {
    const e = make(two, 'RecorderOverflowError');
    expect(e).toBeInstanceOf(first.RecorderOverflowError);
    expect(e).toBeInstanceOf(first.MetricsRecorderError);
    expect(e).toBeInstanceOf(first.MetricsError);
    expect(e).toBeInstanceOf(Error);
    expect(e instanceof first.RuntimeInvalidStateError).toBe(false);
    expect(e instanceof first.MetricsRuntimeError).toBe(false);
    expect(make(two, 'WorkerCrashedError')).toBeInstanceOf(first.MetricsRuntimeError);
    expect(make(two, 'LogDeliveryError') instanceof first.MetricsError).toBe(false);
  });

  it('names every error after its class', () => {
    for (const name of CONCRETE) expect(make(first, name).name).toBe(name);
  });

  it('keeps ordinary instanceof for subclasses of your own', () => {
    for (const l of [first, two]) {
      class MyOverflow extends l.RecorderOverflowError {}
      const mine = new MyOverflow(1);
      expect(mine.name).toBe('MyOverflow');
      expect(mine).toBeInstanceOf(first.RecorderOverflowError);
      expect(mine).toBeInstanceOf(two.RecorderOverflowError);
      expect(mine).toBeInstanceOf(two.MetricsError);
      expect(new l.RecorderOverflowError(1) instanceof MyOverflow).toBe(false);
      expect(new first.RecorderOverflowError(1) instanceof MyOverflow).toBe(false);
    }
  });

  it('accepts an object made from a prototype, as ordinary instanceof does', () => {
    const fake = Object.create(two.RecorderOverflowError.prototype) as unknown;
    expect(fake instanceof first.RecorderOverflowError).toBe(true);
    expect(fake instanceof first.RecorderHookError).toBe(false);
  });

  it('narrows the type like ordinary instanceof', () => {
    const e: unknown = make(two, 'RecorderOverflowError');
    if (!(e instanceof first.RecorderOverflowError)) throw new Error('not narrowed');
    const capacity: number = e.capacity;
    expect(capacity).toBe(3);
  });

  it('never throws for hostile or foreign values', () => {
    const throwingProxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
      },
    );
    // a chain that never ends: every prototype is a new Proxy
    const endless: object = new Proxy(
      {},
      {
        getPrototypeOf: () => endless,
        getOwnPropertyDescriptor: () => undefined,
      },
    );
    const constructorProxy = Object.create(
      new Proxy(
        {},
        {
          getOwnPropertyDescriptor() {
            throw new Error('trap');
          },
        },
      ),
    ) as object;
    const foreign = [
      throwingProxy,
      endless,
      constructorProxy,
      null,
      undefined,
      0,
      'RecorderOverflowError',
      Symbol('x'),
      Object.create(null),
      { name: 'RecorderOverflowError', code: 'QUEUE_OVERFLOW' },
      new Error('plain'),
      () => undefined,
    ];
    for (const name of NAMES) {
      for (const value of foreign) {
        expect(() => value instanceof ctor(first, name)).not.toThrow();
        expect(value instanceof ctor(first, name)).toBe(false);
      }
    }
  });

  it('refuses look-alike classes of other libraries (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.string(), (name, brand) => {
        // a foreign class whose static field copies the brand's field name but not its value
        class Foreign extends Error {
          static readonly mvxBrand = brand === `mvx-common/${name}` ? `${brand}!` : brand;
        }
        return !(new Foreign() instanceof ctor(first, name));
      }),
    );
  });
});

describe('LogContext identity across two copies', () => {
  it('is instanceof across copies and accepted by the other copy as a log context', async () => {
    const sink = new first.MemorySink();
    const ctx = two.LogContext.root({ namespace: 'app', sink });
    expect(ctx).toBeInstanceOf(first.LogContext);
    // a recorder of one copy logs through a context of the other copy
    const recorder = new first.MetricsRecorder('x', { logContext: ctx as unknown as one.LogContext });
    await recorder.start();
    await recorder.dispose();
    expect(sink.events.length).toBeGreaterThan(0);
  });
});
