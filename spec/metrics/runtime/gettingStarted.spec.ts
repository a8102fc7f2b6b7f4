import type { MetricEmitter } from 'mvx-common';
import { noopEmitter, MetricsRuntime } from 'mvx-common';
import { saveAttempts, type SaveAttempt } from '../../helpers/runtimeFixtures.js';

/** The reference's DocumentStorage component: it only holds an emitter. */
class DocumentStorage {
  constructor(private readonly metrics: MetricEmitter<SaveAttempt> = noopEmitter) {}

  saveDocument(documentId: string, content: string): void {
    try {
      if (documentId.trim() === '') throw new RangeError('documentId must not be empty');
      if (content === '') throw new RangeError('content must not be empty');
    } catch (error) {
      this.metrics.emit({ type: 'document_storage.save.attempt', outcome: 'failure' });
      throw error;
    }
    this.metrics.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
  }
}

describe('getting started through the runtime', () => {
  it('counts two successful saves and one failure: 3/2/1, read right after the last emit', async () => {
    const runtime = new MetricsRuntime({ namespace: 'example.metrics' });
    await runtime.start();
    try {
      const recorder = await runtime.createRecorder<SaveAttempt>('document_storage');
      recorder.registerMetric(saveAttempts);
      const storage = new DocumentStorage(recorder.emitter);
      storage.saveDocument('doc-1', 'hello');
      storage.saveDocument('doc-2', 'world');
      expect(() => storage.saveDocument('', 'broken')).toThrow('documentId must not be empty');

      expect(recorder.getMetricSnapshots()).toEqual({
        'document_storage.save.attempts': {
          name: 'document_storage.save.attempts',
          kind: 'counter',
          dimensions: { total: 3, success_total: 2, failure_total: 1 },
        },
      });
    } finally {
      await runtime.shutdown();
    }
  });
});
