import type { MetricEvent } from '../../event.js';
import { invalidEventError, isMetricEvent } from '../../event.js';
import { RecorderInvalidStateError, RecorderOverflowError } from '../../errors/recorderErrors.js';
import type { OverflowPolicy, RecorderState } from '../types.js';
import type { EventBuffer } from './EventBuffer.js';

/** Admission outcomes: small ints, so the hot path allocates nothing to say what happened. @internal */
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
 * Stage 1 of the recorder's pipeline: decides each offered event's fate in one O(1) call (valid? the
 * recorder accepting? room in the buffer, else the overflow policy) and stores accepted events in the
 * buffer. Owns the admission counters; the accounting invariant over all stages is in `accounting.ts`.
 * @internal
 */
export class Admission {
  /** Every call of `emit` / `registerEvent`. */
  offered = 0;
  /** Events that entered the buffer (including ones later evicted by `drop-oldest`). */
  accepted = 0;
  /** Events refused or evicted for capacity. */
  dropped = 0;
  /** Invalid events and wrong-state refusals. */
  rejected = 0;
  /** Whether the recorder accepts events (virgin, starting, running); set by the lifecycle. */
  accepting = true;

  constructor(
    private readonly buffer: EventBuffer<MetricEvent>,
    private readonly overflow: OverflowPolicy,
  ) {}

  /** Admits `event`: returns {@link ACCEPTED} or the refusal outcome. Never throws. */
  admit(event: MetricEvent): number {
    this.offered++;
    if (!isMetricEvent(event)) {
      this.rejected++;
      return INVALID;
    }
    if (!this.accepting) {
      this.rejected++;
      return WRONG_STATE;
    }
    const buffer = this.buffer;
    if (buffer.full) {
      this.dropped++;
      if (this.overflow === 'drop-newest') return DROPPED;
      if (this.overflow === 'error') return OVERFLOW_REFUSED;
      buffer.evictOldest();
    }
    buffer.push(event);
    this.accepted++;
    return ACCEPTED;
  }

  /**
   * The error `registerEvent` throws (and `emit` reports on `errors$`) for a refusal; built only on the
   * refusal path. `state` and `cause` describe the recorder at the refusal.
   */
  refusal(
    outcome: number,
    event: unknown,
    state: RecorderState,
    cause: { cause?: unknown } | undefined,
  ): Error {
    if (outcome === INVALID) return invalidEventError(event);
    if (outcome === OVERFLOW_REFUSED) return new RecorderOverflowError(this.buffer.capacity);
    return new RecorderInvalidStateError(state, ACCEPTING_STATES, 'register an event', cause);
  }
}
