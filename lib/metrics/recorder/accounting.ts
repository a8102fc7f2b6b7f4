import type { MetricEvent } from '../event.js';
import type { RecorderStats } from './types.js';
import type { Admission } from './pipeline/Admission.js';
import type { Dispatch } from './pipeline/Dispatch.js';
import type { Drain } from './pipeline/Drain.js';
import type { EventBuffer } from './pipeline/EventBuffer.js';

/**
 * The recorder's accounting, in one place. Each stage owns its counters: admission (`offered`,
 * `accepted`, `dropped`, `rejected`), the buffer (`pending` = its size; `evicted`), the drain
 * (`processed`), the dispatch (`metricErrors`). Every offered event ends in exactly one of processed,
 * pending, dropped (refused or evicted for capacity) or rejected (invalid or wrong state), so at every
 * observation:
 *
 *     offered  = processed + pending + dropped + rejected
 *     accepted = processed + pending + evicted
 *
 * (`evicted` is the part of `dropped` that was accepted first, under `drop-oldest`.)
 * @internal
 */
export class Accounting {
  constructor(
    private readonly admission: Admission,
    private readonly buffer: EventBuffer<MetricEvent>,
    private readonly drain: Drain,
    private readonly dispatch: Dispatch,
  ) {}

  /** Events accepted so far (the target of `flush()`). */
  accepted(): number {
    return this.admission.accepted;
  }

  /** Accepted events that have left the buffer: processed or evicted. */
  settled(): number {
    return this.drain.processed + this.buffer.evicted;
  }

  /** The counters now, frozen. */
  stats(): RecorderStats {
    const a = this.admission;
    return Object.freeze({
      offered: a.offered,
      accepted: a.accepted,
      processed: this.drain.processed,
      dropped: a.dropped,
      rejected: a.rejected,
      pending: this.buffer.size,
      capacity: this.buffer.capacity,
      metricErrors: this.dispatch.metricErrors,
    });
  }
}

/**
 * True when `stats` satisfies both accounting equations (for tests and health checks). The stats do not
 * carry `evicted`, so the second is checked as what it implies: `accepted - processed - pending` (the
 * evicted events) is between 0 and `dropped`.
 * @internal
 */
export function accountingHolds(stats: RecorderStats): boolean {
  const evicted = stats.accepted - stats.processed - stats.pending;
  return (
    stats.offered === stats.processed + stats.pending + stats.dropped + stats.rejected &&
    evicted >= 0 &&
    evicted <= stats.dropped
  );
}
