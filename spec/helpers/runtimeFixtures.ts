/**
 * Shared test doubles for runtime specs: the reference's save-attempts outcome counter (defined with
 * `defineMetric`) and recorders whose start or stop hook throws, hangs or is slow.
 */
import { defineMetric, type MetricEvent, MetricsRecorder } from 'mvx-common';

export type SaveAttempt = {
  readonly type: 'document_storage.save.attempt';
  readonly outcome: 'success' | 'failure';
};

/** The reference's canonical outcome counter, defined with defineMetric. */
export const saveAttempts = defineMetric({
  name: 'document_storage.save.attempts',
  kind: 'counter',
  accepts: (e: MetricEvent): e is SaveAttempt => e.type === 'document_storage.save.attempt',
  init: () => ({ total: 0, success_total: 0, failure_total: 0 }),
  reduce: (s, e: SaveAttempt) => ({
    total: s.total + 1,
    success_total: s.success_total + (e.outcome === 'success' ? 1 : 0),
    failure_total: s.failure_total + (e.outcome === 'failure' ? 1 : 0),
  }),
  dimensions: (s) => s,
});

/** A recorder whose onStopped throws. */
export class BrokenStopRecorder extends MetricsRecorder {
  protected override onStopped(): void {
    throw new Error('stop hook exploded');
  }
}

/** A recorder whose onStopped never settles. */
export class HangingStopRecorder extends MetricsRecorder {
  protected override onStopped(): Promise<void> {
    return new Promise<void>(() => undefined);
  }
}

/** A recorder whose onStopped takes `delayMs`. */
export class SlowStopRecorder extends MetricsRecorder {
  static delayMs = 50;
  protected override onStopped(): Promise<void> {
    return new Promise<void>((resolve) => setTimeout(resolve, SlowStopRecorder.delayMs));
  }
}

/** A recorder whose onStarting throws. */
export class BrokenStartRecorder extends MetricsRecorder {
  protected override onStarting(): void {
    throw new Error('start hook exploded');
  }
}
