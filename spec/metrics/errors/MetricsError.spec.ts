import { MetricsError, MetricsRecorderError, MetricsRuntimeError } from 'mvx-common';
// Internal on purpose: the message helper.
import { formatStates } from '../../../lib/metrics/errors/MetricsError.js';

describe('MetricsError', () => {
  it('base classes are abstract and set name from the concrete class', () => {
    class Custom extends MetricsRecorderError {
      readonly code = 'CUSTOM';
    }
    const error = new Custom('m', { cause: 1 });
    expect(error.name).toBe('Custom');
    expect(error.cause).toBe(1);
    expect(error).toBeInstanceOf(MetricsError);
    expect(new Custom('m')).not.toHaveProperty('cause');
    class RuntimeCustom extends MetricsRuntimeError {
      readonly code = 'R';
    }
    expect(new RuntimeCustom('m')).toBeInstanceOf(MetricsError);
  });

  it('formatStates joins states readably', () => {
    expect(formatStates([])).toBe('');
    expect(formatStates(['running'])).toBe("'running'");
    expect(formatStates(['virgin', 'stopped'])).toBe("'virgin' or 'stopped'");
    expect(formatStates(['a', 'b', 'c'])).toBe("'a', 'b' or 'c'");
  });
});
