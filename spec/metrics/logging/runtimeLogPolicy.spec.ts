import { createLogEventMeta } from 'mvx-common/logger';
import {
  RUNTIME_INSPECTION_LOG_EVENTS,
  RUNTIME_LOG_EVENTS,
  RUNTIME_NORMAL_LOG_EVENTS,
  runtimeLogPolicy,
} from 'mvx-common';

const enabled = (
  mode: 'silent' | 'normal' | 'inspection',
  eventName: string,
  namespace: string | null = 'svc.metrics',
) => runtimeLogPolicy(mode).isEventEnabled(createLogEventMeta({ eventName, namespace }));

describe('runtimeLogPolicy', () => {
  it('exposes the event-name contract', () => {
    expect(RUNTIME_NORMAL_LOG_EVENTS).toEqual([
      'metrics_runtime.start',
      'metrics_runtime.shutdown',
      'metrics_runtime.create_recorder',
      'metrics_runtime.stop_recorder',
      'metrics_runtime.stop_and_remove_recorder',
    ]);
    expect(RUNTIME_INSPECTION_LOG_EVENTS).toEqual([
      'metrics_runtime.get_recorder',
      'metrics_runtime.try_get_recorder',
      'metrics_runtime.list_recorder_ids',
    ]);
    expect(RUNTIME_LOG_EVENTS.createRecorder).toBe('metrics_runtime.create_recorder');
  });

  it.each([
    ['silent', [false, false]],
    ['normal', [true, false]],
    ['inspection', [true, true]],
  ] as const)('%s mode', (mode, [normal, inspection]) => {
    for (const ns of ['svc.metrics', null]) {
      for (const name of RUNTIME_NORMAL_LOG_EVENTS) expect(enabled(mode, name, ns)).toBe(normal);
      for (const name of RUNTIME_INSPECTION_LOG_EVENTS) expect(enabled(mode, name, ns)).toBe(inspection);
    }
    expect(enabled(mode, 'metrics_recorder.start')).toBe(false);
  });

  it('refuses a bad mode, naming `mode`', () => {
    expect(() => runtimeLogPolicy('NORMAL' as never)).toThrow(/Expected `mode`/);
    expect(() => runtimeLogPolicy(null as never)).toThrow(TypeError);
  });
});
