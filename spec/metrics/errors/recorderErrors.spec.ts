import {
  MetricFailedError,
  MetricsError,
  MetricsRecorderError,
  MetricsRuntimeError,
  RecorderHookError,
  RecorderInvalidStateError,
  RecorderOverflowError,
  RecorderStopTimeoutError,
  RecorderUnexpectedError,
} from 'mvx-common';

function expectChain(error: Error, name: string, code: string): void {
  expect(error).toBeInstanceOf(Error);
  expect(error).toBeInstanceOf(MetricsError);
  expect(error).toBeInstanceOf(MetricsRecorderError);
  expect(error).not.toBeInstanceOf(MetricsRuntimeError);
  expect(error.name).toBe(name);
  expect((error as MetricsError).code).toBe(code);
  expect(String(error)).toContain(name);
  expect(error.stack).toBeDefined();
}

describe('recorder errors', () => {
  const cause = new Error('underlying');

  it('RecorderInvalidStateError carries state and expectedStates and names both', () => {
    const error = new RecorderInvalidStateError(
      'stopped',
      ['virgin', 'starting', 'running'],
      'register an event',
      {
        cause,
      },
    );
    expectChain(error, 'RecorderInvalidStateError', 'INVALID_RECORDER_STATE');
    expect(error.state).toBe('stopped');
    expect(error.expectedStates).toEqual(['virgin', 'starting', 'running']);
    expect(error.message).toBe(
      "Cannot register an event: recorder is 'stopped', expected 'virgin', 'starting' or 'running'",
    );
    expect(error.cause).toBe(cause);
    expect(new RecorderInvalidStateError('virgin', ['running'], 'stop').message).toBe(
      "Cannot stop: recorder is 'virgin', expected 'running'",
    );
    expect('cause' in new RecorderInvalidStateError('virgin', ['running'], 'stop')).toBe(false);
  });

  it('RecorderOverflowError carries capacity', () => {
    const error = new RecorderOverflowError(128);
    expectChain(error, 'RecorderOverflowError', 'QUEUE_OVERFLOW');
    expect(error.capacity).toBe(128);
    expect(error.message).toContain('128');
  });

  it.each([
    ['starting', 'ON_STARTING_HOOK_FAILED', 'onStarting'],
    ['stopped', 'ON_STOPPED_HOOK_FAILED', 'onStopped'],
  ] as const)('RecorderHookError phase %s has code %s', (phase, code, hook) => {
    const error = new RecorderHookError(phase, { cause });
    expectChain(error, 'RecorderHookError', code);
    expect(error.phase).toBe(phase);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain(hook);
    expect(error.message).toContain('underlying');
  });

  it('RecorderStopTimeoutError carries timeoutMs', () => {
    const error = new RecorderStopTimeoutError(5000);
    expectChain(error, 'RecorderStopTimeoutError', 'STOP_TIMEOUT');
    expect(error.timeoutMs).toBe(5000);
    expect(error.message).toContain('5000 ms');
  });

  it('MetricFailedError carries metricName and names it', () => {
    const error = new MetricFailedError('doc.saves', { cause });
    expectChain(error, 'MetricFailedError', 'METRIC_FAILED');
    expect(error.metricName).toBe('doc.saves');
    expect(error.message).toBe("Metric 'doc.saves' failed: underlying");
    expect(error.cause).toBe(cause);
    expect(new MetricFailedError('m', { cause: 'text' }).message).toBe("Metric 'm' failed: text");
  });

  it('RecorderUnexpectedError wraps a foreign cause', () => {
    const error = new RecorderUnexpectedError('Piped stream errored', { cause });
    expectChain(error, 'RecorderUnexpectedError', 'UNEXPECTED_ERROR');
    expect(error.message).toBe('Piped stream errored: underlying');
    expect(new RecorderUnexpectedError('plain').message).toBe('plain');
  });
});
