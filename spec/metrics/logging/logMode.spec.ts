import { METRICS_LOG_MODES } from 'mvx-common';
// Internal on purpose: presetPolicy, shared by the recorder and runtime presets.
import { presetPolicy } from '../../../lib/metrics/logging/logMode.js';
import { createLogEventMeta } from 'mvx-common/logger';

describe('presetPolicy', () => {
  it('lists the modes', () => {
    expect(METRICS_LOG_MODES).toEqual(['silent', 'normal', 'inspection']);
  });

  it('matches on event names only (never the composed namespace key)', () => {
    const policy = presetPolicy('normal', ['a.start'], ['a.get']);
    expect(policy.defaultEnabled).toBe(false);
    expect(policy.rules).toEqual([{ action: 'allow', eventNames: ['a.start'] }]);
    expect(policy.isEventEnabled(createLogEventMeta({ eventName: 'a.start', namespace: 'deep.ns' }))).toBe(
      true,
    );
    expect(presetPolicy('silent', ['a.start'], []).rules).toEqual([]);
    expect(presetPolicy('inspection', ['a.start'], ['a.get']).rules[0]?.eventNames).toEqual([
      'a.start',
      'a.get',
    ]);
  });
});
