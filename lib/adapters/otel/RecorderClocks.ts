import type { HrTime } from '@opentelemetry/api';
import type { RecorderReading } from '../../metrics/source/snapshotSource.js';
import { hrTimeFromMillis } from './hrTime.js';

/** The times of one recorder during one collection. @internal */
export interface RecorderClock {
  /** Epoch ms its cumulative streams start at (stable while the recorder stays the same). */
  readonly startMs: number;
  /** `startMs` as an `HrTime` (shared by every cumulative point of the recorder in one collection). */
  readonly startTime: HrTime;
  /** True when the recorder under this id is a new one (its start time changed): its streams reset. */
  readonly restarted: boolean;
}

interface Pinned {
  startMs: number;
  /** The last defined `reading.startTime` seen (to tell a new recorder under the same id). */
  readingStart: number | undefined;
}

/**
 * Pins a start time per recorder id: the recorder's own start time when known the first time the
 * producer sees it, else the time of that first sight. A later, different start time of the recorder
 * (a new recorder registered under the same id) moves the start time and marks the streams reset; a
 * start time that only becomes known later (a virgin recorder that started) keeps the earlier pin, so
 * cumulative streams never restart without a reason. Recorders absent from a collection are forgotten.
 * @internal
 */
export class RecorderClocks {
  private pinned = new Map<string, Pinned>();
  private next = new Map<string, Pinned>();

  /** The clock of `reading` in the collection at `nowMs`. */
  observe(reading: RecorderReading, nowMs: number): RecorderClock {
    const raw = reading.startTime;
    const readingStart = typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    const before = this.pinned.get(reading.recorderId) ?? this.next.get(reading.recorderId);
    let pin: Pinned;
    let restarted = false;
    if (before === undefined) {
      pin = { startMs: Math.min(readingStart ?? nowMs, nowMs), readingStart };
    } else if (
      readingStart !== undefined &&
      before.readingStart !== undefined &&
      readingStart !== before.readingStart
    ) {
      pin = { startMs: Math.min(readingStart, nowMs), readingStart };
      restarted = true;
    } else {
      pin = { startMs: before.startMs, readingStart: readingStart ?? before.readingStart };
    }
    this.next.set(reading.recorderId, pin);
    return { startMs: pin.startMs, startTime: hrTimeFromMillis(pin.startMs), restarted };
  }

  /** Ends a collection: recorders not observed in it are forgotten. */
  commit(): void {
    this.pinned = this.next;
    this.next = new Map();
  }
}
