import { config, take } from 'rxjs';
// Internal on purpose: the recorder's hot stream stage.
import { HotStream } from '../../../../lib/metrics/recorder/pipeline/HotStream.js';
import { collect } from 'mvx-common/testing';

describe('HotStream', () => {
  it('multicasts without replay and reports whether anyone listens', () => {
    const stream = new HotStream<number>();
    expect(stream.observed).toBe(false);
    stream.next(1);
    const a = collect(stream.observable);
    stream.next(2);
    const b = collect(stream.observable);
    expect(stream.observed).toBe(true);
    stream.next(3);
    expect(a.values).toEqual([2, 3]);
    expect(b.values).toEqual([3]);
    a.unsubscribe();
    b.unsubscribe();
    expect(stream.observed).toBe(false);
  });

  it('tolerates unsubscribing during delivery', () => {
    const stream = new HotStream<number>();
    const first = collect(stream.observable.pipe(take(1)));
    const second = collect(stream.observable);
    stream.next(1);
    stream.next(2);
    expect(first.values).toEqual([1]);
    expect(first.completed).toBe(true);
    expect(second.values).toEqual([1, 2]);
  });

  it('completes current and later subscribers, and ignores values after completion', () => {
    const stream = new HotStream<number>();
    const before = collect(stream.observable);
    stream.complete();
    stream.complete();
    stream.next(1);
    const after = collect(stream.observable);
    expect(before.completed).toBe(true);
    expect(before.values).toEqual([]);
    expect(after.completed).toBe(true);
    expect(stream.observed).toBe(false);
  });

  it('keeps delivering to others when one subscriber throws (rxjs reports it as unhandled)', async () => {
    const stream = new HotStream<number>();
    const onUnhandled = jest.fn();
    const previous = config.onUnhandledError;
    config.onUnhandledError = onUnhandled;
    try {
      stream.observable.subscribe(() => {
        throw new Error('bad subscriber');
      });
      const ok = collect(stream.observable);
      stream.next(1);
      expect(ok.values).toEqual([1]);
      await new Promise((resolve) => setTimeout(resolve, 5)); // rxjs reports on a timer
      expect(onUnhandled).toHaveBeenCalledWith(new Error('bad subscriber'));
    } finally {
      config.onUnhandledError = previous;
    }
  });
});
