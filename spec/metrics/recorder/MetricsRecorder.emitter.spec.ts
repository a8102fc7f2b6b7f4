import { from, of, Subject, throwError } from 'rxjs';
import { MetricsRecorder, noopEmitter, RecorderUnexpectedError } from 'mvx-common';
import { collect } from 'mvx-common/testing';
import { count, countingMetric, type TestEvent } from '../../helpers/recorderFixtures.js';

describe('MetricsRecorder emitter', () => {
  it('is frozen and delegates emit/next to the recorder', async () => {
    const recorder = new MetricsRecorder<TestEvent>('r');
    recorder.registerMetric(countingMetric());
    expect(Object.isFrozen(recorder.emitter)).toBe(true);
    recorder.emitter.emit(count(2));
    recorder.emitter.next(count(3));
    await recorder.flush();
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 5 });
  });

  it('is an RxJS Observer: a stream can be piped in', async () => {
    const recorder = new MetricsRecorder<TestEvent>('r');
    recorder.registerMetric(countingMetric());
    from([count(1), count(2), count(3)]).subscribe(recorder.emitter);
    await recorder.flush();
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 6 });
  });

  it('an error from a piped stream goes to errors$ and does not stop the recorder', async () => {
    const recorder = new MetricsRecorder<TestEvent>('r');
    recorder.registerMetric(countingMetric());
    await recorder.start();
    const errors = collect(recorder.errors$);
    const cause = new Error('source died');
    throwError(() => cause).subscribe(recorder.emitter);
    expect(errors.values).toHaveLength(1);
    expect(errors.values[0]).toBeInstanceOf(RecorderUnexpectedError);
    expect((errors.values[0] as Error).cause).toBe(cause);
    expect(recorder.getStatus()).toBe('running');
    recorder.emitter.next(count());
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 1 });
  });

  it('complete does nothing: the recorder keeps running and other sources keep feeding it', async () => {
    const recorder = new MetricsRecorder<TestEvent>('r');
    recorder.registerMetric(countingMetric());
    const states = collect(recorder.state$);
    of(count()).subscribe(recorder.emitter);
    const live = new Subject<TestEvent>();
    live.subscribe(recorder.emitter);
    live.next(count());
    await recorder.flush();
    expect(states.values).toEqual(['virgin', 'starting', 'running']);
    expect(recorder.getMetricSnapshot('test.metric')?.dimensions).toEqual({ total: 2 });
  });
});

describe('noopEmitter', () => {
  it('does nothing and never throws', () => {
    expect(() => {
      noopEmitter.emit({ type: 'x' });
      noopEmitter.emit(null as never);
      noopEmitter.next({ type: 'x' });
      noopEmitter.error(new Error('e'));
      noopEmitter.complete();
    }).not.toThrow();
    expect(Object.isFrozen(noopEmitter)).toBe(true);
  });

  it('is an Observer a stream can be piped into', () => {
    const sub = of({ type: 'a' }, { type: 'b' }).subscribe(noopEmitter);
    expect(sub.closed).toBe(true);
  });
});
