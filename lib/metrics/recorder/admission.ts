import { eventError } from '../event.js';
import { RecorderInvalidStateError, RecorderOverflowError } from '../errors/recorderErrors.js';
import type { RecorderState } from './types.js';

/**
 * Admission outcomes: small ints, so the hot path allocates nothing to say what happened.
 * @internal
 */
export const ACCEPTED = 0;
/** @internal */
export const INVALID = 1;
/** @internal */
export const WRONG_STATE = 2;
/** @internal */
export const OVERFLOW_REFUSED = 3;
/** @internal */
export const DROPPED = 4;

/** States in which events and metrics are accepted. @internal */
export const ACCEPTING_STATES: readonly RecorderState[] = Object.freeze(['virgin', 'starting', 'running']);

/**
 * The error `registerEvent` throws (and `emit` reports on `errors$`) for a refusal. Built only on the
 * refusal path, never for accepted events.
 * @internal
 */
export function refusalError(
  outcome: number,
  event: unknown,
  capacity: number,
  state: RecorderState,
  cause: { cause?: unknown } | undefined,
): Error {
  if (outcome === INVALID) return eventError(event) ?? new TypeError('Invalid `event`');
  if (outcome === OVERFLOW_REFUSED) return new RecorderOverflowError(capacity);
  return new RecorderInvalidStateError(state, ACCEPTING_STATES, 'register an event', cause);
}
