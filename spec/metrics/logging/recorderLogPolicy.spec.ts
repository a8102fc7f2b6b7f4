import { LogContext, MemorySink, createLogEventMeta, logInvocation } from 'mvx-common/logger';
import {
  RECORDER_INSPECTION_LOG_EVENTS,
  RECORDER_LOG_EVENTS,
  RECORDER_NORMAL_LOG_EVENTS,
  recorderLogPolicy,
} from 'mvx-common';

const enabled = (
  mode: 'silent' | 'normal' | 'inspection',
  eventName: string,
  namespace: string | null = 'my_app.metrics',
) => recorderLogPolicy(mode).isEventEnabled(createLogEventMeta({ eventName, namespace }));

describe('recorderLogPolicy', () => {
  it('exposes the event-name contract', () => {
    expect(RECORDER_NORMAL_LOG_EVENTS).toEqual([
      'metrics_recorder.start',
      'metrics_recorder.stop',
      'metrics_recorder.dispose',
      'metrics_recorder.register_metric',
      'metrics_recorder.dispatch_error',
      'metrics_recorder.cleanup.failed',
    ]);
    expect(RECORDER_INSPECTION_LOG_EVENTS).toEqual([
      'metrics_recorder.get_metric_snapshots',
      'metrics_recorder.get_metric_snapshot',
      'metrics_recorder.iter_metrics',
    ]);
    expect(RECORDER_LOG_EVENTS.start).toBe('metrics_recorder.start');
    expect(Object.isFrozen(RECORDER_LOG_EVENTS)).toBe(true);
  });

  it('silent enables nothing', () => {
    for (const name of [...RECORDER_NORMAL_LOG_EVENTS, ...RECORDER_INSPECTION_LOG_EVENTS]) {
      expect(enabled('silent', name)).toBe(false);
    }
  });

  it('normal enables lifecycle/error events only, on any namespace', () => {
    for (const ns of ['my_app.metrics', '', null, 'x']) {
      for (const name of RECORDER_NORMAL_LOG_EVENTS) expect(enabled('normal', name, ns)).toBe(true);
      for (const name of RECORDER_INSPECTION_LOG_EVENTS) expect(enabled('normal', name, ns)).toBe(false);
    }
    expect(enabled('normal', 'metrics_runtime.start')).toBe(false);
    expect(enabled('normal', 'other.event')).toBe(false);
  });

  it('inspection adds the read-only calls', () => {
    for (const name of [...RECORDER_NORMAL_LOG_EVENTS, ...RECORDER_INSPECTION_LOG_EVENTS]) {
      expect(enabled('inspection', name)).toBe(true);
    }
  });

  it("defaults to 'normal'", () => {
    expect(
      recorderLogPolicy().isEventEnabled(createLogEventMeta({ eventName: 'metrics_recorder.start' })),
    ).toBe(true);
  });

  it('lets failed outcomes through in silent mode (they bypass policies)', () => {
    const sink = new MemorySink();
    const ctx = LogContext.root({ namespace: 'my_app', sink, eventPolicy: recorderLogPolicy('silent') });
    const start = logInvocation(RECORDER_LOG_EVENTS.start, { logContext: ctx })(() => {
      throw new Error('boom');
    });
    expect(() => start()).toThrow('boom');
    expect(sink.trail()).toEqual([['metrics_recorder.start', 'failed']]);
  });

  it('refuses a bad mode, naming `mode`', () => {
    expect(() => recorderLogPolicy('loud' as never)).toThrow(RangeError);
    expect(() => recorderLogPolicy('loud' as never)).toThrow(
      /Expected `mode` to be one of 'silent', 'normal', 'inspection'/,
    );
    expect(() => recorderLogPolicy(1 as never)).toThrow(TypeError);
  });
});
