import type { HistogramPointValue } from './mappedMetric.js';
import type { RecorderClock } from './RecorderClocks.js';

interface Previous {
  readonly value: number | HistogramPointValue;
  readonly atMs: number;
}

/** A delta data point: the change since the stream's previous collection and when that interval began. */
export interface Delta<V> {
  readonly value: V;
  readonly startMs: number;
}

function histogramReset(now: HistogramPointValue, before: HistogramPointValue): boolean {
  if (now.count < before.count || now.boundaries.length !== before.boundaries.length) return true;
  for (let i = 0; i < now.boundaries.length; i++) {
    if (now.boundaries[i] !== before.boundaries[i]) return true;
  }
  for (let i = 0; i < now.counts.length; i++) {
    if ((now.counts[i] as number) < (before.counts[i] as number)) return true;
  }
  return false;
}

/**
 * Turns cumulative readings into delta points by keeping, per stream, the value of its previous
 * collection. The first point of a stream (and the first after its recorder changed) carries the whole
 * cumulative value since the recorder's start. A monotonic sum that went down, or a histogram whose
 * count or a bucket went down or whose bounds changed, was reset in between: its point carries the new
 * cumulative value, starting at the previous collection. A histogram delta has `min`/`max` only when the
 * previous collection had no observations (they are not known for the interval otherwise). Streams
 * absent from a collection are forgotten.
 * @internal
 */
export class DeltaTracker {
  private previous = new Map<string, Previous>();
  private next = new Map<string, Previous>();

  sum(key: string, value: number, monotonic: boolean, clock: RecorderClock, nowMs: number): Delta<number> {
    const before = this.take(key, value, clock, nowMs);
    if (before === undefined) return { value, startMs: clock.startMs };
    const prior = before.value as number;
    if (monotonic && value < prior) return { value, startMs: before.atMs };
    return { value: value - prior, startMs: before.atMs };
  }

  histogram(
    key: string,
    value: HistogramPointValue,
    clock: RecorderClock,
    nowMs: number,
  ): Delta<HistogramPointValue> {
    const before = this.take(key, value, clock, nowMs);
    if (before === undefined) return { value, startMs: clock.startMs };
    const prior = before.value as HistogramPointValue;
    if (histogramReset(value, prior)) return { value, startMs: before.atMs };
    const known = prior.count === 0;
    return {
      value: {
        boundaries: value.boundaries,
        counts: value.counts.map((c, i) => c - (prior.counts[i] as number)),
        sum: value.sum - prior.sum,
        count: value.count - prior.count,
        min: known ? value.min : undefined,
        max: known ? value.max : undefined,
      },
      startMs: before.atMs,
    };
  }

  /** Ends a collection: streams not seen in it are forgotten. */
  commit(): void {
    this.previous = this.next;
    this.next = new Map();
  }

  private take(
    key: string,
    value: number | HistogramPointValue,
    clock: RecorderClock,
    nowMs: number,
  ): Previous | undefined {
    const before = this.previous.get(key);
    this.next.set(key, { value, atMs: nowMs });
    if (before === undefined || clock.restarted || typeof before.value !== typeof value) return undefined;
    return before;
  }
}
