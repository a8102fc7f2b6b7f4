/**
 * Scenario 2: driving a recorder's lifecycle by hand, checking every result.
 *
 * Expected output:
 *   recorder creation failed: Expected `options.capacity` to be a positive integer, got `0` (number)
 *   {"total":3,"success_total":2,"failure_total":1}
 */
import { MetricsRecorder, type MetricSnapshots, type OpResult } from 'mvx-common';
import { saveAttempts, SAVE_ATTEMPT, type SaveAttempt } from './shared/documentStorage';

/** Bad configuration fails at construction with an error that names the option. */
export function createMisconfiguredRecorder(): string {
  try {
    new MetricsRecorder('document_storage', { capacity: 0 });
    return 'recorder created';
  } catch (error) {
    return `recorder creation failed: ${(error as Error).message}`;
  }
}

function check(result: OpResult): void {
  if (!result.success) throw result.error;
}

export async function main(): Promise<MetricSnapshots> {
  const recorder = new MetricsRecorder<SaveAttempt>('document_storage');
  check(await recorder.start());
  try {
    recorder.registerMetric(saveAttempts);
    recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
    recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
    recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'failure' });
  } catch (error) {
    check(await recorder.stop());
    throw error;
  }
  // stop() drains every accepted event before it resolves; snapshots stay readable afterwards.
  check(await recorder.stop());
  return recorder.getMetricSnapshots();
}

if (require.main === module) {
  console.log(createMisconfiguredRecorder());
  void main().then((snapshots) => {
    console.log(JSON.stringify(snapshots['document_storage.save.attempts']?.dimensions));
  });
}
