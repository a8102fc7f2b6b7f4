import {
  MetricsRecorder,
  RecorderInvalidStateError,
  RecorderOverflowError,
  type OverflowPolicy,
} from 'mvx-common';
import { collect, createTestScheduler } from 'mvx-common/testing';
import {
  count,
  countingMetric,
  deferred,
  expectInvariant,
  HookedRecorder,
  other,
  type TestEvent,
} from '../../helpers/recorderFixtures.js';

/** A recorder on a never-flushed TestScheduler: accepted events stay pending until a read or stop. */
function parked(capacity: number, overflow: OverflowPolicy) {
  const recorder = new MetricsRecorder<TestEvent>('parked', {
    capacity,
    overflow,
    scheduler: createTestScheduler(),
  });
  recorder.registerMetric(countingMetric());
  return recorder;
}

describe('MetricsRecorder admission', () => {
  describe('registerEvent', () => {
    it.each([
      [null, /`event`/],
      [undefined, /`event`/],
      [42, /`event`/],
      ['count', /`event`/],
      [{}, /`event\.type`/],
      [{ type: 7 }, /`event\.type`/],
      [{ type: '' }, /`event\.type`/],
    ])('throws a TypeError naming the parameter for %p', (bad, message) => {
      const recorder = new MetricsRecorder('r');
      expect(() => recorder.registerEvent(bad as never)).toThrow(TypeError);
      expect(() => recorder.registerEvent(bad as never)).toThrow(message);
      expect(recorder.getStats()).toMatchObject({ offered: 2, rejected: 2, accepted: 0 });
      expect(recorder.getStatus()).toBe('virgin');
    });

    it('accepts in virgin (starting it), starting and running', async () => {
      const recorder = new HookedRecorder();
      const gate = deferred();
      recorder.startGate = gate.promise;
      recorder.registerEvent(count());
      expect(recorder.getStatus()).toBe('starting');
      recorder.registerEvent(count());
      gate.resolve();
      await recorder.flush();
      recorder.registerEvent(count());
      expect(recorder.getStats()).toMatchObject({ offered: 3, accepted: 3, rejected: 0 });
    });

    it.each(['stopping', 'stopped', 'failure', 'disposed'])(
      'refuses events in %s with RecorderInvalidStateError, counted as rejected',
      async (state) => {
        const recorder = new HookedRecorder();
        await recorder.start();
        let release: (() => void) | undefined;
        if (state === 'stopping') {
          const gate = deferred();
          recorder.stopGate = gate.promise;
          void recorder.stop();
          release = () => gate.resolve();
        } else if (state === 'stopped') await recorder.stop();
        else if (state === 'failure') {
          recorder.stopError = new Error('x');
          await recorder.stop();
        } else await recorder.dispose();
        expect(recorder.getStatus()).toBe(state);
        const before = recorder.getStats();
        let thrown: unknown;
        try {
          recorder.registerEvent(count());
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(RecorderInvalidStateError);
        expect((thrown as RecorderInvalidStateError).state).toBe(state);
        expect((thrown as RecorderInvalidStateError).expectedStates).toEqual([
          'virgin',
          'starting',
          'running',
        ]);
        expect(recorder.getStats()).toMatchObject({
          offered: before.offered + 1,
          rejected: before.rejected + 1,
          accepted: before.accepted,
        });
        expectInvariant(recorder);
        release?.();
      },
    );
  });

  describe('emit', () => {
    it('never throws: invalid events and wrong-state refusals are counted and reported on errors$', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r');
      const errors = collect(recorder.errors$);
      expect(() => recorder.emit(null as never)).not.toThrow();
      expect(() => recorder.emit({ type: '' } as never)).not.toThrow();
      await recorder.start();
      await recorder.stop();
      expect(() => recorder.emit(count())).not.toThrow();
      expect(errors.values).toHaveLength(3);
      expect(errors.values[0]).toBeInstanceOf(TypeError);
      expect(errors.values[1]).toBeInstanceOf(TypeError);
      expect(errors.values[2]).toBeInstanceOf(RecorderInvalidStateError);
      expect(recorder.getStats()).toMatchObject({ offered: 3, rejected: 3, accepted: 0 });
    });

    it('never throws under any overflow policy', () => {
      for (const policy of ['drop-newest', 'drop-oldest', 'error'] as const) {
        const recorder = parked(2, policy);
        expect(() => {
          for (let i = 0; i < 10; i++) recorder.emit(count());
        }).not.toThrow();
        expect(recorder.getStats().dropped).toBe(8);
        expectInvariant(recorder);
      }
    });
  });

  describe('capacity', () => {
    it('drop-newest refuses the new event; registerEvent does not throw; emit reports nothing', async () => {
      const recorder = parked(3, 'drop-newest');
      await recorder.start();
      const errors = collect(recorder.errors$);
      for (let i = 1; i <= 5; i++) recorder.registerEvent(count(i));
      recorder.emit(count(100));
      expect(recorder.getStats()).toMatchObject({
        offered: 6,
        accepted: 3,
        dropped: 3,
        pending: 3,
        processed: 0,
      });
      expect(errors.values).toEqual([]);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 + 2 + 3 });
      expectInvariant(recorder);
    });

    it('drop-oldest evicts the oldest pending event and accepts the new one', async () => {
      const recorder = parked(3, 'drop-oldest');
      await recorder.start();
      for (let i = 1; i <= 5; i++) recorder.registerEvent(count(i));
      expect(recorder.getStats()).toMatchObject({
        offered: 5,
        accepted: 5,
        dropped: 2,
        pending: 3,
        processed: 0,
      });
      expectInvariant(recorder);
      expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 3 + 4 + 5 });
      expect(recorder.getStats()).toMatchObject({ processed: 3, pending: 0 });
      expectInvariant(recorder);
    });

    it('error: registerEvent throws RecorderOverflowError; emit reports it on errors$', async () => {
      const recorder = parked(2, 'error');
      await recorder.start();
      const errors = collect(recorder.errors$);
      recorder.registerEvent(count());
      recorder.registerEvent(count());
      let thrown: unknown;
      try {
        recorder.registerEvent(count());
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(RecorderOverflowError);
      expect((thrown as RecorderOverflowError).capacity).toBe(2);
      recorder.emit(count());
      expect(errors.values).toHaveLength(1);
      expect(errors.values[0]).toBeInstanceOf(RecorderOverflowError);
      expect(recorder.getStats()).toMatchObject({ offered: 4, accepted: 2, dropped: 2, pending: 2 });
      expectInvariant(recorder);
    });

    it('a processed event frees its slot', async () => {
      const recorder = parked(1, 'error');
      await recorder.start();
      recorder.registerEvent(count());
      recorder.getMetricSnapshots(); // drains
      expect(() => recorder.registerEvent(count())).not.toThrow();
    });

    it('capacity bounds events buffered while starting', async () => {
      const recorder = new HookedRecorder('h', { capacity: 2, overflow: 'error' });
      const gate = deferred();
      recorder.startGate = gate.promise;
      void recorder.start();
      recorder.registerEvent(count());
      recorder.registerEvent(other);
      expect(() => recorder.registerEvent(count())).toThrow(RecorderOverflowError);
      gate.resolve();
      await recorder.flush();
      expect(recorder.getStats()).toMatchObject({ processed: 2, pending: 0, dropped: 1 });
    });
  });

  describe('stats', () => {
    it('getStats and stats$ are pure reads: they never drain', async () => {
      const recorder = parked(10, 'drop-newest');
      await recorder.start();
      recorder.emit(count());
      recorder.emit(count());
      const stats = collect(recorder.stats$);
      expect(recorder.getStats()).toMatchObject({ pending: 2, processed: 0 });
      expect(stats.last).toMatchObject({ processed: 0 });
      expect(recorder.getStats()).toMatchObject({ pending: 2, processed: 0 });
    });

    it('stats are frozen', () => {
      expect(Object.isFrozen(new MetricsRecorder('r').getStats())).toBe(true);
    });

    it('the invariant holds after each kind of refusal and after processing', async () => {
      const recorder = new MetricsRecorder<TestEvent>('r', { capacity: 2 });
      recorder.registerMetric(countingMetric());
      recorder.emit(count());
      expectInvariant(recorder);
      recorder.emit(null as never);
      expectInvariant(recorder);
      for (let i = 0; i < 5; i++) recorder.emit(count());
      expectInvariant(recorder);
      await recorder.flush();
      expectInvariant(recorder);
      await recorder.stop();
      recorder.emit(count());
      expectInvariant(recorder);
      expect(recorder.getStats()).toMatchObject({ offered: 8, rejected: 2, dropped: 4, processed: 2 });
    });
  });
});
