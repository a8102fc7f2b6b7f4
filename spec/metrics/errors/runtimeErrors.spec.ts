import {
  MetricsError,
  MetricsRecorderError,
  MetricsRuntimeError,
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  RuntimeInvalidStateError,
  RuntimeShutdownError,
} from 'mvx-common';

function expectChain(error: Error, name: string, code: string): void {
  expect(error).toBeInstanceOf(Error);
  expect(error).toBeInstanceOf(MetricsError);
  expect(error).toBeInstanceOf(MetricsRuntimeError);
  expect(error).not.toBeInstanceOf(MetricsRecorderError);
  expect(error.name).toBe(name);
  expect((error as MetricsError).code).toBe(code);
}

describe('runtime errors', () => {
  const cause = new Error('underlying');

  it('RuntimeInvalidStateError carries state and expectedStates and names both', () => {
    const error = new RuntimeInvalidStateError('closed', ['running'], 'create a recorder');
    expectChain(error, 'RuntimeInvalidStateError', 'INVALID_RUNTIME_STATE');
    expect(error.state).toBe('closed');
    expect(error.expectedStates).toEqual(['running']);
    expect(error.message).toBe("Cannot create a recorder: runtime is 'closed', expected 'running'");
  });

  it.each([
    [RecorderAlreadyExistsError, 'RecorderAlreadyExistsError', 'RECORDER_ALREADY_EXISTS'],
    [RecorderNotFoundError, 'RecorderNotFoundError', 'RECORDER_NOT_FOUND'],
  ] as const)('%p carries recorderId', (Ctor, name, code) => {
    const error = new Ctor('orders');
    expectChain(error, name, code);
    expect(error.recorderId).toBe('orders');
    expect(error.message).toContain("'orders'");
  });

  it('RecorderStartupError and RecorderStopError carry recorderId and cause', () => {
    const startup = new RecorderStartupError('orders', { cause });
    expectChain(startup, 'RecorderStartupError', 'RECORDER_STARTUP_ERROR');
    expect(startup.recorderId).toBe('orders');
    expect(startup.cause).toBe(cause);
    expect(startup.message).toBe("Recorder 'orders' failed to start: underlying");
    const stop = new RecorderStopError('orders', { cause });
    expectChain(stop, 'RecorderStopError', 'RECORDER_STOP_ERROR');
    expect(stop.cause).toBe(cause);
    expect(stop.message).toBe("Recorder 'orders' failed to stop: underlying");
    expect(new RecorderStopError('o', { reason: 'timed out' }).message).toBe(
      "Recorder 'o' failed to stop: timed out",
    );
  });

  it('RuntimeShutdownError carries failedRecorderIds and recorderErrors', () => {
    const summaries = { a: { name: 'RecorderStopTimeoutError', message: 'late', code: 'STOP_TIMEOUT' } };
    const error = new RuntimeShutdownError(['a', 'b'], summaries);
    expectChain(error, 'RuntimeShutdownError', 'SHUTDOWN_ERROR');
    expect(error.failedRecorderIds).toEqual(['a', 'b']);
    expect(error.recorderErrors).toBe(summaries);
    expect(error.message).toContain('a, b');
  });
});
