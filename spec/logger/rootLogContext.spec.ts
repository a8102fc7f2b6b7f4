import {
  ConsoleJsonSink,
  LogContext,
  MemorySink,
  PatternLogEventPolicy,
  configureLogContext,
  getLogContext,
  getRootLogContext,
  resetLogger,
} from 'mvx-common/logger';

describe('root log context (getRootLogContext, configureLogContext, getLogContext, resetLogger)', () => {
  afterEach(() => resetLogger());

  it('has a lazily created root with a console sink', () => {
    const root = getRootLogContext();
    expect(root).toBeInstanceOf(LogContext);
    expect(root.namespace).toBe('');
    expect(root.sink).toBeInstanceOf(ConsoleJsonSink);
    expect(getRootLogContext()).toBe(root);
    expect(getLogContext('')).toBe(root);
  });

  it('creates missing parents bare and configures only the leaf', () => {
    const sink = new MemorySink();
    const policy = new PatternLogEventPolicy({ defaultEnabled: false });
    const leaf = configureLogContext('my_app.metrics.recorder', { sink, eventPolicy: policy });
    expect(leaf.namespace).toBe('my_app.metrics.recorder');
    const parent = getLogContext('my_app.metrics');
    expect(parent).toBe(leaf.parent);
    expect(parent?.eventPolicy).toBeNull();
    expect(parent?.sink).toBe(getRootLogContext().sink);
    expect(leaf.sink).toBe(sink);
    expect(leaf.eventPolicy).toBe(policy);
  });

  it('updates an existing context with only the passed components', () => {
    const sink = new MemorySink();
    const first = configureLogContext('a.b', { sink });
    const second = configureLogContext('a.b', { errorHandling: 'ignore' });
    expect(second).toBe(first);
    expect(second.sink).toBe(sink);
    expect(second.errorHandling).toBe('ignore');
  });

  it('forgets everything on resetLogger', () => {
    const root = getRootLogContext();
    configureLogContext('a');
    resetLogger();
    expect(getLogContext('a')).toBeUndefined();
    expect(getRootLogContext()).not.toBe(root);
  });

  it('validates the namespace', () => {
    expect(() => configureLogContext('')).toThrow(RangeError);
    expect(() => configureLogContext('a..b')).toThrow(RangeError);
    expect(() => getLogContext(1 as never)).toThrow(TypeError);
  });
});
