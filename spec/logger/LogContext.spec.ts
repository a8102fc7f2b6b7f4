import {
  ConsoleJsonSink,
  LogContext,
  LogDeliveryError,
  MemorySink,
  PatternLogEventPolicy,
  PayloadNormalizer,
  createLogEvent,
  createLogEventMeta,
  isErrorLogged,
} from 'mvx-common/logger';
import type { LogSink } from 'mvx-common/logger';

const throwingSink: LogSink = {
  log() {
    throw new Error('sink down');
  },
};

describe('LogContext', () => {
  let sink: MemorySink;
  let root: LogContext;

  beforeEach(() => {
    sink = new MemorySink();
    root = LogContext.root({ namespace: 'app', sink, clock: () => 1234 });
  });

  describe('root', () => {
    it('has defaults for every inherited component', () => {
      const bare = new LogContext();
      expect(bare.isRoot).toBe(true);
      expect(bare.namespace).toBe('');
      expect(bare.sink).toBeInstanceOf(ConsoleJsonSink);
      expect(bare.payloadProcessor).toBeInstanceOf(PayloadNormalizer);
      expect(bare.errorHandling).toBe('print-stderr');
      expect(bare.eventPolicy).toBeNull();
      expect(typeof bare.now()).toBe('number');
    });

    it('validates options, naming the parameter', () => {
      expect(() => LogContext.root({ namespace: 'bad ns' })).toThrow(
        /Expected `options.namespace` to be dotted segments/,
      );
      expect(() => LogContext.root({ errorHandling: 'loud' as never })).toThrow(RangeError);
      expect(() => LogContext.root({ sink: {} as never })).toThrow(
        /Expected `options.sink` to be an object with a log/,
      );
      expect(() => LogContext.root({ clock: 5 as never })).toThrow(
        /Expected `options.clock` to be a function/,
      );
      expect(() => LogContext.root({ eventPolicy: {} as never })).toThrow(TypeError);
      expect(() => LogContext.root({ payloadProcessor: {} as never })).toThrow(/`options.payloadProcessor`/);
      expect(() => LogContext.root({ sinks: [] } as never)).toThrow(/Unknown option "sinks" in `options`/);
      expect(() => root.configure({ namespace: 'x' } as never)).toThrow(/Unknown option "namespace"/);
      expect(() => root.child('a', { namespace: 'x' } as never)).toThrow(/Unknown option "namespace"/);
    });

    it('cannot return a component to inheritance', () => {
      expect(() => root.configure({ sink: null })).toThrow(/root context cannot inherit `sink`/);
      // Atomic: a bad option changes nothing.
      const other = new MemorySink();
      expect(() => root.configure({ sink: other, clock: 'now' as never })).toThrow(/`options.clock`/);
      expect(root.sink).toBe(sink);
    });
  });

  describe('child', () => {
    it('composes namespaces and inherits sink, processor, error handling and clock', () => {
      const child = root.child('store').child('db.pool');
      expect(child.namespace).toBe('app.store.db.pool');
      expect(child.parent?.parent).toBe(root);
      expect(child.isRoot).toBe(false);
      expect(child.sink).toBe(sink);
      expect(child.payloadProcessor).toBe(root.payloadProcessor);
      expect(child.errorHandling).toBe('print-stderr');
      child.info('x');
      expect(sink.events[0]?.timestamp).toBe(1234);
    });

    it('uses the bare name under an empty root namespace', () => {
      expect(LogContext.root({ sink }).child('metrics').namespace).toBe('metrics');
    });

    it('sees later changes of its parent (inheritance is live)', () => {
      const child = root.child('a');
      const other = new MemorySink();
      root.configure({ sink: other });
      child.info('x');
      expect(other.events).toHaveLength(1);
    });

    it('can override locally and return to inheritance with null', () => {
      const local = new MemorySink();
      const child = root.child('a', { sink: local });
      child.info('x');
      expect(local.events).toHaveLength(1);
      child.configure({ sink: null });
      child.info('y');
      expect(sink.events.map((e) => e.meta.eventName)).toEqual(['y']);
    });

    it('does not inherit the event policy', () => {
      root.configure({ eventPolicy: new PatternLogEventPolicy({ defaultEnabled: false }) });
      const child = root.child('a');
      expect(child.eventPolicy).toBeNull();
      expect(root.info('x')).toBe(false);
      expect(child.info('y')).toBe(true);
      expect(sink.trail()).toEqual([['y', null]]);
    });

    it('refuses bad namespaces', () => {
      expect(() => root.child('')).toThrow(RangeError);
      expect(() => root.child('1abc')).toThrow(/Expected `namespace` to be dotted segments/);
      expect(() => root.child('a..b')).toThrow(RangeError);
      expect(() => root.child(3 as never)).toThrow(TypeError);
    });
  });

  describe('logEvent and level helpers', () => {
    it('builds meta from the context and options, normalizes the payload, stamps the clock', () => {
      root.logEvent(
        'warning',
        'cache.miss',
        { key: 'a', n: 1n },
        {
          entityId: 'c1',
          outcome: 'custom',
          source: { path: 'x.ts', line: 1 },
        },
      );
      expect(sink.events[0]).toEqual({
        level: 'warning',
        meta: {
          namespace: 'app',
          eventName: 'cache.miss',
          entityId: 'c1',
          source: { path: 'x.ts', line: 1 },
        },
        outcome: 'custom',
        timestamp: 1234,
        payload: { key: 'a', n: '1' },
      });
    });

    it('has one helper per level', () => {
      root.debug('a');
      root.info('b');
      root.warning('c');
      root.error('d');
      root.critical('e');
      expect(sink.events.map((e) => e.level)).toEqual(['debug', 'info', 'warning', 'error', 'critical']);
    });

    it('can override the namespace and skip normalization', () => {
      const payload = { already: 'safe' };
      root.info('x', payload, { namespace: null, skipNormalization: true });
      expect(sink.events[0]?.meta.namespace).toBeNull();
      // Copied (so it cannot change after the fact), not normalized.
      expect(sink.events[0]?.payload).toEqual(payload);
      expect(Object.isFrozen(sink.events[0]?.payload)).toBe(true);
      const long = { text: 'x'.repeat(500) };
      root.info('y', long, { skipNormalization: true });
      expect(sink.events[1]?.payload).toEqual(long);
    });

    it('does not normalize a payload the policy rejects', () => {
      const processor = { normalizePayload: jest.fn(() => ({})), normalizeValue: jest.fn(() => null) };
      const ctx = root.child('p', {
        payloadProcessor: processor,
        eventPolicy: { isEventEnabled: () => false },
      });
      expect(ctx.info('x', { a: 1 })).toBe(false);
      expect(processor.normalizePayload).not.toHaveBeenCalled();
    });

    it('reports a malformed call as a logging failure: false, or a LogDeliveryError naming the argument under raise', () => {
      const lines: string[] = [];
      const lenient = root.child('l', { diagnostics: (l) => lines.push(l) });
      expect(lenient.logEvent('fatal' as never, 'x')).toBe(false);
      expect(lenient.info('')).toBe(false);
      expect(lenient.info('x', {}, { entityId: 42 } as never)).toBe(false);
      expect(lenient.info('x', {}, { entityID: 'a' } as never)).toBe(false);
      expect(lenient.failureCount).toBe(4);
      expect(lines[0]).toMatch(/Expected `level` to be one of/);
      expect(sink.events).toHaveLength(0);
      const strict = root.child('s', { errorHandling: 'raise' });
      expect(() => strict.info('')).toThrow(LogDeliveryError);
      expect(() => strict.info('')).toThrow(/Expected `eventName` to be a non-empty string/);
      expect(() => strict.info('x', {}, { source: { line: -1 } })).toThrow(/`options.source.line`/);
      expect(() => strict.info('x', {}, { entityID: 'a' } as never)).toThrow(/Unknown option "entityID"/);
    });
  });

  describe('isEventEnabled', () => {
    it('is true without a policy and asks the policy otherwise', () => {
      const meta = createLogEventMeta({ eventName: 'a.b', namespace: 'app' });
      expect(root.isEventEnabled(meta)).toBe(true);
      root.configure({
        eventPolicy: new PatternLogEventPolicy({ rules: [{ action: 'deny', eventNames: ['a.*'] }] }),
      });
      expect(root.isEventEnabled(meta)).toBe(false);
      root.configure({ eventPolicy: null });
      expect(root.isEventEnabled(meta)).toBe(true);
    });
  });

  describe('delivery failures', () => {
    it('never throw into the caller by default and print the first failure of a streak', () => {
      const lines: string[] = [];
      const ctx = LogContext.root({ sink: throwingSink, diagnostics: (l) => lines.push(l) });
      expect(() => ctx.info('a')).not.toThrow();
      expect(ctx.info('b')).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/\[mvx-logger\] Could not deliver log event 'a': Error: sink down/);
    });

    it('print again after a successful delivery ends the streak', () => {
      const lines: string[] = [];
      let fail = true;
      const flaky: LogSink = {
        log() {
          if (fail) throw new Error('flaky');
        },
      };
      const ctx = LogContext.root({ sink: flaky, diagnostics: (l) => lines.push(l) });
      ctx.info('a');
      fail = false;
      ctx.info('b');
      fail = true;
      ctx.info('c');
      expect(lines).toHaveLength(2);
    });

    it("are silent under 'ignore'", () => {
      const diagnostics = jest.fn();
      const ctx = LogContext.root({ sink: throwingSink, errorHandling: 'ignore', diagnostics });
      expect(ctx.error('a')).toBe(false);
      expect(diagnostics).not.toHaveBeenCalled();
    });

    it("throw a LogDeliveryError under 'raise'", () => {
      const ctx = LogContext.root({ sink: throwingSink, errorHandling: 'raise' });
      expect(() => ctx.info('a')).toThrow(LogDeliveryError);
      try {
        ctx.info('a');
      } catch (err) {
        expect((err as LogDeliveryError).cause).toEqual(new Error('sink down'));
      }
    });

    it('cover a throwing policy and a throwing processor', () => {
      const lines: string[] = [];
      const ctx = LogContext.root({
        sink,
        diagnostics: (l) => lines.push(l),
        eventPolicy: {
          isEventEnabled() {
            throw new Error('policy bug');
          },
        },
      });
      expect(ctx.info('a')).toBe(false);
      expect(sink.events).toHaveLength(0);
      const ctx2 = LogContext.root({
        sink,
        diagnostics: (l) => lines.push(l),
        payloadProcessor: {
          normalizePayload() {
            throw new Error('processor bug');
          },
          normalizeValue: () => null,
        },
      });
      // A failing processor never costs the event: the built-in normalizer stands in.
      expect(ctx2.info('b', { n: 1n })).toBe(true);
      expect(sink.events[0]?.payload).toEqual({ n: '1' });
      expect(lines.join('\n')).toMatch(/policy bug[\s\S]*processor bug/);
      expect(ctx.failureCount + ctx2.failureCount).toBe(2);
    });

    it('survive a throwing diagnostics writer', () => {
      const ctx = LogContext.root({
        sink: throwingSink,
        diagnostics: () => {
          throw new Error('stderr closed');
        },
      });
      expect(() => ctx.info('a')).not.toThrow();
    });
  });

  describe('emit', () => {
    it('delivers as is, without policy check', () => {
      root.configure({ eventPolicy: new PatternLogEventPolicy({ defaultEnabled: false }) });
      const event = createLogEvent({
        level: 'info',
        meta: createLogEventMeta({ eventName: 'x' }),
        timestamp: 5,
      });
      expect(root.emit(event)).toBe(true);
      expect(sink.events[0]).toBe(event);
    });
  });

  describe('error helpers', () => {
    it('build error payloads with the context normalizer and track logged errors', () => {
      const ctx = root.child('e', { payloadProcessor: new PayloadNormalizer({ maxStringLength: 5 }) });
      const err = new Error('x', { cause: 'long cause' });
      expect(ctx.buildErrorPayload(err)).toEqual({ name: 'Error', message: 'x', cause: 'long ...' });
      expect(ctx.isErrorLogged(err)).toBe(false);
      ctx.markErrorLogged(err);
      expect(isErrorLogged(err)).toBe(true);
    });

    it('expose the normalizer', () => {
      expect(root.normalizeValue(NaN)).toBe('NaN');
      expect(root.normalizePayload({ a: undefined })).toEqual({ a: null });
    });
  });
});
