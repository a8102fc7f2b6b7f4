import {
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  RuntimeInvalidStateError,
  RuntimeShutdownError,
} from '../metrics/errors/runtimeErrors.js';
import type { WireError } from './protocol.js';

const COPIED = ['code', 'recorderId', 'state', 'expectedStates', 'failedRecorderIds', 'recorderErrors'];

/** Serializes an error for the control channel. @internal */
export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: {} };
  const props: Record<string, unknown> = {};
  for (const key of COPIED) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) props[key] = value;
  }
  return { name: error.name, message: error.message, props };
}

/** Rebuilds the library's error classes on the main thread (so `instanceof` works). @internal */
export function fromWire(wire: WireError): Error {
  const p = (key: string): never => wire.props[key] as never;
  let error: Error;
  switch (wire.name) {
    case 'TypeError':
      return new TypeError(wire.message);
    case 'RangeError':
      return new RangeError(wire.message);
    case 'RuntimeInvalidStateError':
      error = new RuntimeInvalidStateError(p('state'), p('expectedStates'), 'operate');
      break;
    case 'RecorderAlreadyExistsError':
      error = new RecorderAlreadyExistsError(p('recorderId'));
      break;
    case 'RecorderNotFoundError':
      error = new RecorderNotFoundError(p('recorderId'));
      break;
    case 'RecorderStartupError':
      error = new RecorderStartupError(p('recorderId'));
      break;
    case 'RecorderStopError':
      error = new RecorderStopError(p('recorderId'));
      break;
    case 'RuntimeShutdownError':
      error = new RuntimeShutdownError(p('failedRecorderIds'), p('recorderErrors'));
      break;
    default:
      error = new Error(wire.message);
      error.name = wire.name;
      return error;
  }
  error.message = wire.message;
  return error;
}
