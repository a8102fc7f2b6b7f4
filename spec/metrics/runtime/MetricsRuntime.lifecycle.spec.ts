import { RuntimeInvalidStateError, DEFAULT_SHUTDOWN_TIMEOUT_MS, MetricsRuntime } from 'mvx-common';
import { collect } from 'mvx-common/testing';

describe('MetricsRuntime', () => {
  describe('constructor', () => {
    it('creates a virgin runtime whose entityId is its trimmed namespace', () => {
      const runtime = new MetricsRuntime({ namespace: '  example.metrics ' });
      expect(runtime.getStatus()).toBe('virgin');
      expect(runtime.namespace).toBe('example.metrics');
      expect(runtime.entityId).toBe('example.metrics');
      expect(runtime.getLogContext()).toBeNull();
      expect(DEFAULT_SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    });

    it.each([
      [undefined, TypeError, /`options`/],
      [{}, TypeError, /`options.namespace`/],
      [{ namespace: 3 }, TypeError, /`options.namespace`/],
      [{ namespace: '  ' }, RangeError, /`options.namespace`/],
      [{ namespace: 'n', shutdownTimeoutMs: -1 }, RangeError, /`options.shutdownTimeoutMs`/],
      [
        { namespace: 'n', recorderDefaults: { capacity: 0 } },
        RangeError,
        /`options.recorderDefaults.capacity`/,
      ],
      [
        { namespace: 'n', recorderDefaults: { capacity: true } },
        TypeError,
        /`options.recorderDefaults.capacity`/,
      ],
      [
        { namespace: 'n', recorderDefaults: { overflow: 'drop' } },
        RangeError,
        /`options.recorderDefaults.overflow`/,
      ],
      [{ namespace: 'n', recorderFactory: 'x' }, TypeError, /`options.recorderFactory`/],
    ])('rejects bad options %p', (options, errorClass, message) => {
      expect(() => new MetricsRuntime(options as never)).toThrow(errorClass);
      expect(() => new MetricsRuntime(options as never)).toThrow(message);
    });
  });

  describe('start', () => {
    it('moves virgin -> starting -> running and is idempotent while running', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      const states = collect(runtime.state$);
      await runtime.start();
      await runtime.start();
      expect(runtime.getStatus()).toBe('running');
      expect(states.values).toEqual(['virgin', 'starting', 'running']);
      await runtime.shutdown();
    });

    it('joins a start in flight', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      const first = runtime.start();
      const second = runtime.start();
      expect(runtime.getStatus()).toBe('starting');
      await Promise.all([first, second]);
      expect(runtime.getStatus()).toBe('running');
      await runtime.shutdown();
    });

    it('rejects (never throws) with RuntimeInvalidStateError once closed', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      await runtime.shutdown();
      let promise: Promise<void> | undefined;
      expect(() => (promise = runtime.start())).not.toThrow();
      const error = await promise!.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeInvalidStateError);
      expect(error).toMatchObject({
        code: 'INVALID_RUNTIME_STATE',
        state: 'closed',
        expectedStates: ['virgin', 'running'],
      });
      expect(runtime.getStatus()).toBe('closed');
    });
  });

  describe('shutdown', () => {
    it('closes a virgin runtime at once, and is idempotent when closed', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      await runtime.shutdown();
      expect(runtime.getStatus()).toBe('closed');
      await expect(runtime.shutdown()).resolves.toBeUndefined();
      expect(runtime.getStatus()).toBe('closed');
    });

    it('closes a running runtime with no recorders: running -> stopping -> closed', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      await runtime.start();
      const states = collect(runtime.state$);
      await runtime.shutdown();
      expect(states.values).toEqual(['running', 'stopping', 'closed']);
    });

    it('waits for a start in flight, then closes', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      const started = runtime.start();
      await runtime.shutdown();
      await started;
      expect(runtime.getStatus()).toBe('closed');
    });

    it('resolves every concurrent shutdown once the runtime is closed', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      await runtime.start();
      await runtime.createRecorder('a');
      const all = Array.from({ length: 8 }, () => runtime.shutdown());
      await expect(Promise.all(all)).resolves.toHaveLength(8);
      expect(runtime.getStatus()).toBe('closed');
    });
  });

  describe('operations outside running', () => {
    it.each(['virgin', 'closed'] as const)('fail with RuntimeInvalidStateError when %s', async (state) => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      if (state === 'closed') await runtime.shutdown();
      const expected = { state, expectedStates: ['running'] };
      await expect(runtime.createRecorder('a')).rejects.toMatchObject(expected);
      await expect(runtime.stopRecorder('a')).rejects.toMatchObject(expected);
      await expect(runtime.stopAndRemoveRecorder('a')).rejects.toMatchObject(expected);
      expect(() => runtime.getRecorder('a')).toThrow(RuntimeInvalidStateError);
      expect(() => runtime.tryGetRecorder('a')).toThrow(RuntimeInvalidStateError);
      expect(() => runtime.listRecorderIds()).toThrow(RuntimeInvalidStateError);
      expect(runtime.getStatus()).toBe(state);
    });

    it('validate arguments before the state check', async () => {
      const runtime = new MetricsRuntime({ namespace: 'test' });
      await expect(runtime.createRecorder('  ')).rejects.toThrow(RangeError);
      await expect(runtime.createRecorder(7 as never)).rejects.toThrow(TypeError);
      expect(() => runtime.getRecorder(undefined as never)).toThrow(/`recorderId`/);
    });
  });
});
