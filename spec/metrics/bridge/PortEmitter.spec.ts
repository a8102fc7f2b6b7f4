import { MessageChannel } from 'node:worker_threads';
import { map, Subject, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { BRIDGE_PROTOCOL, createPortEmitter } from 'mvx-common';
import type { MessagePortLike } from 'mvx-common';

/** A port that records what is posted (also as a stream, for marble tests). */
function fakePort(): MessagePortLike & { posted: unknown[]; posted$: Observable<unknown> } {
  const posted: unknown[] = [];
  const posted$ = new Subject<unknown>();
  return {
    posted,
    posted$,
    postMessage: (message: unknown) => {
      const copy = structuredClone(message);
      posted.push(copy);
      posted$.next(copy);
    },
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  };
}

const e = (n: number) => ({ type: 'job.done', n });
const batchOf = (...ns: number[]) => ({ mvx: BRIDGE_PROTOCOL, kind: 'events', events: ns.map(e) });

describe('createPortEmitter', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it('posts a batch as soon as it holds maxBatchSize events', () => {
    const port = fakePort();
    const emitter = createPortEmitter(port, { maxBatchSize: 3, scheduler });
    for (let i = 1; i <= 7; i++) emitter.emit(e(i));
    expect(port.posted).toEqual([batchOf(1, 2, 3), batchOf(4, 5, 6)]);
    expect(emitter.getStats()).toEqual({
      emitted: 7,
      posted: 6,
      batches: 2,
      pending: 1,
      dropped: 0,
      failed: 0,
    });
  });

  it('posts a partial batch flushIntervalMs after its first event (virtual time)', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions, flush }) => {
      const port = fakePort();
      const emitter = createPortEmitter(port, { flushIntervalMs: 10, scheduler });
      // 1 at 0 and 2 at 5 ms go out together at 10 ms; 3 at 12 ms goes out at 22 ms.
      const events = hot('   a 4ms b 6ms c 9ms |', { a: e(1), b: e(2), c: e(3) });
      const expected = '     10ms x 11ms y';
      const subs = '         ^ 21ms !';
      events.subscribe(emitter);
      expectObservable(port.posted$).toBe(expected, { x: batchOf(1, 2), y: batchOf(3) });
      expectSubscriptions(events.subscriptions).toBe(subs);
      flush();
      expect(emitter.getStats()).toMatchObject({ posted: 3, batches: 2, pending: 0 });
    });
  });

  it('cancels the timer when a size-based flush empties the batch', () => {
    scheduler.run(({ flush }) => {
      const port = fakePort();
      const emitter = createPortEmitter(port, { maxBatchSize: 2, flushIntervalMs: 10, scheduler });
      emitter.emit(e(1));
      emitter.emit(e(2));
      flush();
      expect(port.posted).toEqual([batchOf(1, 2)]);
    });
  });

  it('flushes on flush() and on close(); drops (counts) events after close', () => {
    const port = fakePort();
    const emitter = createPortEmitter(port, { scheduler });
    emitter.emit(e(1));
    emitter.flush();
    emitter.flush();
    emitter.emit(e(2));
    emitter.close();
    emitter.close();
    emitter.emit(e(3));
    expect(port.posted).toEqual([batchOf(1), batchOf(2)]);
    expect(emitter.closed).toBe(true);
    expect(emitter.getStats()).toMatchObject({ emitted: 3, posted: 2, dropped: 1, pending: 0 });
  });

  it('is an Observer: a piped stream feeds it, its error is reported, never thrown', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const port = fakePort();
      const emitter = createPortEmitter(port, { flushIntervalMs: 5, scheduler });
      const events = hot('   a-b-#', { a: e(1), b: e(2) }, 'boom');
      const posted = '       5ms x';
      const reported = '     ----r';
      const subs = '         ^---!';
      events.subscribe(emitter);
      expectObservable(port.posted$).toBe(posted, { x: batchOf(1, 2) });
      expectObservable(emitter.errors$.pipe(map((err) => err.message))).toBe(reported, {
        r: expect.stringMatching(/boom/),
      });
      expectSubscriptions(events.subscriptions).toBe(subs);
    });
    const emitter = createPortEmitter(fakePort(), { scheduler });
    expect(() => emitter.error('boom')).not.toThrow();
    expect(() => emitter.complete()).not.toThrow();
  });

  it('counts a batch that cannot be posted as failed and reports it, without throwing', () => {
    const port = fakePort();
    const emitter = createPortEmitter(port, { scheduler });
    const errors: Error[] = [];
    emitter.errors$.subscribe((err) => errors.push(err));
    emitter.emit({ type: 'bad', callback: () => undefined } as never);
    expect(() => emitter.flush()).not.toThrow();
    expect(emitter.getStats()).toMatchObject({ failed: 1, posted: 0 });
    expect(errors).toHaveLength(1);
  });

  it('posts the rest of a batch when some events cannot be cloned (counted as failed, reported)', () => {
    const port = fakePort();
    const emitter = createPortEmitter(port, { scheduler });
    const errors: Error[] = [];
    emitter.errors$.subscribe((err) => errors.push(err));
    const { proxy, revoke } = Proxy.revocable({ type: 'revoked' }, {});
    revoke();
    const throwing = {
      type: 'getter',
      get boom(): number {
        throw new Error('getter');
      },
    };
    emitter.emit(e(1));
    emitter.emit({ type: 'fn', callback: () => undefined } as never);
    emitter.emit(e(2));
    emitter.emit(proxy as never);
    emitter.emit(throwing as never);
    emitter.emit(e(3));
    expect(() => emitter.flush()).not.toThrow();
    expect(port.posted).toEqual([batchOf(1, 2, 3)]);
    expect(emitter.getStats()).toMatchObject({ emitted: 6, posted: 3, failed: 3, batches: 1, pending: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/3 of 6 events/);
  });

  it('counts every event as failed when the port itself throws, and never throws', () => {
    const port = {
      postMessage: () => {
        throw new Error('port closed for good');
      },
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    };
    const emitter = createPortEmitter(port, { maxBatchSize: 4, scheduler });
    const errors: Error[] = [];
    emitter.errors$.subscribe((err) => errors.push(err));
    for (let i = 0; i < 10; i++) expect(() => emitter.emit(e(i))).not.toThrow();
    expect(() => emitter.close()).not.toThrow();
    expect(emitter.getStats()).toMatchObject({ emitted: 10, posted: 0, failed: 10, pending: 0 });
    expect(errors.map((err) => err.message)).toEqual([
      expect.stringMatching(/4 of 4 events.*port closed for good/),
      expect.stringMatching(/4 of 4 events/),
      expect.stringMatching(/2 of 2 events/),
    ]);
  });

  it('error() never throws, whatever it is given (null-prototype objects, revoked proxies)', () => {
    const emitter = createPortEmitter(fakePort(), { scheduler });
    const errors: Error[] = [];
    emitter.errors$.subscribe((err) => errors.push(err));
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostile: unknown[] = [
      Object.create(null),
      proxy,
      {
        toString: () => {
          throw new Error('toString');
        },
      },
      Symbol('s'),
      undefined,
      new TypeError('real'),
    ];
    for (const cause of hostile) expect(() => emitter.error(cause)).not.toThrow();
    expect(errors).toHaveLength(hostile.length);
    expect(errors.every((err) => err instanceof Error)).toBe(true);
    expect(errors[5]).toBe(hostile[5]);
    expect(errors[0]!.message).toMatch(/null prototype/);
  });

  it('emit never throws on a closed Node port', () => {
    const { port1, port2 } = new MessageChannel();
    port1.close();
    const emitter = createPortEmitter(port1, { maxBatchSize: 2, scheduler });
    expect(() => {
      for (let i = 0; i < 5; i++) emitter.emit(e(i));
      emitter.close();
    }).not.toThrow();
    expect(emitter.getStats()).toMatchObject({ emitted: 5, pending: 0 });
    port2.close();
  });

  it.each([
    [null, {}, TypeError, /`port`/],
    [fakePort(), { maxBatchSize: 0 }, RangeError, /`options.maxBatchSize`/],
    [fakePort(), { flushIntervalMs: -1 }, RangeError, /`options.flushIntervalMs`/],
    [fakePort(), { scheduler: {} }, TypeError, /`options.scheduler`/],
    [fakePort(), 'x', TypeError, /`options`/],
  ])('rejects bad arguments (%#)', (port, options, errorClass, message) => {
    expect(() => createPortEmitter(port as never, options as never)).toThrow(errorClass);
    expect(() => createPortEmitter(port as never, options as never)).toThrow(message);
  });
});
