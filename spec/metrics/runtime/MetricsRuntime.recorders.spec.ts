import {
  MetricsRecorder,
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  MetricsRuntime,
} from 'mvx-common';
import { BrokenStartRecorder, BrokenStopRecorder, SlowStopRecorder } from '../../helpers/runtimeFixtures.js';

describe('MetricsRuntime recorders', () => {
  let runtime: MetricsRuntime;

  beforeEach(async () => {
    runtime = new MetricsRuntime({ namespace: 'test.runtime' });
    await runtime.start();
  });

  afterEach(async () => {
    await runtime.shutdown().catch(() => undefined);
  });

  describe('createRecorder', () => {
    it('creates a running recorder registered under its trimmed id, entityId defaulting to the id', async () => {
      const recorder = await runtime.createRecorder('  recorder  ');
      expect(recorder).toBeInstanceOf(MetricsRecorder);
      expect(recorder.getStatus()).toBe('running');
      expect(recorder.entityId).toBe('recorder');
      expect(recorder.namespace).toBe('test.runtime');
      expect(runtime.getRecorder('recorder')).toBe(recorder);
    });

    it('accepts a custom entityId and namespace; still registered under the id', async () => {
      const recorder = await runtime.createRecorder('r', { entityId: 'tenant-7', namespace: 'custom.ns' });
      expect(recorder.entityId).toBe('tenant-7');
      expect(recorder.namespace).toBe('custom.ns');
      expect(runtime.listRecorderIds()).toEqual(['r']);
    });

    it('applies recorderDefaults, overridable per recorder', async () => {
      const custom = new MetricsRuntime({
        namespace: 'ns',
        recorderDefaults: { capacity: 7, overflow: 'drop-oldest' },
      });
      await custom.start();
      const byDefault = await custom.createRecorder('a');
      const overridden = await custom.createRecorder('b', { capacity: 3, overflow: 'error' });
      expect(byDefault.getStats().capacity).toBe(7);
      expect(overridden.getStats().capacity).toBe(3);
      overridden.emit({ type: 'x' });
      overridden.emit({ type: 'x' });
      overridden.emit({ type: 'x' });
      expect(() => overridden.registerEvent({ type: 'x' })).toThrow(/full/);
      await custom.shutdown();
    });

    it.each([
      [{ entityId: 5 }, TypeError, /`options.entityId`/],
      [{ namespace: 5 }, TypeError, /`options.namespace`/],
      [{ capacity: true }, TypeError, /`options.capacity`/],
      [{ capacity: 1.5 }, RangeError, /`options.capacity`/],
      [{ capacity: 0 }, RangeError, /`options.capacity`/],
      [{ capacity: -1 }, RangeError, /`options.capacity`/],
      [{ overflow: 'DROP' }, RangeError, /`options.overflow`/],
      [{ factory: 'nope' }, TypeError, /`options.factory`/],
      ['nope', TypeError, /`options`/],
    ])('rejects bad options %p', async (options, errorClass, message) => {
      const created = runtime.createRecorder('r', options as never);
      await expect(created).rejects.toThrow(errorClass);
      await expect(runtime.createRecorder('r', options as never)).rejects.toThrow(message);
      expect(runtime.listRecorderIds()).toEqual([]);
    });

    it('rejects a duplicate id (after trimming) with RecorderAlreadyExistsError', async () => {
      const first = await runtime.createRecorder('dup');
      const error = await runtime.createRecorder(' dup ').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecorderAlreadyExistsError);
      expect(error).toMatchObject({ code: 'RECORDER_ALREADY_EXISTS', recorderId: 'dup' });
      expect(runtime.getRecorder('dup')).toBe(first);
    });

    it('lets exactly one of concurrent creates of one id win', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => runtime.createRecorder('same')),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const r of lost) expect(r.reason).toBeInstanceOf(RecorderAlreadyExistsError);
      expect(runtime.listRecorderIds()).toEqual(['same']);
    });

    it('creates concurrent recorders of different ids, keeping creation order', async () => {
      const ids = ['one', 'two', 'three', 'four'];
      const recorders = await Promise.all(ids.map((id) => runtime.createRecorder(id)));
      expect(new Set(recorders).size).toBe(4);
      expect(runtime.listRecorderIds()).toEqual(ids);
    });

    it('reports a failed start as RecorderStartupError, registers nothing and releases the id', async () => {
      const factory = (id: string, o: object) => new BrokenStartRecorder(id, o);
      const error = await runtime.createRecorder('broken', { factory }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecorderStartupError);
      expect(error).toMatchObject({ code: 'RECORDER_STARTUP_ERROR', recorderId: 'broken' });
      expect(runtime.tryGetRecorder('broken')).toBeUndefined();
      await expect(runtime.createRecorder('broken')).resolves.toBeInstanceOf(MetricsRecorder);
    });

    it('wraps a throwing factory (or one returning a non-recorder) in RecorderStartupError', async () => {
      const throwing = () => {
        throw new Error('constructor failed');
      };
      await expect(runtime.createRecorder('a', { factory: throwing })).rejects.toThrow(RecorderStartupError);
      await expect(runtime.createRecorder('b', { factory: () => ({}) as never })).rejects.toThrow(
        RecorderStartupError,
      );
      expect(runtime.listRecorderIds()).toEqual([]);
    });

    it('uses the runtime recorderFactory for custom recorders', async () => {
      const custom = new MetricsRuntime({
        namespace: 'ns',
        recorderFactory: (id, options) => new SlowStopRecorder(id, options),
      });
      await custom.start();
      expect(await custom.createRecorder('a')).toBeInstanceOf(SlowStopRecorder);
      await custom.shutdown();
    });
  });

  describe('lookups', () => {
    it('find registered recorders by trimmed id, or report them missing', async () => {
      const recorder = await runtime.createRecorder('r');
      expect(runtime.getRecorder(' r ')).toBe(recorder);
      expect(runtime.tryGetRecorder(' r ')).toBe(recorder);
      expect(runtime.tryGetRecorder('missing')).toBeUndefined();
      expect(() => runtime.getRecorder('missing')).toThrow(RecorderNotFoundError);
      expect(() => runtime.getRecorder('missing')).toThrow(
        expect.objectContaining({ recorderId: 'missing' }),
      );
      expect(runtime.listRecorderIds()).toEqual(['r']);
    });

    it('return an empty, frozen id list when nothing is registered', () => {
      const ids = runtime.listRecorderIds();
      expect(ids).toEqual([]);
      expect(Object.isFrozen(ids)).toBe(true);
    });
  });

  describe('stopRecorder', () => {
    it('stops a running recorder and keeps it registered; a second stop does nothing', async () => {
      const recorder = await runtime.createRecorder('r');
      await runtime.stopRecorder(' r ');
      expect(recorder.getStatus()).toBe('stopped');
      await runtime.stopRecorder('r');
      expect(runtime.getRecorder('r')).toBe(recorder);
    });

    it('is safe when called concurrently', async () => {
      const recorder = await runtime.createRecorder('r');
      await Promise.all(Array.from({ length: 8 }, () => runtime.stopRecorder('r')));
      expect(recorder.getStatus()).toBe('stopped');
    });

    it('rejects with RecorderNotFoundError for a missing id', async () => {
      await expect(runtime.stopRecorder('missing')).rejects.toThrow(RecorderNotFoundError);
    });

    it('reports a failing stop as RecorderStopError; the recorder stays registered', async () => {
      const factory = (id: string, o: object) => new BrokenStopRecorder(id, o);
      const recorder = await runtime.createRecorder('broken', { factory });
      const error = await runtime.stopRecorder('broken').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecorderStopError);
      expect((error as Error).cause).toMatchObject({ code: 'ON_STOPPED_HOOK_FAILED' });
      expect(runtime.getRecorder('broken')).toBe(recorder);
      // A failed recorder cannot be stopped again: RecorderStopError naming its state.
      await expect(runtime.stopRecorder('broken')).rejects.toThrow(/'failure'/);
    });
  });

  describe('stopAndRemoveRecorder', () => {
    it('stops, removes and returns the recorder', async () => {
      const recorder = await runtime.createRecorder('r');
      await expect(runtime.stopAndRemoveRecorder(' r ')).resolves.toBe(recorder);
      expect(recorder.getStatus()).toBe('stopped');
      expect(runtime.tryGetRecorder('r')).toBeUndefined();
      expect(runtime.listRecorderIds()).toEqual([]);
    });

    it('removes an already stopped recorder', async () => {
      const recorder = await runtime.createRecorder('r');
      await runtime.stopRecorder('r');
      await expect(runtime.stopAndRemoveRecorder('r')).resolves.toBe(recorder);
    });

    it('removes the recorder even when its stop fails', async () => {
      const factory = (id: string, o: object) => new BrokenStopRecorder(id, o);
      const recorder = await runtime.createRecorder('broken', { factory });
      await expect(runtime.stopAndRemoveRecorder('broken')).rejects.toThrow(RecorderStopError);
      expect(recorder.getStatus()).toBe('failure');
      expect(runtime.listRecorderIds()).toEqual([]);
    });

    it('gives the recorder to exactly one of concurrent calls; the rest get RecorderNotFoundError', async () => {
      const recorder = await runtime.createRecorder('r');
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => runtime.stopAndRemoveRecorder('r')),
      );
      const won = results.filter(
        (r): r is PromiseFulfilledResult<MetricsRecorder> => r.status === 'fulfilled',
      );
      expect(won.map((r) => r.value)).toEqual([recorder]);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost).toHaveLength(7);
      for (const r of lost) expect(r.reason).toBeInstanceOf(RecorderNotFoundError);
    });

    it('joins a stopRecorder in flight', async () => {
      const recorder = await runtime.createRecorder('slow', {
        factory: (id, o) => new SlowStopRecorder(id, o),
      });
      const stopping = runtime.stopRecorder('slow');
      await expect(runtime.stopAndRemoveRecorder('slow')).resolves.toBe(recorder);
      await stopping;
      expect(recorder.getStatus()).toBe('stopped');
    });

    it('hides a recorder being removed from stopRecorder (RecorderNotFoundError), not from lookups', async () => {
      const recorder = await runtime.createRecorder('slow', {
        factory: (id, o) => new SlowStopRecorder(id, o),
      });
      const removing = runtime.stopAndRemoveRecorder('slow');
      await expect(runtime.stopRecorder('slow')).rejects.toThrow(RecorderNotFoundError);
      expect(runtime.getRecorder('slow')).toBe(recorder);
      await removing;
      expect(runtime.tryGetRecorder('slow')).toBeUndefined();
      expect(recorder.getStatus()).toBe('stopped');
    });
  });
});
