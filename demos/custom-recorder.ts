/**
 * Scenario 4: a custom recorder whose lifecycle hooks open and close an integration resource (a
 * publisher), and which publishes every accepted change.
 *
 * Expected output:
 *   publisher open after stop: false
 *   published: document_storage {"total":1,"success_total":1,"failure_total":0}
 *   published: document_storage {"total":2,"success_total":2,"failure_total":0}
 *   published: document_storage {"total":3,"success_total":2,"failure_total":1}
 *   final: {"total":3,"success_total":2,"failure_total":1}
 */
import {
  MetricsRecorder,
  type MetricChange,
  type MetricSnapshot,
  type MetricSnapshots,
  type OpResult,
} from 'mvx-common';
import { saveAttempts, SAVE_ATTEMPT, type SaveAttempt } from './shared/documentStorage';

export interface PublishedRecord {
  readonly entityId: string;
  readonly metricName: string;
  readonly eventType: string;
  readonly snapshot: MetricSnapshot;
}

/** Stands in for a message bus or an exporter connection. */
export class InMemoryMetricChangePublisher {
  private open = false;
  private readonly published: PublishedRecord[] = [];

  get isOpen(): boolean {
    return this.open;
  }

  get records(): PublishedRecord[] {
    return this.published.slice();
  }

  async openConnection(): Promise<void> {
    this.open = true;
  }

  async close(): Promise<void> {
    this.open = false;
  }

  publish(record: PublishedRecord): void {
    if (!this.open) throw new Error('publisher is not open');
    this.published.push(record);
  }
}

/** A recorder bound to a publisher: open on start, close on stop, publish each change. */
export class PublishingMetricsRecorder extends MetricsRecorder<SaveAttempt> {
  constructor(
    entityId: string,
    private readonly publisher: InMemoryMetricChangePublisher,
  ) {
    super(entityId);
  }

  protected override async onStarting(): Promise<void> {
    await this.publisher.openConnection();
  }

  protected override async onStopped(): Promise<void> {
    await this.publisher.close();
  }

  protected override onMetricChanged(change: MetricChange<SaveAttempt>): void {
    this.publisher.publish({
      entityId: this.entityId,
      metricName: change.metric.name,
      eventType: change.event.type,
      snapshot: change.snapshot,
    });
  }
}

function check(result: OpResult): void {
  if (!result.success) throw result.error;
}

export async function main(): Promise<{
  publisherIsOpen: boolean;
  publishedRecords: PublishedRecord[];
  snapshots: MetricSnapshots;
}> {
  const publisher = new InMemoryMetricChangePublisher();
  const recorder = new PublishingMetricsRecorder('document_storage', publisher);
  check(await recorder.start());
  recorder.registerMetric(saveAttempts); // registered after start
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'success' });
  recorder.registerEvent({ type: SAVE_ATTEMPT, outcome: 'failure' });
  check(await recorder.stop());
  return {
    publisherIsOpen: publisher.isOpen,
    publishedRecords: publisher.records,
    snapshots: recorder.getMetricSnapshots(),
  };
}

if (require.main === module) {
  void main().then(({ publisherIsOpen, publishedRecords, snapshots }) => {
    console.log(`publisher open after stop: ${publisherIsOpen}`);
    for (const r of publishedRecords)
      console.log(`published: ${r.entityId} ${JSON.stringify(r.snapshot.dimensions)}`);
    console.log(`final: ${JSON.stringify(snapshots['document_storage.save.attempts']?.dimensions)}`);
  });
}
