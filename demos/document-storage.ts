/**
 * Scenario 1 (getting started): a component that works with or without a recorder.
 *
 * Expected output:
 *   without metrics: 2 documents saved, nothing measured
 *   with metrics: {"total":3,"success_total":2,"failure_total":1}
 */
import { MetricsRecorder, type MetricSnapshots } from 'mvx-common';
import { DocumentStorage, saveAttempts, type SaveAttempt } from './shared/documentStorage';

function saveThree(storage: DocumentStorage): void {
  storage.saveDocument('a', 'first');
  storage.saveDocument('b', 'second');
  try {
    storage.saveDocument('', 'no id');
  } catch {
    // the component re-raises its validation error; the failure was measured
  }
}

export async function main(): Promise<{ withoutMetrics: number; snapshots: MetricSnapshots }> {
  // Metrics disabled: the component uses noopEmitter.
  const plain = new DocumentStorage();
  saveThree(plain);

  // Metrics enabled: hand the component the recorder's emitter.
  const recorder = new MetricsRecorder<SaveAttempt>('document_storage');
  recorder.registerMetric(saveAttempts);
  await recorder.start();
  try {
    saveThree(new DocumentStorage(recorder.emitter));
    // Read-your-writes: a running recorder processes pending events before answering.
    return { withoutMetrics: plain.size, snapshots: recorder.getMetricSnapshots() };
  } finally {
    await recorder.dispose();
  }
}

if (require.main === module) {
  void main().then(({ withoutMetrics, snapshots }) => {
    console.log(`without metrics: ${withoutMetrics} documents saved, nothing measured`);
    console.log(`with metrics: ${JSON.stringify(snapshots['document_storage.save.attempts']?.dimensions)}`);
  });
}
