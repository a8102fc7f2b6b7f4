import { isMetricEvent } from 'mvx-common';
// Internal on purpose: the admission path's error builder.
import { eventError } from '../../lib/metrics/event.js';

describe('isMetricEvent', () => {
  it.each([{ type: 'a' }, { type: 'doc.save', outcome: 'ok', ms: 3 }, Object.freeze({ type: 'x' })])(
    'accepts %p',
    (value) => {
      expect(isMetricEvent(value)).toBe(true);
      expect(eventError(value)).toBeUndefined();
    },
  );

  it.each([null, undefined, 1, 'a', {}, { type: '' }, { type: 1 }, { type: null }, [] as unknown])(
    'refuses %p',
    (value) => {
      expect(isMetricEvent(value)).toBe(false);
      expect(eventError(value)).toBeInstanceOf(TypeError);
    },
  );
});

describe('eventError', () => {
  it('names the parameter, or its type field', () => {
    expect(eventError(null)?.message).toMatch(/^Expected `event` to be an object/);
    expect(eventError({ type: 3 })?.message).toMatch(/`event\.type`/);
    expect(eventError({ type: '' })?.message).toMatch(/`event\.type`.*non-empty/);
    expect(eventError(5, 'input')?.message).toMatch(/`input`/);
  });
});
