/**
 * Scenario 3: observing accepted changes with the `onMetricChanged` hook (and the same through
 * `changes$`). The unknown event changes nothing, so it triggers no hook.
 *
 * Expected output:
 *   document_storage.save.attempts <- document_storage.save.attempt {"total":1,"success_total":1,"failure_total":0}
 *   document_storage.save.attempts <- document_storage.save.attempt {"total":2,"success_total":2,"failure_total":0}
 *   document_storage.save.attempts <- document_storage.save.attempt {"total":3,"success_total":2,"failure_total":1}
 *   final: {"total":3,"success_total":2,"failure_total":1}
 */
import {
  MetricsRecorder,
  type MetricChange,
  type MetricSnapshot,
  type MetricSnapshots,
  type OpResult,
} from 'mvx-common';
import { saveAttempts, SAVE_ATTEMPT, type SaveAttempt, type UnknownEvent } from './shared/documentStorage';

export interface ObservedChange {
  readonly metricName: string;
  readonly eventType: string;
  readonly snapshot: MetricSnapshot;
}

/** A recorder that keeps a record of every accepted change. */
export class ObservingMetricsRecorder extends MetricsRecorder<SaveAttempt | UnknownEvent> {
  readonly metricChanges: ObservedChange[] = [];

  protected override onMetricChanged(change: MetricChange<SaveAttempt | UnknownEvent>): void {
    this.metricChanges.push({
      metricName: change.metric.name,
      eventType: change.event.type,
      snapshot: change.snapshot,
    });
  }
}

function check(result: OpResult): void {
  if (!result.success) throw result.error;
}

export async function main(): Promise<{ snapshots: MetricSnapshots; metricChanges: ObservedChange[] }> {
  const recorder = new ObservingMetricsRecorder('document_storage');
  check(await recorder.start());
  recorder.registerMetric(saveAttempts);
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
  recorder.registerEvent({ type: 'unknown.event' });
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'failure' });
  check(await recorder.stop()); // stop drains: every change has been observed
  return { snapshots: recorder.getMetricSnapshots(), metricChanges: recorder.metricChanges };
}

if (require.main === module) {
  void main().then(({ snapshots, metricChanges }) => {
    for (const change of metricChanges) {
      console.log(
        `${change.metricName} <- ${change.eventType} ${JSON.stringify(change.snapshot.dimensions)}`,
      );
    }
    console.log(`final: ${JSON.stringify(snapshots['document_storage.save.attempts']?.dimensions)}`);
  });
}
